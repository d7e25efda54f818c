"""World knowledge that dates a text: office holders named with their title, dated events, deaths.

"Secretary of State Mike Pompeo" was written while he held the office (or, read softly, at least after
he took it); "former President Obama" after Obama left office; "President-elect Biden" between the
election and the inauguration; "the late Justice Scalia" after Scalia died; "the Parkland shooting"
after 2018-02-14. The tables are editable TOML files: ``data/offices.toml`` and ``data/events.toml``
(``STORYLINE_OFFICES`` / ``STORYLINE_EVENTS`` may point at replacements).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from .daterange import DateCue, cue, debris_spans, inside

DATA = Path(__file__).resolve().parent.parent / "data"

# weights: how often a cue of the kind holds (tuned on allsides-12k rows outside the evaluation sample)
W_TOOK_OFFICE = 4.0      # named in office: written on or after the term began
W_IN_OFFICE = 1.5        # ... and, the latest holder named, before it ended
W_FORMER = 3.5
W_ELECT = 4.0
W_LATE = 4.0
W_EVENT = 3.0

GRACE_BEFORE = 14        # days a title may run ahead of the swearing-in (named, then confirmed)
GRACE_AFTER = 10         # days an old title lingers after a term ends
GRACE_FORMER = 3         # days before a term ends that "former" may already be written
GRACE_TRANSITION = 80    # "the Trump administration" is written from the election on
#: bare titles used as courtesy for life ("Secretary Clinton", "Governor Palin"): no upper bound from them
COURTESY = frozenset({"secretary", "director", "chairman", "chair", "administrator", "governor", "gov", "gov.",
                      "senator", "sen.", "sen", "judge", "leader", "king", "queen", "prince", "congressman",
                      "congresswoman",
                      # a justice stays "Justice" in retirement and in history ("Justice O'Connor wrote in 1992")
                      "justice", "associate justice", "chief justice", "supreme court justice"})

_NAME_TOKEN = (r"(?:[A-ZÀ-Ý][\w'’.\-]*|(?:al|el|ad|as|an|ash|at|ibn|bin)-[A-ZÀ-Ý][\w'’.\-]*|"
               r"(?:von|van|der|den|de|da|del|di|bin|ibn|al|el|le|la|du|dos)(?=\s))")
_NAME_AFTER = re.compile(rf"(?:\s+{_NAME_TOKEN}){{1,5}}")
_QUALIFIER = re.compile(r"\b(?i:(?P<q>former|ex|then|late|acting|incoming|outgoing|interim|future|would-be|onetime|"
                        r"one-time|erstwhile|fired|ousted|sacked|dismissed|disgraced|eventual|under|during|by|"
                        r"newly[ -](?:elected|appointed|named|installed|confirmed)|designated|presumptive|"
                        r"(?:nominee|pick|choice|nominated|tapped|named)\s+(?:for|as|to\s+be)|"
                        r"lt|lieutenant|deputy|vice|assistant|under|for|a|an|(?:19|20)\d\d,?))\.?(?:\s+|–|-)"
                        r"(?:[A-Z][\w.’'\-]*\s+|"
                        r"(?i:presidential|presumptive|democratic|republican|gop|party|de facto)\s+){0,3}$")
#: qualifiers that name another office ("Lt. Gov.", "Deputy Secretary of State") or a hypothetical one
_NOT_THIS_OFFICE = frozenset({"lt", "lieutenant", "deputy", "vice", "assistant", "a", "an", "future", "would-be"})
#: qualifiers of someone out of the office
_OUT = frozenset({"former", "ex", "onetime", "one-time", "erstwhile", "late", "fired", "ousted", "sacked", "dismissed",
                  "disgraced"})
#: qualifiers of someone about to take the office
_INCOMING = ("incoming", "newly", "designated", "presumptive", "nominee", "pick", "choice", "nominated", "tapped",
             "named")
#: words that may follow a name after a title without being part of it
_NOT_NAME = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december on in at the a an and but said says told for of to with from by as
who whose which that this these those he she it they his her its their jr sr""".split())
ADMINISTRATION_OFFICE = "US president"
_ADMINISTRATION = re.compile(r"(?<![-–])\b(?P<name>Clinton|Bush|Obama|Trump|Biden)(?:'s|’s)?(?:\s+|-)(?P<what>administration|"
                             r"White\s+House|presidency|era|years)\b")
#: a qualifier predicted, not stated: "will become former President X", "would be President-elect X"
_BECOME = re.compile(r"\b(?:become|becomes|becoming|will be|would be|could be|to be)\s+(?:the\s+)?"
                     r"(?:\w+\s+){0,1}(?:former|ex|late|incoming|newly|presumptive)\b[^.!?]{0,40}$", re.I)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_STATES = ("Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
           "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
           "Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|"
           "North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|"
           "Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming")
#: words before a title that make it another office than the table's one-holder office: a state's ("Florida
#: Attorney General Pam Bondi"), another race's ("Senate candidate Beto O'Rourke"), a deputy's ("former Deputy
#: Secretary of Defense Ash Carter")
_OTHER_OFFICE = re.compile(rf"(?:\b(?:{_STATES}|[Ss]tate|county|city)(?:'s|’s)?|"
                           r"\b(?:[Dd]eputy|[Vv]ice|[Aa]ssistant|Under|Lt|Lieutenant|Associate|Principal))\.?\s+$")
_OTHER_RACE = re.compile(r"\b(?:Senate|House|gubernatorial|mayoral|congressional|[Gg]overnor's|[Mm]ayor's)\s+$")


@dataclass(frozen=True, slots=True)
class Term:
    office: str
    name: str
    start: date
    end: date | None
    elected: date | None
    shared: bool


@dataclass(frozen=True)
class World:
    """The loaded tables: titles -> name forms -> terms; events; deaths."""

    title_rx: re.Pattern
    forms: dict[str, dict[str, list[Term]]]        # folded title -> folded name form -> terms
    appos_rx: re.Pattern                           # a known name, then ", the ... TITLE"
    name_forms: dict[str, list[Term]]              # folded name form -> terms (any office)
    titles_of: dict[str, set[str]]                 # office -> folded titles
    event_rx: re.Pattern | None
    events: dict[str, tuple[date, bool, str, bool]]   # name as written -> (date, news, first name, coined)
    late_rx: re.Pattern | None
    deaths: dict[str, tuple[date, str]]            # folded name form -> (date, name)


def fold(text: str) -> str:
    from ..nlp.names import ascii_fold

    return ascii_fold(text.replace(".", " "))


def _forms(name: str, short: str | None, aliases: list[str]) -> set[str]:
    """The folded forms a holder is named by after a title: full names, first + last, the surname."""
    out = set()
    for full in [name, *aliases]:
        f = fold(full)
        out.add(f)
        words = [w for w in f.split() if len(w) > 1 or not w.isalpha()]  # initials dropped
        if len(words) >= 2:
            out.add(" ".join(words))
            out.add(f"{words[0]} {words[-1]}")
    if short:
        out.add(fold(short))
    else:
        words = fold(name).split()
        if words[-1] in ("jr", "sr", "ii", "iii", "iv") and len(words) > 1:
            words = words[:-1]
        out.add(words[-1])
    return {f for f in out if f}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@lru_cache(maxsize=4)
def load_world(offices_path: str | None = None, events_path: str | None = None) -> World:
    """The office and event tables (cached per process); a broken file is a ``UsageError`` naming it."""
    from ..errors import UsageError

    offices_path = offices_path or os.environ.get("STORYLINE_OFFICES") or str(DATA / "offices.toml")
    events_path = events_path or os.environ.get("STORYLINE_EVENTS") or str(DATA / "events.toml")
    try:
        offices = tomllib.loads(Path(offices_path).read_text(encoding="utf-8")).get("office", [])
        ev = tomllib.loads(Path(events_path).read_text(encoding="utf-8"))
        forms: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        name_forms: dict[str, list[Term]] = defaultdict(list)
        titles_of: dict[str, set[str]] = defaultdict(set)
        raw_titles: set[str] = set()
        for office in offices:
            key, shared = office["key"], bool(office.get("shared", False))
            for h in office["holders"]:
                term = Term(key, h["name"], date.fromisoformat(h["from"]), _day(h.get("to")),
                            _day(h.get("elected")), shared)
                for f in _forms(h["name"], h.get("short"), list(h.get("aliases", []))):
                    name_forms[f].append(term)
                    for t in office["titles"]:
                        forms[fold(t)][f].append(term)
            for t in office["titles"]:
                titles_of[key].add(fold(t))
                raw_titles.add(t)
        events: dict[str, tuple[date, bool, str, bool]] = {}
        for e in ev.get("event", []):
            when, news, coined = date.fromisoformat(e["date"]), bool(e.get("news", False)), bool(e.get("coined"))
            for n in e["names"]:
                for variant in {n, n[:1].upper() + n[1:]}:
                    events[variant] = (when, news, e["names"][0], coined)
        deaths: dict[str, tuple[date, str]] = {}
        for d in ev.get("died", []):
            when = date.fromisoformat(d["date"])
            for f in _forms(d["name"], None, list(d.get("aliases", []))):
                deaths[f] = (when, d["name"])
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"could not read the office or event table ({offices_path}, {events_path}): {exc}; "
                         "fix the file or unset STORYLINE_OFFICES / STORYLINE_EVENTS") from exc
    alternation = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(raw_titles, key=len, reverse=True))
    title_rx = re.compile(rf"(?:(?<=[Tt]hen-)|(?<=[Tt]hen–)|(?<=[Ee]x-)|(?<![\w-]))(?i:(?P<title>{alternation}))"
                          r"(?P<elect>-elect)?(?=\s+[A-ZÀ-Ý])")
    appos_rx = re.compile(rf",\s+(?:(?:the|a|an|his|her|its|[A-Z][\w.]*(?:'s|’s))\s+)?"
                          r"(?P<q>(?:former|then|acting|outgoing|incoming|current|late|then-)\s*-?\s*)?"
                          rf"(?:[A-Z][\w.\-]*\s+){{0,2}}(?i:(?P<title>{alternation}))(?P<elect>-elect)?\b")
    event_rx = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(events, key=len, reverse=True))
                          + r")(?![\w-])") if events else None
    late_rx = re.compile(r"\b[Tt]he\s+late\s+") if deaths else None
    return World(title_rx, {k: dict(v) for k, v in forms.items()}, appos_rx, dict(name_forms), dict(titles_of),
                 event_rx, events, late_rx, deaths)


def _name_after(text: str, pos: int, forms: dict[str, list[Term]]) -> tuple[list[Term], int] | None:
    """The holders named right after ``pos`` (longest matching form first), and where the name ends."""
    m = _NAME_AFTER.match(text, pos)
    if not m:
        return None
    tokens = list(re.finditer(_NAME_TOKEN, m.group()))
    for n in range(len(tokens), 0, -1):
        words = [_POSSESSIVE.sub("", t.group()).rstrip(".,") for t in tokens[:n]]
        if n < len(tokens) and not _POSSESSIVE.search(tokens[n - 1].group()) and \
                fold(tokens[n].group()) not in _NOT_NAME and not tokens[n - 1].group().endswith((".", ",")):
            continue   # "Sen. Kelly Ayotte" is not Sen. (Mark) Kelly: the name goes on
        key = fold(" ".join(words))
        if key in forms:
            return forms[key], pos + tokens[n - 1].end() - (1 if words[-1] != tokens[n - 1].group() and
                                                            tokens[n - 1].group().endswith(".") else 0)
        dropped = " ".join(w for w in key.split() if len(w) > 1)
        if dropped != key and dropped in forms:
            return forms[dropped], pos + tokens[n - 1].end()
    return None


def _quoted(text: str, start: int, end: int) -> bool:
    return start > 0 and text[start - 1] in "“\"‘'" and text[end:end + 1] in ("”", '"', "’", "'")


def _name_before(words: str, forms: dict[str, list[Term]]) -> tuple[list[Term], int] | None:
    """The holders named at the end of ``words`` (the longest matching tail)."""
    tokens = [_POSSESSIVE.sub("", w).rstrip(".,") for w in words.split()]
    for i in range(len(tokens)):
        key = fold(" ".join(tokens[i:]))
        if key in forms:
            return forms[key], len(words)
    return None


def _qualifier(text: str, start: int) -> str | None:
    m = _QUALIFIER.search(text, max(0, start - 60), start)
    if not m:
        return None
    q = m.group("q").lower().split()[0].split("-")[0].rstrip(",")
    if q[:2] in ("19", "20"):
        return "year"
    return "incoming" if q in _INCOMING else q


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    title: str
    qualifier: str | None
    elect: bool
    terms: tuple[Term, ...]


def _mentions(text: str, world: World) -> list[_Mention]:
    masked = debris_spans(text)
    return [m for m in _all_mentions(text, world) if not inside(m.start, masked)]


def _all_mentions(text: str, world: World) -> list[_Mention]:
    out: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    for m in world.title_rx.finditer(text):
        title = fold(m.group("title"))
        found = _name_after(text, m.end(), world.forms.get(title, {}))
        if not found:
            continue
        terms, end = found
        if _quoted(text, m.start(), end):
            continue   # “President Biden”: the words, not the person in office
        out.append(_Mention(m.start(), end, title, _qualifier(text, m.start()), bool(m.group("elect")),
                            tuple(terms)))
        taken.append((m.start(), end))
    # apposition: "Mike Pompeo, the secretary of state," / "Lavrov, Russia's foreign minister"
    for m in re.finditer(rf"(?<![\w.]){_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,3}}(?=,)", text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        a = world.appos_rx.match(text, m.end())
        if not a or any(m.end() < b and a0 < a.end() + 2 for a0, b in taken):
            continue   # "Gov. Bobby Jindal, former Florida Gov. Jeb Bush": the title of the next name
        title = fold(a.group("title"))
        found = _name_before(m.group(), world.forms.get(title, {}))
        if not found:
            continue
        q = (a.group("q") or "").strip(" -").lower() or None
        out.append(_Mention(m.start(), a.end(), title, q, bool(a.group("elect")), tuple(found[0])))
    # "the Trump administration", "the Obama White House", "Bush-era": the president's term
    presidents = world.forms.get("president", {})
    for m in _ADMINISTRATION.finditer(text):
        terms = [x for x in presidents.get(fold(m["name"]), ()) if x.office == ADMINISTRATION_OFFICE]
        if terms:
            q = _qualifier(text, m.start())
            q = q if q in ("a", "an", "future", "would-be") else None   # "the incoming X administration" lingers
            # "the Trump administration" may mean the one in office; "Obama-era", "the Bush White House",
            # "Clinton's presidency" are mostly history
            out.append(_Mention(m.start(), m.end(), "administration" if m["what"] == "administration" else "era",
                                q or ("then" if m["what"] != "administration" else None), False, tuple(terms)))
    return out


def _named_anywhere(text: str, world: World) -> dict[str, list[Term]]:
    """Office -> holders whose full name or surname the text has anywhere (with a title or not)."""
    out: dict[str, list[Term]] = defaultdict(list)
    words = set(fold(text).split())
    folded = None
    for form, terms in world.name_forms.items():
        parts = form.split()
        if not all(p in words for p in parts):
            continue
        if len(parts) > 1:
            folded = folded if folded is not None else f" {fold(text)} "
            if f" {form} " not in folded:
                continue
        for x in terms:
            out[x.office].append(x)
    return out


_YEAR = re.compile(r"(?<![\d$€£])(?:19|20)\d\d(?!\d)|\b(?:at\s+the\s+time|then)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s|\n")


def _history(text: str, pos: int, end: int) -> bool:
    """A holder named in a sentence that names a year or says "at the time" / "then" is told of as history
    ("Mexican President Felipe Calderón's emails in 2010": held 0.8 of the time against 0.98 without, on
    allsides-12k rows outside the evaluation sample), and so is one named in the possessive ("President
    Obama's foreign policy", "special counsel Robert Mueller's investigation") or as the previous or past
    holder: no bound from above."""
    if _POSSESSIVE.search(text, end - 2, end) or text.startswith(("'s", "’s"), end) or \
            re.search(r"\b(?:previous|past|prior|earlier|then)\s+(?:[\w.]+\s+){0,3}$", text[max(0, pos - 40):pos], re.I):
        return True
    starts = [m.end() for m in _SENTENCE_END.finditer(text, max(0, pos - 400), pos)]
    lo = starts[-1] if starts else max(0, pos - 400)
    end = _SENTENCE_END.search(text, pos)
    return bool(_YEAR.search(text, lo, end.start() + 1 if end else min(len(text), pos + 400)))


def _iso(d: date | None) -> str:
    return d.isoformat() if d else "today"


def office_cues(text: str, today: date, world: World | None = None) -> list[DateCue]:
    """Cues from office holders named with a title (see the module docstring)."""
    world = world or load_world()
    t = today.toordinal()
    out: list[DateCue] = []
    in_office: dict[str, list[tuple[_Mention, Term]]] = defaultdict(list)
    mentions = _mentions(text, world)
    # a holder the text also calls "-elect" or "incoming" is given the title ahead of the swearing-in ("I would
    # like to congratulate President Trump", said the day after the election): from the election on
    elected = {x: x.elected or x.start - timedelta(days=GRACE_TRANSITION)
               for m in mentions if m.elect or m.qualifier == "incoming" for x in m.terms}
    for m in mentions:
        said = text[m.start:m.end]
        q = m.qualifier
        if q in _NOT_THIS_OFFICE:
            continue   # "a President Clinton would ...", "Lt. Gov. Gavin Newsom": not this office, not now
        if q and _BECOME.search(text, max(0, m.start - 80), m.start):
            continue   # "he is going to become former President X": a prediction, not a fact of the day
        terms = [x for x in m.terms]
        if m.title not in ("administration", "era") and (
                _OTHER_RACE.search(text, max(0, m.start - 30), m.start) or
                not terms[0].shared and _OTHER_OFFICE.search(text, max(0, m.start - 30), m.start)):
            continue
        first = min(x.start for x in terms)
        if q == "incoming" and not m.elect:
            continue   # "incoming", "nominee for", "pick": held 3 times in 13 (allsides rows outside the sample)
        if m.elect:
            pairs = []
            for x in terms:
                since = x.elected or x.start - timedelta(days=80)
                pairs.append(((since - timedelta(days=2)).toordinal(), (x.start + timedelta(days=2)).toordinal()))
            c = cue("elect", said, m.start, m.end, pairs, W_ELECT, f"{terms[0].name}: elected, took office "
                    f"{' or '.join(sorted({x.start.isoformat() for x in terms}))}", today=t)
            out += [c] if c else []
            continue
        if q in _OUT:
            # out of office: after a term ended and not inside another one
            by_person: dict[tuple[str, str], list[Term]] = defaultdict(list)
            for x in terms:
                by_person[(x.office, x.name)].append(x)
            pairs = []
            for ts in by_person.values():
                ts.sort(key=lambda x: x.start)
                for i, x in enumerate(ts):
                    if x.end is None:
                        continue
                    nxt = ts[i + 1].start if i + 1 < len(ts) else None
                    pairs.append(((x.end - timedelta(days=GRACE_FORMER)).toordinal(),
                                  (nxt + timedelta(days=GRACE_FORMER)).toordinal() if nxt else t))
            c = cue("former", said, m.start, m.end, pairs, W_FORMER,
                    f"{terms[0].name}: left office {', '.join(sorted({_iso(x.end) for x in terms if x.end}))}",
                    today=t)
            out += [c] if c else []
            continue
        grace = GRACE_TRANSITION if m.title in ("administration", "era") else GRACE_BEFORE
        early = [elected[x] for x in terms if x in elected]
        since = min([first - timedelta(days=grace), *(e - timedelta(days=2) for e in early)])
        c = cue("took-office", said, m.start, m.end, [(since.toordinal(), t)],
                W_TOOK_OFFICE, f"{terms[0].name}: took office {first.isoformat()}", today=t)
        out += [c] if c else []
        if q in ("acting", "interim", "current", None) and m.title not in COURTESY and \
                not _history(text, m.start, m.end):
            for x in terms:
                in_office[x.office].append((m, x))
    # a holder the text also calls "former" holds it no longer ("Biden, the vice president" in the history a
    # text about "former Vice President Joe Biden" tells)
    gone = {(x.office, x.name) for m in mentions if m.qualifier in _OUT for x in m.terms}
    in_office = {o: [(m, x) for m, x in pairs if (o, x.name) not in gone] for o, pairs in in_office.items()}
    in_office = {o: pairs for o, pairs in in_office.items() if pairs}
    named = _named_anywhere(text, world) if in_office else {}
    # "Vice President Biden", "candidate Trump": named, but not as this office's later holder
    titled = {(x.name, x.office) for m in mentions for x in m.terms}
    titled_elsewhere = {(n, o) for n, _ in titled for o in world.titles_of if (n, o) not in titled}
    for office, pairs in in_office.items():
        if not pairs[0][1].shared:   # the latest holder named: the others are history
            latest = max(pairs, key=lambda p: p[1].start)[1]
            later = [x for x in named.get(office, ()) if x.start > latest.start and x.name != latest.name
                     and (x.name, office) not in titled_elsewhere]
            if later:
                continue   # "under President Obama ..." in a text that names Trump anywhere
            pairs = [(m, x) for m, x in pairs if x.name == latest.name]
        by_holder: dict[str, tuple[_Mention, set[Term]]] = {}
        for m, x in pairs:
            by_holder.setdefault(x.name, (m, set()))[1].add(x)
        for name, (m, held) in by_holder.items():
            terms = sorted(held, key=lambda x: x.start)
            grace = GRACE_TRANSITION if m.title in ("administration", "era") else GRACE_BEFORE
            spans = [(min(x.start - timedelta(days=grace),
                          elected.get(x, x.start) - timedelta(days=2)).toordinal(),
                      (x.end + timedelta(days=GRACE_AFTER)).toordinal() if x.end else t) for x in terms]
            c = cue("in-office", text[m.start:m.end], m.start, m.end, spans, W_IN_OFFICE,
                    f"{name} ({office}): in office " + ", ".join(f"{x.start.isoformat()} to {_iso(x.end)}"
                                                               for x in terms), today=t)
            out += [c] if c else []
    return out


def event_cues(text: str, today: date, world: World | None = None) -> list[DateCue]:
    """Events that name themselves ("the Parkland shooting": on or after 2018-02-14) and deaths ("the late
    Sen. John McCain": on or after 2018-08-25)."""
    world = world or load_world()
    t = today.toordinal()
    out: list[DateCue] = []
    masked = debris_spans(text)
    if world.event_rx is not None:
        for m in world.event_rx.finditer(text):
            if inside(m.start(), masked):
                continue
            when, news, name, _ = world.events[m.group()]
            if news:
                c = cue("event", m.group(), m.start(), m.end(), [(when.toordinal() - 1, t)], W_EVENT,
                        f"{name}: {when.isoformat()}", today=t)
                out += [c] if c else []
    if world.late_rx is not None:
        for m in world.late_rx.finditer(text):
            tail = text[m.end():m.end() + 80]
            words = re.match(rf"(?:{_NAME_TOKEN}\s+){{0,6}}{_NAME_TOKEN}", tail)
            if not words:
                continue
            tokens = [_POSSESSIVE.sub("", w).rstrip(".,") for w in words.group().split()]
            hit = None
            for i in range(len(tokens)):          # the name may follow a title: "the late Sen. John McCain"
                for j in range(len(tokens), i, -1):
                    key = fold(" ".join(tokens[i:j]))
                    if key in world.deaths:
                        hit = world.deaths[key]
                        break
                if hit:
                    break
            if hit:
                end = m.end() + words.end()
                c = cue("late", text[m.start():end], m.start(), end, [(hit[0].toordinal() - 1, t)], W_LATE,
                        f"{hit[1]} died {hit[0].isoformat()}", today=t)
                out += [c] if c else []
    return out


def event_dates(world: World | None = None) -> dict[str, date]:
    """Event name (as written) -> day, for anniversaries and elapsed times (names whose date is only when
    they came into use, such as "Obamacare", anchor nothing)."""
    world = world or load_world()
    return {k: v[0] for k, v in world.events.items() if not v[3]}
