"""Story tables: the features, LSH buckets, duplicate/source groups, events and storylines.

Every method touches a bounded number of rows (by key, by bucket, by event), so the work per new
article does not grow with the store. :class:`StoryTables` is the backend the assigner in
:mod:`storyline.stories.assign` writes through; listing queries for the API are at the end.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ..records import StoryArticle, StoryNeighbour
from ..stories.coherence import pick_core, shared_range
from ..stories.terms import term_weights
from ..stories.embed import DIM, vector_bytes, vector_from_bytes
from .story_inputs import STORY_LABELS, StoryQueue, chunked

EVENT_ENTITY_LIMIT = 30
EVENT_TERM_LIMIT = 60
STORYLINE_TERM_LIMIT = 100
EVENT_CORE = 5       # members kept as an event's core (closest to its centroid)
CORE_SCAN = 200      # members read to work out a core that was not kept
STORYLINE_ENTITY_LIMIT = 60


class StoryTables(StoryQueue):
    """Reads and writes of the story stage, on one connection inside the caller's transaction (the queue's
    reads in :class:`~storyline.store.story_inputs.StoryQueue`)."""

    def __init__(self, conn: sqlite3.Connection, now: str) -> None:
        self.conn = conn
        self.now = now

    def entity_df(self, entity_ids: Iterable[int]) -> tuple[int, dict[int, int]]:
        """Articles placed so far, and how many of them name each of these entities (both counted as
        articles are placed)."""
        ids = list(entity_ids)
        total = self.conn.execute("SELECT COALESCE(SUM(n), 0) FROM story_months").fetchone()[0]
        df: dict[int, int] = {}
        for chunk in chunked(ids):
            marks = ",".join("?" * len(chunk))
            df.update(self.conn.execute(f"SELECT entity_id, n FROM story_entity_df WHERE entity_id IN ({marks})",
                                        chunk))
        return total, df

    def term_df(self, term_ids: Iterable[int]) -> tuple[int, dict[int, int]]:
        """Articles placed so far, and how many of them use each of these topic terms."""
        ids = list(term_ids)
        total = self.conn.execute("SELECT COALESCE(SUM(n), 0) FROM story_months").fetchone()[0]
        df: dict[int, int] = {}
        for chunk in chunked(ids):
            marks = ",".join("?" * len(chunk))
            df.update(self.conn.execute(f"SELECT term, n FROM story_term_df WHERE term IN ({marks})", chunk))
        return total, df

    def term_rank(self, term_ids: Iterable[int]) -> tuple[dict[int, float], float]:
        """IDF of these terms, and of a term never counted."""
        total, df = self.term_df(term_ids)
        return term_weights(df, total), math.log(total + 2)

    def entity_idf(self, entity_ids: Iterable[int]) -> dict[int, float]:
        """Plain rarity weights (inverse document frequency) of these entities."""
        total, df = self.entity_df(entity_ids)
        return {e: float(np.log((total + 2) / (df.get(e, 0) + 1))) for e in df} | \
            {e: float(np.log(total + 2)) for e in entity_ids if e not in df}

    # -- features ---------------------------------------------------------------------------------

    def previous(self, article_id: str) -> dict[str, Any] | None:
        """The stored features and assignment of an article being re-assigned (its text changed)."""
        r = self.conn.execute("SELECT key, month, signature FROM story_features WHERE article_id = ?",
                              (article_id,)).fetchone()
        return None if r is None else {"key": r[0], "month": r[1], "signature": r[2]}

    def add_features(self, a: StoryArticle, signature: bytes | None, embedding: bytes,
                     terms: dict[int, int] | None = None) -> int:
        """Store an article's features (``terms``: the topic terms it keeps for its profiles) and count its
        month, entities and every term it uses."""
        cur = self.conn.execute(
            "INSERT INTO story_features (article_id, content_hash, day, day_basis, month, shingles, signature, "
            "embedding, entities, statements, outlet_id, terms, day_from, day_to) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (a.article_id, a.content_hash, a.day, a.day_basis, a.month, a.shingles, signature, embedding,
             json.dumps(a.entities), json.dumps(sorted(a.statements)), a.outlet_id,
             json.dumps(terms if terms is not None else a.terms), a.day_from, a.day_to),
        )
        self.conn.execute("INSERT INTO story_months (month, n) VALUES (?, 1) "
                          "ON CONFLICT (month) DO UPDATE SET n = n + 1", (a.month,))
        self.conn.executemany("INSERT INTO story_entity_df (entity_id, n) VALUES (?, 1) "
                              "ON CONFLICT (entity_id) DO UPDATE SET n = n + 1", [(e,) for e in a.entities])
        self.conn.executemany("INSERT INTO story_term_df (term, n) VALUES (?, 1) "
                              "ON CONFLICT (term) DO UPDATE SET n = n + 1", [(t,) for t in a.terms])
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def remove(self, article_id: str, buckets: Sequence[int]) -> None:
        """Forget an article's features and memberships (before re-assigning a changed text); ``buckets``
        are its LSH buckets (from its stored signature), so that no look-up scans the bucket table."""
        old = self.conn.execute("SELECT key, month, entities, terms FROM story_features WHERE article_id = ?",
                                (article_id,)).fetchone()
        if old is None:
            return
        key, month, ents, kept = old
        self.conn.executemany("DELETE FROM lsh_buckets WHERE bucket = ? AND key = ?", [(b, key) for b in buckets])
        self.conn.execute("DELETE FROM story_features WHERE key = ?", (key,))
        self.conn.execute("UPDATE story_months SET n = n - 1 WHERE month = ?", (month,))
        self.conn.executemany("UPDATE story_entity_df SET n = n - 1 WHERE entity_id = ?",
                              [(int(e),) for e in json.loads(ents)])
        self.conn.executemany("UPDATE story_term_df SET n = n - 1 WHERE term = ?",   # the terms it kept
                              [(int(t),) for t in json.loads(kept)])
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
        """An event's profile: span, size, centroid, entities, and its core (the members closest to the
        centroid: their unit vectors and days), worked out from the members when not kept yet."""
        r = self.conn.execute("SELECT id, storyline_id, start, end, n_articles, centroid, entities, core, core_days, "
                              "terms, day_from, day_to FROM events WHERE id = ?", (event_id,)).fetchone()
        ev = {"id": r[0], "storyline_id": r[1], "start": r[2], "end": r[3], "n": r[4],
              "centroid": vector_from_bytes(r[5]) if r[5] else None,
              "entities": {int(k): v for k, v in json.loads(r[6]).items()},
              "terms": {int(k): v for k, v in json.loads(r[9]).items()}, "day_from": r[10], "day_to": r[11]}
        if r[7] is not None:
            ev["core"], ev["core_days"] = _core_from_bytes(r[7]), json.loads(r[8])
        elif ev["n"] and ev["centroid"] is not None:
            ev["core"], ev["core_days"] = self._core_of(event_id, ev["centroid"])
        else:
            ev["core"], ev["core_days"] = None, []
        return ev

    def _core_of(self, event_id: int, centroid: np.ndarray) -> tuple[np.ndarray, list[str | None]]:
        """The core worked out from the members (an event stored before cores were kept, or rebuilt), and kept."""
        members = [(vector_from_bytes(e), d) for e, d in self.conn.execute(
            "SELECT f.embedding, f.day FROM event_articles ea JOIN story_features f ON f.article_id = ea.article_id "
            "WHERE ea.event_id = ? LIMIT ?", (event_id, CORE_SCAN))]
        core, days = pick_core(list(_unit_rows(np.stack([v for v, _ in members]))), [d for _, d in members],
                               centroid, EVENT_CORE) if members else (None, [])
        self.conn.execute("UPDATE events SET core = ?, core_days = ? WHERE id = ?",
                          (_core_bytes(core), json.dumps(days), event_id))
        return core, days  # type: ignore[return-value]

    def event_storylines(self, event_ids: Sequence[int]) -> dict[int, int]:
        """event id -> storyline id, for events that still hold articles."""
        marks = ",".join("?" * len(event_ids))
        return dict(self.conn.execute(f"SELECT id, storyline_id FROM events WHERE id IN ({marks}) AND n_articles > 0",
                                      list(event_ids))) if event_ids else {}

    def storyline_spans(self, storyline_ids: Sequence[int]) -> dict[int, tuple[str | None, str | None]]:
        """storyline id -> its first and last day."""
        ids = sorted(set(storyline_ids))
        marks = ",".join("?" * len(ids))
        return {r[0]: (r[1], r[2]) for r in self.conn.execute(
            f"SELECT id, start, end FROM storylines WHERE id IN ({marks})", ids)} if ids else {}

    def storyline_quiet_gaps(self, storyline_ids: Sequence[int], lo: str, hi: str) -> dict[int, int]:
        """storyline id -> days from ``[lo, hi]`` to its nearest dated event (0 when one overlaps); storylines
        with no dated event are left out. Reads the storylines' events (by the storyline index)."""
        ids = sorted(set(storyline_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {r[0]: int(round(r[1])) for r in self.conn.execute(
            "SELECT storyline_id, MIN(CASE WHEN julianday(?) < julianday(start) THEN julianday(start) - julianday(?) "
            "WHEN julianday(?) > julianday(end) THEN julianday(?) - julianday(end) ELSE 0 END) FROM events "
            f"WHERE storyline_id IN ({marks}) AND n_articles > 0 AND start IS NOT NULL GROUP BY storyline_id",
            (hi, hi, lo, lo, *ids))}

    def storyline_profile(self, storyline_id: int) -> dict[str, Any]:
        r = self.conn.execute("SELECT start, end, entities, centroid, n_articles, terms FROM storylines WHERE id = ?",
                              (storyline_id,)).fetchone()
        return {"id": storyline_id, "start": r[0], "end": r[1],
                "entities": {int(k): v for k, v in json.loads(r[2]).items()},
                "centroid": vector_from_bytes(r[3]) if r[3] else None, "n": r[4],
                "terms": {int(k): v for k, v in json.loads(r[5]).items()}}

    def new_storyline(self) -> int:
        cur = self.conn.execute("INSERT INTO storylines (created_at, updated_at) VALUES (?, ?)", (self.now, self.now))
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def new_event(self, storyline_id: int) -> int:
        cur = self.conn.execute("INSERT INTO events (storyline_id, created_at, updated_at) VALUES (?,?,?)",
                                (storyline_id, self.now, self.now))
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def join(self, a: StoryArticle, event_id: int, score: float, basis: str, embedding: np.ndarray,
             source_id: str) -> tuple[int, np.ndarray]:
        """Put an article in an event; update the event's and storyline's running profile (centroid, core,
        entities, terms, span) and counts. ``a.terms``: the terms the article keeps for the profiles, which
        keep their heaviest terms (by IDF).

        Returns the event's storyline and its new centroid."""
        self.conn.execute("INSERT OR REPLACE INTO event_articles (article_id, event_id, score, basis) VALUES (?,?,?,?)",
                          (a.article_id, event_id, score, basis))
        ev = self.event(event_id)
        n = ev["n"]
        centroid = embedding if ev["centroid"] is None else (ev["centroid"] * n + embedding) / (n + 1)
        ents = _merge_counts(ev["entities"], a.entities, EVENT_ENTITY_LIMIT)
        rank, default = self.term_rank({**ev["terms"], **a.terms})
        terms = _merge_counts(ev["terms"], a.terms, EVENT_TERM_LIMIT, rank, default)
        start = min(filter(None, (ev["start"], a.day)), default=None)
        end = max(filter(None, (ev["end"], a.day)), default=None)
        old = list(ev["core"]) if ev["core"] is not None else []
        core, core_days = pick_core(old + [embedding / (float(np.linalg.norm(embedding)) or 1.0)],
                                    list(ev["core_days"]) + [a.day], centroid, EVENT_CORE)
        lo, hi = shared_range((ev["day_from"], ev["day_to"]), (a.day_from, a.day_to))
        self.conn.execute(
            "UPDATE events SET n_articles = n_articles + 1, centroid = ?, entities = ?, terms = ?, start = ?, end = ?, "
            "day = ?, core = ?, core_days = ?, day_from = ?, day_to = ?, updated_at = ? WHERE id = ?",
            (vector_bytes(centroid), json.dumps(ents), json.dumps(terms), start, end, start, _core_bytes(core),
             json.dumps(core_days), lo, hi, self.now, event_id))
        sid = ev["storyline_id"]
        sl = self.storyline_profile(sid)
        s_ents = _merge_counts(sl["entities"], a.entities, STORYLINE_ENTITY_LIMIT)
        rank, default = self.term_rank({**sl["terms"], **a.terms})
        s_terms = _merge_counts(sl["terms"], a.terms, STORYLINE_TERM_LIMIT, rank, default)
        s_start = min(filter(None, (sl["start"], a.day)), default=None)
        s_end = max(filter(None, (sl["end"], a.day)), default=None)
        s_centroid = embedding if sl["centroid"] is None else (sl["centroid"] * sl["n"] + embedding) / (sl["n"] + 1)
        self.conn.execute("UPDATE storylines SET n_articles = n_articles + 1, entities = ?, terms = ?, start = ?, "
                          "end = ?, centroid = ?, updated_at = ? WHERE id = ?",
                          (json.dumps(s_ents), json.dumps(s_terms), s_start, s_end, vector_bytes(s_centroid),
                           self.now, sid))
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


def _unit_rows(m: np.ndarray) -> np.ndarray:
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)


def _core_bytes(core: np.ndarray | None) -> bytes | None:
    return None if core is None else np.asarray(core, dtype="<f2").tobytes()


def _core_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f2").astype(np.float32).reshape(-1, DIM)


def _merge_counts(profile: dict[int, int], add: dict[int, int], limit: int,
                  rank: Mapping[int, float] | None = None, default: float = 1.0) -> dict[int, int]:
    """Counts added; the ``limit`` largest kept (by count, or by sublinear count times ``rank`` when given:
    a term profile keeps the terms that weigh most, not the commonest words)."""
    merged = dict(profile)
    for k, v in add.items():
        merged[k] = merged.get(k, 0) + v
    if rank is None:
        return dict(sorted(merged.items(), key=lambda kv: -kv[1])[:limit])
    return dict(sorted(merged.items(), key=lambda kv: (-(1.0 + math.log(kv[1])) * rank.get(kv[0], default),
                                                       kv[0]))[:limit])


# -- restructuring ----------------------------------------------------------------------------------------


class RestructureTables(StoryTables):
    """What ``storyline restructure`` reads and rewrites: recent events, their members, merges and splits."""

    def scope_events(self, days: int) -> list[dict[str, Any]]:
        """The events of every storyline active in the last ``days`` of the store (its latest day counting
        back), each as :meth:`event` reads it."""
        last = self.conn.execute("SELECT MAX(end) FROM storylines WHERE n_articles > 0").fetchone()[0]
        ids = [r[0] for r in self.conn.execute(
            "SELECT e.id FROM events e JOIN storylines s ON s.id = e.storyline_id WHERE e.n_articles > 0 "
            "AND s.n_articles > 0 AND (s.end IS NULL OR s.end >= date(?, ?)) ORDER BY e.id",
            (last or "9999-12-31", f"-{int(days)} days"))]
        return [self.event(i) for i in ids]

    def event_articles(self, event_id: int) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT article_id FROM event_articles WHERE event_id = ?",
                                                (event_id,))]

    def event_units(self, event_id: int) -> list[dict[str, Any]]:
        """An event's members, each copy or rewrite group as one unit: ``{articles, vectors (unit), days,
        day_from, day_to, entities, terms}`` (``day_from``/``day_to``: an undated unit's inferred range)."""
        units: dict[str, dict[str, Any]] = {}
        for aid, emb, day, basis, ents, source, lo, hi, terms in self.conn.execute(
            "SELECT ea.article_id, f.embedding, f.day, f.day_basis, f.entities, COALESCE(s.source_id, ea.article_id), "
            "f.day_from, f.day_to, f.terms FROM event_articles ea "
            "JOIN story_features f ON f.article_id = ea.article_id LEFT JOIN sources s ON s.article_id = ea.article_id "
            "WHERE ea.event_id = ? ORDER BY f.key", (event_id,)):
            u = units.setdefault(source, {"articles": [], "vectors": [], "days": [], "day_from": None, "day_to": None,
                                          "entities": {}, "terms": {}})
            v = vector_from_bytes(emb)
            u["articles"].append(aid)
            u["vectors"].append(v / (float(np.linalg.norm(v)) or 1.0))
            u["days"].append(day)
            if lo and hi:
                u["day_from"], u["day_to"] = shared_range((u["day_from"], u["day_to"]), (lo, hi))
            u["entities"] = _merge_counts(u["entities"], {int(k): n for k, n in json.loads(ents).items()},
                                          EVENT_ENTITY_LIMIT)
            u["terms"] = _merge_counts(u["terms"], {int(k): n for k, n in json.loads(terms).items()}, EVENT_TERM_LIMIT)
        for u in units.values():   # dated members first: a unit is grouped by its earliest day
            order = sorted(range(len(u["days"])), key=lambda i: (u["days"][i] is None, u["days"][i] or ""))
            for key in ("articles", "vectors", "days"):
                u[key] = [u[key][i] for i in order]
        return list(units.values())

    def event_vectors(self, event_id: int) -> list[tuple[str, np.ndarray]]:
        return [(r[0], vector_from_bytes(r[1])) for r in self.conn.execute(
            "SELECT ea.article_id, f.embedding FROM event_articles ea JOIN story_features f "
            "ON f.article_id = ea.article_id WHERE ea.event_id = ?", (event_id,))]

    def move_articles(self, article_ids: Sequence[str], event_id: int, basis: str) -> None:
        self.conn.executemany("UPDATE event_articles SET event_id = ?, basis = ? WHERE article_id = ?",
                              [(event_id, basis, a) for a in article_ids])

    def recompute_event(self, event_id: int) -> None:
        """Centroid, entity and term profiles and core from the members, then the counts."""
        vecs, days, ents, terms = [], [], {}, {}
        lo, hi = None, None
        for emb, e, d, t, r_lo, r_hi in self.conn.execute(
            "SELECT f.embedding, f.entities, f.day, f.terms, f.day_from, f.day_to FROM event_articles ea "
            "JOIN story_features f ON f.article_id = ea.article_id WHERE ea.event_id = ?", (event_id,)):
            vecs.append(vector_from_bytes(emb))
            days.append(d)
            lo, hi = shared_range((lo, hi), (r_lo, r_hi))
            ents = _merge_counts(ents, {int(k): v for k, v in json.loads(e).items()}, EVENT_ENTITY_LIMIT)
            terms = _merge_counts(terms, {int(k): v for k, v in json.loads(t).items()}, EVENT_TERM_LIMIT)
        centroid = np.mean(vecs, axis=0) if vecs else None
        core, core_days = pick_core(list(_unit_rows(np.stack(vecs))), days, centroid, EVENT_CORE) if vecs \
            else (None, [])
        self.conn.execute("UPDATE events SET centroid = ?, entities = ?, terms = ?, core = ?, core_days = ?, "
                          "day_from = ?, day_to = ? WHERE id = ?",
                          (vector_bytes(centroid) if centroid is not None else None, json.dumps(ents),
                           json.dumps(terms), _core_bytes(core), json.dumps(core_days), lo, hi, event_id))
        self.refresh_event(event_id)

    def move_event(self, event_id: int, storyline_id: int) -> None:
        self.conn.execute("UPDATE events SET storyline_id = ? WHERE id = ?", (storyline_id, event_id))

    def recompute_storyline(self, storyline_id: int) -> None:
        """A storyline's centroid (its events' centroids weighted by their articles) and entity and term
        profiles from its events, then its counts and span; retired when no event is left."""
        rows = [(vector_from_bytes(c), n, json.loads(e), json.loads(t), i) for c, n, e, t, i in self.conn.execute(
            "SELECT centroid, n_articles, entities, terms, id FROM events WHERE storyline_id = ? "
            "AND centroid IS NOT NULL AND n_articles > 0 ORDER BY id", (storyline_id,))]
        if not rows:
            self.retire("storylines", storyline_id)
            return
        centroid = sum(r[0] * r[1] for r in rows) / sum(r[1] for r in rows)
        ents: dict[int, int] = {}
        terms: dict[int, int] = {}
        for _, _, e, t, _ in rows:
            ents = _merge_counts(ents, {int(k): v for k, v in e.items()}, STORYLINE_ENTITY_LIMIT)
            terms = _merge_counts(terms, {int(k): v for k, v in t.items()}, STORYLINE_TERM_LIMIT)
        self.conn.execute("UPDATE storylines SET centroid = ?, entities = ?, terms = ? WHERE id = ?",
                          (vector_bytes(centroid), json.dumps(ents), json.dumps(terms), storyline_id))
        self.refresh_event(rows[0][4])

    def live(self, table: str, ids: Iterable[int]) -> list[int]:
        """Those of ``ids`` that still hold articles (not retired)."""
        ids = sorted(ids)
        marks = ",".join("?" * len(ids))
        return [r[0] for r in self.conn.execute(f"SELECT id FROM {table} WHERE id IN ({marks}) AND n_articles > 0",
                                                ids)] if ids else []

    def storyline_events(self, storyline_id: int) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM events WHERE storyline_id = ?", (storyline_id,))]

    def redirect(self, kind: str, old_id: int, new_id: int, reason: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO story_redirects (kind, old_id, new_id, reason, at) "
                          "VALUES (?,?,?,?,?)", (kind, old_id, new_id, reason, self.now))
        self.conn.execute("UPDATE story_redirects SET new_id = ? WHERE kind = ? AND new_id = ?", (new_id, kind, old_id))

    def retire(self, table: str, row_id: int) -> None:
        self.conn.execute(f"UPDATE {table} SET n_articles = 0 WHERE id = ?", (row_id,))
        if table == "events":
            self.conn.execute("UPDATE events SET centroid = NULL, core = NULL, core_days = NULL WHERE id = ?",
                              (row_id,))
        else:
            self.conn.execute("UPDATE storylines SET n_events = 0, n_outlets = 0, n_sources = 0, start = NULL, "
                              "end = NULL WHERE id = ?", (row_id,))
