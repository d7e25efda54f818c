"""What every correction action shares: its plan and outcome, anchors, and resolving the ids an analyst names.

An action is planned once (the ids checked, the machine's answer read as ``before``, the request written
as a portable ``spec``) and applied any number of times: after it is made, and again after every
ingest, ``stories --update/--rebuild``, ``restructure`` and ``load``. Story corrections hold on to
*anchors* -- the ids of articles -- rather than event or storyline ids, which regrouping renumbers: an
event is found again as the one holding most of its anchor articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import CorrectionRefused
from ..store.correction_ops import CorrectionTables

MAX_ANCHORS = 200  # article ids kept to find an event or storyline again (its members, capped)
Mark = tuple[str, Any]


@dataclass
class Plan:
    """A checked request: what was named (``target``), the machine's answer (``before``), the portable
    request (``spec``) and the store-local ids it resolved to (``state``)."""

    target: dict[str, Any]
    before: dict[str, Any]
    spec: dict[str, Any]
    state: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """One application: ``status`` applied (it holds now) or waiting (what it names is not in the store now),
    whether it changed anything, its new ``state``, what it touches (``marks``) and the corrected answer."""

    status: str
    state: dict[str, Any]
    marks: list[Mark] = field(default_factory=list)
    after: dict[str, Any] = field(default_factory=dict)
    changed: bool = False
    stories: bool = False   # event or storyline membership changed (the event index is stale)

    @classmethod
    def waiting(cls, state: dict[str, Any], why: str) -> "Outcome":
        return cls("waiting", {**state, "waiting": why})


class Action(Protocol):
    name: str
    stories: bool

    def plan(self, db: CorrectionTables, args: dict[str, Any]) -> Plan: ...
    def slots(self, spec: dict[str, Any]) -> set[str]: ...
    def apply(self, db: CorrectionTables, rec: dict[str, Any]) -> Outcome: ...
    def undo(self, db: CorrectionTables, rec: dict[str, Any]) -> list[str]: ...


def refuse(message: str) -> CorrectionRefused:
    return CorrectionRefused(message + "; nothing was changed")


def need(args: dict[str, Any], key: str, what: str) -> Any:
    value = args.get(key)
    if value is None or value == "" or value == []:
        raise refuse(f"{what} is missing")
    return value


def as_int(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise refuse(f"{what} must be a number, not {value!r}") from None


def anchors(article_ids: Iterable[str]) -> list[str]:
    return sorted(set(article_ids))[:MAX_ANCHORS]


def plurality(db: CorrectionTables, article_ids: Iterable[str], level: int,
              exclude: Iterable[str] = ()) -> int | None:
    """The event (``level`` 0) or storyline (1) that holds most of these articles now (ties: the lowest id)."""
    skip = set(exclude)
    counts = Counter(p[level] for a, p in db.placements(a for a in article_ids if a not in skip).items())
    return min(counts, key=lambda k: (-counts[k], k)) if counts else None


def correction_of(reason: str | None) -> int | None:
    """The correction id a redirect's reason names (``correction 12``), else ``None`` (the machine's)."""
    if reason and reason.startswith("correction "):
        try:
            return int(reason.split()[1])
        except (IndexError, ValueError):
            return None
    return None


def resolve_story(db: CorrectionTables, kind: str, given: int) -> int:
    """An event or storyline id as it is now: redirects left by ``restructure`` are followed; an id an earlier
    correction merged away conflicts with it; an unknown or empty id is refused."""
    final, hops = db.redirects(kind, given)
    for old, new, reason in hops:
        cid = correction_of(reason)
        if cid is not None:
            raise refuse(f"{kind} {given} was merged into {kind} {new} by correction {cid}: name {kind} {new} "
                         f"instead, or undo correction {cid} first (`storyline correct undo {cid}`)")
    row = db.event_row(final) if kind == "event" else db.storyline_row(final)
    if row is None:
        raise refuse(f"no {kind} {given}" + (f" (it redirects to {final}, which is gone)" if final != given else "")
                     + f"; `storyline {'stories' if kind == 'storyline' else 'story ID'}` lists them")
    if not row["n_articles"]:
        raise refuse(f"{kind} {given} holds no articles any more")
    return final


def resolve_entity(db: CorrectionTables, given: int, *, follow: bool = True) -> int:
    """An entity id as it is now; one merged away by a correction is followed (``follow``) or refused."""
    ident = given
    for _ in range(50):
        hop = db.records.entity_redirect(ident)
        if hop is None:
            break
        if not follow:
            raise refuse(f"entity {given} was merged into entity {hop[0]} by correction {hop[1]}: undo correction "
                         f"{hop[1]} first, or name entity {hop[0]}")
        ident = hop[0]
    if db.entity(ident) is None:
        raise refuse(f"no entity {given}; `storyline entities` lists them")
    return ident


def current_entity(db: CorrectionTables, entity_id: int | None, keys: Iterable[str]) -> int | None:
    """An entity a correction names, found again: by its id (following merges), else by one of its keys (a
    store loaded from an export numbers entities its own way)."""
    if entity_id is not None:
        ident = entity_id
        for _ in range(50):
            hop = db.records.entity_redirect(ident)
            if hop is None:
                break
            ident = hop[0]
        if db.entity(ident) is not None:
            return ident
    for key in keys:
        found = db.entity_of_key(key)
        if found is not None:
            return found
    return None


def entity_json(db: CorrectionTables, entity_id: int | None) -> dict[str, Any] | None:
    e = db.entity(entity_id) if entity_id is not None else None
    return None if e is None else {"id": e["id"], "name": e["name"], "type": e["type"], "mentions": e["mentions"]}


def require_article(db: CorrectionTables, article_id: Any) -> dict[str, Any]:
    meta = db.article_meta(str(article_id)) if article_id else None
    if meta is None:
        raise refuse(f"no article {article_id!r}; `storyline articles` lists them")
    return meta
