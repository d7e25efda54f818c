"""What the analysis reads of a storyline, in a few batched queries: texts, sentences, mentions, quotes, times.

``load(store, story)`` takes the ``api.story`` dict (events with article ids, articles with their copy
group and source) and reads every stored analysis of those articles with one query per table per 500
ids (the SQL is in ``store/analysis_reads.py``). A storyline of more than ``MAX_ANALYSED`` articles is
read as a sample spread over its events (every source before any copy), so the analysis of a
5,000-article storyline takes seconds; the
material says how many articles the storyline has (``n_articles``) beside those read (``docs``). The
result is kept for the last few storylines (positions, claims and conflicts of one brief read it once).

Independence: copies (one ``canonical_id``) and rewrites of one origin (one ``source_id``) are joined
into one *source*; wherever sources are counted, a source counts once.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol
from weakref import WeakKeyDictionary

from ..clean.lead import dateline_only
from ..disjoint import DisjointSets
from ..store import analysis_reads as reads
from ..store.stances import stance_rows
from ..store.vectors import SentenceVectors
from .genre import is_opinion

CACHED_STORYLINES = 4  # material kept for the most recently analysed storylines
# articles read in depth per storyline: beyond this, a sample spread over the events (each source once
# before any copy) keeps a 5,000-article storyline to seconds; counts are then counts within the sample
MAX_ANALYSED = 600


class _Store(Protocol):
    conn: Any
    path: str


@dataclass(frozen=True, slots=True)
class Doc:
    """One article of the storyline."""

    id: str
    outlet: str
    published: str | None
    day: str | None  # published or placed day
    event_id: int | None
    source: str  # independence key: copies and rewrites of one origin share it
    text: str
    title: str | None = None
    opinion: bool = False  # an opinion piece: never corroborates a fact (``analysis.genre``)


@dataclass(frozen=True, slots=True)
class Sentence:
    article_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str
    label: str
    entity_id: int | None
    name: str
    sentence: int
    role: str | None = None  # the title written before the name ("St. Louis County Police Chief")


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    start: int
    end: int
    text: str
    kind: str
    speaker_id: int | None
    speaker: str | None
    speaker_type: str | None
    said_on: str | None
    said_on_basis: str | None
    sentence: int
    statement_id: int | None
    cue_start: int | None
    speaker_text: str | None  # the words the article credits it to ("MOSCOW" of a dateline, "the spokesman")


@dataclass(frozen=True, slots=True)
class Time:
    start: int
    end: int
    text: str
    type: str
    value: str | None
    granularity: str | None
    basis: str | None
    sentence: int


@dataclass
class Material:
    """A storyline's articles and their stored analyses, by article id."""

    docs: dict[str, Doc]
    sentences: dict[str, list[Sentence]] = field(default_factory=dict)
    mentions: dict[str, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    quotes: dict[str, list[Quote]] = field(default_factory=lambda: defaultdict(list))
    times: dict[str, list[Time]] = field(default_factory=lambda: defaultdict(list))
    stances: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    events: dict[int, list[str]] = field(default_factory=dict)
    n_articles: int = 0  # articles in the storyline; more than ``len(docs)`` when a sample was read
    cache: dict[str, Any] = field(default_factory=dict)  # results derived from this material (facts, conflicts)
    #: Where sentence vectors are kept between briefs (``store.vectors.SentenceVectors``), or ``None``.
    vector_store: Any = None

    def people(self, article_id: str, sentence: int) -> list[Mention]:
        """The PERSON mentions of one sentence (indexed once per material: the conflict rules ask per sentence,
        and scanning an article's mentions for each of its sentences grows with the square of its length)."""
        index = self.cache.get("people")
        if index is None:
            index = self.cache["people"] = defaultdict(list)
            for aid, found in self.mentions.items():
                for m in found:
                    if m.label == "PERSON":
                        index[(aid, m.sentence)].append(m)
        return index.get((article_id, sentence), [])


# per store (freed with it): the material of its last few storylines, keyed by the story's structure and
# the database's change counters, so a brief's positions, claims and conflicts read the store once
_CACHE: WeakKeyDictionary[Any, OrderedDict[tuple, Material]] = WeakKeyDictionary()


def load(store: _Store, story: dict[str, Any]) -> Material:
    """The material of ``story`` (an ``api.story`` dict), read from ``store`` (cached per storyline)."""
    ids = [a["id"] for a in story.get("articles", [])] or [i for e in story.get("events", [])
                                                           for i in e.get("article_ids", [])]
    shape = tuple((a.get("id"), a.get("event_id"), a.get("canonical_id"), a.get("source_id"), a.get("published"))
                  for a in story.get("articles", []))
    events = tuple((e.get("id"), tuple(e.get("article_ids", []))) for e in story.get("events", []))
    key = (story.get("id"), hash(shape), hash(events), hash(tuple(ids)), *reads.change_counter(store.conn))
    cache = _CACHE.setdefault(store, OrderedDict())
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    material = _read(store.conn, story, list(dict.fromkeys(ids)))
    # (the corrections' tables read material too: they have no path, so their vectors are not stored)
    material.vector_store = SentenceVectors(store.conn, getattr(store, "path", None))
    cache[key] = material
    while len(cache) > CACHED_STORYLINES:
        cache.popitem(last=False)
    return material


def _read(conn: Any, story: dict[str, Any], all_ids: list[str]) -> Material:
    meta = {a["id"]: a for a in story.get("articles", [])}
    event_of = {aid: e["id"] for e in story.get("events", []) for aid in e.get("article_ids", [])}
    sources = _sources(all_ids, meta)
    ids = _choose(all_ids, meta, event_of, sources)
    docs: dict[str, Doc] = {}
    for aid, text, published, outlet, title, url in reads.articles(conn, ids):
        m = meta.get(aid, {})
        outlet = outlet or m.get("outlet") or ""
        docs[aid] = Doc(aid, outlet, published, m.get("day") or published,
                        m.get("event_id", event_of.get(aid)), sources[aid], text or "", title,
                        is_opinion(title, url, text, outlet))
    docs = {aid: docs[aid] for aid in ids if aid in docs}
    material = Material(docs, n_articles=len(all_ids))
    for aid in docs:
        material.events.setdefault(docs[aid].event_id, []).append(aid)
    _read_analyses(conn, material, list(docs))
    return material


def _choose(ids: list[str], meta: dict[str, dict[str, Any]], event_of: dict[str, int],
            sources: dict[str, str]) -> list[str]:
    """All articles, or for a storyline of more than ``MAX_ANALYSED``: the events in turn give their next
    article, each event its distinct sources first (earliest first), then copies and rewrites."""
    if len(ids) <= MAX_ANALYSED:
        return ids
    by_event: dict[Any, list[str]] = defaultdict(list)
    for aid in ids:
        by_event[meta.get(aid, {}).get("event_id", event_of.get(aid))].append(aid)
    queues = []
    for members in by_event.values():
        members.sort(key=lambda a: (meta.get(a, {}).get("published") or "9999", a))
        seen: set[str] = set()
        firsts, rest = [], []
        for aid in members:
            (rest if sources[aid] in seen else firsts).append(aid)
            seen.add(sources[aid])
        queues.append(iter(firsts + rest))
    chosen: set[str] = set()
    while queues and len(chosen) < MAX_ANALYSED:
        alive = []
        for queue in queues:
            aid = next(queue, None)
            if aid is not None and len(chosen) < MAX_ANALYSED:
                chosen.add(aid)
                alive.append(queue)
        queues = alive
    return [aid for aid in ids if aid in chosen]


def _sources(ids: list[str], meta: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Union of copy groups and rewrite groups: one key per independent source."""
    sets = DisjointSets()
    for aid in ids:
        m = meta.get(aid, {})
        for other in (m.get("canonical_id"), m.get("source_id")):
            if other:
                sets.union(aid, other)
    return {aid: str(sets.find(aid)) for aid in ids}


def _read_analyses(conn: Any, material: Material, ids: list[str]) -> None:
    docs = material.docs
    sents: dict[str, list[Sentence]] = defaultdict(list)
    for aid, idx, start, end in reads.sentences(conn, ids):
        text = docs[aid].text[start:end]
        if not dateline_only(text):   # "MOSCOW, Jan 8 (Reuters) -" is a sentence to the parser, not a statement
            sents[aid].append(Sentence(aid, idx, start, end, text))
    for aid, start, end, text, label, eid, name, sentence, role in reads.mentions(conn, ids):
        material.mentions[aid].append(Mention(start, end, text, label, eid, name, sentence, role))
    for row in reads.quotes(conn, ids):
        material.quotes[row[0]].append(Quote(*row[1:]))
    for row in reads.time_expressions(conn, ids):
        material.times[row[0]].append(Time(*row[1:]))
    for row in stance_rows(conn, ids):
        material.stances[row["article_id"]].append(row)
    material.sentences = dict(sents)


def sentence_json(s: Sentence) -> dict[str, int]:
    return {"start": s.start, "end": s.end}
