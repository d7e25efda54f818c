"""Spark engine throughput against the local engine on allsides-12k (../shared/data/corpus), in the same run.

Each configuration runs in a fresh process, the local engine with 2 worker processes, then Spark ``local[2]``:

- ``clean_full``: cleaning only (``analyse=False``, no stories) over all 12,000 articles;
- ``nlp_subset``: the whole pipeline (NLP, then duplicates, events and storylines) over the first
  ``--nlp-subset`` articles (default 1,000; NLP on the full corpus takes about 90 minutes on two cores);
- ``stories_subset``: cleaning and the story stage (embeddings, duplicates, events, storylines; no NLP, so no
  entities) over the first ``--stories-subset`` articles (default 3,000; 0 skips it).

For each: wall seconds, articles/s (for Spark with and without the session start-up), CPU seconds of the
whole process tree (the local workers; Spark's JVM and its Python workers), for Spark the time of each stage
(read, process, write, dedup, story_features, story_blocks, story_events, story_storylines) and the peak
memory (VmHWM) of its Python workers. The machine is shared: the load average before and after each run is
recorded, and CPU seconds are the figure to compare when wall time is distorted by other jobs.
``--skip-clean`` keeps the ``clean_*`` figures of the previous results file instead of measuring them again.

    python -m bench.bench_spark [--nlp-subset N] [--stories-subset N] [--skip-clean]   (python -m bench bench_spark: defaults)
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import save, shared

RESULTS = Path(__file__).resolve().parent / "results" / "bench_spark.json"
TICKS = os.sysconf("SC_CLK_TCK")


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _proc_tree(root: int) -> list[int]:
    """``root`` and every process below it (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes, with their reaped children's."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total / TICKS


def _peak_rss_mb(pids: list[int], marker: str) -> float | None:
    """The largest VmHWM (peak resident memory) among the processes whose command line holds ``marker``."""
    peaks = []
    for pid in pids:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if marker in cmd:
            peaks += [int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")]
    return round(max(peaks), 1) if peaks else None


def _local(corpus: str, db: str, analyse: bool, stories: bool) -> dict:
    from storyline import Settings, ingest

    t0 = time.perf_counter()
    report = ingest([corpus], db, settings=Settings(workers=2, analyse=analyse, stories=stories))
    seconds = time.perf_counter() - t0
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return {"engine": "local", "workers": 2, "analyse": analyse, "stories": stories, "seconds": round(seconds, 2),
            "cpu_seconds": round(sum(u.ru_utime + u.ru_stime for u in usage), 1),
            "articles": report.new, "skipped": len(report.skipped),
            "articles_per_second": round(report.processed / seconds, 2),
            "story_seconds": (report.stories or {}).get("seconds"),
            "peak_rss_worker_mb": round(usage[1].ru_maxrss / 1024, 1)}


def _spark(corpus: str, out: str, analyse: bool, stories: bool) -> dict:
    from storyline import Settings
    from storyline.engines.spark import ingest_spark, spark_session
    from storyline.ingest import ReadOptions

    t0 = time.perf_counter()
    spark = spark_session("local[2]", {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "4"})
    start = time.perf_counter() - t0
    report = ingest_spark([corpus], out, ReadOptions(settings=Settings(analyse=analyse, stories=stories)),
                          spark=spark)
    seconds = time.perf_counter() - t0
    tree = _proc_tree(os.getpid())
    cpu, worker_peak = _cpu_seconds(tree), _peak_rss_mb(tree, "pyspark.daemon")
    spark.stop()
    n = report.articles + len(report.skipped)
    return {"engine": "spark local[2]", "analyse": analyse, "stories": stories, "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 1), "start_seconds": round(start, 2), "articles": report.articles,
            "skipped": len(report.skipped), "duplicates": report.tables.get("duplicates"),
            "partitions": report.partitions, "articles_per_second": round(n / seconds, 2),
            "articles_per_second_without_start": round(n / (seconds - start), 2),
            "stages_seconds": {k: round(v, 2) for k, v in report.stages.items() if k != "start"},
            "peak_rss_python_worker_mb": worker_peak or report.peak_worker_rss_mb,
            "tables": report.tables}


def _run(kind: str, corpus: Path, target: Path, analyse: bool, stories: bool) -> dict:
    before = _load()
    out = subprocess.run([sys.executable, "-m", "bench.bench_spark", "--one", kind, str(corpus), str(target),
                          "1" if analyse else "0", "1" if stories else "0"], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{kind} run failed:\n{out.stderr[-3000:]}")
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "load_before": before, "load_after": _load()}


def _first(corpus: Path, n: int, tmp: str) -> Path:
    subset = Path(tmp) / f"first-{n}.jsonl"
    with gzip.open(corpus, "rt") as src, subset.open("w") as dst:
        dst.writelines(itertools.islice(src, n))
    return subset


def _option(argv: list[str], name: str, default: int) -> int:
    return int(argv[argv.index(name) + 1]) if name in argv else default


def main(argv: list[str]) -> int:
    corpus = shared("corpus", "allsides-12k.jsonl.gz")
    nlp_n, stories_n = _option(argv, "--nlp-subset", 1000), _option(argv, "--stories-subset", 3000)
    figures: dict = {"nlp_subset_articles": nlp_n, "stories_subset_articles": stories_n}
    if "--skip-clean" in argv and RESULTS.exists():
        previous = json.loads(RESULTS.read_text())
        for key in ("clean_full_local", "clean_full_spark"):
            figures[key] = {**previous[key], "measured_at": previous[key].get("measured_at", previous["measured_at"])}
    with tempfile.TemporaryDirectory() as tmp:
        if "--skip-clean" not in argv:
            figures["clean_full_local"] = _run("local", corpus, Path(tmp) / "clean.db", False, False)
            figures["clean_full_spark"] = _run("spark", corpus, Path(tmp) / "clean-ds", False, False)
        subset = _first(corpus, nlp_n, tmp)
        figures["nlp_subset_local"] = _run("local", subset, Path(tmp) / "nlp.db", True, True)
        figures["nlp_subset_spark"] = _run("spark", subset, Path(tmp) / "nlp-ds", True, True)
        if stories_n:
            subset = _first(corpus, stories_n, tmp)
            figures["stories_subset_local"] = _run("local", subset, Path(tmp) / "st.db", False, True)
            figures["stories_subset_spark"] = _run("spark", subset, Path(tmp) / "st-ds", False, True)
    for key, r in figures.items():
        if not isinstance(r, dict):
            continue
        extra = (f"  without start-up {r['articles_per_second_without_start']}/s, stages {r['stages_seconds']}, "
                 f"peak worker RSS {r['peak_rss_python_worker_mb']} MB") if r["engine"] != "local" else \
            f"  peak worker RSS {r['peak_rss_worker_mb']} MB"
        print(f"  {key:22} {r['seconds']:8.1f}s cpu {r.get('cpu_seconds', '-')}s "
              f"{r['articles_per_second']:8.1f} articles/s{extra}")
    save("bench_spark", figures)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--one":
        kind, corpus, target = sys.argv[2], sys.argv[3], sys.argv[4]
        analyse, stories = sys.argv[5] == "1", sys.argv[6] == "1"
        print(json.dumps((_local if kind == "local" else _spark)(corpus, target, analyse, stories)))
    else:
        sys.exit(main(sys.argv[1:]))
