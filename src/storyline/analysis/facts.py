"""Fact-bearing sentences: what each sentence of a storyline can be compared on, built once per storyline.

A ``Fact`` is one sentence with its content stems, the canonical entities it names, its figures
(``numbers.quantities``), the days it gives for events (time expressions of day granularity that do not
date the speech itself: "said on Monday" dates the saying), the places it names and the legal
instruments it names. Claims cluster facts; conflicts compare facts that are about the same thing. Sentences
of an embedded social-media post (``cite.embedded_posts``) are someone else's words, not the outlet's report:
they make no fact.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from .cite import embedded_posts
from .material import Doc, Material, Sentence
from .numbers import Quantity, quantities
from .words import content_stems, fold, lexicon, phrase_pattern, stems_of, tokens

MIN_STEMS = 4  # a sentence with fewer content words asserts too little to match or compare
PLACE_LABELS = ("GPE", "LOC", "FAC")
ACTOR_LABELS = ("PERSON", "ORG", "NORP", "GPE")
NAMED_LABELS = ("PERSON", "ORG", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW")  # names a figure may count for
DAY_WINDOW = 40  # characters either side of a date whose words say what the date is of
SPEECH_GAP = 24  # characters between a speech verb and a date that then dates the speech
TIMELINE_LEAD = 4  # words before "February 22:" that still leave it a timeline's entry (a list run into one line)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PLACE_CUE = re.compile(r"(?:\b(?:in|at)\s+(?:the\s+)?)$", re.I)
_LOCATIVE = re.compile(r"\b(?:in|at|across|near|throughout)\s+(?:the\s+)?(?:[a-z]+\s+)?$", re.I)
SITE_WINDOW = 60  # characters between a gathering word and the place given as its site
_NAMED_GATHERING = re.compile(r"(?:\b(?:their|the|a|an|his|her)\s+)((?:[A-Z][\w'’-]+\s){1,3})"
                              r"(?:meeting|talks|summit|conference)\b")
MAX_CLAUSE_HEAD = 2  # words before a date at the head of its clause ("Late on Monday")
_SAID_AFTER = re.compile(r"\W*(?:,\s*)?(?:he|she|they|it|the \w+)?\s*(?:said|told)")
_WEEKDAY = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day$", re.I)
#: a weekday that is part of a name ("Super Tuesday", "Black Friday", "Ash Wednesday")
_NAMED_WEEKDAY = re.compile(r"\b(?:Super|Black|Cyber|Good|Ash|Easter|Palm|Bloody|Giving|Holy|Shrove)\s$")
_DATELINE = re.compile(r"^[\s,]*\(|^\s*\d{4}\s*\(|^[,\s]*\d{1,2}:\d{2}")


@dataclass(frozen=True, slots=True)
class Fact:
    sentence: Sentence
    doc: Doc
    stems: frozenset[str]
    entities: frozenset[str]  # canonical entity keys ("e12"), places included
    people: frozenset[str]  # PERSON entities
    figures: tuple[Quantity, ...]
    days: tuple[tuple[str, str, str, frozenset[str]], ...]  # (value, text, basis, stems around it) of event days
    place_spans: tuple[tuple[str, int, int], ...]  # (entity key, start, end) of places, offsets in the sentence
    locations: frozenset[str]  # countries and towns named as where things are ("in Moldova", "across Romania")
    sites: tuple[tuple[str, str], ...]  # (key, name) of places given as where a gathering happens
    instruments: tuple[tuple[str, str], ...]  # (class, matched text)
    quoted: bool  # the sentence carries a quote
    #: (entity key, label, start, end) of the names that are not places (people, groups, organisations, products),
    #: offsets in the sentence; kept for sentences with figures (what a figure's clause names)
    named: tuple[tuple[str, str, int, int], ...] = ()

    @property
    def article_id(self) -> str:
        return self.sentence.article_id


@lru_cache(maxsize=1)
def _instruments() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every instrument phrase, and the class of each phrase (folded, single-spaced)."""
    classes = {" ".join(fold(w).split()): name for name, words in lexicon()["conflicts"]["instruments"].items()
               for w in words}
    return phrase_pattern(list(classes)), classes


@lru_cache(maxsize=1)
def gathering_pattern() -> re.Pattern[str]:
    return phrase_pattern(list(gathering_kinds()))


@lru_cache(maxsize=1)
def gathering_kinds() -> dict[str, str]:
    """Each gathering word (folded, single-spaced) -> its kind ("met" -> "meeting")."""
    return {" ".join(fold(w).split()): kind for kind, words in lexicon()["conflicts"]["gatherings"].items()
            for w in words}


@lru_cache(maxsize=1)
def _speech_pattern() -> re.Pattern[str]:
    return phrase_pattern(lexicon()["conflicts"]["speech"]["words"])


def entity_key(entity_id: int | None, name: str) -> str:
    return f"e{entity_id}" if entity_id is not None else "n:" + " ".join(tokens(name))


def build(material: Material) -> list[Fact]:
    """One ``Fact`` per sentence of the storyline with at least ``MIN_STEMS`` content words, or two and a
    figure (built once per material: claims and conflicts share them)."""
    if "facts" not in material.cache:
        material.cache["facts"] = _build(material)
    return material.cache["facts"]


def _build(material: Material) -> list[Fact]:
    out = []
    for aid, doc in material.docs.items():
        by_sentence: dict[int, list] = defaultdict(list)
        for m in material.mentions.get(aid, []):
            by_sentence[m.sentence].append(m)
        times: dict[int, list] = defaultdict(list)
        for t in material.times.get(aid, []):
            times[t.sentence].append(t)
        quoted = {q.sentence for q in material.quotes.get(aid, [])}
        posts = embedded_posts(doc.text)   # someone else's post, not the outlet's report
        for s in material.sentences.get(aid, []):
            if posts and any(ps < s.end and s.start < pe for ps, pe in posts) or caption(s.text):
                continue
            words = tokens(s.text)
            stems = stems_of(words)
            # a short sentence with a figure still says something ("Farook, 28, and Malik, 29, were married.",
            # "In all, 89 people were killed.")
            if len(set(stems)) < MIN_STEMS and not (len(set(stems)) >= 2 and any(c.isdigit() for c in s.text)):
                continue
            out.append(_fact(s, doc, stems, set(words), by_sentence[s.index], times[s.index], s.index in quoted))
    return out


#: a photo's caption: "Migrants walk along a highway near Tapachula, Mexico, October 21, 2018." (the day the
#: photo was taken, ending the line after a comma, not after a weekday), "FILE - In this March 31, 2020 file photo, ..."
_CAPTION = re.compile(r"(?:(?<!day),\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}\.?\s*$)"
                      r"|^\W*file\s*(?:photo)?\s*[-–—:]|\bfile\s+photo\b", re.I)


#: ... or what a photo shows, in the present tense, on a day given at the end ("Cruz speaks at a reception on
#: August 29, 2012, in Tampa, Florida."): news tells a past day in the past tense
_CAPTION_VERB = re.compile(r"\b(?:speaks|leaves|arrives|walks|listens|waves|gestures|attends|poses|looks\s+on|stands|"
                           r"sits|smiles|greets|shakes\s+hands|testifies|delivers\s+remarks|(?:is|are)\s+seen)\b", re.I)
_DAY_AT_END = re.compile(r"\bon\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
                         r"(?:,\s+\d{4})?(?:,?\s+in\s+[\w .,'’-]{2,40})?\.?\s*$", re.I)


def caption(text: str) -> bool:
    """A photo's caption, which dates and describes the picture, not the news."""
    text = text.strip()
    return bool(_CAPTION.search(text) or _DAY_AT_END.search(text) and _CAPTION_VERB.search(text))


@lru_cache(maxsize=1)
def _triggers() -> dict[str, frozenset[str]]:
    """Words without which a sentence names no instrument and no gathering (a set look-up spares the
    pattern search in most sentences)."""
    conflicts = lexicon()["conflicts"]
    return {"instrument": frozenset(w for ps in conflicts["instruments"].values() for p in ps for w in tokens(p)),
            "gathering": frozenset(w for p in gathering_kinds() for w in tokens(p))}


def _fact(s: Sentence, doc: Doc, stems: list[str], words: set[str], mentions: list, times: list,
          quoted: bool) -> Fact:
    skip = [(t.start - s.start, t.end - s.start) for t in times]
    triggers = _triggers()
    entities = frozenset(entity_key(m.entity_id, m.name) for m in mentions if m.label in ACTOR_LABELS + PLACE_LABELS)
    people = frozenset(entity_key(m.entity_id, m.name) for m in mentions if m.label == "PERSON")
    place_spans = tuple((entity_key(m.entity_id, m.name), m.start - s.start, m.end - s.start) for m in mentions
                        if m.label in PLACE_LABELS)
    locations = frozenset(entity_key(m.entity_id, m.name) for m in mentions if m.label == "GPE"
                          and _LOCATIVE.search(s.text[max(0, m.start - s.start - 30):m.start - s.start]))
    instruments: tuple[tuple[str, str], ...] = ()
    if words & triggers["instrument"]:
        pattern, classes = _instruments()
        instruments = tuple((classes[" ".join(fold(m.group()).split())], m.group()) for m in pattern.finditer(s.text)
                            if not _field(s.text, m.start(), m.end()))
    sites = tuple(_sites(s, mentions)) if words & triggers["gathering"] else ()
    figures = tuple(quantities(s.text, skip, words))
    named = tuple((entity_key(m.entity_id, m.name), m.label, m.start - s.start, m.end - s.start) for m in mentions
                  if m.label in NAMED_LABELS) if figures else ()
    return Fact(s, doc, frozenset(stems), entities, people, figures, tuple(_event_days(s, times)), place_spans,
                locations, sites, instruments, quoted, named)


_CALENDAR = re.compile(r"(?i)\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                       r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?!\w)|\b(?:mon|tues|wednes|"
                       r"thurs|fri|satur|sun)day\b|\d|\b(?:spring|summer|autumn|fall|winter|weekend|year|week)\b")


@lru_cache(maxsize=1)
def _not_instruments() -> tuple[frozenset[str], frozenset[str]]:
    words = lexicon()["conflicts"]["not_instruments"]
    return (frozenset(" ".join(w.split()) for w in words["before"]),
            frozenset(" ".join(w.split()) for w in words["after"]))


def _field(text: str, start: int, end: int) -> bool:
    """An instrument's name used for a field or a trade ("family law experts", "law enforcement"), not a text."""
    before, after = _not_instruments()
    left, right = tokens(text[max(0, start - 30):start]), tokens(text[end:end + 30])
    return bool(left and (left[-1] in before or " ".join(left[-2:]) in before) or right
                and (right[0] in after or " ".join(right[:2]) in after))


def _sites(s: Sentence, mentions: list) -> Iterator[tuple[str, str]]:
    """Places given as where a gathering happens: a place "in"/"at" within a few words of "met",
    "talks", "summit" ..., or a capitalised name right before the gathering noun ("their Oval Office
    meeting"). Names of people and groups are not sites, nor an organisation's initials ("the NATO summit")."""
    text = s.text
    gatherings = [m.start() for m in gathering_pattern().finditer(text)]
    if not gatherings:
        return
    near = [m for m in mentions if any(abs(m.start - s.start - g) <= SITE_WINDOW for g in gatherings)]
    for m in near:
        rel = m.start - s.start
        if m.label in PLACE_LABELS and _PLACE_CUE.search(text[max(0, rel - 12):rel]):
            yield entity_key(m.entity_id, m.name), m.name
    taken = [(m.start - s.start, m.end - s.start) for m in mentions if m.label in ("PERSON", "NORP")
             or m.label == "ORG" and m.name.isupper() and len(m.name) > 1]
    for m in _NAMED_GATHERING.finditer(text):
        if _CALENDAR.search(m.group(1)):
            continue   # "their September meeting", "Tuesday's summit": when, not where
        if re.fullmatch(r"[A-Z][A-Z0-9-]+", m.group(1).strip()):
            continue   # "the NATO summit", "the G-7 summit": an organisation's initials, whoever tagged them
        if m.start(1) > 0 and not any(a < m.end(1) and m.start(1) < b for a, b in taken):
            yield "n:" + " ".join(tokens(m.group(1))), m.group(1).strip()


def _event_days(s: Sentence, times: list) -> Iterator[tuple[str, str, str]]:
    speech = _speech_pattern()
    for t in times:
        if not t.value or not _DAY.match(t.value) or t.type not in ("DATE", None):
            continue
        rel = t.start - s.start
        window = s.text[max(0, rel - SPEECH_GAP):rel]
        after = s.text[rel + len(t.text):rel + len(t.text) + SPEECH_GAP]
        if _DATELINE.match(after) or re.search(r"[A-Z]{3,}[\w\s]*,\s*$", window):
            continue  # "MOSCOW, Dec 9 (Meridian Wire)": the dateline dates the report
        if speech.search(window) or (_opens_clause(s.text[:rel]) and _SAID_AFTER.match(after)):
            continue  # "said on Monday", "On Monday, he said": the day something was said, not of the event
        if _NAMED_WEEKDAY.search(s.text[:rel]) and _WEEKDAY.match(t.text):
            continue  # "Super Tuesday", "Black Friday": a name, not a day
        if after.startswith(":") and len(s.text[:rel].split()) <= TIMELINE_LEAD:
            # "September 5: The High Court hears the case": a timeline's entry, one of many happenings (also after
            # a few words that a list run into one line left before it: "New Hampshire primary February 22: ...")
            continue
        if s.text[:rel].rstrip().endswith("("):
            continue  # '... he said. (January 9 on Twitter)': where and when a listed remark was made, a citation
        around = frozenset(content_stems(s.text[max(0, rel - DAY_WINDOW):rel + len(t.text) + DAY_WINDOW]))
        yield t.value, t.text, t.basis or "", around


def _opens_clause(before: str) -> bool:
    """A date at the head of its clause ("On Monday, the ministry said"), not one inside it ("will meet in
    Chisinau on June 16, the ministry said": the meeting's day)."""
    clause = re.split(r"[.;:—–]\s|,\s", before)[-1]
    return len(clause.split()) <= MAX_CLAUSE_HEAD


def pairs(facts: list[Fact], keys: Callable[[Fact], Iterable[Hashable]], max_bucket: int
          ) -> Iterator[tuple[Fact, Fact]]:
    """Each pair of facts sharing a key, once. Keys are chosen so that sharing one is necessary for the
    comparison that follows (an event and a unit, an event and two people ...); a bucket holds at most
    ``max_bucket`` facts (the earliest), so the work stays bounded however often a key recurs."""
    buckets: dict[Hashable, list[int]] = defaultdict(list)
    for i, f in enumerate(facts):
        for k in set(keys(f)):
            if len(buckets[k]) < max_bucket:
                buckets[k].append(i)
    seen: set[tuple[int, int]] = set()
    for members in buckets.values():
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if (i, j) not in seen:
                    seen.add((i, j))
                    yield facts[i], facts[j]
