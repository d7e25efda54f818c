"""The story stage over a store: drain the queue of new articles into duplicates, events and storylines.

Runs after ingest (and on its own with ``storyline stories --update``): articles are taken from the
store's queue in batches, their features computed (shingles, MinHash, embedding), each placed by
:class:`storyline.stories.assign.Assigner` in date order, titles refreshed for the events and
storylines touched, and the batch committed in one transaction before the vector indexes are
saved. A killed run loses at most the batch in flight: the queue still holds it, and indexes that
disagree with the store are rebuilt from it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ..clean.lead import dateline_only
from ..records import Assignment, Skip, StoryArticle
from ..settings import Settings
from ..store import Store
from ..store import vectors as sentence_vectors
from ..store.stories import StoryTables
from ..stories import dedup
from ..stories.assign import Assigner, StoryParams
from ..stories.dating import date_from_neighbours
from ..stories.embed import embed, sentence_input, story_text
from ..stories.headline import candidate_keys, headline_entities, repeats_title
from ..stories.index import VectorIndex, index_dir
from ..stories.terms import terms
from ..stories.titles import refresh_titles

INFERRED_MAX_DAYS = 31   # an inferred publication range narrower than this gives a usable day
TERM_CHARS = 3000        # characters of an article whose words are its topic terms
NEAREST_DATED = 10       # dated articles an undated one is compared with, found by its embedding
NEAREST_MONTHS = 120     # month indexes searched for them at most (an inferred range of up to ten years)


@dataclass
class StoryReport:
    placed: int = 0
    new_events: int = 0
    new_storylines: int = 0
    duplicates: int = 0
    rewrites: int = 0
    undated: int = 0
    dated_by_neighbours: int = 0
    seconds: float = 0.0
    rebuilt_indexes: list[str] = field(default_factory=list)

    def add(self, a: Assignment, undated: bool) -> None:
        self.placed += 1
        self.new_events += a.new_event
        self.new_storylines += a.new_storyline
        self.duplicates += a.duplicate_of is not None
        self.rewrites += a.rewrite_of is not None
        self.undated += undated

    def to_json(self) -> dict[str, Any]:
        return {"placed": self.placed, "new_events": self.new_events, "new_storylines": self.new_storylines,
                "duplicates": self.duplicates, "rewrites": self.rewrites, "undated": self.undated,
                "dated_by_neighbours": self.dated_by_neighbours,
                "seconds": round(self.seconds, 3), "rebuilt_indexes": self.rebuilt_indexes}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def story_day(row: dict[str, Any]) -> tuple[str | None, str]:
    """The day an article is grouped by, and its basis: published, inferred (narrow range), range (a wider
    inferred range: no day, grouped within the range) or none."""
    if row.get("published"):
        return row["published"][:10], "published"
    lo, hi = row.get("published_from"), row.get("published_to")
    if lo and hi:
        a, b = date.fromisoformat(lo[:10]), date.fromisoformat(hi[:10])
        if (b - a).days <= INFERRED_MAX_DAYS:
            return (a + (b - a) / 2).isoformat(), "inferred"
        return None, "range"
    return None, "none"


def story_article(row: dict[str, Any], grams: set[bytes], top: int) -> StoryArticle:
    """What the assigner knows of a queued article (its entities the ``top`` most mentioned)."""
    day, basis = story_day(row)
    ents = dict(sorted(row["entities"].items(), key=lambda kv: -kv[1])[:top])
    lo, hi = (row["published_from"][:10], row["published_to"][:10]) if basis == "range" else (None, None)
    return StoryArticle(article_id=row["id"], content_hash=row["content_hash"], title=row["title"], day=day,
                        day_basis=basis, month=day[:7] if day else "undated", outlet_id=row["outlet_id"],
                        shingles=len(grams), entities=ents, statements=frozenset(row["statements"]),
                        day_from=lo, day_to=hi, terms=terms(f"{row['title'] or ''}\n{row['text'][:TERM_CHARS]}"))


def add_headline_entities(tables: StoryTables, rows: list[dict[str, Any]]) -> None:
    """Each queued article's headline names as one more mention each (:mod:`storyline.stories.headline`):
    a title read off the text's first line is not in the text the NLP stage read."""
    runs = {r["id"]: candidate_keys(r["title"]) for r in rows if not repeats_title(r["title"], r["text"])}
    known = tables.entities_of_keys(k for c in runs.values() for keys in c.values() for k in keys)
    for r in rows:
        for entity in headline_entities(runs.get(r["id"], {}), known):
            r["entities"][entity] = r["entities"].get(entity, 0) + 1


def nearest_dated(index: VectorIndex, tables: StoryTables, a: StoryArticle, vector: Any
                  ) -> list[tuple[str, str, float, dict[int, int]]]:
    """An undated article's nearest dated articles in the months its inferred range allows (the story stage
    searches an undated article's neighbours among undated ones and event centroids only; a dated report of
    the same days sits in a month index): ``(article_id, published day, cosine, entities)``, best first. At
    most ``NEAREST_MONTHS`` month indexes are searched; a wider range (or none) searches none."""
    lo, hi = (a.day_from, a.day_to) if a.day_basis == "range" else (a.day, a.day)
    if not lo or not hi:
        return []
    first, last = date.fromisoformat(lo[:10]), date.fromisoformat(hi[:10])
    if a.day_basis == "inferred":   # the range was narrow: its middle day was kept
        first, last = first - timedelta(days=INFERRED_MAX_DAYS), last + timedelta(days=INFERRED_MAX_DAYS)
    months = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month) and len(months) <= NEAREST_MONTHS:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if len(months) > NEAREST_MONTHS:
        return []
    hits = index.search(vector, months, NEAREST_DATED)
    found = tables.neighbours([k for k, _ in hits])
    published = tables.published_of([n.article_id for n in found.values()]) if found else {}
    return [(n.article_id, published[n.article_id][:10], cos, n.entities) for k, cos in hits
            if (n := found.get(k)) is not None and n.article_id != a.article_id and published.get(n.article_id)]


def open_index(store: Store, tables: StoryTables) -> VectorIndex:
    return VectorIndex(index_dir(store.path), counts=tables.index_count, loader=tables.month_vectors,
                       count=tables.index_add, recount=tables.index_reset)


def update_stories(store: Store, settings: Settings | None = None, *, params: StoryParams | None = None,
                   progress: Callable[[StoryReport, int], None] | None = None,
                   embedder: Callable[[list[str]], Any] = embed) -> StoryReport:
    """Place every queued article; return what changed. ``progress(report, still_queued)`` after each batch;
    ``embedder`` turns texts into unit vectors (the MiniLM model unless an evaluation caches it).

    A batch that fails is placed again one article at a time: an article that fails on its own while others
    place is taken off the queue and recorded (``internal``, in ``storyline errors``); when every one fails
    the failure is the stage's, not an article's, and it is raised with the queue left as it was.
    """
    settings = settings or Settings()
    params = params or StoryParams()
    report = StoryReport()
    started = time.perf_counter()
    tables = StoryTables(store.conn, _now())
    index = open_index(store, tables)
    while True:
        rows = tables.pending(settings.story_batch_size)
        if not rows:
            break
        try:
            _place(store, tables, index, rows, params, embedder, report)
        except Exception as exc:
            if len(rows) == 1 or isinstance(exc, (sqlite3.Error, OSError)):
                raise
            failed = []
            for row in rows:
                try:
                    _place(store, tables, index, [row], params, embedder, report)
                except Exception as one:
                    if isinstance(one, (sqlite3.Error, OSError)):
                        raise
                    failed.append((row["id"], one))
            if len(failed) == len(rows):
                raise
            _set_aside(store, tables, failed)
        if progress:
            progress(report, tables.queued())
    report.seconds = time.perf_counter() - started
    return report


def _place(store: Store, tables: StoryTables, index: VectorIndex, rows: list[dict[str, Any]], params: StoryParams,
           embedder: Callable[[list[str]], Any], report: StoryReport) -> None:
    """Place ``rows`` in one transaction, then save the indexes; the report counts them once committed."""
    placed = []
    with store._transaction():
        tables.now = _now()
        add_headline_entities(tables, rows)
        grams = [dedup.shingles(r["text"]) for r in rows]
        vectors = embedder([story_text(r["title"], r["text"]) for r in rows])
        items = [(story_article(r, g, params.top_entities), g, v) for r, g, v in zip(rows, grams, vectors)]
        items.sort(key=lambda it: (it[0].day is None, it[0].day or ""))
        assigner = Assigner(tables, index, params)
        try:
            for a, g, v in items:
                assignment = assigner.assign(a, g, v)
                near = nearest_dated(index, tables, a, v) if a.day_basis != "published" else []
                placed.append((assignment, a.day is None, len(date_from_neighbours(tables, a, assignment, near))))
            refresh_titles(tables, assigner.touched_events, assigner.touched_storylines)
            _lead_vectors(store, [r["id"] for r in rows], embedder)
            tables.dequeue(r["id"] for r in rows)
            index.compact()
        except BaseException:
            index.forget()
            raise
    index.save()
    for assignment, undated, dated in placed:
        report.add(assignment, undated)
        report.dated_by_neighbours += dated
    report.rebuilt_indexes = sorted(set(report.rebuilt_indexes) | set(index.rebuilt))


LEAD_VECTORS = 5  # sentences per article whose vectors the story stage stores


def _lead_vectors(store: Store, ids: list[str], embedder: Callable[[list[str]], Any]) -> None:
    """Each placed article's first ``LEAD_VECTORS`` sentences (a bare dateline is no sentence here) embedded as a
    brief embeds a sentence, and stored (``store.vectors``): a long storyline's brief compares the leads of
    its articles first (at 5,000 articles, the first five sentences of the 600 it reads) and finds them
    ready. About 4% of an ingest's CPU."""
    leads: list[tuple[str, str, int, str]] = []
    taken: dict[str, int] = {}
    for aid, chash, start, text in sentence_vectors.first_sentences(store.conn, ids, LEAD_VECTORS + 1):
        if taken.get(aid, 0) < LEAD_VECTORS and text.strip() and not dateline_only(text):
            taken[aid] = taken.get(aid, 0) + 1
            leads.append((aid, chash, start, text))
    if leads:
        found = embedder([sentence_input(text) for _aid, _chash, _start, text in leads])
        sentence_vectors.save(store.conn, [(aid, start, chash, v) for (aid, chash, start, _), v in zip(leads, found)])


def _set_aside(store: Store, tables: StoryTables, failed: list[tuple[str, Exception]]) -> None:
    """Take articles that cannot be placed off the queue, each recorded with why (they stay stored)."""
    skips = []
    for article_id, exc in failed:
        origin = store.article(article_id).article.origin
        skips.append(Skip(origin, "internal", f"{origin}: stored as article {article_id} but not placed in a story: "
                                              f"{type(exc).__name__}: {str(exc)[:300]}"))
    with store._transaction():
        tables.dequeue(article_id for article_id, _ in failed)
    store.write_batch([], skips)


STORY_TABLES = ("event_articles", "events", "storylines", "duplicates", "sources", "lsh_buckets", "story_members",
                "story_months", "story_index", "story_entity_df", "story_term_df", "story_features", "story_redirects")


def reset_stories(store: Store) -> int:
    """Forget every story placement and queue all articles again (``storyline stories --rebuild``)."""
    import shutil

    with store._transaction():
        for table in STORY_TABLES:
            store.conn.execute(f"DELETE FROM {table}")
        store.conn.execute("INSERT OR IGNORE INTO story_queue (article_id) SELECT id FROM articles")
        n = store.conn.execute("SELECT COUNT(*) FROM story_queue").fetchone()[0]
    directory = index_dir(store.path)
    if directory is not None and directory.exists():
        shutil.rmtree(directory)
    return n
