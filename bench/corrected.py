"""Evaluation figures before and after an analyst's corrections file (issue 19).

An evaluation run with ``--corrections FILE`` scores the machine's answer first, then takes the file
(``storyline corrections --export FILE``) into a copy of its store, exactly as ``storyline correct apply``
does, and scores again: speakers, entities, dates, outlets and story groups as corrected (the analyses read
them from the store), dismissed positions, conflicts, claims and political events left out (as the brief
leaves them out). The store the evaluation built or was given is never changed. Results go to
``bench/results/NAME_corrections.json`` beside the usual file, with both sets of figures and what changed;
the stored minimums apply to the machine's figures only.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

#: Analysis kinds a dismissal applies to, by the name of the predictions' list.
KINDS = {"positions": "position", "conflicts": "conflict", "claims": "claim"}


def option(argv: list[str]) -> Path | None:
    """The ``--corrections FILE`` of an evaluation's arguments (``None`` when not given)."""
    if "--corrections" not in argv:
        return None
    at = argv.index("--corrections") + 1
    if at >= len(argv):
        raise SystemExit("--corrections needs a file (storyline corrections --export FILE)")
    path = Path(argv[at])
    if not path.is_file():
        raise SystemExit(f"--corrections: no file {path}")
    return path


def corrected_copy(db: str | Path, corrections: str | Path, folder: str | Path) -> tuple[str, dict[str, Any]]:
    """A copy of the store at ``db`` (SQLite's online backup) with the corrections file applied; returns its
    path and the import report ``{new, unchanged, waiting, refused}``."""
    import storyline

    dst = Path(folder) / "corrected.db"
    with sqlite3.connect(db) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    report = storyline.api.apply_corrections(corrections, dst)
    return str(dst), report


def reviewed(store: Any, predicted: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The predictions without the items dismissed in ``store`` (every item gets its stable id)."""
    from storyline.corrections import Review

    review = Review.load(store.conn)
    return {key: review.filter(KINDS[key], items)[0] if key in KINDS else items for key, items in predicted.items()}


def compare(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{figure: after - before}`` for every numeric figure both runs give."""
    return {k: round(after[k] - v, 3) for k, v in before.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and isinstance(after.get(k), (int, float))}


def report(name: str, before: dict[str, Any], after: dict[str, Any], applied: dict[str, Any],
           corrections: Path) -> None:
    """Print both runs and save ``bench/results/NAME_corrections.json``."""
    from bench.common import save

    delta = compare(before, after)
    print(f"with the corrections of {corrections.name} ({applied['new']} taken in, {applied['waiting']} waiting, "
          f"{len(applied['refused'])} refused):")
    for key, change in delta.items():
        if change:
            print(f"  {key}: {before[key]} -> {after[key]} ({change:+})")
    if not any(delta.values()):
        print("  no figure changed")
    save(f"{name}_corrections", {"corrections_file": corrections.name, "applied": applied,
                                 "before": before, "after": after, "change": delta})
