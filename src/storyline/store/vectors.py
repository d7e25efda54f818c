"""Stored sentence vectors (``sentence_vectors``): the leads the story stage embeds, what a brief embeds, read
by the next brief.

A vector is keyed by its article and the sentence's start, and counts only while the article's text is the
one it was embedded from (its content hash). The story stage writes in its own transaction (``save``). The
brief reads on its own connection (which may be read only) and writes on a short connection of its own
(``SentenceVectors.put``), so a store that cannot be written now (a read-only file, a busy writer) only costs
the next brief the embedding again; after one failed write the brief tries no more.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence

import numpy as np

from ..stories.embed import vector_bytes, vector_from_bytes
from .stories import chunked

log = logging.getLogger("storyline.store")

_INSERT = "INSERT OR REPLACE INTO sentence_vectors (article_id, start, content_hash, vector) VALUES (?, ?, ?, ?)"
WRITE_TIMEOUT = 2.0  # seconds a brief waits for a busy writer before leaving its vectors unstored


class SentenceVectors:
    """The stored vectors of one store: ``get`` on the reading connection, ``put`` on a connection of its own."""

    def __init__(self, conn: sqlite3.Connection, path: str | None) -> None:
        self.conn = conn
        self.path = path if path and path != ":memory:" else None

    def get(self, article_ids: Sequence[str]) -> dict[tuple[str, int], np.ndarray]:
        """``(article_id, sentence start) -> vector`` of these articles' current texts."""
        out: dict[tuple[str, int], np.ndarray] = {}
        try:
            for chunk in chunked(list(article_ids)):
                marks = ",".join("?" * len(chunk))
                for aid, start, blob in self.conn.execute(
                        "SELECT v.article_id, v.start, v.vector FROM sentence_vectors v JOIN articles a "
                        "ON a.id = v.article_id AND a.content_hash = v.content_hash "
                        f"WHERE v.article_id IN ({marks})", chunk):
                    out[(aid, start)] = vector_from_bytes(blob)
        except sqlite3.OperationalError as exc:   # a store from before the table: nothing stored
            log.debug("stored sentence vectors not read: %s", exc)
        return out

    def put(self, rows: Iterable[tuple[str, int, str, np.ndarray]]) -> int:
        """Store ``(article_id, start, content_hash, vector)`` rows; how many were written (0 when the store
        cannot be written now)."""
        rows = [(aid, start, chash, vector_bytes(v)) for aid, start, chash, v in rows]
        if not rows or self.path is None:
            return 0
        path, self.path = self.path, None   # given back once the write succeeds
        try:
            conn = sqlite3.connect(path, timeout=WRITE_TIMEOUT, isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(_INSERT, rows)
                conn.execute("COMMIT")
            finally:
                conn.close()
        except sqlite3.Error as exc:
            log.info("sentence vectors not stored (%s): the next brief embeds them again", exc)
            return 0
        self.path = path
        return len(rows)


def first_sentences(conn: sqlite3.Connection, article_ids: Sequence[str], n: int = 2
                    ) -> list[tuple[str, str, int, str]]:
    """``(article_id, content_hash, start, text)`` of each article's first ``n`` stored sentences, in order."""
    out: list[tuple[str, str, int, str]] = []
    for chunk in chunked(list(article_ids)):
        marks = ",".join("?" * len(chunk))
        out += conn.execute(
            "SELECT s.article_id, a.content_hash, s.start, substr(a.text, s.start + 1, s.end - s.start) "
            f"FROM sentences s JOIN articles a ON a.id = s.article_id WHERE s.article_id IN ({marks}) AND s.idx < ? "
            "ORDER BY s.article_id, s.idx", [*chunk, n]).fetchall()
    return out


def save(conn: sqlite3.Connection, rows: Iterable[tuple[str, int, str, np.ndarray]]) -> None:
    """Store ``(article_id, start, content_hash, vector)`` rows on ``conn`` (in its transaction)."""
    conn.executemany(_INSERT, [(a, s, h, vector_bytes(v)) for a, s, h, v in rows])
