"""Date cues and their robust combination: the range an undated article was most likely written in.

A :class:`DateCue` is one piece of evidence with the days it allows (a union of day ranges: "Tuesday,
Nov. 6" allows one day in each year where Nov. 6 is a Tuesday) and a weight (how often such a cue holds).
:func:`combine` keeps the days allowed by the heaviest set of cues that agree: a cue contradicting the
others is dropped (and reported), never allowed to empty the range. Days are ``date.toordinal()`` numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

Span = tuple[int, int]   # first and last day (ordinals), inclusive

EARLIEST = date(1900, 1, 1).toordinal()

#: scraped debris that tells the day of the scrape, not of the text: link tooltips glued to a name
#: ("President Trump Donald John TrumpGOP senators balk at ... MORE"), newsletter and section lines, photo
#: galleries appended to the story ("Hide Caption 12 of 54 Photos: ... in May 2018")
_GLUED = re.compile(r"[a-z](?=[A-Z0-9])")   # where a tooltip is glued to the name before it
_MORE = re.compile(r"\bMORE\b")              # ... and its end, at most TOOLTIP_CHARS further on the line
TOOLTIP_CHARS = 500
_DEBRIS_LINE = re.compile(r"^.*\b(?:Sign up for|Newsletters?\b|Full Coverage:|Hide Caption|Photos:|Caption \d+ of "
                          r"\d+|FILE PHOTO)\b.*$", re.M)


def _tooltips(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The glued tooltips of the line ``text[start:end]``: from a lower-case letter glued to an upper-case one or a
    digit to the first ``MORE`` after it, at most ``TOOLTIP_CHARS`` on. Found from each ``MORE`` back (the glued
    letter nearest the previous match's end), so a line of glued words and no ``MORE`` costs one pass, not one
    window per letter."""
    out: list[tuple[int, int]] = []
    pos, previous = start, start
    for more in _MORE.finditer(text, start, end):
        at = more.start()
        # a glued letter whose first MORE is this one, not too far before it and after the last match
        glued = _GLUED.search(text, max(pos, previous, at - 1 - TOOLTIP_CHARS), at + 1)
        if glued and glued.start() < at:
            out.append((glued.start(), more.end()))
            pos = more.end()
        previous = at
    return out


def debris_spans(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` whose dates and names say nothing of when it was written: glued tooltips, and whole
    lines naming a newsletter, a gallery or a file photo (a line opening with a tooltip keeps to its tooltips)."""
    spans: list[tuple[int, int]] = []
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        tips = _tooltips(text, start, end) if "MORE" in text[start:end] else []
        line = None if tips and tips[0][0] == start else _DEBRIS_LINE.match(text, start, end)
        spans.extend([line.span()] if line else tips)
        start = end + 1
    return spans


def inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


@dataclass(frozen=True, slots=True)
class DateCue:
    """One piece of evidence about when a text was written.

    ``spans``: the days it allows, sorted and disjoint; ``start``/``end``: the offsets of the words that
    say it (``-1`` for evidence from outside the text: the URL, a neighbouring article); ``note``: what it
    means, for people ("Secretary of State Mike Pompeo: in office 2018-04-26 to 2021-01-20").
    """

    kind: str
    text: str
    start: int
    end: int
    spans: tuple[Span, ...]
    weight: float
    note: str = ""
    source: str | None = None   # the article it came from, for a neighbour's date

    @property
    def lower(self) -> int:
        return self.spans[0][0]

    @property
    def upper(self) -> int:
        return self.spans[-1][1]


@dataclass(frozen=True, slots=True)
class Combined:
    start: int
    end: int
    kept: tuple[DateCue, ...]
    dropped: tuple[DateCue, ...] = field(default=())


def spans_of(pairs: Iterable[Span], low: int = EARLIEST, high: int | None = None) -> tuple[Span, ...]:
    """Sorted, merged spans clipped to ``[low, high]``; empty ones dropped."""
    out: list[list[int]] = []
    for a, b in sorted((max(a, low), b if high is None else min(b, high)) for a, b in pairs):
        if a > b:
            continue
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def cue(kind: str, text: str, start: int, end: int, pairs: Iterable[Span], weight: float, note: str = "",
        *, today: int) -> DateCue | None:
    """A cue with its spans clipped to ``[EARLIEST, today]``; ``None`` when nothing is left."""
    spans = spans_of(pairs, EARLIEST, today)
    return DateCue(kind, text, start, end, spans, weight, note) if spans else None


def _merge_repeats(cues: Sequence[DateCue]) -> list[DateCue]:
    """Cues allowing the same days count once (the first, its weight raised a little per repeat): ten
    mentions of "President Trump" are one piece of evidence, not ten."""
    first: dict[tuple, DateCue] = {}
    count: dict[tuple, int] = {}
    for c in cues:
        key = (c.kind, c.spans)
        if key not in first or c.weight > first[key].weight:
            first[key] = c if key not in first else DateCue(c.kind, first[key].text, first[key].start,
                                                             first[key].end, c.spans, c.weight, first[key].note,
                                                             first[key].source)
        count[key] = count.get(key, 0) + 1
    out = []
    for key, c in first.items():
        n = count[key]
        w = c.weight * (1 + 0.15 * min(n - 1, 3))
        out.append(c if n == 1 else DateCue(c.kind, c.text, c.start, c.end, c.spans, round(w, 3), c.note, c.source))
    return out


SLACK = 1.0   # stretches this close to the best score count as tied: a cue of weight 1 or less (a modal year, a
#             year-less date, a copyright line) does not narrow a range alone


def combine(cues: Sequence[DateCue], today: int, slack: float | None = None) -> Combined | None:
    """The days allowed by the heaviest agreeing set of cues, as one range.

    A sweep over the cues' span ends scores every stretch of days by the total weight of the cues that
    allow it; the best stretches win. When several separate stretches tie, the range covers them all
    (a wider range that holds the day beats a narrow guess). Cues that do not allow the chosen range are
    returned as dropped. Stretches within ``slack`` of the best score count as tied: one weak cue (a
    year-less date) cannot narrow the range alone, several that agree can. ``None`` without cues.
    """
    slack = SLACK if slack is None else slack
    cues = _merge_repeats([c for c in cues if c.spans and c.weight > 0])
    if not cues:
        return None
    deltas: dict[int, float] = {}
    for c in cues:
        for a, b in c.spans:
            deltas[a] = deltas.get(a, 0.0) + c.weight
            deltas[b + 1] = deltas.get(b + 1, 0.0) - c.weight
    points = sorted(deltas)
    stretches: list[tuple[int, int, float]] = []
    level = 0.0
    for i, p in enumerate(points[:-1]):
        level += deltas[p]
        lo, hi = max(p, EARLIEST), min(points[i + 1] - 1, today)
        if lo <= hi:
            stretches.append((lo, hi, round(level, 6)))
    if not stretches:
        return None
    best = max(score for _, _, score in stretches)
    if best <= 0:
        return None
    runs: list[list[int]] = []
    for lo, hi, score in stretches:
        if score >= best - slack - 1e-9:
            if runs and runs[-1][1] + 1 == lo:
                runs[-1][1] = hi
            else:
                runs.append([lo, hi])
    start, end = runs[0][0], runs[-1][1]
    top = [(lo, hi) for lo, hi, score in stretches if score >= best - 1e-9]
    kept = tuple(c for c in cues if any(a <= r[0] and r[1] <= b for r in top for a, b in c.spans))
    dropped = tuple(c for c in cues if c not in kept)
    return Combined(start, end, kept, dropped)
