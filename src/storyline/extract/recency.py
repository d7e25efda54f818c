"""How long after the years it names a news text is written: an upper bound learned from dated news.

The cues of ``date_cues`` bound a text from below (written after the dates it tells) and the office table
bounds it from above only while a holder named is in office: most ranges ran from the latest thing the text
names to today. News, though, mostly names recent years, the more so the more recent years it names: an
article naming 2014, 2015 and 2016 was written by 2017 or so, one naming only 1964 may be from any time.
:func:`recency_cues` turns that into one cue: written by the end of the latest year named plus the number of
days within which a high share (``quantile``) of dated articles of the same kind fall, the kind being how many
distinct years the text names (1, 2, 3 or more) and how many of them lie within two years of the latest
(1, 2, 3 or more). The table is fitted on dated articles (``data/pubdate_recency.json``, written by
``bench/eval_pubdate_infer_fit.py`` from allsides-12k rows outside the evaluation sample; see
``data/pubdate_recency.md``); ``STORYLINE_RECENCY`` may point at a replacement.

Any explicit date counts (told, announced or only mentioned), outside scraped debris: a date announced far
ahead only loosens the bound (it is the latest year named), so the cue never rests on reading tense right.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..records import TimeExpr
from .daterange import DateCue, cue, debris_spans, inside

DATA = Path(__file__).resolve().parent.parent / "data"
RECENT_YEARS = 2    # a year named counts as recent when at most this many years before the latest


@lru_cache(maxsize=4)
def load_recency(path: str | None = None) -> dict:
    """The fitted table: ``{"days_after": {kind: days}, "weight": w, "quantile": q, ...}``; a broken file is a
    ``UsageError`` naming it."""
    from ..errors import UsageError

    path = path or os.environ.get("STORYLINE_RECENCY") or str(DATA / "pubdate_recency.json")
    try:
        table = json.loads(Path(path).read_text(encoding="utf-8"))
        days = {str(k): int(v) for k, v in table["days_after"].items()}
        weight, q = float(table["weight"]), float(table["quantile"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"could not read the recency table {path}: {exc}; fix the file or unset "
                         "STORYLINE_RECENCY") from exc
    return {**table, "days_after": days, "weight": weight, "quantile": q}


def years_named(text: str, times: Sequence[TimeExpr]) -> tuple[Counter, dict[int, TimeExpr]]:
    """Year -> how many explicit dates (any granularity, any tense) of that year the text names outside
    scraped debris (the year of a period's last day), and year -> the first of them."""
    from .date_cues import period

    masked = debris_spans(text)
    count: Counter = Counter()
    first: dict[int, TimeExpr] = {}
    for x in times:
        if x.basis != "explicit" or x.type not in ("DATE", "TIME") or not x.value or inside(x.start, masked):
            continue
        span = period(x.value[:10] if "T" in x.value else x.value)
        if span is not None:
            count[span[1].year] += 1
            first.setdefault(span[1].year, x)
    return count, first


def kind_of(years: Counter) -> str | None:
    """``"<distinct years, at most 3>-<recent ones, at most 3>"``, e.g. ``"3-2"``; ``None`` without a year."""
    if not years:
        return None
    latest = max(years)
    recent = sum(1 for y in years if y >= latest - RECENT_YEARS)
    return f"{min(len(years), 3)}-{min(recent, 3)}"


def recency_cues(text: str, times: Sequence[TimeExpr], today: date, floor: int | None = None,
                  table: dict | None = None) -> list[DateCue]:
    """One cue: written by the end of the latest year named plus the fitted days for the text's kind. It bounds
    from above only: its days begin at ``floor`` (the earliest day the other cues allow; none without them), so
    it never makes a range of its own nor lowers one."""
    table = table or load_recency()
    if floor is None:
        return []
    years, first = years_named(text, times)
    kind = kind_of(years)
    if kind is None or kind not in table["days_after"] or table["weight"] <= 0:
        return []
    year = max(years)
    x, days = first[year], table["days_after"][kind]
    distinct, recent = kind.split("-")
    c = cue("recency", x.text, x.start, x.end, [(floor, max(floor, date(year, 12, 31).toordinal() + days))], table["weight"],
            f"the latest year named is {year} ({distinct} years named, {recent} of them recent): "
            f"{round(100 * table['quantile'])}% of such dated articles were written within {days} days after it "
            "ended", today=today.toordinal())
    return [c] if c else []
