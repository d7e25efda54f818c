"""Story queries for the API and the UI: storylines with their events, one storyline, an event, copies.

Old ids retired by ``storyline restructure`` are followed to the story they were merged into.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from .stories import chunked


def _event_rows(conn: sqlite3.Connection, storyline_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for chunk in chunked(list(storyline_ids)):
        marks = ",".join("?" * len(chunk))
        events = conn.execute(
            "SELECT id, storyline_id, title, day, start, end, n_articles, n_outlets, n_sources FROM events "
            f"WHERE storyline_id IN ({marks}) AND n_articles > 0 ORDER BY COALESCE(start, '9999'), id", chunk,
        ).fetchall()
        ids: dict[int, list[str]] = {}
        event_ids = [e[0] for e in events]
        for sub in chunked(event_ids):
            m = ",".join("?" * len(sub))
            for aid, eid in conn.execute(
                "SELECT ea.article_id, ea.event_id FROM event_articles ea JOIN articles a ON a.id = ea.article_id "
                f"WHERE ea.event_id IN ({m}) ORDER BY COALESCE(a.published, '9999'), a.id", sub,
            ):
                ids.setdefault(eid, []).append(aid)
        for e in events:
            out.setdefault(e[1], []).append({
                "id": e[0], "title": e[2], "date": e[3], "start": e[4], "end": e[5], "n_articles": e[6],
                "n_outlets": e[7], "n_sources": e[8], "article_ids": ids.get(e[0], []),
            })
    return out


def _storyline_json(row: sqlite3.Row | tuple, events: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": row[0], "title": row[1], "start": row[2], "end": row[3], "n_events": len(events),
            "n_articles": row[4], "n_outlets": row[5], "n_sources": row[6],
            "article_ids": [a for e in events for a in e["article_ids"]], "events": events}


_STORYLINE_COLS = "s.id, s.title, s.start, s.end, s.n_articles, s.n_outlets, s.n_sources"


def list_storylines(conn: sqlite3.Connection, *, limit: int | None = None, offset: int = 0,
                    query: str | None = None, since: str | None = None, until: str | None = None,
                    min_articles: int = 1) -> list[dict[str, Any]]:
    """Storylines, the most reported first, each with its events (in time order) and article ids."""
    where, args = ["s.n_articles >= ?"], [min_articles]
    if query:
        where.append("(s.title LIKE ? OR s.id IN (SELECT storyline_id FROM events WHERE title LIKE ?))")
        args += [f"%{query}%", f"%{query}%"]
    if since:
        where.append("COALESCE(s.end, s.start) >= ?")
        args.append(since)
    if until:
        where.append("s.start <= ?")
        args.append(until)
    rows = conn.execute(
        f"SELECT {_STORYLINE_COLS} FROM storylines s WHERE {' AND '.join(where)} "
        "ORDER BY s.n_articles DESC, COALESCE(s.end, '') DESC, s.id LIMIT ? OFFSET ?",
        [*args, -1 if limit is None else limit, offset],
    ).fetchall()
    events = _event_rows(conn, [r[0] for r in rows])
    return [_storyline_json(r, events.get(r[0], [])) for r in rows]


def count_storylines(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM storylines WHERE n_articles > 0").fetchone()[0]


def resolve_id(conn: sqlite3.Connection, kind: str, ident: int) -> int:
    """Follow merges recorded by restructuring, so an old story id still finds its story."""
    for _ in range(20):
        r = conn.execute("SELECT new_id FROM story_redirects WHERE kind = ? AND old_id = ?", (kind, ident)).fetchone()
        if r is None:
            return ident
        ident = r[0]
    return ident


def get_storyline(conn: sqlite3.Connection, storyline_id: int) -> dict[str, Any] | None:
    """One storyline with its events, articles (event, duplicate group, source) and articles per day."""
    storyline_id = resolve_id(conn, "storyline", storyline_id)
    row = conn.execute(f"SELECT {_STORYLINE_COLS} FROM storylines s WHERE s.id = ?", (storyline_id,)).fetchone()
    if row is None:
        return None
    events = _event_rows(conn, [storyline_id]).get(storyline_id, [])
    data = _storyline_json(row, events)
    articles = []
    for r in conn.execute(
        "SELECT a.id, a.title, o.name, a.published, ea.event_id, d.canonical_id, d.kind, s.source_id, s.kind, "
        "f.day, f.day_basis FROM events e JOIN event_articles ea ON ea.event_id = e.id "
        "JOIN articles a ON a.id = ea.article_id LEFT JOIN outlets o ON o.id = a.outlet_id "
        "LEFT JOIN duplicates d ON d.article_id = a.id LEFT JOIN sources s ON s.article_id = a.id "
        "LEFT JOIN story_features f ON f.article_id = a.id "
        "WHERE e.storyline_id = ? ORDER BY COALESCE(f.day, '9999'), a.id", (storyline_id,),
    ):
        articles.append({"id": r[0], "title": r[1], "outlet": r[2], "published": r[3], "event_id": r[4],
                         "canonical_id": r[5] or r[0], "duplicate_kind": None if r[5] in (None, r[0]) else r[6],
                         "source_id": r[7] or r[0], "rewrite": r[8] == "rewrite", "day": r[9],
                         "day_basis": r[10]})
    data["articles"] = articles
    days: dict[str, int] = {}
    for a in articles:
        if a["day"]:
            days[a["day"]] = days.get(a["day"], 0) + 1
    data["days"] = [{"day": d, "n": n} for d, n in sorted(days.items())]
    data["undated_articles"] = sum(1 for a in articles if a["day_basis"] in ("none", "range"))
    return data


def get_event(conn: sqlite3.Connection, event_id: int) -> dict[str, Any] | None:
    event_id = resolve_id(conn, "event", event_id)
    r = conn.execute("SELECT storyline_id FROM events WHERE id = ?", (event_id,)).fetchone()
    if r is None:
        return None
    for e in _event_rows(conn, [r[0]]).get(r[0], []):
        if e["id"] == event_id:
            return {**e, "storyline_id": r[0]}
    return None


def duplicates_of(conn: sqlite3.Connection, article_id: str) -> dict[str, Any]:
    """The duplicate group and the rewrite (source) group an article belongs to."""
    row = conn.execute("SELECT group_id, canonical_id, kind FROM duplicates WHERE article_id = ?",
                       (article_id,)).fetchone()
    src = conn.execute("SELECT source_id, kind FROM sources WHERE article_id = ?", (article_id,)).fetchone()
    source_id = src[0] if src else article_id
    members: dict[str, dict[str, Any]] = {}
    sql = ("SELECT a.id, a.title, o.name, a.published FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id "
           "WHERE a.id = ?")
    if row is not None:
        for aid, kind in conn.execute("SELECT article_id, kind FROM duplicates WHERE group_id = ? LIMIT 500",
                                      (row[0],)):
            members[aid] = {"kind": "canonical" if aid == row[1] else kind}
    for aid, kind in conn.execute("SELECT article_id, kind FROM sources WHERE source_id = ? LIMIT 500", (source_id,)):
        members.setdefault(aid, {"kind": kind})
    if members:
        members.setdefault(source_id, {"kind": "origin"})
    out = []
    for aid, m in members.items():
        if aid == article_id:
            continue
        a = conn.execute(sql, (aid,)).fetchone()
        if a is not None:
            out.append({"id": a[0], "title": a[1], "outlet": a[2], "published": a[3], "kind": m["kind"]})
    kind = None if row is None or row[1] == article_id else row[2]
    if kind is None and src is not None:
        kind = src[1]
    return {"article_id": article_id, "canonical_id": row[1] if row else article_id, "source_id": source_id,
            "kind": kind, "members": sorted(out, key=lambda m: (m["published"] or "9999", m["id"]))}
