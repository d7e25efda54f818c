"""Incremental story assignment: each new article joins a duplicate group, an event and a storyline.

For one article, in this order:

1. **Copies.** The same normalised text as a stored article (exact), or a MinHash LSH bucket-mate
   whose estimated Jaccard or containment passes :func:`storyline.stories.dedup.near_duplicate`
   (near): the article joins that article's event and counts as the same source.
2. **Event.** Its nearest stored articles by embedding, from the month indexes around its date
   (undated: the ``undated`` index), and the nearest event centroids, vote for their events. An event is
   joined when it is within ``event_days`` of the article's date and the score — the mean of the
   best member cosine and the centroid cosine, plus shared canonical entities weighted by rarity —
   passes ``event_threshold``.
3. **Storyline.** Otherwise the article opens a new event, which joins the storyline of the most
   similar event centroid (within ``storyline_days``, scored with the storyline's entities) when
   that passes ``storyline_threshold``, else a new storyline.
4. **Rewrites.** A near neighbour in the same event, published within ``rewrite_days``, sharing
   statements (the same quotes) and most of its rare entities, is the same origin rewritten: the
   article takes that neighbour's source id, so the two count as one independent source.

Work per article: a fixed number of index searches and keyed reads; nothing scans the store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

import numpy as np

from ..records import Assignment, StoryArticle, StoryNeighbour
from . import dedup
from .embed import vector_bytes
from .index import VectorIndex


MIN_STORY_SHINGLES = 4   # fewer than six words: kept in a story of its own, never pulled into another


@dataclass(frozen=True)
class StoryParams:
    """Thresholds of the assigner (tuned on ECB+ train topics and the sample corpus; see bench/eval_stories.py)."""

    neighbours: int = 20
    event_neighbours: int = 16
    event_days: int = 3
    storyline_days: int = 400
    storyline_gap_penalty: float = 0.2
    event_threshold: float = 0.6
    storyline_threshold: float = 0.5
    entity_weight: float = 0.15
    storyline_entity_weight: float = 0.25
    rewrite_days: int = 2
    rewrite_cosine: float = 0.88
    rewrite_jaccard: float = 0.1
    rewrite_entities: float = 0.5
    top_entities: int = 12


class Backend(Protocol):   # what the assigner needs of the store (storyline.store.stories.StoryTables)
    def previous(self, article_id: str) -> dict[str, Any] | None: ...
    def remove(self, article_id: str, buckets: list[int]) -> None: ...
    def add_features(self, a: StoryArticle, signature: bytes | None, embedding: bytes) -> int: ...
    def same_text(self, content_hash: str, article_id: str) -> str | None: ...
    def add_buckets(self, key: int, buckets: list[int]) -> None: ...
    def bucket_mates(self, buckets: list[int], limit: int = 200) -> list[tuple[str, int, bytes]]: ...
    def neighbours(self, keys: list[int]) -> dict[int, StoryNeighbour]: ...
    def event_neighbours(self, event_id: int, limit: int) -> list[tuple[StoryNeighbour, np.ndarray]]: ...
    def placement(self, article_id: str) -> tuple[int, int, str] | None: ...
    def entity_idf(self, entity_ids: Any) -> dict[int, float]: ...
    def event(self, event_id: int) -> dict[str, Any]: ...
    def storyline_profile(self, storyline_id: int) -> dict[str, Any]: ...
    def event_storylines(self, event_ids: list[int]) -> dict[int, int]: ...
    def new_storyline(self) -> int: ...
    def new_event(self, storyline_id: int) -> int: ...
    def join(self, a: StoryArticle, event_id: int, score: float, basis: str, embedding: np.ndarray,
             source_id: str) -> tuple[int, np.ndarray]: ...
    def duplicate_group(self, article_id: str) -> tuple[str, str] | None: ...
    def group_members(self, group_id: str) -> list[tuple[str, str | None]]: ...
    def add_duplicate(self, article_id: str, of: str, kind: str, score: float, canonical: str) -> None: ...
    def set_source(self, article_id: str, source_id: str, kind: str | None, score: float | None) -> None: ...
    def published_of(self, ids: list[str]) -> dict[str, str | None]: ...


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def days_outside(day: str | None, start: str | None, end: str | None) -> int:
    """How many days ``day`` lies outside ``[start, end]`` (0 inside, or when either side is undated)."""
    d, s, e = _day(day), _day(start), _day(end or start)
    if d is None or s is None or e is None:
        return 0
    if d < s:
        return (s - d).days
    if d > e:
        return (d - e).days
    return 0


def entity_cover(article: dict[int, int], profile: dict[int, int], idf: dict[int, float]) -> float:
    """Share of the article's entities (weighted by rarity) that the profile also has."""
    total = sum(idf.get(e, 1.0) for e in article)
    if not total:
        return 0.0
    return sum(idf.get(e, 1.0) for e in article if e in profile) / total


def entity_jaccard(a: dict[int, int], b: dict[int, int], idf: dict[int, float]) -> float:
    union = set(a) | set(b)
    total = sum(idf.get(e, 1.0) for e in union)
    return sum(idf.get(e, 1.0) for e in set(a) & set(b)) / total if total else 0.0


class Assigner:
    """Places articles one at a time against a backend (the store) and the vector indexes."""

    def __init__(self, backend: Backend, index: VectorIndex, params: StoryParams | None = None) -> None:
        self.db = backend
        self.index = index
        self.params = params or StoryParams()
        self.touched_events: set[int] = set()
        self.touched_storylines: set[int] = set()
        self.event_hits: list[tuple[int, float]] = []

    def months(self, a: StoryArticle) -> list[str]:
        """The month indexes an article's neighbours are looked for in."""
        d = _day(a.day)
        if d is None:   # events of any date are found through the event index instead
            return ["undated"]
        pad = timedelta(days=self.params.event_days + 1)
        first, last = d - pad, d + pad
        # undated members of an event are reached through its centroid in the event index
        return sorted({first.strftime("%Y-%m"), d.strftime("%Y-%m"), last.strftime("%Y-%m")})

    def assign(self, a: StoryArticle, grams: set[bytes], embedding: np.ndarray) -> Assignment:
        p = self.params
        prev = self.db.previous(a.article_id)
        if prev is not None:   # a changed text: forget the old placement (its old vector is left unmatched)
            old_sig = prev["signature"]
            self.db.remove(a.article_id, dedup.band_keys(dedup.signature_from_bytes(old_sig)) if old_sig else [])
        sig = dedup.signature(grams) if len(grams) >= dedup.MIN_SHINGLES else None
        key = self.db.add_features(a, None if sig is None else dedup.signature_bytes(sig), vector_bytes(embedding))
        idf = self.db.entity_idf(a.entities)

        dup_of, dup_kind, dup_score = self._copy_of(a, sig, key)
        hits = self.index.search(embedding, self.months(a), p.neighbours)
        self.event_hits = self.index.search(embedding, ["events"], p.event_neighbours)
        near = self.db.neighbours([k for k, _ in hits if k != key])
        cos_of = dict(hits)

        if dup_of is not None and (placed := self.db.placement(dup_of)) is not None:
            event_id, _, source_id = placed
            basis, score, new_event, new_storyline = dup_kind, dup_score, False, False
            rewrite_of = None
        else:
            dup_of = dup_kind = None
            short = a.shingles < MIN_STORY_SHINGLES   # too little text to say what it is about
            event_id, score = (None, 0.0) if short else self._best_event(a, embedding, near, cos_of, idf)
            new_event = new_storyline = False
            basis = "event"
            if short:
                storyline_id, new_storyline, basis, score = self.db.new_storyline(), True, "short", 0.0
                event_id, new_event = self.db.new_event(storyline_id), True
            elif event_id is None:
                storyline_id, score = self._best_storyline(a, embedding, idf)
                basis = "storyline"
                if storyline_id is None:
                    storyline_id, new_storyline, basis, score = self.db.new_storyline(), True, "new", 0.0
                event_id, new_event = self.db.new_event(storyline_id), True
            if not short and not new_event:   # the event's members, wherever the index search found them
                for n, vec in self.db.event_neighbours(event_id, 50):
                    if n.key not in near:
                        near[n.key], cos_of[n.key] = n, float(embedding @ vec)
            rewrite_of, source_id = (None, a.article_id) if short or sig is None else \
                self._rewrite_of(a, sig, event_id, near, cos_of, idf)

        storyline_id, centroid = self.db.join(a, event_id, score, basis, embedding, source_id)
        if dup_of is not None:
            self.db.add_duplicate(a.article_id, dup_of, dup_kind or "near", dup_score,
                                  self._canonical(a, dup_of))
        if source_id != a.article_id:
            self.db.set_source(a.article_id, source_id, dup_kind or ("rewrite" if rewrite_of else None),
                               dup_score if dup_of else score)
        self.index.add(a.month, key, embedding)
        norm = float(np.linalg.norm(centroid)) or 1.0
        self.index.add("events", event_id, centroid / norm)
        self.touched_events.add(event_id)
        self.touched_storylines.add(storyline_id)
        return Assignment(article_id=a.article_id, event_id=event_id, storyline_id=storyline_id, basis=basis,
                          score=round(float(score), 4), new_event=new_event, new_storyline=new_storyline,
                          duplicate_of=dup_of, duplicate_kind=dup_kind, rewrite_of=rewrite_of)

    # -- the steps --------------------------------------------------------------------------------

    def _copy_of(self, a: StoryArticle, sig: np.ndarray | None, key: int) -> tuple[str | None, str | None, float]:
        same = self.db.same_text(a.content_hash, a.article_id)
        if sig is not None:
            buckets = dedup.band_keys(sig)
            best: tuple[float, str] | None = None
            if same is None:
                for other, n_other, blob in self.db.bucket_mates(buckets):
                    if other == a.article_id:
                        continue
                    sim = dedup.compare(sig, a.shingles, dedup.signature_from_bytes(blob), n_other)
                    score = dedup.near_duplicate(sim, a.shingles, n_other)
                    if score is not None and (best is None or score > best[0]):
                        best = (score, other)
            self.db.add_buckets(key, buckets)
            if same is None and best is not None:
                return best[1], "near", round(best[0], 4)
        if same is not None:
            return same, "exact", 1.0
        return None, None, 0.0

    def _best_event(self, a: StoryArticle, emb: np.ndarray, near: dict[int, StoryNeighbour],
                    cos_of: dict[int, float], idf: dict[int, float]) -> tuple[int | None, float]:
        p = self.params
        best_cos: dict[int, float] = defaultdict(float)
        for key, n in near.items():
            best_cos[n.event_id] = max(best_cos[n.event_id], cos_of[key])
        candidates = sorted(best_cos.items(), key=lambda kv: -kv[1])[:8]
        # events found by their centroid: the way in for an undated article, and for a dated one
        # whose event's members were indexed under other months
        seen = {e for e, _ in candidates}
        candidates += [(e, -1.0) for e, _ in self.event_hits[:8] if e not in seen]
        best: tuple[float, int] | None = None
        for event_id, nn_cos in candidates:
            ev = self.db.event(event_id)
            if days_outside(a.day, ev["start"], ev["end"]) > p.event_days:
                continue
            c = ev["centroid"]
            c_cos = float(emb @ c / (np.linalg.norm(c) or 1.0)) if c is not None else nn_cos
            if nn_cos < 0:
                nn_cos = c_cos
            score = 0.5 * nn_cos + 0.5 * c_cos + p.entity_weight * entity_cover(a.entities, ev["entities"], idf)
            if best is None or score > best[0]:
                best = (score, event_id)
        if best is not None and best[0] >= p.event_threshold:
            return best[1], best[0]
        return None, best[0] if best else 0.0

    def _best_storyline(self, a: StoryArticle, emb: np.ndarray,
                        idf: dict[int, float]) -> tuple[int | None, float]:
        p = self.params
        by_storyline: dict[int, float] = {}
        storyline_of = self.db.event_storylines([e for e, _ in self.event_hits])
        for event_id, cos in self.event_hits:
            sid = storyline_of.get(event_id)
            if sid is not None:
                by_storyline[sid] = max(by_storyline.get(sid, 0.0), cos)
        best: tuple[float, int] | None = None
        for sid, cos in sorted(by_storyline.items(), key=lambda kv: -kv[1])[:8]:
            prof = self.db.storyline_profile(sid)
            gap = days_outside(a.day, prof["start"], prof["end"])
            if gap > p.storyline_days:
                continue
            c = prof["centroid"]   # the whole thread, not only its nearest event: no chaining by one link
            c_cos = float(emb @ c / (np.linalg.norm(c) or 1.0)) if c is not None else cos
            score = 0.5 * cos + 0.5 * c_cos + p.storyline_entity_weight * entity_cover(a.entities, prof["entities"], idf)
            score -= p.storyline_gap_penalty * min(1.0, gap / 365)   # a thread resumed after months needs more
            if best is None or score > best[0]:
                best = (score, sid)
        if best is not None and best[0] >= p.storyline_threshold:
            return best[1], best[0]
        return None, best[0] if best else 0.0

    def _rewrite_of(self, a: StoryArticle, sig: np.ndarray, event_id: int, near: dict[int, StoryNeighbour],
                    cos_of: dict[int, float], idf: dict[int, float]) -> tuple[str | None, str]:
        """A rewrite keeps the origin's meaning (embedding cosine), its quotes (shared statements and
        more shared word 3-grams than independent reports of the same event have) and its entities."""
        p = self.params
        best: tuple[float, StoryNeighbour] | None = None
        for key, n in near.items():
            if n.event_id != event_id or cos_of[key] < p.rewrite_cosine or n.signature is None:
                continue
            if dedup.compare(sig, a.shingles, dedup.signature_from_bytes(n.signature), n.shingles).jaccard \
                    < p.rewrite_jaccard:
                continue
            if n.outlet_id is not None and n.outlet_id == a.outlet_id:
                continue   # an outlet updating its own story is not a second source anyway
            if a.day and n.day and abs((_day(a.day) - _day(n.day)).days) > p.rewrite_days:  # type: ignore[operator]
                continue
            shared = len(a.statements & n.statements)
            if shared < max(1, min(2, len(a.statements), len(n.statements))):
                continue
            if entity_jaccard(a.entities, n.entities, idf) < p.rewrite_entities:
                continue
            score = cos_of[key] + 0.1 * shared
            if best is None or score > best[0]:
                best = (score, n)
        if best is None:
            return None, a.article_id
        return best[1].article_id, best[1].source_id

    def _canonical(self, a: StoryArticle, dup_of: str) -> str:
        """The group's canonical member: the earliest published (ties and undated: the current one)."""
        group = self.db.duplicate_group(dup_of)
        current = group[1] if group else dup_of
        published = dict(self.db.group_members(group[0])) if group else self.db.published_of([dup_of])
        published[a.article_id] = a.day if a.day_basis == "published" else None
        dated = sorted((pub, aid) for aid, pub in published.items() if pub)
        if dated and (published.get(current) is None or dated[0][0] < published[current]):  # type: ignore[operator]
            return dated[0][1]
        return current
