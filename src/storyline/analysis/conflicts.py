"""Conflicts: where sources, or one article with itself, disagree about the same thing.

``find(store, story)`` returns ``[{kind, about, confidence, update, updated_by, sides: [{article_id, outlet,
start, end, text, value}]}]`` (sentence offsets), surest first; ``update`` marks a conflict that is one
outlet's later version of its own story changing a value, ``updated_by`` names the outlets whose own
articles give two of the values. Precision comes first: facts are aligned before values are compared (the
same quantity of the same thing, the same happening's date, the same measure, the same statement), and
each kind asks for more than a differing value:

1. **number** (``number_conflicts``, aligned by ``align``): figures read as ranges (``numbers.py``) that
   do not overlap, counting the same thing (unit, nationality, what an amount is for, the whole a share is
   of), at the same rate and place, neither in a demand or offer, never a figure that is a breakdown, a
   requirement or the whole a part is counted out of; one person given two ages;
2. **date**: two days for one happening, aligned by the words around the dates ("signed an agreement ...
   ending the strike") or by the sentences being two wordings of one statement; dates of speech,
   datelines and bounds of a term ("until March 1") are left out;
3. **place**: two sentences about a gathering of the same two people giving sites that are not the same
   and not named in the other sentence ("met in Paris" / "their Oval Office meeting"); one person said to
   be from two towns of one state (``hometowns``);
4. **instrument**: one measure (the common words around it, or a paraphrase) called a decree in one
   sentence and a law or an ordinance in another, both in force or both still to be made (classes from
   ``data/analysis.toml``);
5. **speaker**: one statement (quotes grouped across articles) credited by each sentence itself to a
   different person;
6. **quote**: variants of one statement whose aligned wording differs in a negation, a number or a
   name, not in mere wording;
7. **person**: one act credited to two different people by independent sources (``analysis.people_named``).

A storyline longer than ``vectors.MAX_COMPARED`` sentences is read among the sentences the brief compares in
meaning (each article's opening sentences first).

Pairs of one kind are joined into one conflict when they share a side (a sentence and its value) or give
the same two values of one quantity, so a figure disputed by five articles is one conflict with its sides.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from .align import country_table, same_event
from .facts import Fact, build, gathering_kinds, gathering_pattern, pairs
from .material import Material, Quote, load
from .hometowns import hometowns
from .number_conflicts import ages, numbers, same_quantity
from .people_named import middle_names, named_people
from .post_holders import post_holders
from .vectors import compared, cosine, vectors
from .words import content_stems, days_apart, fold, lexicon, stem, stopwords, tokens

MAX_BUCKET = 150  # facts compared under one blocking key (the earliest): bounds the pairs per key
MAX_SIDES_PER_VALUE = 4  # sentences shown for one value of a conflict
MIN_SHARED_STEMS = 4  # words two sentences must share to be about the same thing (dates, instruments)
MIN_DATE_OVERLAP = 0.3  # shared words / words of the shorter sentence, for date conflicts
MIN_DAY_CONTEXT = 2  # words shared around the two dates (what they are dates of)
MIN_EVENT_CONTEXT = 3  # words shared around two dates that make them dates of one happening ...
EVENT_COSINE = 0.5  # ... when their sentences are this alike
WEEKDAY_SLACK = 7  # days a weekday resolved against a publication date may be off
WEEKDAY_REACH = 31  # a weekday's day and a named date further apart than this date two happenings
MIN_QUOTE_WORDS = 5  # a quote shorter than this is too short to credit to one speaker
INSTRUMENT_COSINE = 0.8  # sentence cosine of two sentences naming one thing's instrument
DESCRIBED_WINDOW = 60  # characters either side of an instrument's name that say what it is of and does
MIN_DESCRIBED = 2  # words of that description two instruments must share to be one measure ...
DESCRIBED_COSINE = 0.5  # ... and then the cosine their sentences need
PARAPHRASE = 0.8  # sentence cosine of two wordings of one statement (dates, instruments)
PLACE_COSINE = 0.6  # sentence cosine of two reports of one gathering's site
SAME_QUOTE = 0.8  # shared words / words of the shorter quote, for speaker conflicts
MAX_INSERTED = 4  # words one quote variant adds where the other has none: more is an elision, not a rewording
MIN_ANCHOR = 2  # words in a row two variants share that bound the stretch both quote


@dataclass(frozen=True, slots=True)
class _Pair:
    kind: str
    a: Fact
    b: Fact
    value_a: str
    value_b: str
    confidence: float
    about: str
    key: Any = None  # the quantity a number pair is about: pairs of one quantity and two values are joined


def find(store: Any, story: dict[str, Any]) -> list[dict[str, Any]]:
    """The conflicts of one storyline (``api.story`` dict), surest first."""
    return detect(load(store, story))


def detect(material: Material) -> list[dict[str, Any]]:
    """The conflicts in ``material`` (computed once per material: claims read them too)."""
    if "conflicts" not in material.cache:
        material.cache["conflicts"] = _detect(material)
    return material.cache["conflicts"]


def _detect(material: Material) -> list[dict[str, Any]]:
    facts = build(material)
    # the sentences the brief compares in meaning, embedded in one batch (pairs below would embed them two
    # at a time, and the claims embed them anyway)
    among = compared(facts)
    vectors(material, among)
    if len(among) < sum(not f.doc.opinion for f in facts):
        # a storyline longer than vectors.MAX_COMPARED sentences is read among the ones it compares (each
        # article's opening sentences first, stored as the story stage placed them): a later sentence would
        # load the sentence model for one pair
        facts = among
    found: list[_Pair] = []
    found += (_Pair("number", *x) for x in numbers(facts, material))
    found += (_Pair("number", *x) for x in ages(facts, material))
    found += _dates(facts, material)
    found += _places(facts, material)
    found += (_Pair("place", *x) for x in hometowns(facts, material))
    found += _instruments(facts, material)
    by_sentence = {(f.article_id, f.sentence.index): f for f in facts}
    found += _quotes(material, by_sentence)
    found += (_Pair("person", *x) for x in named_people(facts, material))
    found += (_Pair("person", *x) for x in post_holders(facts, material))
    found += (_Pair("person", *x) for x in middle_names(facts, material))
    out = [c for kind in dict.fromkeys(p.kind for p in found) for c in _join([p for p in found if p.kind == kind])]
    return sorted(out, key=lambda c: (-c["confidence"], c["kind"], c["about"]))


# -- blocking helpers --------------------------------------------------------------------------------

def _related(a: Fact, b: Fact) -> bool:
    """Two different sentences of one article, or of one event."""
    if a.article_id == b.article_id:
        return a.sentence.index != b.sentence.index
    return a.doc.event_id is not None and a.doc.event_id == b.doc.event_id


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / (min(len(a), len(b)) or 1)


# -- dates -------------------------------------------------------------------------------------------

def _dates(facts: list[Fact], material: Material) -> Iterator[_Pair]:
    """Two sentences of one event (or one article) giving disjoint days for one happening. The happening is
    aligned first: either the words around the two dates name it alike ("signed an agreement on Friday
    ending the strike" / "signed an agreement Oct. 8 ending a walkout"), or the sentences are two wordings of
    one statement (shared entities and words, MiniLM cosine ``PARAPHRASE``). A weekday resolved against a
    publication date may be off by a week: it disagrees only with a named date further away than that."""
    dated = [f for f in facts if f.days]
    # the words around the two dates must agree: block on the event and each word around a date
    def keys(f: Fact) -> Iterator[tuple]:
        return ((f.doc.event_id, w) for day in f.days for w in day[3])

    for a, b in pairs(dated, keys, MAX_BUCKET):
        if not _related(a, b):
            continue
        days_a, days_b = {d[0] for d in a.days}, {d[0] for d in b.days}
        if days_a & days_b:
            continue  # they agree on a day: other days name other happenings
        da, db = max(((x, y) for x in a.days for y in b.days), key=lambda xy: len(xy[0][3] & xy[1][3]))
        if fold(da[1]) == fold(db[1]):
            continue  # the same words ("Oct. 31") mean the same day: resolved against two years, not disputed
        if _ranged(a, da) or _ranged(b, db):
            continue  # "a Sept. 26-30 poll": the first day of a span, no one happening's day
        # a weekday against a named date: only across articles (one article naming "a June 12 summit" and
        # "scrapped the meeting on Thursday" dates two happenings; its writer knew both days)
        one_event = len(da[3] & db[3]) >= MIN_EVENT_CONTEXT and _point(a, da) and _point(b, db) \
            and a.article_id != b.article_id
        # ... and one happening: "on Tuesday" in March and "Nov. 13" are a recent happening and an older one
        if not (_named_day(da) and _named_day(db)) and not (
                one_event and (_named_day(da) or _named_day(db))
                and WEEKDAY_SLACK < (days_apart(da[0], db[0]) or 0) <= WEEKDAY_REACH):
            continue
        shared = a.stems & b.stems
        if len(shared) < MIN_SHARED_STEMS:
            continue
        if one_event:
            if cosine(material, a, b) < EVENT_COSINE:
                continue
        elif _overlap(a.stems, b.stems) < MIN_DATE_OVERLAP or not (a.entities & b.entities) \
                or len(da[3] & db[3]) < MIN_DAY_CONTEXT or cosine(material, a, b) < PARAPHRASE:
            continue  # two wordings of one statement, not two sentences about nearby happenings
        confidence = 0.5 + 0.2 * (_overlap(a.stems, b.stems) >= 0.6) + 0.1 * (len(a.entities & b.entities) >= 2)
        # each side's value is its own words ("Jan. 16", "next Thursday"); what day each means is in ``about``
        yield _Pair("date", a, b, da[1], db[1], confidence, f"when: {da[1]} ({da[0]}) vs {db[1]} ({db[0]})")


_BOUND = re.compile(r"\b(?:until|till|through|by|before|after|since|from|to|ahead of|as of)\s+(?:the\s+)?$", re.I)


def _point(f: Fact, day: tuple) -> bool:
    """A date of when something happens ("signed on Friday", "met Oct. 8"), not a bound of a term ("funded
    until March 1", "by May 9"): two measures carry other bounds."""
    at = f.sentence.text.find(day[1])
    return at >= 0 and not _BOUND.search(f.sentence.text[max(0, at - 15):at])


_RANGE_ON = re.compile(r"^\s*(?:-|–|—|to|through|thru)\s*\d{1,2}\b")


def _ranged(f: Fact, day: tuple) -> bool:
    """A day written as the start of a span ("Sept. 26-30", "June 3 to 7")."""
    at = f.sentence.text.find(day[1])
    return at >= 0 and bool(_RANGE_ON.match(f.sentence.text[at + len(day[1]):at + len(day[1]) + 12]))


_MONTHS = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}\s+"
                     r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}")


def _named_day(day: tuple) -> bool:
    """A day the text names ("March 1", "1 March 2025"), not one resolved from "Monday" or "yesterday"."""
    return day[2] == "explicit" or bool(_MONTHS.search(day[1]))


# -- places ------------------------------------------------------------------------------------------

def _places(facts: list[Fact], material: Material) -> Iterator[_Pair]:
    sited = [f for f in facts if f.sites and len(f.people) >= 2]
    # two people in common: block on the event and each pair of people named
    def keys(f: Fact) -> Iterator[tuple]:
        people = sorted(f.people)
        return ((f.doc.event_id, x, y) for i, x in enumerate(people) for y in people[i + 1:])

    for a, b in pairs(sited, keys, MAX_BUCKET):
        # one article naming two sites names two gatherings (its writer knew both: "the Hanoi summit", "a
        # second summit in Washington"); two articles disagree only on a gathering of one kind (a summit in
        # Helsinki is not contradicted by a press conference in New York)
        if a.article_id == b.article_id or not same_event(a, b) or len(a.people & b.people) < 2 \
                or not _gathering_kinds(a.sentence.text) & _gathering_kinds(b.sentence.text):
            continue
        names_a = {k for k, _, _ in a.place_spans} | {fold(n) for _, n in a.sites}
        names_b = {k for k, _, _ in b.place_spans} | {fold(n) for _, n in b.sites}
        sites_a = {k for k, _ in a.sites}
        sites_b = {k for k, _ in b.sites}
        if sites_a & names_b or sites_b & names_a or _contained(a.sites, b.sites) or _country(a.sites + b.sites):
            continue
        if cosine(material, a, b) < PLACE_COSINE:
            continue   # "the White House meeting" / "met behind closed doors in Helsinki": two gatherings
        confidence = 0.6
        va, vb = "; ".join(n for _, n in a.sites), "; ".join(n for _, n in b.sites)
        yield _Pair("place", a, b, va, vb, confidence, f"where: {va} vs {vb}")


@lru_cache(maxsize=4096)
def _gathering_kinds(text: str) -> frozenset[str]:
    """The kinds of gathering a sentence names ("met" and "meeting" are one kind, "summit" another:
    ``[conflicts.gatherings]`` of ``data/analysis.toml``)."""
    kinds = gathering_kinds()
    return frozenset(kinds[" ".join(fold(m.group()).split())] for m in gathering_pattern().finditer(text))


def _country(sites: tuple[tuple[str, str], ...]) -> bool:
    """A country or region given as a meeting's site ("their summit in Finland", "in the Gulf state"): it holds
    the city another report names, so the two do not disagree."""
    countries = country_table()
    return any(fold(n) in countries for _, n in sites)


def _contained(xs: tuple[tuple[str, str], ...], ys: tuple[tuple[str, str], ...]) -> bool:
    """One name inside the other ("Oval Office" / "the Oval Office of the White House")."""
    return any(fold(x) in fold(y) or fold(y) in fold(x) for _, x in xs for _, y in ys)


# -- instruments -------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _instrument_classes() -> frozenset[str]:
    return frozenset(lexicon()["conflicts"]["instruments"])


def _instruments(facts: list[Fact], material: Material) -> Iterator[_Pair]:
    named = [f for f in facts if f.instruments]
    # another class of instrument: block on each pair of classes (across events: background repeats)
    def keys(f: Fact) -> Iterator[tuple]:
        mine = {c for c, _ in f.instruments}
        return (tuple(sorted((c, o))) for c in mine for o in _instrument_classes() if o not in mine)

    for a, b in pairs(named, keys, MAX_BUCKET):
        if a.article_id == b.article_id or a.doc.source == b.doc.source:
            continue
        classes_a, classes_b = {c for c, _ in a.instruments}, {c for c, _ in b.instruments}
        if classes_a & classes_b:
            continue  # both name the same kind of instrument (the other may be another text)
        words = {w for _, text in a.instruments + b.instruments for w in tokens(text)}
        shared = (a.stems & b.stems) - {w[:-1] if w.endswith("e") else w for w in words} - words
        entities = a.entities & b.entities
        if len(shared) < MIN_SHARED_STEMS - 1 or not (entities or len(shared) >= MIN_SHARED_STEMS):
            continue
        described = len(_described(a) & _described(b)) >= MIN_DESCRIBED and _prospective(a) == _prospective(b)
        if cosine(material, a, b) < (DESCRIBED_COSINE if described else INSTRUMENT_COSINE):
            continue  # "DACA began as an executive order" / "Congress must pass a law": other things
        purposes = _purpose(a), _purpose(b)
        if all(purposes) and purposes[0] != purposes[1]:
            continue  # "an executive order to freeze pay" / "legislation to give back pay": two texts
        confidence = 0.6 + 0.1 * bool(entities) + 0.1 * (len(shared) >= MIN_SHARED_STEMS + 2)
        va = ", ".join(t for _, t in a.instruments)
        vb = ", ".join(t for _, t in b.instruments)
        yield _Pair("instrument", a, b, va, vb, confidence, f"what instrument: {va} vs {vb}")


_MAKE = r"(?:pass|enact|adopt|introduc|draft|writ|sign|issu|approv|consider|propos)\w*"
_TO_MAKE = re.compile(rf"(?:\b(?:to|will|would|could|should|must|may|might)\s+(?:[\w’'-]+\s+){{0,2}}{_MAKE}|"
                      rf"\b(?:consider|propos|draft|debat)ing)\s+(?:[\w’'-]+\s+){{0,4}}$", re.I)
_TO_BE_MADE = re.compile(rf"^\W*(?:[\w’'-]+\s+){{0,1}}to\s+be\s+{_MAKE}", re.I)


_PURPOSE = re.compile(r"^\s+(?:[\w’'-]+\s+){0,2}?to\s+([a-z]+)")


def _purpose(f: Fact) -> str | None:
    """What the sentence's instrument is for, by the verb after "to" ("an executive order to freeze pay" ->
    "freez"), if it says."""
    text = f.sentence.text
    for _, name in f.instruments:
        at = text.find(name)
        m = _PURPOSE.match(text[at + len(name):at + len(name) + 40]) if at >= 0 else None
        if m:
            return stem(m.group(1))
    return None


def _prospective(f: Fact) -> bool:
    """The sentence's instrument is still to be made ("attempts to pass a law", "considering legislation",
    "an ordinance to be adopted"), not one in force: a law to come and a decree in force are two texts."""
    text = f.sentence.text
    for _, name in f.instruments:
        at = text.find(name)
        if at >= 0 and (_TO_MAKE.search(text[max(0, at - 50):at])
                        or _TO_BE_MADE.match(text[at + len(name):at + len(name) + 40])):
            return True
    return False


def _described(f: Fact) -> frozenset[str]:
    """What the sentence's instruments are of and do: content stems of the common words (not names: a
    program's name beside "executive order" and "legislation" says nothing of which text is meant) either
    side of each ("a decree banning negotiations with ...", "the deal, which will be given force through an
    ordinance")."""
    text, out = f.sentence.text, set()
    for _, name in f.instruments:
        at = text.find(name)
        if at >= 0:
            near = text[max(0, at - DESCRIBED_WINDOW):at] + " " + text[at + len(name):at + len(name) + DESCRIBED_WINDOW]
            out.update(content_stems(" ".join(re.findall(r"\b[a-z][\w’'-]*", near))))
    return frozenset(out)


# -- quotes and speakers -----------------------------------------------------------------------------

def _quotes(material: Material, by_sentence: dict[tuple[str, int], Fact]) -> Iterator[_Pair]:
    # one representative per wording and speaker: a statement carried by thousands of articles is compared
    # over its few variants, not over every pair of articles; a few more reports of each variant are
    # shown as sides of the conflicts it takes part in
    statements: dict[int, dict[tuple[str, int | None], list[tuple[Fact, Quote]]]] = defaultdict(dict)
    for aid, quotes in material.quotes.items():
        for q in quotes:
            f = by_sentence.get((aid, q.sentence))
            if q.statement_id is None or q.kind not in ("direct", "partial", "indirect") or f is None:
                continue
            reports = statements[q.statement_id].setdefault((" ".join(tokens(q.text)), q.speaker_id), [])
            if len(reports) < MAX_SIDES_PER_VALUE and all(x.article_id != aid for x, _ in reports):
                reports.append((f, q))
    for variants in statements.values():
        groups = list(variants.values())
        for i, group_a in enumerate(groups):
            for group_b in groups[i + 1:]:
                (fa, qa), (fb, qb) = group_a[0], group_b[0]
                if fa.article_id == fb.article_id:
                    continue
                for p in [*_speaker_pair(fa, qa, fb, qb), *_variant_pair(fa, qa, fb, qb)]:
                    yield p
                    yield from (_Pair(p.kind, f, fb, p.value_a, p.value_b, p.confidence, p.about)
                                for f, _ in group_a[1:])
                    yield from (_Pair(p.kind, fa, f, p.value_a, p.value_b, p.confidence, p.about)
                                for f, _ in group_b[1:])


def _speaker_pair(fa: Fact, qa: Quote, fb: Fact, qb: Quote) -> Iterator[_Pair]:
    if qa.speaker_id is None or qb.speaker_id is None or qa.speaker_id == qb.speaker_id:
        return
    if "indirect" in (qa.kind, qb.kind):
        return  # a reporter's paraphrase ("praised the Affordable Care Act") is no one's words to dispute
    if qa.speaker_type != "PERSON" or qb.speaker_type != "PERSON":
        return  # an institution and its spokesperson credit one voice
    # only attributions the sentences make themselves ("..., Peskov said"), not speakers carried over from
    # an earlier sentence or a pronoun: those are this system's guesses, not the outlets' claims
    if not (_named_in(qa, fa) and _named_in(qb, fb)) or _same_name(qa.speaker or "", qb.speaker or ""):
        return
    if _named_in(qb, fa) or _named_in(qa, fb):
        return  # a sentence naming both people ("Radu quoted Stan as saying") credits neither plainly
    if _RELAYED.search(fa.sentence.text) or _RELAYED.search(fb.sentence.text):
        return  # "Barr quotes directly from the report": one person reading out another's words
    ta, tb = _content(qa.text), _content(qb.text)
    if min(len(ta), len(tb)) < MIN_QUOTE_WORDS - 2 or _overlap(frozenset(ta), frozenset(tb)) < SAME_QUOTE:
        return
    yield _Pair("speaker", fa, fb, _as_written(qa, fa), _as_written(qb, fb), 0.7,
                f"who said \u201c{_short(qa.text)}\u201d: {qa.speaker} vs {qb.speaker}")


#: a sentence relaying someone else's words: who says them is not who wrote them
_RELAYED = re.compile(r"\b(?:quot(?:es|ed|ing)|cit(?:es|ed|ing)|read(?:s|ing)?\s+(?:out\s+)?from|reading\s+aloud)\b",
                      re.I)


def _as_written(q: Quote, f: Fact) -> str:
    """The speaker's name as the sentence writes it ("Vasile said": "Vasile"), the value shown."""
    full = q.speaker or (q.speaker_text or "").strip()
    for name in (full, (q.speaker_text or "").strip(), full.split()[-1] if full else ""):
        if name and name in f.sentence.text:
            return name
    return full


def _named_in(q: Quote, f: Fact) -> bool:
    """The sentence credits the quote itself: it holds the speaker's name as given, or the surname
    ("Vasile said ..." after "Labour Minister Elena Vasile" earlier)."""
    said = (q.speaker_text or "").strip()
    glued = re.search(r"[a-z][A-Z]", said)   # "CorkerLindsey Graham": another page's headlines run together
    if len(said) <= 2 or not said[:1].isupper() or "\n" in said or glued:
        return False
    surname = (q.speaker or said).split()[-1]

    def named(name: str) -> bool:
        # a name after "the" modifies a noun ("the Mueller probe would focus on ..."): it credits no one
        return re.search(rf"(?<!\bthe )(?<!\bThe )(?<!\w){re.escape(name)}(?!\w)", f.sentence.text) is not None

    return named(said) or (len(surname) > 2 and surname[:1].isupper() and named(surname))


def _same_name(a: str, b: str) -> bool:
    fa, fb = " ".join(tokens(a)), " ".join(tokens(b))
    return not fa or not fb or fa in fb or fb in fa


def _content(text: str) -> list[str]:
    stop = stopwords()
    return [t for t in tokens(text) if t not in stop]


@lru_cache(maxsize=1)
def _negations() -> frozenset[str]:
    return frozenset(lexicon()["words"]["negation"])


def _variant_pair(fa: Fact, qa: Quote, fb: Fact, qb: Quote) -> Iterator[_Pair]:
    wa, wb = _plain(_raw_tokens(qa.text)), _plain(_raw_tokens(qb.text))
    la, lb = [fold(w) for w in wa], [fold(w) for w in wb]
    if la == lb:
        return
    matcher = SequenceMatcher(None, la, lb, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size]
    if not blocks or sum(m.size for m in blocks) < MIN_QUOTE_WORDS:
        return
    # the stretch both quote is bounded by runs of words they share, not by one common word ("a", "Reade")
    # that happens to occur in another part of a longer quote
    anchored = [m for m in blocks if m.size >= MIN_ANCHOR] or blocks
    first, last = anchored[0], anchored[-1]
    changed_a: list[str] = []
    changed_b: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        # only changes inside the stretch both variants quote: one quoting less is not a difference, nor is one
        # leaving out a whole stretch of words inside it (a sentence elided, as a quote is cut to fit)
        if op == "equal" or i1 < first.a or i2 > last.a + last.size or j1 < first.b or j2 > last.b + last.size:
            continue
        if abs((i2 - i1) - (j2 - j1)) > MAX_INSERTED:
            continue   # one side has a whole stretch more: an elision or a reporter's lead-in, not a rewording
        changed_a += wa[i1:i2]
        changed_b += wb[j1:j2]
    reason = _meaningful(changed_a, changed_b)
    if reason:
        confidence = {"negation": 0.8, "number": 0.75, "name": 0.6}[reason]
        yield _Pair("quote", fa, fb, qa.text, qb.text, confidence,
                    f"wording of \u201c{_short(qa.text)}\u201d differs in a {reason}")


_AUXILIARIES = frozenset({"do", "does", "did", "will", "can", "would", "should", "could", "is", "are"})
_APOSTROPHES = str.maketrans({c: "'" for c in "’‘ʼ´`›‹′"})
_CONTRACTED = {"can't": ["can", "not"], "won't": ["will", "not"], "shan't": ["shall", "not"]}
MAX_REPEAT = 4  # words of a stretch said twice in a row that count once ("I didn't have - did not have")


def _plain(words: list[str]) -> list[str]:
    """The words a quote says, as plainly as they can be compared: a question suggesting something keeps no
    negation ("Why don't they go back" suggests going back, so a variant quoting "go back" does not drop a
    "not"), and a stretch said twice in a row is said once ("it never, never happened", "I didn't have — did
    not have")."""
    out: list[str] = []
    for w in words:
        folded = fold(w)
        if folded == "not" and out and (fold(out[-1]) == "why" or len(out) > 1 and fold(out[-2]) == "why"
                                        and fold(out[-1]) in _AUXILIARIES):
            continue
        out.append(w)
        for n in range(1, MAX_REPEAT + 1):
            if len(out) >= 2 * n and [fold(x) for x in out[-n:]] == [fold(x) for x in out[-2 * n:-n]]:
                del out[-n:]
                break
    return out


def _raw_tokens(text: str) -> list[str]:
    """A quote's words, apostrophes of any form read as one and negations written out ("didn't" -> "did",
    "not"; "won't" -> "will", "not"): "isn't" and "is not" are one wording."""
    out: list[str] = []
    for w in re.findall(r"[^\W_]+(?:'[^\W_]+)*", text.translate(_APOSTROPHES), re.U):
        folded = fold(w)
        if folded in _CONTRACTED:
            out += _CONTRACTED[folded]
        elif folded.endswith("n't") and len(folded) > 3:
            out += [w[:-3], "not"]
        else:
            out.append(w)
    return out


def _meaningful(a: list[str], b: list[str]) -> str | None:
    """What a change between two variants changes: its polarity (one negates what the other does not: "is
    not" / "wasn't", "never" / "not" are one polarity), a number ("3 o'clock" / "three o'clock" is one), or
    nothing that matters (a rewording)."""
    if _negated(a) != _negated(b):
        return "negation"
    numbers = lexicon()["numbers"]["words"]
    nums_a = {str(numbers.get(w, w)) for w in map(fold, a) if w.isdigit() or w in numbers}
    nums_b = {str(numbers.get(w, w)) for w in map(fold, b) if w.isdigit() or w in numbers}
    if nums_a and nums_b and nums_a != nums_b:
        return "number"
    return None  # a name or a word changed: a rewording, not a change of meaning


def _negated(words: list[str]) -> bool:
    """Whether changed words negate: an odd number of negations ("not ... never" cancel out; ``_raw_tokens``
    has written "n't" out as "not")."""
    negations = _negations()
    return sum(1 for w in map(fold, words) if w in negations) % 2 == 1


def _short(text: str, words: int = 10) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


# -- joining pairs into conflicts --------------------------------------------------------------------

def _join(found: list[_Pair]) -> list[dict[str, Any]]:
    """Pairs sharing a side (a sentence with its value) become one conflict with all their sides, and so do
    pairs about one quantity giving the same two values (``number_conflicts.same_quantity``)."""
    parent: dict[tuple[str, int, str], tuple[str, int, str]] = {}

    def root(x: tuple[str, int, str]) -> tuple[str, int, str]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def node(f: Fact, value: str) -> tuple[str, int, str]:
        return (f.article_id, f.sentence.index, value)

    for p in found:
        parent[root(node(p.a, p.value_a))] = root(node(p.b, p.value_b))
    keyed = [p for p in found if p.key is not None][:MAX_BUCKET]
    for i, p in enumerate(keyed):
        for q in keyed[i + 1:]:
            if same_quantity(p.key, q.key):
                parent[root(node(p.a, p.value_a))] = root(node(q.a, q.value_a))
    groups: dict[tuple[str, int, str], list[_Pair]] = defaultdict(list)
    for p in found:
        groups[root(node(p.a, p.value_a))].append(p)
    return [_conflict(ps) for ps in groups.values()]


def _conflict(found: list[_Pair]) -> dict[str, Any]:
    found = sorted(found, key=lambda p: -p.confidence)
    best = found[0]
    sides: dict[tuple[str, int], dict[str, Any]] = {}
    per_value: dict[str, int] = defaultdict(int)
    for p in found:
        for f, value in ((p.a, p.value_a), (p.b, p.value_b)):
            key = (f.article_id, f.sentence.index)
            if key in sides or per_value[value] >= MAX_SIDES_PER_VALUE:
                continue
            per_value[value] += 1
            s = f.sentence
            sides[key] = {"article_id": f.article_id, "outlet": f.doc.outlet, "start": s.start, "end": s.end,
                          "text": s.text.strip(), "value": value, "published": f.doc.published}
    ordered = sorted(sides.values(), key=lambda s: (s["value"], s["published"] or "", s["article_id"], s["start"]))
    # one outlet's later version of its own story giving another value: an update, shown as such (``update``
    # when that is the whole conflict; ``updated_by`` names the outlets whose own articles give two values)
    update = all(p.a.doc.outlet and p.a.doc.outlet == p.b.doc.outlet and p.a.article_id != p.b.article_id
                 for p in found)
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for side in ordered:
        if side["outlet"]:
            values[side["outlet"]][side["value"]].add(side["article_id"])
    updated_by = sorted(o for o, vs in values.items() if len(vs) > 1 and len(set().union(*vs.values())) > 1)
    ident = hashlib.blake2b("|".join(sorted(f"{s['article_id']}:{s['start']}" for s in ordered)).encode(),
                            digest_size=6).hexdigest()
    return {"id": ident, "kind": best.kind, "about": best.about, "confidence": round(best.confidence, 2),
            "update": update, "updated_by": updated_by, "sides": ordered}
