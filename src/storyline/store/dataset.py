"""The store and the Parquet dataset (``storyline.dataset``): export every table from a store, load a dataset into one.

Loading goes through ``Store.write_batch``, so canonical entities are resolved
and statements grouped exactly as a local ingest does; a second load of the
same dataset changes nothing (articles are unchanged, analyses are not
rewritten, skipped inputs already recorded are left as they are).

Story tables (from the Spark engine) are taken into a store with no stories yet
(:func:`load_stories`): the features, placements, copies and sources as Spark
found them, with the store's own entity, statement and outlet ids; events and
storylines then get their profiles, counts and titles from their members, as
the local stage keeps them, and the vector indexes are rebuilt from the stored
embeddings on first use. A store that already has stories places loaded
articles with its own story stage instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import dataset as ds
from ..errors import UsageError
from ..records import PolEvent, Processed, Stance, evidence_to_json
from .db import _ARTICLE_COLUMNS, _ARTICLE_FROM, Store, StoredArticle, _now, _row_to_article


@dataclass
class LoadReport:
    """What a load did: articles new / updated / unchanged, skipped inputs recorded."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    skipped_new: int = 0
    #: Articles placed in the dataset's own events and storylines (written by the Spark engine).
    placed: int = 0
    #: What the story stage did after the load (``None`` when it did not run).
    stories: dict[str, Any] | None = None
    #: The dataset's analyst corrections taken in (``{new, unchanged, waiting, refused}``).
    corrections: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "skipped": self.skipped,
                "skipped_new": self.skipped_new, "placed": self.placed, "stories": self.stories,
                "corrections": self.corrections}


class _Following:
    """A child table's rows, written in the order of the articles they belong to (an article's rows
    together): each article takes the rows at the head that carry its id."""

    def __init__(self, rows: Iterator[dict[str, Any]], table: str) -> None:
        self.rows, self.table = rows, table
        self.head: dict[str, Any] | None = next(rows, None)

    def take(self, article_id: str) -> list[dict[str, Any]]:
        out = []
        while self.head is not None and self.head["article_id"] == article_id:
            out.append(self.head)
            self.head = next(self.rows, None)
        return out

    def finish(self) -> None:
        if self.head is not None:
            raise UsageError(f"table {self.table} of the dataset has rows of article {self.head['article_id']} "
                             "out of the order of the articles table; storyline writes every table in one order "
                             "(re-write the dataset with storyline)")


def load_dataset(store: Store, root: str | Path, batch_size: int = 64) -> LoadReport:
    """Import a dataset (articles with their analyses, skipped inputs) into ``store``, articles in the
    dataset's order (the order a local ingest reads them in)."""
    path = ds.check_dataset(root)
    report = LoadReport()
    had_stories = store.conn.execute("SELECT 1 FROM story_features LIMIT 1").fetchone() is not None
    children = {t: _Following(ds.read_rows(path, t), t) for t in ds.CHILD_TABLES}
    batch: list[Processed] = []

    def flush() -> None:
        written = store.write_batch(batch)
        report.new += len(written.new)
        report.updated += len(written.updated)
        report.unchanged += len(written.unchanged)
        batch.clear()

    for row in ds.read_rows(path, "articles"):
        batch.append(ds.to_processed(row, {t: c.take(row["id"]) for t, c in children.items()}))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    for c in children.values():
        c.finish()
    _load_skips(store, path, report)
    if not had_stories and ds.row_count(path, "story_features"):
        report.placed = load_stories(store, path)
    return report


def _load_skips(store: Store, path: Path, report: LoadReport) -> None:
    now = _now()
    with store._transaction():
        for row in ds.read_rows(path, "skipped"):
            report.skipped += 1
            cur = store.conn.execute(
                "INSERT INTO ingest_errors (origin, code, reason, first_seen, last_seen) VALUES (?,?,?,?,?) "
                "ON CONFLICT (origin, code) DO NOTHING", (row["origin"], row["code"], row["reason"], now, now))
            report.skipped_new += cur.rowcount
            if row["raw_hash"]:
                store.conn.execute("INSERT OR IGNORE INTO seen_inputs (raw_hash, article_id, code) VALUES (?, NULL, ?)",
                                   (row["raw_hash"], row["code"]))


def export_dataset(store: Store, root: str | Path, *, tables: tuple[str, ...] | None = None,
                   single_file: bool = False, chunk: int = 500) -> dict[str, int]:
    """Write the store's contents as a dataset under ``root`` (only ``tables`` if given; ``single_file``: the
    one table to the file ``root``); return rows per table. Duplicate groups are the Spark engine's: the
    store keeps its own in its story stage, so the exported ``duplicates`` table is empty."""
    wanted = tables or tuple(ds.TABLES)
    with ds.TableWriter(root, wanted, single_file=single_file) as writer:
        for rows in iter_article_rows(store, chunk, with_analysis=any(t in wanted for t in ds.CHILD_TABLES)):
            for table, items in rows.items():
                if table in wanted:
                    writer.add(table, items)
        if "skipped" in wanted:
            writer.add("skipped", ({"origin": o, "code": c, "reason": r, "raw_hash": None} for o, c, r in
                                   store.conn.execute("SELECT origin, code, reason FROM ingest_errors "
                                                      "ORDER BY origin, code")))
        return writer.close()


def iter_article_rows(store: Store, chunk: int = 500, *, with_analysis: bool = True
                      ) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Rows of the articles table and its child tables, ``chunk`` articles at a time, in the order they were
    first stored (the order a dataset keeps, so that loading it resolves entities in the same order)."""
    pending: list[StoredArticle] = []
    for stored in _in_ingest_order(store):
        pending.append(stored)
        if len(pending) >= chunk:
            yield _chunk_rows(store, pending, with_analysis)
            pending = []
    if pending:
        yield _chunk_rows(store, pending, with_analysis)


def _in_ingest_order(store: Store, batch: int = 1000) -> Iterator[StoredArticle]:
    last = 0
    while True:
        rows = store.conn.execute(f"SELECT a.rowid, {_ARTICLE_COLUMNS} FROM {_ARTICLE_FROM} WHERE a.rowid > ? "
                                  "ORDER BY a.rowid LIMIT ?", (last, batch)).fetchall()
        if not rows:
            return
        for r in rows:
            yield _row_to_article(r[1:])
        last = rows[-1][0]


def _chunk_rows(store: Store, stored: list[StoredArticle], with_analysis: bool) -> dict[str, list[dict[str, Any]]]:
    ids = [s.article.id for s in stored]
    position = {aid: i for i, aid in enumerate(ids)}
    marks = ",".join("?" * len(ids))
    conn = store.conn
    analysed = {aid: (chars, json.loads(notes)) for aid, chars, notes in conn.execute(
        f"SELECT article_id, analysed_chars, notes FROM analyses WHERE article_id IN ({marks})", ids)}
    raw = dict(conn.execute(f"SELECT article_id, MIN(raw_hash) FROM seen_inputs WHERE article_id IN ({marks}) "
                            "GROUP BY article_id", ids))
    out: dict[str, list[dict[str, Any]]] = {"articles": []}
    for s in stored:
        a = s.article
        row = ds.article_row(a, None, ingested_at=s.ingested_at, updated_at=s.updated_at)
        chars, notes = analysed.get(a.id, (None, []))
        inferred = s.published_inferred or (None, None)
        row.update(raw_hash=raw.get(a.id), analysed=a.id in analysed, analysed_chars=chars, notes=notes,
                   published_inferred_from=inferred[0], published_inferred_to=inferred[1],
                   published_inferred_basis=s.published_basis if inferred[0] else None,
                   published_inferred_evidence=evidence_to_json(s.published_evidence) if inferred[0] else None)
        out["articles"].append(row)
    if not with_analysis:
        return out
    queries = {
        "sentences": "SELECT article_id, idx AS 'index', start, end FROM sentences",
        # a stored mention keeps its canonical entity, not its in-article key: the entity's first key and
        # name stand in for them, so a loaded export resolves to the same entities
        "mentions": "SELECT m.article_id, m.start, m.end, m.text, m.label, "
                    "(SELECT MIN(k.key) FROM entity_keys k WHERE k.entity_id = m.entity_id) AS key, "
                    "e.name AS name, m.sentence, m.role, e.country AS country, m.actor, m.surname "
                    "FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id",
        "quotes": "SELECT article_id, start, end, text, kind, speaker_name AS speaker_text, speaker_start, "
                  "speaker_end, cue, cue_start, cue_end, sentence, said_on, said_on_basis, speaker_mention FROM quotes",
        "times": "SELECT article_id, start, end, text, type, value, granularity, basis, sentence FROM time_exprs",
        "polevents": f"SELECT article_id, {', '.join(f for f in PolEvent.__slots__)} FROM polevents",
        "stances": f"SELECT article_id, {', '.join(f for f in Stance.__slots__)} FROM stances",
    }
    for table, sql in queries.items():
        column = "m.article_id" if table == "mentions" else "article_id"
        cur = conn.execute(f"{sql} WHERE {column} IN ({marks})", ids)
        names = [d[0] for d in cur.description]
        rows = sorted((dict(zip(names, r)) for r in cur), key=lambda r: (position[r["article_id"]], r["start"]))
        if table == "mentions":
            for r in rows:
                r["actor"] = bool(r["actor"])
                r["surname"] = None if r["surname"] is None else bool(r["surname"])   # (unknown before migration 16)
                r["key"] = r["key"] or f"{r['label'].lower()}:{r['text'].casefold()}"
                r["name"] = r["name"] or r["text"]
        if table == "polevents":
            for r in rows:
                r["negated"], r["hedged"] = bool(r["negated"]), bool(r["hedged"])
        if table == "stances":
            for r in rows:
                r["in_quote"] = bool(r["in_quote"])
        out[table] = rows
    return out


# -- stories ------------------------------------------------------------------------------------------------

def _store_profiles(conn: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Outlet id, entity ids with mention counts, statement ids of loaded articles (what the story stage reads)."""
    from .stories import STORY_LABELS

    marks = ",".join("?" * len(ids))
    out: dict[str, dict[str, Any]] = {i: {"outlet_id": None, "entities": {}, "statements": set()} for i in ids}
    for aid, outlet in conn.execute(f"SELECT id, outlet_id FROM articles WHERE id IN ({marks})", ids):
        out[aid]["outlet_id"] = outlet
    labels = ",".join("?" * len(STORY_LABELS))
    for aid, eid, n in conn.execute(
            f"SELECT article_id, entity_id, COUNT(*) FROM mentions WHERE article_id IN ({marks}) AND entity_id "
            f"IS NOT NULL AND label IN ({labels}) GROUP BY article_id, entity_id", [*ids, *STORY_LABELS]):
        out[aid]["entities"][eid] = n
    for aid, sid in conn.execute(f"SELECT article_id, statement_id FROM quotes WHERE article_id IN ({marks}) "
                                 "AND statement_id IS NOT NULL", ids):
        out[aid]["statements"].add(sid)
    return out


def _place_chunk(tables: Any, rows: list[tuple[dict[str, Any], dict[str, Any]]], sources: _Following,
                 event_ids: dict[int, int], top: int) -> None:
    from ..records import StoryArticle
    from ..stories.dedup import band_keys, signature_from_bytes

    profiles = _store_profiles(tables.conn, [f["article_id"] for f, _ in rows])
    for feat, placed in rows:
        aid = feat["article_id"]
        if placed["article_id"] != aid:
            raise UsageError(f"the dataset's event_articles table is out of the order of story_features at {aid}; "
                             "re-write the dataset with storyline")
        p = profiles[aid]
        ents = dict(sorted(p["entities"].items(), key=lambda kv: -kv[1])[:top])
        a = StoryArticle(article_id=aid, content_hash=feat["content_hash"], title=None, day=feat["day"],
                         day_basis=feat["day_basis"], month=feat["month"], outlet_id=p["outlet_id"],
                         shingles=feat["shingles"], entities=ents, statements=frozenset(p["statements"]))
        key = tables.add_features(a, feat["signature"], feat["embedding"])
        if feat["signature"]:
            tables.add_buckets(key, band_keys(signature_from_bytes(feat["signature"])))
        tables.conn.execute("INSERT INTO event_articles (article_id, event_id, score, basis) VALUES (?,?,?,?)",
                            (aid, event_ids[placed["event_id"]], placed["score"], placed["basis"]))
        for src in sources.take(aid):
            tables.set_source(aid, src["source_id"], src["kind"], src["score"])
    tables.dequeue(f["article_id"] for f, _ in rows)


def load_stories(store: Store, root: str | Path, chunk: int = 500) -> int:
    """Take a dataset's events and storylines into ``store`` (which has none); return the articles placed."""
    import shutil

    from ..stories.assign import StoryParams
    from ..stories.index import index_dir
    from ..stories.titles import refresh_titles
    from .stories import STORYLINE_ENTITY_LIMIT, RestructureTables, _merge_counts

    path = Path(root)
    tables = RestructureTables(store.conn, _now())
    top = StoryParams().top_entities
    placed = 0
    with store._transaction():
        line_ids = {r["id"]: tables.new_storyline() for r in ds.read_rows(path, "storylines")}
        event_ids = {r["id"]: tables.new_event(line_ids[r["storyline_id"]]) for r in ds.read_rows(path, "events")}
        sources = _Following(ds.read_rows(path, "sources"), "sources")
        rows: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for pair in zip(ds.read_rows(path, "story_features"), ds.read_rows(path, "event_articles")):
            rows.append(pair)
            if len(rows) >= chunk:
                _place_chunk(tables, rows, sources, event_ids, top)
                placed += len(rows)
                rows = []
        if rows:
            _place_chunk(tables, rows, sources, event_ids, top)
            placed += len(rows)
        sources.finish()
        for row in ds.read_rows(path, "duplicates"):
            tables.conn.execute("INSERT OR REPLACE INTO duplicates (article_id, group_id, canonical_id, kind, score) "
                                "VALUES (?,?,?,?,?)", (row["article_id"], row["canonical_id"], row["canonical_id"],
                                                       "exact" if row["kind"] == "canonical" else row["kind"],
                                                       row["score"]))
        for event_id in event_ids.values():
            tables.recompute_event(event_id)
        for storyline_id in line_ids.values():
            tables.recompute_storyline(storyline_id)
            ents: dict[int, int] = {}
            for (blob,) in tables.conn.execute(
                    "SELECT f.entities FROM events e JOIN event_articles ea ON ea.event_id = e.id JOIN story_features "
                    "f ON f.article_id = ea.article_id WHERE e.storyline_id = ?", (storyline_id,)):
                ents = _merge_counts(ents, {int(k): v for k, v in json.loads(blob).items()}, STORYLINE_ENTITY_LIMIT)
            tables.conn.execute("UPDATE storylines SET entities = ? WHERE id = ?", (json.dumps(ents), storyline_id))
        refresh_titles(tables, event_ids.values(), line_ids.values())
        for bucket, n in tables.conn.execute("SELECT month, COUNT(*) FROM story_features GROUP BY month").fetchall():
            tables.index_reset(bucket, n)  # no index file yet: rebuilt from the stored vectors on first use
        tables.index_reset("events", tables.conn.execute("SELECT COUNT(*) FROM events WHERE centroid IS NOT NULL")
                           .fetchone()[0])
    directory = index_dir(store.path)
    if directory is not None and directory.exists():  # files of a store that had no stories are stale
        shutil.rmtree(directory)
    return placed
