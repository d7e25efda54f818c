"""The ``storyline`` command: thin Typer wrappers over :mod:`storyline.api`.

Exit codes: 0 success; 1 some inputs were skipped, each one recorded (ingest), or a lookup failed (no such id,
no store); 2 usage errors; 3 the run itself failed (ingest and run: the store, the disk, an interruption, a
crash).
"""

from __future__ import annotations

import os
import sys
import traceback
from enum import Enum
from typing import Annotated, Any, Optional

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from . import api
from .cli_common import (DEFAULT_DB, EXIT_FAILED, EXIT_SKIPPED, EXIT_USAGE, DbOpt, Fmt, FmtOpt, OutletOpt, SinceOpt,
                         UntilOpt, crash, err, fail)
from .cli_corrections import correct_app, corrections as _corrections
from .engines.local import IngestReport
from .errors import NotFound, StoreError, StorylineError, UsageError
from .output import render, safe
from .settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="storyline: storylines, who said what, and cited briefs from messy news input.")


class ExportFmt(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class Engine(str, Enum):
    local = "local"
    spark = "spark"


def _settings(db: str, **overrides: Any) -> Settings:
    return Settings.load(db=db, **overrides)


def _ingest_with_progress(inputs: list[str], db: str, settings: Settings, quiet: bool, **kw: Any) -> IngestReport:
    with Progress(SpinnerColumn(), TextColumn("[bold]ingest[/] {task.description}"), TimeElapsedColumn(),
                  console=err, disable=quiet, transient=False) as bar:
        task = bar.add_task("starting", total=None)

        def show(r: IngestReport) -> None:
            rate = r.processed / r.seconds if r.seconds else 0.0
            bar.update(task, description=f"{r.processed:,} documents · {rate:,.1f}/s · {r.new:,} new · "
                                         f"{r.unchanged:,} unchanged · {r.updated:,} updated · "
                                         f"{len(r.skipped):,} skipped")

        def show_stories(r: Any, queued: int) -> None:
            bar.update(task, description=f"stories · {r.placed:,} placed · {queued:,} to go · {r.new_events:,} new "
                                         f"events · {r.duplicates:,} copies")

        return api.ingest(inputs, db, settings=settings, progress=show, story_progress=show_stories, **kw)


def _print_report(report: IngestReport, fmt: Fmt, limit: int = 20) -> None:
    if fmt != Fmt.table:
        typer.echo(render(report.to_json(), fmt.value))
        return
    rate = report.processed / report.seconds if report.seconds else 0.0
    err.print(f"ingested {report.new:,} · updated {report.updated:,} · unchanged {report.unchanged:,} · "
              f"skipped {len(report.skipped):,} in {report.seconds:.1f}s ({rate:,.1f} documents/s)"
              + (" · INTERRUPTED" if report.interrupted else ""), markup=False)
    if report.failed:
        err.print(f"error: the run failed: {safe(report.failed)}; what was stored before it is kept, and a "
                  "re-run completes the rest", markup=False)
    if report.stories and report.stories.get("error"):
        err.print(f"stories: {safe(report.stories['error'])}", markup=False)
    elif report.stories:
        st = report.stories
        err.print(f"stories: placed {st['placed']:,} · {st['new_events']:,} new events · {st['new_storylines']:,} "
                  f"new storylines · {st['duplicates']:,} copies · {st['rewrites']:,} rewrites "
                  f"({st['seconds']:.1f}s)", markup=False)
    if report.skipped:
        counts = ", ".join(f"{safe(code)} {n}" for code, n in report.skip_counts().items())
        err.print(f"skipped by reason: {counts}", markup=False)
        for s in report.skipped[:limit]:  # origins and reasons quote the input: shown inert
            err.print(f"  {safe(s.origin)}: {safe(s.reason)}", markup=False, soft_wrap=True)
        if len(report.skipped) > limit:
            err.print(f"  … and {len(report.skipped) - limit} more (see `storyline errors`)", markup=False)


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, - for stdin, or http(s) URLs.")],
    db: DbOpt = DEFAULT_DB,
    include: Annotated[list[str], typer.Option("--include", help="Glob of files to read in directories.")] = [],
    exclude: Annotated[list[str], typer.Option("--exclude", help="Glob of files to leave out.")] = [],
    field: Annotated[list[str], typer.Option("--field", help="JSON field path, e.g. text=data.body.")] = [],
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="Outlet for inputs that name none.")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", help="Worker processes (default: all cores).")] = None,
    fmt: Annotated[Fmt, typer.Option("--format", "-f", help="Summary as table (stderr) or json.")] = Fmt.table,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    engine: Annotated[Engine, typer.Option("--engine", help="local (processes, into --db) or spark (--out).")] = Engine.local,
    master: Annotated[Optional[str], typer.Option("--master", help="Spark master: local[*], spark://, yarn, k8s://")] = None,
    out: Annotated[Optional[str], typer.Option("--out", "-o", help="Dataset directory the Spark engine writes.")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Let URLs and feed links reach loopback, "
                                                "private and link-local addresses (intranet).")] = False,
) -> None:
    """Ingest news from files, directories, stdin, feeds, WARC archives and URLs into the store (Spark: a dataset)."""
    try:
        settings = _settings(db, workers=workers, allow_private=allow_private or None)
        if engine == Engine.spark:
            spark_report = api.ingest_spark(inputs, out or "", master=master, settings=settings, include=include,
                                            exclude=exclude, fields=field, outlet=outlet)
            _print_spark_report(spark_report, fmt)
            raise typer.Exit(spark_report.exit_code)
        if out or master:
            raise UsageError("--out and --master are for --engine spark; the local engine writes to --db")
        report = _ingest_with_progress(inputs, db, settings, quiet, include=include, exclude=exclude,
                                       fields=field, outlet=outlet)
    except StorylineError as exc:
        fail(exc, run=True)
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as exc:
        crash(exc)
    _print_report(report, fmt)
    raise typer.Exit(report.exit_code)


def _print_spark_report(report: Any, fmt: Fmt) -> None:
    if fmt != Fmt.table:
        typer.echo(render(report.to_json(), fmt.value))
        return
    tables = ", ".join(f"{t} {n:,}" for t, n in report.tables.items())
    err.print(f"wrote {report.out}: {tables} in {report.seconds:.1f}s; load it with "
              f"`storyline load {report.out} --db PATH`", markup=False)
    if report.skipped:
        err.print("skipped by reason: " + ", ".join(f"{c} {n}" for c, n in report.skip_counts().items()), markup=False)


@app.command()
def load(
    dataset: Annotated[str, typer.Argument(help="Dataset directory (from --engine spark or export --format parquet).")],
    db: DbOpt = DEFAULT_DB,
    fmt: Annotated[Fmt, typer.Option("--format", "-f", help="Summary as table (stderr) or json.")] = Fmt.table,
) -> None:
    """Import a dataset into the store (entities resolved as in a local ingest); loading twice changes nothing."""
    try:
        report = api.load(dataset, db, settings=_settings(db))
    except StorylineError as exc:
        fail(exc)
    if fmt != Fmt.table:
        typer.echo(render(report.to_json(), fmt.value))
    else:
        err.print(f"loaded {dataset}: new {report.new:,} · updated {report.updated:,} · unchanged "
                  f"{report.unchanged:,} · skipped inputs {report.skipped:,} ({report.skipped_new:,} new)", markup=False)


@app.command()
def articles(
    article_id: Annotated[Optional[str], typer.Argument(help="Show this article (all fields, full text).")] = None,
    db: DbOpt = DEFAULT_DB, fmt: FmtOpt = Fmt.table, outlet: OutletOpt = None, since: SinceOpt = None,
    until: UntilOpt = None,
    limit: Annotated[Optional[int], typer.Option("--limit", help="At most this many.")] = None,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
) -> None:
    """List stored articles (oldest first), or show one by id."""
    try:
        if article_id:
            typer.echo(render(api.article(article_id, db).to_json(), fmt.value, kind="article"))
            return
        rows = [a.to_json(with_text=fmt != Fmt.table) for a in
                api.articles(db, outlet=outlet, since=since, until=until, limit=limit, offset=offset)]
    except StorylineError as exc:
        fail(exc)
    typer.echo(render(rows, fmt.value, columns=("id", "published", "outlet", "title")))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (FTS5 syntax allowed: \"a phrase\", OR, NOT, pre*).")],
    db: DbOpt = DEFAULT_DB, fmt: FmtOpt = Fmt.table, outlet: OutletOpt = None, since: SinceOpt = None,
    until: UntilOpt = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many hits.")] = 20,
) -> None:
    """Full-text search over titles and texts, best matches first."""
    try:
        hits = api.search(query, db, outlet=outlet, since=since, until=until, limit=limit)
    except StorylineError as exc:
        fail(exc)
    rows = [{**h.article.to_json(with_text=False), "score": round(h.score, 3), "snippet": h.snippet} for h in hits]
    typer.echo(render(rows, fmt.value, columns=("id", "published", "outlet", "title", "snippet")))


@app.command()
def export(
    db: DbOpt = DEFAULT_DB,
    fmt: Annotated[ExportFmt, typer.Option("--format", "-f", help="jsonl, csv or parquet.")] = ExportFmt.jsonl,
    out: Annotated[Optional[str], typer.Option("--out", "-o", help="Output file (default stdout; required for parquet).")] = None,
) -> None:
    """Export every article with its metadata and text."""
    try:
        n = api.export(out, db, fmt=fmt.value)
    except StorylineError as exc:
        fail(exc)
    if out not in (None, "-"):
        err.print(f"exported {n:,} articles to {out}", markup=False)


@app.command()
def entities(
    entity_id: Annotated[Optional[int], typer.Argument(help="Show this entity.")] = None,
    db: DbOpt = DEFAULT_DB, fmt: FmtOpt = Fmt.table,
    type_: Annotated[Optional[str], typer.Option("--type", help="PERSON, ORG, GPE, LOC or NORP.")] = None,
    query: Annotated[Optional[str], typer.Option("--name", help="Only entities with a name containing this.")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", help="At most this many.")] = None,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
) -> None:
    """Canonical entities (people, organisations, places) across all articles, most mentioned first."""
    try:
        if entity_id is not None:
            typer.echo(render(api.entity(entity_id, db), fmt.value if fmt != Fmt.table else "json"))
            return
        rows = api.entities(db, type_=type_, query=query, limit=limit, offset=offset)
    except StorylineError as exc:
        fail(exc)
    if fmt == Fmt.table:
        rows = [{**r, "aliases": ", ".join(r["aliases"][:6]),
                 "roles": ", ".join(sorted({x["role"] for x in r["roles"]})[:3])} for r in rows]
    typer.echo(render(rows, fmt.value, columns=("id", "name", "type", "country", "mentions", "aliases", "roles")))


@app.command()
def quotes(
    db: DbOpt = DEFAULT_DB, fmt: FmtOpt = Fmt.table,
    article: Annotated[Optional[str], typer.Option("--article", help="Only quotes from this article id.")] = None,
    speaker: Annotated[Optional[int], typer.Option("--speaker", help="Only quotes by this entity id.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="direct, partial, indirect, scare or term.")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", help="At most this many.")] = None,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
) -> None:
    """Who said what: every quote with its speaker, cue and the date it was said."""
    try:
        rows = api.quotes(db, article_id=article, speaker=speaker, kind=kind, limit=limit, offset=offset)
    except StorylineError as exc:
        fail(exc)
    if fmt == Fmt.table:
        rows = [{**r, "speaker": (r["speaker"] or {}).get("name")} for r in rows]
    typer.echo(render(rows, fmt.value, columns=("said_on", "speaker", "kind", "cue", "text")))


@app.command()
def statements(
    db: DbOpt = DEFAULT_DB, fmt: FmtOpt = Fmt.table,
    speaker: Annotated[Optional[int], typer.Option("--speaker", help="Only statements by this entity id.")] = None,
    min_articles: Annotated[int, typer.Option("--min-articles", help="Only statements carried by this many articles.")] = 1,
    limit: Annotated[Optional[int], typer.Option("--limit", help="At most this many.")] = None,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
) -> None:
    """One statement, many reports: each utterance with its variant wordings and the outlets that carried each."""
    try:
        rows = api.statements(db, speaker=speaker, min_articles=min_articles, limit=limit, offset=offset)
    except StorylineError as exc:
        fail(exc)
    if fmt == Fmt.table:
        rows = [{**r, "speaker": (r["speaker"] or {}).get("name"), "variants": len(r["variants"]),
                 "outlets": ", ".join(r["outlets"])} for r in rows]
    typer.echo(render(rows, fmt.value, columns=("said_on", "speaker", "articles", "variants", "outlets", "text")))


@app.command()
def outlets(db: DbOpt = DEFAULT_DB, fmt: FmtOpt = Fmt.table) -> None:
    """Outlets in the store with their domains and article counts."""
    try:
        with api.open_store(db, readonly=True) as store:
            rows = store.outlets()
    except StorylineError as exc:
        fail(exc)
    typer.echo(render(rows, fmt.value, columns=("name", "domain", "articles")))


@app.command()
def errors(
    db: DbOpt = DEFAULT_DB, fmt: FmtOpt = Fmt.table,
    limit: Annotated[Optional[int], typer.Option("--limit", help="At most this many.")] = None,
) -> None:
    """Inputs that were skipped, with the reason (most recent first)."""
    try:
        with api.open_store(db, readonly=True) as store:
            rows = store.errors(limit)
    except StorylineError as exc:
        fail(exc)
    typer.echo(render(rows, fmt.value, columns=("origin", "code", "reason", "count")))


@app.command()
def stories(
    db: DbOpt = DEFAULT_DB, fmt: FmtOpt = Fmt.table,
    query: Annotated[Optional[str], typer.Option("--name", help="Only storylines whose title or an event's title contains this.")] = None,
    since: SinceOpt = None, until: UntilOpt = None,
    min_articles: Annotated[int, typer.Option("--min-articles", help="Only storylines with this many articles.")] = 1,
    limit: Annotated[Optional[int], typer.Option("--limit", help="At most this many.")] = None,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
    update: Annotated[bool, typer.Option("--update", help="First place articles not yet in a story.")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="First regroup every article from scratch (new ids).")] = False,
) -> None:
    """Storylines (threads of events), the most reported first, each with its events in time order."""
    try:
        if rebuild or update:
            with api.open_store(db) as store:
                if rebuild:
                    from .engines.stories import reset_stories
                    reset_stories(store)
            report = api.update_stories(db, settings=_settings(db))
            err.print(f"placed {report.placed:,} articles: {report.new_events:,} new events, "
                      f"{report.new_storylines:,} new storylines, {report.duplicates:,} copies, "
                      f"{report.rewrites:,} rewrites ({report.seconds:.1f}s)", markup=False)
        rows = api.stories(db, limit=limit, offset=offset, query=query, since=since, until=until,
                           min_articles=min_articles)
    except StorylineError as exc:
        fail(exc)
    if fmt == Fmt.table:
        rows = [{**r, "events": len(r["events"]), "articles": r["n_articles"], "outlets": r["n_outlets"],
                 "sources": r["n_sources"]} for r in rows]
    typer.echo(render(rows, fmt.value, columns=("id", "start", "end", "events", "articles", "outlets", "sources",
                                                "title")))


@app.command()
def story(
    story_id: Annotated[int, typer.Argument(help="Storyline id (from `storyline stories`).")],
    db: DbOpt = DEFAULT_DB, fmt: FmtOpt = Fmt.table,
) -> None:
    """One storyline: its events in time order, each with the articles and outlets that reported it."""
    try:
        data = api.story(story_id, db)
    except StorylineError as exc:
        fail(exc)
    if fmt != Fmt.table:
        typer.echo(render(data, fmt.value))
        return
    typer.echo(f"storyline {data['id']}: {safe(data['title'])}\n{data['start']} – {data['end']} · {data['n_articles']} "
               f"articles · {data['n_outlets']} outlets · {data['n_sources']} independent sources\n")
    by_event: dict[int, list[dict[str, Any]]] = {}
    for a in data["articles"]:
        by_event.setdefault(a["event_id"], []).append(a)
    rows = []
    for e in data["events"]:
        for i, a in enumerate(by_event.get(e["id"], [])):
            copy = a["duplicate_kind"] or ("rewrite" if a["rewrite"] else "")
            rows.append({"event": f"{e['id']} {e['date'] or 'undated'}" if i == 0 else "",
                         "event title": e["title"] if i == 0 else "", "outlet": a["outlet"], "copy": copy,
                         "article": a["id"], "title": a["title"]})
    typer.echo(render(rows, "table", columns=("event", "event title", "outlet", "copy", "article", "title")))


class BriefFmt(str, Enum):
    md = "md"
    html = "html"
    json = "json"
    text = "text"


@app.command()
def brief(
    story_id: Annotated[int, typer.Argument(help="Storyline id (from `storyline stories`).")],
    db: DbOpt = DEFAULT_DB,
    fmt: Annotated[BriefFmt, typer.Option("--format", "-f", help="md, html, json (the machine contract) or "
                                                                 "terminal text.")] = BriefFmt.md,
) -> None:
    """A storyline's cited brief: what happened, who said what, positions, corroboration, disputes, framing."""
    try:
        out = api.brief(story_id, db, fmt.value)
    except StorylineError as exc:
        fail(exc)
    typer.echo(render(out, "json") if fmt == BriefFmt.json else str(out).rstrip("\n"))


@app.command()
def restructure(
    db: DbOpt = DEFAULT_DB, fmt: FmtOpt = Fmt.table,
    days: Annotated[int, typer.Option("--days", help="Re-examine storylines active in the last N days of the store (all their events).")] = 30,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would change, change nothing.")] = False,
) -> None:
    """Re-examine recent stories by the placement rules: split events and storylines that grew by chaining, merge what belongs together; each change with its reason."""
    try:
        changes = api.restructure(db, days=days, dry_run=dry_run)
    except StorylineError as exc:
        fail(exc)
    if fmt == Fmt.table and not changes:
        err.print("no changes", markup=False)
        return
    typer.echo(render(changes, fmt.value, columns=("action", "kind", "id", "into", "articles", "reason")))


class EventFmt(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


@app.command()
def events(
    db: DbOpt = DEFAULT_DB,
    fmt: Annotated[EventFmt, typer.Option("--format", "-f", help="table, json, jsonl, csv (flat, GDELT-like) or parquet (needs --out).")] = EventFmt.table,
    out: Annotated[Optional[str], typer.Option("--out", "-o", help="Write csv or parquet to this file.")] = None,
    storyline: Annotated[Optional[int], typer.Option("--storyline", help="Only events of this storyline id.")] = None,
    actor: Annotated[Optional[str], typer.Option("--actor", help="Only events with this actor: entity id, country code (RUS) or part of a name.")] = None,
    type_: Annotated[Optional[str], typer.Option("--type", help="Only this PLOVER type (AGREE, CONSULT, ..., ASSAULT).")] = None,
    since: SinceOpt = None, until: UntilOpt = None,
    reports: Annotated[bool, typer.Option("--reports", help="The coded clauses before deduplication (with hedging).")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", help="At most this many.")] = None,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
) -> None:
    """Political events (PLOVER): who did what to whom, one record per real-world event with its sources."""
    try:
        if fmt == EventFmt.parquet and (out is None or reports):
            raise UsageError("parquet is binary and holds deduplicated events: give --out FILE.parquet (no --reports)")
        rows = api.political_events(db, storyline=storyline, actor=actor, event_type=type_, since=since, until=until,
                                    reports=reports, limit=limit, offset=offset)
        if out is not None and fmt in (EventFmt.csv, EventFmt.parquet) and not reports:
            n = api.write_political_events(rows, out, fmt.value)
            err.print(f"wrote {n:,} events to {out}", markup=False)
            return
    except StorylineError as exc:
        fail(exc)
    except OSError as exc:
        fail(UsageError(f"cannot write {out}: {exc}"))
    if fmt == EventFmt.csv and not reports:
        from .store.polevents import FLAT_COLUMNS, flat_row
        typer.echo(render([flat_row(e) for e in rows], "csv", columns=FLAT_COLUMNS))
        return
    if fmt == EventFmt.table:
        rows = [{**r, "source": (r["source"] or {}).get("name"), "target": (r["target"] or {}).get("name"),
                 "type": r["event_type"] + (" (not)" if r["negated"] else ""),
                 "sources": r.get("sources_count", 1)} for r in rows]
    typer.echo(render(rows, fmt.value, columns=("date", "type", "source", "target", "location", "sources")))


class CodeFmt(str, Enum):
    json = "json"
    jsonl = "jsonl"


@app.command()
def code(
    file: Annotated[str, typer.Argument(help="JSON Lines ({id, text, date?}) or plain lines; - for stdin.")] = "-",
    day: Annotated[Optional[str], typer.Option("--date", help="Date (YYYY-MM-DD) of texts that give none.")] = None,
    fmt: Annotated[CodeFmt, typer.Option("--format", "-f", help="jsonl (one object per input, streamed) or json (one array).")] = CodeFmt.jsonl,
) -> None:
    """Code any text as political events (PLOVER), no store needed: one {id, events} per input line."""
    import json as _json

    failed: list[str] = []

    def on_error(_line: int, message: str) -> None:
        failed.append(message)
        err.print(f"skipped {message}", markup=False, soft_wrap=True)

    try:
        handle = sys.stdin if file == "-" else open(file, encoding="utf-8", errors="replace")
    except OSError as exc:
        fail(UsageError(f"cannot read {file}: {exc.strerror or exc}"))
    try:
        results = api.code_lines(handle, day, on_error)
        if fmt == CodeFmt.jsonl:
            for row in results:
                typer.echo(_json.dumps(row, ensure_ascii=False))
        else:
            typer.echo(_json.dumps(list(results), ensure_ascii=False, indent=1))
    except StorylineError as exc:
        fail(exc)
    finally:
        if handle is not sys.stdin:
            handle.close()
    raise typer.Exit(1 if failed else 0)


@app.command("settings")
def show_settings(db: DbOpt = DEFAULT_DB, fmt: FmtOpt = Fmt.table) -> None:
    """Every setting with its current value and help (set them in storyline.toml or STORYLINE_* variables)."""
    try:
        current = Settings.load(db=db)
    except StorylineError as exc:
        fail(exc)
    rows = [{"name": k, "value": getattr(current, k), "env": f"STORYLINE_{k.upper()}", "help": h}
            for k, h in Settings.describe().items()]
    typer.echo(render(rows, fmt.value, columns=("name", "value", "env", "help")))


@app.command()
def run(
    inputs: Annotated[Optional[list[str]], typer.Argument(help="What to ingest (default: the bundled sample corpus).")] = None,
    db: DbOpt = DEFAULT_DB,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """The main job: ingest (the sample corpus when no input is given), then show what the store holds."""
    try:
        settings = _settings(db)
        report = _ingest_with_progress(inputs or [api.sample_corpus()], db, settings, quiet)
        _print_report(report, Fmt.table, limit=5)
        with api.open_store(db, readonly=True) as store:
            outlet_rows = store.outlets()
            rows = [a.to_json(with_text=False) for a in store.articles()]
            people = store.entities(limit=10)
            shared = store.statements(min_articles=2)
        threads = api.stories(db, limit=10)
    except StorylineError as exc:
        fail(exc, run=True)
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as exc:
        crash(exc)
    typer.echo(f"{len(rows)} articles from {len(outlet_rows)} outlets in {db}\n")
    typer.echo(render(rows, "table", columns=("published", "date_source", "outlet", "title")))
    typer.echo("\nMost mentioned")
    typer.echo(render([{**e, "aliases": ", ".join(e["aliases"][:5])} for e in people], "table",
                      columns=("name", "type", "country", "mentions", "aliases")))
    typer.echo("\nStorylines (storyline stories; storyline story ID)")
    typer.echo(render([{**t, "events": len(t["events"]), "articles": t["n_articles"], "sources": t["n_sources"]}
                       for t in threads], "table", columns=("id", "start", "end", "events", "articles", "sources",
                                                              "title")))
    shared.sort(key=lambda s: (-s["articles"], s["said_on"] or ""))
    typer.echo("\nStatements carried by several outlets (storyline statements --min-articles 2)")
    typer.echo(render([{**s, "speaker": (s["speaker"] or {}).get("name"), "outlets": ", ".join(s["outlets"])}
                       for s in shared[:10]], "table", columns=("said_on", "speaker", "outlets", "text")))
    largest = api.largest_storyline(db)
    if largest is not None:
        typer.echo("")
        try:
            typer.echo(api.brief(largest, db, "text", settings=settings), nl=False)
        except StorylineError as exc:
            fail(exc)
    raise typer.Exit(report.exit_code)


@app.command()
def serve(
    db: DbOpt = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to bind; 0.0.0.0 exposes it to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
) -> None:
    """Serve the REST API (/api/, docs at /api/docs) and the web UI (/) over the store, read-only."""
    import uvicorn

    from .web import create_app

    try:
        web_app = create_app(db)
    except StorylineError as exc:
        fail(exc)
    ingest_on = " · POST /api/ingest enabled (STORYLINE_INGEST_TOKEN)" if web_app.state.ingest_token else ""
    err.print(f"serving {db} on http://{host}:{port}/ (API docs at /api/docs){ingest_on}", markup=False)
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


# analysts' corrections: `storyline correct ...` and `storyline corrections` (in cli_corrections.py)
app.add_typer(correct_app, name="correct")
app.command("corrections")(_corrections)


def main() -> None:
    try:
        app()
    except (NotFound, StoreError, UsageError) as exc:  # raised outside a command body
        err.print(f"error: {safe(exc)}", markup=False)
        sys.exit(EXIT_USAGE if isinstance(exc, UsageError) else EXIT_SKIPPED)
    except Exception as exc:  # a crash: one line, exit code 3 (STORYLINE_DEBUG=1 shows the traceback)
        if os.environ.get("STORYLINE_DEBUG"):
            traceback.print_exception(exc)
        err.print(f"error: the run failed: {type(exc).__name__}: {safe(exc)}", markup=False)
        sys.exit(EXIT_FAILED)


if __name__ == "__main__":
    main()
