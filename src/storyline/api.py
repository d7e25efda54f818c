"""The Python API: everything the CLI does, as plain functions over a store path.

    >>> import storyline
    >>> report = storyline.ingest([storyline.sample_corpus()], db="news.db")
    >>> [a.article.title for a in storyline.articles(db="news.db", limit=3)]
"""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engines.ahead import EmbedAhead
from .engines.local import IngestReport
from .engines.local import ingest as _ingest
from .engines.local import reclean as _reclean
from .engines.stories import StoryReport
from .engines.stories import update_stories as _update_stories
from .dataset import EXPORT_COLUMNS
from .errors import NotFound, UsageError
from .ingest import ReadOptions, parse_field_overrides
from .ingest.addresses import parse_networks
from .settings import Settings
from .store import SearchHit, Store, StoredArticle
from .store import story_queries as story_tables

if TYPE_CHECKING:
    from .engines.spark import SparkReport
    from .store.dataset import LoadReport

EXPORT_FORMATS = ("jsonl", "csv", "parquet")


def sample_corpus() -> str:
    """Path of the bundled sample corpus (fictional articles in every input format)."""
    return str(Path(__file__).parent / "sample" / "corpus")


def open_store(db: str | Path | None = None, *, readonly: bool = False) -> Store:
    """Open (creating or upgrading) the store at ``db`` (default: the ``db`` setting)."""
    return Store(db or Settings.load().db, readonly=readonly)


def ingest(inputs: Sequence[str], db: str | Path | None = None, *, settings: Settings | None = None,
           include: Iterable[str] = (), exclude: Iterable[str] = (), fields: Iterable[str] = (),
           outlet: str | None = None, progress: Callable[[IngestReport], None] | None = None,
           story_progress: Callable[[StoryReport, int], None] | None = None) -> IngestReport:
    """Ingest files, directories, ``-`` (stdin) or URLs into the store; returns what happened."""
    if not inputs:
        raise UsageError("nothing to ingest: give at least one path, URL or -")
    settings = settings or Settings.load()
    options = ReadOptions(settings=settings, include=tuple(include), exclude=tuple(exclude),
                          fields=parse_field_overrides(fields), outlet=outlet)
    parse_networks(settings.allow_networks)  # a bad setting is a usage error before anything is read
    ahead = EmbedAhead() if settings.stories and settings.embed_ahead else None
    with Store(db or settings.db) as store, contextlib.ExitStack() as stack:
        if ahead:
            stack.callback(ahead.close)
        report = _ingest(list(inputs), store, options, progress=progress, ahead=ahead)
        if settings.learn_boilerplate and not report.interrupted and not report.failed:
            try:
                report.recleaned = _reclean(store, settings)
            except Exception as exc:  # the articles are stored as first cleaned; the rest stays queued
                report.failed = f"the re-clean pass failed ({type(exc).__name__}: {exc}); the articles are stored"
        if settings.stories and not report.interrupted and not report.failed:
            try:
                report.stories = _update_stories(store, settings, progress=story_progress,
                                                 **({"embedder": ahead.embed} if ahead else {})).to_json()
            except Exception as exc:   # the articles are stored; the failed batch stays queued for a re-run
                report.stories = {"error": f"story placement failed ({type(exc).__name__}: {exc}); the articles "
                                           "are stored and still queued: run `storyline stories --update`"}
        _reapply(store)
        return report


def update_stories(db: str | Path | None = None, *, settings: Settings | None = None,
                   progress: Callable[[StoryReport, int], None] | None = None) -> StoryReport:
    """Place every article not yet in a story (new or changed since the last run); return what changed."""
    settings = settings or Settings.load()
    with Store(db or settings.db) as store:
        report = _update_stories(store, settings, progress=progress)
        _reapply(store)
        return report


def stories(db: str | Path | None = None, *, limit: int | None = None, offset: int = 0, query: str | None = None,
            since: str | None = None, until: str | None = None, min_articles: int = 1) -> list[dict[str, Any]]:
    """Storylines ``{id, title, start, end, n_articles, n_outlets, n_sources, article_ids, events: [...]}``,
    the most reported first; each event ``{id, title, date, start, end, n_articles, n_outlets, n_sources,
    article_ids}`` in time order."""
    with open_store(db, readonly=True) as store:
        return story_tables.list_storylines(store.conn, limit=limit, offset=offset, query=query, since=since,
                                            until=until, min_articles=min_articles)


def story(story_id: int, db: str | Path | None = None) -> dict[str, Any]:
    """One storyline with its events, its articles (event, duplicate group, source) and articles per day."""
    with open_store(db, readonly=True) as store:
        data = story_tables.get_storyline(store.conn, int(story_id))
    if data is None:
        raise NotFound(f"no storyline {story_id}; `storyline stories` lists them")
    return data


def brief(story_id: int, db: str | Path | None = None, fmt: str = "json", *,
          settings: Settings | None = None) -> dict[str, Any] | str:
    """The cited brief of a storyline: JSON-ready data (``fmt="json"``: keys ``timeline, statements, positions,
    claims, conflicts, framing, coverage, summary``), or Markdown (``md``), HTML (``html``), terminal text
    (``text``)."""
    from . import brief as briefs

    renderers = {"md": briefs.to_markdown, "html": briefs.to_html, "text": briefs.to_text}
    if fmt != "json" and fmt not in renderers:
        raise UsageError(f"unknown brief format {fmt!r}: use json, md, html or text")
    data = story(story_id, db)
    with open_store(db, readonly=True) as store:
        built = briefs.build(data, store, settings)
    return built if fmt == "json" else renderers[fmt](built)


def largest_storyline(db: str | Path | None = None) -> int | None:
    """The id of the storyline with the most articles, or ``None`` in a store without storylines."""
    rows = stories(db, limit=1)
    return rows[0]["id"] if rows else None


def event(event_id: int, db: str | Path | None = None) -> dict[str, Any]:
    with open_store(db, readonly=True) as store:
        data = story_tables.get_event(store.conn, int(event_id))
    if data is None:
        raise NotFound(f"no event {event_id}")
    return data


def restructure(db: str | Path | None = None, *, days: int = 30, dry_run: bool = False) -> list[dict[str, Any]]:
    """Split events and storylines that grew by chaining, merge what belongs together, by the rules that
    place articles (storylines active in the last ``days``); return the changes (applied unless ``dry_run``),
    each ``{action, kind, id, into, articles, reason}``."""
    from datetime import datetime, timezone

    from .store.stories import RestructureTables
    from .stories.restructure import restructure as _restructure
    from .stories.titles import refresh_titles

    with open_store(db) as store:
        with store._transaction():
            tables = RestructureTables(store.conn, datetime.now(timezone.utc).isoformat(timespec="seconds"))
            changes = _restructure(tables, days, dry_run=dry_run)
            if changes and not dry_run:
                events = {i for c in changes if c["kind"] == "event" for i in (c["id"], c["into"]) if i is not None}
                storylines = {i for c in changes if c["kind"] == "storyline" for i in (c["id"], c["into"])
                              if i is not None}
                storylines |= {tables.event(e)["storyline_id"] for e in events}
                refresh_titles(tables, tables.live("events", events), tables.live("storylines", storylines))
        if changes and not dry_run:   # centroids changed: the event index is rebuilt from the store
            from .stories.index import index_dir
            directory = index_dir(store.path)
            if directory is not None:
                for part in ("events.usearch", "events.delta.usearch"):
                    (directory / part).unlink(missing_ok=True)
        if not dry_run:
            _reapply(store)
    return changes


def duplicates(article_id: str, db: str | Path | None = None) -> dict[str, Any]:
    """The copies (exact, near) and rewrites of one article, and the group's canonical member."""
    with open_store(db, readonly=True) as store:
        store.article(article_id)   # NotFound for an unknown id
        return story_tables.duplicates_of(store.conn, article_id)


def articles(db: str | Path | None = None, *, outlet: str | None = None, since: str | None = None,
             until: str | None = None, limit: int | None = None, offset: int = 0) -> list[StoredArticle]:
    with open_store(db, readonly=True) as store:
        return store.articles(outlet=outlet, since=since, until=until, limit=limit, offset=offset)


def article(article_id: str, db: str | Path | None = None) -> StoredArticle:
    with open_store(db, readonly=True) as store:
        return store.article(article_id)


def search(query: str, db: str | Path | None = None, *, outlet: str | None = None, since: str | None = None,
           until: str | None = None, entity: int | None = None, storyline: int | None = None, limit: int = 20,
           offset: int = 0) -> list[SearchHit]:
    """Full-text search, best first; ``entity`` and ``storyline`` (ids) keep articles that mention / belong to it."""
    with open_store(db, readonly=True) as store:
        return store.search(query, outlet=outlet, since=since, until=until, entity=entity, storyline=storyline,
                            limit=limit, offset=offset)


def outlets(db: str | Path | None = None) -> list[dict[str, Any]]:
    """Outlets ``{id, name, domain, articles}``, most articles first."""
    with open_store(db, readonly=True) as store:
        return store.outlets()


def entities(db: str | Path | None = None, *, type_: str | None = None, query: str | None = None,
             limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Canonical entities ``{id, name, type, country, aliases, roles, mentions}``, most mentioned first."""
    with open_store(db, readonly=True) as store:
        return store.entities(type_=type_, query=query, limit=limit, offset=offset)


def entity(entity_id: int, db: str | Path | None = None) -> dict[str, Any]:
    with open_store(db, readonly=True) as store:
        return store.entity(entity_id)


def quotes(db: str | Path | None = None, *, article_id: str | None = None, speaker: int | None = None,
           kind: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Quotes ``{id, article_id, text, kind, speaker: {entity_id, name} | null, cue, said_on, start, end}``."""
    with open_store(db, readonly=True) as store:
        return store.quotes(article_id=article_id, speaker=speaker, kind=kind, limit=limit, offset=offset)


def statements(db: str | Path | None = None, *, speaker: int | None = None, min_articles: int = 1,
               limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Statements: one utterance with every variant wording and the outlets that carried each."""
    with open_store(db, readonly=True) as store:
        return store.statements(speaker=speaker, min_articles=min_articles, limit=limit, offset=offset)


def export(out: str | Path | None, db: str | Path | None = None, *, fmt: str = "jsonl") -> int:
    """Write every article to ``out`` (``None`` or ``-``: stdout, not for Parquet); return how many."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    with open_store(db, readonly=True) as store:
        if fmt == "parquet":
            if out in (None, "-"):
                raise UsageError("Parquet is binary: give --out DIR (every table) or --out FILE.parquet (articles)")
            return _write_parquet(store, Path(out))  # type: ignore[arg-type]
        rows = (_export_row(a) for a in store.iter_articles())
        to_stdout = out in (None, "-")
        stream: Any = sys.stdout if to_stdout else open(out, "w", encoding="utf-8", newline="")  # type: ignore[arg-type]
        n = 0
        with contextlib.nullcontext(stream) if to_stdout else stream:
            if fmt == "csv":
                writer = csv.DictWriter(stream, fieldnames=EXPORT_COLUMNS)
                writer.writeheader()
                for n, row in enumerate(rows, 1):
                    writer.writerow(row)
            else:
                for n, row in enumerate(rows, 1):
                    stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        return n


def _export_row(a: StoredArticle) -> dict[str, Any]:
    data = a.to_json()
    inferred = data.pop("published_inferred") or {}
    data["published_inferred_from"], data["published_inferred_to"] = inferred.get("from"), inferred.get("to")
    return {k: data[k] for k in EXPORT_COLUMNS}


def _write_parquet(store: Store, path: Path) -> int:
    """A directory: the whole dataset (``storyline.dataset``); ``FILE.parquet``: its articles table alone."""
    from .store.dataset import export_dataset

    single = path.suffix.lower() == ".parquet"
    n = export_dataset(store, path, tables=("articles",) if single else None, single_file=single)["articles"]
    if not single:   # the analysts' corrections travel with the dataset
        from .corrections import export_records
        from .corrections.portable import write_table

        write_table(export_records(store.conn), path)
    return n


# -- datasets and Spark ----------------------------------------------------------------------------------

def ingest_spark(inputs: Sequence[str], out: str, *, master: str | None = None, settings: Settings | None = None,
                 include: Iterable[str] = (), exclude: Iterable[str] = (), fields: Iterable[str] = (),
                 outlet: str | None = None, spark: Any = None, partitions: int | None = None) -> "SparkReport":
    """Run the per-article pipeline on Spark (``master``: ``local[*]``, ``spark://...``, ``yarn``, ``k8s://...``;
    ``None`` under spark-submit) and write a dataset to ``out``; ``load`` brings it into a store."""
    from .engines.spark import ingest_spark as _ingest_spark

    settings = settings or Settings.load()
    options = ReadOptions(settings=settings, include=tuple(include), exclude=tuple(exclude),
                          fields=parse_field_overrides(fields), outlet=outlet)
    return _ingest_spark(list(inputs), out, options, master=master, spark=spark, partitions=partitions)


def load(dataset: str | Path, db: str | Path | None = None, *, settings: Settings | None = None) -> "LoadReport":
    """Import a dataset (written by the Spark engine or ``export --format parquet --out DIR``) into the store;
    entities are resolved and stories placed as after a local ingest; loading the same dataset twice changes
    nothing."""
    from .engines.stories import update_stories as _place_stories
    from .store.dataset import load_dataset

    settings = settings or Settings.load()
    with Store(db or settings.db) as store:
        report = load_dataset(store, dataset, batch_size=settings.batch_size)
        if settings.stories:  # as after an ingest: loaded articles join duplicate groups, events and storylines
            report.stories = _place_stories(store, settings).to_json()
        from .corrections import import_records
        from .corrections.portable import read_table

        imported = import_records(store, read_table(dataset))   # the dataset's corrections, applied here
        _reapply(store)
        report.corrections = imported.to_json()
        return report


# -- political events ------------------------------------------------------------------------------------

def political_events(db: str | Path | None = None, *, storyline: int | None = None, actor: str | int | None = None,
                     event_type: str | None = None, since: str | None = None, until: str | None = None,
                     reports: bool = False, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Political events (PLOVER), one record per real-world event: ``{id, date, source: {entity_id, name,
    country, sector}, event_type, mode, negated, target, location, sources_count, article_ids, quote_ids,
    evidence: [{article_id, start, end}]}`` in date order. Filters: ``storyline`` id, ``actor`` (entity id,
    country code such as ``RUS``, or part of a name), ``event_type`` (a PLOVER type), ``since``/``until``
    (the event's date). ``reports=True`` returns the coded clauses before deduplication instead."""
    from .corrections.dismiss import Review
    from .polevents.lexicon import PLOVER_TYPES
    from .store import polevents as pe
    from .store.search import iso_day

    if event_type and event_type.upper() not in PLOVER_TYPES:
        raise UsageError(f"event type must be one of {', '.join(PLOVER_TYPES)}, not {event_type!r}")
    filters = pe.EventFilter(storyline=storyline, actor=None if actor is None else str(actor), event_type=event_type,
                             since=iso_day(since, "since") if since else None,
                             until=iso_day(until, "until") if until else None)
    with open_store(db, readonly=True) as store:
        rows = pe.report_rows(store.conn, filters)
        review = Review.load(store.conn)
    items = [pe.report_json(r) for r in rows] if reports else review.filter("event", pe.deduplicate(rows))[0]
    return items[offset:None if limit is None else offset + limit]


def code(texts: Iterable[Any], date: str | None = None) -> list[dict[str, Any]]:
    """Code texts as political events without a store: ``texts`` are strings (ids 1, 2, ...) or
    ``{"id", "text", "date"?}`` mappings; ``date`` (``YYYY-MM-DD``) is the default date of every text.
    Returns one ``{id, events: [{event_type, mode, negated, hedged, source: {name, country, sector},
    target: {name, country, sector} | None, trigger, start, end}]}`` per text, in order, each sentence's main
    event first (``start``/``end``: the trigger's offsets in the text)."""
    from .polevents.texts import code_texts, item_of, parse_day

    default = parse_day(date, "date") if date else None
    return list(code_texts(item_of(t, i, default) for i, t in enumerate(texts, 1)))


def code_lines(lines: Iterable[str], date: str | None = None,
               on_error: Callable[[int, str], None] | None = None) -> Iterable[dict[str, Any]]:
    """``code`` over JSON Lines (``{"id", "text", "date"?}``) or plain lines (id: the line number), streamed
    in batches; a bad line goes to ``on_error(line_number, message)`` and is skipped."""
    from .polevents.texts import code_texts, parse_day, read_items

    default = parse_day(date, "--date") if date else None
    return code_texts(read_items(lines, default, on_error), on_error=on_error)


def write_political_events(events: list[dict[str, Any]], out: str | Path, fmt: str) -> int:
    """Write deduplicated events as flat GDELT-like rows (``csv``) or a Parquet file; return how many."""
    from .store.polevents import FLAT_COLUMNS, flat_row

    rows = [flat_row(e) for e in events]
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows, schema=_flat_schema(pa, FLAT_COLUMNS)), str(out))
        return len(rows)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FLAT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def _flat_schema(pa: Any, columns: Sequence[str]) -> Any:
    ints = {"source_entity_id", "target_entity_id", "sources_count", "reports"}
    return pa.schema([(c, pa.int64() if c in ints else pa.bool_() if c == "negated" else pa.string()) for c in columns])


# -- analyst corrections ---------------------------------------------------------------------------------

def _reapply(store: Store) -> None:
    """Apply the corrections in force again (after anything the machine regrouped or re-read)."""
    from .corrections import reapply

    reapply(store)


def correct(action: str, args: dict[str, Any] | None = None, db: str | Path | None = None, *, by: str | None = None,
            note: str | None = None) -> dict[str, Any]:
    """Make an analyst's correction (``action``: ``move-article``, ``merge-events``, ``merge-stories``,
    ``split-story``, ``speaker``, ``merge-entities``, ``split-entity``, ``alias``, ``dismiss``, ``date``,
    ``outlet``; ``args`` as in the README) and return its record ``{id, at, by, action, target, before, after,
    note, undone_at}``. An unknown id or a conflict with a correction in force raises
    :class:`~storyline.errors.CorrectionRefused` and changes nothing."""
    from .corrections import correct as _correct

    with open_store(db) as store:
        return _correct(store, action, args or {}, by=by, note=note).record or {}


def undo_correction(correction_id: int, db: str | Path | None = None, *, by: str | None = None,
                    note: str | None = None, settings: Settings | None = None) -> dict[str, Any]:
    """Undo a correction (the machine's answer comes back); returns the undo's own record."""
    from .corrections import undo as _undo

    settings = settings or Settings.load()
    with Store(db or settings.db) as store:
        result = _undo(store, correction_id, by=by, note=note)
        if result.replace:   # articles whose placement changed since: the story stage places them again
            _update_stories(store, settings)
            _reapply(store)
        return result.record or {}


def corrections(db: str | Path | None = None, *, limit: int | None = None, offset: int = 0,
                action: str | None = None) -> list[dict[str, Any]]:
    """Every correction, oldest first: ``{id, at, by, action, target, before, after, note, undone_at}``."""
    from .corrections import listing

    with open_store(db, readonly=True) as store:
        return listing(store.conn, limit=limit, offset=offset, action=action)


def export_corrections(out: str | Path, db: str | Path | None = None) -> int:
    """Write every correction as a portable record (JSON Lines) to ``out``; return how many."""
    from .corrections import export_records
    from .corrections.portable import write_file

    with open_store(db, readonly=True) as store:
        return write_file(export_records(store.conn), out)


def apply_corrections(path: str | Path, db: str | Path | None = None) -> dict[str, Any]:
    """Take a corrections file (from ``export_corrections``, or a dataset's) into the store and apply it;
    returns ``{new, unchanged, waiting, refused}`` (records that do not fit are reported and skipped)."""
    from .corrections import import_records
    from .corrections.portable import read_file

    records, bad = read_file(path)
    with open_store(db) as store:
        report = import_records(store, records)
    report.refused = bad + report.refused
    return report.to_json()


def gold(story_id: int, db: str | Path | None = None) -> dict[str, Any]:
    """A storyline as analysts reviewed it, as a gold file in the format of ``bench/data/real/storylines``."""
    from .corrections.gold import gold as _gold

    data = story(story_id, db)
    with open_store(db, readonly=True) as store:
        return _gold(store, data)
