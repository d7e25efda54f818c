"""Making, re-applying, undoing, exporting and importing corrections on a store.

1. ``correct``: the action checks what it names (unknown ids and conflicts with corrections in force are
   refused, nothing changed), records the machine's answer as ``before``, applies itself, and the
   record is written with what it touches -- all in one transaction;
2. ``reapply``: every correction in force applies itself again, oldest first (after an ingest, ``stories
   --update/--rebuild``, ``restructure``, ``load``); what already holds is left alone;
3. ``undo``: the correction puts back the machine's answer (or queues articles for the story stage to
   place again) and is marked undone; the undo is a record of its own;
4. ``export_records`` / ``import_records``: corrections as portable records (a dataset's ``corrections``
   table, a corrections file); importing the same records twice adds nothing.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..store import Store
from ..store.correction_ops import CorrectionTables
from ..store.corrections import AUDIT_KEYS, CorrectionRecords, audit
from .articles import Date, Outlet
from .base import Action, Outcome, refuse
from .dismiss import Dismiss
from .entities import Alias, MergeEntities, SplitEntity, Speaker
from .stories import MergeEvents, MergeStories, MoveArticle, SplitStory

ACTIONS: dict[str, Action] = {a.name: a for a in (  # type: ignore[misc]
    MoveArticle(), MergeEvents(), MergeStories(), SplitStory(), Speaker(), MergeEntities(), SplitEntity(),
    Alias(), Dismiss(), Date(), Outlet())}
#: Record fields a portable correction carries (a dataset row, a line of a corrections file).
PORTABLE_KEYS = (*AUDIT_KEYS, "spec")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_user() -> str:
    """Who corrects when ``--by`` is not given: the user name of the process."""
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):
        return os.environ.get("USER") or "unknown"


@dataclass
class Result:
    """What a change of corrections did: the record(s), whether story groups changed (the event index is
    stale), and articles the story stage must place again."""

    record: dict[str, Any] | None = None
    stories: bool = False
    replace: list[str] = field(default_factory=list)


@dataclass
class ReapplyReport:
    applied: int = 0
    changed: int = 0
    waiting: int = 0
    stories: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"applied": self.applied, "changed": self.changed, "waiting": self.waiting}


def _action(name: str) -> Action:
    if name not in ACTIONS:
        raise refuse(f"unknown correction {name!r}: use one of {', '.join(ACTIONS)} (or undo)")
    return ACTIONS[name]


def _conflicts(records: CorrectionRecords, action: Action, spec: dict[str, Any]) -> None:
    slots = action.slots(spec)
    if not slots:
        return
    for rec in records.active():
        other = ACTIONS.get(rec["action"])
        if other is not None and slots & other.slots(rec["spec"]):
            raise refuse(f"correction {rec['id']} ({rec['action']} by {rec['by']}, {rec['at']}) already corrects "
                         f"this; undo it first (`storyline correct undo {rec['id']}`)")


def _store_outcome(records: CorrectionRecords, correction_id: int, out: Outcome, at: str,
                   after: dict[str, Any] | None = None) -> None:
    fields: dict[str, Any] = {"state": out.state, "status": out.status}
    if out.status == "applied":
        fields["applied_at"] = at
        records.set_marks(correction_id, out.marks)
    if after is not None:
        fields["after"] = after
    records.update(correction_id, **fields)


def correct(store: Store, action: str, args: dict[str, Any], *, by: str | None = None,
            note: str | None = None) -> Result:
    """Make one correction (refused with :class:`~storyline.errors.CorrectionRefused`, nothing changed, when it
    names an unknown id or conflicts with a correction in force)."""
    act = _action(action)
    at = now()
    with store._transaction():
        db = CorrectionTables(store.conn, at)
        plan = act.plan(db, dict(args))
        _conflicts(db.records, act, plan.spec)
        rec = {"at": at, "by": (by or "").strip() or default_user(), "action": act.name, "target": plan.target,
               "before": plan.before, "note": (note or "").strip() or None, "spec": plan.spec, "state": plan.state}
        rec["id"] = db.records.insert(rec)
        out = act.apply(db, rec)
        if out.status != "applied":
            raise refuse(f"the correction cannot be applied now: {out.state.get('waiting')}")
        _store_outcome(db.records, rec["id"], out, at, out.after)
        record = db.records.get(rec["id"])
    _stale_index(store, out.stories)
    return Result(audit(record or {}), out.stories)


def reapply(store: Store) -> ReapplyReport:
    """Apply every correction in force again, oldest first; return what it took."""
    report = ReapplyReport()
    records = CorrectionRecords(store.conn)
    if not records.in_force():
        return report
    at = now()
    with store._transaction():
        db = CorrectionTables(store.conn, at)
        for rec in records.active():
            out = ACTIONS[rec["action"]].apply(db, rec)
            report.applied += out.status == "applied"
            report.waiting += out.status == "waiting"
            report.changed += out.changed
            report.stories |= out.stories
            if out.changed or out.status != rec["status"] or out.state != rec["state"]:
                _store_outcome(records, rec["id"], out, at)
    _stale_index(store, report.stories)
    return report


def undo(store: Store, correction_id: int, *, by: str | None = None, note: str | None = None) -> Result:
    """Undo a correction: the machine's answer comes back; the undo is recorded as a correction of its own."""
    at = now()
    with store._transaction():
        db = CorrectionTables(store.conn, at)
        rec = db.records.get(int(correction_id))
        if rec is None:
            raise refuse(f"no correction {correction_id}; `storyline corrections` lists them")
        if rec["action"] == "undo":
            raise refuse(f"correction {correction_id} is an undo; make the correction again instead")
        if rec["undone_at"]:
            raise refuse(f"correction {correction_id} was already undone at {rec['undone_at']}")
        act = ACTIONS[rec["action"]]
        replace = act.undo(db, rec)
        db.requeue(replace)
        db.records.update(rec["id"], undone_at=at)
        db.records.set_marks(rec["id"], [])
        record = {"at": at, "by": (by or "").strip() or default_user(), "action": "undo",
                  "target": {"kind": "correction", "id": rec["id"], "action": rec["action"]},
                  "before": rec["after"], "after": rec["before"], "note": (note or "").strip() or None,
                  "spec": {"correction": {k: rec[k] for k in ("at", "by", "action")} | {"spec": rec["spec"]}},
                  "status": "applied", "applied_at": at}
        record["id"] = db.records.insert(record)
        stored = db.records.get(record["id"])
    _stale_index(store, act.stories)
    return Result(audit(stored or {}), act.stories, replace)


def listing(conn: Any, *, limit: int | None = None, offset: int = 0, action: str | None = None) -> list[dict[str, Any]]:
    """Corrections, oldest first: ``{id, at, by, action, target, before, after, note, undone_at}``."""
    return [audit(r) for r in CorrectionRecords(conn).listing(limit=limit, offset=offset, action=action)]


def export_records(conn: Any) -> list[dict[str, Any]]:
    """Every correction as a portable record (the audit fields and the ``spec``), oldest first."""
    return [{k: r[k] for k in PORTABLE_KEYS} for r in CorrectionRecords(conn).listing()]


@dataclass
class ImportReport:
    new: int = 0
    unchanged: int = 0
    waiting: int = 0
    refused: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"new": self.new, "unchanged": self.unchanged, "waiting": self.waiting, "refused": self.refused}


def import_records(store: Store, records: list[dict[str, Any]]) -> ImportReport:
    """Take portable corrections into ``store`` (undone ones stay undone; one already here is left alone) and
    apply those in force; a record that does not fit is reported and skipped."""
    report = ImportReport()
    fresh: list[int] = []
    with store._transaction():
        db = CorrectionTables(store.conn, now())
        ids: dict[Any, int] = {}
        for i, raw in enumerate(records, 1):
            action = raw.get("action")
            if action != "undo" and action not in ACTIONS or not raw.get("at") or not isinstance(raw.get("spec"), dict):
                report.refused.append(f"record {i}: not a storyline correction (action, at and spec are needed)")
                continue
            rec = {k: raw.get(k) for k in PORTABLE_KEYS}
            rec["by"] = rec.get("by") or "unknown"
            found = db.records.find_same(rec)
            if found is not None:
                ids[raw.get("id")] = found
                report.unchanged += 1
                continue
            if action == "undo":
                target = dict(rec.get("target") or {})
                target["id"] = ids.get(target.get("id"), target.get("id"))
                rec["target"] = target
            rec["state"], rec["status"] = {}, "applied" if action == "undo" else "waiting"
            ids[raw.get("id")] = new = db.records.insert(rec)
            report.new += 1
            if action != "undo" and not rec.get("undone_at"):
                fresh.append(new)
    if fresh:
        reapply(store)
        records = CorrectionRecords(store.conn)
        report.waiting = sum(1 for i in fresh if (records.get(i) or {}).get("status") == "waiting")
    return report


def marks(conn: Any, kind: str, keys: Any) -> dict[str, list[int]]:
    """``key -> [correction ids]`` of the corrections in force that touch these ``kind`` keys (for pages)."""
    return CorrectionRecords(conn).marks(kind, keys)


def _stale_index(store: Store, stories: bool) -> None:
    """Event centroids changed: the event vector index is rebuilt from the store on next use."""
    if not stories:
        return
    from ..stories.index import index_dir

    directory = index_dir(store.path)
    if directory is not None:
        for part in ("events.usearch", "events.delta.usearch"):
            (directory / part).unlink(missing_ok=True)
