"""Versioned schema migrations, each a decorated function recorded in ``schema_version`` (the migrations
themselves are in ``migrations.py``: this module is the machinery that applies them).

Opening an older store applies the missing migrations in order, each in its
own transaction; a store newer than this code is refused rather than damaged. Version numbers may have
gaps (they are reserved per piece of work) and a store may lack a lower one than its highest (a migration
merged after a higher one): every migration not recorded in ``schema_version`` is applied.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone

from ..errors import StoreError

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: dict[int, Migration] = {}


def migration(version: int) -> Callable[[Migration], Migration]:
    """Register ``fn`` as the migration that brings the store to ``version``."""

    def register(fn: Migration) -> Migration:
        if version in MIGRATIONS:
            raise RuntimeError(f"two migrations for version {version}")
        MIGRATIONS[version] = fn
        return fn

    return register


def latest_version() -> int:
    return max(MIGRATIONS)


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] or 0


def applied_versions(conn: sqlite3.Connection) -> set[int]:
    current_version(conn)   # creates the table in a new store
    return {row[0] for row in conn.execute("SELECT version FROM schema_version")}


def missing_versions(conn: sqlite3.Connection) -> list[int]:
    """The migrations this code has and the store has not applied, in order. Versions are numbered by the
    branch that wrote them and may arrive out of order (a store at 10 may still lack 8), so every missing one
    counts, not only those above the store's highest."""
    have = applied_versions(conn)
    return sorted(v for v in MIGRATIONS if v not in have)


def upgrade(conn: sqlite3.Connection) -> list[int]:
    """Apply every migration the store lacks, in order; return the versions applied."""
    have = applied_versions(conn)
    unknown = sorted(v for v in have if v not in MIGRATIONS)
    if unknown:
        newest = max(unknown)
        raise StoreError(
            f"store schema version {newest} is newer than this storyline supports ({latest_version()}); "
            "upgrade storyline" if newest > latest_version() else
            f"store schema has migration(s) {', '.join(map(str, unknown))} that this storyline does not know "
            "(written by a newer storyline); upgrade storyline"
        )
    # every migration not yet recorded, in order: numbers are reserved per feature, so a store may hold a
    # later one (12) before an earlier one (8) exists in the code it was made with
    applied = []
    for version in missing_versions(conn):
        # One transaction per migration (the connection is in autocommit mode):
        # a crash leaves the store at the previous version, never half-way.
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            conn.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                (version, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(version)
    return applied


def run_script(conn: sqlite3.Connection, sql: str) -> None:
    """Execute several statements inside the caller's transaction (unlike ``executescript``)."""
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise StoreError(f"incomplete SQL statement in migration: {statement.strip()[:60]}")


# every migration registers itself on import (after the machinery above, which it uses)
from . import migrations as _migrations  # noqa: E402,F401
