"""Dates for undated articles from their story neighbours (issue 15): the one hook the story stage calls.

After each placement, :func:`date_from_neighbours` looks at what the placement found, in both directions:

- an undated article placed as a **copy** of a dated one (or in its duplicate group) or as a **rewrite** of
  one takes its date as a cue (from the day before to a week after); else, in an **event**, the date of its
  closest dated fellow member, when that one is close enough to share its days (``same_event``: 20 days
  either side);
- a dated article placed as a copy or rewrite of undated ones, or in an event holding undated members close
  to it, gives them the same cue.

The cue joins the article's stored cues (its text's, its URL's, world knowledge's) and the range is combined
again (``storyline.extract.pubdate.infer_range``): a neighbour's date contradicting strong evidence in the
text loses, and is reported as dropped. The basis becomes ``copy``, ``rewrite`` or ``event`` when the
neighbour's cue holds. Work per placement: a bounded number of keyed reads (``MAX_MEMBERS``); nothing scans.

Story grouping may change (merges, splits): the hook only reads the placement it is given, so it stays valid
whatever groups articles, as long as the grouping reports copies, rewrites and events the same way.
"""

from __future__ import annotations

from datetime import date, timedelta
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from ..extract.daterange import DateCue
from ..extract.pubdate import cue_of, infer_range
from ..records import Assignment, StoryArticle, evidence_from_json, evidence_to_json
from .assign import entity_cover

#: kind -> (days before, days after the neighbour's date(s), weight)
NEIGHBOUR_CUES = {"copy": (1, 7, 8.0), "rewrite": (2, 7, 6.0), "event-member": (20, 20, 2.5)}
MAX_MEMBERS = 50
#: a fellow event member counts when it is this close: same headline-and-lead meaning (embedding cosine) and
#: most of the article's rare entities. Measured on allsides-12k rows outside the evaluation sample: news
#: recurs (the same people, the same quotes, months apart), so a looser neighbour shares the article's
#: month less often than not; these hold within 20 days for 86% of pairs.
SAME_EVENT_COSINE = 0.8
SAME_EVENT_ENTITIES = 0.5
ANY_COSINE = 0.9


class DatingBackend(Protocol):   # storyline.store.stories.StoryTables
    def inferred(self, article_id: str) -> tuple[str | None, str | None, str | None, str] | None: ...
    def set_inferred(self, article_id: str, start: str, end: str, basis: str, evidence: str) -> None: ...
    def published_of(self, ids: list[str]) -> dict[str, str | None]: ...
    def duplicate_group(self, article_id: str) -> tuple[str, str] | None: ...
    def group_members(self, group_id: str) -> list[tuple[str, str | None]]: ...
    def member_features(self, event_id: int, limit: int, dated: bool) -> list[tuple[str, str | None, np.ndarray,
                                                                                    dict[int, int]]]: ...
    def features_of(self, article_id: str) -> tuple[np.ndarray, dict[int, int]] | None: ...
    def entity_idf(self, entity_ids: Any) -> dict[int, float]: ...


def neighbour_cue(kind: str, first: str, last: str, source: str | None, note: str) -> DateCue:
    before, after, weight = NEIGHBOUR_CUES[kind]
    a = date.fromisoformat(first[:10]) - timedelta(days=before)
    b = date.fromisoformat(last[:10]) + timedelta(days=after)
    return DateCue(kind, "", -1, -1, ((a.toordinal(), b.toordinal()),), weight, note, source)


def same_event(a: tuple[np.ndarray, dict[int, int]], b: tuple[np.ndarray, dict[int, int]],
               idf: dict[int, float]) -> float | None:
    """The cosine of two articles of one event when they are close enough to share its days, else ``None``."""
    cos = float(a[0] @ b[0])
    return cos if close_enough(cos, a[1], b[1], idf) else None


def close_enough(cos: float, mine: dict[int, int], theirs: dict[int, int], idf: dict[int, float]) -> bool:
    """``same_event`` from a cosine already known (an index search's) and the two articles' entities."""
    return cos >= ANY_COSINE or cos >= SAME_EVENT_COSINE and entity_cover(mine, theirs, idf) >= SAME_EVENT_ENTITIES


def _event_cue(day: str, source: str, cos: float) -> DateCue:
    return neighbour_cue("event-member", day, day, source,
                         f"reports the same event as an article published {day} (similarity {cos:.2f})")


def date_from_neighbours(db: DatingBackend, a: StoryArticle, placed: Assignment,
                         nearest: Sequence[tuple[str, str, float, dict[int, int]]] = (),
                         today: date | None = None) -> list[str]:
    """Give undated articles the dates of the dated copies, rewrites and fellow event members this placement
    found, and of the nearest dated articles (``nearest``: ``(article_id, day, cosine, entities)`` found by the
    story stage in the months the article's range allows) close enough to report the same happening; returns
    the ids whose inferred range changed."""
    today = today or date.today()
    changed: list[str] = []
    if a.day_basis != "published":   # the article placed is undated: what does it sit next to?
        cues = []
        if placed.duplicate_of:
            group = db.duplicate_group(placed.duplicate_of)
            members = db.group_members(group[0])[:MAX_MEMBERS] if group else \
                list(db.published_of([placed.duplicate_of]).items())
            dated = sorted((p[:10], m) for m, p in members if p and m != a.article_id)
            if dated:
                cues.append(neighbour_cue("copy", dated[0][0], dated[-1][0], dated[0][1],
                                          f"a copy of an article published {dated[0][0]}"))
        if placed.rewrite_of and (day := db.published_of([placed.rewrite_of]).get(placed.rewrite_of)):
            cues.append(neighbour_cue("rewrite", day, day, placed.rewrite_of,
                                      f"a rewrite of an article published {day}"))
        if not cues and (not placed.new_event or nearest) and (mine := db.features_of(a.article_id)) is not None:
            members = [] if placed.new_event else db.member_features(placed.event_id, MAX_MEMBERS, True)
            idf = db.entity_idf(set(mine[1]) | {e for *_, ents in nearest for e in ents})
            close = [(cos, day, m) for m, day, vec, ents in members if m != a.article_id and day
                     and (cos := same_event(mine, (vec, ents), idf)) is not None]
            close += [(cos, day, m) for m, day, cos, ents in nearest
                      if m != a.article_id and close_enough(cos, mine[1], ents, idf)]
            if close:
                cos, day, m = max(close)
                cues.append(_event_cue(day, m, cos))
        if cues and _redate(db, a.article_id, cues, today):
            changed.append(a.article_id)
        return changed
    # the article placed is dated: undated copies, rewrites and event members placed before it
    day = a.day or ""
    targets: dict[str, DateCue] = {}
    if placed.duplicate_of:
        group = db.duplicate_group(placed.duplicate_of)
        members = db.group_members(group[0])[:MAX_MEMBERS] if group else \
            list(db.published_of([placed.duplicate_of]).items())
        for m, p in members:
            if not p and m != a.article_id:
                targets[m] = neighbour_cue("copy", day, day, a.article_id, f"a copy of an article published {day}")
    if placed.rewrite_of and not db.published_of([placed.rewrite_of]).get(placed.rewrite_of):
        targets.setdefault(placed.rewrite_of, neighbour_cue("rewrite", day, day, a.article_id,
                                                            f"rewritten by an article published {day}"))
    if not placed.new_event:
        undated = [m for m in db.member_features(placed.event_id, MAX_MEMBERS, False)
                   if m[0] not in targets and m[0] != a.article_id]
        mine = db.features_of(a.article_id) if undated else None
        if mine is not None:
            idf = db.entity_idf(set(mine[1]))
            for m, _, vec, ents in undated:
                if (cos := same_event((vec, ents), mine, idf)) is not None:
                    targets[m] = _event_cue(day, a.article_id, cos)
    for m, c in targets.items():
        if _redate(db, m, [c], today):
            changed.append(m)
    return changed


def _redate(db: DatingBackend, article_id: str, new: list[DateCue], today: date) -> bool:
    """Combine the article's stored cues with ``new`` (replacing an older cue of the same kind and source)."""
    row = db.inferred(article_id)
    if row is None:   # not analysed (the NLP stage was off): nothing stored to combine with
        return False
    start, end, basis, evidence = row
    replaced = {(c.kind, c.source) for c in new}
    old = [c for c in map(cue_of, evidence_from_json(evidence)) if (c.kind, c.source) not in replaced]
    found = infer_range(old + new, today)
    if found is None or (found.start, found.end, found.basis) == (start, end, basis):
        return False
    db.set_inferred(article_id, found.start, found.end, found.basis, evidence_to_json(found.evidence))
    return True
