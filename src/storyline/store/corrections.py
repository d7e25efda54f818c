"""Corrections as records: the audit trail (``corrections``), what each one touches now (``correction_marks``)
and entity ids a correction retired (``entity_redirects``).

A correction row is never deleted: undoing one sets ``undone_at`` and adds an ``undo`` row. Besides the
audit columns (``at, by, action, target, before, after, note, undone_at``) a row keeps its ``spec``
(what the analyst asked, in terms that survive regrouping and travel to other stores: article ids,
entity keys, stable item ids) and its ``state`` (what its last application changed, for undo).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

#: The audit columns, in the order ``storyline corrections --format json`` gives them.
AUDIT_KEYS = ("id", "at", "by", "action", "target", "before", "after", "note", "undone_at")
_JSON = ("target", "before", "after", "spec", "state")
_COLUMNS = (*AUDIT_KEYS, "spec", "state", "status", "applied_at")


def _row(r: Sequence[Any]) -> dict[str, Any]:
    out = dict(zip(_COLUMNS, r))
    for k in _JSON:
        out[k] = json.loads(out[k]) if out[k] else {}
    return out


class CorrectionRecords:
    """Reads and writes of correction rows on one connection (inside the caller's transaction for writes)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def insert(self, rec: dict[str, Any]) -> int:
        cur = self.conn.execute(
            "INSERT INTO corrections (at, by, action, target, before, after, note, undone_at, spec, state, status, "
            "applied_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (rec["at"], rec["by"], rec["action"], json.dumps(rec.get("target") or {}),
             json.dumps(rec.get("before") or {}), json.dumps(rec.get("after") or {}), rec.get("note"),
             rec.get("undone_at"), json.dumps(rec.get("spec") or {}), json.dumps(rec.get("state") or {}),
             rec.get("status") or "applied", rec.get("applied_at")))
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def update(self, correction_id: int, **fields: Any) -> None:
        sets, args = [], []
        for k, v in fields.items():
            if k not in _COLUMNS or k == "id":
                raise ValueError(f"no correction column {k!r}")
            sets.append(f"{k} = ?")
            args.append(json.dumps(v) if k in _JSON else v)
        self.conn.execute(f"UPDATE corrections SET {', '.join(sets)} WHERE id = ?", (*args, correction_id))

    def get(self, correction_id: int) -> dict[str, Any] | None:
        r = self.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM corrections WHERE id = ?",
                              (correction_id,)).fetchone()
        return _row(r) if r else None

    def active(self) -> list[dict[str, Any]]:
        """Corrections in force (not undone, not undo records), oldest first: the order they are applied in."""
        return [_row(r) for r in self.conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM corrections WHERE undone_at IS NULL AND action != 'undo' "
            "ORDER BY id")]

    def in_force(self) -> bool:
        return self.conn.execute("SELECT 1 FROM corrections WHERE undone_at IS NULL AND action != 'undo' "
                                 "LIMIT 1").fetchone() is not None

    def listing(self, *, limit: int | None = None, offset: int = 0, action: str | None = None,
                include_undone: bool = True) -> list[dict[str, Any]]:
        where, args = [], []
        if action:
            where.append("action = ?")
            args.append(action)
        if not include_undone:
            where.append("undone_at IS NULL")
        sql = (f"SELECT {', '.join(_COLUMNS)} FROM corrections {'WHERE ' + ' AND '.join(where) if where else ''} "
               "ORDER BY id LIMIT ? OFFSET ?")
        return [_row(r) for r in self.conn.execute(sql, (*args, -1 if limit is None else limit, offset))]

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM corrections").fetchone()[0])

    def find_same(self, rec: dict[str, Any]) -> int | None:
        """The id of a stored correction identical to ``rec`` (when, who, what): loading twice adds nothing."""
        r = self.conn.execute("SELECT id FROM corrections WHERE at = ? AND by = ? AND action = ? AND spec = ?",
                              (rec["at"], rec["by"], rec["action"], json.dumps(rec.get("spec") or {}))).fetchone()
        return int(r[0]) if r else None

    # -- marks: what a correction touches now, for pages that show corrected data -----------------------

    def set_marks(self, correction_id: int, marks: Iterable[tuple[str, Any]]) -> None:
        self.conn.execute("DELETE FROM correction_marks WHERE correction_id = ?", (correction_id,))
        self.conn.executemany("INSERT OR IGNORE INTO correction_marks (kind, key, correction_id) VALUES (?,?,?)",
                              [(k, str(v), correction_id) for k, v in marks if v is not None])

    def marks(self, kind: str, keys: Iterable[Any]) -> dict[str, list[int]]:
        """``key -> [correction ids]`` of the corrections in force that touch these ``kind`` keys."""
        wanted = [str(k) for k in dict.fromkeys(keys) if k is not None]
        out: dict[str, list[int]] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            for key, cid in self.conn.execute(
                    "SELECT m.key, m.correction_id FROM correction_marks m JOIN corrections c ON c.id = "
                    f"m.correction_id WHERE m.kind = ? AND m.key IN ({','.join('?' * len(chunk))}) "
                    "AND c.undone_at IS NULL ORDER BY m.correction_id", (kind, *chunk)):
                out.setdefault(key, []).append(int(cid))
        return out

    def marked_keys(self, kind: str) -> dict[str, list[int]]:
        """Every ``kind`` key some correction in force touches."""
        out: dict[str, list[int]] = {}
        for key, cid in self.conn.execute(
                "SELECT m.key, m.correction_id FROM correction_marks m JOIN corrections c ON c.id = m.correction_id "
                "WHERE m.kind = ? AND c.undone_at IS NULL ORDER BY m.correction_id", (kind,)):
            out.setdefault(key, []).append(int(cid))
        return out

    # -- entity ids retired by a correction ------------------------------------------------------------

    def entity_redirect(self, entity_id: int) -> tuple[int, int | None] | None:
        """``(new_id, correction_id)`` when a correction merged ``entity_id`` away."""
        r = self.conn.execute("SELECT new_id, correction_id FROM entity_redirects WHERE old_id = ?",
                              (entity_id,)).fetchone()
        return (int(r[0]), r[1]) if r else None

    def set_entity_redirect(self, old_id: int, new_id: int, correction_id: int | None, at: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO entity_redirects (old_id, new_id, correction_id, at) "
                          "VALUES (?,?,?,?)", (old_id, new_id, correction_id, at))
        self.conn.execute("UPDATE entity_redirects SET new_id = ? WHERE new_id = ?", (new_id, old_id))

    def drop_entity_redirect(self, old_id: int) -> None:
        self.conn.execute("DELETE FROM entity_redirects WHERE old_id = ?", (old_id,))


def audit(rec: dict[str, Any]) -> dict[str, Any]:
    """A correction in the listing contract: ``{id, at, by, action, target, before, after, note, undone_at}``."""
    return {k: rec.get(k) for k in AUDIT_KEYS}
