"""The rules that find time expressions: vocabulary, the pattern families tried at each opening word, and
their parsers, which turn a match into a TIMEX3 type and a resolver of its value."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .timex_calendar import (_HOLIDAYS, _choose, _month, _quarter, _quarter_of, _season_ordinal, _shift_date,
                             _value_at, _week, _weekday_date)

if TYPE_CHECKING:  # annotations only; timex imports this module
    from .timex import _Ctx


# -- vocabulary -------------------------------------------------------------------------------------------

_MONTHS = {m: i for i, names in enumerate((
    "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul", "august aug",
    "september sep sept", "october oct", "november nov", "december dec"), 1) for m in names.split()}
_WEEKDAYS = {d: i for i, names in enumerate((
    "monday mon", "tuesday tue tues", "wednesday wed", "thursday thu thur thurs", "friday fri",
    "saturday sat", "sunday sun")) for d in names.split()}
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_INDEX = {"SP": 0, "SU": 1, "FA": 2, "WI": 3}
_POD = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
_ONES = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
        "seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUE = {w: i for i, w in enumerate(_ONES, 1)} | {w: 10 * i for i, w in enumerate(_TENS, 2)}
_WORD_VALUE |= {"a": 1, "an": 1, "another": 1, "zero": 0, "couple": 2, "dozen": 12, "hundred": 100,
                "thousand": 1000}
_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth " \
            "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
_ORD_VALUE = {w: i for i, w in enumerate(_ORDINALS, 1)} | {"twenty-first": 21, "twenty first": 21,
                                                           "final": 4, "last": 4}
_DECADE_WORDS = {w: i for i, w in enumerate(
    "twenties thirties forties fifties sixties seventies eighties nineties".split(), 2)}
#: unit -> (ISO letter, multiplier, is a clock unit)
_UNITS = {"year": ("Y", 1, False), "month": ("M", 1, False), "week": ("W", 1, False), "day": ("D", 1, False),
          "night": ("D", 1, False), "weekend": ("D", 2, False), "fortnight": ("W", 2, False),
          "quarter": ("Q", 1, False), "decade": ("Y", 10, False), "century": ("Y", 100, False),
          "centurie": ("Y", 100, False), "millennium": ("Y", 1000, False), "millennia": ("Y", 1000, False),
          "hour": ("H", 1, True), "hr": ("H", 1, True), "minute": ("M", 1, True), "min": ("M", 1, True),
          "second": ("S", 1, True), "sec": ("S", 1, True)}
_SET_ADVERBS = {"daily": "P1D", "weekly": "P1W", "biweekly": "P2W", "bi-weekly": "P2W", "monthly": "P1M",
                "bimonthly": "P2M", "bi-monthly": "P2M", "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H",
                "nightly": "P1D", "semiannually": "P6M", "semi-annually": "P6M", "twice-yearly": "P6M"}

# -- pattern pieces ----------------------------------------------------------------------------------------

_MF = "January|February|March|April|May|June|July|August|September|October|November|December"
_MON = rf"(?-i:(?P<mon>{_MF}|{_MF.upper()}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?))"
_MONTH_FULL = rf"(?-i:(?P<mon>{_MF}))"
_WD_NAMES = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WD = rf"(?-i:(?P<wd>{_WD_NAMES}))"
_WD_ANY = rf"(?-i:(?P<wd>{_WD_NAMES}|(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.?))"
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d|[.,]\d|\s*(?:%|percent|per\s*cent|points?\b|pct\b))"
_YEAR = r"(?P<y>1[5-9]\d\d|20\d\d)(?![\d%]|[.,]\d)"
_YEAR2 = r"(?P<y2>1[5-9]\d\d|20\d\d)(?![\d%]|[.,]\d)"
_NUMW = rf"(?:(?:{'|'.join(_TENS)})(?:[\s-](?:{'|'.join(_ONES[:9])}))?|{'|'.join(reversed(_ONES))})"
_NUMTOK = (rf"\d{{1,4}}(?:\.\d{{1,2}})?(?:\s+[1-3]/[2-4])?(?![\d,])|[1-3]/[2-4]|a\s+couple\s+of|couple\s+of|a\s+couple"
           rf"|a\s+few|a\s+dozen|dozens\s+of|hundreds\s+of|thousands\s+of|a\s+number\s+of|several|few|many|some"
           rf"|(?:a|one)\s+hundred|half\s+an?|an?\s+half|a\s+quarter(?:\s+of\s+an?)?|another"
           rf"|{_NUMW}(?:\s+and\s+a\s+half)?|an?")
_UNIT = (r"(?P<u>years?|months?|weeks?|days?|nights?|hours?|hrs|minutes?|mins|seconds?|secs|decades?|centuries"
         r"|century|millennium|millennia|quarters?|fortnights?|weekends?)")
_REL = r"last|next|this|this\s+past|this\s+coming|coming|past|previous|following|the\s+following|the\s+previous"
_MOD_EDGE = r"(?:the\s+)?(?:beginning|start|end|middle|rest|remainder|first\s+half|second\s+half|latter\s+half|" \
            r"last\s+half|bulk|balance|turn)\s+of"
_TZ = r"GMT|UTC|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|MSK|EET|EEST|JST|IST|AEST|AEDT|ET|PT|local\s+time|" \
      r"Moscow\s+time|Kyiv\s+time|\(\d{4}\s+GMT\)"
_I = re.I


class _Family:
    """A pattern family: its compiled pattern, its parser, its priority and the words that can open it."""

    __slots__ = ("name", "rx", "parse", "prio", "opens")

    def __init__(self, name: str, pattern: str, parse: Callable, prio: int, opens: str) -> None:
        self.name, self.rx, self.parse, self.prio, self.opens = name, re.compile(pattern, _I), parse, prio, opens


# -- quantities and ISO durations --------------------------------------------------------------------------

def _number(text: str) -> float | None:
    """The number a quantity phrase names; ``None`` for vague ones ("several", "a few")."""
    s = " ".join(text.lower().replace("-", " ").split())
    if s in ("a couple of", "couple of", "a couple"):
        return 2
    if s in ("half a", "half an", "a half", "an half"):
        return 0.5
    if s.startswith("a quarter"):
        return 0.25
    if s.startswith(("a few", "few", "several", "some", "many", "dozens", "hundreds", "thousands", "a number")):
        return None
    half = 0.5 if s.endswith("and a half") else 0.0
    s = s.removesuffix(" and a half")
    if s[:1].isdigit():
        value = 0.0
        for part in s.split():
            num, _, den = part.partition("/")
            value += int(num) / int(den) if den else float(num)
        return value + half
    total = 0
    for word in s.split():
        if word in ("hundred", "thousand"):
            total = max(total, 1) * _WORD_VALUE[word]
        else:
            total += _WORD_VALUE.get(word, 0)
    return total + half


def _duration(n: float | None, unit: str) -> str:
    letter, mult, clock = _UNITS[unit]
    t = "T" if clock else ""
    if n is None:
        return f"P{t}X{letter}"
    n *= mult
    if n == int(n):
        return f"P{t}{int(n)}{letter}"
    whole, part = int(n), n - int(n)
    sub = {"Y": ("M", 12, ""), "W": ("D", 7, ""), "D": ("H", 24, "T"), "H": ("M", 60, ""), "M": ("S", 60, "")}
    if letter in sub and not (letter == "M" and not clock):
        sub_letter, k, sub_t = sub[letter]
        head = f"{whole}{letter}" if whole else ""
        return f"P{t}{head}{sub_t if not t else ''}{round(part * k)}{sub_letter}"
    return f"P{t}{n:g}{letter}"


# -- family parsers: (match, text) -> (type, resolver) | None ---------------------------------------------

def _explicit(value: str | None, gran: str | None = None) -> Callable:
    return lambda ctx, s, e: (value, gran, "explicit")


def _rel(fn: Callable) -> Callable:
    """A resolver that needs the reference date: ``None`` value without one."""
    def resolve(ctx: _Ctx, s: int, e: int):
        if ctx.ref is None:
            return None, None, "relative"
        value = fn(ctx, s, e)
        return (value[0], value[1], "relative") if isinstance(value, tuple) else (value, None, "relative")
    return resolve


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"(\w+)\W*$", text[max(0, pos - 25):pos])
    return m.group(1).lower() if m else ""


def _next_word(text: str, pos: int, raw: bool = False) -> str:
    m = re.match(r"\W*?(\w+)", text[pos:pos + 25])
    return "" if m is None else m.group(1) if raw else m.group(1).lower()


def _p_numdate(m: re.Match, text: str):
    g = m.groupdict()
    try:
        if g["iy"]:
            d = date(int(g["iy"]), int(g["im"]), int(g["id"]))
        else:
            a, b, y = int(g["a"]), int(g["b"]), int(g["sy"])
            y += 2000 if y < 50 else 1900 if y < 100 else 0
            d = date(y, a, b) if a <= 12 else date(y, b, a)
    except ValueError:
        return None
    if g.get("H"):
        return "TIME", _explicit(f"{d.isoformat()}T{int(g['H']):02d}:{g['M']}", "time")
    return "DATE", _explicit(d.isoformat(), "day")


def _year_from(g: dict, key: str = "y") -> int | None:
    if g.get(key):
        return int(g[key])
    if g.get("yy"):
        yy = int(g["yy"])
        return yy + (2000 if yy < 50 else 1900)
    return None


def _month_day_resolver(month: int, day: int, year: int | None, wd: int | None, yrel: str = ""):
    if yrel:
        shift = {"last": -1, "next": 1}.get(yrel, 0)
        return _rel(lambda ctx, s, e: (date(ctx.ref.year + shift, month, day).isoformat(), "day"))
    if year is not None:
        try:
            d = date(year, month, day)
        except ValueError:
            return None
        return _explicit(d.isoformat(), "day")

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        options = []
        for y in (ref.year - 1, ref.year, ref.year + 1):
            try:
                options.append(date(y, month, day))
            except ValueError:
                pass
        if not options:
            return None
        if wd is not None:  # "Friday, Nov. 7": the year whose Nov. 7 is a Friday, when one is near
            fitting = [o for o in options if o.weekday() == wd]
            options = fitting or options
        return _choose(options, ref, ctx.tense(s, e), (timedelta(days=300), timedelta(days=183))).isoformat(), "day"
    return _rel(resolve)


def _p_md(m: re.Match, text: str):
    g = m.groupdict()
    month = _MONTHS[g["mon"].lower().rstrip(".")]
    wd = _WEEKDAYS[g["wd"].lower().rstrip(".")] if g.get("wd") else None
    res = _month_day_resolver(month, int(g["d"]), _year_from(g), wd, (g.get("yrel") or "").lower())
    if res is None or (m.start() and text[m.start() - 1] in ".,/$"):
        return None
    if g.get("wk"):
        def week(ctx: _Ctx, s: int, e: int, res=res):
            value, _, basis = res(ctx, s, e)
            return (_week(date.fromisoformat(value)) if value else None), "week", basis
        return "DATE", week
    return "DATE", res


def _p_week_of(m: re.Match, text: str):
    """"the first week of May": the ISO week holding that stretch of the month."""
    g = m.groupdict()
    month, order = _MONTHS[g["mon"].lower()], g["o"].lower()

    def week(y: int) -> str:
        if order in ("last", "final"):
            return _week(date(y + (month == 12), month % 12 + 1, 1) - timedelta(days=4))
        return _week(date(y, month, 1 + 7 * _ORD_VALUE[order] - 7 + 3))
    if g["y"]:
        return "DATE", _explicit(week(int(g["y"])), "week")
    by_month = _month_resolver(month, None)
    return "DATE", _rel(lambda ctx, s, e: (week(int(by_month(ctx, s, e)[0][:4])), "week"))


def _month_resolver(month: int, rel: str | None):
    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        target = ref.year * 12 + ref.month
        options = [y * 12 + month for y in (ref.year - 1, ref.year, ref.year + 1)]
        if rel in ("last", "past", "this past", "previous", "the previous"):
            pick = max(o for o in options if o < target)
        elif rel in ("next", "coming", "this coming", "following", "the following"):
            pick = min(o for o in options if o > target)
        elif rel == "this":
            pick = ref.year * 12 + month
        else:
            pick = _choose(options, target, ctx.tense(s, e), 8)
        return _month((pick - 1) // 12, (pick - 1) % 12 + 1), "month"
    return _rel(resolve)


def _p_month(m: re.Match, text: str):
    g = m.groupdict()
    name = g["mon"]
    if name == "May" and not g["rel"] and not g["mod"] and not g["mod2"]:
        if _prev_word(text, m.start()) not in ("in", "of", "by", "since", "until", "till", "through", "during",
                                               "before", "after", "from", "to", "early", "late", "mid", "and"):
            return None
    if name in ("March", "August") and not g["rel"] and not g["mod"] and not g["mod2"]:
        nxt = _next_word(text, m.end())
        if nxt in ("on", "to", "against", "through", "in", "of") and _prev_word(text, m.start()) in ("the", "a"):
            return None
    rel = " ".join(g["rel"].lower().split()) if g["rel"] else None
    if g["yrel"]:
        shift, month = {"last": -1, "next": 1}.get(g["yrel"].lower(), 0), _MONTHS[name.lower()]
        return "DATE", _rel(lambda ctx, s, e: (_month(ctx.ref.year + shift, month), "month"))
    return "DATE", _month_resolver(_MONTHS[name.lower()], rel)


def _p_month_year(m: re.Match, text: str):
    g = m.groupdict()
    return "DATE", _explicit(_month(int(g["y"]), _MONTHS[g["mon"].lower().rstrip(".")]), "month")


_NOT_AFTER_YEAR = frozenset("""people persons troops soldiers workers employees jobs shares units cars vehicles homes
houses tons tonnes barrels feet foot meters metres miles kilometers km acres hectares pounds dollars euros yuan yen
rupees points votes seats calories megawatts rooms beds students children families cases deaths victims casualties
refugees members copies pages words items flights passengers prisoners rounds rockets missiles times hours minutes
seconds days weeks months years percent pupils doctors officers police plants stores banks companies firms""".split())
_NOT_BEFORE_YEAR = frozenset("""about around approximately nearly almost some roughly over than no number flight route
room page article section resolution rule chapter model type level code version grade exit highway interstate ward
district precinct apartment suite box gate platform channel pin id figure table item bill act paragraph""".split())


def _p_year(m: re.Match, text: str):
    g = m.groupdict()
    if not g["pre"] and not g["mod"] and not g["mod2"]:
        if _next_word(text, m.end()) in _NOT_AFTER_YEAR or _prev_word(text, m.start()) in _NOT_BEFORE_YEAR:
            return None
        if re.match(r"\s*(?:-|–|to)\s*\d{4}\s*(?:people|troops)", text[m.end():m.end() + 20]):
            return None
    return "DATE", _explicit(g["y"], "year")


def _spelled_number(s: str) -> int:
    return int(sum(_WORD_VALUE.get(w, 0) for w in s.lower().replace("-", " ").split()))


def _p_spelled_year(m: re.Match, text: str):
    g = m.groupdict()
    if g["k"]:
        if not m.group(0).lower().startswith("the year"):
            return None
        return "DATE", _explicit(f"{2000 + (_spelled_number(g['yy2']) if g['yy2'] else 0):04d}", "year")
    return "DATE", _explicit(f"{1900 + _spelled_number(g['yy']):04d}", "year")


def _p_decade(m: re.Match, text: str):
    g = m.groupdict()
    if g["c"]:
        return "DATE", _explicit(f"{g['c']}{g['d']}", "decade")
    digit = int(g["d2"]) if g["d2"] else _DECADE_WORDS[g["w"].lower()]
    if g["w"] and not g["the"]:
        return None

    def resolve(ctx: _Ctx, s: int, e: int):  # "the '80s", "the nineties": the latest such decade so far
        century = ctx.ref.year // 100
        if century * 100 + digit * 10 > ctx.ref.year:
            century -= 1
        return f"{century}{digit}", "decade"
    return "DATE", _rel(resolve)


def _p_century(m: re.Match, text: str):
    g = m.groupdict()
    n = int(g["n"]) if g["n"] else _ORD_VALUE.get(g["w"].lower().replace("-", " "), _ORD_VALUE.get(g["w"].lower()))
    if not n:
        return None
    return "DATE", _explicit(f"{n - 1:02d}", None)


def _p_quarter(m: re.Match, text: str):
    g = m.groupdict()
    q = _ORD_VALUE.get(g["q"].lower()) if g.get("q") else None
    if q is None and g.get("qn"):
        q = int(g["qn"])
    if q is None or q > 4:
        return None
    year = _year_from(g, "y") or _year_from(g, "y2")
    if g.get("det") and "-" in text[m.start("q"):m.end()] and not (g.get("y") or g.get("yrel") or g.get("ago")):
        return None  # "its third-quarter loss": the modifier alone ("third-quarter")
    if year is not None and not g.get("ago"):
        return "DATE", _explicit(_quarter(year, q), "quarter")
    yrel = (g.get("yrel") or g.get("yrel2") or "").lower()
    shift = {"last": -1, "next": 1}.get(yrel, 0) - (1 if g.get("ago") else 0)

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        if year is not None:
            return _quarter(year + shift, q), "quarter"
        if yrel in ("this", "last", "next", "the") or g.get("ago"):
            base = ref.year
            if g.get("ago") and ctx.last_quarter and ctx.last_quarter[1] == q:
                base = ctx.last_quarter[0]
            ctx.derived = ctx.derived or bool(g.get("ago"))
            return _quarter(base + shift, q), "quarter"
        current = ref.year * 4 + _quarter_of(ref) - 1
        options = [y * 4 + q - 1 for y in (ref.year - 1, ref.year, ref.year + 1)]
        pick = _choose(options, current, ctx.tense(s, e), (3, 1))
        return _quarter(pick // 4, pick % 4 + 1), "quarter"
    return "DATE", _rel(resolve)


_ANAPHORIC_PERIOD = ("same", "comparable", "corresponding", "year-earlier", "year earlier", "year-ago", "year ago")


def _p_relquarter(m: re.Match, text: str):
    g = m.groupdict()
    rel = " ".join((g["rel"] or "").lower().split())
    det = (g["det"] or "").lower()
    tail = " ".join((g["tail"] or "").lower().split())
    unit = g["u"].lower()
    if not det and not rel:
        return None
    if unit == "period" and not (rel in ("latest", "most recent") or rel in _ANAPHORIC_PERIOD or g["y"]
                                 or "year" in tail):
        return None
    if det in ("its", "their") and not rel:
        return None
    back_a_year = rel in _ANAPHORIC_PERIOD[3:] or "last year" in tail or "a year" in tail
    year = int(g["y"]) if g["y"] else None
    if g["ended"]:  # "the quarter ended Sept. 30": the quarter that date closes
        month, day = _MONTHS[g["mon"].lower().rstrip(".")], int(g["d"])
        if g["y2"]:
            return "DATE", _explicit(_quarter(int(g["y2"]), (month - 1) // 3 + 1), "quarter")

        def ended(ctx: _Ctx, s: int, e: int):
            ref = ctx.ref
            try:
                d = date(ref.year, month, day)
            except ValueError:
                return None
            if d > ref:
                d = _shift_date(d, "year", -1)
            return _quarter(d.year - back_a_year, _quarter_of(d)), "quarter"
        return "DATE", _rel(ended)

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        current = ref.year * 4 + _quarter_of(ref) - 1
        last = ctx.last_quarter
        if rel in ("current",) or (det == "this" and not rel):
            pick = current
        elif rel in ("next", "coming"):
            pick = current + 1
        elif rel in ("last", "previous", "prior", "past", "latest", "most recent", "recent", "just-ended",
                     "just ended"):
            pick = current - 1
        elif last is not None:
            pick = last[0] * 4 + last[1] - 1
        elif year is not None:
            return f"{year:04d}", "year"
        else:
            pick = current - 1
        if year is not None:
            pick = year * 4 + pick % 4
        elif back_a_year:
            pick -= 4
            ctx.derived = True
        elif "next year" in tail:
            pick += 4
        return _quarter(pick // 4, pick % 4 + 1), "quarter"
    return "DATE", _rel(resolve)


def _p_half(m: re.Match, text: str):
    g = m.groupdict()
    half = 1 if g["h"].lower() in ("first", "front") else 2
    if g["y"]:
        return "DATE", _explicit(f"{g['y']}-H{half}", None)
    yrel = (g["yrel"] or "").lower()
    if not yrel and "-" not in m.group(0):
        return None

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        if yrel:
            return f"{ref.year + {'last': -1, 'next': 1}.get(yrel, 0):04d}-H{half}", None
        current = ref.year * 2 + (ref.month > 6)
        pick = _choose([y * 2 + half - 1 for y in (ref.year - 1, ref.year, ref.year + 1)], current,
                       ctx.tense(s, e), 1)
        return f"{pick // 2:04d}-H{pick % 2 + 1}", None
    return "DATE", _rel(resolve)


_SEASON_PREPS = frozenset("in during over through throughout since until till by before after for from into of "
                          "this last next early late mid that".split())


def _p_season(m: re.Match, text: str):
    g = m.groupdict()
    code = _SEASONS[g["s"].lower()]
    rel = " ".join((g["rel"] or "").lower().split())
    year = g["y"] or g["y2"]
    if year:
        return "DATE", _explicit(f"{year}-{code}", "season")
    if g["yrel"]:
        shift = {"last": -1, "next": 1}.get(g["yrel"].lower(), 0)
        return "DATE", _rel(lambda ctx, s, e: (f"{ctx.ref.year + shift:04d}-{code}", "season"))
    if rel in ("", "the"):
        possessive = re.search(r"\w['’]s\s+$", text[max(0, m.start() - 4):m.start()])  # "Ukraine's summer ..."
        if _prev_word(text, m.start()) not in _SEASON_PREPS and not possessive:
            return None
        if _next_word(text, m.end()) in ("of", "in", "to", "from", "at", "on", "and", "season", "semester"):
            return None
    idx = _SEASON_INDEX[code]

    def resolve(ctx: _Ctx, s: int, e: int):
        current = _season_ordinal(ctx.ref)
        options = [y * 4 + idx for y in (ctx.ref.year - 2, ctx.ref.year - 1, ctx.ref.year, ctx.ref.year + 1)]
        if rel in ("last", "past", "this past", "previous", "the previous"):
            pick = max(o for o in options if o < current)
        elif rel in ("next", "coming", "this coming", "following", "the following"):
            pick = min(o for o in options if o > current)
        elif rel == "this":
            pick = ctx.ref.year * 4 + idx if idx != 3 or ctx.ref.month > 2 else (ctx.ref.year - 1) * 4 + 3
        else:
            pick = _choose(options, current, ctx.tense(s, e), 3)
        return f"{pick // 4:04d}-{'SP SU FA WI'.split()[pick % 4]}", "season"
    return "DATE", _rel(resolve)


def _p_weekday(m: re.Match, text: str):
    g = m.groupdict()
    wd = _WEEKDAYS[g["wd"].lower()]
    if g["pod"] and g["pod"][0].isupper():
        return None  # "Saturday Night Live": a name
    if g["pl"] or g["podpl"]:
        if g["rel"]:
            return None
        pod = _POD.get((g["pod"] or "").lower())
        return "SET", _explicit(f"XXXX-WXX-{wd + 1}" + (f"T{pod}" if pod else ""), "set")
    rel = " ".join((g["rel"] or "").lower().split())
    pod = (g["pod"] or "").lower()

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        if rel in ("last", "this past", "past"):
            d = _weekday_date(ref, wd, "before")
        elif rel == "next":  # the one in the following week: "next Thursday", said on a Wednesday, is in 8 days
            d = ref + timedelta(days=7 - ref.weekday() + wd)
        elif rel in ("this coming", "coming"):
            d = _weekday_date(ref, wd, "after")
        elif rel == "this":
            d = _weekday_date(ref, wd, "onafter" if ctx.tense(s, e) != "past" else "onbefore")
        elif rel in ("the previous", "the preceding", "the prior", "previous"):
            anchor = ctx.anchor()
            d = _weekday_date(anchor[2] if anchor else ref, wd, "before")
        elif rel in ("the following", "the next"):
            anchor = ctx.anchor()
            d = _weekday_date(anchor[2] if anchor else ref, wd, "after")
        elif rel == "the same":
            anchor = ctx.anchor()
            d = _weekday_date(anchor[2] if anchor else ref, wd, "onbefore")
        else:
            d = _weekday_date(ref, wd, "onafter" if ctx.tense(s, e) == "future" else "onbefore")
        return _with_pod(d, pod)
    return ("TIME" if pod else "DATE"), _rel(resolve)


def _with_pod(d: date, pod: str) -> tuple[str, str]:
    if pod in ("noon", "midday"):
        return f"{d.isoformat()}T12:00", "time"
    if pod == "midnight":
        return f"{d.isoformat()}T24:00", "time"
    if pod:
        return f"{d.isoformat()}T{_POD[pod]}", "time"
    return d.isoformat(), "day"


def _p_today(m: re.Match, text: str):
    g = m.groupdict()
    word = g["w"].lower()
    if word.startswith("in"):
        if not g["mod"]:
            return None
        word = "today"  # "later in the day"
    offset = {"today": 0, "tonight": 0, "overnight": 0, "tomorrow": 1, "yesterday": -1}[word]
    offset += {"before": -1, "after": 1}.get((g["ba"] or "").lower(), 0)
    pod = (g["pod"] or ("tonight" if word == "tonight" else "")).lower()
    return ("TIME" if pod else "DATE"), _rel(lambda ctx, s, e: _with_pod(ctx.ref + timedelta(days=offset), pod))


def _p_partday(m: re.Match, text: str):
    g = m.groupdict()
    rel = " ".join(g["rel"].lower().split())
    pod = g["pod"].lower()

    def resolve(ctx: _Ctx, s: int, e: int):
        if rel in ("this", "last"):
            d = ctx.ref - timedelta(days=1 if rel == "last" else 0)
        else:
            anchor = ctx.anchor()
            d = anchor[2] if anchor and anchor[1] in ("day", "time") else ctx.ref
            d += timedelta(days=1 if rel in ("the next", "the following") else -1 if rel == "the previous" else 0)
        return _with_pod(d, pod)
    return "TIME", _rel(resolve)


_BACK = frozenset(("last", "past", "this past", "latest", "the latest", "previous", "preceding", "prior", "the past",
                   "the last", "the previous", "the preceding", "the prior"))
_AHEAD = frozenset(("next", "coming", "this coming", "following", "the next", "the coming", "the following",
                    "the upcoming"))
#: Counted from the last date the text mentioned, not from the reference date.
_ANAPHORIC = frozenset(("that", "the same", "that same", "the following", "the previous", "the preceding",
                        "the prior", "following", "previous", "preceding", "prior"))


def _p_relunit(m: re.Match, text: str):
    g = m.groupdict()
    rel = " ".join(g["rel"].lower().split())
    unit = g["u"].lower()
    mod = " ".join((g["mod"] or "").lower().split())
    edge = mod.endswith(" of")
    if g["u"][0].isupper() and not g["u"].isupper():  # "This Week", a programme
        return None
    if rel == "the" and unit not in ("weekend", "year", "week") and not (edge and unit in ("month", "decade",
                                                                                            "century")):
        return None
    if rel == "the" and unit in ("year", "week") and not edge:
        if _next_word(text, m.end()) in ("ended", "ending", "ends", "through", "to", "before", "after", "that",
                                         "when", "in", "of", "since", "following", "earlier", "later", "ahead"):
            if _next_word(text, m.end()) in ("ended", "ending", "ends", "through", "to"):
                return "DURATION", _explicit(_duration(1, unit), "duration")
            return None
    if unit == "day":
        if rel not in _ANAPHORIC and rel not in ("the next", "next") or (edge and rel == "the"):
            return None
    if unit == "weekend" and rel in ("the past", "the last", "past"):
        rel = "last"

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        anaphoric = rel in _ANAPHORIC or unit == "day"
        base = ref
        last = ctx.last
        if rel == "the" and not edge and last and last[1] == unit and ctx.same_sentence(last[3], s):
            return last[0], last[1]  # "in 1996, the year Congress ..."
        if anaphoric:
            anchor = ctx.anchor()
            base = anchor[2] if anchor else ref
        step = -1 if rel in _BACK else 1 if rel in _AHEAD or (unit == "day" and rel == "next") else 0
        if unit == "weekend":
            if step:
                sat = _weekday_date(base, 5, "before" if step < 0 else "after")
            elif base.weekday() >= 5:
                sat = base - timedelta(days=base.weekday() - 5)
            else:
                sat = _weekday_date(base, 5, "after" if ctx.tense(s, e) == "future" or rel == "this" else "before")
            return f"{_week(sat)}-WE", "week"
        if unit in ("decade", "century", "millennium"):
            span = {"decade": 10, "century": 100, "millennium": 1000}[unit]
            n = base.year // span + step
            return (f"{n}" if unit != "century" else f"{n:02d}"), ("decade" if unit == "decade" else None)
        d = _shift_date(base, unit, step)
        return _value_at(d, unit)
    return "DATE", _rel(resolve)


def _p_thistime(m: re.Match, text: str):
    g = m.groupdict()
    step = -1 if g["rel"].lower() == "last" else 1
    unit = g["u"].lower()
    return "DATE", _rel(lambda ctx, s, e: (_shift_date(ctx.ref, unit, step).isoformat(), "day"))


def _p_yearword(m: re.Match, text: str):
    w = m.group("w").lower().replace("’", "'")
    if "earlier" in w or "ago" in w:
        def resolve(ctx: _Ctx, s: int, e: int):
            q = ctx.last_quarter
            ctx.derived = True
            if q and ctx.same_sentence(q[2], s):
                return _quarter(q[0] - 1, q[1]), "quarter"
            return f"{ctx.ref.year - 1:04d}", "year"
        return "DATE", _rel(resolve)
    return "DATE", _rel(lambda ctx, s, e: (f"{ctx.ref.year:04d}", "year"))


_MONEYISH = re.compile(r"(?:\d|%|percent|cents?|dollars?|million|billion|trillion|times|euros?|pounds?|yen|"
                       r"rubles?|roubles?|hryvnias?|tons?|barrels?)\W{0,3}$", _I)


def _p_duration(m: re.Match, text: str):
    g = m.groupdict()
    if g["suf"] and g["suf"].lower() == "-old" or _next_word(text, m.end()) == "old":
        return None
    if g["u"][0].isupper() and not g["u"].isupper():  # "60 Minutes": a title
        return None
    if g["det"] and not g["adj"] and not g["mod"] and "-" in text[m.end("num"):m.start("u")]:
        return None  # "the 14-day period": the modifier alone ("14-day")
    unit = g["u"].lower().rstrip("s") if g["u"].lower() not in ("centuries",) else "centurie"
    unit = {"hr": "hour", "min": "minute", "sec": "second", "centurie": "century", "millenni": "millennium",
            "millennia": "millennium"}.get(unit, unit)
    num_text = g["num"].lower()
    n = _number(num_text)
    plural = g["u"].lower().endswith("s")
    if num_text in ("a", "an", "another") and unit in ("second", "quarter", "night", "minute") and not g["dir"]:
        return None
    if unit == "quarter" and _next_word(text, m.end()) == "of" and n is not None:
        return None
    direction = " ".join((g["dir"] or "").lower().split())
    end = None
    if direction and (_UNITS[unit][2] and direction != "ago" or direction in ("before", "after")
                      and not re.match(r"\s*(?:[,.;:)]|$)", text[m.end():m.end() + 3])):
        end = m.start("dir") - 1  # "two days after the vote", "an hour later": the length only
        while text[end - 1].isspace():
            end -= 1
        direction = ""
    if direction in ("", "or so"):
        if (num_text in ("a", "an") and not plural and not g["det"] and not g["adj"] and not g["mod"]
                and unit in ("year", "month", "week", "day", "hour")
                and _MONEYISH.search(text, max(0, m.start() - 30), m.start())):
            return "SET", _explicit(_duration(1, unit), "set")  # "$5 million a year"
        if g["frac"] and n is not None:
            n += 0.5
        value = _duration(n, unit)
        return "DURATION", _explicit(value, "duration"), end

    def resolve(ctx: _Ctx, s: int, e: int):
        if n is None:
            return ("FUTURE_REF" if direction in ("later", "after", "from now", "hence", "away") else "PAST_REF"), None
        k = int(n) if n == int(n) else n
        step = -1 if direction in ("ago", "earlier", "before", "back") else 1
        base, gran_anchor = ctx.ref, None
        anchor = ctx.last
        if direction in ("earlier", "later", "before", "after") and anchor and (
                anchor[1] in ("day", "time") or anchor[1] in ("month", "quarter", "season")
                and unit not in ("day", "night", "week", "weekend", "fortnight")):
            base, gran_anchor = anchor[2], anchor[1]
        elif direction == "ago" and anchor and anchor[1] == "quarter" and s - anchor[4] < 300:
            base, gran_anchor = anchor[2], anchor[1]  # "profit rose ... from $3 million a year ago"
        if base is not ctx.ref:
            ctx.derived = True  # a date counted from another is not itself an anchor
        if gran_anchor in ("day", "time") and unit not in ("day", "night", "week", "weekend", "fortnight"):
            gran_anchor = None
        if unit in ("hour", "minute", "second"):
            return ctx.ref.isoformat(), "day"
        if isinstance(k, float):  # "two and a half years ago": in months
            d = _shift_date(base, "month", step * round(k * {"year": 12, "decade": 120}.get(unit, 1)))
        else:
            d = _shift_date(base, "week" if unit == "weekend" else unit, step * k)
        order = ["day", "week", "month", "quarter", "season", "year"]
        shown = "year" if unit in ("decade", "century", "millennium") else unit
        if gran_anchor in order and shown in order and order.index(gran_anchor) < order.index(shown):
            shown = gran_anchor if gran_anchor != "season" else "month"
        return _value_at(d, shown)
    return "DATE", _rel(resolve)


_PLURAL_AFTER = frozenset("for within in over after took take takes lasted last spent than the".split())


def _p_plural(m: re.Match, text: str):
    """A bare plural unit after a preposition: "for years", "within weeks", "in the days before"."""
    if _prev_word(text, m.start()) not in _PLURAL_AFTER or _next_word(text, m.end()) in ("old", "ago"):
        return None
    unit = {"centuries": "century"}.get(m.group("u").lower(), m.group("u").lower()[:-1])
    return "DURATION", _explicit(_duration(None, unit), "duration")


def _p_time(m: re.Match, text: str):
    g = m.groupdict()
    if g["h"]:
        h = int(g["h"]) % 12 + (12 if g["ap"].lower().startswith("p") else 0)
        clock = f"T{h:02d}:{g['mi'] or '00'}"
    elif g["h2"]:
        clock = f"T{int(g['h2']):02d}:{g['mi2']}"
    elif g["h3"]:
        pm = (g["pod3"] or g["pod4"] or "").lower() in ("afternoon", "evening") or (
            (g["pod3"] or g["pod4"] or "").lower() == "night" and int(g["h3"]) >= 6)
        clock = f"T{int(g['h3']) % 12 + (12 if pm else 0):02d}:00"
    else:
        word = g["word"].lower().replace("-", "").replace(" ", "")
        clock = {"noon": "T12:00", "midday": "T12:00", "midnight": "T24:00", "midafternoon": "TAF",
                 "midmorning": "TMO"}[word]
    year = int(g["y"]) if g["y"] else None
    if g["mon"] and year is not None:
        try:
            day = date(year, _MONTHS[g["mon"].lower().rstrip(".")], int(g["d"]))
        except ValueError:
            return None
        return "TIME", _explicit(f"{day}{clock}", "time")
    day_res = None
    if g["mon"]:
        day_res = _month_day_resolver(_MONTHS[g["mon"].lower().rstrip(".")], int(g["d"]), None, None)

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        if day_res is not None:
            v = day_res(ctx, s, e)[0]
            return (f"{v}{clock}" if v else None), "time"
        if g["day"]:
            d = ref + timedelta(days={"tomorrow": 1, "yesterday": -1}.get(g["day"].lower(), 0))
        elif g["wd"]:
            wd = _WEEKDAYS[g["wd"].lower()]
            d = _weekday_date(ref, wd, "onafter" if ctx.tense(s, e) == "future" else "onbefore")
        else:
            d = ref
            last = ctx.last
            if last and last[1] in ("day", "time") and ctx.same_sentence(last[3], s):
                d = last[2]  # "on Oct. 23 ... at 10 p.m."
        return f"{d.isoformat()}{clock}", "time"
    return "TIME", _rel(resolve)


def _p_set(m: re.Match, text: str):
    g = m.groupdict()
    if g["adv"]:
        if g["adv"][0].isupper() and (_next_word(text, m.end(), raw=True)[:1].isupper() or re.search(
                r"[A-Z]\w*\s+$", text[max(0, m.start() - 20):m.start()])):
            return None  # "the Daily Telegraph", "In Touch Weekly": a name
        return "SET", _explicit(_SET_ADVERBS[g["adv"].lower()], "set")
    if g["freq"]:
        return "SET", _explicit(_duration(1, g["u1"].lower()), "set")
    if g["u3"]:
        unit = g["u3"].lower()
        return "SET", _explicit("P1Y" if unit == "annum" else _duration(1, unit), "set")
    if g["wd"]:
        return "SET", _explicit(f"XXXX-WXX-{_WEEKDAYS[g['wd'].lower()] + 1}", "set")
    if g["mon"]:
        return "SET", _explicit(f"XXXX-{_MONTHS[g['mon'].lower()]:02d}", "set")
    unit = g["u2"].lower().rstrip("s")
    if unit in _POD:
        return "SET", _explicit(f"XXXX-XX-XXT{_POD[unit]}", "set")
    n = _number(g["n"]) if g["n"] else 1
    n = (n or 1) * (2 if g["other"] else 1)
    return "SET", _explicit(_duration(n, unit), "set")


def _p_holiday(m: re.Match, text: str):
    g = m.groupdict()
    name = " ".join(g["h"].lower().replace("’", "'").split())
    name = "new year's" if name == "new year" else name
    fn = _HOLIDAYS[name]
    week = (g["wk"] or "").lower()
    rel = " ".join((g["rel"] or "").lower().split())

    def shown(d: date) -> tuple[str, str]:
        return (_week(d), "week") if week in ("week", "weekend") else (d.isoformat(), "day")
    if g["y"]:
        return "DATE", _explicit(*shown(fn(int(g["y"]))))

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        options = [fn(y) for y in (ref.year - 1, ref.year, ref.year + 1)]
        if rel in ("last", "this past"):
            d = max(o for o in options if o < ref)
        elif rel in ("next", "this coming"):
            d = min(o for o in options if o > ref)
        elif rel == "this":
            d = fn(ref.year)
        else:
            d = _choose(options, ref, ctx.tense(s, e), (timedelta(days=300), timedelta(days=183)))
        return shown(d)
    return "DATE", _rel(resolve)


def _p_ref(m: re.Match, text: str):
    g = m.groupdict()
    value = "PRESENT_REF" if g["present"] else "PAST_REF" if g["past"] else "FUTURE_REF"
    return "DATE", lambda ctx, s, e: (value, None, "relative")


# -- the families, with the words that can open them -------------------------------------------------------

_DETS = "the this that these those"
_ADJS = "past last next first final coming previous following remaining latest initial preceding ensuing " \
        "succeeding entire whole full same other"
_MONTH_WORDS = f"{_MF.lower().replace('|', ' ')} jan feb mar apr jun jul aug sep sept oct nov dec"
_WEEKDAY_WORDS = f"{_WD_NAMES.lower().replace('|', ' ')} mon tue tues wed thu thur thurs fri sat sun"
_EDGE_WORDS = "early mid late earlier later the beginning start end middle rest remainder first second latter " \
              "bulk balance turn"
_REL_WORDS = "last next this coming past previous following current preceding prior that the"

# Each family: a pattern tried at the words that can open it (``#``: any number), and its parser.
_P_NUMDATE = (r"(?:(?P<iy>1[6-9]\d\d|20\d\d)-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])"
              r"|(?P<a>[01]?\d|2\d|3[01])/(?P<b>[0-3]?\d)/(?P<sy>(?:1[6-9]|20)\d\d|\d\d))(?![\w/-])"
              r"(?:[T\s](?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?(?![\d:]))?")
_P_MONTH_DAY = (rf"(?P<wk>the\s+week\s+of\s+)?(?:{_WD_ANY},?\s+(?:the\s+)?)?(?:(?P<mod>around|early|late)\s+)?"
                rf"{_MON}\s*{_DAY}(?:,?\s+{_YEAR}|\s+['’](?P<yy>\d\d)(?!\w)|\s+(?P<yrel>this|last|next)\s+year"
                r"(?!['’\w]))?(?!\w)")
_P_WEEK_OF = (r"(?:the\s+)?(?P<o>first|second|third|fourth|last|final)\s+week\s+of\s+"
              rf"{_MONTH_FULL}(?:,?\s+{_YEAR})?(?!\w)")
_P_DAY_MONTH = rf"(?:{_WD_ANY},?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MON}(?!\w)(?:,?\s+{_YEAR})?"
_P_MONTH_YEAR = rf"(?:(?P<mod>early|mid|late)[\s-]+|(?P<mod2>{_MOD_EDGE})\s+)?{_MON},?\s+(?:of\s+)?{_YEAR}"
_P_MONTH = (rf"(?:(?P<rel>{_REL}|the\s+same)\s+)?(?:(?P<mod>early|mid|late)[\s-]+|(?P<mod2>{_MOD_EDGE})\s+)?"
            rf"{_MONTH_FULL}(?:\s+(?:of\s+)?(?P<yrel>this|last|next)\s+year(?!['’\w]))?(?![\w-])")
_P_YEAR = (r"(?:(?P<pre>(?:the\s+)?(?:fiscal|calendar|model|financial|tax)(?:\s+year)?|the\s+year)\s+"
           rf"|(?P<mod>early|mid|late|post|pre)(?:\s+|-)|(?P<mod2>{_MOD_EDGE})\s+)?"
           rf"(?<![\w$£€#/.]){_YEAR}(?![\w%-]|[.,]\d)")
_P_SPELLED_YEAR = (rf"(?:the\s+year\s+)?(?:nineteen\s+(?:hundred\s+(?:and\s+)?)?(?P<yy>{_NUMW})"
                   rf"|(?P<k>two\s+thousand)(?:\s+(?:and\s+)?(?P<yy2>{_NUMW}))?)(?!\w)")
_P_DECADE = (r"(?:(?P<mod2>the\s+(?:first|second|last|latter)\s+half\s+of)\s+)?(?P<the>the\s+)?"
             r"(?:(?P<mod>early|mid|late)[\s-]+)?(?:(?P<c>1\d|20)(?P<d>\d)0['’]?s|['’](?P<d2>\d)0s"
             r"|(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))(?!\w)")
_P_CENTURY = (r"(?P<the>the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)"
              rf"|(?P<w>twenty[\s-]first|{'|'.join(reversed(_ORDINALS))}))[\s-]+century(?!\w)")
_P_QUARTER = (r"(?:(?P<det>the|its|their|this|that)\s+)?(?:(?P<y>1[5-9]\d\d|20\d\d)(?:['’]s)?\s+"
              r"|(?P<yrel>this|last|next)\s+year['’]s\s+|(?P<ago>year[\s-](?:earlier|ago))\s+)?"
              r"(?:(?:fiscal|calendar)[\s-]+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|final)[\s-]+"
              r"(?:fiscal[\s-]+)?quarter(?![\w-])"
              r"(?:\s+of\s+(?:(?:fiscal|calendar)\s+)?(?:(?P<y2>1[5-9]\d\d|20\d\d)(?!\d)"
              r"|(?P<yrel2>this|last|next|the)\s+(?:fiscal\s+)?year(?!\w)))?")
_P_QTOKEN = r"(?-i:Q(?P<qn>[1-4]))(?:[\s-]?(?P<y>(?:19|20)\d\d)|\s+['’](?P<yy>\d\d))?(?!\w)"
_P_RELQUARTER = (r"(?:(?P<det>the|this|that|its|their)\s+)?"
                 r"(?:(?P<rel>latest|current|last|next|previous|prior|past|same|comparable|coming|most\s+recent"
                 r"|recent|just[\s-]ended|corresponding|year[\s-](?:earlier|ago))\s+)?"
                 r"(?:(?P<y>1[5-9]\d\d|20\d\d)\s+)?(?:(?:fiscal|calendar)\s+)?(?P<u>quarter|period)(?![\w-])"
                 r"(?:\s+(?P<tail>a\s+year\s+(?:earlier|ago|before)|(?:of\s+)?(?:last|this|next)\s+year))?"
                 r"(?=(?P<ended>\s+(?:that\s+)?(?:ended|ending|ends|through)"
                 rf"\s+{_MON}\s*(?P<d>3[01]|[12]\d|0?[1-9])\b(?:,?\s+{_YEAR2})?)?)")
_P_HALF = (r"(?:the\s+)?(?P<h>first|second|last|latter|back|front)[\s-]+half"
           r"(?:\s+of\s+(?:(?:the\s+)?(?:fiscal|calendar)\s+)?"
           r"(?:(?P<y>1[5-9]\d\d|20\d\d)(?!\d)|(?P<yrel>this|last|next|the)\s+(?:fiscal\s+)?year(?!\w)))?")
_P_SEASON = (rf"(?:(?P<rel>{_REL}|the\s+same|the)\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?"
             rf"(?P<s>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?{_YEAR}|,\s+{_YEAR2}"
             r"|\s+of\s+(?P<yrel>this|last|next)\s+year(?!['’\w]))?(?![\w-])")
_P_WEEKDAY = (rf"(?:(?P<rel>{_REL}|the\s+next|the\s+same|the\s+preceding|the\s+prior)\s+)?{_WD}(?P<pl>s)?"
              r"(?:\s+(?P<pod>morning|afternoon|evening|night|noon|midnight)(?P<podpl>s)?)?(?!\w)")
_P_TODAY = (r"(?:(?P<mod>early|late|earlier|later)\s+)?(?:the\s+day\s+(?P<ba>before|after)\s+)?"
            r"(?P<w>today|tonight|tomorrow|yesterday|overnight|(?<=earlier\s)in\s+the\s+day"
            r"|(?<=later\s)in\s+the\s+day)(?:\s+(?P<pod>morning|afternoon|evening|night))?(?!\w)")
_P_PARTDAY = (r"(?:(?P<mod>early|late|earlier|later)\s+)?"
              r"(?P<rel>this|last|that|the\s+next|the\s+following|the\s+same|the\s+previous)\s+"
              r"(?P<pod>morning|afternoon|evening|night)(?!\w)")
_P_RELUNIT = (rf"(?:(?P<mod>early|late|earlier|later|{_MOD_EDGE})\s+)?"
              r"(?P<rel>this|last|next|past|coming|current|previous|following|preceding|prior|that|this\s+past"
              r"|this\s+coming|the\s+(?:past|last|next|coming|current|previous|following|preceding|prior|same"
              r"|present|upcoming|latest)|that\s+same|latest|the)\s+"
              r"(?:(?P<kind>fiscal|calendar|school|academic|financial|full)\s+)?"
              r"(?P<u>week|weekend|month|year|decade|century|millennium|day)(?:\s+or\s+so)?(?![\w-])")
_P_THISTIME = r"(?:this\s+time|this\s+date)\s+(?P<rel>last|next)\s+(?P<u>year|month|week)(?!\w)"
_P_YEARWORD = r"(?P<w>year[\s-]?end|yearend|year['’]s\s+end|year-(?:earlier|ago))(?![\w-])"
_P_DURATION = (rf"(?:(?P<det>{_DETS.replace(' ', '|')})\s+)?(?:(?P<adj>{_ADJS.replace(' ', '|')})\s+)?"
               r"(?:(?P<mod>approximately|nearly|almost|more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most"
               r"|up\s+to|roughly|some|another|an\s+additional|an\s+extra|a\s+further|a\s+full|upwards\s+of)\s+)?"
               rf"(?P<num>{_NUMTOK})(?:\s*(?:to|or|-|–)\s*(?P<num2>{_NUMTOK}))?[\s-]+"
               r"(?:(?P<fill>more|additional|extra|straight|consecutive|full|long|trading|business|working"
               rf"|calendar|fiscal|school|solid)[\s-]+)?{_UNIT}(?P<frac>\s+and\s+a\s+half)?"
               r"(?P<suf>-long|-old|-plus)?(?:\s+or\s+so)?"
               r"(?:\s+(?P<dir>ago|earlier|later|before|after|from\s+now|hence|back|away)(?!\w))?(?![\w-])")
_P_PLURAL = r"(?P<u>years|months|weeks|days|decades|hours|centuries)(?![\w'’-])"
_P_TIME = (r"(?:(?P<mod>around|approximately|roughly)\s+)?"
           r"(?:(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.\s?m\b\.?|[ap]m(?!\w))"
           r"|(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?::[0-5]\d)?(?![\d:])"
           r"|(?P<h3>1[0-2]|0?[1-9])\s+(?:o['’]clock(?:\s+in\s+the\s+(?P<pod3>morning|afternoon|evening|night))?"
           r"|in\s+the\s+(?P<pod4>morning|afternoon|evening|night))"
           r"|(?P<word>noon|midnight|midday|mid[\s-]?afternoon|mid[\s-]?morning))"
           rf"(?:\s+(?:{_TZ}))?(?:,?\s+(?:on\s+)?(?:(?P<day>today|tonight|tomorrow|yesterday)|{_WD}"
           rf"|{_MON}\s*(?P<d>3[01]|[12]\d|0?[1-9])(?![\d:])(?:,?\s+{_YEAR})?))?(?!\w)")
_P_SET = (rf"(?P<adv>{'|'.join(sorted(_SET_ADVERBS, key=len, reverse=True))})(?![\w-])"
          rf"|(?P<freq>once|twice|thrice|(?:{_NUMW}|\d+|several|many)\s+times)\s+(?:a|an|per|every|each)\s+"
          r"(?P<u1>year|month|week|day|hour|minute|decade|quarter|fortnight)(?!\w)"
          rf"|(?:every|each)\s+(?P<other>other\s+)?(?:(?P<n>{_NUMW}|\d{{1,3}}|few|couple\s+of)\s+)?"
          r"(?:(?P<u2>years?|months?|weeks?|days?|hours?|minutes?|decades?|quarters?|weekends?|mornings?"
          rf"|afternoons?|evenings?|nights?)|(?-i:(?P<wd>{_WD_NAMES})|(?P<mon>{_MF})))(?!\w)"
          r"|per\s+(?P<u3>year|month|week|day|hour|minute|annum|quarter)(?!\w)")
_P_HOLIDAY = (r"(?:(?P<rel>last|next|this|this\s+past|this\s+coming)\s+)?"
              r"(?-i:(?P<h>Christmas\s+Eve|Christmas\s+Day|Orthodox\s+Christmas|New\s+Year['’]s\s+Eve"
              r"|New\s+Year['’]s\s+Day|New\s+Year(?:['’]s)?|Thanksgiving\s+Day|Thanksgiving|Easter\s+Sunday"
              r"|Easter\s+Monday|Easter|Good\s+Friday|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Veterans\s+Day"
              r"|Halloween|Election\s+Day|Valentine['’]s\s+Day|Boxing\s+Day|Victory\s+Day|Christmas))"
              r"(?:\s+(?P<wk>week|weekend))?(?:,?\s+(?P<y>1[5-9]\d\d|20\d\d)(?!\d))?(?!\w)")
_P_REF = (r"(?:(?P<present>now|currently|nowadays|these\s+days|presently|the\s+present(?:\s+day)?"
          r"|at\s+the\s+moment)"
          r"|(?P<past>recently|lately|formerly|the\s+past|past\s+(?:years|decades)"
          r"|recent\s+(?:days|weeks|months|quarters|years|decades|times|history))"
          r"|(?P<future>the\s+(?:near\s+|distant\s+|foreseeable\s+|immediate\s+)?future"
          r"|future(?=\s+(?:years|months|quarters|weeks|decades|generations))"
          r"|the\s+(?:near|short|long|medium)\s+term|a\s+later\s+date|as\s+soon\s+as\s+possible"
          r"|(?:the\s+)?(?:coming|next\s+few)\s+(?:days|weeks|months|quarters|years|decades)"
          r"|the\s+(?:days|weeks|months|years)\s+ahead))(?![\w-])")

_FAMILIES = [  # name, pattern, parser, priority among overlaps of equal length (lower wins), opening words
    _Family("numdate", _P_NUMDATE, _p_numdate, 0, "#"),
    _Family("month_day", _P_MONTH_DAY, _p_md, 1, f"{_MONTH_WORDS} {_WEEKDAY_WORDS} around early late the"),
    _Family("day_month", _P_DAY_MONTH, _p_md, 1, f"# the {_WEEKDAY_WORDS}"),
    _Family("week_of", _P_WEEK_OF, _p_week_of, 1, "the first second third fourth last final"),
    _Family("month_year", _P_MONTH_YEAR, _p_month_year, 2, f"{_MONTH_WORDS} {_EDGE_WORDS}"),
    _Family("month", _P_MONTH, _p_month, 3, f"{_MF.lower().replace('|', ' ')} {_REL_WORDS} {_EDGE_WORDS}"),
    _Family("year", _P_YEAR, _p_year, 4, f"# fiscal calendar model financial tax {_EDGE_WORDS} post pre"),
    _Family("spelled_year", _P_SPELLED_YEAR, _p_spelled_year, 4, "the nineteen two"),
    _Family("decade", _P_DECADE, _p_decade, 4, "# ' ’ the early mid late"),
    _Family("century", _P_CENTURY, _p_century, 4, f"# the early mid late twenty {' '.join(_ORDINALS)}"),
    _Family("quarter", _P_QUARTER, _p_quarter, 2, "the its their this that # last next year fiscal calendar first "
                                                  "second third fourth final"),
    _Family("qtoken", _P_QTOKEN, _p_quarter, 2, "q1 q2 q3 q4"),
    _Family("relquarter", _P_RELQUARTER, _p_relquarter, 5, "the this that its their latest current last next "
                                                           "previous prior past same comparable coming most recent "
                                                           "just corresponding year"),
    _Family("half", _P_HALF, _p_half, 3, "the first second last latter back front"),
    _Family("season", _P_SEASON, _p_season, 3, f"spring summer fall autumn winter {_REL_WORDS} early mid late"),
    _Family("weekday", _P_WEEKDAY, _p_weekday, 3, f"{_WD_NAMES.lower().replace('|', ' ')} "
                                                  f"{_WD_NAMES.lower().replace('|', 's ')}s {_REL_WORDS}"),
    _Family("today", _P_TODAY, _p_today, 3, "today tonight tomorrow yesterday overnight early late earlier later "
                                            "the"),
    _Family("partday", _P_PARTDAY, _p_partday, 3, "this last that the early late earlier later"),
    _Family("relunit", _P_RELUNIT, _p_relunit, 4, f"{_REL_WORDS} {_EDGE_WORDS}"),
    _Family("thistime", _P_THISTIME, _p_thistime, 3, "this"),
    _Family("yearword", _P_YEARWORD, _p_yearword, 5, "year yearend"),
    _Family("duration", _P_DURATION, _p_duration, 6, f"{_DETS} {_ADJS} approximately nearly almost more less "
                                                     f"fewer at up roughly some another upwards {' '.join(_ONES)} "
                                                     f"{' '.join(_TENS)} a an couple few several many dozen dozens "
                                                     f"hundreds thousands half #"),
    _Family("plural", _P_PLURAL, _p_plural, 8, "years months weeks days decades hours centuries"),
    _Family("time", _P_TIME, _p_time, 2, "# noon midnight midday mid midafternoon midmorning around approximately "
                                         "roughly"),
    _Family("set", _P_SET, _p_set, 3, f"{' '.join(_SET_ADVERBS)} once twice thrice every each per several many # "
                                      f"{' '.join(_ONES + _TENS)}"),
    _Family("holiday", _P_HOLIDAY, _p_holiday, 2, "last next this christmas orthodox new thanksgiving easter good "
                                                  "independence labor memorial veterans halloween election "
                                                  "valentine boxing victory"),
    _Family("ref", _P_REF, _p_ref, 7, "now currently nowadays these presently the at recently lately formerly "
                                      "recent future a as coming next past"),
]

_TRIGGERS: dict[str, tuple[_Family, ...]] = {}
for _fam in _FAMILIES:
    for _w in _fam.opens.split():
        _TRIGGERS[_w] = _TRIGGERS.get(_w, ()) + (_fam,)
_TOKEN = re.compile(r"\w+|['’](?=\d0s)")
#: Frequent function words open a family only when the next word could continue a time expression.
_GATED = frozenset("the a an this that these those its their some at more less up as".split())
_FOLLOW = frozenset(_TRIGGERS) | frozenset(f"""
    {' '.join(_UNITS)} years months weeks days nights hours minutes seconds decades centuries quarters weekends
    period term moment near distant foreseeable immediate short long medium most comparable corresponding recent
    same latest upcoming present school academic financial full least than to soon possible later additional extra
    further another whole entire
    morning afternoon evening night {' '.join(_DECADE_WORDS)} {' '.join(_ORDINALS)}""".split())
