"""A publication-date range for an article that has no date: what its words, its URL and world knowledge say.

1. cues from the text (``date_cues``): dates it tells and announces, year-less dates, "last year's 2016
   election", elections, anniversaries, elapsed times, a copyright year, a date in the URL;
2. cues from world knowledge (``offices``): office holders named with their title ("Secretary of State
   Mike Pompeo", "former President Obama", "President-elect Biden"), deaths ("the late Justice Scalia"),
   events that name themselves ("the Parkland shooting");
3. how news is written (``recency``): an article is written within some time of the latest year it names,
   the less the more recent years it names (a table fitted on dated articles); this cue only bounds from
   above, and is too weak to do so alone: it narrows a range when another upper cue agrees;
4. the heaviest set of cues that agree gives the range (``daterange.combine``): a cue contradicting the
   others is dropped, never allowed to empty it; several equally supported stretches give one range over
   them all (a range that holds the day beats a narrow guess).

The story stage narrows it later when a dated copy, rewrite or same-event article is found
(``storyline.stories.dating``). The result is stored as *inferred*, with its basis and every cue (offsets
into the text); it is never shown as an explicit date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..records import DateEvidence, Sentence, TimeExpr
from .date_cues import period, text_cues, url_cues
from .daterange import EARLIEST, DateCue, combine
from .offices import event_cues, office_cues
from .recency import recency_cues

__all__ = ["DateRange", "date_cues", "infer_published", "infer_range", "period", "evidence_of", "cue_of"]

NEIGHBOUR_BASIS = {"copy": "copy", "rewrite": "rewrite", "event-member": "event"}
MAX_DROPPED = 12


@dataclass(frozen=True, slots=True)
class DateRange:
    start: str
    end: str
    basis: str = "text"
    evidence: tuple[DateEvidence, ...] = ()


def date_cues(text: str, times: Sequence[TimeExpr], sentences: Sequence[Sentence] = (), *, url: str | None = None,
              today: date | None = None) -> list[DateCue]:
    """Every cue to when ``text`` was written (``times``: its time expressions found with no reference date)."""
    today = today or date.today()
    cues = [*url_cues(url, today), *text_cues(text, times, sentences, today), *office_cues(text, today),
            *event_cues(text, today)]
    floor = min((c.lower for c in cues), default=None)
    return cues + recency_cues(text, times, today, floor)


def infer_published(text: str, times: Sequence[TimeExpr], sentences: Sequence[Sentence] = (), *,
                    url: str | None = None, today: date | None = None) -> DateRange | None:
    """The range an undated article was most likely published in, or ``None`` when nothing bounds it from below."""
    today = today or date.today()
    return infer_range(date_cues(text, times, sentences, url=url, today=today), today)


def infer_range(cues: Sequence[DateCue], today: date) -> DateRange | None:
    """Combine cues into a range with its basis and evidence (kept cues, then up to ``MAX_DROPPED`` dropped)."""
    found = combine(cues, today.toordinal())
    if found is None or found.start <= EARLIEST:
        return None
    kinds = {c.kind for c in found.kept}
    basis = next((b for k, b in NEIGHBOUR_BASIS.items() if k in kinds), "text")
    heaviest = sorted(found.dropped, key=lambda c: -c.weight)[:MAX_DROPPED]
    evidence = tuple(evidence_of(c, True) for c in sorted(found.kept, key=lambda c: (c.start < 0, c.start))) + \
        tuple(evidence_of(c, False) for c in heaviest)
    return DateRange(date.fromordinal(found.start).isoformat(), date.fromordinal(found.end).isoformat(), basis,
                     evidence)


def evidence_of(c: DateCue, kept: bool) -> DateEvidence:
    return DateEvidence(kind=c.kind, text=c.text, start=c.start, end=c.end,
                        spans=tuple((date.fromordinal(a).isoformat(), date.fromordinal(b).isoformat())
                                    for a, b in c.spans), weight=c.weight, note=c.note, kept=kept, article_id=c.source)


def cue_of(e: DateEvidence) -> DateCue:
    """The cue an evidence record was made from (to combine it again with new cues)."""
    return DateCue(e.kind, e.text, e.start, e.end,
                   tuple((date.fromisoformat(a).toordinal(), date.fromisoformat(b).toordinal()) for a, b in e.spans),
                   e.weight, e.note, e.article_id)
