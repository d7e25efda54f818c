"""When a quote was said: a day the text gives in the quote's sentence ("said Monday", "on December 9"),
else the article's publication date, with which of the two applies."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from ..records import Quote, Sentence, TimeExpr

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date_quotes(quotes: Sequence[Quote], times: Sequence[TimeExpr], published: str | None,
                sentences: Sequence[Sentence] = ()) -> list[Quote]:
    """``quotes`` with ``said_on``/``said_on_basis`` filled.

    A resolved day in the same sentence as the quote's cue (or the quote, when it has no cue) and
    outside any quoted words (its own, or a quote it is nested in) is when it was said; the closest one to the cue wins. Otherwise the
    publication date, basis ``publication``; ``None`` when the article has no date either.
    """
    # a day, or a time of day ("Tuesday night": 2025-01-07TNI) whose day is known
    days: dict[int, list[TimeExpr]] = defaultdict(list)   # by sentence, in order
    for t in times:
        if t.value and _DAY.match(t.value[:10]) and t.type in ("DATE", "TIME"):
            days[t.sentence].append(replace(t, value=t.value[:10]))
    # sentences in order without overlaps (as the NLP stage gives them) are found by bisection, not one by one
    # for every quote (quadratic in a long article of many quotes)
    ordered = all(a.end <= b.start for a, b in zip(sentences, sentences[1:]))
    starts = [s.start for s in sentences]
    # a day inside anyone's quoted words is what they spoke of ("comparing this to September 11th"), not when a
    # quote nested in them, or beside them, was said
    quoted = [(q.start, q.end) for q in quotes if q.kind in ("direct", "partial")]
    out = []
    for q in quotes:
        anchor = q.cue_start if q.cue_start is not None else q.start
        if ordered:
            at = bisect_right(starts, anchor) - 1
            sentence = sentences[at].index if at >= 0 and anchor < sentences[at].end else q.sentence
        else:
            sentence = next((s.index for s in sentences if s.start <= anchor < s.end), q.sentence)
        candidates = [t for t in days.get(sentence, ()) if sentence >= 0 and not (q.start <= t.start < q.end)
                      and not any(s <= t.start < e for s, e in quoted)]
        if candidates:
            best = min(candidates, key=lambda t: abs(t.start - anchor))
            out.append(replace(q, said_on=best.value, said_on_basis=best.basis))
        elif published:
            out.append(replace(q, said_on=published, said_on_basis="publication"))
        else:
            out.append(replace(q, said_on=None, said_on_basis=None))
    return out
