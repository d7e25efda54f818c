"""Learned boilerplate in the store: the lines each outlet repeats across its articles.

At ingest every new article's short lines (``clean.boilerplate.countable``) are counted per outlet,
unless most of its long paragraphs were already counted (a copy of an article seen before must not
teach that its own lines are boilerplate). A line counted in ``min_articles`` articles is *learned*:
later articles of the outlet are cleaned of it by the per-article function (``Store.learned_lines``),
and stored articles that carry it are queued (``reclean_queue``) for the re-clean pass.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable

from ..clean.boilerplate import countable, fingerprint
from ..records import Article, LearnedLines

_WORD = re.compile(r"[^\W\d_]+", re.U)


def _chunks(values: list, size: int = 400) -> Iterable[list]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def learned_for(conn: sqlite3.Connection, outlet_id: int) -> frozenset[int]:
    return frozenset(r[0] for r in conn.execute(
        "SELECT fingerprint FROM outlet_lines WHERE outlet_id = ? AND learned_at IS NOT NULL", (outlet_id,)))


def count_lines(conn: sqlite3.Connection, outlet_id: int, article: Article, min_articles: int, now: str) -> list[int]:
    """Count a new article's lines for its outlet; return the fingerprints learned by this article."""
    short, long = countable(article.text, article.blocks)
    if not short:
        return []
    if long:
        marks = ",".join("?" * len(long))
        seen = conn.execute(f"SELECT COUNT(*) FROM outlet_lines WHERE outlet_id = ? AND fingerprint IN ({marks})",
                            (outlet_id, *long)).fetchone()[0]
        if seen * 2 >= len(long):   # a copy of an article already counted
            return []
    conn.execute("UPDATE outlets SET counted = counted + 1 WHERE id = ?", (outlet_id,))
    learned = []
    for fp, line in short:
        n = conn.execute(
            "INSERT INTO outlet_lines (outlet_id, fingerprint, articles) VALUES (?, ?, 1) "
            "ON CONFLICT (outlet_id, fingerprint) DO UPDATE SET articles = articles + 1 RETURNING articles",
            (outlet_id, fp)).fetchone()[0]
        if n == min_articles:
            conn.execute("UPDATE outlet_lines SET learned_at = ?, line = ? WHERE outlet_id = ? AND fingerprint = ?",
                         (now, line, outlet_id, fp))
            learned.append(fp)
    return learned


def queue_carriers(conn: sqlite3.Connection, outlet_id: int, lines: list[str], learned: frozenset[int]) -> int:
    """Queue the stored articles of ``outlet_id`` that carry one of ``lines`` (just learned) for re-cleaning."""
    queued = 0
    for line in lines:
        words = _WORD.findall(line)[:12]
        if not words:
            continue
        query = " ".join('"' + w.replace('"', "") + '"' for w in words)
        rows = conn.execute(
            "SELECT a.id, a.text, a.blocks FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? AND a.outlet_id = ?", (query, outlet_id)).fetchall()
        for aid, text, blocks in rows:
            if carries(text, blocks, learned):
                queued += conn.execute("INSERT OR IGNORE INTO reclean_queue (article_id) VALUES (?)", (aid,)).rowcount
    return queued


def carries(text: str, blocks: str | list[dict], learned: frozenset[int]) -> bool:
    """Does a text (with its blocks, as stored) hold a block whose fingerprint is in ``learned``?"""
    spans = [(b["start"], b["end"]) for b in (json.loads(blocks) if isinstance(blocks, str) else blocks)]
    return any(fingerprint(text[s:e]) in learned for s, e in spans or [(0, len(text))])


def learn_from(conn: sqlite3.Connection, outlet_id: int, article: Article, min_articles: int, now: str) -> None:
    """Count ``article`` (new) for its outlet; queue it, and earlier articles carrying newly learned lines."""
    fresh = count_lines(conn, outlet_id, article, min_articles, now)
    learned = learned_for(conn, outlet_id)
    if fresh:
        lines = [r[0] for r in conn.execute(
            f"SELECT line FROM outlet_lines WHERE outlet_id = ? AND fingerprint IN ({','.join('?' * len(fresh))})",
            (outlet_id, *fresh))]
        queue_carriers(conn, outlet_id, lines, frozenset(fresh))
    if learned and carries(article.text, [{"start": b.start, "end": b.end} for b in article.blocks], learned):
        conn.execute("INSERT OR IGNORE INTO reclean_queue (article_id) VALUES (?)", (article.id,))


def learned_lines(conn: sqlite3.Connection, names: Iterable[str] = (), domains: Iterable[str] = ()) -> LearnedLines:
    """What the store learned for the outlets named ``names`` and those known by ``domains``."""
    by_name: dict[str, frozenset[int]] = {}
    by_domain: dict[str, frozenset[int]] = {}
    for chunk in _chunks(sorted(set(names))):
        for oid, name in conn.execute(f"SELECT id, name FROM outlets WHERE name IN ({','.join('?' * len(chunk))})",
                                      chunk):
            lines = learned_for(conn, oid)
            if lines:
                by_name[name] = lines
    for chunk in _chunks(sorted(set(domains))):
        for oid, domain in conn.execute(
                f"SELECT MIN(id), domain FROM outlets WHERE domain IN ({','.join('?' * len(chunk))}) GROUP BY domain",
                chunk):
            lines = learned_for(conn, oid)
            if lines:
                by_domain[domain] = lines
    return LearnedLines(by_name, by_domain)


def learned_stats(conn: sqlite3.Connection) -> list[dict]:
    """Per outlet: articles counted and lines learned."""
    return [{"outlet": name, "articles_counted": counted, "lines_learned": n} for name, counted, n in conn.execute(
        "SELECT o.name, o.counted, (SELECT COUNT(*) FROM outlet_lines l WHERE l.outlet_id = o.id "
        "AND l.learned_at IS NOT NULL) FROM outlets o ORDER BY o.name")]

