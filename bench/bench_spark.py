"""Spark engine throughput against the local engine on allsides-12k (../shared/data/corpus), in the same run.

Each configuration runs in a fresh process. Cleaning only (the NLP stage off,
``Settings(analyse=False)``) over all 12,000 articles, and the whole pipeline (NLP
on) over the first ``--nlp-subset`` articles (default 1,000: with NLP on the full
corpus takes about 90 minutes on two cores): the local engine with 2 worker
processes, then Spark ``local[2]``. For Spark: articles/s with and without the
session start-up, the time of each stage (start, read, process, write, dedup) and
the peak memory of one executor Python worker.

    python -m bench bench_spark [--nlp-subset N]
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


def _local(corpus: str, db: str, analyse: bool) -> dict:
    from storyline import Settings, ingest

    no_stories = {"stories": False} if "stories" in Settings.describe() else {}  # the per-article work only
    t0 = time.perf_counter()
    report = ingest([corpus], db, settings=Settings(workers=2, analyse=analyse, **no_stories))
    seconds = time.perf_counter() - t0
    return {"engine": "local", "workers": 2, "analyse": analyse, "seconds": round(seconds, 2),
            "articles": report.new, "skipped": len(report.skipped),
            "articles_per_second": round(report.processed / seconds, 2),
            "peak_rss_worker_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}


def _spark(corpus: str, out: str, analyse: bool) -> dict:
    from storyline import Settings
    from storyline.engines.spark import ingest_spark, spark_session
    from storyline.ingest import ReadOptions

    t0 = time.perf_counter()
    spark = spark_session("local[2]", {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "4"})
    start = time.perf_counter() - t0
    report = ingest_spark([corpus], out, ReadOptions(settings=Settings(analyse=analyse)), spark=spark)
    seconds = time.perf_counter() - t0
    spark.stop()
    n = report.articles + len(report.skipped)
    return {"engine": "spark local[2]", "analyse": analyse, "seconds": round(seconds, 2),
            "start_seconds": round(start, 2), "articles": report.articles, "skipped": len(report.skipped),
            "duplicates": report.tables.get("duplicates"), "partitions": report.partitions,
            "articles_per_second": round(n / seconds, 2),
            "articles_per_second_without_start": round(n / (seconds - start), 2),
            "stages_seconds": {k: round(v, 2) for k, v in report.stages.items() if k != "start"},
            "peak_rss_python_worker_mb": report.peak_worker_rss_mb,
            "tables": report.tables}


def _run(kind: str, corpus: Path, target: Path, analyse: bool) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.bench_spark", "--one", kind, str(corpus), str(target),
                          "1" if analyse else "0"], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{kind} run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    corpus = shared("corpus", "allsides-12k.jsonl.gz")
    subset_n = int(argv[argv.index("--nlp-subset") + 1]) if "--nlp-subset" in argv else 1000
    figures: dict = {"nlp_subset_articles": subset_n}
    with tempfile.TemporaryDirectory() as tmp:
        subset = Path(tmp) / f"first-{subset_n}.jsonl"
        with gzip.open(corpus, "rt") as src, subset.open("w") as dst:
            dst.writelines(itertools.islice(src, subset_n))
        figures["clean_full_local"] = _run("local", corpus, Path(tmp) / "clean.db", False)
        figures["clean_full_spark"] = _run("spark", corpus, Path(tmp) / "clean-ds", False)
        figures["nlp_subset_local"] = _run("local", subset, Path(tmp) / "nlp.db", True)
        figures["nlp_subset_spark"] = _run("spark", subset, Path(tmp) / "nlp-ds", True)
    for label, key in (("clean, 12k, local 2 proc.", "clean_full_local"), ("clean, 12k, spark local[2]", "clean_full_spark"),
                       (f"NLP, first {subset_n}, local", "nlp_subset_local"),
                       (f"NLP, first {subset_n}, spark", "nlp_subset_spark")):
        r = figures[key]
        extra = (f"  without start-up {r['articles_per_second_without_start']}/s, stages {r['stages_seconds']}, "
                 f"peak worker RSS {r['peak_rss_python_worker_mb']} MB") if r["engine"] != "local" else \
            f"  peak worker RSS {r['peak_rss_worker_mb']} MB"
        print(f"  {label:28} {r['seconds']:8.1f}s {r['articles_per_second']:8.1f} articles/s{extra}")
    save("bench_spark", figures)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--one":
        kind, corpus, target, analyse = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "1"
        print(json.dumps((_local if kind == "local" else _spark)(corpus, target, analyse)))
    else:
        sys.exit(main(sys.argv[1:]))
