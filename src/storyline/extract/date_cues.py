"""Cues to when an undated text was written, from what its words say about time.

- dates it names with a year: written after those it tells in the past tense, before those it announces
  ("is scheduled for June 12, 2018"); a year in a campaign sentence or used as a modifier ("her 2016
  message") is only near the present, a target ("by 2024") says nothing (the latest date a text tells is
  no bound on how much later it was written: a year later in half the cases, six years in one in twenty);
- year-less dates ("Tuesday, Nov. 6", "in March"): news writes them for days near the present, so the
  text is from shortly after (past tense) or before (future) such a day, in a year where it falls on that
  weekday;
- a year tied to "last year" / "this year" / "next year" ("last year's 2016 election": written in 2017);
- elections named by year: "won the 2016 election" after election day, "ahead of the 2020 election"
  before it (a year used as a modifier is not a past date);
- anniversaries ("the 10th anniversary of the 2008 crash": around 2018) and elapsed times ("two years
  ago, in 2015"; "in the tenth month of the strike that began on March 1, 2023");
- a date in the URL path (``/2016/08/10/``).

Every cue carries the offsets of the words that say it. Weights and windows are measured on allsides-12k
rows outside the evaluation sample (``bench/eval_pubdate_infer.py``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date, timedelta

from ..records import Sentence, TimeExpr
from .daterange import EARLIEST, DateCue, cue, debris_spans, inside
from .timex_rules import _MONTHS, _ORD_VALUE, _WEEKDAYS, _WORD_VALUE

W_NAMED = {"day": 4.0, "time": 4.0, "week": 3.5, "month": 3.5, "season": 3.0, "quarter": 3.0, "year": 3.0}
W_NAMED_YEAR_NO_TENSE = 1.0
W_NAMED_MODAL = 1.0
W_FUTURE = 1.0          # tense is misread often (a quarter of the years "announced" were past): never alone
W_COPYRIGHT = 1.0
W_YEARLESS = 0.9
#: (granularity, tense) -> days before and after a year-less date that the text was written in (about 90% of
#: such mentions in allsides-12k rows outside the evaluation sample; tense read from the verbs is noisy)
YEARLESS_WINDOWS = {("day", "past"): (45, 130), ("day", "none"): (45, 65), ("day", "future"): (120, 60),
                    ("day", "last"): (0, 365)}
W_RELATIVE_YEAR = 3.0
W_ELECTION = 3.0
W_ANNIVERSARY = 1.0
W_AGO = 1.0             # "four years ago" is loose and its anchor often another date of the sentence
W_AFTER = 1.5           # "two decades later", "a day after": counted from a date that is often not the anchor
W_ELECTION_AHEAD = 1.0  # "ahead of the 2016 election" fails a quarter of the time (tense, quotes of history)
W_URL = {"day": 10.0, "month": 8.0, "year": 3.0}
FIRST_YEAR = 1990
#: days a told date may lie after the day of writing, and an announced one before it (a dateline's day is the
#: reporter's, the stored day the outlet's: a day or two apart across time zones and overnight editions)
DAY_SLACK = 2
#: days before a year begins that a text may already tell of it as past: a verb's tense is misread ("the rules
#: in 2014 covered ..." written in November 2013; "Sanders, who ran in 2016 and in 2020" written in 2019)
YEAR_EARLY = 365
AHEAD_YEARS = 3        # a year named as possible or as a campaign's: written at most this many years before it
NO_TENSE_YEARS = 1     # a year named with no tense read: written at most this many years before it
YEAR_REACH = 300         # characters back an explicit year lends itself to a year-less date

_CYCLE = re.compile(r"\s*(?:(?:U\.S\.|US|presidential|general|midterm|congressional|Democratic|Republican|GOP|"
                    r"primary|party|Senate|House|gubernatorial|mayoral|governor's|national|federal)\s+){0,3}"
                    r"(?:White\s+House\s+)?(?P<w>elections?|race|campaign|cycle|primar(?:y|ies)|midterms?|caucus(?:es)?|"
                    r"nominee|nomination|"
                    r"run|bid|ticket|candidates?|contest|hopefuls?|contenders?|field|vote|ballot)\b", re.I)
_MODAL = re.compile(r"\b(?:will|shall|'ll|would|could|might|may|likely|unlikely|potential|possible|possibly|if|"
                    r"expected|expects?|plans?|planning|planned|hopes?|hoping|aims?|aiming|targets?|goal|projected|"
                    r"projects?|forecasts?|estimates?|scheduled|slated|due|upcoming|next|coming|ahead|until|"
                    r"to be|set to|going to|wants? to|intends?|vows?|pledges?|promises?|seeks?|considering|"
                    r"eyeing|mulling|weighing|prepar\w+|runs? for|running for|bid for|vying|vies?|"
                    # a schedule told in the present: "the deal expires in 2017", "a period that ends in December
                    # 2020", "the tax cuts sunset in 2025", "another run in 2016", "the class of 2020"
                    r"expires|ends|begins|starts|kicks in|takes effect|runs out|sunsets?|another run|class of)\b",
                    re.I)
_ATTACKS = re.compile(r"\s*(?:,\s*\d{4},?\s*)?(?:terrorist\s+)?attacks?\b", re.I)
_CAMPAIGN = re.compile(r"\b(?:elections?|campaign\w*|candida\w+|voters?|race|primar(?:y|ies)|caucus\w*|nomin\w+|"
                       r"ballots?|midterms?|polls?|polling|swing|re-?elect\w*|votes?|voting|contenders?|hopefuls?|"
                       r"White House bid|run for|running)\b", re.I)
_MODIFIER_BEFORE = re.compile(r"(?:\b(?:his|her|their|its|our|your|the|a|an)|['’]s)\s+(?:\w+(?:ed|ing)\s+|"
                              r"(?:first|next|upcoming|coming|proposed|planned)\s+)?$", re.I)
_NOUN_AFTER = re.compile(r"\s+(?!and\b|or\b|to\b|through\b|in\b|on\b|at\b|when\b|with\b|by\b|as\b|for\b)[a-z]{3,}")
_NOUN_AFTER_ANY = re.compile(_NOUN_AFTER.pattern.replace("[a-z]{3,}", "[A-Za-z]{3,}"), re.I)
_TARGET = re.compile(r"\b(?:through|thru|to|for|by|until|till|beyond)\s+(?:the\s+end\s+of\s+|early\s+|late\s+|mid-?)?$|"
                     r"\b(?:19|20)\d\d\s+(?:and|or|to|through|-|–)\s+$", re.I)
_SPAN_ON = re.compile(r"\s*(?:to|through|-|–)\s*(?:19|20)\d\d")
_UNTIL = re.compile(r"\b(?:until|till|by|through|before|ahead\s+of|come|effective|starting|beginning)\s+"
                    r"(?:at\s+least\s+)?(?:the\s+end\s+of\s+)?$", re.I)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]\s*)?$", re.I)
_AFTER_CUE = re.compile(r"\b(?:won|lost|since|after|following|aftermath|wake|results?|stolen|rigged|"
                        r"in the wake of|loss|victory)"
                        r"\W+(?:\w+\W+){0,3}$", re.I)
_BEFORE_CUE = re.compile(r"\b(?:ahead of|before|upcoming|run-up to|leading up to|approaching|heading into|looming|"
                         r"coming|prepar\w* for|will|could|would|expected|plans?|planning|considering|eyeing|"
                         r"possible|potential|seek\w*|announce\w*)\W+(?:\w+\W+){0,3}$", re.I)
_REL_YEAR_TIGHT = re.compile(
    r"\b(?P<rel>last|this|next|coming)\s+year(?:'s|’s)\s+(?P<y>(?:19|20)\d\d)\b(?!\s*(?:-|–|to)\s*\d)"
    r"|\b(?P<y2>(?:19|20)\d\d)\s*(?:,|\(|—|–|-)\s*(?:that\s+is\s*,?\s*)?(?P<rel2>last|this|next)\s+year\b(?!['’]s)",
    re.I)
_DURATION = (r"(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
             r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|twenty-five|thirty|forty|"
             r"fifty|sixty|seventy|seventy-five|eighty|ninety|hundred|a\s+hundred|one\s+hundred)"
             r"[\s-]+(?P<unit>years?|months?|weeks?|days?|decades?)")
_AGO = re.compile(_DURATION + r"\s+(?P<how>ago|earlier|since|after|later|before|into|on)\b", re.I)
_BEEN = re.compile(r"\b(?:it\s+has\s+been|it's\s+been|it\s+had\s+been|nearly|almost|more\s+than|over|some|"
                   r"exactly|just|now)\s*$", re.I)
_ANNIV = re.compile(r"\b(?P<n>\d{1,3})(?:st|nd|rd|th)\s+anniversary\b|\b(?P<w>[a-z]+(?:-[a-z]+)?)\s+anniversary\b|"
                    r"\b(?P<m>\d{1,3}|[a-z]+)-year\s+anniversary\b|\b(?P<c>(?:bi|sesqui|semiquin)?centenn?ial|"
                    r"centenary)\b", re.I)
_CENTENNIAL = {"centennial": 100, "centenary": 100, "centenial": 100, "bicentennial": 200, "sesquicentennial": 150,
               "semiquincentennial": 250}
_ORDINAL_WORDS = _ORD_VALUE | {"twenty-fifth": 25, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
                               "seventieth": 70, "seventy-fifth": 75, "eightieth": 80, "ninetieth": 90,
                               "hundredth": 100, "twenty-fifth": 25, "tenth": 10}
_BEGAN = re.compile(r"\b(?:began|begun|started|start|launched|broke out|erupted|walked out|went on strike|"
                    r"opened|took office|took power|since)\b", re.I)
_NTH_OF = re.compile(r"\b(?:in\s+)?(?:the|its|their|his|her)\s+(?P<o>\d{1,3}(?:st|nd|rd|th)|[a-z]+(?:-[a-z]+)?)\s+"
                     r"(?P<unit>day|week|month|year)\s+of\b", re.I)
_YEARLESS = re.compile(r"^(?:(?P<rel>last|this|next|past|coming|this\s+past|this\s+coming)\s+)?"
                       r"(?:(?P<wd>[A-Za-z]+)\.?,?\s+"
                       r"(?:the\s+)?)?(?:(?P<mon>[A-Za-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?|(?P<d2>\d{1,2})"
                       r"(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>[A-Za-z]+)\.?|(?P<mon3>[A-Za-z]+)\.?)$")
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d\d)[/_-](?P<m>0?[1-9]|1[0-2]|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|"
                       r"nov|dec)(?:[/_-](?P<d>0?[1-9]|[12]\d|3[01]))?(?=[/_.-]|$)"
                       r"|/(?P<y2>(?:19|20)\d\d)(?P<m2>0[1-9]|1[0-2])(?P<d2>0[1-9]|[12]\d|3[01])(?=[/_.-])"
                       r"|/(?P<y3>(?:19|20)\d\d)(?=/)")


def _o(d: date) -> int:
    return d.toordinal()


def period(value: str | None) -> tuple[date, date] | None:
    """The first and last day of a TIMEX value (day, week, month, season, quarter, year); else ``None``."""
    if not value:
        return None
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            y, mo = int(m[1]), int(m[2])
            return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            start = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return start, start + timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
            y, (a, b) = int(m[1]), {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}[m[2]]
            end_y, end_m = (y + 1, b - 12) if b > 12 else (y, b)
            return date(y, a, 1), date(end_y, end_m, calendar.monthrange(end_y, end_m)[1])
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            y, q = int(m[1]), int(m[2])
            return date(y, 3 * q - 2, 1), date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
        if m := re.fullmatch(r"(\d{4})", value):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def election_day(year: int) -> date:
    """US general election day: the Tuesday after the first Monday of November."""
    first = date(year, 11, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 1)


def _number(word: str | None) -> int | None:
    if not word:
        return None
    w = " ".join(word.lower().split())
    if w.isdigit():
        return int(w)
    if w in ("a hundred", "one hundred", "hundred"):
        return 100
    if "-" in w and all(p in _WORD_VALUE for p in w.split("-")):
        return sum(_WORD_VALUE[p] for p in w.split("-"))
    return _WORD_VALUE.get(w)


def _ordinal(word: str | None) -> int | None:
    if not word:
        return None
    w = word.lower()
    if m := re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", w):
        return int(m[1])
    return _ORDINAL_WORDS.get(w)


def _sentence_of(pos: int, sentences: Sequence[Sentence], text: str) -> tuple[int, int]:
    for s in sentences:
        if s.start <= pos < s.end:
            return s.start, s.end
    lo = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos))
    hi_dot, hi_nl = text.find(". ", pos), text.find("\n", pos)
    hi = min(x for x in (hi_dot, hi_nl, len(text)) if x >= 0)
    return lo + 1, hi


def _shift(d: date, unit: str, n: int) -> date:
    unit = unit.lower().rstrip("s")
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(weeks=n)
    months = n * {"month": 1, "year": 12, "decade": 120}[unit]
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _slack(unit: str, n: int) -> timedelta:
    """How loosely "N units" is meant: "two years ago" may be 18 to 30 months."""
    unit = unit.lower().rstrip("s")
    return timedelta(days={"day": 1, "week": 4, "month": 20, "year": 200, "decade": 1500}[unit]
                     + (45 * n if unit == "year" and n > 2 else 0))


class _Cues:
    def __init__(self, text: str, times: Sequence[TimeExpr], sentences: Sequence[Sentence], today: date) -> None:
        from .timex import tenses

        self.text, self.times, self.sentences, self.today = text, times, sentences, today
        self.t = today.toordinal()
        self.tense = dict(zip(((x.start, x.end) for x in times),
                              tenses(text, [(x.start, x.end) for x in times], sentences, deadline=False)))
        self.out: list[DateCue] = []
        self._masked = debris_spans(text)
        self._years: list[int] | None = None

    def masked(self, pos: int) -> bool:
        """Inside scraped debris that tells the day of the scrape, not of the text (link tooltips
        "Name Full NameHeadline ... MORE", newsletter and copyright lines)."""
        return inside(pos, self._masked)

    def add(self, kind: str, start: int, end: int, pairs, weight: float, note: str = "") -> None:
        c = cue(kind, self.text[start:end] if start >= 0 else "", start, end, pairs, weight, note, today=self.t)
        if c is not None:
            self.out.append(c)

    # -- dates with a year -------------------------------------------------------------------------------

    def named(self) -> None:
        """Dates with a year: told (written after they began), announced (before they end), a campaign year
        or modifier (near the present), a target or span ("by 2024", "through 2022": nothing)."""
        for x in self.times:
            if x.basis != "explicit" or x.type not in ("DATE", "TIME") or not x.value or self.masked(x.start):
                continue
            gran = x.granularity or "day"
            span = period(x.value[:10] if "T" in x.value else x.value)
            if span is None:
                continue
            a, b = span
            before = self.text[max(0, x.start - 60):x.start]
            if _COPYRIGHT.search(before):
                self.add("copyright", x.start, x.end, [(EARLIEST, _o(b))], W_COPYRIGHT,
                         f"copyright {x.value}: written by the end of {x.value}")
                continue
            if gran in ("year", "month"):   # "the 2020 election", "the November 2020 election"
                cyc = _CYCLE.match(self.text, x.end)
                if cyc:
                    self._election(x, a.year, cyc, before)
                    continue
            ahead = None if gran == "year" and self.modifier(x) else self.future(x, before)
            if ahead == "future":
                self.add("future-date", x.start, x.end, [(EARLIEST, _o(b) + self.slack(gran))], W_FUTURE,
                         f"announced for {x.value}: written before its end")
                continue
            if ahead == "modal":   # "could lose seats in 2022", "if she wins in 2020": near the present
                self.add("named-date", x.start, x.end, [(_o(date(a.year - AHEAD_YEARS, 1, 1)), self.t)], W_NAMED_MODAL,
                         f"names {x.value} as possible: written after {a.year - AHEAD_YEARS} began")
                continue
            if gran in ("year", "month", "season", "quarter") and (
                    _TARGET.search(before[-40:]) or _SPAN_ON.match(self.text, x.end)):
                continue   # "through 2022", "for 2016 and 2017", "from 2014 to 2015", "by 2024": a target or a span
            if gran == "year" and self.near_present(x):
                self.add("named-date", x.start, x.end, [(_o(date(a.year - AHEAD_YEARS, 1, 1)), self.t)], W_NAMED_MODAL,
                         f"names {x.value} (a campaign year or a modifier): written after {a.year - AHEAD_YEARS} began")
                continue
            if gran == "year" and self.tense.get((x.start, x.end)) != "past":
                self.add("named-date", x.start, x.end, [(_o(date(a.year - NO_TENSE_YEARS, 1, 1)), self.t)],
                         W_NAMED_YEAR_NO_TENSE, f"names {x.value}: written after {a.year - NO_TENSE_YEARS} began")
            else:
                early = YEAR_EARLY if gran == "year" else self.slack(gran)
                self.add("named-date", x.start, x.end, [(_o(a) - early, self.t)], W_NAMED.get(gran, 3.0),
                         f"tells of {x.value}: written after it began" if gran != "year" else
                         f"tells of {x.value}: written after it began (or late in the year before)")

    @staticmethod
    def slack(gran: str) -> int:
        """``DAY_SLACK`` for a day (a month or a year has its own edges: a day across one is another period)."""
        return DAY_SLACK if gran in ("day", "time") else 0

    def near_present(self, x: TimeExpr) -> bool:
        """A year that may lie ahead: an even (US election) year in a sentence about campaigns and votes ("In
        2020, the entire political world has changed"), or a year used as a modifier ("her 2016 message",
        "the 2020 census")."""
        s_lo, s_hi = _sentence_of(x.start, self.sentences, self.text)
        if x.value and x.value[:4].isdigit() and int(x.value[:4]) % 2 == 0 and \
                _CAMPAIGN.search(self.text, s_lo, s_hi):
            return True
        before = self.text[max(0, x.start - 40):x.start]
        if re.search(r"(?<![.!?]\s)\b(?!In\b|By\b|Since\b|From\b|During\b|Until\b)[A-Z][a-z]+\s+$", before) and \
                not re.search(r"(?i:january|february|march|april|may|june|july|august|september|october|november|"
                              r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+$", before):
            return True   # "Made in China 2025", "Hillary 2016", "Vision 2030": a name, not a time told
        return self.modifier(x)

    def modifier(self, x: TimeExpr) -> bool:
        """A year used as a modifier: "her 2016 message", "a 2015 budget office analysis" (not announced)."""
        return bool(_MODIFIER_BEFORE.search(self.text, max(0, x.start - 12), x.start)
                    and _NOUN_AFTER_ANY.match(self.text, x.end))

    def future(self, x: TimeExpr, before: str) -> str | None:
        """``future`` when announced ("until May 2018", a future verb nearest it), ``modal`` when a modal or
        planning word comes earlier in its sentence ("could", "if ... wins in 2020", "expected to begin in
        early 2020"), else ``None`` (told: "since 2013", "in 2012" with a past verb nearest)."""
        if _UNTIL.search(before) and self.tense.get((x.start, x.end)) != "past":
            return "future"
        if re.search(r"\b(?:since|ago)\s*$", before, re.I):
            return None
        if self.tense.get((x.start, x.end)) == "future":
            return "future"
        s_lo, _ = _sentence_of(x.start, self.sentences, self.text)
        return "modal" if _MODAL.search(self.text, max(s_lo, x.start - 160), x.start) else None

    def _election(self, x: TimeExpr, year: int, cyc: re.Match, before: str) -> None:
        """"the 2016 election": after election day when the words before say so ("won", "since", "after",
        "meddling in"), before it when they announce it ("ahead of", "upcoming") or when the year names a
        field still running ("2020 Democratic candidates", "2016 GOP hopeful")."""
        day = election_day(year)
        word = cyc["w"].lower()
        after = _AFTER_CUE.search(before) and not re.search(r"until\s+after\W+(?:\w+\W+){0,3}$", before, re.I)
        ahead = _BEFORE_CUE.search(before) or word.startswith(("candidate", "hopeful", "contender", "primar",
                                                                "caucus", "field", "nomination"))
        end = cyc.end()
        if after and not ahead:
            self.add("election", x.start, end, [(_o(day) - 1, self.t)], W_ELECTION,
                     f"the {year} election is past: written after {day.isoformat()}")
        elif ahead and not after:
            self.add("election", x.start, end, [(_o(date(year - 4, 1, 1)), _o(day) + 1)], W_ELECTION_AHEAD,
                     f"the {year} election is ahead: written before {day.isoformat()}")

    # -- year-less dates ---------------------------------------------------------------------------------

    def yearless(self) -> None:
        """News writes a date without its year when it is in the current year or close to it: a day told
        in the past is from earlier that year (or the end of the last one), one announced from later that
        year (or early the next one)."""
        last_year = self.today.year
        for x in self.times:
            if x.basis != "relative" or x.type != "DATE" or self.masked(x.start):
                continue
            m = _YEARLESS.match(x.text.strip())
            if not m or self._year_nearby(x.start) or _ATTACKS.match(self.text, x.end):
                continue   # "On November 16, 1995 ... ended on November 19": that year; "Sept. 11 attacks"
            mon = (m["mon"] or m["mon2"] or m["mon3"] or "").lower().rstrip(".")
            if mon not in _MONTHS:
                continue
            month = _MONTHS[mon]
            day = int(m["d"] or m["d2"] or 0)
            wd = _WEEKDAYS.get((m["wd"] or "").lower().rstrip(".")) if m["wd"] else None
            if wd is None or not day:
                continue   # only a weekday with the day picks years; a bare "Nov. 6" or "in March" misleads
                # more often than it helps (measured: ranges held the day less often with them)
            rel = " ".join((m["rel"] or "").lower().split())
            before = self.text[max(0, x.start - 60):x.start]
            tense = self.tense.get((x.start, x.end))
            if rel in ("last", "past", "this past"):
                tense = "last"
            elif rel in ("next", "coming", "this coming") or self.future(x, before):
                tense = "future"
            elif re.search(r"\b(?:since|ago)\s*$", before, re.I):
                tense = "past"
            back, ahead = YEARLESS_WINDOWS[("day", tense or "none")]
            pairs = []
            for y in range(FIRST_YEAR, last_year + 2):
                try:
                    lo = date(y, month, day or 1)
                except ValueError:
                    continue
                if wd is not None and day and lo.weekday() != wd:
                    continue
                hi = lo if day else date(y, month, calendar.monthrange(y, month)[1])
                pairs.append((_o(lo) - back, _o(hi) + ahead))
            what = x.text if wd is None or not day else f"{x.text} (a {calendar.day_name[wd]})"
            weight = W_YEARLESS
            self.add("yearless", x.start, x.end, pairs, weight,
                     f"{what}, {tense or 'tense unknown'}: written near such a day")

    def _year_nearby(self, pos: int) -> bool:
        """An explicit date or year shortly before, in the same paragraph: a year-less date then takes it."""
        if self._years is None:
            self._years = [x.start for x in self.times if x.basis == "explicit" and x.value
                           and x.granularity in ("day", "month", "year", "season", "quarter", "week")]
        para = self.text.rfind("\n", 0, pos)
        return any(max(para, pos - YEAR_REACH) <= s < pos for s in self._years)

    # -- "last year" tied to a year ----------------------------------------------------------------------

    def relative_years(self) -> None:
        """A year named right beside "last year" / "this year" / "next year" is that year: "last year's 2016
        election", "in 2016, last year," "next year (2021)" (only these tight forms: a year elsewhere in the
        sentence is most often another one)."""
        for m in _REL_YEAR_TIGHT.finditer(self.text):
            if self.masked(m.start()):
                continue
            rel = (m["rel"] or m["rel2"]).lower()
            year = int(m["y"] or m["y2"])
            y = year + {"last": 1, "past": 1, "this": 0, "next": -1, "coming": -1}[rel]
            if not FIRST_YEAR <= y <= self.today.year:
                continue
            self.add("relative-year", m.start(), m.end(), [(_o(date(y, 1, 1)) - 10, _o(date(y, 12, 31)) + 10)],
                     W_RELATIVE_YEAR, f"{rel} year is {year}: written in {y}")

    # -- elapsed times and anniversaries ---------------------------------------------------------------

    def _anchor(self, lo: int, hi: int, after: int | None = None) -> tuple[date, str] | None:
        """The one date (day, month or year) the text names with a year between ``lo`` and ``hi`` (the first
        after ``after`` when given), or a dated event from the table."""
        found = []
        for x in self.times:
            if lo <= x.start < hi and x.basis == "explicit" and x.type == "DATE" and x.value:
                span = period(x.value)
                if span and x.granularity in ("day", "month", "year"):
                    found.append((x.start, span[0] if x.granularity == "day" else span[0], x.granularity or "day",
                                  x.text))
        if after is not None:
            later = [f for f in found if f[0] >= after]
            found = later[:1] or found[-1:]
        if len({f[1] for f in found}) == 1:
            return found[0][1], found[0][2]
        if not found:
            from .offices import event_dates, load_world

            world = load_world()
            if world.event_rx is not None:
                anchors = event_dates(world)
                hits = {anchors[e.group()] for e in world.event_rx.finditer(self.text, lo, hi) if e.group() in anchors}
                if len(hits) == 1:
                    return hits.pop(), "day"
        return None

    def elapsed(self) -> None:
        for m in _AGO.finditer(self.text):
            n = _number(m["n"])
            if not n:
                continue
            unit, how = m["unit"].lower(), m["how"].lower()
            s_lo, s_hi = _sentence_of(m.start(), self.sentences, self.text)
            anchor = self._anchor(s_lo, s_hi, m.end() if how in ("since", "after", "into", "later") else None)
            if anchor is None:
                continue
            when, gran = anchor
            since_now = how == "ago" or how == "since" and _BEEN.search(self.text, max(s_lo, m.start() - 20),
                                                                       m.start())
            try:
                center = _shift(when, unit, n)
            except (ValueError, KeyError, OverflowError):
                continue
            slack = _slack(unit, n) + (timedelta(days=365) if gran == "year" else
                                       timedelta(days=31) if gran == "month" else timedelta(0))
            if since_now:
                self.add("elapsed", m.start(), m.end(), [(_o(center - slack), _o(center + slack))], W_AGO,
                         f"{m.group()} {when.isoformat()[:7 if gran == 'month' else 4 if gran == 'year' else 10]}")
            elif how in ("after", "later", "into", "since"):
                self.add("elapsed", m.start(), m.end(), [(_o(center - slack), self.t)], W_AFTER,
                         f"{m.group()} {when.isoformat()}: written after about {center.isoformat()}")
        for m in _NTH_OF.finditer(self.text):
            n = _ordinal(m["o"])
            if not n:
                continue
            s_lo, s_hi = _sentence_of(m.start(), self.sentences, self.text)
            anchor = self._anchor(s_lo, s_hi)
            if anchor is None:   # "The strike began on March 1, 2023. ... in the tenth month of the strike"
                began = list(_BEGAN.finditer(self.text, max(0, s_lo - 400), s_lo))
                anchor = self._anchor(began[-1].start(), s_lo) if began else None
            if anchor is None or anchor[1] != "day":
                continue
            begin = _shift(anchor[0], m["unit"], n - 1)
            end = _shift(anchor[0], m["unit"], n)
            self.add("elapsed", m.start(), m.end(), [(_o(begin) - 1, _o(end) + 1)], W_AGO,
                     f"{m.group()} (from {anchor[0].isoformat()})")

    def anniversaries(self) -> None:
        for m in _ANNIV.finditer(self.text):
            n = (int(m["n"]) if m["n"] else _ordinal(m["w"]) if m["w"] else _number(m["m"]) if m["m"]
                 else _CENTENNIAL.get(m["c"].lower()))
            if not n:
                continue
            s_lo, s_hi = _sentence_of(m.start(), self.sentences, self.text)
            anchor = self._anchor(s_lo, s_hi, m.end())
            if anchor is None:
                continue
            when, gran = anchor
            try:
                center = date(when.year + n, when.month, min(when.day, 28))
            except ValueError:
                continue
            slack = timedelta(days=60 if gran == "day" else 90 if gran == "month" else 270)
            lo, hi = (center, center) if gran == "day" else (date(center.year, when.month, 1), center) \
                if gran == "month" else (date(center.year, 1, 1), date(center.year, 12, 31))
            self.add("anniversary", m.start(), m.end(), [(_o(lo - slack), _o(hi + slack))], W_ANNIVERSARY,
                     f"{m.group()} of {when.isoformat() if gran == 'day' else when.year}: written around "
                     f"{center.isoformat() if gran == 'day' else center.year}")


def url_cues(url: str | None, today: date) -> list[DateCue]:
    """A date in the URL path: ``/2016/08/10/`` (that day), ``/2016/08/`` (that month), ``/2016/`` (that year)."""
    if not url:
        return []
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I).lower()
    t = today.toordinal()
    for m in _URL_DATE.finditer(path):
        y = int(m["y"] or m["y2"] or m["y3"])
        mo, d = (m["m"] or m["m2"]), (m["d"] or m["d2"])
        if mo and not mo.isdigit():
            mo = str(_MONTHS[mo.lower()])
        try:
            if mo and d:
                day = date(y, int(mo), int(d))
                c = cue("url", m.group(), -1, -1, [(day.toordinal() - 1, day.toordinal() + 3)], W_URL["day"],
                        f"the URL names {day.isoformat()}", today=t)
            elif mo:
                a = date(y, int(mo), 1)
                b = date(y, int(mo), calendar.monthrange(y, int(mo))[1])
                c = cue("url", m.group(), -1, -1, [(a.toordinal() - 1, b.toordinal() + 3)], W_URL["month"],
                        f"the URL names {a.isoformat()[:7]}", today=t)
            else:
                c = cue("url", m.group(), -1, -1, [(date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal() + 31)],
                        W_URL["year"], f"the URL names {y}", today=t)
        except ValueError:
            continue
        if c is not None:
            return [c]
    return []


def text_cues(text: str, times: Sequence[TimeExpr], sentences: Sequence[Sentence], today: date) -> list[DateCue]:
    """Every cue the words of ``text`` give (time expressions found with no reference date)."""
    c = _Cues(text, times, sentences, today)
    c.named()
    c.yearless()
    c.relative_years()
    c.elapsed()
    c.anniversaries()
    return c.out
