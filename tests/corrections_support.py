"""What the corrections tests share: a store of the sample corpus built once per session (its own, so that
corrections never touch the store other web tests read), copied for each test, and the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from web_support import build_store

runner = CliRunner()


@pytest.fixture(scope="session")
def corrections_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.getbasetemp() / "corrections-store")


def copy_store(src: Path, dst: Path) -> Path:
    """A consistent copy of a store (SQLite's online backup, the write-ahead log included)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


@pytest.fixture
def db(corrections_store: Path, tmp_path: Path) -> Path:
    return copy_store(corrections_store, tmp_path / "c.db")


def cli(*args: str, db: Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", str(db)])
    return result.exit_code, result.stdout, result.stderr


def cli_json(*args: str, db: Path) -> Any:
    code, out, err = cli(*args, "--format", "json", db=db)
    assert code == 0, err
    return json.loads(out)


def rows(db: Path, sql: str, *args: Any) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute(sql, args).fetchall()


def event_of(db: Path, article_id: str) -> int | None:
    got = rows(db, "SELECT event_id FROM event_articles WHERE article_id = ?", article_id)
    return got[0][0] if got else None


def event_mates(db: Path, article_id: str) -> set[str]:
    """The other articles of an article's event (what "placed together" means, whatever the ids)."""
    return {r[0] for r in rows(db, "SELECT article_id FROM event_articles WHERE event_id = (SELECT event_id FROM "
                                   "event_articles WHERE article_id = ?) AND article_id != ?", article_id, article_id)}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Everything a refused correction must leave as it was."""
    tables = ("corrections", "correction_marks", "event_articles", "events", "storylines", "quotes", "mentions",
              "entities", "entity_keys", "entity_names", "articles", "story_redirects", "entity_redirects")
    return {t: rows(db, f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}
