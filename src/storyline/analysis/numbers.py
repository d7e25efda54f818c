"""Quantities in a sentence, each read as a range, with what it counts.

"around 1,200" is ``[1080, 1320]``, "upwards of 150,000" ``[150000, inf]``, "tens of thousands"
``[20000, 99999]``, "at least 12" ``[12, inf]`` (hedges and vague quantities from the lexicon,
``data/analysis.toml``). Two figures disagree only when their ranges do not overlap. Each quantity
keeps the stems around it (what is counted: "soldiers killed", "bulk carriers", "€ million"), its rate
("daily") and whether it sits in a proposal ("demanded 25%"), so that only like is compared with like.
Years, dates and clock times are not quantities: spans the store marks as time expressions are skipped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .words import content_stems, lexicon, phrase_pattern, stem, stopwords, tokens

CONTEXT_WORDS = 6  # words either side of a quantity that say what it counts
PROPOSAL_REACH = 15  # words before a figure within which an insistence or a demand makes it a proposal
YEAR_RANGE = (1800, 2100)  # a bare 4-digit number in this range is taken for a year
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CURRENCY = "€$£¥"
_DIGIT_OR_SIGN = re.compile(r"[\d€$£¥]")
#: a place described by its size: "the town of 21,000", "a St. Louis suburb of 22,400", "a population of 9,000"
_POPULATION = re.compile(r"\b(?:(?:town|city|suburb|village|community|county|borough|island|province|"
                         r"municipality|hamlet|enclave)s?\s+of|population\s+(?:of\s+)?)\s*$", re.I)
POPULATION = "populat"  # the unit of such a figure
_AFTER_SIZE = frozenset({"people", "residents", "inhabitants", "souls", "near", "outside", "north", "south", "east",
                         "west"})  # the words after such a figure that leave it the place's size


@dataclass(frozen=True, slots=True)
class Quantity:
    """One figure in a sentence: its range, the text it was read from and what it counts."""

    low: float
    high: float
    start: int  # offsets in the text given to ``quantities``
    end: int
    text: str
    unit: str  # "%", a currency sign, or the stem of the noun that follows ("dockwork")
    rate: str | None  # "day", "week", ... for "daily", "a week"
    proposal: bool  # part of a demand or offer, not a fact
    context: frozenset[str]  # stems (and stem classes) near the figure
    exact: bool  # no hedge and no vague word
    vague: bool = False  # a vague quantity read as a wide range ("dozens", "tens of thousands", "scores")
    demand: bool = False  # a proposal someone insists on or demands: it may change from one day to the next

    def overlaps(self, other: "Quantity") -> bool:
        return self.low <= other.high and other.low <= self.high


@lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    lex = lexicon()["numbers"]
    words = {**lex["words"], **{k: v for k, v in lex["scales"].items() if len(k) > 2}}
    tens = "|".join(w for w, v in lex["words"].items() if v >= 20 and v % 10 == 0 and v < 100)
    units = "|".join(w for w, v in lex["words"].items() if 1 <= v <= 9)
    # "seventy-five", "twenty one": one number; a number word ends at a word boundary ("Seven" is not read
    # out of "Seventy")
    number = "|".join([rf"(?:{tens})[-\s](?:{units})\b", _DIGITS,
                       *(re.escape(w) + r"\b" for w in sorted(words, key=len, reverse=True))])
    scales = "|".join(sorted(lex["scales"], key=len, reverse=True))
    hedge = "|".join(sorted((re.escape(h).replace(r"\ ", r"\s+") for h in lex["hedges"]), key=len, reverse=True))
    vague = "|".join(sorted((re.escape(v).replace(r"\ ", r"\s+") for v in lex["vague"]), key=len, reverse=True))
    figure = re.compile(
        rf"(?<![\w.,/:-])(?:(?P<hedge>{hedge})\s+)?"
        rf"(?:(?P<vague>{vague})|(?P<cur>[{_CURRENCY}])?\s?(?P<num>{number})(?:[\s-]?(?P<scale>{scales})\b)?"
        rf"(?P<pct>\s?%|\s?per\s?cent|\s?percent)?)(?![\w:-]*\d)(?!-\w)",
        re.I | re.U)
    classes = {stem(w): name for name, ws in lex["classes"].items() for w in ws}
    rates = {name: phrase_pattern(ps) for name, ps in lex["rates"].items()}
    vague_words = {w for v in lex["vague"] for w in v.split() if w not in ("a", "of")}
    return {"figure": figure, "any": frozenset(w.lower() for w in (*words, *vague_words)), "words": {k.lower(): v for k, v in words.items()},
            "scales": {k.lower(): v for k, v in lex["scales"].items()},
            "hedges": {" ".join(k.split()): v for k, v in lex["hedges"].items()},
            "vague": {" ".join(k.split()): v for k, v in lex["vague"].items()},
            "classes": classes, "rates": rates, "proposal": frozenset(lex["proposal"]["words"]),
            "strong": frozenset(lex["proposal"]["strong"]), "proposal_after": frozenset(lex["proposal"]["after"])}


def quantities(text: str, skip: list[tuple[int, int]] = (), words: set[str] | None = None) -> list[Quantity]:
    """The figures in ``text`` (one sentence), leaving out spans in ``skip`` (time expressions);
    ``words``, the sentence's folded words when known, spares the search in sentences without a figure."""
    t = _tables()
    if not _DIGIT_OR_SIGN.search(text) and not (words if words is not None else set(tokens(text))) & t["any"]:
        return []
    out = []
    for m in t["figure"].finditer(text):
        if any(s < m.end() and m.start() < e for s, e in skip) or not m.group().strip():
            continue
        q = _read(m, text, t)
        if q is not None:
            out.append(q)
    return out


def _read(m: re.Match[str], text: str, t: dict[str, Any]) -> Quantity | None:
    hedge = " ".join((m.group("hedge") or "").lower().split())
    vague = False
    if m.group("vague"):
        low, high = t["vague"][" ".join(m.group("vague").lower().split())]
        exact, vague = False, low != high
    else:
        n = _number(m.group("num"), t)
        if n is None:
            return None
        if m.group("scale"):
            n *= t["scales"][m.group("scale").lower()]
        is_year = (n.is_integer() and YEAR_RANGE[0] <= n <= YEAR_RANGE[1] and "," not in m.group("num")
                   and not (m.group("cur") or m.group("pct") or m.group("scale")))
        if is_year or (not m.group("num")[0].isdigit() and n == 1 and not hedge):
            return None  # "in 2022"; "one of the ..."
        low = high = n
        exact = not hedge
    if hedge:
        lo, hi = t["hedges"][hedge]
        low, high = low * float(lo), math.inf if hi == "inf" else high * float(hi)
    if text[m.end():m.end() + 1] == "+":   # "1.3M+ loans": at least that many
        high, exact = math.inf, False
    unit = "%" if m.group("pct") else (m.group("cur") or "") if not m.group("vague") else ""
    before = text[max(0, m.start() - 80):m.start()]
    after = text[m.end():m.end() + 80]
    after_words = tokens(after)[:CONTEXT_WORDS]
    if not unit:
        unit = POPULATION if _POPULATION.search(before) and (not after_words or after_words[0] in _AFTER_SIZE
                                                              or after_words[0] in stopwords()) \
            else _unit(after_words, t["classes"])
    near = content_stems(" ".join(tokens(before)[-CONTEXT_WORDS:] + after_words))
    context = frozenset(near) | {t["classes"][s] for s in near if s in t["classes"]}
    if unit in t["classes"].values():
        context |= {unit}
    window = before[-60:] + " " + after[:70]
    rate = next((name for name, pat in t["rates"].items() if pat.search(window)), None)
    # someone's demand ("insisting that ... include $5 billion", "his $5.6 billion demand") is a proposal that
    # moves from day to day; a plan's or a bill's figure ("the plan called for $2.8 billion") is one text's
    demand = bool(set(tokens(text[max(0, m.start() - 160):m.start()])[-PROPOSAL_REACH:]) & t["strong"]
                  or set(after_words[:2]) & t["proposal_after"])
    proposal = demand or bool(set(tokens(before)[-CONTEXT_WORDS:]) & t["proposal"])
    return Quantity(low, high, m.start(), m.end(), m.group().strip(), unit, rate, proposal, context, exact, vague,
                    demand)


def _unit(after: list[str], classes: dict[str, str]) -> str:
    """The noun a figure counts: the next word ("dockworkers"), or a known kind of thing within the next
    two ("Russian soldiers" -> "forces"); nothing when a function word follows ("11 in Romania")."""
    words = [w for w in after[:3] if w not in ("of", "the")]
    if not words or words[0] in stopwords() or words[0].isdigit():
        return ""
    stems = [stem(w) for w in words[:2]]
    return next((classes[s] for s in stems if s in classes), stems[0])


def _number(raw: str, t: dict[str, Any]) -> float | None:
    raw = raw.lower()
    if raw in t["words"]:
        return float(t["words"][raw])
    parts = re.split(r"[-\s]+", raw)
    if len(parts) == 2 and all(p in t["words"] for p in parts):   # "seventy-five"
        return float(t["words"][parts[0]] + t["words"][parts[1]])
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        return None


