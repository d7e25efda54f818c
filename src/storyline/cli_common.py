"""What the ``storyline`` command's modules share: the error console, output formats, common options, exit
codes and the one-line failure paths (``cli`` and ``cli_corrections`` both import it; neither imports the
other's internals)."""

from __future__ import annotations

import os
import traceback
from enum import Enum
from typing import Annotated, Optional

import typer
from rich.console import Console

from .errors import StoreError, StorylineError, UsageError
from .output import safe

err = Console(stderr=True, highlight=False)


class Fmt(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


DbOpt = Annotated[str, typer.Option("--db", envvar="STORYLINE_DB", help="Path of the store (SQLite).")]
FmtOpt = Annotated[Fmt, typer.Option("--format", "-f", help="Output format; json is the machine contract.")]
OutletOpt = Annotated[Optional[str], typer.Option("--outlet", help="Only this outlet (name or domain).")]
SinceOpt = Annotated[Optional[str], typer.Option("--since", help="Published on or after YYYY-MM-DD.")]
UntilOpt = Annotated[Optional[str], typer.Option("--until", help="Published on or before YYYY-MM-DD.")]
DEFAULT_DB = "storyline.db"


EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3


def fail(exc: StorylineError, *, run: bool = False) -> None:
    """One line and the exit code: 2 for a usage error; for a run (ingest), 3 when the store failed; else 1."""
    err.print(f"error: {safe(exc)}", markup=False)
    raise typer.Exit(EXIT_USAGE if isinstance(exc, UsageError)
                     else EXIT_FAILED if run and isinstance(exc, StoreError) else EXIT_SKIPPED)


def crash(exc: BaseException) -> None:
    """An error nobody foresaw: one line (the traceback with STORYLINE_DEBUG=1) and exit code 3."""
    if os.environ.get("STORYLINE_DEBUG"):
        traceback.print_exception(exc)
    err.print(f"error: the run failed: {type(exc).__name__}: {safe(exc)}", markup=False)
    raise typer.Exit(EXIT_FAILED)
