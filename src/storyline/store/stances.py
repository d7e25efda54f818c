"""Stated positions in the store (table ``stances``): written with an article's analysis, read per storyline
with holders and reporters resolved to canonical entities through the mentions they are."""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate
from typing import Any

from ..records import Analysis, Stance
from .stories import chunked

_COLUMNS = Stance.__slots__


def _containing(spans: dict[tuple[int, int], str]) -> Callable[[int], str | None]:
    """A look-up of the value of the first span of ``spans`` (in its order) holding an offset: by bisection over the
    spans sorted by start (every span tried for every stance was quadratic in an article's quotes)."""
    ordered = sorted((a, b, k, v) for k, ((a, b), v) in enumerate(spans.items()))
    starts = [a for a, *_ in ordered]
    reach = list(accumulate((b for _, b, *_ in ordered), max))

    def find(at: int) -> str | None:
        hits = [s for s in ordered[bisect_right(reach, at):bisect_right(starts, at)] if at < s[1]]
        return min(hits, key=lambda s: s[2])[3] if hits else None

    return find


def write_stances(conn: sqlite3.Connection, article_id: str, analysis: Analysis,
                  quote_ids: dict[tuple[int, int], str]) -> None:
    """Replace an article's stances; ``quote_ids`` maps a quote's ``(start, end)`` to its id."""
    conn.execute("DELETE FROM stances WHERE article_id = ?", (article_id,))
    rows = []
    quote_of = _containing(quote_ids)
    for idx, s in enumerate(analysis.stances):
        quote = quote_of(s.cue_start)
        rows.append((article_id, idx, *(getattr(s, c) for c in _COLUMNS), quote))
    marks = ",".join("?" * (len(_COLUMNS) + 3))
    conn.executemany(f"INSERT INTO stances (article_id, idx, {', '.join(_COLUMNS)}, quote_id) VALUES ({marks})", rows)


#: What ``stance_rows`` yields per stance, in this order.
READ_COLUMNS = ("article_id", "idx", *_COLUMNS, "quote_id", "holder_entity_id", "holder_entity",
                "holder_entity_type", "holder_country", "reported_by_entity_id", "reported_by_entity")


def stance_rows(conn: sqlite3.Connection, ids: Sequence[str]) -> Iterator[dict[str, Any]]:
    """The stances of these articles (``READ_COLUMNS``), in article then text order; a holder or reporter
    that is a named-entity mention carries its canonical entity's id, name, type and country."""
    cols = ", ".join(f"s.{c}" for c in ("article_id", "idx", *_COLUMNS, "quote_id"))
    for chunk in chunked(list(ids)):
        marks = ",".join("?" * len(chunk))
        cur = conn.execute(
            f"SELECT {cols}, hm.entity_id, he.name, he.type, he.country, rm.entity_id, re.name FROM stances s "
            "LEFT JOIN mentions hm ON hm.article_id = s.article_id AND hm.start = s.holder_mention "
            "LEFT JOIN entities he ON he.id = hm.entity_id "
            "LEFT JOIN mentions rm ON rm.article_id = s.article_id AND rm.start = s.reported_by_mention "
            "LEFT JOIN entities re ON re.id = rm.entity_id "
            f"WHERE s.article_id IN ({marks}) ORDER BY s.article_id, s.start", chunk)
        for row in cur:
            out = dict(zip(READ_COLUMNS, row))
            out["in_quote"] = bool(out["in_quote"])
            yield out
