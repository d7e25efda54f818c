"""Time expressions in news text, found and normalised TIMEX3-style against a reference date: :func:`find_times`
and the resolution context (sentence bounds, tense cues, the last date mentioned) that resolvers read."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date, datetime

from ..records import Sentence, TimeExpr
from .timex_families import _FOLLOW, _GATED, _TOKEN, _TRIGGERS


# -- context: tense, anchors -------------------------------------------------------------------------------

_FUTURE_WORDS = frozenset("will shall ll gonna scheduled slated planned expected upcoming would".split())
_FUTURE_BEFORE_TO = frozenset("going set plans plan planning intends intend expects expect due is are hopes hope aims "
                              "aim".split())
_PAST_WORDS = frozenset("""said says told was were had did ago last earlier met went came took gave made held spoke saw
began left won lost fell rose sold bought paid led sent kept got found thought brought ran broke chose fought flew grew
knew became wrote stood shot fled struck hit quit put cut saying adding telling noting""".split())
_NOT_PAST = frozenset("hundred kindred sacred naked wicked beloved need indeed speed seed feed breed shed".split())
_DEADLINE = re.compile(r"\b(?:by|as\s+soon\s+as|as\s+early\s+as)\s+$", re.I)
_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9])|\n")


class _Ctx:
    """What resolution needs beyond the match: the reference, sentence bounds, and what came before."""

    def __init__(self, text: str, ref: date | None, sentences: Sequence[Sentence], keys: list[str],
                 positions: list[int]) -> None:
        self.text, self.ref, self.keys, self.positions = text, ref, keys, positions
        self._starts = [s.start for s in sentences] if sentences else None
        self._sentences = sentences
        self._breaks: list[int] | None = None
        #: last resolved date-like expression: (value, granularity, a date inside it, start, end)
        self.last: tuple[str, str, date, int, int] | None = None
        self.last_quarter: tuple[int, int, int] | None = None  # (year, q, end)
        #: set by a resolver whose date was counted from an earlier one (not an anchor for later ones)
        self.derived = False

    def bounds(self, pos: int) -> tuple[int, int]:
        if self._starts is not None:
            i = bisect_right(self._starts, pos) - 1
            if i >= 0 and pos < self._sentences[i].end:
                return self._sentences[i].start, self._sentences[i].end
        if self._breaks is None:
            self._breaks = [m.end() for m in _BREAK.finditer(self.text)]
        i = bisect_right(self._breaks, pos)
        return (self._breaks[i - 1] if i else 0), (self._breaks[i] if i < len(self._breaks) else len(self.text))

    def same_sentence(self, a: int, b: int) -> bool:
        return self.bounds(a) == self.bounds(b)

    def tense(self, start: int, end: int, deadline: bool = True) -> str | None:
        """Past or future, from the verb cue nearest the expression in its sentence (up to 25 words either
        side); ``None`` without one. Future cues: will, 'll, scheduled, plans to, would ...; past: said, was,
        past forms of common verbs, lower-case words in -ed."""
        if deadline and _DEADLINE.search(self.text, max(0, start - 14), start):
            return "future"  # "by May", "as soon as Tuesday"
        lo, hi = self.bounds(start)
        keys, positions = self.keys, self.positions
        best = None
        j = bisect_left(positions, start) - 1
        for j in range(j, max(j - 25, -1), -1):
            if positions[j] < lo:
                break
            cue = self._cue(j)
            if cue:
                best = (start - positions[j] - len(keys[j]), cue)
                break
        k = bisect_left(positions, end)
        for k in range(k, min(k + 25, len(keys))):
            if positions[k] >= hi or best and positions[k] - end >= best[0]:
                break
            cue = self._cue(k)
            if cue:
                return cue
        return best[1] if best else None

    def _cue(self, i: int) -> str | None:
        word, keys = self.keys[i], self.keys
        after = keys[i + 1] if i + 1 < len(keys) else ""
        if word in _FUTURE_WORDS or after == "to" and word in _FUTURE_BEFORE_TO or word == "won" and after == "t":
            return "future"
        if word in _PAST_WORDS or (len(word) > 4 and word.endswith("ed") and word[-3] != "e"
                                   and self.text[self.positions[i]].islower() and word not in _NOT_PAST):
            return "past"
        return None

    def anchor(self) -> tuple[str, str, date] | None:
        return self.last[:3] if self.last else None



# -- the public function -----------------------------------------------------------------------------------

_IN_RANGE = re.compile(r"(?!0000)\d{4}(?!\d)|\d{2,3}$")


def find_times(text: str, reference: date | None, *, sentences: Sequence[Sentence] = ()) -> list[TimeExpr]:
    """Time expressions in ``text``, in text order, with character offsets into it.

    ``reference`` is the date relative expressions are counted from (normally the publication date; a
    ``datetime`` counts as its date); without one their ``value`` is ``None``. ``sentences`` (offsets into
    the same text) fill each expression's ``sentence`` index and bound the tense cues read around it.

    Three steps, all plain regular expressions (compiled once, no model):

    1. at every word that can open a time expression, the pattern families keyed on that word
       (dates, weekdays, relative phrases, quarters, seasons, durations, clock times, sets; the patterns in
       ``timex_families``, their parsers in ``timex_rules`` and ``timex_relative``) try to match;
    2. overlapping proposals are settled, the longer one staying;
    3. the kept spans are normalised in text order, either from the text alone (``explicit``: "November 7,
       2024", "in 2023", "three days") or against the reference date (``relative``: "Monday", "last year",
       "November 7" without a year), reading the tense of the verbs around them and the last date the text
       mentioned ("the next day", "a year earlier").

    News reading: a bare weekday is the most recent such day on or before the reference date ("said Monday";
    the reference's own weekday is that day) unless a future cue is nearest ("will meet on Friday", "is
    scheduled for Friday": the next one on or after it); "next Friday" is the Friday of the following week.
    A year-less month or date takes the year that fits the tense, or failing that the nearest one.
    """
    if isinstance(reference, datetime):
        reference = reference.date()
    candidates = []
    triggers, gated, follow = _TRIGGERS, _GATED, _FOLLOW
    found = _TOKEN.findall(text)
    keys = ["#" if w[0].isdigit() else w.lower() for w in found]
    positions = [t.start() for t in _TOKEN.finditer(text)] if keys else []
    last = len(keys) - 1
    for i, key in enumerate(keys):
        families = triggers.get(key)
        if not families or key in gated and (i == last or keys[i + 1] not in follow):
            continue
        pos = positions[i]
        for fam in families:
            m = fam.rx.match(text, pos)
            if m is None or m.end() == pos:
                continue
            spec = fam.parse(m, text)
            if spec is not None:
                end = spec[2] if len(spec) > 2 and spec[2] is not None else m.end()
                candidates.append((pos, end, fam.prio, spec[:2]))
    kept = _settle(candidates)
    ctx = _Ctx(text, reference, sentences, keys, positions)
    starts = [s.start for s in sentences]
    out = []
    for start, end, _, (kind, resolve) in kept:
        try:
            value, gran, basis = resolve(ctx, start, end)
        except (ValueError, OverflowError):
            value, gran, basis = None, None, "relative"
        if value is not None and kind in ("DATE", "TIME") and value[-4:] != "_REF" and not _IN_RANGE.match(value):
            value = None  # counted past year 9999 or before year 1
        gran = gran if value is not None else None
        if gran is None and value is not None:
            gran = _granularity(kind, value)
        if kind == "DURATION":
            gran = "duration"
        elif kind == "SET":
            gran = "set"
        if value is not None and kind in ("DATE", "TIME") and gran not in (None, "duration", "set") \
                and not ctx.derived:
            _remember(ctx, value, gran, start, end)
        ctx.derived = False
        sentence = -1
        if sentences:
            i = bisect_right(starts, start) - 1
            if i >= 0 and start < sentences[i].end:
                sentence = sentences[i].index
        out.append(TimeExpr(start=start, end=end, text=text[start:end], type=kind, value=value,
                            granularity=gran, basis=basis, sentence=sentence))
    return out


def _settle(candidates: list) -> list:
    """Non-overlapping candidates in text order: of two that overlap, the longer one (then the family
    with the lower priority number) stays."""
    candidates.sort(key=lambda c: (c[0], c[0] - c[1], c[2]))
    kept: list = []
    for cand in candidates:
        if kept and cand[0] < kept[-1][1]:
            last = kept[-1]
            if (cand[1] - cand[0], -cand[2]) > (last[1] - last[0], -last[2]) and (
                    len(kept) < 2 or kept[-2][1] <= cand[0]):
                kept[-1] = cand
            continue
        kept.append(cand)
    return kept


def _remember(ctx: _Ctx, value: str, gran: str, start: int, end: int) -> None:
    """Keep the last date the text mentioned, for anaphoric phrases ("the next day", "a year earlier")."""
    try:
        if gran in ("day", "time"):
            d = date.fromisoformat(value[:10])
        elif gran == "week":
            d = date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
        elif gran == "month":
            d = date(int(value[:4]), int(value[5:7]), 1)
        elif gran == "quarter":
            d = date(int(value[:4]), 3 * int(value[6]) - 2, 1)
            ctx.last_quarter = (int(value[:4]), int(value[6]), end)
        elif gran == "season":
            d = date(int(value[:4]), {"SP": 4, "SU": 7, "FA": 10, "WI": 12}[value[5:7]], 1)
        elif gran == "year":
            d = date(int(value[:4]), 7, 1)
        else:
            return
    except ValueError:
        return
    ctx.last = (value, gran, d, start, end)


def _granularity(kind: str, value: str | None) -> str | None:
    if value is None or value.endswith("_REF"):
        return None
    if kind == "DURATION":
        return "duration"
    if kind == "SET":
        return "set"
    if "T" in value:
        return "time"
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return "day"
    if "-W" in value:
        return "week"
    if re.fullmatch(r"\d{4}-\d\d", value):
        return "month"
    if value[-3:-1] == "-Q":
        return "quarter"
    if value[-3:] in ("-SP", "-SU", "-FA", "-WI"):
        return "season"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    if re.fullmatch(r"\d{3}", value):
        return "decade"
    return None


def tenses(text: str, spans: Sequence[tuple[int, int]], sentences: Sequence[Sentence] = (),
           deadline: bool = True) -> list[str | None]:
    """The tense ("past", "future" or ``None``) the verbs around each ``(start, end)`` span give it, read as
    :func:`find_times` reads it (the nearest cue in the sentence); ``deadline=False``: from the verbs alone
    ("By 2010, a third of residents were Hispanic" is past, though "by" announces a deadline)."""
    if not spans:
        return []
    found = list(_TOKEN.finditer(text))
    keys = ["#" if m.group()[0].isdigit() else m.group().lower() for m in found]
    ctx = _Ctx(text, None, sentences, keys, [m.start() for m in found])
    return [ctx.tense(s, e, deadline) for s, e in spans]
