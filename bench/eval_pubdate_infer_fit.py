"""Fit the recency table of publication-date inference on dated allsides-12k rows outside the evaluation sample.

``storyline.extract.recency`` bounds an undated article from above: written within some days of the end of the
latest date it names (a day, a month or a year). The days are the ``QUANTILE`` share of (publication day - end
of the latest date named) over dated articles, per granularity of that date. The rows: ``N_FIT + N_DEV`` dated
rows of allsides-12k drawn with ``FIT_SEED`` among the rows that are *not* in the 200-article evaluation sample
of ``eval_pubdate_infer`` (seed 15); the first ``N_FIT`` (in draw order) are fitted on, the other ``N_DEV``
measure the result (containment and median width of the inferred ranges, from the text alone, with and without
the recency cue). Each row loses its date and URL, as in the evaluation; the NLP stage runs on its whole text.

    python -m bench eval_pubdate_infer_fit            # fit, measure on the development rows, report
    python -m bench eval_pubdate_infer_fit --write    # ... and write src/storyline/data/pubdate_recency.json
    BENCH_PUBDATE_FIT_CACHE=/tmp/fit.pkl ...          # keep the analysed rows (re-runs skip the NLP stage)
"""

from __future__ import annotations

import json
import os
import pickle
import random
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import save, shared
from bench.eval_pubdate_infer import _ISO, split_rows

FIT_SEED = 1515
N_FIT = 1400
N_DEV = 400
QUANTILE = 0.9   # with WEIGHT below the slack of daterange.combine (1.0), the cue narrows only with another
WEIGHT = 0.6     # upper cue that agrees (an office holder, an announced date): at 0.95-0.97 and 1.5 alone it cost
#                containment on the development rows for little width (see bench/results/eval_pubdate_infer_fit.json)
MIN_ARTICLES = 30   # a kind with fewer dated articles gets no bound
TABLE = Path(__file__).resolve().parent.parent / "src" / "storyline" / "data" / "pubdate_recency.json"


def draw(background: list[dict]) -> list[dict]:
    """``N_FIT + N_DEV`` dated background rows (never the evaluation sample), in draw order."""
    today = time.strftime("%Y-%m-%d")
    dated = sorted(r["id"] for r in background if _ISO.fullmatch(r.get("published") or "") and r["published"] <= today)
    order = random.Random(FIT_SEED).sample(dated, N_FIT + N_DEV)
    by_id = {r["id"]: r for r in background}
    return [by_id[i] for i in order]


def analyse(rows: list[dict]) -> list[dict]:
    """Each row stripped of date and URL: cleaned, parsed (sentences) and its time expressions found with no
    reference date, as the NLP stage does for an undated article."""
    from storyline.extract.timex import find_times
    from storyline.ingest import ReadOptions
    from storyline.ingest.jsonl import record_to_document
    from storyline.nlp.model import load_nlp, tokenizable, within_tokens
    from storyline.pipeline import process
    from storyline.records import Article, Sentence
    from storyline.settings import Settings

    options, settings, nlp = ReadOptions(), Settings(), load_nlp()
    pairs = [(r, process(record_to_document({k: r.get(k) for k in ("outlet", "title", "text")}, r["id"], options)))
             for r in rows]
    pairs = [(r, a) for r, a in pairs if isinstance(a, Article)]
    texts = [within_tokens(nlp, tokenizable(a.text[:settings.nlp_max_chars]), settings.nlp_max_tokens)
             for _, a in pairs]
    items = []
    for (r, a), doc in zip(pairs, nlp.pipe(texts, batch_size=settings.nlp_batch_size)):
        sentences = tuple(Sentence(i, s.start_char, s.start_char + len(s.text.rstrip())) for i, s in enumerate(doc.sents))
        items.append({"id": r["id"], "truth": r["published"], "cleaning": a.published, "text": a.text,
                      "times": find_times(doc.text, None, sentences=sentences), "sentences": sentences})
    return items


def gaps(items: list[dict]) -> dict[str, list[int]]:
    """Kind of text (``recency.kind_of``) -> days from the end of the latest year it names to its publication."""
    from storyline.extract.recency import kind_of, years_named

    out: dict[str, list[int]] = {}
    for it in items:
        if it["cleaning"]:
            continue
        years, _ = years_named(it["text"], it["times"])
        kind = kind_of(years)
        if kind is not None:
            out.setdefault(kind, []).append((date.fromisoformat(it["truth"]) - date(max(years), 12, 31)).days)
    return dict(sorted(out.items()))


def quantile(values: list[int], q: float) -> int:
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def fit(items: list[dict], q: float = QUANTILE, weight: float = WEIGHT) -> dict[str, Any]:
    found = gaps(items)
    return {"what": "days from the end of the latest year an article names to its publication day, by kind of "
                    "article (distinct years named, at most 3, - how many of them within two years of the latest, "
                    f"at most 3): the {q} quantile over dated articles (storyline.extract.recency)",
            "fitted_on": f"allsides-12k: the first {N_FIT} of {N_FIT + N_DEV} dated rows drawn with seed {FIT_SEED} "
                         "outside the evaluation sample of bench/eval_pubdate_infer.py (seed 15), stripped of date "
                         "and URL",
            "quantile": q, "weight": weight,
            "days_after": {k: max(0, quantile(v, q)) for k, v in found.items() if len(v) >= MIN_ARTICLES},
            "articles": {k: len(v) for k, v in found.items()},
            "median_days_after": {k: statistics.median(v) for k, v in found.items()}}


def measure(items: list[dict], table: dict | None) -> dict[str, Any]:
    """Containment and median width of the text-only ranges with the recency cue from ``table`` (none when
    ``None``); a date the cleaning found is a one-day range."""
    from storyline.extract.pubdate import date_cues, infer_range
    from storyline.extract.recency import recency_cues

    today = date.today()
    held, widths = [], []
    for it in items:
        if it["cleaning"]:
            rng = (it["cleaning"], it["cleaning"])
        else:
            cues = [c for c in date_cues(it["text"], it["times"], it["sentences"], today=today) if c.kind != "recency"]
            floor = min((c.lower for c in cues), default=None)
            cues += recency_cues(it["text"], it["times"], today, floor, table) if table else []
            r = infer_range(cues, today)
            rng = (r.start, r.end) if r else None
        if rng:
            held.append(rng[0] <= it["truth"] <= rng[1])
            widths.append((date.fromisoformat(rng[1]) - date.fromisoformat(rng[0])).days + 1)
    return {"articles": len(items), "with_range": len(held),
            "containment": round(sum(held) / len(held), 4) if held else 0.0,
            "median_width_days": statistics.median(widths) if widths else None}


def main(argv: list[str]) -> int:
    test, background = split_rows(shared("corpus", "allsides-12k.jsonl.gz"))
    cache = os.environ.get("BENCH_PUBDATE_FIT_CACHE")
    if cache and Path(cache).exists():
        items = pickle.loads(Path(cache).read_bytes())
    else:
        rows = draw(background)
        assert not {r["id"] for r in rows} & {r["id"] for r in test}
        items = analyse(rows)
        if cache:
            Path(cache).write_bytes(pickle.dumps(items))
    fitted, dev = items[:N_FIT], items[N_FIT:]
    table = fit(fitted)
    before, after = measure(dev, None), measure(dev, table)
    print("table:", table["days_after"], "from", table["articles"])
    print(f"development rows ({len(dev)}): without the recency cue {before}; with it {after}")
    if "--write" in argv:
        TABLE.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
        print("written", TABLE)
    save("eval_pubdate_infer_fit", {"method": table["fitted_on"] + f"; measured on the next {N_DEV} rows drawn",
                                     "table": table, "development_without": before, "development_with": after})
    return 0
