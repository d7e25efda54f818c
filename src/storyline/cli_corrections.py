"""``storyline correct ...`` and ``storyline corrections``: thin Typer wrappers over the corrections API.

A refused correction (an unknown id, a conflict with a correction in force) prints one line and exits
with code 2; nothing is changed.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Optional

import typer

from . import api
from .cli_common import DEFAULT_DB, DbOpt, Fmt, FmtOpt, err, fail
from .corrections.engine import default_user
from .errors import StorylineError, UsageError
from .output import render, safe

correct_app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                          help="Correct what the machine got wrong; the fix is kept through every later run.")

ByOpt = Annotated[Optional[str], typer.Option("--by", help="Who corrects (default: your user name).")]
NoteOpt = Annotated[Optional[str], typer.Option("--note", help="Why, for the audit trail.")]
OutFmt = Annotated[Fmt, typer.Option("--format", "-f", help="table (one line) or json (the record).")]


def _compact(value: Any, width: int = 60) -> str:
    """A target/before/after object as one short line for a table."""
    if not isinstance(value, dict):
        return safe(value, width)
    parts = []
    for k, v in value.items():
        if v in (None, "", [], {}):
            continue
        if isinstance(v, dict):
            v = v.get("name") or v.get("title") or v.get("event_title") or v.get("id") or _compact(v, 30)
        elif isinstance(v, list):
            v = ", ".join(str((x or {}).get("name") or (x or {}).get("event_id") or (x or {}).get("storyline_id")
                              or (x or {}).get("id") or x) if isinstance(x, dict) else str(x) for x in v[:6])
        parts.append(f"{k}={v}")
    return safe("; ".join(parts), width)


def _run(action: str, args: dict[str, Any], db: str, by: str | None, note: str | None, fmt: Fmt) -> None:
    try:
        record = api.correct(action, args, db, by=by or default_user(), note=note)
    except StorylineError as exc:
        fail(exc)
    _show(record, fmt)


def _show(record: dict[str, Any], fmt: Fmt) -> None:
    if fmt != Fmt.table:
        typer.echo(render(record, fmt.value))
        return
    typer.echo(f"correction {record['id']}: {record['action']} {_compact(record['target'], 80)} by {record['by']} "
               f"at {record['at']}\n  before: {_compact(record['before'], 100)}\n  after:  "
               f"{_compact(record['after'], 100)}")


@correct_app.command("move-article")
def move_article(
    article_id: Annotated[str, typer.Argument(help="Article id.")],
    to_event: Annotated[Optional[int], typer.Option("--to-event", help="The event it belongs to.")] = None,
    new_event: Annotated[bool, typer.Option("--new-event", help="It is an event of its own.")] = False,
    db: DbOpt = DEFAULT_DB, by: ByOpt = None, note: NoteOpt = None, fmt: OutFmt = Fmt.table,
) -> None:
    """Put an article in another event of its storyline, or in an event of its own."""
    _run("move-article", {"article_id": article_id, "to_event": to_event, "new_event": new_event}, db, by, note, fmt)


@correct_app.command("merge-events")
def merge_events(
    keep: Annotated[int, typer.Argument(help="Event A (kept).")],
    other: Annotated[int, typer.Argument(help="Event B (joins A; its id redirects to A).")],
    db: DbOpt = DEFAULT_DB, by: ByOpt = None, note: NoteOpt = None, fmt: OutFmt = Fmt.table,
) -> None:
    """Two events are one happening: B's articles join A."""
    _run("merge-events", {"keep": keep, "other": other}, db, by, note, fmt)


@correct_app.command("merge-stories")
def merge_stories(
    keep: Annotated[int, typer.Argument(help="Storyline A (kept).")],
    other: Annotated[int, typer.Argument(help="Storyline B (joins A; its id redirects to A).")],
    db: DbOpt = DEFAULT_DB, by: ByOpt = None, note: NoteOpt = None, fmt: OutFmt = Fmt.table,
) -> None:
    """Two storylines are one thread: B's events join A."""
    _run("merge-stories", {"keep": keep, "other": other}, db, by, note, fmt)


@correct_app.command("split-story")
def split_story(
    storyline_id: Annotated[int, typer.Argument(help="Storyline id.")],
    events: Annotated[str, typer.Option("--events", help="Events that leave it, comma-separated: E1,E2,...")],
    db: DbOpt = DEFAULT_DB, by: ByOpt = None, note: NoteOpt = None, fmt: OutFmt = Fmt.table,
) -> None:
    """Some events of a storyline are another thread: they get a storyline of their own."""
    _run("split-story", {"storyline_id": storyline_id, "events": events}, db, by, note, fmt)


@correct_app.command("speaker")
def speaker(
    quote_id: Annotated[str, typer.Argument(help="Quote id (storyline quotes --format json).")],
    entity: Annotated[Optional[int], typer.Option("--entity", help="The entity who said it.")] = None,
    none: Annotated[bool, typer.Option("--none", help="It is not speech (a quoted term or title).")] = False,
    db: DbOpt = DEFAULT_DB, by: ByOpt = None, note: NoteOpt = None, fmt: OutFmt = Fmt.table,
) -> None:
    """Credit a quote to the right speaker, or say it is not speech."""
    _run("speaker", {"quote_id": quote_id, "entity_id": entity, "none": none}, db, by, note, fmt)


@correct_app.command("merge-entities")
def merge_entities(
    keep: Annotated[int, typer.Argument(help="Entity kept.")],
    other: Annotated[int, typer.Argument(help="Entity that is the same (its names, mentions, quotes move).")],
    db: DbOpt = DEFAULT_DB, by: ByOpt = None, note: NoteOpt = None, fmt: OutFmt = Fmt.table,
) -> None:
    """Two entities are one: OTHER's names, mentions and quotes move to KEEP, now and in later ingests."""
    _run("merge-entities", {"keep": keep, "other": other}, db, by, note, fmt)


@correct_app.command("split-entity")
def split_entity(
    entity_id: Annotated[int, typer.Argument(help="Entity id.")],
    mentions: Annotated[str, typer.Option("--mentions", help="Mentions that are someone else: ARTICLE_ID:START,...")],
    name: Annotated[Optional[str], typer.Option("--name", help="Name of the new entity (default: the first mention's).")] = None,
    db: DbOpt = DEFAULT_DB, by: ByOpt = None, note: NoteOpt = None, fmt: OutFmt = Fmt.table,
) -> None:
    """Some mentions of an entity are another one: they become an entity of their own."""
    _run("split-entity", {"entity_id": entity_id, "mentions": mentions, "name": name}, db, by, note, fmt)


@correct_app.command("alias")
def alias(
    entity_id: Annotated[int, typer.Argument(help="Entity id.")],
    name: Annotated[str, typer.Argument(help="A name that refers to it.")],
    db: DbOpt = DEFAULT_DB, by: ByOpt = None, note: NoteOpt = None, fmt: OutFmt = Fmt.table,
) -> None:
    """A name belongs to an entity: its mentions, now and in later ingests, resolve to it."""
    _run("alias", {"entity_id": entity_id, "name": name}, db, by, note, fmt)


@correct_app.command("dismiss")
def dismiss(
    kind: Annotated[str, typer.Argument(help="conflict, position, claim or event (a political event).")],
    item_id: Annotated[str, typer.Argument(help="Its id (the brief's JSON, storyline events --format json).")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is wrong.")] = "",
    db: DbOpt = DEFAULT_DB, by: ByOpt = None, note: NoteOpt = None, fmt: OutFmt = Fmt.table,
) -> None:
    """An analysis item is wrong: it is left out of briefs, pages and lists."""
    _run("dismiss", {"kind": kind, "id": item_id, "reason": reason}, db, by, note, fmt)


@correct_app.command("date")
def date(
    article_id: Annotated[str, typer.Argument(help="Article id.")],
    day: Annotated[str, typer.Argument(metavar="YYYY-MM-DD", help="Its publication date.")],
    db: DbOpt = DEFAULT_DB, by: ByOpt = None, note: NoteOpt = None, fmt: OutFmt = Fmt.table,
) -> None:
    """An article's publication date (date_source becomes `corrected`)."""
    _run("date", {"article_id": article_id, "date": day}, db, by, note, fmt)


@correct_app.command("outlet")
def outlet(
    article_id: Annotated[str, typer.Argument(help="Article id.")],
    name: Annotated[str, typer.Argument(help="The outlet that published it.")],
    db: DbOpt = DEFAULT_DB, by: ByOpt = None, note: NoteOpt = None, fmt: OutFmt = Fmt.table,
) -> None:
    """An article's outlet."""
    _run("outlet", {"article_id": article_id, "outlet": name}, db, by, note, fmt)


@correct_app.command("undo")
def undo(
    correction_id: Annotated[int, typer.Argument(help="Correction id (storyline corrections).")],
    db: DbOpt = DEFAULT_DB, by: ByOpt = None, note: NoteOpt = None, fmt: OutFmt = Fmt.table,
) -> None:
    """Undo a correction: the machine's answer comes back (the undo is recorded too)."""
    try:
        record = api.undo_correction(correction_id, db, by=by or default_user(), note=note)
    except StorylineError as exc:
        fail(exc)
    _show(record, fmt)


@correct_app.command("apply")
def apply(
    file: Annotated[str, typer.Argument(help="A corrections file (storyline corrections --export FILE).")],
    db: DbOpt = DEFAULT_DB, fmt: OutFmt = Fmt.table,
) -> None:
    """Take a corrections file into the store and apply it (records already here are left alone)."""
    try:
        report = api.apply_corrections(file, db)
    except StorylineError as exc:
        fail(exc)
    if fmt != Fmt.table:
        typer.echo(render(report, fmt.value))
    else:
        err.print(f"corrections: {report['new']} new · {report['unchanged']} already here · {report['waiting']} "
                  "waiting for what they name", markup=False)
        for line in report["refused"]:
            err.print(f"  skipped {line}", markup=False)
    raise typer.Exit(1 if report["refused"] else 0)


def corrections(
    db: DbOpt = DEFAULT_DB, fmt: FmtOpt = Fmt.table,
    action: Annotated[Optional[str], typer.Option("--action", help="Only this action (move-article, speaker, undo ...).")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", help="At most this many.")] = None,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
    export: Annotated[Optional[str], typer.Option("--export", help="Write every correction as a portable file (JSON Lines) for `storyline correct apply`.")] = None,
    gold: Annotated[Optional[int], typer.Option("--gold", help="Write this storyline as reviewed by analysts, as a gold file in the bench/data format.")] = None,
    out: Annotated[Optional[str], typer.Option("--out", "-o", help="File for --gold (default stdout).")] = None,
) -> None:
    """Analysts' corrections, oldest first: who, when, what, before and after, and whether it was undone."""
    try:
        if export:
            n = api.export_corrections(export, db)
            err.print(f"wrote {n:,} corrections to {export}", markup=False)
            return
        if gold is not None:
            text = json.dumps(api.gold(gold, db), ensure_ascii=False, indent=1)
            if out and out != "-":
                try:
                    with open(out, "w", encoding="utf-8") as fh:
                        fh.write(text + "\n")
                except OSError as exc:
                    raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
                err.print(f"wrote the gold file of storyline {gold} to {out}", markup=False)
            else:
                typer.echo(text)
            return
        rows = api.corrections(db, limit=limit, offset=offset, action=action)
    except StorylineError as exc:
        fail(exc)
    if fmt == Fmt.table:
        rows = [{**r, "target": _compact(r["target"]), "before": _compact(r["before"]), "after": _compact(r["after"]),
                 "at": r["at"].replace("+00:00", "Z")} for r in rows]
    typer.echo(render(rows, fmt.value, columns=("id", "at", "by", "action", "target", "before", "after", "note",
                                                "undone_at")))
