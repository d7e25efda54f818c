"""Writing an article's analysis (sentences, mentions, quotes, time expressions) and reading it back."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from ..records import Analysis, Article, evidence_to_json
from .entities import EntityResolver, write_mentions
from .polevents import write_polevents
from .stances import write_stances
from .statements import assign_statement


def quote_id(article_id: str, start: int, end: int) -> str:
    return hashlib.blake2b(f"{article_id}:{start}:{end}".encode(), digest_size=8).hexdigest()


def write_analysis(conn: sqlite3.Connection, resolver: EntityResolver, article: Article, analysis: Analysis,
                   now: str) -> None:
    """Replace everything stored from an earlier analysis of the same article (its sentences' stored vectors
    too: a sentence may now start where another did)."""
    aid = article.id
    for table in ("sentences", "quotes", "time_exprs", "sentence_vectors"):
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))
    start, end = analysis.published_range or (None, None)
    conn.execute("INSERT OR REPLACE INTO analyses (article_id, analysed_chars, notes, published_from, published_to, "
                 "published_basis, published_evidence, analysed_at) VALUES (?,?,?,?,?,?,?,?)",
                 (aid, analysis.analysed_chars, json.dumps(list(analysis.notes)), start, end,
                  analysis.published_basis if start else None, evidence_to_json(analysis.published_evidence), now))
    conn.executemany("INSERT INTO sentences (article_id, idx, start, end) VALUES (?,?,?,?)",
                     [(aid, s.index, s.start, s.end) for s in analysis.sentences])
    spans = write_mentions(conn, resolver, aid, analysis.mentions, article.published)
    entity_at = {start: entity for (start, _), entity in spans.items()}
    for q in analysis.quotes:
        speaker = entity_at.get(q.speaker_mention) if q.speaker_mention is not None else None
        conn.execute(
            "INSERT OR REPLACE INTO quotes (id, article_id, start, end, text, kind, speaker_entity_id, speaker_name, "
            "speaker_start, speaker_end, speaker_mention, cue, cue_start, cue_end, said_on, said_on_basis, sentence) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (quote_id(aid, q.start, q.end), aid, q.start, q.end, q.text, q.kind, speaker, q.speaker_text,
             q.speaker_start, q.speaker_end, q.speaker_mention, q.cue, q.cue_start, q.cue_end, q.said_on,
             q.said_on_basis, q.sentence))
        assign_statement(conn, quote_id(aid, q.start, q.end), q.text, q.kind, speaker, q.said_on, now)
    spoken = {(q.start, q.end): quote_id(aid, q.start, q.end) for q in analysis.quotes
              if q.kind in ("direct", "partial", "indirect")}
    write_polevents(conn, aid, analysis, spoken)
    write_stances(conn, aid, analysis, spoken)
    conn.executemany(
        "INSERT OR REPLACE INTO time_exprs (article_id, start, end, text, type, value, granularity, basis, sentence) "
        "VALUES (?,?,?,?,?,?,?,?,?)",
        [(aid, t.start, t.end, t.text, t.type, t.value, t.granularity, t.basis, t.sentence) for t in analysis.times])


def has_analysis(conn: sqlite3.Connection, article_id: str) -> bool:
    return conn.execute("SELECT 1 FROM analyses WHERE article_id = ?", (article_id,)).fetchone() is not None


def quote_rows(conn: sqlite3.Connection, *, article_id: str | None = None, speaker: int | None = None,
               kind: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Quotes in the JSON contract: ``{id, article_id, text, kind, speaker: {entity_id, name} | null, cue,
    said_on, said_on_basis, start, end}``, in article order."""
    where, args = [], []
    for column, value in (("q.article_id", article_id), ("q.speaker_entity_id", speaker), ("q.kind", kind)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    sql = ("SELECT q.id, q.article_id, q.text, q.kind, q.speaker_entity_id, COALESCE(e.name, q.speaker_name), q.cue, "
           "q.said_on, q.said_on_basis, q.start, q.end, q.statement_id FROM quotes q "
           "LEFT JOIN entities e ON e.id = q.speaker_entity_id "
           f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY q.said_on IS NULL, q.said_on, q.article_id, "
           "q.start LIMIT ? OFFSET ?")
    out = []
    for (qid, aid, text, kind, eid, name, cue, said_on, basis, start, end, statement) in conn.execute(
            sql, (*args, -1 if limit is None else limit, offset)):
        out.append({"id": qid, "article_id": aid, "text": text, "kind": kind,
                    "speaker": {"entity_id": eid, "name": name} if name else None, "cue": cue,
                    "said_on": said_on, "said_on_basis": basis, "start": start, "end": end,
                    "statement_id": statement})
    return out
