"""Corrections outside a store: a dataset's ``corrections`` table (Parquet) and corrections files (JSON Lines).

Both hold portable records: the audit fields and the ``spec`` (article ids, entity keys, stable item
ids), never store-local state, so another store takes them in (:func:`storyline.corrections.import_records`)
and applies them to its own ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .. import dataset as ds
from ..errors import UsageError

_NESTED = ("target", "before", "after", "spec")


def write_table(records: Iterable[dict[str, Any]], root: str | Path) -> int:
    """Write ``root/corrections/part-00000.parquet`` (empty when there are none); return the rows."""
    rows = [{**{k: r.get(k) for k in ds.CORRECTIONS.names},
             **{k: json.dumps(r.get(k) or {}, ensure_ascii=False) for k in _NESTED}} for r in records]
    folder = Path(root) / "corrections"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, ds.CORRECTIONS), folder / "part-00000.parquet")
    return len(rows)


def read_table(root: str | Path) -> list[dict[str, Any]]:
    """The records of a dataset's ``corrections`` table (none when the dataset has no such table)."""
    out = []
    for row in ds.read_rows(root, "corrections"):
        out.append({**row, **{k: json.loads(row[k]) if row.get(k) else {} for k in _NESTED}})
    return out


def read_file(path: str | Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Records of a corrections file (JSON Lines, or one JSON array) and the lines that are not records."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise UsageError(f"{path} is not valid JSON: {exc}") from None
        good = [r for r in data if isinstance(r, dict)]
        return good, [f"item {i}: not an object" for i, r in enumerate(data, 1) if not isinstance(r, dict)]
    records, bad = [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as exc:
            bad.append(f"line {n}: not JSON ({exc.msg})")
            continue
        if isinstance(value, dict):
            records.append(value)
        else:
            bad.append(f"line {n}: not a JSON object")
    return records, bad


def write_file(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
    return n
