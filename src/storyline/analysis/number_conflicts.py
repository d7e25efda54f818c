"""Number conflicts: two reports of one quantity that cannot both be true, and one person given two ages.

Figures are aligned first (``align``: what each counts, at what rate, where, for what) and compared only
then: ranges that do not overlap, sentences saying much the same (MiniLM cosine, the more alike the less the
figure itself says what it counts). Each pair carries the quantity it is about (``key``) so that reports of
one quantity found by several pairs become one conflict.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from .align import (CURRENCY_UNITS, FAR_PENALTY, SCALE_STEMS, act, around, comparable, countable, figure_pair,
                    grown, near_in_time, report_day, rounded, same_event, thing)
from .facts import Fact, pairs
from .material import Material
from .numbers import POPULATION, Quantity
from .vectors import cosine
from .words import fold, stopwords, tokens

MAX_BUCKET = 150  # facts compared under one blocking key (the earliest): bounds the pairs per key
NUMBER_DAYS = 3  # reports of one quantity are at most this many days apart: counts move (a toll, a tally, polls)
DEMAND_DAYS = 1  # reports of one demand are at most this many days apart: demands move
NUMBER_COSINE = 0.45  # sentences giving two values of one quantity say much the same (MiniLM cosine)
MIN_MONEY_CONTEXT = 2  # words the clauses around two amounts must share (what the money is for)
NUMBER_COSINE_STRICT = 0.6  # money with two words around it alike
NUMBER_COSINE_PARAPHRASE = 0.72  # percentages, small counts, money with one word around it alike
NUMBER_COSINE_COUNTRY = 0.2  # counts of one nationality ("63 Canadians" / "57 Canadians")
SMALL_COUNT = 20  # counts below this of a generic group ("five Republicans") are often different subsets
POPULATION_RATIO = 1.5  # two sizes of a place further apart than this are two places
NUMBER_COSINE_PEOPLE = 0.6  # "800,000 apprentices" / "700,000 apprentices": people of no nationality
PARAPHRASE = 0.8  # sentence cosine of two wordings of one statement
ACT_COSINE = 0.4  # sentence cosine of two figures given by one person's one act ("promised")
AGE_DAYS = 30  # reports of one person's age are at most this many days apart
MAX_AGE_GAP = 3  # two ages further apart are two people (the candidate, 70; an accuser, then 14)
AGE_REACH = 6  # characters between a name and the age given beside it ("Weiss, a 47-year-old")
_AGE = re.compile(r"\b(\d{1,3})-year-old\b|(?<=[a-z]),\s(\d{1,3}),\s(?=[a-z])|\baged\s(\d{1,3})\b")
#: a described age in a clause about a time to come ("would be running against a 74-year-old")
_PROSPECTIVE_AGE = re.compile(r"\b(?:would|will|\w+'ll|going to)\b(?!.*[,;:.])", re.I | re.S)
PROSPECTIVE_REACH = 60  # characters before an age within which a modal of the future makes it one to come
_NAME_AFTER = re.compile(r"\s+([A-Z][\w'’-]*)(?:\s+[A-Z][\w'’-]*)*")  # a capitalised name right after an age
_ABOUT_STOP = frozenset({"was", "were", "are", "is", "has", "have", "had", "said", "says", "in", "on", "at", "who",
                         "that", "which", "and", "or", "but", "as", "by", "from", "to", "with", "would", "will"})

#: a count over several happenings ("a pair of massacres in El Paso and Dayton left 31 dead", "two shootings"):
#: no count of one of them
_AGGREGATE = re.compile(r"\b(?:pair of|two|twin|both|back-to-back|separate|string of|series of|spate of)\s+"
                        r"(?:[\w-]+\s+){0,3}?(?:shootings|massacres|attacks|bombings|crashes|explosions|blasts|"
                        r"storms|earthquakes|fires|strikes)\b", re.I)

#: ``(fact_a, fact_b, value_a, value_b, confidence, about, key)``; ``key`` names the quantity and the two ranges
Found = tuple[Fact, Fact, str, str, float, str, Any]


def numbers(facts: list[Fact], material: Material) -> Iterator[Found]:
    """Two reports of one quantity of one thing that cannot both be true: figures of the same unit (a
    currency, a percentage, or the noun counted: "63 Canadians" / "57 Canadians"), no more than
    ``NUMBER_DAYS`` apart, in sentences saying much the same (MiniLM cosine), the words right around the
    figures agreeing on what is counted, the ranges (hedges read as ranges) not overlapping, and the
    values within ``MAX_RATIO`` of each other: figures further apart count different things (a House and a
    Senate tally, one plane's dead and another's)."""
    counted = [f for f in facts if f.figures]
    figures = {id(f): comparable(f) for f in counted}   # read once per fact, not once per pair
    aggregate = {id(f): bool(_AGGREGATE.search(f.sentence.text)) for f in counted}
    stated: dict[str, dict[tuple, list[tuple[float, float]]]] = defaultdict(lambda: defaultdict(list))
    quoted = {aid: [(q.start, q.end) for q in qs if q.kind in ("direct", "partial")]
              for aid, qs in material.quotes.items()}
    for f in counted:
        for q in figures[id(f)]:
            at = f.sentence.start + q.start
            # what someone is quoted saying in the outlet's article is not what the outlet states
            if not any(s <= at < e for s, e in quoted.get(f.article_id, ())):
                stated[f.article_id][(thing(f, q), q.rate)].append(rounded(q, zeros=False))

    def keys(f: Fact) -> Iterator[tuple]:
        # what is counted, and how much in half-decades (each figure in its own and the next): a story's many
        # amounts of money are compared with those of their size, every pair within a factor of 3 sharing a key
        for q in figures[id(f)]:
            if countable(f, q):
                size = math.floor(math.log10(max(q.low, 1.0)) * 2)
                yield thing(f, q), q.rate, size
                yield thing(f, q), q.rate, size + 1

    def states(f: Fact, q: Quantity, value: Quantity) -> bool:
        """``f``'s article also gives ``value`` for what ``q`` counts: it does not disagree with it."""
        low, high = rounded(value, zeros=False)   # the values as written: "$800 million" is not "$805 million"
        if high == math.inf:
            return False   # "more than 20" is no value another figure gives
        return any(lo <= high and low <= hi for lo, hi in stated[f.article_id].get((thing(f, q), q.rate), ())
                   if hi != math.inf)

    for a, b in pairs(counted, keys, MAX_BUCKET):
        # a report of unknown date may give another day's count (a toll rising, last month's rate): compared only
        # within the event the story stage placed it in
        if a.doc.source == b.doc.source or not near_in_time(a, b, NUMBER_DAYS, unknown=same_event(a, b)):
            continue
        best = max((figure_pair(a, qa, b, qb) for qa in figures[id(a)] for qb in figures[id(b)]),
                   key=lambda x: x[0], default=(0.0, None, None))
        if best[1] is None or states(a, best[1], best[2]) or states(b, best[2], best[1]):
            continue   # an article giving both values ("40 percent would keep it, 53 percent repeal it")
        if grown(a, best[1], b, best[2]):
            continue   # a toll or a tally reported on two days: it grew
        if aggregate[id(a)] != aggregate[id(b)]:
            continue   # the toll of two shootings and that of one of them
        if (best[1].demand or best[2].demand) and not near_in_time(a, b, DEMAND_DAYS):
            continue   # a demand stated on two days may have changed ("$5 billion", then "$5.7 billion")
        cos = cosine(material, a, b)
        far = best[0] < 0
        needed = PARAPHRASE if far else _needed_cosine(a, best[1], b, best[2])
        if cos < needed and (far or cos < ACT_COSINE or not _one_act(a, best[1], b, best[2], material)):
            continue
        score = best[0] + FAR_PENALTY if far else best[0]
        qa, qb = best[1], best[2]
        key = (thing(a, qa), qa.rate, rounded(qa), rounded(qb))
        yield a, b, qa.text, qb.text, min(0.95, score + 0.2 * (cos - NUMBER_COSINE)), _number_about(a, qa, qb), key


def same_quantity(x: Any, y: Any) -> bool:
    """Two pairs' keys name one quantity with the same two values (each side's ranges overlap): the pairs are
    one dispute ("nearly 800,000" vs "nearly 700,000" apprentices in two pairs of articles)."""
    if x is None or y is None or x[:2] != y[:2]:
        return False

    def meet(r: tuple[float, float], s: tuple[float, float]) -> bool:
        return r[0] <= s[1] and s[0] <= r[1]

    (_, _, a1, b1), (_, _, a2, b2) = x, y
    return (meet(a1, a2) and meet(b1, b2)) or (meet(a1, b2) and meet(b1, a2))


def _one_act(a: Fact, qa: Quantity, b: Fact, qb: Quantity, material: Material) -> bool:
    """One person's one act gives both figures: the word right before each is the same act ("Marend promised
    €40 million" / "Marend came with a promise of €30 million") and both sentences name that person."""
    act_a, act_b = act(a, qa), act(b, qb)
    if act_a is None or act_a != act_b:
        return False
    words_a, words_b = set(tokens(a.sentence.text)), set(tokens(b.sentence.text))
    return bool(_surnames(a, material) & words_b or _surnames(b, material) & words_a)


def _surnames(f: Fact, material: Material) -> set[str]:
    """Surnames of the people a sentence names (found in the other sentence's words: one name may be tagged
    in one sentence only)."""
    return {_surname(x.name) for x in material.people(f.article_id, f.sentence.index)}


def _needed_cosine(a: Fact, qa: Quantity, b: Fact, qb: Quantity) -> float:
    """How alike two sentences must be for their figures to be one quantity: a count of some nationality
    least ("63 Canadians"); money, percentages and small counts of a generic group ("five Republicans",
    "34 percent") most, since one story holds many of them counting different things, unless the clauses
    around two amounts say what they are for alike ("$4.1 billion in grants for dredging and other river
    works" / "$4.3 billion for new river navigation grants")."""
    country, noun = thing(a, qa)
    if country:
        return NUMBER_COSINE_COUNTRY
    if noun == POPULATION:
        # a place's size ("the town of 21,000" / "the suburb of 22,400") is said in passing, in sentences about
        # anything: alike as a nationality's count, if near enough to be one place's (else two places)
        return NUMBER_COSINE_COUNTRY if max(qa.low, qb.low) <= POPULATION_RATIO * min(qa.high, qb.high) else 2.0
    if noun == "%":   # a story holds many percentages (polls, shares): only paraphrases compare
        return NUMBER_COSINE_PARAPHRASE
    if noun in CURRENCY_UNITS:
        shared = (around(a, qa) & around(b, qb)) - {qa.unit, qb.unit} - SCALE_STEMS
        return NUMBER_COSINE_STRICT if len(shared) >= MIN_MONEY_CONTEXT else NUMBER_COSINE_PARAPHRASE
    if max(qa.high, qb.high) < SMALL_COUNT:
        return NUMBER_COSINE_PARAPHRASE
    return NUMBER_COSINE_PEOPLE if noun == "person" else NUMBER_COSINE


def _number_about(f: Fact, qa: Quantity, qb: Quantity) -> str:
    """What the figures count, in the first side's words ("how many Canadians", "amount for border security")."""
    words = []
    for w in re.findall(r"[\w'’-]+|[^\w\s]", f.sentence.text[qa.end:qa.end + 60]):
        if not w[0].isalnum() or w.lower() in _ABOUT_STOP or len(words) == 4:
            break
        words.append(w)
    what = " ".join(words)
    if not what and thing(f, qa)[0]:   # "78 were Iranian": the nationality named after the verb
        what = next((w for w in re.findall(r"[A-Z][\w’'-]+", f.sentence.text[qa.end:qa.end + 30])), "")
    if qa.unit in CURRENCY_UNITS:
        return f"amount {what}".strip() + f": {qa.text} vs {qb.text}"
    if qa.unit == "%":
        return f"share {what}".strip() + f": {qa.text} vs {qb.text}"
    return f"how many {what or 'counted'}: {qa.text} vs {qb.text}"


# -- ages --------------------------------------------------------------------------------------------

def ages(facts: list[Fact], material: Material) -> Iterator[Found]:
    """One person given two ages ("Weiss, 48," / "Clara Weiss, a 47-year-old reporter") by two sources
    within ``AGE_DAYS``, at most ``MAX_AGE_GAP`` years apart (further apart they are two people)."""
    aged: list[tuple[Fact, str, str]] = []
    main: dict[str, str | None] = {}
    for f in facts:
        for m in _AGE.finditer(f.sentence.text):  # "Farook, 28, and Malik, 29, were married": two people's ages
            # "they would be running against a 74-year-old incumbent": his age on a day to come (an aside, "He
            # will face Trump, 73, in November", gives the age of the day)
            if m.group(1) and _PROSPECTIVE_AGE.search(f.sentence.text[max(0, m.start() - PROSPECTIVE_REACH):
                                                                      m.start()]):
                continue
            person = _aged(f, m, material, main)
            if person is not None:
                aged.append((f, person, next(g for g in m.groups() if g)))
    by_person: dict[str, list[tuple[Fact, str]]] = defaultdict(list)
    for f, person, age in aged:
        by_person[person].append((f, age))
    for person, items in by_person.items():
        for i, (a, age_a) in enumerate(items[:MAX_BUCKET]):
            for b, age_b in items[i + 1:MAX_BUCKET]:
                if age_a != age_b and abs(int(age_a) - int(age_b)) <= MAX_AGE_GAP and a.doc.source != b.doc.source \
                        and near_in_time(a, b, AGE_DAYS, unknown=same_event(a, b)) \
                        and not _birthday(a, int(age_a), b, int(age_b)):
                    yield a, b, age_a, age_b, 0.7, f"age: {age_a} vs {age_b}", \
                        ("age", person, (int(age_a),) * 2, (int(age_b),) * 2)


def _birthday(a: Fact, age_a: int, b: Fact, age_b: int) -> bool:
    """Two ages a year apart given on two days, the older on the later: a birthday may lie between ("29" on
    June 10, "30" on June 24); no one disagrees."""
    day_a, day_b = report_day(a), report_day(b)
    if not day_a or not day_b or day_a == day_b or abs(age_a - age_b) != 1:
        return False
    return (age_b > age_a) == (day_b > day_a)


def _aged(f: Fact, m: re.Match[str], material: Material, main: dict[str, str | None]) -> str | None:
    """Whose age the sentence gives, by surname (one person is "Clara Weiss" in one article and "Weiss" in
    another): the person named right beside it ("Weiss, 48,", "48-year-old Clara Weiss"); else the one person
    the sentence names; else, for a description ("the 48-year-old journalist"), the person the article calls
    by that noun ("journalist Clara Weiss"); else, in a sentence naming nobody, the person its article is most
    about."""
    here = material.people(f.article_id, f.sentence.index)
    start, end = f.sentence.start + m.start(), f.sentence.start + m.end()
    # the nearest name beside it: "Farook, 28, and Malik" gives 28 to Farook, whose name touches it
    beside = sorted((min(d for d in (start - x.end, x.start - end) if d >= 0), x.start, x) for x in here
                    if 0 <= start - x.end <= AGE_REACH or 0 <= x.start - end <= AGE_REACH)
    if beside:
        return _surname(beside[0][2].name)
    named = _NAME_AFTER.match(f.sentence.text[m.end():]) if m.group(1) else None
    if named and fold(named.group(1)) not in stopwords():
        # "25-year-old Arbery" (the tagger missed the name here), "the nearly 70-year-old North Atlantic Treaty
        # Organization" (no one's age): whoever the name is, not the article's main person
        name = _surname(named.group(0))
        return name if name in _people(material) else None
    # "... and Malik, 29, were": a surname right before the age that the tagger missed here but took for a
    # person's elsewhere in the storyline
    before = re.search(r"([A-Z][\w'’-]+)$", f.sentence.text[:m.start()])
    if before and (name := _surname(before.group(1))) in _people(material):
        return name
    described = f.sentence.text[max(0, m.start() - 4):m.start()].lower() == "the "
    if here and not described:
        return _surname(here[0].name) if len({_surname(x.name) for x in here}) == 1 else None
    mentions = [x for x in material.mentions.get(f.article_id, []) if x.label == "PERSON"]
    noun = tokens(f.sentence.text[m.end():m.end() + 30])[:1]
    if described and noun:
        called = _called(noun[0], mentions, material, f.article_id)
        if called or here:
            return called
    if f.article_id not in main:
        counts = Counter(_surname(x.name) for x in mentions)
        main[f.article_id] = counts.most_common(1)[0][0] if counts else None
    return main[f.article_id]


def _people(material: Material) -> set[str]:
    """The surnames of every person the storyline's articles name (worked out once per material)."""
    if "surnames" not in material.cache:
        material.cache["surnames"] = {_surname(x.name) for ms in material.mentions.values() for x in ms
                                      if x.label == "PERSON"}
    return material.cache["surnames"]


def _called(noun: str, mentions: list, material: Material, article_id: str) -> str | None:
    """The one person (surname) the article names right after ``noun`` ("journalist Clara Weiss", "Courier
    columnist Clara Weiss"), if one."""
    sentences = {s.index: s for s in material.sentences.get(article_id, [])}
    title = re.compile(rf"\b{re.escape(noun)}s?\s+(?:[A-Z][\w.'’-]*\s+)?$", re.I)
    found = set()
    for x in mentions:
        s = sentences.get(x.sentence)
        if s is not None and title.search(s.text[max(0, x.start - s.start - 40):x.start - s.start]):
            found.add(_surname(x.name))
    return found.pop() if len(found) == 1 else None


def _surname(name: str) -> str:
    words = tokens(name)
    return words[-1] if words else name
