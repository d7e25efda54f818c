"""Scale of story assignment: 1,000 new articles placed into stores of 10k, 100k and 1M articles.

The large stores are built from ``../shared/data/corpus/allsides-12k.jsonl.gz`` (skipped when absent) by
perturbing and time-shifting its first 11,000 articles, at the level the story stage reads: each
stored article is a copy of a real article's MiniLM embedding with noise added (cosine about 0.8 to
its base: another article on a like topic) and of its topic terms, a date shifted anywhere in 2012-2020
(10% undated), a random MinHash signature and LSH buckets (a text of its own), grouped four to an event
and five events to a storyline (with the events' cores and term profiles, the storylines' centroids and
term profiles, and the terms' document frequencies), with month indexes and the event index built as the
story stage builds them.
The 1,000 new articles are the sample's last 1,000, real texts and dates, ingested with NLP off (so
no entities, on either side) and placed by the real story stage.

Each size runs in fresh processes (build, then place), so the memory figure is the placing process's
peak RSS. Reported per size: seconds to place 1,000 articles, split into embedding (does not depend
on the store) and placement (shingles, MinHash, indexes and store look-ups), and placement per
article in wall time and in CPU time of the placing process (the machine is shared; CPU time is
the steadier of the two and is what the ratio is taken on); the issue's bar is that placement per
article from 10k to 1M stays within 1.5x.

Index upkeep is amortised and does not happen inside 1,000 placements at every size, so it is
measured apart and added: each placed article adds one vector to its month's index and one to the
event index, and a bucket's delta is merged into its main index when it outgrows a tenth of it;
the CPU time of one such merge (the busiest month, and the event index) divided by the vectors
that trigger it is the upkeep per article.

    python -m bench bench_stories [--sizes 10000,100000,1000000] [--keep [--repeat N]]

``--keep`` keeps each built store (and its build figures) in the work directory and places into a copy
of it, so a later ``--keep`` run skips the builds (the 1M build takes several minutes); ``--repeat N`` then
places N times per size, each into a fresh copy, and reports the median run.
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from bench.common import ROOT, check_minimums, save, shared

WORK = Path(os.environ.get("STORYLINE_BENCH_DIR", "/tmp/storyline-bench"))
N_BASE = 11_000
N_NEW = 1_000
EVENT_SIZE = 4
EVENTS_PER_STORYLINE = 5


def _rows() -> list[dict]:
    with gzip.open(shared("corpus", "allsides-12k.jsonl.gz"), "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def base_embeddings(rows: list[dict]) -> np.ndarray:
    cache = WORK / "base-embeddings.npy"
    if cache.exists():
        return np.load(cache)
    from storyline.stories.embed import embed, story_text

    vecs = embed([story_text(r.get("title"), r.get("text") or "") for r in rows[:N_BASE]], batch_size=64)
    WORK.mkdir(parents=True, exist_ok=True)
    np.save(cache, vecs)
    return vecs


def base_terms(rows: list[dict]) -> tuple[list[dict[int, int]], list[dict[int, int]]]:
    """Each base article's topic terms (all, and the ones it keeps for profiles), as the story stage finds them."""
    from storyline.engines.stories import TERM_CHARS
    from storyline.stories.terms import term_weights, terms, top_terms

    full = [terms(f"{r.get('title') or ''}\n{(r.get('text') or '')[:TERM_CHARS]}") for r in rows[:N_BASE]]
    df: dict[int, int] = {}
    for t in full:
        for k in t:
            df[k] = df.get(k, 0) + 1
    w = term_weights(df, len(full))
    return full, [top_terms(t, w) for t in full]


def _merge(profile: dict[int, int], add: dict[int, int], times: int, limit: int) -> dict[int, int]:
    out = dict(profile)
    for k, v in add.items():
        out[k] = out.get(k, 0) + v * times
    return dict(sorted(out.items(), key=lambda kv: -kv[1])[:limit])


def build(size: int, db: Path) -> dict:
    """A store of ``size`` perturbed, time-shifted articles with their story structures and indexes."""
    from storyline.store import Store
    from storyline.store.stories import EVENT_TERM_LIMIT, STORYLINE_TERM_LIMIT, _core_bytes
    from storyline.stories.coherence import pick_core
    from storyline.stories.embed import vector_bytes
    from storyline.stories.index import new_index

    rows = _rows()
    base = base_embeddings(rows)
    full_terms, kept_terms = base_terms(rows)
    rng = np.random.default_rng(size)
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    idx_dir = Path(f"{db}.stories")
    if idx_dir.exists():
        for f in idx_dir.iterdir():
            f.unlink()
    else:
        idx_dir.mkdir(parents=True)
    span = (date(2020, 12, 31) - date(2012, 1, 1)).days
    n_events = (size + EVENT_SIZE - 1) // EVENT_SIZE
    event_base = rng.integers(0, N_BASE, n_events)
    event_day = rng.integers(0, span, n_events)
    event_undated = rng.random(n_events) < 0.1
    months: dict[str, tuple[list[int], list[np.ndarray]]] = {}
    event_vecs = np.zeros((n_events, base.shape[1]), dtype=np.float32)
    copies = np.zeros(N_BASE, dtype=np.int64)   # stored articles per base article (for the terms' frequencies)
    n_lines = (n_events + EVENTS_PER_STORYLINE - 1) // EVENTS_PER_STORYLINE
    line_terms: dict[int, dict[int, int]] = {}
    line_vecs = np.zeros((n_lines, base.shape[1]), dtype=np.float32)
    now = "2026-12-01T00:00:00+00:00"
    with Store(db) as store:
        c = store.conn
        c.execute("PRAGMA synchronous=OFF")
        c.execute("PRAGMA foreign_keys=OFF")   # events are written after their members here
        c.execute("BEGIN")
        c.execute("DELETE FROM story_queue")
        c.execute("INSERT INTO outlets (id, name, domain) VALUES (1, 'Bench Outlet', 'bench.example')")
        c.executemany("INSERT INTO storylines (id, title, start, end, n_events, n_articles, created_at, updated_at) "
                      "VALUES (?, ?, NULL, NULL, ?, ?, ?, ?)",
                      [(s + 1, f"storyline {s + 1}", EVENTS_PER_STORYLINE, EVENTS_PER_STORYLINE * EVENT_SIZE, now, now)
                       for s in range(n_lines)])
        chunk = 20_000   # a multiple of EVENT_SIZE: every chunk holds whole events
        for lo in range(0, size, chunk):
            hi = min(size, lo + chunk)
            keys = np.arange(lo + 1, hi + 1)
            ev = (keys - 1) // EVENT_SIZE
            noise = rng.normal(0, 0.032, (hi - lo, base.shape[1])).astype(np.float32)
            vecs = base[event_base[ev]] + noise
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            days = [None if event_undated[e] else (date(2012, 1, 1) + timedelta(days=int(event_day[e] + rng.integers(0, 2))))
                    .isoformat() for e in ev]
            art, feat, members, buckets = [], [], [], []
            for i, key in enumerate(keys):
                aid = f"bench{key:09d}"
                d = days[i]
                month = d[:7] if d else "undated"
                art.append((aid, f"h{key}", f"https://bench.example/{key}", 1, f"bench article {key}", d, "json-field",
                            "", "bench", now))
                b = int(event_base[ev[i]])
                feat.append((int(key), aid, f"h{key}", d, "published" if d else "none", month, 300,
                             rng.bytes(512), vector_bytes(vecs[i]), 1, json.dumps(kept_terms[b])))
                copies[b] += 1
                members.append((aid, int(ev[i]) + 1, 1.0, "event"))
                buckets.extend((int(b), int(key)) for b in rng.integers(-2**63, 2**63 - 1, 20))
                ks, vs = months.setdefault(month, ([], []))
                ks.append(int(key))
                vs.append(vecs[i])
                event_vecs[ev[i]] += vecs[i]
            c.executemany("INSERT INTO articles (id, content_hash, url, outlet_id, title, published, date_source, "
                          "text, origin, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)", art)
            c.executemany("INSERT INTO story_features (key, article_id, content_hash, day, day_basis, month, shingles, "
                          "signature, embedding, outlet_id, entities, terms) VALUES (?,?,?,?,?,?,?,?,?,?,'{}',?)", feat)
            c.executemany("INSERT INTO event_articles (article_id, event_id, score, basis) VALUES (?,?,?,?)", members)
            buckets.sort()
            c.executemany("INSERT OR IGNORE INTO lsh_buckets (bucket, key) VALUES (?, ?)", buckets)
            ev_rows = []
            for e in range(int(ev[0]), int(ev[-1]) + 1):   # this chunk's events, with their cores and terms
                rows_of = np.nonzero(ev == e)[0]
                d = None if event_undated[e] else (date(2012, 1, 1) + timedelta(days=int(event_day[e]))).isoformat()
                centroid = event_vecs[e] / len(rows_of)
                core, core_days = pick_core(list(vecs[rows_of]), [days[i] for i in rows_of], centroid, 5)
                ev_terms = _merge({}, kept_terms[int(event_base[e])], len(rows_of), EVENT_TERM_LIMIT)
                line = e // EVENTS_PER_STORYLINE
                line_terms[line] = _merge(line_terms.get(line, {}), ev_terms, 1, STORYLINE_TERM_LIMIT)
                line_vecs[line] += event_vecs[e]
                ev_rows.append((e + 1, line + 1, f"event {e + 1}", d, d, d, len(rows_of), 1, len(rows_of),
                                vector_bytes(centroid), "{}", now, now, _core_bytes(core), json.dumps(core_days),
                                json.dumps(ev_terms)))
            c.executemany("INSERT INTO events (id, storyline_id, title, day, start, end, n_articles, n_outlets, "
                          "n_sources, centroid, entities, created_at, updated_at, core, core_days, terms) "
                          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", ev_rows)
        c.executemany("UPDATE storylines SET centroid = ?, terms = ? WHERE id = ?",
                      [(vector_bytes(line_vecs[i] / (EVENTS_PER_STORYLINE * EVENT_SIZE)), json.dumps(t), i + 1)
                       for i, t in line_terms.items()])
        term_df: dict[int, int] = {}
        for b in np.nonzero(copies)[0]:
            for t in full_terms[int(b)]:
                term_df[t] = term_df.get(t, 0) + int(copies[b])
        c.executemany("INSERT INTO story_term_df (term, n) VALUES (?, ?)", sorted(term_df.items()))
        c.executemany("INSERT INTO story_months (month, n) VALUES (?, ?)", [(m, len(k)) for m, (k, _) in months.items()])
        c.executemany("INSERT INTO story_index (bucket, n) VALUES (?, ?)",
                      [(m, len(k)) for m, (k, _) in months.items()] + [("events", n_events)])
        c.execute("COMMIT")
    for month, (ks, vs) in months.items():
        index = new_index()
        index.add(np.array(ks, dtype=np.uint64), np.stack(vs))
        index.save(str(idx_dir / f"{month}.usearch"))
    index = new_index()
    norms = event_vecs / np.maximum(np.linalg.norm(event_vecs, axis=1, keepdims=True), 1e-9)
    index.add(np.arange(1, n_events + 1, dtype=np.uint64), norms)
    index.save(str(idx_dir / "events.usearch"))
    return {"size": size, "events": n_events, "months": len(months), "build_seconds": round(time.perf_counter() - started, 1),
            "store_mb": round(sum(f.stat().st_size for f in db.parent.glob(db.name + "*") if f.is_file()) / 1e6, 1),
            "index_mb": round(sum(f.stat().st_size for f in idx_dir.iterdir()) / 1e6, 1)}


def place(db: Path) -> dict:
    """Ingest the 1,000 new articles (NLP and stories off), then time the story stage placing them."""
    import storyline
    from storyline.engines.stories import update_stories
    from storyline.settings import Settings
    from storyline.store import Store
    from storyline.stories.embed import embed

    rows = _rows()[-N_NEW:]
    src = WORK / "new-1000.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    storyline.ingest([str(src)], db=str(db), settings=Settings(db=str(db), analyse=False, stories=False, workers=1))
    embedded: dict[str, np.ndarray] = {}
    spent = {"embed": 0.0, "embed_cpu": 0.0}

    def timed_embed(texts: list[str]) -> np.ndarray:
        t, c = time.perf_counter(), time.process_time()
        out = embed(texts)
        spent["embed"] += time.perf_counter() - t
        spent["embed_cpu"] += time.process_time() - c
        return out

    embed(["warm-up"])   # model load is per process, not per article
    with Store(db) as store:
        t, c = time.perf_counter(), time.process_time()
        report = update_stories(store, Settings(db=str(db)), embedder=timed_embed)
        total, cpu = time.perf_counter() - t, time.process_time() - c
    del embedded
    placement = total - spent["embed"]
    placement_cpu = cpu - spent["embed_cpu"]
    return {"placed": report.placed, "seconds": round(total, 2), "embedding_seconds": round(spent["embed"], 2),
            "placement_seconds": round(placement, 2), "placement_ms_per_article": round(1000 * placement / report.placed, 2),
            "placement_cpu_ms_per_article": round(1000 * placement_cpu / report.placed, 2),
            "new_events": report.new_events, "duplicates": report.duplicates,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def upkeep(db: Path) -> dict:
    """Amortised index upkeep per article: CPU time of merging a full-size delta, per vector merged."""
    from storyline.store import Store
    from storyline.store.stories import StoryTables
    from storyline.stories.index import MIN_DELTA, VectorIndex, index_dir

    rng = np.random.default_rng(7)
    base = base_embeddings(_rows())
    out: dict[str, float] = {}
    with Store(db, readonly=True) as store:
        tables = StoryTables(store.conn, "")
        busiest = store.conn.execute("SELECT month FROM story_months WHERE month != 'undated' "
                                     "ORDER BY n DESC LIMIT 1").fetchone()[0]
        index = VectorIndex(index_dir(db), counts=tables.index_count, loader=tables.month_vectors,
                            count=lambda b, n: None, recount=lambda b, n: None)
        for name, bucket in (("month", busiest), ("events", "events")):
            b = index.get(bucket)
            n = max(MIN_DELTA, (len(b.main) if b.main is not None else 0) // 10)
            vecs = base[rng.integers(0, len(base), n)] + rng.normal(0, 0.032, (n, base.shape[1])).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            b.delta.add(np.arange(10**9, 10**9 + n, dtype=np.uint64), vecs)
            c = time.process_time()
            index._merge(bucket, b)
            out[f"upkeep_{name}_cpu_ms_per_vector"] = round(1000 * (time.process_time() - c) / n, 3)
    out["upkeep_cpu_ms_per_article"] = round(sum(out.values()), 3)
    return out


def _child(step: str, size: int, db: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.bench_stories", "--child", step, str(db)], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{step} {size} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1]) | {"db": str(db)}


def _files(db: Path) -> list[Path]:
    return [p for p in (Path(f"{db}{s}") for s in ("", "-wal", "-shm", ".stories")) if p.exists()]


def _remove(db: Path) -> None:
    for f in _files(db):
        if f.is_dir():
            shutil.rmtree(f)
        else:
            f.unlink()


def _complete(db: Path, size: int) -> bool:
    """Does a kept store hold all ``size`` articles' story features (not a build cut short)?"""
    import sqlite3

    if not db.exists():
        return False
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM story_features").fetchone()[0] == size
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _run_size(size: int, keep: bool, repeat: int = 1) -> dict:
    """Build (or reuse) a store of ``size`` articles, place the new articles into it, measure upkeep."""
    db = WORK / f"scale-{size}.db"
    figures = WORK / f"scale-{size}.json"
    if keep and figures.exists() and _complete(db, size):
        built = json.loads(figures.read_text())
    else:
        _remove(db)
        built = {"size": size, **_child("build", size, db)}
        figures.write_text(json.dumps(built))
    runs = []
    for _ in range(repeat):
        run = db
        if keep:   # place into a copy: the kept store stays as built
            run = WORK / f"scale-{size}-run.db"
            _remove(run)
            for f in _files(db):
                target = Path(str(run) + f.name[len(db.name):])
                shutil.copytree(f, target) if f.is_dir() else shutil.copy(f, target)
        runs.append({**_child("place", size, run), **_child("upkeep", size, run)})
        if keep:
            _remove(run)
    if not keep:
        _remove(db)
        figures.unlink(missing_ok=True)
    # the median run by placement CPU: the machine is shared and single runs vary by a fifth
    result = {**built, **sorted(runs, key=lambda r: r["placement_cpu_ms_per_article"])[len(runs) // 2],
              "db": str(db), "repeats": len(runs),
              "placement_cpu_ms_per_article_runs": [r["placement_cpu_ms_per_article"] for r in runs]}
    result["total_cpu_ms_per_article"] = round(result["placement_cpu_ms_per_article"]
                                               + result["upkeep_cpu_ms_per_article"], 2)
    return result


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        step, db = argv[1], Path(argv[2])
        size = int(db.name.split("-")[1].split(".")[0])
        print(json.dumps(build(size, db) if step == "build" else upkeep(db) if step == "upkeep" else place(db)))
        return 0
    shared("corpus", "allsides-12k.jsonl.gz")
    sizes = [10_000, 100_000, 1_000_000]
    if "--sizes" in argv:
        sizes = [int(x) for x in argv[argv.index("--sizes") + 1].split(",")]
    WORK.mkdir(parents=True, exist_ok=True)
    base_embeddings(_rows())
    results = []
    for size in sizes:
        repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 1
        results.append(_run_size(size, "--keep" in argv, repeat if "--keep" in argv else 1))
        print(json.dumps(results[-1]), flush=True)
    ratio = results[-1]["placement_cpu_ms_per_article"] / results[0]["placement_cpu_ms_per_article"]
    wall = results[-1]["placement_ms_per_article"] / results[0]["placement_ms_per_article"]
    total = results[-1]["total_cpu_ms_per_article"] / results[0]["total_cpu_ms_per_article"]
    figures = {"new_articles": N_NEW, "runs": results, "placement_cpu_ratio_largest_to_smallest": round(ratio, 2),
               "placement_wall_ratio_largest_to_smallest": round(wall, 2),
               "with_upkeep_cpu_ratio_largest_to_smallest": round(total, 2)}
    save("bench_stories", figures)
    print(f"placement per article, {sizes[-1]:,} vs {sizes[0]:,}: CPU {ratio:.2f}x, wall {wall:.2f}x; "
          f"with index upkeep {total:.2f}x (bar: 1.5x)")
    return check_minimums("bench_stories", {"scaling_headroom": round(1.5 / max(ratio, total), 2)})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
