"""Statements: one utterance carried by many articles, verbatim or reworded, grouped incrementally.

A new quote is matched against earlier statements through an index of its word-trigram shingles
(index look-ups, not a scan of every quote): the candidate sharing the most shingles is taken when
the overlap covers nearly all of the shorter wording, or most of it and the speakers agree (or one
is unknown). Very
short quotes ("remains open to talks") match on their normalised text only. Scare quotes and
quoted terms are not statements.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from typing import Any

_WORD = re.compile(r"\w+", re.U)
MIN_OVERLAP = 0.6  # shared shingles / shingles of the shorter wording
SAME_WORDS = 0.8  # at this overlap the speaker credited does not matter
MAX_POSTINGS = 200  # a shingle in more statements than this ("we will not") is too common to look up by
SPEECH = ("direct", "partial", "indirect")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _shingles(tokens: list[str]) -> set[int]:
    grams = {" ".join(tokens[i:i + 3]) for i in range(max(0, len(tokens) - 2))}
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=7).digest(), "big") for g in grams}


def assign_statement(conn: sqlite3.Connection, quote_id: str, text: str, kind: str, speaker: int | None,
                     said_on: str | None, now: str) -> int | None:
    """Put one stored quote into a statement (an existing one or a new one); return its id."""
    if kind not in SPEECH:
        return None
    tokens = _tokens(text)
    if not tokens:
        return None
    norm = " ".join(tokens)
    shingles = _shingles(tokens)
    statement = None
    row = conn.execute("SELECT statement_id FROM statement_texts WHERE norm = ?", (norm,)).fetchone()
    if row and (len(tokens) >= 4 or _speaker_agrees(conn, row[0], speaker)):
        statement = row[0]
    elif len(shingles) >= 2:
        # look up only by shingles that are not common, so the work per quote stays bounded as the store grows
        marks = ",".join("?" * len(shingles))
        for sid, shared, size in conn.execute(
                f"SELECT s.statement_id, COUNT(*), st.shingles FROM statement_shingles s "
                f"JOIN statements st ON st.id = s.statement_id WHERE s.shingle IN ("
                f"SELECT shingle FROM shingle_counts WHERE shingle IN ({marks}) AND n <= {MAX_POSTINGS}) "
                "GROUP BY s.statement_id ORDER BY COUNT(*) DESC LIMIT 5", list(shingles)):
            overlap = shared / min(len(shingles), size)
            # the same words are the same statement even when outlets credit it differently ("the
            # Kremlin" / its spokesman); a looser match must also agree on the speaker
            if overlap >= SAME_WORDS or (overlap >= MIN_OVERLAP and _speaker_agrees(conn, sid, speaker)):
                statement = sid
                break
    if statement is None:
        cur = conn.execute("INSERT INTO statements (speaker_entity_id, text, said_on, shingles, created_at) "
                           "VALUES (?,?,?,?,?)", (speaker, text, said_on, len(shingles), now))
        statement = int(cur.lastrowid)
        _index(conn, shingles, statement)
    else:
        # the statement now answers to this wording too: a later report quoting only the other half of
        # "A," he said, "B." still finds it
        _index(conn, shingles, statement)
        conn.execute("UPDATE statements SET speaker_entity_id = COALESCE(speaker_entity_id, ?), "
                     "said_on = MIN(COALESCE(said_on, ?), COALESCE(?, said_on)), shingles = MAX(shingles, ?) "
                     "WHERE id = ?", (speaker, said_on, said_on, len(shingles), statement))
    conn.execute("INSERT OR IGNORE INTO statement_texts (norm, statement_id) VALUES (?, ?)", (norm, statement))
    conn.execute("UPDATE quotes SET statement_id = ? WHERE id = ?", (statement, quote_id))
    return statement


def _index(conn: sqlite3.Connection, shingles: set[int], statement: int) -> None:
    """Add a wording's shingles to a statement's postings, counting how many statements hold each."""
    for sh in shingles:
        if conn.execute("INSERT OR IGNORE INTO statement_shingles (shingle, statement_id) VALUES (?, ?)",
                        (sh, statement)).rowcount:
            conn.execute("INSERT INTO shingle_counts (shingle, n) VALUES (?, 1) "
                         "ON CONFLICT (shingle) DO UPDATE SET n = n + 1", (sh,))


def _speaker_agrees(conn: sqlite3.Connection, statement: int, speaker: int | None) -> bool:
    row = conn.execute("SELECT speaker_entity_id FROM statements WHERE id = ?", (statement,)).fetchone()
    return row is None or row[0] is None or speaker is None or row[0] == speaker


def statement_rows(conn: sqlite3.Connection, *, speaker: int | None = None, min_articles: int = 1,
                   limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Statements with their variants side by side and the outlets that carried each, in time order."""
    where, args = ["1=1"], []
    if speaker is not None:
        where.append("st.speaker_entity_id = ?")
        args.append(speaker)
    rows = conn.execute(
        "SELECT st.id, st.speaker_entity_id, e.name, st.said_on, COUNT(DISTINCT q.article_id) AS n "
        "FROM statements st JOIN quotes q ON q.statement_id = st.id LEFT JOIN entities e ON e.id = st.speaker_entity_id "
        f"WHERE {' AND '.join(where)} GROUP BY st.id HAVING n >= ? "
        "ORDER BY st.said_on IS NULL, st.said_on, st.id LIMIT ? OFFSET ?",
        (*args, min_articles, -1 if limit is None else limit, offset)).fetchall()
    out = []
    for sid, eid, name, said_on, n in rows:
        variants: dict[str, dict[str, Any]] = {}
        kinds = set()
        for qid, text, kind, aid, outlet, start, end in conn.execute(
                "SELECT q.id, q.text, q.kind, q.article_id, o.name, q.start, q.end FROM quotes q "
                "JOIN articles a ON a.id = q.article_id LEFT JOIN outlets o ON o.id = a.outlet_id "
                "WHERE q.statement_id = ? ORDER BY a.published, q.article_id, q.start", (sid,)):
            key = " ".join(_tokens(text))
            v = variants.setdefault(key, {"text": text, "kind": kind, "outlets": [], "quotes": []})
            if outlet and outlet not in v["outlets"]:
                v["outlets"].append(outlet)
            v["quotes"].append({"quote_id": qid, "article_id": aid, "start": start, "end": end})
            kinds.add(kind)
        main = max(variants.values(), key=lambda v: (len(v["quotes"]), len(v["text"])))
        outlets = sorted({o for v in variants.values() for o in v["outlets"]})
        out.append({"id": sid, "speaker": {"entity_id": eid, "name": name} if name else None, "said_on": said_on,
                    "text": main["text"], "articles": n, "outlets": outlets, "kinds": sorted(kinds),
                    "variants": list(variants.values())})
    return out
