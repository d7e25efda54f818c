"""Re-examine recent stories after incremental assignment: merge what belongs together, split what does not.

Incremental placement sees articles one at a time; an event can open twice (two first reports
before either was indexed) or absorb an unrelated article. For events active in the last ``days``:

- **merge events**: two events of overlapping dates (``event_days``) whose centroids are very
  similar (``merge_cosine``) become one; the larger keeps its id, the other redirects to it;
- **merge storylines**: two storylines holding such a near-identical pair of events (``storyline_cosine``)
  become one, the same way;
- **split events**: an event whose members fall apart into groups with no pair above
  ``split_cosine`` keeps its largest group; each other group of two or more becomes a new event
  in the same storyline.

Every change is returned (``action, kind, id, into, articles, reason``) and, unless ``dry_run``, applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .assign import days_outside, entity_cover


@dataclass(frozen=True)
class RestructureParams:
    merge_cosine: float = 0.85
    storyline_cosine: float = 0.8
    split_cosine: float = 0.35
    min_entity_cover: float = 0.4
    event_days: int = 3


def _unit(v: np.ndarray | None) -> np.ndarray | None:
    if v is None:
        return None
    n = float(np.linalg.norm(v))
    return v / n if n else None


def _components(vectors: list[np.ndarray], threshold: float) -> list[list[int]]:
    m = np.stack(vectors)
    sims = m @ m.T
    seen, groups = set(), []
    for i in range(len(vectors)):
        if i in seen:
            continue
        stack, group = [i], []
        seen.add(i)
        while stack:
            j = stack.pop()
            group.append(j)
            for k in np.nonzero(sims[j] >= threshold)[0]:
                if int(k) not in seen:
                    seen.add(int(k))
                    stack.append(int(k))
        groups.append(sorted(group))
    return sorted(groups, key=len, reverse=True)


def restructure(db: Any, days: int, *, dry_run: bool = False,
                params: RestructureParams | None = None) -> list[dict[str, Any]]:
    """``db``: :class:`storyline.store.stories.RestructureTables` inside a transaction."""
    p = params or RestructureParams()
    changes: list[dict[str, Any]] = []
    events = db.recent_events(days)
    alive = {e["id"]: e for e in events}
    # split first, so that a merge compares clean events
    for e in events:
        members = db.event_vectors(e["id"])
        if len(members) < 4:
            continue
        groups = _components([v / (np.linalg.norm(v) or 1.0) for _, v in members], p.split_cosine)
        for g in groups[1:]:
            if len(g) < 2:
                continue
            ids = [members[i][0] for i in g]
            change = {"action": "split", "kind": "event", "id": e["id"], "into": None, "articles": len(ids),
                      "reason": f"no member above cosine {p.split_cosine} with the rest"}
            if not dry_run:
                new_id = db.new_event(e["storyline_id"])
                db.move_articles(ids, new_id, "split")
                db.recompute_event(new_id)
                change["into"] = new_id
            changes.append(change)
        if len(groups) > 1 and not dry_run:
            db.recompute_event(e["id"])
    # merge events, then storylines
    order = sorted(events, key=lambda e: (-e["n"], e["id"]))
    merged: set[int] = set()
    for i, a in enumerate(order):
        if a["id"] in merged:
            continue
        ca = _unit(a["centroid"])
        for b in order[i + 1:]:
            if b["id"] in merged or ca is None or (cb := _unit(b["centroid"])) is None:
                continue
            cos = float(ca @ cb)
            close = days_outside(b["start"], a["start"], a["end"]) <= p.event_days or \
                days_outside(a["start"], b["start"], b["end"]) <= p.event_days
            shared = max(entity_cover(b["entities"], a["entities"], {}), entity_cover(a["entities"], b["entities"], {}))
            if close and cos >= p.merge_cosine and shared >= p.min_entity_cover:
                changes.append({"action": "merge", "kind": "event", "id": b["id"], "into": a["id"], "articles": b["n"],
                                "reason": f"centroid cosine {cos:.2f}, dates overlap"})
                merged.add(b["id"])
                if not dry_run:
                    db.move_articles([m for m, _ in db.event_vectors(b["id"])], a["id"], "merged")
                    db.retire("events", b["id"])
                    db.redirect("event", b["id"], a["id"], "merged")
                    db.recompute_event(a["id"])
                    db.refresh_event(b["id"])
            elif a["storyline_id"] != b["storyline_id"] and cos >= p.storyline_cosine and shared >= p.min_entity_cover:
                keep, drop = sorted((a["storyline_id"], b["storyline_id"]))
                changes.append({"action": "merge", "kind": "storyline", "id": drop, "into": keep, "articles": None,
                                "reason": f"events {a['id']} and {b['id']}: centroid cosine {cos:.2f}"})
                if not dry_run:
                    for ev in db.storyline_events(drop):
                        db.move_event(ev, keep)
                        if ev in alive:
                            alive[ev]["storyline_id"] = keep
                    db.retire("storylines", drop)
                    db.redirect("storyline", drop, keep, "merged")
                    for ev in db.storyline_events(keep)[:1]:
                        db.refresh_event(ev)
                    db.recompute_storyline(keep)
                for e in events:
                    if e["storyline_id"] == drop:
                        e["storyline_id"] = keep
    return changes
