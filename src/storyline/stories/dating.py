"""Dates for undated articles from their story neighbours (issue 15): the one hook the story stage calls.

After each placement, :func:`date_from_neighbours` looks at what the placement found, in both directions:

- an undated article placed as a **copy** of a dated one (or in its duplicate group), as a **rewrite** of
  one, or else in an **event** with dated members takes their date as a cue (a copy: from the day before to
  a week after the dated copy; an event: from three days before its first dated member to five days after
  its last);
- a dated article placed as a copy or rewrite of undated ones, or in an event holding undated members,
  gives them the same cue.

The cue joins the article's stored cues (its text's, its URL's, world knowledge's) and the range is combined
again (``storyline.extract.pubdate.infer_range``): a neighbour's date contradicting strong evidence in the
text loses, and is reported as dropped. The basis becomes ``copy``, ``rewrite`` or ``event`` when the
neighbour's cue holds. Work per placement: a bounded number of keyed reads (``MAX_MEMBERS``); nothing scans.

Story grouping may change (merges, splits): the hook only reads the placement it is given, so it stays valid
whatever groups articles, as long as the grouping reports copies, rewrites and events the same way.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from ..extract.daterange import DateCue
from ..extract.pubdate import cue_of, infer_range
from ..records import Assignment, StoryArticle, evidence_from_json, evidence_to_json

#: kind -> (days before, days after the neighbour's date(s), weight)
NEIGHBOUR_CUES = {"copy": (1, 7, 8.0), "rewrite": (2, 7, 6.0), "event-member": (3, 5, 4.0)}
MAX_MEMBERS = 50


class DatingBackend(Protocol):   # storyline.store.stories.StoryTables
    def inferred(self, article_id: str) -> tuple[str | None, str | None, str | None, str] | None: ...
    def set_inferred(self, article_id: str, start: str, end: str, basis: str, evidence: str) -> None: ...
    def published_of(self, ids: list[str]) -> dict[str, str | None]: ...
    def duplicate_group(self, article_id: str) -> tuple[str, str] | None: ...
    def group_members(self, group_id: str) -> list[tuple[str, str | None]]: ...
    def event_published_span(self, event_id: int) -> tuple[str, str] | None: ...
    def undated_members(self, event_id: int, limit: int) -> list[str]: ...


def neighbour_cue(kind: str, first: str, last: str, source: str | None, note: str) -> DateCue:
    before, after, weight = NEIGHBOUR_CUES[kind]
    a = date.fromisoformat(first[:10]) - timedelta(days=before)
    b = date.fromisoformat(last[:10]) + timedelta(days=after)
    return DateCue(kind, "", -1, -1, ((a.toordinal(), b.toordinal()),), weight, note, source)


def date_from_neighbours(db: DatingBackend, a: StoryArticle, placed: Assignment,
                         today: date | None = None) -> list[str]:
    """Give undated articles the dates of the dated copies, rewrites and fellow event members this placement
    found; returns the ids whose inferred range changed."""
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
            cues.append(neighbour_cue("rewrite", day, day, placed.rewrite_of, f"a rewrite of an article published {day}"))
        if not cues and not placed.new_event and (span := db.event_published_span(placed.event_id)):
            cues.append(neighbour_cue("event-member", span[0], span[1], f"event:{placed.event_id}",
                                      f"in an event reported {span[0]} to {span[1]}"))
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
        members = db.undated_members(placed.event_id, MAX_MEMBERS)
        span = db.event_published_span(placed.event_id) if members else None
        for m in members:
            if m not in targets and m != a.article_id and span:
                targets[m] = neighbour_cue("event-member", span[0], span[1], f"event:{placed.event_id}",
                                           f"in an event reported {span[0]} to {span[1]}")
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
    events = any(c.kind == "event-member" for c in new)   # an article sits in one event: its cue is replaced
    old = [c for c in map(cue_of, evidence_from_json(evidence))
           if (c.kind, c.source) not in replaced and not (events and c.kind == "event-member")]
    found = infer_range(old + new, today)
    if found is None or (found.start, found.end, found.basis) == (start, end, basis):
        return False
    db.set_inferred(article_id, found.start, found.end, found.basis, evidence_to_json(found.evidence))
    return True
