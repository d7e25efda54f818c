"""HTML main-text extraction on the Article Extraction Benchmark (AEB dev pages in ../shared/data).

Per page, the 4-gram shingles of the predicted text against those of the
labelled ``articleBody``: precision, recall, F1; averaged over pages, each
page weighted equally. storyline's cleaning is scored beside trafilatura's
defaults (``trafilatura.extract(html)``) on the same pages in the same run,
and must not be lower. Published anchor: trafilatura 2.0 F1 0.958.

    python -m bench eval_extraction
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter

from bench.common import check_minimums, save, shared

ANCHORS = {"trafilatura 2.0 (published)": 0.958, "readability-lxml": 0.922, "newspaper4k": 0.949,
           "best systems": 0.970}
_TOKEN = re.compile(r"\w+", re.U)


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text.lower())
    return Counter(tuple(tokens[i:i + n]) for i in range(max(0, len(tokens) - n + 1)))


def prf(predicted: str, truth: str) -> tuple[float, float, float]:
    p, t = shingles(predicted), shingles(truth)
    if not p and not t:
        return 1.0, 1.0, 1.0
    common = sum((p & t).values())
    precision = common / sum(p.values()) if p else 0.0
    recall = common / sum(t.values()) if t else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main(argv: list[str]) -> int:
    import trafilatura

    from storyline.ingest.html import document
    from storyline.pipeline import process
    from storyline.records import Article

    root = shared("extraction", "aeb-dev")
    truth = json.loads((root / "ground-truth.json").read_text())
    systems: dict[str, list[tuple[float, float, float]]] = {"storyline": [], "trafilatura-defaults": []}
    seconds = {"storyline": 0.0, "trafilatura-defaults": 0.0}
    for page_id, gold in sorted(truth.items()):
        raw = document(page_id, gzip.open(root / "html" / f"{page_id}.html.gz").read(), url=gold.get("url"))
        html = raw.body
        t0 = time.perf_counter()
        result = process(raw)
        seconds["storyline"] += time.perf_counter() - t0
        ours = result.text if isinstance(result, Article) else ""
        t0 = time.perf_counter()
        theirs = trafilatura.extract(html, url=gold.get("url")) or ""
        seconds["trafilatura-defaults"] += time.perf_counter() - t0
        systems["storyline"].append(prf(ours, gold["articleBody"]))
        systems["trafilatura-defaults"].append(prf(theirs, gold["articleBody"]))
    figures: dict[str, float] = {}
    print(f"AEB dev, {len(truth)} pages, mean per-page 4-gram shingle scores")
    print(f"{'system':28} {'precision':>9} {'recall':>7} {'F1':>6} {'s/page':>7}")
    for name, scores in systems.items():
        p, r, f = (sum(s[i] for s in scores) / len(scores) for i in range(3))
        figures.update({f"{name}_precision": round(p, 4), f"{name}_recall": round(r, 4), f"{name}_f1": round(f, 4)})
        print(f"{name:28} {p:9.3f} {r:7.3f} {f:6.3f} {seconds[name] / len(scores):7.3f}")
    for name, f1 in ANCHORS.items():
        print(f"{name:28} {'':9} {'':7} {f1:6.3f}   (anchor)")
    figures["margin_over_trafilatura"] = round(figures["storyline_f1"] - figures["trafilatura-defaults_f1"], 4)
    save("eval_extraction", {"pages": len(truth), **figures, "anchors": ANCHORS})
    status = check_minimums("eval_extraction", figures)
    if figures["margin_over_trafilatura"] < 0:
        print("  FAIL storyline's F1 is below trafilatura's defaults on the same pages")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
