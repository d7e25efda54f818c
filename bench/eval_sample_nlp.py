"""Who said what, and when, on the sample corpus's ``gold.json``.

- quotes: recall (a stored quote covers >= 50% of the labelled quote) and precision (stored speech
  quotes that cover a labelled quote), by kind; speaker accuracy on found quotes (the stored speaker
  entity names the labelled speaker, or any of its aliases); said-on accuracy on found quotes whose
  label gives a day;
- not speech: share of labelled scare quotes and quoted terms kept out of speech;
- statements: B-cubed of the statement grouping of labelled quotes carried by several articles;
- dates: recall of labelled time expressions (overlap) and value accuracy on the found ones.

    python -m bench eval_sample_nlp
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from bench.common import check_minimums, save
from bench.eval_sample import gold_path, match_articles
from bench.scoring import bcubed, overlap as _overlap

SPEECH = {"direct", "partial", "indirect"}
COUNTRIES = {"RUS": "Russia", "UKR": "Ukraine", "USA": "United States", "ROU": "Romania", "MDA": "Moldova",
             "EU": "European Union", "FRA": "France", "GBR": "United Kingdom", "DEU": "Germany", "TUR": "Turkey"}


def _span(text: str, needle: str) -> tuple[int, int] | None:
    i = text.find(needle)
    if i < 0:
        i = text.find(needle.strip(" .,"))
        needle = needle.strip(" .,")
    return (i, i + len(needle)) if i >= 0 else None


def _located(labels: list[dict], texts: dict[str, str], found: dict[str, list[dict]], tight: bool = False):
    """Each label found in its article's text, with its span and the stored item overlapping it most."""
    for g in labels:
        key = g["article"]
        span = _span(texts[key], g["text"]) if key in texts else None
        if span is None:
            continue
        # the stored item covering most of the label; with ``tight``, the one fitting it best (overlap over
        # union: a short scare quote is matched to the scare quote found there, not to a long report around it)
        best = max(found[key], key=lambda x: _overlap(span, (x["start"], x["end"])) /
                   ((max(span[1], x["end"]) - min(span[0], x["start"])) if tight else 1), default=None)
        share = _overlap(span, (best["start"], best["end"])) / max(1, span[1] - span[0]) if best else 0.0
        yield g, key, best, share


def main(argv: list[str]) -> int:
    import storyline
    from storyline.nlp.names import ascii_fold

    gold = json.loads(gold_path().read_text())
    aliases = {e["name"]: {ascii_fold(x) for x in [e["name"], *e.get("aliases", [])]} for e in gold["entities"]}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.db"
        storyline.ingest([storyline.sample_corpus()], db, settings=storyline.Settings(workers=1))
        stored = storyline.articles(db)
        matched = match_articles(gold, stored)
        with storyline.open_store(db, readonly=True) as store:
            quotes = {key: store.quotes(article_id=a.article.id) for key, a in matched.items()}
            times = {key: store.times(a.article.id) for key, a in matched.items()}
            # a government metonym ("Moscow said") answers for its country, as the labels write it ("Russia")
            entity_names = {e["id"]: {ascii_fold(n) for n in [e["name"], *e["aliases"], COUNTRIES.get(e["country"], "")]}
                            for e in store.entities()}
    texts = {key: a.article.text for key, a in matched.items()}

    found = Counter()
    total = Counter()
    speaker_ok = Counter()
    speaker_n = Counter()
    said_ok = said_n = 0
    not_speech_ok = not_speech_n = 0
    quote_of: dict[tuple[str, str], str] = {}
    misses = []
    scare = [g for g in gold["quotes"] if g["kind"] in ("scare", "term")]
    for g, key, best, share in _located(scare, texts, quotes, tight=True):
        not_speech_n += 1
        not_speech_ok += share < 0.5 or best["kind"] in ("scare", "term")
    for g, key, best, share in _located([g for g in gold["quotes"] if g not in scare], texts, quotes):
        hit = share >= 0.5
        kind = "direct" if g["kind"] in ("direct", "partial") else "indirect"
        total[kind] += 1
        if not hit or best["kind"] not in SPEECH:
            misses.append(f"{kind} {key}: {g['text'][:70]}")
            continue
        found[kind] += 1
        quote_of[(key, g["text"])] = best["id"]
        if g.get("speaker"):
            speaker_n[kind] += 1
            sp = best["speaker"]
            names = entity_names.get(sp["entity_id"], {ascii_fold(sp["name"])}) if sp else set()
            speaker_ok[kind] += bool(names & aliases.get(g["speaker"], {ascii_fold(g["speaker"])}))
        if g.get("said_on") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", g["said_on"]):
            said_n += 1
            said_ok += best["said_on"] == g["said_on"]
    # precision: a stored speech quote is right when labelled speech covers at least half of it
    gold_spans = defaultdict(list)
    for g in gold["quotes"]:
        if g["kind"] in SPEECH and g["article"] in texts and (span := _span(texts[g["article"]], g["text"])):
            gold_spans[g["article"]].append(span)
    predicted, hits = Counter(), Counter()
    for key, qs in quotes.items():
        for q in qs:
            if q["kind"] not in SPEECH:
                continue
            kind = "direct" if q["kind"] in ("direct", "partial") else "indirect"
            predicted[kind] += 1
            inside = sum(_overlap((q["start"], q["end"]), sp) for sp in gold_spans[key])
            hits[kind] += inside >= 0.5 * (q["end"] - q["start"])

    # statements: labelled groups over quotes that were found
    gold_group, pred_group = {}, {}
    statement_of = {q["id"]: q["statement_id"] for qs in quotes.values() for q in qs}
    for st in gold["statements"]:
        for key, text in st["quotes"]:
            qid = quote_of.get((key, text))
            if qid:
                gold_group[qid] = st["id"]
                pred_group[qid] = statement_of.get(qid) or qid
    sp, sr, sf = bcubed(pred_group, gold_group)

    # dates
    d_found = d_total = d_value = 0
    for g, key, best, share in _located(gold["dates"], texts, times):
        d_total += 1
        if share > 0:
            d_found += 1
            d_value += best["value"] == g["value"]

    # publication dates inferred for undated articles: does the range hold the real date?
    from datetime import date as _date

    undated = [(g, matched[g["key"]]) for g in gold["articles"] if g["key"] in matched and not g.get("published")]
    inferred = [(g, a.published_inferred) for g, a in undated if a.published_inferred]
    held = [1 for g, (lo, hi) in inferred if lo <= g["true_date"] <= hi]
    widths = [(_date.fromisoformat(hi) - _date.fromisoformat(lo)).days + 1 for _, (lo, hi) in inferred]

    def ratio(a: float, b: float) -> float:
        return round(a / b, 4) if b else 0.0

    figures = {}
    for kind in ("direct", "indirect"):
        figures[f"{kind}_recall"] = ratio(found[kind], total[kind])
        figures[f"{kind}_precision"] = ratio(hits[kind], predicted[kind])
        figures[f"{kind}_speaker_accuracy"] = ratio(speaker_ok[kind], speaker_n[kind])
    figures.update({
        "said_on_accuracy": ratio(said_ok, said_n), "not_speech_kept_out": ratio(not_speech_ok, not_speech_n),
        "statement_bcubed_precision": round(sp, 4), "statement_bcubed_recall": round(sr, 4),
        "statement_bcubed_f1": round(sf, 4), "dates_recall": ratio(d_found, d_total),
        "dates_value_accuracy": ratio(d_value, d_found),
        "undated_articles": len(undated), "undated_with_inferred_range": ratio(len(inferred), len(undated)),
        "inferred_range_holds_true_date": ratio(len(held), len(inferred)),
        "inferred_range_median_days": sorted(widths)[len(widths) // 2] if widths else 0,
    })
    print(f"sample corpus: {sum(total.values())} labelled speech quotes, {not_speech_n} scare quotes/terms, "
          f"{len(gold_group)} quotes in multi-article statements, {d_total} time expressions")
    for k, v in figures.items():
        print(f"  {k:28} {v}")
    if "-v" in argv:
        print("\n".join("  missed " + m for m in misses))
    save("eval_sample_nlp", figures)
    return check_minimums("eval_sample_nlp", figures)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
