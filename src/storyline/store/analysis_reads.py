"""Reads of the cross-source analysis (``storyline.analysis.material``): per table, one query per 500
article ids, rows in article then text order.

Each function takes a connection and article ids and yields plain rows; the analysis turns them into its
records. ``change_counter`` says whether anything was written since a read (for the material cache).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from .stories import chunked


def _marks(chunk: Sequence[str]) -> str:
    return ",".join("?" * len(chunk))


def change_counter(conn: sqlite3.Connection) -> tuple[int, int]:
    """Changes seen by this connection: the database's data version and this connection's own writes."""
    return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


def articles(conn: sqlite3.Connection, ids: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """``(id, text, published, outlet name, title, url)`` of each stored article."""
    for chunk in chunked(list(ids)):
        yield from conn.execute(
            "SELECT a.id, a.text, a.published, o.name, a.title, a.url FROM articles a "
            "LEFT JOIN outlets o ON o.id = a.outlet_id "
            f"WHERE a.id IN ({_marks(chunk)})", chunk)


def sentences(conn: sqlite3.Connection, ids: Sequence[str]) -> Iterator[tuple[str, int, int, int]]:
    """``(article_id, index, start, end)``."""
    for chunk in chunked(list(ids)):
        yield from conn.execute(
            f"SELECT article_id, idx, start, end FROM sentences WHERE article_id IN ({_marks(chunk)}) "
            "ORDER BY article_id, idx", chunk)


def mentions(conn: sqlite3.Connection, ids: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """``(article_id, start, end, text, label, entity_id, canonical name or text, sentence, role)``."""
    for chunk in chunked(list(ids)):
        yield from conn.execute(
            "SELECT m.article_id, m.start, m.end, m.text, m.label, m.entity_id, COALESCE(e.name, m.text), "
            "m.sentence, m.role FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id "
            f"WHERE m.article_id IN ({_marks(chunk)}) ORDER BY m.article_id, m.start", chunk)


def quotes(conn: sqlite3.Connection, ids: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """``(article_id, id, start, end, text, kind, speaker_entity_id, speaker (canonical or as written),
    speaker entity type, said_on, said_on_basis, sentence, statement_id, cue_start, speaker as written)``."""
    for chunk in chunked(list(ids)):
        yield from conn.execute(
            "SELECT q.article_id, q.id, q.start, q.end, q.text, q.kind, q.speaker_entity_id, "
            "COALESCE(e.name, q.speaker_name), e.type, q.said_on, q.said_on_basis, q.sentence, q.statement_id, "
            "q.cue_start, q.speaker_name FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_entity_id "
            f"WHERE q.article_id IN ({_marks(chunk)}) ORDER BY q.article_id, q.start", chunk)


def time_expressions(conn: sqlite3.Connection, ids: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """``(article_id, start, end, text, type, value, granularity, basis, sentence)``."""
    for chunk in chunked(list(ids)):
        yield from conn.execute(
            "SELECT article_id, start, end, text, type, value, granularity, basis, sentence FROM time_exprs "
            f"WHERE article_id IN ({_marks(chunk)}) ORDER BY article_id, start", chunk)
