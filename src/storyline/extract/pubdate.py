"""A publication-date range for an article that has no date, inferred from the dates its text names.

Only explicit expressions count (with no publication date, "Monday" or "last year" have nothing to
resolve against). A report is written after the events it narrates in the past tense and before
those it announces ("is scheduled to visit on 16 January 2025"), so:

- from: the start of the latest past-tense date named;
- to: the day before the earliest future-tense date named after it, else the end of that latest
  period plus a window (reports recall events years back: a text naming "the fall of 2022" may
  well be from 2024), never later than today.

Ranges from text alone are wide; the dates of other articles in the same story narrow them later.

The result is stored as *inferred*, with its range; it is never shown as an explicit date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..records import Sentence, TimeExpr

WINDOW = timedelta(days=3 * 365)
_FUTURE = re.compile(r"\b(?:will|shall|'ll|is (?:due|set|scheduled|expected)|are (?:due|set|scheduled|expected)|"
                     r"plans? to|planned|upcoming|next|scheduled|to be held|would (?:meet|visit|travel|hold))\b", re.I)
_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


@dataclass(frozen=True, slots=True)
class DateRange:
    start: str
    end: str
    basis: str = "inferred"


def period(value: str | None) -> tuple[date, date] | None:
    """The first and last day of a TIMEX value (day, week, month, season, quarter, year); else ``None``."""
    if not value:
        return None
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            y, mo = int(m[1]), int(m[2])
            return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            start = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return start, start + timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
            y, (a, b) = int(m[1]), _SEASONS[m[2]]
            end_y, end_m = (y + 1, b - 12) if b > 12 else (y, b)
            return date(y, a, 1), date(end_y, end_m, calendar.monthrange(end_y, end_m)[1])
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            y, q = int(m[1]), int(m[2])
            return date(y, 3 * q - 2, 1), date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
        if m := re.fullmatch(r"(\d{4})", value):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def _future(text: str, t: TimeExpr, sentences: Sequence[Sentence]) -> bool:
    s = next((s for s in sentences if s.start <= t.start < s.end), None)
    before = text[s.start if s else max(0, t.start - 120): t.start]
    return bool(_FUTURE.search(before))


def infer_published(text: str, times: Sequence[TimeExpr], sentences: Sequence[Sentence] = (),
                    today: date | None = None) -> DateRange | None:
    """The range an undated article was most likely published in, or ``None`` when its text names no date."""
    past, future = [], []
    for t in times:
        if t.basis != "explicit" or t.type not in ("DATE", "TIME"):
            continue
        span = period(t.value[:10] if t.value and "T" in t.value else t.value)
        if span:
            (future if _future(text, t, sentences) else past).append(span)
    if not past:
        return None
    start = max(p[0] for p in past)
    latest_end = max(p[1] for p in past if p[0] == start)
    end = min(latest_end + WINDOW, today or date.today())
    later = [f[0] for f in future if f[0] > start]
    if later:
        end = min(end, min(later) - timedelta(days=1))
    return DateRange(start.isoformat(), max(start, end).isoformat())
