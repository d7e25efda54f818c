"""The story stage's queue: what it reads of the articles waiting for a story (text, dates, entities,
statements, and the entities their headlines name)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

STORY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART")


def chunked(seq: Sequence[Any], n: int = 500) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


class StoryQueue:
    """Reads of the story queue, on the caller's connection (a base of ``StoryTables``)."""

    conn: sqlite3.Connection

    def pending(self, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` queued articles with what the features need (text, dates, entities, statements)."""
        ids = [r[0] for r in self.conn.execute("SELECT article_id FROM story_queue LIMIT ?", (limit,))]
        if not ids:
            return []
        rows: dict[str, dict[str, Any]] = {}
        for chunk in chunked(ids):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                "SELECT a.id, a.title, a.text, a.published, a.content_hash, a.outlet_id, n.published_from, "
                f"n.published_to FROM articles a LEFT JOIN analyses n ON n.article_id = a.id WHERE a.id IN ({marks})",
                chunk,
            ):
                rows[r[0]] = {"id": r[0], "title": r[1], "text": r[2], "published": r[3], "content_hash": r[4],
                              "outlet_id": r[5], "published_from": r[6], "published_to": r[7],
                              "entities": {}, "statements": set()}
            labels = ",".join("?" * len(STORY_LABELS))
            for aid, eid, n in self.conn.execute(
                f"SELECT article_id, entity_id, COUNT(*) FROM mentions WHERE article_id IN ({marks}) "
                f"AND entity_id IS NOT NULL AND label IN ({labels}) GROUP BY article_id, entity_id",
                [*chunk, *STORY_LABELS],
            ):
                rows[aid]["entities"][eid] = n
            for aid, sid in self.conn.execute(
                f"SELECT article_id, statement_id FROM quotes WHERE article_id IN ({marks}) "
                "AND statement_id IS NOT NULL", chunk,
            ):
                rows[aid]["statements"].add(sid)
        gone = [i for i in ids if i not in rows]
        if gone:   # queued, then replaced or removed: nothing to assign
            self.dequeue(gone)
        return [rows[i] for i in ids if i in rows]

    def dequeue(self, ids: Iterable[str]) -> None:
        self.conn.executemany("DELETE FROM story_queue WHERE article_id = ?", [(i,) for i in ids])

    def queued(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM story_queue").fetchone()[0]

    def entities_of_keys(self, keys: Iterable[str]) -> dict[str, int]:
        """Entity key -> the entity holding it, for those of ``keys`` the store knows (by primary key: the
        cost of a headline's look-up does not grow with the store)."""
        keys = sorted(set(keys))
        found: dict[str, int] = {}
        for chunk in chunked(keys):
            marks = ",".join("?" * len(chunk))
            found.update(self.conn.execute(f"SELECT key, entity_id FROM entity_keys WHERE key IN ({marks})", chunk))
        return found
