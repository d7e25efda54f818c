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

import re
from datetime import date

from .facts import Fact
from .numbers import Quantity
from .words import tokens

MAX_RATIO = 1.5  # two values of one quantity within this factor; further apart they count different things
FAR_PENALTY = 10.0  # marks a pair further apart than MAX_RATIO: kept only between paraphrases
BREAKDOWN_GAP = 60  # characters after a counted figure within which bare figures break it down
CURRENCY_UNITS = frozenset("%€$£¥")
SCALE_STEMS = frozenset({"million", "billion", "trillion", "thousand", "percent", "bn", "m"})
_THRESHOLD_WORDS = frozenset({"need", "needs", "needed", "require", "requires", "required", "threshold",
                              "supermajority", "majority", "reach", "reaching", "clear"})
#: Nouns that count people, whoever they are
PERSON_UNITS = frozenset({"peopl", "person", "citizen", "national", "passeng", "victim", "dead", "individu",
                          "resid", "immigr", "dreamer", "adult", "children", "child", "migrant", "refuge",
                          "undocument", "young"})
#: Units that say nothing of what is counted: "176 people", "two sources", "12 states"
GENERIC_UNITS = frozenset({"", "peopl", "person", "individu", "time", "year", "day", "week", "month", "hour",
                           "minut", "sourc", "state", "member", "other", "thing", "way", "point", "part", "photo"})


def threshold(f: Fact, q: Quantity) -> bool:
    """A figure that is a requirement, not a count ("needs 60 votes", "a 51-vote majority")."""
    before = tokens(f.sentence.text[max(0, q.start - 30):q.start])[-3:]
    return bool(set(before) & _THRESHOLD_WORDS)


def near_in_time(a: Fact, b: Fact, days: int) -> bool:
    da, db = a.doc.day or a.doc.published, b.doc.day or b.doc.published
    if not da or not db:
        return True
    try:
        return abs((date.fromisoformat(da[:10]) - date.fromisoformat(db[:10])).days) <= days
    except ValueError:
        return True


def comparable(f: Fact) -> list[Quantity]:
    """Figures that state a fact: not a bare figure just after a counted one ("14 people - 11 in Romania and
    three in Moldova": a breakdown), unless it names what it counts ("176 people: 82 Iranians, 63 ...")."""
    counted = [q.end for q in f.figures if q.unit]
    return [q for q in f.figures if q.unit or thing(f, q)[0]
            or not any(0 <= q.start - end <= BREAKDOWN_GAP for end in counted)]


def countable(f: Fact, q: Quantity) -> bool:
    """A figure whose unit says what it counts: a currency, a percentage, a noun, a nationality."""
    country, noun = thing(f, q)
    return bool(country or (noun and noun not in GENERIC_UNITS))


def thing(f: Fact, q: Quantity) -> tuple[str | None, str]:
    """What a figure counts: ``(country, noun)``; a nationality named right after it or as its noun ("63
    Canadians", "78 were Iranian", "57 Canadian citizens") gives the country, people of any name ("people",
    "citizens", "victims", "nationals") are one noun, ``person``."""
    from ..polevents.lexicon import load_lexicon

    countries = load_lexicon().countries
    after = tokens(f.sentence.text[q.end:q.end + 40])[:3]
    country = next((countries[w] for w in after if w in countries), None)
    if q.unit in CURRENCY_UNITS or q.unit == "%":
        return None, q.unit
    if q.unit in countries or q.unit in PERSON_UNITS or (not q.unit and country):
        return country, "person"
    return country, q.unit


def rounded(q: Quantity) -> tuple[float, float]:
    """A figure's range with the rounding its writing allows: "$23 billion" is not wrong against "$23.2
    billion", "57" is against "63". An exact figure is within 0.45 of its last written digit's place (times
    its scale word), at most 5% of its value; a hedged one keeps its hedge's range."""
    if not q.exact or q.low != q.high:
        return q.low, q.high
    m = re.search(r"(\d[\d,]*)(?:\.(\d+))?", q.text)
    if not m:
        return q.low, q.high
    written = float(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
    scale = q.low / written if written else 1.0
    place = 10 ** -len(m.group(2)) if m.group(2) else 1.0
    slack = min(0.45 * place * scale, 0.05 * abs(q.low))
    return q.low - slack, q.high + slack


def figure_pair(a: Fact, qa: Quantity, b: Fact, qb: Quantity) -> tuple[float, Quantity | None, Quantity | None]:
    none = (0.0, None, None)
    (la, ha), (lb, hb) = rounded(qa), rounded(qb)
    if qa.rate != qb.rate or (la <= hb and lb <= ha) or qa.proposal != qb.proposal:
        return none
    if not countable(a, qa) or thing(a, qa) != thing(b, qb):
        return none
    low = min(qa.high, qb.high)
    if low <= 0:
        return none
    far = max(qa.low, qb.low) / low > MAX_RATIO   # allowed only between two wordings of one sentence
    shared = (qa.context & qb.context) - {qa.unit, qb.unit} - SCALE_STEMS
    same_unit = True
    # a currency or a percentage says nothing of what is counted: the words around the figures must
    if (qa.unit in CURRENCY_UNITS or qa.unit == "%") and not shared or not same_scope(a, qa, b, qb) \
            or threshold(a, qa) or threshold(b, qb):
        return none
    confidence = 0.55 + 0.15 * (qa.exact and qb.exact) + 0.1 * same_unit + 0.1 * (len(shared) >= 3)
    return min(confidence, 0.95) - (FAR_PENALTY if far else 0.0), qa, qb


def same_scope(a: Fact, qa: Quantity, b: Fact, qb: Quantity) -> bool:
    """Figures given for other places ("nine died in Galati" / "twelve across Romania") count other things."""
    return not a.locations or not b.locations or bool(a.locations & b.locations)
