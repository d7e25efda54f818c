"""Coherence: whether an article fits an event, and an event a storyline, judged against the whole.

Grouping by the nearest member chains: A joins B's group because it resembles B, C joins because it
resembles A, and the group drifts across unrelated news. Here a group is judged as a whole:

- **events** (one happening): the article is compared with the event's centroid *and* its core
  (the members closest to the centroid), its words with the event's topic terms
  (:mod:`storyline.stories.terms`), its entities with the event's (when each side's main actor, the entity
  it names most, goes unnamed by the other, it is another happening of the same kind: the other player
  arrested, :func:`other_protagonists`), and its date with the days of the core: an event does not stretch
  beyond ``event_days`` of its core, nor its members over more than ``event_span_days`` in all (a core moves
  as members join: held to it alone, an event crept a day at a time), unless the article's content is the
  same happening (``event_extend_cosine``), and never ``event_extend_days`` beyond either;
  an undated article whose text bounds its publication (an inferred range) never joins an event
  outside that range, whatever its content (an event of such articles only keeps the range they share);
- **storylines** (one saga): the event is compared with the storyline's centroid and topic terms,
  and its core actors (topic and actors together); one shared famous name does not hold a storyline together,
  because an entity's weight falls with the share of all articles that mention it
  (:func:`entity_weights`); a storyline quiet for ``storyline_quiet_days`` or more (no event that near the
  article: a long storyline is quiet between its events too), or one the article would make span more than
  ``storyline_days`` (later or earlier: articles arrive in any order), is continued only by a strong match (so
  it does not outgrow its window by chaining).

Pure functions over plain values: the incremental assigner, ``storyline restructure`` and the
Spark engine use the same rules. Each returns a :class:`Fit` with its score and, when it fails, why.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..clean.dates import day_of
from .terms import TermVector, term_cosine


@dataclass(frozen=True)
class CoherenceParams:
    """The rules' thresholds (tuned on ECB+ train, the sample corpus and the allsides story threads; see
    ``bench/eval_stories.py``)."""

    # an article may lie this far from the days of the event's core (on real news an event of a wider window
    # gathered a week of happenings: against the readers' news days of 270 articles, B-cubed precision 0.62 at
    # 3 days, 0.79 at 1, recall 0.94 both, and 0.88 / 0.94 with ``event_span_days``; ``eval_real_analysis``) ...
    event_days: int = 1
    event_extend_days: int = 2         # ... and no further than this beyond, with content that is the same
    event_extend_cosine: float = 0.85  # ... happening (centroid cosine)
    # the days an event's members may span in all, first to last (its core moves as members join: held only to
    # its core's days, an event crept a day at a time over a week of happenings); beyond, the same content
    # is needed (``event_extend_cosine``), and never beyond this plus ``event_extend_days``
    event_span_days: int = 2
    event_threshold: float = 0.45
    event_term_share: float = 0.38     # event content: this much the topic terms' cosine, the rest embeddings
    entity_weight: float = 0.3         # event: weight of the entities both sides share (each way)
    event_conflict: float = 0.1        # event: both sides name rare entities and share less than this ...
    event_conflict_penalty: float = 0.1   # ... costs this much
    event_protagonist_penalty: float = 0.25  # each side's main actor (its most named rare entity) unnamed by the
                                             # other: another happening of the same kind (two arrests of two
                                             # players): costs this much
    protagonist_weight: float = 1.0    # ... a main actor is no common entity (its weight at least this)
    storyline_days: int = 400          # an event further than this from a storyline's span never joins it, and one
                                       # that would make it span longer than this joins only by ...
    storyline_quiet_days: int = 60     # ... and one this far from the storyline's nearest event (quiet) only by ...
    storyline_quiet_threshold: float = 0.6   # ... a score this high (quiet), or
    storyline_old_threshold: float = 0.7     # ... this high (past its window: the window is not outgrown by chaining)
    storyline_threshold: float = 0.4
    storyline_centroid_share: float = 0.6    # topic: the storyline's centroid, the rest its nearest event,
    storyline_term_share: float = 0.35       # ... and this much its topic terms' cosine
    storyline_entity_weight: float = 0.25    # actors: the core actors both share
    storyline_gap_penalty: float = 0.0       # per year of gap (the quiet threshold does this job now)
    common_share: float = 0.05         # entities in more than this share of all articles are damped
    common_min_articles: int = 500     # ... once the store holds this many articles
    rare_weight: float = 2.0           # an entity this rare (weight) or rarer names a side's own actors


@dataclass(frozen=True)
class Weights:
    """Rarity weights of entities and terms, and the least total weight an entity profile counts for."""

    entities: Mapping[int, float]
    terms: Mapping[int, float]
    floor: float = 0.0
    term_default: float = 1.0   # weight of a term never counted (as rare as can be)


@dataclass(frozen=True)
class Fit:
    """A rule's verdict: the score, whether it passes, why not, and the score it needed (infinite when a
    hard limit, such as time, rules the pair out whatever the score)."""

    score: float
    ok: bool
    reason: str = ""
    needed: float = math.inf

    def passes(self, margin: float = 0.0) -> bool:
        """Would it pass with the threshold moved by ``margin`` (negative: easier)?"""
        return self.score >= self.needed + margin


def days_outside(day: str | None, start: str | None, end: str | None) -> int:
    """How many days ``day`` lies outside ``[start, end]`` (0 inside, or when either side is undated)."""
    d, s, e = day_of(day), day_of(start), day_of(end or start)
    if d is None or s is None or e is None:
        return 0
    if d < s:
        return (s - d).days
    if d > e:
        return (d - e).days
    return 0


def days_between(start: str | None, end: str | None) -> int:
    """Days from ``start`` to ``end`` (0 when either is undated)."""
    s, e = day_of(start), day_of(end or start)
    return (e - s).days if s is not None and e is not None else 0


def range_gap(lo: str | None, hi: str | None, start: str | None, end: str | None) -> int:
    """Days between the ranges ``[lo, hi]`` and ``[start, end]`` (0 when they overlap or one is open)."""
    a, b, s, e = day_of(lo), day_of(hi or lo), day_of(start), day_of(end or start)
    if a is None or b is None or s is None or e is None:
        return 0
    if b < s:
        return (s - b).days
    if e < a:
        return (a - e).days
    return 0


def shared_range(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> tuple[str | None, str | None]:
    """The part two inferred ranges share (either one when the other is open; the later start when they do
    not overlap)."""
    if not a[0]:
        return b
    if not b[0]:
        return a
    lo, hi = max(a[0], b[0]), min(a[1] or a[0], b[1] or b[0])
    return lo, max(lo, hi)


def entity_weights(df: Mapping[int, int], total: int, p: CoherenceParams) -> dict[int, float]:
    """Rarity weights: inverse document frequency, damped further for entities that a large share of all
    articles mention (``common_share``), once the store is large enough for shares to mean something.
    ``df`` and ``total`` are counted incrementally as articles are placed."""
    out = {}
    for e, n in df.items():
        w = math.log((total + 2) / (n + 1))
        share = n / total if total else 0.0
        if total >= p.common_min_articles and share > p.common_share:
            w *= (p.common_share / share) ** 2
        out[e] = max(w, 0.0)
    return out


def weight_floor(total: int, p: CoherenceParams) -> float:
    """The least total weight a side's entities count for: an article whose only entities are common
    names does not match a profile completely by naming one of them."""
    return math.log(1 / p.common_share) if total >= p.common_min_articles else 0.0


def cover(article: Mapping[int, int], profile: Mapping[int, int], w: Mapping[int, float],
          floor: float = 0.0) -> float | None:
    """Share of the article's entities (by weight) that the profile also has; ``None`` when the article
    has none."""
    if not article:
        return None
    total = sum(w.get(e, 1.0) for e in article)
    shared = sum(w.get(e, 1.0) for e in article if e in profile)
    return shared / max(total, floor) if total or floor else None


def salient_cover(article: Mapping[int, int], profile: Mapping[int, int], w: Mapping[int, float],
                  floor: float = 0.0) -> float | None:
    """Share of the profile's entities (by weight times how often the profile names each, relative to its
    most named) that the article names; ``None`` when the profile has none."""
    if not profile:
        return None
    top = max(profile.values())
    total = sum(w.get(e, 1.0) * n / top for e, n in profile.items())
    shared = sum(w.get(e, 1.0) * n / top for e, n in profile.items() if e in article)
    return shared / max(total, floor) if total or floor else None


def agreement(article: Mapping[int, int], profile: Mapping[int, int], w: Mapping[int, float],
              floor: float = 0.0) -> float | None:
    """How far two entity profiles agree, both ways (the mean of the two covers); ``None`` when either
    side has no entities."""
    a, b = cover(article, profile, w, floor), salient_cover(article, profile, w, floor)
    return None if a is None or b is None else (a + b) / 2


def _unit(v: np.ndarray | None) -> np.ndarray | None:
    if v is None:
        return None
    n = float(np.linalg.norm(v))
    return v / n if n else None


@dataclass(frozen=True)
class ArticleView:
    """What the rules know of one article (or of an event, when an event is fitted to a storyline)."""

    vector: np.ndarray               # unit length
    day: str | None                  # the day it is grouped by (published, or a narrow inferred range)
    day_from: str | None = None      # undated: the range its text bounds its publication to
    day_to: str | None = None
    entities: Mapping[int, int] | None = None
    terms: Mapping[int, int] | None = None
    term_vector: TermVector | None = None   # ``terms`` weighted once, when one article meets many profiles


def _term_cos(a: ArticleView, profile: Mapping[int, int] | None, w: Weights) -> float | None:
    if a.term_vector is not None:
        return a.term_vector.cosine(profile or {}, w.terms, w.term_default)
    return term_cosine(a.terms or {}, profile or {}, w.terms, w.term_default)


@dataclass(frozen=True)
class EventView:
    centroid: np.ndarray | None
    core: np.ndarray | None          # (k, dim) unit vectors of the members closest to the centroid
    core_days: Sequence[str | None]
    start: str | None
    end: str | None
    entities: Mapping[int, int]
    terms: Mapping[int, int] | None = None
    day_from: str | None = None      # an event of undated articles only: the range their texts bound it to
    day_to: str | None = None


def pick_core(vectors: Sequence[np.ndarray], days: Sequence[str | None], centroid: np.ndarray,
              k: int) -> tuple[np.ndarray, list[str | None]]:
    """An event's core: the ``k`` member unit vectors closest to its centroid, with their days."""
    m = np.stack(list(vectors))
    order = np.argsort(-(m @ centroid), kind="stable")[:k]
    return m[order], [days[i] for i in order]


def core_span(ev: EventView) -> tuple[str | None, str | None]:
    days = sorted(d for d in ev.core_days if d)
    if days:
        return days[0], days[-1]
    return ev.start, ev.end


def event_fit(a: ArticleView, ev: EventView, w: Weights, p: CoherenceParams) -> Fit:
    """Does the article report the event's happening? Centroid, core and topic terms, entities both ways,
    time."""
    strong_needed = False
    if a.day is not None and ev.start is None and ev.day_from is not None:
        if range_gap(a.day, a.day, ev.day_from, ev.day_to) > p.event_days:
            return Fit(0.0, False, f"outside the event's inferred range ({ev.day_from} to {ev.day_to})")
    elif a.day is not None:
        lo, hi = core_span(ev)
        out = days_outside(a.day, lo, hi)
        span = days_outside(a.day, ev.start, ev.end) + days_between(ev.start, ev.end)
        if out > p.event_days + p.event_extend_days:
            return Fit(0.0, False, f"{out} days from the event's core")
        if span > p.event_span_days + p.event_extend_days:
            return Fit(0.0, False, f"the event would span {span} days")
        strong_needed = out > p.event_days or span > p.event_span_days
    elif a.day_from is not None:
        start, end = (ev.start, ev.end) if ev.start is not None else (ev.day_from, ev.day_to)
        if range_gap(a.day_from, a.day_to, start, end) > p.event_days:
            return Fit(0.0, False, f"outside the article's inferred range ({a.day_from} to {a.day_to})")
    c = _unit(ev.centroid)
    if c is None:
        return Fit(0.0, False, "empty event")
    c_cos = float(a.vector @ c)
    core_cos = float(np.mean(ev.core @ a.vector)) if ev.core is not None and len(ev.core) else c_cos
    if strong_needed and c_cos < p.event_extend_cosine:
        return Fit(c_cos, False, f"beyond the event's days with centroid cosine {c_cos:.2f}")
    score = 0.5 * c_cos + 0.5 * core_cos
    t_cos = _term_cos(a, ev.terms, w)
    if t_cos is not None:
        score = (1 - p.event_term_share) * score + p.event_term_share * t_cos
    agree = agreement(a.entities or {}, ev.entities, w.entities, w.floor)
    if agree is not None:
        score += p.entity_weight * agree
        if agree < p.event_conflict and _named(a.entities or {}, w.entities, p) and _named(ev.entities, w.entities, p):
            score -= p.event_conflict_penalty
        elif p.event_protagonist_penalty and other_protagonists(a.entities or {}, ev.entities, w.entities, p):
            score -= p.event_protagonist_penalty
    ok = score >= p.event_threshold
    return Fit(score, ok, "" if ok else f"score {score:.2f} < {p.event_threshold} (centroid {c_cos:.2f}, "
                                        f"core {core_cos:.2f}" + (f", terms {t_cos:.2f})" if t_cos is not None else ")"),
               p.event_threshold)


def _named(entities: Mapping[int, int], w: Mapping[int, float], p: CoherenceParams) -> bool:
    """Does a side name at least one rare entity of its own?"""
    return any(w.get(e, 1.0) >= p.rare_weight for e in entities)


def protagonist(entities: Mapping[int, int], w: Mapping[int, float], p: CoherenceParams) -> int | None:
    """A side's main actor: the entity it names most often, at least twice and more often than any other,
    and not a common one (weight ``protagonist_weight`` or more); ``None`` when no entity stands out so."""
    counts = sorted(((n, e) for e, n in entities.items() if w.get(e, 1.0) >= p.protagonist_weight), reverse=True)
    if not counts or counts[0][0] < 2 or (len(counts) > 1 and counts[1][0] == counts[0][0]):
        return None
    return counts[0][1]


def other_protagonists(a: Mapping[int, int], b: Mapping[int, int], w: Mapping[int, float],
                       p: CoherenceParams) -> bool:
    """Does each side's main actor go unnamed by the other? Two reports of one happening name its main actor
    both; two happenings of one kind (a second player arrested for the same offence) do not."""
    mine, theirs = protagonist(a, w, p), protagonist(b, w, p)
    return mine is not None and theirs is not None and mine not in b and theirs not in a


def _nearest_in(lo: str | None, hi: str | None, start: str | None, end: str | None) -> str | None:
    """The day of the range ``[lo, hi]`` nearest to ``[start, end]`` (``start`` when they overlap)."""
    if lo is None or start is None:
        return lo
    hi, end = hi or lo, end or start
    if hi < start:
        return hi
    if lo > end:
        return lo
    return start


@dataclass(frozen=True)
class StorylineView:
    centroid: np.ndarray | None
    start: str | None
    end: str | None
    entities: Mapping[int, int]
    terms: Mapping[int, int] | None = None
    quiet_gap: int | None = None     # days from the article to the storyline's nearest event, when known (a long
                                     # storyline is quiet between its events too); else the days outside its span


def storyline_fit(a: ArticleView, s: StorylineView, nearest_cos: float | None, w: Weights,
                  p: CoherenceParams) -> Fit:
    """Does a new event (its first article, or its profile) continue the storyline? Topic (the storyline's
    centroid and terms, its nearest event a little: ``nearest_cos``, the centroid's when not known) and core
    actors together, and recency."""
    if a.day is not None:
        gap = days_outside(a.day, s.start, s.end)
    else:
        gap = range_gap(a.day_from, a.day_to, s.start, s.end)
    if gap > p.storyline_days:
        return Fit(0.0, False, f"{gap} days from the storyline")
    c = _unit(s.centroid)
    c_cos = float(a.vector @ c) if c is not None else (nearest_cos or 0.0)
    nearest_cos = c_cos if nearest_cos is None else nearest_cos
    topic = p.storyline_centroid_share * c_cos + (1 - p.storyline_centroid_share) * nearest_cos
    t_cos = _term_cos(a, s.terms, w)
    if t_cos is not None:
        topic = (1 - p.storyline_term_share) * topic + p.storyline_term_share * t_cos
    actors = agreement(a.entities or {}, s.entities, w.entities, w.floor)
    score = topic + p.storyline_entity_weight * (actors or 0.0) - p.storyline_gap_penalty * min(1.0, gap / 365)
    quiet_gap = gap if s.quiet_gap is None else max(gap, s.quiet_gap)
    quiet = quiet_gap > p.storyline_quiet_days
    lo = hi = a.day if a.day is not None else _nearest_in(a.day_from, a.day_to, s.start, s.end)
    first = min(filter(None, (s.start, lo)), default=None)
    age = days_outside(max(filter(None, (s.end, hi)), default=None), first, first)   # its span, were it to join
    old = age > p.storyline_days
    needed = p.storyline_old_threshold if old else p.storyline_quiet_threshold if quiet else p.storyline_threshold
    ok = score >= needed
    why = "" if ok else f"score {score:.2f} < {needed}" + (f" after {quiet_gap} quiet days" if quiet else "") + \
        (f" spanning {age} days" if old else "") + \
        f" (topic {topic:.2f}" + (f", actors {actors:.2f})" if actors is not None else ")")
    return Fit(score, ok, why, needed)

