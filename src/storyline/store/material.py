"""Everything the analyses of one storyline read, in a few queries per 500 articles.

A storyline's articles with their text, outlet and dates (the inferred range of undated ones), their
sentences, time expressions, speech (quotes with their statement and speaker) and entity mentions:
read once, so that the timeline, the statement ledger and framing never query per article.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

from ..records import MaterialArticle, MaterialQuote, StoryMaterial

CHUNK = 500  # article ids per query (SQLite's bound-parameter limit is far above)


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i:i + CHUNK])


def read_material(conn: sqlite3.Connection, article_ids: Sequence[str]) -> StoryMaterial:
    """The stored material of ``article_ids`` (unknown ids are left out)."""
    ids = list(dict.fromkeys(article_ids))
    articles: dict[str, MaterialArticle] = {}
    sentences: dict[str, list[tuple[int, int]]] = {}
    times: dict[str, list[dict]] = {}
    quotes: list[MaterialQuote] = []
    mentions: dict[str, list[dict]] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
                "SELECT a.id, a.title, o.name, a.published, a.date_source, a.text, n.published_from, "
                "n.published_to, a.url, a.origin FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id "
                f"LEFT JOIN analyses n ON n.article_id = a.id WHERE a.id IN ({marks})", chunk):
            articles[row[0]] = MaterialArticle(id=row[0], title=row[1], outlet=row[2], published=row[3],
                                               date_source=row[4], text=row[5], inferred_from=row[6],
                                               inferred_to=row[7], url=row[8], origin=row[9])
        for aid, start, end in conn.execute(
                f"SELECT article_id, start, end FROM sentences WHERE article_id IN ({marks}) ORDER BY article_id, idx",
                chunk):
            sentences.setdefault(aid, []).append((start, end))
        for aid, start, end, text, kind, value, gran, basis, sentence in conn.execute(
                "SELECT article_id, start, end, text, type, value, granularity, basis, sentence FROM time_exprs "
                f"WHERE article_id IN ({marks}) ORDER BY article_id, start", chunk):
            times.setdefault(aid, []).append({"start": start, "end": end, "text": text, "type": kind, "value": value,
                                              "granularity": gran, "basis": basis, "sentence": sentence})
        for row in conn.execute(
                "SELECT q.id, q.article_id, q.start, q.end, q.text, q.kind, q.speaker_entity_id, "
                "COALESCE(e.name, q.speaker_name), q.said_on, q.said_on_basis, q.statement_id, q.cue FROM quotes q "
                f"LEFT JOIN entities e ON e.id = q.speaker_entity_id WHERE q.article_id IN ({marks}) "
                "ORDER BY q.article_id, q.start", chunk):
            quotes.append(MaterialQuote(id=row[0], article_id=row[1], start=row[2], end=row[3], text=row[4],
                                        kind=row[5], speaker_id=row[6], speaker=row[7], said_on=row[8],
                                        said_on_basis=row[9], statement_id=row[10], cue=row[11]))
        for aid, start, end, text, label, eid, name, etype, country in conn.execute(
                "SELECT m.article_id, m.start, m.end, m.text, m.label, m.entity_id, e.name, e.type, e.country "
                "FROM mentions m "
                f"LEFT JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN ({marks}) "
                "ORDER BY m.article_id, m.start", chunk):
            mentions.setdefault(aid, []).append({"start": start, "end": end, "text": text, "label": label,
                                                 "entity_id": eid, "entity": name, "entity_type": etype,
                                                 "country": country})
    return StoryMaterial(articles=articles, sentences=sentences, times=times, quotes=quotes, mentions=mentions)
