"""Full-text search over the articles' FTS5 index: the match expressions, the filters, BM25 ranking in windows
of the newest matches, snippets and counts (``Store.search`` and ``Store.count_search`` read through these)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from ..errors import UsageError

#: matches ranked together by ``Store.search`` (the newest stored first; paging goes on into older windows)
SEARCH_SCAN = 2000

Filters = tuple[str, list[Any]]  # a WHERE clause over ``articles a`` / ``outlets o`` and its arguments


def ranked(conn: sqlite3.Connection, query: str, where: Filters, limit: int, offset: int,
           scan: int) -> tuple[str, list[tuple]] | None:
    """The match expression that worked and ``limit`` (rowid, score) pairs from ``offset`` on, best first
    (BM25, title weighted five times the text); ``None`` when nothing matches.

    A broad word matches tens of thousands of articles and ranking them all is what costs, so the ranking
    runs over windows of ``scan`` matches, newest stored first: the first pages are the best of the newest
    ``scan`` matches, paging on goes through them and then into the next, older window."""
    if not query.strip():
        raise UsageError("search needs a query")
    if scan < 1:
        raise UsageError("search needs a scan window of at least one match")
    clause, args = where
    clause = ("AND " + clause[len("WHERE "):]) if clause else ""
    # rank on row ids alone (the texts of every match would otherwise go through the sort); the caller reads
    # the page's articles
    joins = ("JOIN articles a ON a.rowid = articles_fts.rowid LEFT JOIN outlets o ON o.id = a.outlet_id "
             if clause else "")
    rank = ("SELECT rowid, score FROM (SELECT articles_fts.rowid AS rowid, bm25(articles_fts, 5.0, 1.0) AS score "
            f"FROM articles_fts {joins}WHERE articles_fts MATCH ? {clause} ORDER BY articles_fts.rowid DESC "
            "LIMIT ? OFFSET ?) ORDER BY score, rowid DESC LIMIT ? OFFSET ?")
    for match in match_expressions(query):
        try:
            found = _windows(conn, rank, match, args, limit, offset, scan)
        except sqlite3.OperationalError:
            continue  # not valid FTS5 syntax: fall back to plain terms
        return (match, found) if found else None
    return None


def _windows(conn: sqlite3.Connection, rank: str, match: str, args: list, limit: int, offset: int,
             scan: int) -> list[tuple]:
    """``limit`` (rowid, score) from ``offset`` on, window after window of ``scan`` matches (see ``ranked``)."""
    window, skip = divmod(offset, scan)
    out: list[tuple] = []
    while len(out) < limit:
        want = limit - len(out)
        rows = conn.execute(rank, (match, *args, scan, window * scan, want, skip)).fetchall()
        out += rows
        if len(rows) < want and skip + len(rows) < scan:
            break   # this window was not full: no older matches
        window, skip = window + 1, 0
    return out


def snippets(conn: sqlite3.Connection, match: str, rowids: list[int]) -> dict[int, str]:
    """Each article's text around the match, the matched words in brackets."""
    marks = ",".join("?" * len(rowids))
    return dict(conn.execute(
        "SELECT rowid, snippet(articles_fts, 1, '[', ']', ' … ', 16) FROM articles_fts "
        f"WHERE articles_fts MATCH ? AND rowid IN ({marks})", (match, *rowids)).fetchall())


def count(conn: sqlite3.Connection, query: str, where: Filters, cap: int | None = None) -> int:
    """How many articles ``ranked`` would page through with the same arguments, counting at most ``cap``."""
    clause, args = where
    clause = ("AND " + clause[len("WHERE "):]) if clause else ""
    joins = ("JOIN articles a ON a.rowid = articles_fts.rowid LEFT JOIN outlets o ON o.id = a.outlet_id "
             if clause else "")   # without a filter the index alone counts (twice as fast)
    sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM articles_fts {joins}WHERE articles_fts MATCH ? {clause} LIMIT ?)"
    for match in match_expressions(query):
        try:
            return int(conn.execute(sql, (match, *args, -1 if cap is None else cap)).fetchone()[0])
        except sqlite3.OperationalError:
            continue
    return 0


def filters(outlet: str | None, since: str | None, until: str | None, entity: int | None = None,
            storyline: int | None = None) -> Filters:
    """The WHERE clause (and its arguments) of the optional outlet, date, entity and storyline filters."""
    clauses: list[str] = []
    args: list[Any] = []
    if entity is not None:
        clauses.append("a.id IN (SELECT article_id FROM mentions WHERE entity_id = ?)")
        args.append(entity)
    if storyline is not None:
        clauses.append("a.id IN (SELECT ea.article_id FROM event_articles ea JOIN events e ON e.id = ea.event_id "
                       "WHERE e.storyline_id = ?)")
        args.append(storyline)
    if outlet:
        clauses.append("(o.name = ? COLLATE NOCASE OR o.domain = ? COLLATE NOCASE)")
        args += [outlet, outlet]
    if since:
        clauses.append("a.published >= ?")
        args.append(iso_day(since, "since"))
    if until:
        clauses.append("a.published <= ?")
        args.append(iso_day(until, "until"))
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", args


def iso_day(value: str, name: str) -> str:
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise UsageError(f"--{name} takes a date as YYYY-MM-DD, got {value!r}") from None


def match_expressions(query: str) -> list[str]:
    """The user's FTS5 expression as written, then the same words as quoted plain terms."""
    words = [w.replace('"', "") for w in query.split()]
    plain = " ".join(f'"{w}"' for w in words if w)
    return [query, plain] if any(c in query for c in '"*()') or " OR " in query or " NOT " in query else [plain]
