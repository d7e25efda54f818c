"""Boilerplate of pre-extracted text against lines of allsides-12k labelled by reading.

Labels: ``bench/data/real/boilerplate_lines.json`` (60 articles, every non-empty line labelled
``boilerplate`` or ``content`` with a kind; ids and offsets into the corpus record's ``text``; the
labelling rules in ``BOILERPLATE_RULES.md`` beside it). The corpus is read from
``../shared/data/corpus/allsides-12k.jsonl.gz`` (skipped when absent).

1. **learned**: the whole corpus (12,000 JSON records, each with its own outlet and title) is ingested
   into a temporary store, cleaning only (no NLP, no stories), with boilerplate learning on: every
   outlet's lines are counted, and the re-clean pass removes what was learned from the articles
   stored before; each labelled article's stored text is then compared with its record;
2. **patterns**: the labelled records through the per-article function alone (no learned lines).

A labelled line counts as removed when no block of the clean text holds it (words compared case-folded)
and it is not the title. Reported: precision and recall of ``boilerplate``, overall and recall per
kind; targets precision >= 0.95, recall >= 0.9.

    python -m bench eval_boilerplate [--patterns-only] [--min-articles N]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.common import ROOT, check_minimums, save, shared

LABELS = ROOT / "bench" / "data" / "real" / "boilerplate_lines.json"
_WORD = re.compile(r"\w+", re.U)
SHORT_WORDS = 3


def _key(s: str) -> str:
    return " " + " ".join(_WORD.findall(s.casefold())) + " "


def kept_lines(record_text: str, labels: list[dict], clean_text: str, blocks, title: str | None) -> dict[int, bool]:
    """For each label (by index), whether its line survives in the clean text."""
    block_keys = [_key(clean_text[b.start:b.end]) for b in blocks] or [_key(clean_text)]
    out = {}
    for i, lab in enumerate(labels):
        key = _key(record_text[lab["start"]:lab["end"]])
        if key.strip() == "":
            out[i] = False
            continue
        # a line of a few words is kept when a block is that line (any paragraph holds the words "More" or
        # "Opinion": a substring test would count such a line kept wherever it went)
        short = len(key.split()) <= SHORT_WORDS
        out[i] = any(key == bk if short else key in bk for bk in block_keys) and key != _key(title or "")
    return out


def score(pairs: list[tuple[dict, bool]]) -> dict[str, object]:
    """``pairs``: (label, removed)."""
    tp = sum(1 for lab, rem in pairs if rem and lab["label"] == "boilerplate")
    fp = sum(1 for lab, rem in pairs if rem and lab["label"] == "content")
    fn = sum(1 for lab, rem in pairs if not rem and lab["label"] == "boilerplate")
    by_kind: Counter = Counter()
    found: Counter = Counter()
    for lab, rem in pairs:
        if lab["label"] == "boilerplate":
            by_kind[lab["kind"]] += 1
            found[lab["kind"]] += rem
    return {"precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
            "true_positives": tp, "false_positives": fp, "false_negatives": fn,
            "recall_by_kind": {k: f"{found[k]}/{n}" for k, n in by_kind.most_common()}}


def patterns_only(records: dict[str, dict], labels: dict[str, list[dict]]) -> list[tuple[dict, bool]]:
    from storyline.ingest import ReadOptions
    from storyline.ingest.jsonl import record_to_document
    from storyline.pipeline import process
    from storyline.records import Article

    pairs = []
    options = ReadOptions()
    for aid, labs in labels.items():
        rec = records[aid]
        art = process(record_to_document(rec, aid, options))
        if not isinstance(art, Article):
            pairs += [(lab, lab["label"] == "boilerplate") for lab in labs]
            continue
        kept = kept_lines(rec["text"], labs, art.text, art.blocks, rec.get("title"))
        pairs += [(lab, not kept[i]) for i, lab in enumerate(labs)]
    return pairs


def learned(records: list[dict], labels: dict[str, list[dict]], tmp: Path,
            min_articles: int) -> tuple[list[tuple[dict, bool]], dict]:
    import storyline
    from storyline.store import Store

    corpus = tmp / "corpus.jsonl"
    line_of: dict[int, str] = {}
    with corpus.open("w", encoding="utf-8") as fh:
        for n, rec in enumerate(records, 1):
            fh.write(json.dumps(rec) + "\n")
            line_of[n] = rec["id"]
    started = time.perf_counter()
    db = tmp / "corpus.db"
    report = storyline.ingest([str(corpus)], db, settings=storyline.Settings(
        analyse=False, stories=False, workers=1, batch_size=128, boilerplate_min_articles=min_articles))
    info = {"ingest_seconds": round(time.perf_counter() - started, 1), "recleaned": report.recleaned,
            "stored": report.new}
    by_id = {r["id"]: r for r in records}
    pairs = []
    with Store(db) as store:
        stats = store.learned_stats()
        info["lines_learned"] = sum(s["lines_learned"] for s in stats)
        info["outlets_with_learned_lines"] = sum(1 for s in stats if s["lines_learned"])
        for a in store.iter_articles():
            rid = line_of.get(int(a.article.origin.rsplit("#L", 1)[1])) if "#L" in a.article.origin else None
            if rid not in labels:
                continue
            rec = by_id[rid]
            kept = kept_lines(rec["text"], labels[rid], a.article.text, a.article.blocks, rec.get("title"))
            pairs += [(lab, not kept[i]) for i, lab in enumerate(labels[rid])]
            del labels[rid]
    for labs in labels.values():           # labelled articles the ingest skipped: nothing kept
        pairs += [(lab, True) for lab in labs]
    return pairs, info


def main(argv: list[str]) -> int:
    path = shared("corpus", "allsides-12k.jsonl.gz")
    from storyline.settings import Settings

    min_articles = int(argv[argv.index("--min-articles") + 1]) if "--min-articles" in argv \
        else Settings().boilerplate_min_articles
    if not LABELS.exists():
        print(f"skipped: {LABELS} is not here")
        return 0
    gold = json.loads(LABELS.read_text())
    labels: dict[str, list[dict]] = {}
    for lab in gold["lines"]:
        labels.setdefault(lab["article_id"], []).append(lab)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    by_id = {r["id"]: r for r in records}
    figures: dict[str, object] = {"articles": len(labels), "lines": len(gold["lines"]),
                                  "boilerplate_lines": sum(1 for x in gold["lines"] if x["label"] == "boilerplate")}
    patterns = score(patterns_only(by_id, labels))
    figures["patterns"] = patterns
    if "--patterns-only" not in argv:
        with tempfile.TemporaryDirectory() as tmp:
            pairs, info = learned(records, {k: list(v) for k, v in labels.items()}, Path(tmp), min_articles)
        figures["learned"] = score(pairs)
        figures["learning"] = {"min_articles": min_articles, **info}
    best = figures.get("learned", patterns)
    figures["precision"], figures["recall"] = best["precision"], best["recall"]
    figures["anchor"] = {"precision_target": 0.95, "recall_target": 0.9}
    for k, v in figures.items():
        print(f"  {k:14} {v}")
    save("eval_boilerplate", figures)
    return check_minimums("eval_boilerplate", {k: v for k, v in figures.items() if isinstance(v, float)})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
