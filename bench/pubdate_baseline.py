"""The publication-date inference storyline had before issue 15, kept to be measured beside the new one.

From the dates a text names with a year only: from the start of the latest one told in the past tense to
the day before the earliest one announced after it, else to the end of that latest period plus three years
(never later than today). Cues, tense and window exactly as they were (``git show de399eb:src/storyline/
extract/pubdate.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from storyline.extract.date_cues import period
from storyline.records import Sentence, TimeExpr

WINDOW = timedelta(days=3 * 365)
_FUTURE = re.compile(r"\b(?:will|shall|'ll|is (?:due|set|scheduled|expected)|are (?:due|set|scheduled|expected)|"
                     r"plans? to|planned|upcoming|next|scheduled|to be held|would (?:meet|visit|travel|hold))\b", re.I)


def _future(text: str, t: TimeExpr, sentences: Sequence[Sentence]) -> bool:
    s = next((s for s in sentences if s.start <= t.start < s.end), None)
    before = text[s.start if s else max(0, t.start - 120): t.start]
    return bool(_FUTURE.search(before))


def infer_published_before_issue15(text: str, times: Sequence[TimeExpr], sentences: Sequence[Sentence] = (),
                                   today: date | None = None) -> tuple[str, str] | None:
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
    return start.isoformat(), max(start, end).isoformat()
