"""Incremental story assignment: each new article joins a duplicate group, an event and a storyline.

For one article, in this order:

1. **Copies.** The same normalised text as a stored article (exact), or a MinHash LSH bucket-mate
   whose estimated Jaccard or containment passes :func:`storyline.stories.dedup.near_duplicate`
   (near): the article joins that article's event and counts as the same source (an undated article only
   when that event lies within its inferred range).
2. **Event.** Its nearest stored articles by embedding, from the month indexes around its date
   (undated: the ``undated`` index), and the nearest event centroids, propose events; each is judged
   as a whole by :func:`storyline.stories.coherence.event_fit` (centroid and core members, entities
   both ways, the days of its core, an undated article's inferred range) and the best that fits is joined.
3. **Storyline.** Otherwise the article opens a new event, which joins the storyline that fits it best
   by :func:`storyline.stories.coherence.storyline_fit` (the storyline's centroid and core actors,
   recency), else a new storyline.
4. **Rewrites.** A near neighbour in the same event, published within ``rewrite_days``, sharing
   statements (the same quotes) and most of its rare entities, is the same origin rewritten: the
   article takes that neighbour's source id, so the two count as one independent source.

Entity weights come from document frequencies counted as articles are placed, damped for entities that a
large share of all articles mention. Work per article: a fixed number of index searches and keyed reads;
nothing scans the store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Protocol

import numpy as np

from ..records import Assignment, StoryArticle, StoryNeighbour
from . import dedup
from .coherence import (ArticleView, CoherenceParams, EventView, StorylineView, Weights, day_of, days_outside,
                        entity_weights, event_fit, range_gap, shared_range, storyline_fit, weight_floor)
from .terms import TermVector, term_weights, top_terms
from .embed import vector_bytes
from .index import VectorIndex


MIN_STORY_SHINGLES = 4   # fewer than six words: kept in a story of its own, never pulled into another


@dataclass(frozen=True)
class StoryParams(CoherenceParams):
    """The assigner's settings: the coherence rules' thresholds, and how many neighbours it looks at, what makes a
    rewrite."""

    neighbours: int = 20
    event_neighbours: int = 32
    storyline_candidates: int = 8   # storylines of the nearest event centroids tried (within storyline_days), and
    storyline_proposed: int = 4     # ... storylines of the nearest articles of its own and the previous weeks
    storyline_support: float = 0.1  # of the storylines that fit, the one holding more of its nearest articles of
                                    # these weeks is preferred: this much per share of them (never makes one fit)
    rewrite_days: int = 2
    rewrite_cosine: float = 0.88
    rewrite_jaccard: float = 0.1
    rewrite_entities: float = 0.5
    top_entities: int = 12


class Backend(Protocol):   # what the assigner needs of the store (storyline.store.stories.StoryTables)
    def previous(self, article_id: str) -> dict[str, Any] | None: ...
    def remove(self, article_id: str, buckets: list[int]) -> None: ...
    def add_features(self, a: StoryArticle, signature: bytes | None, embedding: bytes,
                     terms: dict[int, int] | None = None) -> int: ...
    def same_text(self, content_hash: str, article_id: str) -> str | None: ...
    def add_buckets(self, key: int, buckets: list[int]) -> None: ...
    def bucket_mates(self, buckets: list[int], limit: int = 200) -> list[tuple[str, int, bytes]]: ...
    def neighbours(self, keys: list[int]) -> dict[int, StoryNeighbour]: ...
    def event_neighbours(self, event_id: int, limit: int) -> list[tuple[StoryNeighbour, np.ndarray]]: ...
    def placement(self, article_id: str) -> tuple[int, int, str] | None: ...
    def entity_df(self, entity_ids: Any) -> tuple[int, dict[int, int]]: ...
    def term_df(self, term_ids: Any) -> tuple[int, dict[int, int]]: ...
    def event(self, event_id: int) -> dict[str, Any]: ...
    def storyline_profile(self, storyline_id: int) -> dict[str, Any]: ...
    def storyline_spans(self, storyline_ids: list[int]) -> dict[int, tuple[str | None, str | None]]: ...
    def storyline_quiet_gaps(self, storyline_ids: list[int], lo: str, hi: str) -> dict[int, int]: ...
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


_day = day_of   # kept for callers of the old name


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
        self._w: dict[int, float] = {}    # entity weights, read once per assigner (one batch)
        self._tw: dict[int, float] = {}   # term weights, likewise
        self._total = 0

    def weights(self, entities: Any = (), terms: Any = ()) -> Weights:
        """Damped rarity weights of these entities and IDF of these terms (and of all asked for before in this
        batch), with the floor an entity profile's weight counts for."""
        missing = [e for e in entities if e not in self._w]
        if missing or not self._total:
            self._total, df = self.db.entity_df(missing)
            self._w.update(entity_weights({e: df.get(e, 0) for e in missing}, self._total, self.params))
        missing = [t for t in terms if t not in self._tw]
        if missing:
            total, tdf = self.db.term_df(missing)
            self._tw.update(term_weights({t: tdf.get(t, 0) for t in missing}, total))
        return Weights(entities=self._w, terms=self._tw, floor=weight_floor(self._total, self.params),
                       term_default=float(np.log(self._total + 2)))

    @staticmethod
    def _gap(a: StoryArticle, start: str | None, end: str | None) -> int:
        return days_outside(a.day, start, end) if a.day is not None else range_gap(a.day_from, a.day_to, start, end)

    @staticmethod
    def view(a: StoryArticle, embedding: np.ndarray, w: Weights) -> ArticleView:
        return ArticleView(vector=embedding, day=a.day, day_from=a.day_from, day_to=a.day_to, entities=a.entities,
                           terms=a.terms, term_vector=TermVector(a.terms, w.terms, w.term_default))

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
        w = self.weights(terms=a.terms)
        kept = top_terms(a.terms, w.terms, default=w.term_default)
        key = self.db.add_features(a, None if sig is None else dedup.signature_bytes(sig), vector_bytes(embedding),
                                   kept)
        self.weights(a.entities)

        dup_of, dup_kind, dup_score = self._copy_of(a, sig, key)
        hits = self.index.search(embedding, self.months(a), p.neighbours)
        self.event_hits = self.index.search(embedding, ["events"], p.event_neighbours)
        near = self.db.neighbours([k for k, _ in hits if k != key])
        cos_of = dict(hits)

        placed = self.db.placement(dup_of) if dup_of is not None else None
        if placed is not None and not self._copy_in_range(a, placed[0]):
            placed = None   # the same text, but its own text's dates rule out the copy's event: placed on its own
        if dup_of is not None and placed is not None:
            event_id, _, source_id = placed
            basis, score, new_event, new_storyline = dup_kind, dup_score, False, False
            rewrite_of = None
        else:
            dup_of = dup_kind = None
            short = a.shingles < MIN_STORY_SHINGLES   # too little text to say what it is about
            event_id, score = (None, 0.0) if short else self._best_event(a, embedding, near, cos_of)
            new_event = new_storyline = False
            basis = "event"
            if short:
                storyline_id, new_storyline, basis, score = self.db.new_storyline(), True, "short", 0.0
                event_id, new_event = self.db.new_event(storyline_id), True
            elif event_id is None:
                storyline_id, score = self._best_storyline(a, embedding, near, cos_of)
                basis = "storyline"
                if storyline_id is None:
                    storyline_id, new_storyline, basis, score = self.db.new_storyline(), True, "new", 0.0
                event_id, new_event = self.db.new_event(storyline_id), True
            if not short and not new_event:   # the event's members, wherever the index search found them
                for n, vec in self.db.event_neighbours(event_id, 50):
                    if n.key not in near:
                        near[n.key], cos_of[n.key] = n, float(embedding @ vec)
            rewrite_of, source_id = (None, a.article_id) if short or sig is None else \
                self._rewrite_of(a, sig, event_id, near, cos_of)

        storyline_id, centroid = self.db.join(replace(a, terms=kept), event_id, score, basis, embedding, source_id)
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

    def _copy_in_range(self, a: StoryArticle, event_id: int) -> bool:
        """Does the event of the article's copy lie within the article's inferred range (``event_days`` of it)?
        Always, for a dated article or one with no range: content alone never puts an undated article into an
        event outside the range its text bounds its publication to, not even as a copy (a text republished
        long after, its URL dated)."""
        if a.day is not None or a.day_from is None:
            return True
        ev = self.db.event(event_id)
        start, end = (ev["start"], ev["end"]) if ev["start"] is not None else (ev.get("day_from"), ev.get("day_to"))
        return range_gap(a.day_from, a.day_to, start, end) <= self.params.event_days

    def _best_event(self, a: StoryArticle, emb: np.ndarray, near: dict[int, StoryNeighbour],
                    cos_of: dict[int, float]) -> tuple[int | None, float]:
        """The event that fits the article best as a whole, proposed by its nearest articles and the
        nearest event centroids."""
        p = self.params
        best_cos: dict[int, float] = defaultdict(float)
        for key, n in near.items():
            best_cos[n.event_id] = max(best_cos[n.event_id], cos_of[key])
        candidates = [e for e, _ in sorted(best_cos.items(), key=lambda kv: -kv[1])[:8]]
        # events found by their centroid: the way in for an undated article, and for a dated one
        # whose event's members were indexed under other months
        candidates += [e for e, _ in self.event_hits[:8] if e not in best_cos]
        events = {e: self.db.event(e) for e in candidates}
        timeless = {ev["storyline_id"] for ev in events.values() if ev["start"] is None}
        if timeless and (a.day or a.day_from):   # an event of undated articles lies within its storyline's days
            spans = self.db.storyline_spans(sorted(timeless))   # (and within its members' inferred range)
            for ev in events.values():
                if ev["start"] is None and spans.get(ev["storyline_id"], (None, None))[0] is not None:
                    ev["day_from"], ev["day_to"] = shared_range((ev["day_from"], ev["day_to"]),
                                                                spans[ev["storyline_id"]])
        w = self.weights({*a.entities, *(x for ev in events.values() for x in ev["entities"])},
                         {x for ev in events.values() for x in ev["terms"]})
        view = self.view(a, emb, w)
        best: tuple[float, int] | None = None
        top = 0.0
        for event_id, ev in events.items():
            fit = event_fit(view, event_view(ev), w, p)
            top = max(top, fit.score)
            if fit.ok and (best is None or fit.score > best[0]):
                best = (fit.score, event_id)
        return (best[1], best[0]) if best is not None else (None, top)

    def recent_months(self, a: StoryArticle) -> list[str]:
        """The months before an article's own (``storyline_quiet_days`` back): where the storylines it may
        continue were last active."""
        d = _day(a.day)
        if d is None:
            return []
        back = d - timedelta(days=self.params.storyline_quiet_days)
        months = {back.strftime("%Y-%m")}
        while back < d:
            back += timedelta(days=28)
            months.add(min(back, d).strftime("%Y-%m"))
        return sorted(months - set(self.months(a)))

    def _best_storyline(self, a: StoryArticle, emb: np.ndarray, near: dict[int, StoryNeighbour],
                        cos_of: dict[int, float]) -> tuple[int | None, float]:
        """The storyline a new event continues: the one it fits best as a whole, among the storylines of the
        nearest event centroids and of the nearest articles of its own and the previous weeks."""
        p = self.params
        nearest: dict[int, float] = {}
        storyline_of = self.db.event_storylines([e for e, _ in self.event_hits])
        for event_id, cos in self.event_hits:
            sid = storyline_of.get(event_id)
            if sid is not None:
                nearest[sid] = max(nearest.get(sid, -1.0), cos)
        recent = self.index.search(emb, self.recent_months(a), p.neighbours)
        found = {**near, **self.db.neighbours([k for k, _ in recent if k not in near])}
        cos_of = {**dict(recent), **cos_of}
        spans = self.db.storyline_spans(list(nearest))   # storylines of other years are no candidates
        live = {sid: cos for sid, cos in nearest.items()
                if self._gap(a, *spans.get(sid, (None, None))) <= p.storyline_days}
        lines = {sid: self.db.storyline_profile(sid)
                 for sid, _ in sorted(live.items(), key=lambda kv: -kv[1])[:p.storyline_candidates]}
        proposed: dict[int, float] = {}   # storylines of near articles: tried, judged by their centroid
        for key, n in found.items():
            if n.storyline_id not in lines:
                proposed[n.storyline_id] = max(proposed.get(n.storyline_id, -1.0), cos_of[key])
        for sid, _ in sorted(proposed.items(), key=lambda kv: -kv[1])[:p.storyline_proposed]:
            lines.setdefault(sid, self.db.storyline_profile(sid))
        w = self.weights({*a.entities, *(x for prof in lines.values() for x in prof["entities"])},
                         {x for prof in lines.values() for x in prof["terms"]})
        view = self.view(a, emb, w)
        lo, hi = (a.day, a.day) if a.day is not None else (a.day_from, a.day_to)
        quiet = self.db.storyline_quiet_gaps(list(lines), lo, hi or lo) if lo else {}
        # among the storylines that fit as wholes, the one its nearest articles of these weeks are in weighs more
        support: dict[int, int] = defaultdict(int)
        for key, _ in sorted(cos_of.items(), key=lambda kv: -kv[1])[:p.neighbours]:
            if key in found:
                support[found[key].storyline_id] += 1
        best: tuple[float, int, float] | None = None
        top = 0.0
        for sid, prof in lines.items():
            fit = storyline_fit(view, storyline_view(prof, quiet.get(sid)), nearest.get(sid), w, p)
            top = max(top, fit.score)
            rank = fit.score + p.storyline_support * support[sid] / p.neighbours
            if fit.ok and (best is None or rank > best[2]):
                best = (fit.score, sid, rank)
        return (best[1], best[0]) if best is not None else (None, top)

    def _rewrite_of(self, a: StoryArticle, sig: np.ndarray, event_id: int, near: dict[int, StoryNeighbour],
                    cos_of: dict[int, float]) -> tuple[str | None, str]:
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
            if entity_jaccard(a.entities, n.entities, self.weights({*a.entities, *n.entities}).entities) \
                    < p.rewrite_entities:
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


def event_view(ev: dict[str, Any]) -> EventView:
    """An event as the backend reads it (:meth:`storyline.store.stories.StoryTables.event`), for the rules."""
    return EventView(centroid=ev["centroid"], core=ev.get("core"), core_days=ev.get("core_days") or [],
                     start=ev["start"], end=ev["end"], entities=ev["entities"], terms=ev.get("terms"),
                     day_from=ev.get("day_from"), day_to=ev.get("day_to"))


def storyline_view(prof: dict[str, Any], quiet_gap: int | None = None) -> StorylineView:
    return StorylineView(centroid=prof["centroid"], start=prof["start"], end=prof["end"], entities=prof["entities"],
                         terms=prof.get("terms"), quiet_gap=quiet_gap)
