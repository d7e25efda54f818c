"""Ingest throughput, peak memory and idempotent re-ingest time on allsides-12k (../shared/data/corpus).

Each configuration runs in a fresh process (so model and memory figures are its
own). Reading and cleaning (the NLP stage off) over all 12,000 articles: 1 worker,
2 workers, then a re-run of the 2-worker ingest on the same store, which must add
nothing. The whole pipeline (cleaning + NLP + extraction) over the first 1,000
articles with 2 workers, for the per-article cost of analysis.

    python -m bench bench_ingest
"""

from __future__ import annotations

import gzip
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import save, shared


def _one(corpus: str, db: str, workers: int, analyse: bool) -> dict:
    from storyline import Settings, ingest

    t0 = time.perf_counter()
    report = ingest([corpus], db, settings=Settings(workers=workers, analyse=analyse))
    seconds = time.perf_counter() - t0
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"workers": workers, "analyse": analyse, "seconds": round(seconds, 2), "new": report.new, "unchanged": report.unchanged,
            "updated": report.updated, "skipped": len(report.skipped), "skipped_by_reason": report.skip_counts(),
            "articles_per_second": round(report.processed / seconds, 1),
            "peak_rss_main_mb": round(self_kb / 1024, 1), "peak_rss_worker_mb": round(child_kb / 1024, 1)}


def _run(corpus: Path, db: Path, workers: int, analyse: bool = False) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.bench_ingest", "--one", str(corpus), str(db), str(workers),
                          "1" if analyse else "0"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    corpus = shared("corpus", "allsides-12k.jsonl.gz")
    with tempfile.TemporaryDirectory() as tmp:
        one = _run(corpus, Path(tmp) / "w1.db", 1)
        two = _run(corpus, Path(tmp) / "w2.db", 2)
        again = _run(corpus, Path(tmp) / "w2.db", 2)
        size_mb = round((Path(tmp) / "w2.db").stat().st_size / 2**20, 1)
        sample = Path(tmp) / "first-1000.jsonl"
        with gzip.open(corpus, "rt") as src, sample.open("w") as dst:
            dst.writelines(itertools.islice(src, 1000))
        full = _run(sample, Path(tmp) / "nlp.db", 2, analyse=True)
    print(f"allsides-12k: {one['new']} articles stored, {one['skipped']} skipped {one['skipped_by_reason']}")
    for label, r in (("clean, 1 process", one), ("clean, 2 processes", two), ("re-ingest (2 processes)", again),
                     ("full pipeline, 2 proc.", full)):
        print(f"  {label:24} {r['seconds']:7.1f}s {r['articles_per_second']:8.1f} articles/s  "
              f"new {r['new']:>6}  unchanged {r['unchanged']:>6}  peak RSS main {r['peak_rss_main_mb']} MB, "
              f"worker {r['peak_rss_worker_mb']} MB")
    print(f"  store size {size_mb} MB")
    save("bench_ingest", {"one_process": one, "two_processes": two, "reingest": again, "store_mb": size_mb,
                          "full_pipeline_first_1000": full})
    if again["new"] or again.get("updated"):
        print("  FAIL re-ingest was not idempotent")
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--one":
        print(json.dumps(_one(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "1")))
    else:
        sys.exit(main(sys.argv[1:]))
