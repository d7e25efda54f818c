"""Story tables: the features, LSH buckets, duplicate/source groups, events and storylines.

Every method touches a bounded number of rows (by key, by bucket, by event), so the work per new
article does not grow with the store. :class:`StoryTables` is the backend the assigner in
:mod:`storyline.stories.assign` writes through; listing queries for the API are at the end.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..records import StoryArticle, StoryNeighbour
from ..stories.embed import vector_bytes, vector_from_bytes

EVENT_ENTITY_LIMIT = 30
STORYLINE_ENTITY_LIMIT = 60
STORY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART")


def chunked(seq: Sequence[Any], n: int = 500) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


class StoryTables:
    """Reads and writes of the story stage, on one connection inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection, now: str) -> None:
        self.conn = conn
        self.now = now

    # -- the queue of articles waiting for a story -------------------------------------------------

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

    def entity_idf(self, entity_ids: Iterable[int]) -> dict[int, float]:
        ids = list(entity_ids)
        total = self.conn.execute("SELECT COALESCE(SUM(n), 0) FROM story_months").fetchone()[0]
        df: dict[int, int] = {}
        for chunk in chunked(ids):
            marks = ",".join("?" * len(chunk))
            df.update(self.conn.execute(f"SELECT entity_id, n FROM story_entity_df WHERE entity_id IN ({marks})",
                                        chunk))
        return {e: float(np.log((total + 2) / (df.get(e, 0) + 1))) for e in ids}

    # -- features ---------------------------------------------------------------------------------

    def previous(self, article_id: str) -> dict[str, Any] | None:
        """The stored features and assignment of an article being re-assigned (its text changed)."""
        r = self.conn.execute("SELECT key, month, signature FROM story_features WHERE article_id = ?",
                              (article_id,)).fetchone()
        return None if r is None else {"key": r[0], "month": r[1], "signature": r[2]}

    def add_features(self, a: StoryArticle, signature: bytes | None, embedding: bytes) -> int:
        cur = self.conn.execute(
            "INSERT INTO story_features (article_id, content_hash, day, day_basis, month, shingles, signature, "
            "embedding, entities, statements, outlet_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (a.article_id, a.content_hash, a.day, a.day_basis, a.month, a.shingles, signature, embedding,
             json.dumps(a.entities), json.dumps(sorted(a.statements)), a.outlet_id),
        )
        self.conn.execute("INSERT INTO story_months (month, n) VALUES (?, 1) "
                          "ON CONFLICT (month) DO UPDATE SET n = n + 1", (a.month,))
        self.conn.executemany("INSERT INTO story_entity_df (entity_id, n) VALUES (?, 1) "
                              "ON CONFLICT (entity_id) DO UPDATE SET n = n + 1", [(e,) for e in a.entities])
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def remove(self, article_id: str, buckets: Sequence[int]) -> None:
        """Forget an article's features and memberships (before re-assigning a changed text); ``buckets``
        are its LSH buckets (from its stored signature), so that no look-up scans the bucket table."""
        old = self.conn.execute("SELECT key, month, entities FROM story_features WHERE article_id = ?",
                                (article_id,)).fetchone()
        if old is None:
            return
        key, month, ents = old
        self.conn.executemany("DELETE FROM lsh_buckets WHERE bucket = ? AND key = ?", [(b, key) for b in buckets])
        self.conn.execute("DELETE FROM story_features WHERE key = ?", (key,))
        self.conn.execute("UPDATE story_months SET n = n - 1 WHERE month = ?", (month,))
        self.conn.executemany("UPDATE story_entity_df SET n = n - 1 WHERE entity_id = ?",
                              [(int(e),) for e in json.loads(ents)])
        row = self.conn.execute("SELECT event_id FROM event_articles WHERE article_id = ?", (article_id,)).fetchone()
        self.conn.execute("DELETE FROM event_articles WHERE article_id = ?", (article_id,))
        self.conn.execute("DELETE FROM duplicates WHERE article_id = ?", (article_id,))
        self.conn.execute("DELETE FROM sources WHERE article_id = ?", (article_id,))
        if row is not None:
            self.refresh_event(row[0])

    def same_text(self, content_hash: str, article_id: str) -> str | None:
        r = self.conn.execute("SELECT article_id FROM story_features WHERE content_hash = ? AND article_id != ? "
                              "ORDER BY key LIMIT 1", (content_hash, article_id)).fetchone()
        return r[0] if r else None

    def add_buckets(self, key: int, buckets: Sequence[int]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO lsh_buckets (bucket, key) VALUES (?, ?)",
                              [(b, key) for b in buckets])

    def bucket_mates(self, buckets: Sequence[int], limit: int = 200) -> list[tuple[str, int, bytes]]:
        """Articles sharing an LSH bucket: ``(article_id, shingles, signature)``, most shared buckets first."""
        marks = ",".join("?" * len(buckets))
        return [(r[0], r[1], r[2]) for r in self.conn.execute(
            "SELECT f.article_id, f.shingles, f.signature FROM (SELECT key, COUNT(*) AS shared FROM lsh_buckets "
            f"WHERE bucket IN ({marks}) GROUP BY key ORDER BY shared DESC LIMIT ?) b "
            "JOIN story_features f ON f.key = b.key WHERE f.signature IS NOT NULL", [*buckets, limit])]

    _NEIGHBOUR = ("SELECT f.key, f.article_id, f.day, f.entities, f.statements, f.outlet_id, ea.event_id, "
                  "e.storyline_id, COALESCE(s.source_id, f.article_id), f.embedding, f.shingles, f.signature "
                  "FROM story_features f "
                  "JOIN event_articles ea ON ea.article_id = f.article_id JOIN events e ON e.id = ea.event_id "
                  "LEFT JOIN sources s ON s.article_id = f.article_id ")

    @staticmethod
    def _neighbour(r: tuple) -> StoryNeighbour:
        return StoryNeighbour(key=r[0], article_id=r[1], day=r[2],
                              entities={int(k): v for k, v in json.loads(r[3]).items()},
                              statements=frozenset(json.loads(r[4])), outlet_id=r[5], event_id=r[6],
                              storyline_id=r[7], source_id=r[8], shingles=r[10], signature=r[11])

    def neighbours(self, keys: Sequence[int]) -> dict[int, StoryNeighbour]:
        out: dict[int, StoryNeighbour] = {}
        for chunk in chunked(list(keys)):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(self._NEIGHBOUR + f"WHERE f.key IN ({marks})", chunk):
                out[r[0]] = self._neighbour(r)
        return out

    def event_neighbours(self, event_id: int, limit: int) -> list[tuple[StoryNeighbour, np.ndarray]]:
        """Up to ``limit`` members of an event (the earliest placed), with their embeddings."""
        return [(self._neighbour(r), vector_from_bytes(r[9])) for r in self.conn.execute(
            self._NEIGHBOUR + "WHERE f.article_id IN (SELECT article_id FROM event_articles WHERE event_id = ? "
            "LIMIT ?)", (event_id, limit))]

    def placement(self, article_id: str) -> tuple[int, int, str] | None:
        """``(event_id, storyline_id, source_id)`` of an assigned article."""
        r = self.conn.execute(
            "SELECT ea.event_id, e.storyline_id, COALESCE(s.source_id, ea.article_id) FROM event_articles ea "
            "JOIN events e ON e.id = ea.event_id LEFT JOIN sources s ON s.article_id = ea.article_id "
            "WHERE ea.article_id = ?", (article_id,)).fetchone()
        return None if r is None else (r[0], r[1], r[2])

    # -- inferred publication dates (storyline.stories.dating) -----------------------------------------

    def inferred(self, article_id: str) -> tuple[str | None, str | None, str | None, str] | None:
        """``(from, to, basis, evidence JSON)`` of an analysed article's inferred range; ``None`` if not analysed."""
        r = self.conn.execute("SELECT published_from, published_to, published_basis, published_evidence FROM analyses "
                              "WHERE article_id = ?", (article_id,)).fetchone()
        return None if r is None else (r[0], r[1], r[2], r[3] or "[]")

    def set_inferred(self, article_id: str, start: str, end: str, basis: str, evidence: str) -> None:
        self.conn.execute("UPDATE analyses SET published_from = ?, published_to = ?, published_basis = ?, "
                          "published_evidence = ? WHERE article_id = ?", (start, end, basis, evidence, article_id))

    def member_features(self, event_id: int, limit: int, dated: bool) -> list[tuple[str, str | None, np.ndarray,
                                                                                    dict[int, int]]]:
        """Up to ``limit`` dated (or undated) members of an event: ``(article_id, day, embedding, entities)``."""
        basis = "= 'published'" if dated else "!= 'published'"
        return [(r[0], r[1], vector_from_bytes(r[2]), {int(k): v for k, v in json.loads(r[3]).items()})
                for r in self.conn.execute(
                    "SELECT f.article_id, f.day, f.embedding, f.entities FROM event_articles ea JOIN story_features f "
                    f"ON f.article_id = ea.article_id WHERE ea.event_id = ? AND f.day_basis {basis} LIMIT ?",
                    (event_id, limit))]

    def features_of(self, article_id: str) -> tuple[np.ndarray, dict[int, int]] | None:
        """An article's embedding and entities as the story stage stored them."""
        r = self.conn.execute("SELECT embedding, entities FROM story_features WHERE article_id = ?",
                              (article_id,)).fetchone()
        return None if r is None else (vector_from_bytes(r[0]), {int(k): v for k, v in json.loads(r[1]).items()})

    def published_of(self, ids: list[str]) -> dict[str, str | None]:
        marks = ",".join("?" * len(ids))
        return dict(self.conn.execute(f"SELECT id, published FROM articles WHERE id IN ({marks})", ids))

    def index_count(self, bucket: str) -> int:
        """Vectors added to a vector-index bucket (a month, ``undated`` or ``events``) since it was built."""
        r = self.conn.execute("SELECT n FROM story_index WHERE bucket = ?", (bucket,)).fetchone()
        return r[0] if r else 0

    def index_add(self, bucket: str, n: int) -> None:
        self.conn.execute("INSERT INTO story_index (bucket, n) VALUES (?, ?) "
                          "ON CONFLICT (bucket) DO UPDATE SET n = n + excluded.n", (bucket, n))

    def index_reset(self, bucket: str, n: int) -> None:
        self.conn.execute("INSERT OR REPLACE INTO story_index (bucket, n) VALUES (?, ?)", (bucket, n))

    def month_vectors(self, month: str) -> tuple[np.ndarray, np.ndarray]:
        if month == "events":
            rows = self.conn.execute("SELECT id, centroid FROM events WHERE centroid IS NOT NULL").fetchall()
        else:
            rows = self.conn.execute("SELECT key, embedding FROM story_features WHERE month = ?", (month,)).fetchall()
        if not rows:
            return np.zeros(0, dtype=np.uint64), np.zeros((0, 384), dtype=np.float32)
        keys = np.array([r[0] for r in rows], dtype=np.uint64)
        vecs = np.stack([vector_from_bytes(r[1]) for r in rows])
        if month == "events":
            vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
        return keys, vecs

    # -- groups -------------------------------------------------------------------------------------

    def duplicate_group(self, article_id: str) -> tuple[str, str] | None:
        """``(group_id, canonical_id)`` of the duplicate group ``article_id`` belongs to, if any."""
        r = self.conn.execute("SELECT group_id, canonical_id FROM duplicates WHERE article_id = ?",
                              (article_id,)).fetchone()
        return None if r is None else (r[0], r[1])

    def add_duplicate(self, article_id: str, of: str, kind: str, score: float, canonical: str) -> None:
        group = self.duplicate_group(of)
        group_id = group[0] if group else of
        if group is None:
            self.conn.execute("INSERT OR REPLACE INTO duplicates (article_id, group_id, canonical_id, kind, score) "
                              "VALUES (?,?,?,?,?)", (of, group_id, canonical, kind, score))
        self.conn.execute("INSERT OR REPLACE INTO duplicates (article_id, group_id, canonical_id, kind, score) "
                          "VALUES (?,?,?,?,?)", (article_id, group_id, canonical, kind, score))
        self.conn.execute("UPDATE duplicates SET canonical_id = ? WHERE group_id = ?", (canonical, group_id))

    def group_members(self, group_id: str) -> list[tuple[str, str | None]]:
        """``(article_id, published)`` of a duplicate group's members."""
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT d.article_id, a.published FROM duplicates d JOIN articles a ON a.id = d.article_id "
            "WHERE d.group_id = ?", (group_id,))]

    def set_source(self, article_id: str, source_id: str, kind: str | None, score: float | None) -> None:
        self.conn.execute("INSERT OR REPLACE INTO sources (article_id, source_id, kind, score) VALUES (?,?,?,?)",
                          (article_id, source_id, kind, score))

    # -- events and storylines ----------------------------------------------------------------------

    def event(self, event_id: int) -> dict[str, Any]:
        r = self.conn.execute("SELECT id, storyline_id, start, end, n_articles, centroid, entities FROM events "
                              "WHERE id = ?", (event_id,)).fetchone()
        return {"id": r[0], "storyline_id": r[1], "start": r[2], "end": r[3], "n": r[4],
                "centroid": vector_from_bytes(r[5]) if r[5] else None,
                "entities": {int(k): v for k, v in json.loads(r[6]).items()}}

    def event_storylines(self, event_ids: Sequence[int]) -> dict[int, int]:
        """event id -> storyline id, for events that still hold articles."""
        marks = ",".join("?" * len(event_ids))
        return dict(self.conn.execute(f"SELECT id, storyline_id FROM events WHERE id IN ({marks}) AND n_articles > 0",
                                      list(event_ids))) if event_ids else {}

    def storyline_profile(self, storyline_id: int) -> dict[str, Any]:
        r = self.conn.execute("SELECT start, end, entities, centroid, n_articles FROM storylines WHERE id = ?",
                              (storyline_id,)).fetchone()
        return {"start": r[0], "end": r[1], "entities": {int(k): v for k, v in json.loads(r[2]).items()},
                "centroid": vector_from_bytes(r[3]) if r[3] else None, "n": r[4]}

    def new_storyline(self) -> int:
        cur = self.conn.execute("INSERT INTO storylines (created_at, updated_at) VALUES (?, ?)", (self.now, self.now))
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def new_event(self, storyline_id: int) -> int:
        cur = self.conn.execute("INSERT INTO events (storyline_id, created_at, updated_at) VALUES (?,?,?)",
                                (storyline_id, self.now, self.now))
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def join(self, a: StoryArticle, event_id: int, score: float, basis: str, embedding: np.ndarray,
             source_id: str) -> tuple[int, np.ndarray]:
        """Put an article in an event; update the event's and storyline's running profile and counts.

        Returns the event's storyline and its new centroid."""
        self.conn.execute("INSERT OR REPLACE INTO event_articles (article_id, event_id, score, basis) VALUES (?,?,?,?)",
                          (a.article_id, event_id, score, basis))
        ev = self.event(event_id)
        n = ev["n"]
        centroid = embedding if ev["centroid"] is None else (ev["centroid"] * n + embedding) / (n + 1)
        ents = _merge_counts(ev["entities"], a.entities, EVENT_ENTITY_LIMIT)
        start = min(filter(None, (ev["start"], a.day)), default=None)
        end = max(filter(None, (ev["end"], a.day)), default=None)
        self.conn.execute(
            "UPDATE events SET n_articles = n_articles + 1, centroid = ?, entities = ?, start = ?, end = ?, day = ?, "
            "updated_at = ? WHERE id = ?",
            (vector_bytes(centroid), json.dumps(ents), start, end, start, self.now, event_id))
        sid = ev["storyline_id"]
        sl = self.storyline_profile(sid)
        s_ents = _merge_counts(sl["entities"], a.entities, STORYLINE_ENTITY_LIMIT)
        s_start = min(filter(None, (sl["start"], a.day)), default=None)
        s_end = max(filter(None, (sl["end"], a.day)), default=None)
        s_centroid = embedding if sl["centroid"] is None else (sl["centroid"] * sl["n"] + embedding) / (sl["n"] + 1)
        self.conn.execute("UPDATE storylines SET n_articles = n_articles + 1, entities = ?, start = ?, end = ?, "
                          "centroid = ?, updated_at = ? WHERE id = ?",
                          (json.dumps(s_ents), s_start, s_end, vector_bytes(s_centroid), self.now, sid))
        members = [("outlet", str(a.outlet_id))] if a.outlet_id is not None else []
        members.append(("source", source_id))
        for kind, value in members:   # distinct outlets and sources, counted as they first appear
            for owner, owner_id in (("events", event_id), ("storylines", sid)):
                cur = self.conn.execute("INSERT OR IGNORE INTO story_members (owner, owner_id, kind, value) "
                                        "VALUES (?,?,?,?)", (owner, owner_id, kind, value))
                if cur.rowcount:
                    self.conn.execute(f"UPDATE {owner} SET n_{kind}s = n_{kind}s + 1 WHERE id = ?", (owner_id,))
        if ev["n"] == 0:
            self.conn.execute("UPDATE storylines SET n_events = n_events + 1 WHERE id = ?", (sid,))
        return sid, centroid

    def refresh_event(self, event_id: int) -> None:
        """Recount an event and its storyline from their members (after a removal or restructuring)."""
        r = self.conn.execute("SELECT storyline_id FROM events WHERE id = ?", (event_id,)).fetchone()
        if r is None:
            return
        for table, owner, where in (
            ("events", event_id, "ea.event_id = ?"),
            ("storylines", r[0], "ea.event_id IN (SELECT id FROM events WHERE storyline_id = ?)"),
        ):
            members = f"event_articles ea JOIN story_features f ON f.article_id = ea.article_id " \
                      f"LEFT JOIN sources s ON s.article_id = ea.article_id WHERE {where}"
            n, start, end = self.conn.execute(f"SELECT COUNT(*), MIN(f.day), MAX(f.day) FROM {members}",
                                              (owner,)).fetchone()
            outlets = [x[0] for x in self.conn.execute(
                f"SELECT DISTINCT f.outlet_id FROM {members} AND f.outlet_id IS NOT NULL", (owner,))]
            srcs = [x[0] for x in self.conn.execute(
                f"SELECT DISTINCT COALESCE(s.source_id, ea.article_id) FROM {members}", (owner,))]
            self.conn.execute("DELETE FROM story_members WHERE owner = ? AND owner_id = ?", (table, owner))
            self.conn.executemany("INSERT INTO story_members (owner, owner_id, kind, value) VALUES (?,?,?,?)",
                                  [(table, owner, "outlet", str(o)) for o in outlets]
                                  + [(table, owner, "source", s) for s in srcs])
            extra = ", day = ?" if table == "events" else ""
            args = [n, len(outlets), len(srcs), start, end] + ([start] if table == "events" else [])
            self.conn.execute(f"UPDATE {table} SET n_articles = ?, n_outlets = ?, n_sources = ?, start = ?, end = ?"
                              f"{extra}, updated_at = ? WHERE id = ?", (*args, self.now, owner))
        self.conn.execute("UPDATE storylines SET n_events = (SELECT COUNT(*) FROM events WHERE storyline_id = ? "
                          "AND n_articles > 0) WHERE id = ?", (r[0], r[0]))

    def event_title_candidates(self, event_id: int, limit: int = 200) -> list[dict[str, Any]]:
        return [{"title": r[0], "lead": r[1], "embedding": vector_from_bytes(r[2]), "copy": bool(r[3])}
                for r in self.conn.execute(
                    "SELECT a.title, substr(a.text, 1, 400), f.embedding, "
                    "(d.canonical_id IS NOT NULL AND d.canonical_id != ea.article_id) OR s.source_id IS NOT NULL "
                    "FROM event_articles ea JOIN articles a ON a.id = ea.article_id "
                    "JOIN story_features f ON f.article_id = ea.article_id "
                    "LEFT JOIN duplicates d ON d.article_id = ea.article_id "
                    "LEFT JOIN sources s ON s.article_id = ea.article_id WHERE ea.event_id = ? LIMIT ?",
                    (event_id, limit))]

    def storyline_title_candidates(self, storyline_id: int) -> list[dict[str, Any]]:
        return [{"title": r[0], "n_articles": r[1], "start": r[2]} for r in self.conn.execute(
            "SELECT title, n_articles, start FROM events WHERE storyline_id = ? ORDER BY n_articles DESC LIMIT 50",
            (storyline_id,))]

    def set_title(self, table: str, row_id: int, title: str | None) -> None:
        self.conn.execute(f"UPDATE {table} SET title = ? WHERE id = ?", (title, row_id))


def _merge_counts(profile: dict[int, int], add: dict[int, int], limit: int) -> dict[int, int]:
    merged = dict(profile)
    for k, v in add.items():
        merged[k] = merged.get(k, 0) + v
    return dict(sorted(merged.items(), key=lambda kv: -kv[1])[:limit])


# -- restructuring ----------------------------------------------------------------------------------------


class RestructureTables(StoryTables):
    """What ``storyline restructure`` reads and rewrites: recent events, their members, merges and splits."""

    def recent_events(self, days: int) -> list[dict[str, Any]]:
        last = self.conn.execute("SELECT MAX(end) FROM events").fetchone()[0]
        rows = self.conn.execute(
            "SELECT id, storyline_id, start, end, n_articles, centroid, entities FROM events WHERE n_articles > 0 "
            "AND (end IS NULL OR end >= date(?, ?)) ORDER BY id", (last or "9999-12-31", f"-{int(days)} days"))
        return [{"id": r[0], "storyline_id": r[1], "start": r[2], "end": r[3], "n": r[4],
                 "centroid": vector_from_bytes(r[5]) if r[5] else None,
                 "entities": {int(k): v for k, v in json.loads(r[6]).items()}} for r in rows]

    def event_vectors(self, event_id: int) -> list[tuple[str, np.ndarray]]:
        return [(r[0], vector_from_bytes(r[1])) for r in self.conn.execute(
            "SELECT ea.article_id, f.embedding FROM event_articles ea JOIN story_features f "
            "ON f.article_id = ea.article_id WHERE ea.event_id = ?", (event_id,))]

    def move_articles(self, article_ids: Sequence[str], event_id: int, basis: str) -> None:
        self.conn.executemany("UPDATE event_articles SET event_id = ?, basis = ? WHERE article_id = ?",
                              [(event_id, basis, a) for a in article_ids])

    def recompute_event(self, event_id: int) -> None:
        """Centroid and entity profile from the members, then the counts."""
        vecs, ents = [], {}
        for emb, e in self.conn.execute(
            "SELECT f.embedding, f.entities FROM event_articles ea JOIN story_features f ON f.article_id = "
            "ea.article_id WHERE ea.event_id = ?", (event_id,)):
            vecs.append(vector_from_bytes(emb))
            ents = _merge_counts(ents, {int(k): v for k, v in json.loads(e).items()}, EVENT_ENTITY_LIMIT)
        centroid = vector_bytes(np.mean(vecs, axis=0)) if vecs else None
        self.conn.execute("UPDATE events SET centroid = ?, entities = ? WHERE id = ?",
                          (centroid, json.dumps(ents), event_id))
        self.refresh_event(event_id)

    def move_event(self, event_id: int, storyline_id: int) -> None:
        self.conn.execute("UPDATE events SET storyline_id = ? WHERE id = ?", (storyline_id, event_id))

    def recompute_storyline(self, storyline_id: int) -> None:
        """A merged storyline's centroid: its events' centroids weighted by their articles."""
        rows = [(vector_from_bytes(c), n) for c, n in self.conn.execute(
            "SELECT centroid, n_articles FROM events WHERE storyline_id = ? AND centroid IS NOT NULL AND n_articles > 0",
            (storyline_id,))]
        if rows:
            centroid = sum(v * n for v, n in rows) / sum(n for _, n in rows)
            self.conn.execute("UPDATE storylines SET centroid = ? WHERE id = ?", (vector_bytes(centroid), storyline_id))

    def storyline_events(self, storyline_id: int) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM events WHERE storyline_id = ?", (storyline_id,))]

    def redirect(self, kind: str, old_id: int, new_id: int, reason: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO story_redirects (kind, old_id, new_id, reason, at) "
                          "VALUES (?,?,?,?,?)", (kind, old_id, new_id, reason, self.now))
        self.conn.execute("UPDATE story_redirects SET new_id = ? WHERE kind = ? AND new_id = ?", (new_id, kind, old_id))

    def retire(self, table: str, row_id: int) -> None:
        self.conn.execute(f"UPDATE {table} SET n_articles = 0 WHERE id = ?", (row_id,))
        if table == "events":
            self.conn.execute("UPDATE events SET centroid = NULL WHERE id = ?", (row_id,))
        else:
            self.conn.execute("UPDATE storylines SET n_events = 0, n_outlets = 0, n_sources = 0 WHERE id = ?",
                              (row_id,))
