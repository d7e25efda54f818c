"""Re-examine stories after incremental placement, by the rules that placed them: split what grew by
chaining, merge what belongs together.

Incremental placement sees articles one at a time, and stores placed by older rules hold events and
storylines that grew by chaining. For the storylines active in the last ``days`` (all their events):

1. **split events**: the event's articles are placed again, in time order, by the event rule
   (:func:`storyline.stories.coherence.event_fit`: centroid and core, entities, the core's days), each
   copy or rewrite group as one unit; the largest resulting group keeps the event's id, every other
   becomes a new event;
2. **merge events**: two events whose dates overlap (``event_days``), whose centroids are very close
   (``merge_cosine``) and whose entities agree (``min_entity_agreement``) become one; the larger keeps its id;
3. **relink storylines**: the events, in time order, are linked again into storylines by the storyline
   rule (:func:`storyline.stories.coherence.storyline_fit`: the storyline's centroid and core actors,
   recency) applied to each event's profile, which is steadier than the one article that opened the event;
   an event stays with its old storyline's events when it fits them (the threshold eased by ``split_margin``)
   and joins another only with the threshold raised by ``join_margin``; each resulting storyline takes the id
   of the old storyline most of its articles came from; an old storyline whose events all went elsewhere is
   merged, one whose events fell apart is split, and an event that went to another storyline is moved.

Every change is returned (``action``: split, merge or move; ``kind``: event or storyline; ``id, into, articles,
reason``) and, unless ``dry_run``, applied; retired ids redirect to the story that took their articles.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .assign import StoryParams
from .coherence import (ArticleView, EventView, StorylineView, Weights, agreement, day_of, days_outside, entity_weights,
                        event_fit, pick_core, shared_range, storyline_fit, weight_floor)
from .terms import term_weights

CANDIDATES = 16          # nearest earlier events whose storylines an event is tried against
MERGE_CANDIDATES = 8     # nearest events an event may merge with
EVENT_CORE = 5
ENTITY_LIMIT = 60
TERM_LIMIT = 100


@dataclass(frozen=True)
class RestructureParams:
    merge_cosine: float = 0.85          # events: centroids this close (and dates overlapping) merge ...
    min_entity_agreement: float = 0.3   # ... when their entities agree this much
    split_margin: float = 0.05          # what stays together needs the rule's threshold less this
    join_margin: float = 0.05           # what joins another storyline needs it plus this


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (float(np.linalg.norm(v)) or 1.0)


def _merge(profile: dict[int, int], add: dict[int, int], limit: int = ENTITY_LIMIT) -> dict[int, int]:
    out = dict(profile)
    for k, v in add.items():
        out[k] = out.get(k, 0) + v
    return dict(sorted(out.items(), key=lambda kv: -kv[1])[:limit])


def _span(days: Sequence[str | None]) -> tuple[str | None, str | None]:
    dated = sorted(d for d in days if d)
    return (dated[0], dated[-1]) if dated else (None, None)


# -- 1. events -------------------------------------------------------------------------------------------


@dataclass
class _Group:
    """A group of articles being rebuilt into an event."""

    vectors: list[np.ndarray] = field(default_factory=list)
    days: list[str | None] = field(default_factory=list)
    entities: dict[int, int] = field(default_factory=dict)
    terms: dict[int, int] = field(default_factory=dict)
    units: list[int] = field(default_factory=list)
    day_range: tuple[str | None, str | None] = (None, None)

    def view(self) -> EventView:
        centroid = np.mean(self.vectors, axis=0)
        core, core_days = pick_core(self.vectors, self.days, centroid, EVENT_CORE)
        start, end = _span(self.days)
        return EventView(centroid=centroid, core=core, core_days=core_days, start=start, end=end,
                         entities=self.entities, terms=self.terms, day_from=self.day_range[0],
                         day_to=self.day_range[1])

    def add(self, unit: int, u: dict[str, Any]) -> None:
        self.units.append(unit)
        self.day_range = shared_range(self.day_range, (u["day_from"], u["day_to"]))
        self.vectors += u["vectors"]
        self.days += u["days"]
        self.entities = _merge(self.entities, u["entities"], 30)
        self.terms = _merge(self.terms, u["terms"], 60)


def _unit_view(vectors: list[np.ndarray], days: list[str | None], entities: dict[int, int], terms: dict[int, int],
               day_from: str | None = None, day_to: str | None = None) -> ArticleView:
    dated = sorted(d for d in days if d)
    return ArticleView(vector=_unit(np.mean(vectors, axis=0)), day=dated[0] if dated else None, day_from=day_from,
                       day_to=day_to, entities=entities, terms=terms)


def split_event(units: list[dict[str, Any]], w: Weights, p: StoryParams,
                margin: float = 0.0) -> list[tuple[list[int], str]]:
    """``units``: the event's copy/rewrite groups, each ``{vectors, days, day_from, day_to, entities, terms}``.
    Place them again in time order by the event rule (its threshold eased by ``margin``: only what is clearly
    apart is split); a group that then fits the largest as a whole goes back into it. Return the groups (unit
    indexes), largest first, each but the first with why it is apart."""
    order = sorted(range(len(units)), key=lambda i: (units[i]["days"][0] is None, units[i]["days"][0] or "", i))
    groups: list[_Group] = []
    for i in order:
        u = units[i]
        view = _unit_view(u["vectors"], u["days"], u["entities"], u["terms"], u["day_from"], u["day_to"])
        best: tuple[float, int] | None = None
        for gi, g in enumerate(groups):
            fit = event_fit(view, g.view(), w, p)
            if fit.passes(-margin) and (best is None or fit.score > best[0]):
                best = (fit.score, gi)
        if best is None:
            groups.append(_Group())
            best = (0.0, len(groups) - 1)
        groups[best[1]].add(i, u)
    groups.sort(key=lambda g: (-len(g.vectors), g.units[0]))
    main, out = groups[0], [(groups[0].units, "")]
    for g in groups[1:]:
        fit = event_fit(_unit_view(g.vectors, g.days, g.entities, g.terms, *g.day_range), main.view(), w, p)
        if fit.passes(-margin):
            for i in g.units:
                main.add(i, units[i])
            out[0] = (main.units, "")
        else:
            out.append((g.units, fit.reason))
    return out


# -- 3. storylines ---------------------------------------------------------------------------------------


@dataclass
class _Line:
    total: np.ndarray
    n: int = 0
    start: str | None = None
    end: str | None = None
    entities: dict[int, int] = field(default_factory=dict)
    terms: dict[int, int] = field(default_factory=dict)
    events: list[int] = field(default_factory=list)

    def view(self) -> StorylineView:
        return StorylineView(centroid=self.total / max(self.n, 1), start=self.start, end=self.end,
                             entities=self.entities, terms=self.terms)

    def add(self, ev: dict[str, Any]) -> None:
        self.events.append(ev["id"])
        self.total = self.total + ev["centroid"] * ev["n"]
        self.n += ev["n"]
        self.entities = _merge(self.entities, ev["entities"])
        self.terms = _merge(self.terms, ev.get("terms") or {}, TERM_LIMIT)
        self.start = min(filter(None, (self.start, ev["start"])), default=None)
        self.end = max(filter(None, (self.end, ev["end"])), default=None)


def event_as_article(ev: dict[str, Any]) -> ArticleView:
    """An event's profile, fitted to a storyline as its first article would be: its centroid, first day
    (or its undated members' range), entities."""
    return ArticleView(vector=_unit(ev["centroid"]), day=ev["start"], day_from=ev.get("day_from"),
                       day_to=ev.get("day_to"), entities=ev["entities"], terms=ev.get("terms"))


def _nearest_earlier(vectors: np.ndarray, k: int, days: np.ndarray | None = None, within: int = 0,
                     chunk: int = 1024) -> list[list[tuple[int, float]]]:
    """For each row, the ``k`` most similar earlier rows (index, cosine), best first; with ``days`` (day numbers,
    -1 when undated), only rows dated within ``within`` days of it (or either undated)."""
    out: list[list[tuple[int, float]]] = []
    for lo in range(0, len(vectors), chunk):
        sims = vectors[lo:lo + chunk] @ vectors[:lo + chunk].T
        if days is not None:
            mine, theirs = days[lo:lo + chunk, None], days[None, :lo + chunk]
            far = (np.abs(mine - theirs) > within) & (mine >= 0) & (theirs >= 0)
            sims = np.where(far, -2.0, sims)
        for r in range(sims.shape[0]):
            i = lo + r
            row = sims[r, :i]
            if not i:
                out.append([])
                continue
            top = np.argpartition(-row, min(k, i) - 1)[:k] if i > k else np.arange(i)
            out.append(sorted(((int(j), float(row[j])) for j in top if row[j] > -2.0), key=lambda t: -t[1]))
    return out


def relink(events: list[dict[str, Any]], w: Weights, p: StoryParams, keep_margin: float = 0.0,
           join_margin: float = 0.0) -> tuple[list[list[int]], dict[int, str]]:
    """Link events (``{id, storyline_id, start, end, n, centroid, entities, terms}``) into storylines in time
    order, each tried against the storylines of its nearest earlier events and the one its old storyline's
    events went to: staying with those needs the storyline threshold eased by ``keep_margin``, joining
    another needs it raised by ``join_margin``. Returns the storylines (event ids) and, for each event that
    opened one apart from where its old storyline went, why it did not stay."""
    order = sorted(events, key=lambda e: (e["start"] is None, e["start"] or "", e["id"]))
    vectors = np.stack([_unit(e["centroid"]) for e in order]).astype(np.float32)
    days = np.array([day_of(e["end"] or e["start"]).toordinal() if e["start"] else -1 for e in order])
    near = _nearest_earlier(vectors, CANDIDATES, days, p.storyline_days)
    lines: list[_Line] = []
    line_of: list[int] = []
    home: dict[int, int] = {}   # old storyline -> the new line that took its first event
    why: dict[int, str] = {}
    for i, ev in enumerate(order):
        cos_to: dict[int, float] = {}
        for j, cos in near[i]:
            cos_to[line_of[j]] = max(cos_to.get(line_of[j], -1.0), cos)
        h = home.get(ev["storyline_id"])
        if h is not None and h not in cos_to:
            cos_to[h] = max(float(vectors[i] @ _unit(lines[h].total)), -1.0)
        view = event_as_article(ev)
        best: tuple[float, int] | None = None
        for li, cos in cos_to.items():
            fit = storyline_fit(view, lines[li].view(), cos, w, p)
            if li == h:
                why[ev["id"]] = fit.reason
                if fit.passes(-keep_margin):   # it stays where its storyline's events went
                    best = (math.inf, li)
                    break
            elif fit.passes(join_margin) and (best is None or fit.score > best[0]):
                best = (fit.score, li)
        if best is None:
            lines.append(_Line(total=np.zeros_like(ev["centroid"])))
            li = len(lines) - 1
        else:
            li = best[1]
            why.pop(ev["id"], None)
        home.setdefault(ev["storyline_id"], li)
        lines[li].add(ev)
        line_of.append(li)
    return [line.events for line in lines], why


# -- the whole pass ----------------------------------------------------------------------------------------


def restructure(db: Any, days: int, *, dry_run: bool = False, params: StoryParams | None = None,
                rparams: RestructureParams | None = None) -> list[dict[str, Any]]:
    """``db``: :class:`storyline.store.stories.RestructureTables` inside a transaction."""
    p = params or StoryParams()
    rp = rparams or RestructureParams()
    changes: list[dict[str, Any]] = []
    events = db.scope_events(days)
    if not events:
        return changes
    w = _weights(db, events, p)
    events = _split_events(db, events, w, p, rp, dry_run, changes)
    events = _merge_events(db, events, w, p, rp, dry_run, changes)
    _relink(db, events, w, p, rp, dry_run, changes)
    return changes


def _weights(db: Any, events: list[dict[str, Any]], p: StoryParams) -> Weights:
    """Weights of the entities and terms of these events' profiles and of their members (read once)."""
    total, df = db.entity_df(sorted({e for ev in events for e in ev["entities"]}))
    _, tdf = db.term_df(sorted({t for ev in events for t in ev.get("terms") or {}}))
    return Weights(entities=entity_weights(df, total, p), terms=term_weights(tdf, total),
                   floor=weight_floor(total, p), term_default=float(np.log(total + 2)))


def _with_units(db: Any, w: Weights, units: list[dict[str, Any]], p: StoryParams) -> Weights:
    """``w`` with the weights of the units' entities and terms it lacks."""
    ents = sorted({e for u in units for e in u["entities"] if e not in w.entities})
    terms = sorted({t for u in units for t in u["terms"] if t not in w.terms})
    if not ents and not terms:
        return w
    total, df = db.entity_df(ents)
    _, tdf = db.term_df(terms)
    return Weights(entities={**w.entities, **entity_weights({e: df.get(e, 0) for e in ents}, total, p)},
                   terms={**w.terms, **term_weights({t: tdf.get(t, 0) for t in terms}, total)},
                   floor=w.floor, term_default=w.term_default)


def _split_events(db: Any, events: list[dict[str, Any]], w: Weights, p: StoryParams, rp: RestructureParams,
                  dry_run: bool, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for ev in events:
        out.append(ev)
        if ev["n"] < 2:
            continue
        units = db.event_units(ev["id"])
        if len(units) < 2:
            continue
        w = _with_units(db, w, units, p)
        groups = split_event(units, w, p, rp.split_margin)
        for g, reason in groups[1:]:
            ids = [a for i in g for a in units[i]["articles"]]
            start, end = _span([d for i in g for d in units[i]["days"]])
            change = {"action": "split", "kind": "event", "id": ev["id"], "into": None, "articles": len(ids),
                      "reason": f"{len(ids)} article(s){_dates(start, end)} not the same happening: {reason}"}
            if not dry_run:
                new_id = db.new_event(ev["storyline_id"])
                db.move_articles(ids, new_id, "split")
                db.recompute_event(new_id)
                change["into"] = new_id
                out.append(db.event(new_id))
            changes.append(change)
        if len(groups) > 1 and not dry_run:
            db.recompute_event(ev["id"])
            out[-len(groups)] = db.event(ev["id"])
    return out


def _dates(start: str | None, end: str | None) -> str:
    if not start:
        return " (undated)"
    return f" ({start})" if start == end else f" ({start} to {end})"


def _merge_events(db: Any, events: list[dict[str, Any]], w: Weights, p: StoryParams, rp: RestructureParams,
                  dry_run: bool, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    live = [e for e in events if e["centroid"] is not None and e["n"] > 0]
    if len(live) < 2:
        return live
    vectors = np.stack([_unit(e["centroid"]) for e in live]).astype(np.float32)
    order = sorted(range(len(live)), key=lambda i: (-live[i]["n"], live[i]["id"]))
    gone: set[int] = set()
    for lo in range(0, len(order), 1024):
        rows = order[lo:lo + 1024]
        sims = vectors[rows] @ vectors.T
        for r, i in enumerate(rows):
            a = live[i]
            if a["id"] in gone:
                continue
            for j in np.argsort(-sims[r])[:MERGE_CANDIDATES + 1]:
                b = live[int(j)]
                cos = float(sims[r, j])
                if b["id"] == a["id"] or b["id"] in gone or cos < rp.merge_cosine:
                    continue
                if (b["n"], -b["id"]) > (a["n"], -a["id"]):
                    continue   # the larger of the two keeps its id; the pair is seen from its side
                close = days_outside(b["start"], a["start"], a["end"]) <= p.event_days or \
                    days_outside(a["start"], b["start"], b["end"]) <= p.event_days
                agree = agreement(b["entities"], a["entities"], w.entities)
                if not close or (agree is not None and agree < rp.min_entity_agreement):
                    continue
                gone.add(b["id"])
                changes.append({"action": "merge", "kind": "event", "id": b["id"], "into": a["id"], "articles": b["n"],
                                "reason": f"centroid cosine {cos:.2f}, dates overlap"
                                          + (f", entities agree {agree:.2f}" if agree is not None else "")})
                if not dry_run:
                    db.move_articles(db.event_articles(b["id"]), a["id"], "merged")
                    db.retire("events", b["id"])
                    db.redirect("event", b["id"], a["id"], "merged")
                    db.recompute_event(a["id"])
                    db.refresh_event(b["id"])
    kept = [e for e in live if e["id"] not in gone]
    if dry_run:
        return kept
    return [db.event(e["id"]) for e in kept]


def _relink(db: Any, events: list[dict[str, Any]], w: Weights, p: StoryParams, rp: RestructureParams,
            dry_run: bool, changes: list[dict[str, Any]]) -> None:
    if not events:
        return
    lines, why = relink(events, w, p, rp.split_margin, rp.join_margin)
    by_id = {e["id"]: e for e in events}
    old_of = {e["id"]: e["storyline_id"] for e in events}
    # each new line takes the id of the old storyline most of its articles came from (largest lines first)
    weight: dict[int, Counter] = {i: Counter() for i in range(len(lines))}
    for i, line in enumerate(lines):
        for e in line:
            weight[i][old_of[e]] += by_id[e]["n"]
    taken: dict[int, int] = {}   # old storyline id -> line index
    for i in sorted(range(len(lines)), key=lambda i: -sum(weight[i].values())):
        for old, _ in weight[i].most_common():
            if old not in taken:
                taken[old] = i
                break
    line_id = {i: old for old, i in taken.items()}
    olds = sorted(set(old_of.values()))
    for i, line in enumerate(lines):
        if i in line_id:
            continue
        first = min(line, key=lambda e: (by_id[e]["start"] is None, by_id[e]["start"] or "", e))
        src = old_of[first]
        n = sum(by_id[e]["n"] for e in line)
        start, end = _span([by_id[e]["start"] for e in line] + [by_id[e]["end"] for e in line])
        change = {"action": "split", "kind": "storyline", "id": src, "into": None, "articles": n,
                  "reason": f"{len(line)} event(s){_dates(start, end)}: {why.get(first) or 'apart from the rest'}"}
        if not dry_run:
            line_id[i] = db.new_storyline()
            change["into"] = line_id[i]
        changes.append(change)
    for old in olds:
        if old in taken:
            continue
        into = Counter()
        for i, line in enumerate(lines):
            into[i] += sum(by_id[e]["n"] for e in line if old_of[e] == old)
        target = into.most_common(1)[0][0]
        changes.append({"action": "merge", "kind": "storyline", "id": old, "into": line_id.get(target),
                        "articles": sum(by_id[e]["n"] for e in by_id if old_of[e] == old),
                        "reason": "its events continue storyline "
                                  f"{line_id.get(target, 'new')} (topic and actors, within its time)"})
    new_line = {e: i for i, line in enumerate(lines) for e in line}
    for e, i in new_line.items():   # events that went to another storyline that already existed
        if i in line_id and old_of[e] != line_id[i] and line_id[i] in olds and old_of[e] in taken:
            changes.append({"action": "move", "kind": "event", "id": e, "into": line_id[i], "articles": by_id[e]["n"],
                            "reason": f"from storyline {old_of[e]}: {why.get(e) or 'fits the other better'}"})
    if dry_run:
        return
    touched = set()
    for i, line in enumerate(lines):
        for e in line:
            if old_of[e] != line_id[i]:
                db.move_event(e, line_id[i])
                touched |= {old_of[e], line_id[i]}
    for old in olds:
        if old not in taken:
            target = next(c["into"] for c in changes if c["kind"] == "storyline" and c["action"] == "merge"
                          and c["id"] == old)
            db.retire("storylines", old)
            db.redirect("storyline", old, target, "merged")
    for sid in touched:
        if sid in taken or sid in line_id.values():
            db.recompute_storyline(sid)
