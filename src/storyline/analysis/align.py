"""Alignment: whether two figures of two sentences can be values of one quantity of one thing.

Conflicts compare values only once alignment says they are of the same thing:

- what a figure counts (``thing``): a currency, a percentage, the noun counted, a nationality ("63
  Canadians", "57 Canadian citizens" are one thing, people of Canada);
- which figures state a fact (``comparable``): not a breakdown of another figure, not a requirement
  ("needs 60 votes");
- whether two figures can be one quantity that disagrees (``figure_pair``): same thing, same rate, same
  place, both facts or both proposals, ranges (with the rounding their writing allows) that do not overlap.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from functools import lru_cache

from .facts import Fact
from .numbers import Quantity
from .words import content_stems, days_apart, fold, lexicon, stem, stopwords, tokens

MAX_RATIO = 1.5  # two values of one quantity within this factor; further apart they count different things
MAX_RATIO_NAMED = 1.75  # the same for two counts of one named kind of thing reported on one day
FAR_PENALTY = 10.0  # marks a pair further apart than MAX_RATIO: kept only between paraphrases
BREAKDOWN_GAP = 60  # characters after a counted figure within which bare figures break it down
CURRENCY_UNITS = frozenset("%€$£¥")
SCALE_STEMS = frozenset({"million", "billion", "trillion", "thousand", "percent", "bn", "m"})
_THRESHOLD_WORDS = frozenset({"need", "needs", "needed", "require", "requires", "required", "threshold",
                              "supermajority", "majority", "reach", "reaching", "clear"})
#: ... and words after a figure that make it one ("51 votes are needed", "67 senators must vote")
_THRESHOLD_AFTER = frozenset({"needed", "needs", "need", "required", "requires", "require", "must"})
THRESHOLD_AFTER = 4  # words after a figure within which they do
#: "it takes two rounds of 60 votes", "we have to get to 50 votes"
_TAKES = re.compile(r"\b(?:takes?|took|get(?:s|ting)?\s+to)\s+(?:[\w’'-]+\s+){0,3}$", re.I)
WHOLE_GAP = 50  # characters between a part's figure and the whole's ("61 of the council's 110")
# "one of three terrorists who died": the whole is the fact (how many there were), so "one" is no part
_WHOLE = re.compile(r"\b(?:\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten)\s+(?:out\s+)?of\s+"
                    r"(?:the\s+|its\s+|their\s+|his\s+|her\s+)?(?:[\w’'-]+\s+){0,3}$", re.I)
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b", re.I)
#: a figure that is not a reported fact: a projection or forecast ("its first projection of 81,114 deaths", "the
#: model now projects", "there would be 1.45 million cases"), or what could have been ("tens of thousands of lives could have been saved")
_COULD_HAVE = r"(?:could|would|might)\s+(?:not\s+)?have"
_PROJECTED = re.compile(r"\b(?:project(?:s|ed|ion|ions)?|forecast(?:s|ed|ing)?|predict(?:s|ed|ion|ions)?|models?|"
                        rf"expected|{_COULD_HAVE}|would\s+be)\b", re.I)
_PROJECTED_TAIL = re.compile(rf"\b(?:{_COULD_HAVE}|(?:still\s+)?expected)\b", re.I)
PROJECTED_WORDS = 8  # words before a figure within which a projection names it
PROJECTED_AFTER = 5  # words after it within which "could have" makes it what could have been ("3,000 lives could
#                      have been saved"), or "expected" one expected ("15 to 25 inches of rain still expected")
#: a sentence of provisional figures: partial election returns ("with 37 percent of precincts reporting"),
#: preliminary or early results; the final count will differ, and no outlet disagrees with it
_PROVISIONAL = re.compile(r"\b(?:precincts?|polling\s+stations?|ballots?|votes?)\s+(?:counted|reporting|tallied)\b|"
                          r"\b(?:partial|preliminary|early|incomplete)\s+(?:results|returns|count|counts|tallies)\b",
                          re.I)
#: the value a change started from: "to 7.7 percent from 7.9 percent", "up from 3 percent", "from 40 to 52"
_FROM = re.compile(r"\bfrom\s+$", re.I)
#: the rest of a whole named beside it: "Stevens and three other Americans" (four in all)
_OTHER = re.compile(r"^\s+other\b", re.I)
#: a part of a group named after it, the group's size not given ("Sixteen of the delegates", "two of them"): a
#: subset; "61 of the council's 110 seats" counts seats, "48 percent of the vote" is a share
_PART = re.compile(r"^\s+of\s+(?:the|its|their|those|these|them|his|her)\b(?![^.,;]{0,25}\d)", re.I)
_RANK = re.compile(r"\b(?:top|no\.|number|ranked|rank|ranking|placed|seeded)\s+$", re.I)
_NAME_BEFORE = re.compile(r"(?:^|(?<=\s))([A-Z][\w’'.-]*)\s$")
#: Nouns that count people, whoever they are
PERSON_UNITS = frozenset({"peopl", "person", "citizen", "national", "passeng", "victim", "dead", "individu",
                          "resid", "immigr", "dreamer", "adult", "children", "child", "migrant", "refuge",
                          "undocument", "young"})
#: Nouns of people that belong to a country ("57 citizens")
NATIONAL_UNITS = frozenset({"citizen", "national", "compatriot"})
#: Units of an army: whose army, a country named just before says ("Serbia lost 900 troops")
ARMY_UNITS = frozenset({"forces"})
ARMY_GAP = 30  # characters before a count of troops within which a country says whose they are
ACT_WORDS = 3  # words before a figure within which the act it is the object of is named
AROUND_BEFORE = 8  # words before a figure that say what it is of
AROUND_AFTER = 12  # words after it
_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]+")
#: Units that say nothing of what is counted: "176 people", "two sources", "12 states"
GENERIC_UNITS = frozenset({"", "peopl", "person", "individu", "time", "year", "day", "week", "month", "hour",
                           "minut", "sourc", "state", "member", "other", "thing", "way", "point", "part", "photo"})


def threshold(f: Fact, q: Quantity) -> bool:
    """A figure that is a requirement, not a count ("needs 60 votes", "a 51-vote majority", "where 51 votes
    are needed", "the 1,991 delegates he needs", "67 senators must vote", "it takes 60 votes", "get to 50
    votes")."""
    text = f.sentence.text[max(0, q.start - 30):q.start]
    before = tokens(text)[-3:]
    after = tokens(f.sentence.text[q.end:q.end + 40])[:THRESHOLD_AFTER]
    return bool(set(before) & _THRESHOLD_WORDS or set(after) & _THRESHOLD_AFTER or _TAKES.search(text))


def report_day(f: Fact) -> str:
    """The day a fact was reported (its article's published or placed day, ``YYYY-MM-DD``), or ``""``."""
    return (f.doc.day or f.doc.published or "")[:10]


def near_in_time(a: Fact, b: Fact, days: int, unknown: bool = True) -> bool:
    """Two facts reported at most ``days`` apart; facts of unknown dates count as near when ``unknown``."""
    gap = days_apart(report_day(a), report_day(b))
    return unknown if gap is None else gap <= days


def same_event(a: Fact, b: Fact) -> bool:
    """Two facts of articles the story stage placed in one event (one happening, within days)."""
    return a.doc.event_id is not None and a.doc.event_id == b.doc.event_id


def comparable(f: Fact) -> list[Quantity]:
    """Figures that state a fact: not a bare figure just after a counted one ("14 people - 11 in Romania and
    three in Moldova": a breakdown), unless it names what it counts ("176 people: 82 Iranians, 63 ..."), and
    not the whole a part is counted out of ("61 of the council's 110 seats": 110 is the council's size), and
    never a figure that is an ordinal, a rank or part of a name (``named_or_ranked``), a vague quantity
    ("dozens", "scores": no value to disagree with), a projection or what could have been (``projected``), any
    figure of a sentence of provisional returns ("with 37 percent of precincts reporting"),
    the value a change started from ("to 7.7 percent from 7.9 percent"), the rest of a whole ("three other
    Americans"), a part of a group of no given size ("Sixteen of the delegates") or an end of a range ("15 to
    25 inches", "16 inches to 30 inches")."""
    counted = [q.end for q in f.figures if q.unit]
    text = f.sentence.text
    if _PROVISIONAL.search(text):
        return []
    return [q for q in f.figures if (q.unit or thing(f, q)[0]
                                     or not any(0 <= q.start - end <= BREAKDOWN_GAP for end in counted))
            and not _WHOLE.search(text[max(0, q.start - WHOLE_GAP):q.start]) and not named_or_ranked(text, q)
            and not q.vague and not projected(text, q) and not _OTHER.match(text[q.end:q.end + 8])
            and not (q.unit not in CURRENCY_UNITS and _PART.match(text[q.end:q.end + 50]))
            and not _starting_value(f, q) and not _in_range(text, q)]


#: a figure that is one end of a range ("15 to 25 inches", "between 20 and 30"): no value of its own
_RANGE_AFTER = re.compile(r"^\s*(?:to|-|–|and)\s*[$€£]?\d")
_RANGE_BEFORE = re.compile(r"\d[\d,.]*\s*(?:to|-|–|and)\s*[$€£]?$")
#: ... or whose unit is written on both ends ("16 inches to 30 inches"; "from 16 inches to 30 inches" is a change,
#: "53 percent to 30 percent" and "52 votes to 48" scores)
_RANGE_BEFORE_UNIT = re.compile(r"(?<!from )\b\d[\d,.]*\s+(?!(?:percent|points|votes)\b)[a-z]+\s+(?:to|–)\s*$")
_RANGE_AFTER_UNIT = re.compile(r"^\s+(?!(?:percent|points|votes)\b)[a-z]+\s+(?:to|–)\s*\d[\d,.]*\s+[a-z]")


def _in_range(text: str, q: Quantity) -> bool:
    """One end of a range, its unit written once ("15 to 25 inches"; "53 percent to 30 percent" is a score) or on
    both ends ("16 inches to 30 inches")."""
    bare = q.text[-1:].isdigit()
    return bool(bare and _RANGE_AFTER.match(text[q.end:q.end + 8])
                or _RANGE_BEFORE.search(text[max(0, q.start - 16):q.start])
                or _RANGE_BEFORE_UNIT.search(text[max(0, q.start - 30):q.start])
                or bare and not text[max(0, q.start - 5):q.start].endswith("from ")
                and _RANGE_AFTER_UNIT.match(text[q.end:q.end + 30]))


def projected(text: str, q: Quantity) -> bool:
    """A figure a projection, forecast or model gives, or one of what could have been."""
    before = text[max(0, q.start - 80):q.start].split()[-PROJECTED_WORDS:]
    after = text[q.end:q.end + 60].split()[:PROJECTED_AFTER]
    return bool(_PROJECTED.search(" ".join(before)) or _PROJECTED_TAIL.search(" ".join(after)))


def _starting_value(f: Fact, q: Quantity) -> bool:
    """The value a change started from ("rose to 7.7 percent from 7.9 percent"): "from" right before it and
    another figure of the same unit in the sentence."""
    return bool(_FROM.search(f.sentence.text[max(0, q.start - 12):q.start])) and \
        any(o is not q and o.unit == q.unit for o in f.figures)


def named_or_ranked(text: str, q: Quantity) -> bool:
    """A figure that counts nothing: an ordinal ("3rd", "12th"), a rank ("No. 2", "the top 10", "ranked 5"),
    or part of a name, right after a capitalised word ("Ferry 418", "Article 12", "Channel 5"; not a sentence's
    first word when that is a common one: "But 20 sheep")."""
    if _ORDINAL.match(text[q.end:q.end + 3]):
        return True
    if not q.text[:1].isdigit():
        return False   # "$3 billion", "about 800,000", "nine": written as an amount
    before = text[max(0, q.start - 30):q.start]
    if _RANK.search(before):
        return True
    m = _NAME_BEFORE.search(before)
    if not m:
        return False
    first = q.start - len(before) + m.start() == 0
    return not (first and fold(m.group(1)) in stopwords())


def countable(f: Fact, q: Quantity) -> bool:
    """A figure whose unit says what it counts: a currency, a percentage, a noun, a nationality, or people
    of a named kind ("800,000 apprentices", "700,000 seasonal workers"; not "700,000 people")."""
    country, noun = thing(f, q)
    return bool(country or (noun and noun not in GENERIC_UNITS) or (noun == "person" and q.unit not in GENERIC_UNITS))


def thing(f: Fact, q: Quantity) -> tuple[str | None, str]:
    """What a figure counts: ``(country, noun)``. A nationality named right after it or as its noun ("63
    Canadians", "78 were Iranian", "57 Canadian citizens") gives the country; people of any name ("people",
    "citizens", "victims", "nationals") are one noun, ``person``, but a nationality before another noun
    counts that noun ("17 Hungarian officials" and "18 Hungarian suspects" are two things). Citizens or nationals of
    no named nationality are those of the one country the sentence names ("the premier, whose country lost 38
    citizens" with "Romanian" before it); troops of none, those of a country named just before ("Serbia lost
    900 troops")."""
    countries = country_table()
    after = tokens(f.sentence.text[q.end:q.end + 40])[:3]
    if q.unit in CURRENCY_UNITS or q.unit == "%":
        return None, q.unit
    at = next((i for i, w in enumerate(after) if w in countries), None)
    country = countries[after[at]] if at is not None else None
    if q.unit in countries:
        noun = after[at + 1] if at is not None and at + 1 < len(after) else ""
        noun = _classes().get(stem(noun), stem(noun)) if noun.isalpha() and noun not in stopwords() else ""
        return country, noun if noun and noun not in countries and noun not in PERSON_UNITS else "person"
    if country is None and q.unit in NATIONAL_UNITS:
        country = _only_country(f.sentence.text)
    elif country is None and q.unit in ARMY_UNITS:
        country = _only_country(f.sentence.text[max(0, q.start - ARMY_GAP):q.start])
    if q.unit in PERSON_UNITS or (not q.unit and country):
        return country, "person"
    return country, q.unit


@lru_cache(maxsize=1)
def country_table() -> dict[str, str]:
    """Country names and nationalities, folded -> country code (the political event coder's lexicon)."""
    from ..polevents.lexicon import load_lexicon

    return load_lexicon().countries


@lru_cache(maxsize=1)
def _classes() -> dict[str, str]:
    """Stem -> class of counted things ("soldier" -> "forces"), from ``data/analysis.toml``."""
    return {stem(w): name for name, ws in lexicon()["numbers"]["classes"].items() for w in ws}


def _only_country(text: str) -> str | None:
    """The one country ``text`` names by a capitalised name or nationality ("Russia", "Canadian"), if one."""
    countries = country_table()
    found = {countries[fold(w)] for w in _CAPITALISED.findall(text) if fold(w) in countries}
    return found.pop() if len(found) == 1 else None


def share_of(f: Fact, q: Quantity) -> str | None:
    """What a percentage is a share of ("15 percent of all ballots" -> "ballot", "a 12 percent share of
    the population" -> "popul"), when the sentence says it right after the figure."""
    after = tokens(f.sentence.text[q.end:q.end + 50])[:5]
    if "of" not in after[:2]:
        return None
    rest = [w for w in after[after.index("of") + 1:] if w not in stopwords()]
    return stem(rest[0]) if rest and rest[0].isalpha() else None


def act(f: Fact, q: Quantity) -> str | None:
    """The act a figure is the object of: the stem of the content word just before it ("promised €40
    million", "a promise of €30 million" -> "promis"), if within ``ACT_WORDS`` words."""
    before = [w for w in tokens(f.sentence.text[max(0, q.start - 40):q.start])[-ACT_WORDS:] if w not in stopwords()]
    return stem(before[-1]) if before and before[-1].isalpha() else None


def around(f: Fact, q: Quantity) -> frozenset[str]:
    """Content stems of the clause around a figure (``AROUND_BEFORE`` words before it, ``AROUND_AFTER``
    after, within its sentence): what an amount is for ("$4.1 billion in grants for dredging and other
    river works")."""
    text = f.sentence.text
    before = tokens(text[max(0, q.start - 100):q.start])[-AROUND_BEFORE:]
    after = tokens(text[q.end:q.end + 120])[:AROUND_AFTER]
    return frozenset(content_stems(" ".join(before + after)))


def tally(q: Quantity) -> bool:
    """A figure of a running count that grows as a story goes on: the dead, the arrested, the cases
    (``numbers.tallies`` and the casualties class of ``data/analysis.toml``); not a rate ("1,200 killed a
    day" is no count that grows)."""
    return q.rate is None and ("casualties" in q.context or bool(q.context & _tally_stems()))


@lru_cache(maxsize=1)
def _tally_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in lexicon()["numbers"]["tallies"]["words"])


def grown(a: Fact, qa: Quantity, b: Fact, qb: Quantity) -> bool:
    """A running count reported on two days and higher on the later ("12 dead" on Monday, "17 dead" on
    Tuesday): the count grew; no outlet disagrees."""
    day_a, day_b = report_day(a), report_day(b)
    if not day_a or not day_b or day_a == day_b or not (tally(qa) and tally(qb)):
        return False
    early, late = (qa, qb) if day_a < day_b else (qb, qa)
    return rounded(late)[0] > rounded(early)[1]


def rounded(q: Quantity, zeros: bool = True) -> tuple[float, float]:
    """A figure's range with the rounding its writing allows: "$23 billion" is not wrong against "$23.2
    billion", "1,700" not against "1,741", "57" is against "63". An exact figure is within 0.45 of its last
    written non-zero digit's place (times its scale word; with ``zeros`` false, of its last digit), at most 5%
    of its value; a hedged one keeps its hedge's range."""
    if not q.exact or q.low != q.high:
        return q.low, q.high
    m = re.search(r"(\d[\d,]*)(?:\.(\d+))?", q.text)
    if not m:
        return q.low, q.high
    digits = m.group(1).replace(",", "")
    written = float(digits + ("." + m.group(2) if m.group(2) else ""))
    scale = q.low / written if written else 1.0
    # a whole number ending in zeros is rounded to its last other digit ("1,700 miles" / "1,741 miles")
    place = 10 ** -len(m.group(2)) if m.group(2) else 10.0 ** ((len(digits) - len(digits.rstrip("0"))) * zeros)
    slack = min(0.45 * place * scale, 0.05 * abs(q.low))
    return q.low - slack, q.high + slack


def figure_pair(a: Fact, qa: Quantity, b: Fact, qb: Quantity) -> tuple[float, Quantity | None, Quantity | None]:
    none = (0.0, None, None)
    (la, ha), (lb, hb) = rounded(qa), rounded(qb)
    if qa.rate != qb.rate or (la <= hb and lb <= ha) or qa.proposal != qb.proposal:
        return none
    if not countable(a, qa) or thing(a, qa) != thing(b, qb):
        return none
    if not (tally(qa) and tally(qb)) and (beyond_bound(qa, qb) or beyond_bound(qb, qa)):
        return none   # a toll's bound is its own ("at least 20 injured" / "15 injured" on one day disagree)
    wholes = (share_of(a, qa), share_of(b, qb)) if qa.unit == "%" else (None, None)
    if all(wholes) and wholes[0] != wholes[1]:
        return none   # shares of different wholes: of the population, of the votes
    low = min(qa.high, qb.high)
    if low <= 0:
        return none
    # allowed only between two wordings of one sentence; two counts of one named kind of thing on one day
    # ("some 3,000 porters" / "more than 5,000 porters") may be further apart
    named = qa.unit == qb.unit and qa.unit not in GENERIC_UNITS | CURRENCY_UNITS | PERSON_UNITS \
        and near_in_time(a, b, 0)
    far = max(qa.low, qb.low) / low > (MAX_RATIO_NAMED if named else MAX_RATIO)
    shared = (qa.context & qb.context) - {qa.unit, qb.unit} - SCALE_STEMS
    same_unit = True
    # a currency or a percentage says nothing of what is counted: the words around the figures must
    if (qa.unit in CURRENCY_UNITS or qa.unit == "%") and not shared or not same_scope(a, qa, b, qb) \
            or threshold(a, qa) or threshold(b, qb):
        return none
    confidence = 0.55 + 0.15 * (qa.exact and qb.exact) + 0.1 * same_unit + 0.1 * (len(shared) >= 3)
    return min(confidence, 0.95) - (FAR_PENALTY if far else 0.0), qa, qb


def beyond_bound(q: Quantity, other: Quantity) -> bool:
    """``q`` is a bound, not a value ("at least 21", "more than 500", "up to 24"), and ``other``, an exact count,
    lies on the side it rules out: a count made before the whole was known, or of a part of it ("at least three
    states" / "two states", "more than 500 leads" / "435 leads", "over 30 inches of rain" / "24 inches"), not two
    values of one quantity; an estimate there is one ("more than 3,000 lorries" / "around 1,200 lorries"). A
    running toll is the exception (``figure_pair``): tolls of two days are told apart by ``grown``."""
    return other.exact and ((q.high == math.inf and other.high < q.low) or (q.low == 0 < q.high < other.low))


def same_scope(a: Fact, qa: Quantity, b: Fact, qb: Quantity) -> bool:
    """Figures given for other places ("nine died in Galati" / "twelve across Romania") count other things, and
    so do figures whose own clauses name two different things of one kind, each one the other sentence never
    names ("Democrats hold 47 seats" / "Republicans hold 53 seats"; the ranges of two named missiles)."""
    if a.locations and b.locations and not a.locations & b.locations:
        return False
    owners_a, owners_b = _owners(a, qa), _owners(b, qb)
    return not any(_unnamed(owners_a[label], b) and _unnamed(owners_b[label], a) for label in owners_a)


#: where a figure's clause ends, before it and after it (a speaker, and what follows a relative pronoun, are not
#: what it counts: "22 died, Governor Pell said")
_CLAUSE_BEFORE = re.compile(r"(?:[,;:(—–]|\b(?:said|says|told|according to|that|who|which|while|but)\b)(?!.*"
                            r"(?:[,;:(—–]|\b(?:said|says|told|according to|that|who|which|while|but)\b))", re.S)
_CLAUSE_AFTER = re.compile(r"[,;:.(—–]|\b(?:said|says|told|according|who|which|that|while|but|after|before|when)\b")
OWNER_REACH = 60  # characters either side of a figure within which its clause names what it counts
NAME_HEAD = 6  # letters of a name's stem that identify it ("Democrats", "Democratic")


def _owners(f: Fact, q: Quantity) -> dict[str, set[str]]:
    """The names (not places) in a figure's own clause, by label: ``OWNER_REACH`` characters either side, to
    a comma, a speech verb or a relative pronoun. Each name is its words, folded."""
    text = f.sentence.text
    before = text[max(0, q.start - OWNER_REACH):q.start]
    cut = _CLAUSE_BEFORE.search(before)
    low = q.start - len(before) + (cut.end() if cut else 0)
    after = text[q.end:q.end + OWNER_REACH]
    cut = _CLAUSE_AFTER.search(after)
    high = q.end + (cut.start() if cut else len(after))
    found: dict[str, set[str]] = defaultdict(set)
    for _, label, start, end in f.named:
        if low <= start and end <= high:
            found[label].add(" ".join(tokens(text[start:end])))
    return found


def _unnamed(names: set[str], f: Fact) -> bool:
    """Some of ``names`` is nowhere in ``f``'s sentence, not even by its last word ("Trump" names "Donald
    Trump"; "Democratic" and "Democrats" one party)."""
    heads = _name_heads(f.sentence.text)
    return any(stem(name.split()[-1])[:NAME_HEAD] not in heads for name in names if name)


@lru_cache(maxsize=4096)
def _name_heads(text: str) -> frozenset[str]:
    """The ``NAME_HEAD`` first letters of each word's stem (one sentence is compared with many)."""
    return frozenset(stem(w)[:NAME_HEAD] for w in tokens(text))
