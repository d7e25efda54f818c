"""Serving latency on a 100,000-article store: storyline page, search, article page, storylines list.

1. build the store from allsides-12k (../shared/data/corpus): each row written several times with a new
   URL (so a new id), its publication date shifted by whole weeks and one sentence dropped (so copies
   are near, not exact, duplicates) — written through ``Store.write_batch`` with the NLP stage off;
2. build stories over it (``update_stories``) within a time budget; a run cut off by the budget
   leaves every batch it finished in place (the storylines then cover fewer articles, and it is said);
3. start ``storyline serve`` in its own process and measure with a small concurrent httpx load
   generator: p50/p95/max per page kind, 4 clients at a time.

The storyline page must stay under 300 ms at p95 (exit status 1 otherwise).

``--search``: search alone (the page and the API, the same queries), on the store of step 1 (no stories
needed; kept at ``BENCH_SERVE_DB`` when set), once with this checkout's code and, with ``--before DIR``
(a ``src`` directory of another version, e.g. ``git archive main src | tar -x -C /tmp/main``), once
with that version's, one after the other on the same store. Target: p95 under 300 ms for both.

    python -m bench bench_serve
    BENCH_SERVE_DB=/tmp/serve.db python -m bench bench_serve --search [--before /tmp/main/src]
    BENCH_SERVE_DB=/tmp/serve.db python -m bench bench_serve   # keep the store; a second run only measures
"""

from __future__ import annotations

import gzip
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from bench.common import RESULTS, save, shared

TARGET = int(os.environ.get("BENCH_SERVE_ARTICLES", "100000"))
STORY_BUDGET = float(os.environ.get("BENCH_SERVE_STORY_SECONDS", "420"))
CLIENTS = 4
REQUESTS = 200  # per page kind
STORYLINE_P95_MS = 300.0
QUERIES = ["election", "president", "economy", "climate change", "supreme court", "police", "immigration",
           "vaccine", "tax", "\"health care\"", "border", "senate vote", "inflation", "ukraine", "trade"]


def _rows(corpus: Path) -> list[dict]:
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        return [r for r in map(json.loads, fh) if (r.get("text") or "").strip()]


def _perturb(text: str, k: int, rng: random.Random) -> str:
    """Copy ``k`` of a text: one sentence dropped (k > 0), so copies are near duplicates."""
    if k == 0:
        return text
    parts = text.split(". ")
    if len(parts) > 3:
        del parts[rng.randrange(1, len(parts) - 1)]
    return ". ".join(parts)


def build_store(db: Path, corpus: Path, target: int) -> dict:
    from storyline.clean.metadata import article_id, content_hash, domain_of
    from storyline.records import Article, Block
    from storyline.store import Store

    rows = _rows(corpus)
    rng = random.Random(7)
    t0 = time.perf_counter()
    n = 0
    with Store(db) as store:
        batch: list[Article] = []
        k = 0
        while n < target:
            for r in rows:
                if n >= target:
                    break
                url = f"{r.get('url') or 'https://copy.example/' + r['id']}#copy{k}" if k else r.get("url")
                text = _perturb(r["text"], k, rng)
                published = r.get("published")
                if published and k:
                    try:
                        published = (date.fromisoformat(published[:10]) + timedelta(weeks=9 * k)).isoformat()
                    except ValueError:
                        published = None
                batch.append(Article(
                    id=article_id(url, r.get("outlet"), text), content_hash=content_hash(text), raw_hash="",
                    origin=f"{corpus}#L{r['id']}/{k}", text=text, title=r.get("title"), url=url,
                    outlet=r.get("outlet"), outlet_domain=domain_of(r.get("url")), author=r.get("authors"),
                    published=published, date_source="json-field" if published else None, language="en",
                    blocks=(Block("paragraph", 0, len(text)),)))
                n += 1
                if len(batch) >= 2000:
                    store.write_batch(batch)
                    batch = []
            k += 1
        if batch:
            store.write_batch(batch)
        count = store.count_articles()
    return {"articles": count, "copies_per_row": k, "seconds": round(time.perf_counter() - t0, 1)}


def build_stories(db: Path, budget: float) -> dict:
    code = ("import storyline; from storyline import Settings; "
            f"storyline.update_stories({str(db)!r}, settings=Settings(db={str(db)!r}, analyse=False, workers=2))")
    t0 = time.perf_counter()
    error = None
    try:
        done = subprocess.run([sys.executable, "-c", code], timeout=budget, capture_output=True, text=True)
        finished = done.returncode == 0
        if done.returncode:  # every batch committed before the failure stays in the store
            error = done.stderr.strip().splitlines()[-1][:300] if done.stderr.strip() else f"exit {done.returncode}"
    except subprocess.TimeoutExpired:
        finished = False
    seconds = time.perf_counter() - t0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        placed = c.execute("SELECT COUNT(*) FROM event_articles").fetchone()[0]
        storylines = c.execute("SELECT COUNT(*) FROM storylines").fetchone()[0]
        biggest = c.execute("SELECT MAX(n_articles) FROM storylines").fetchone()[0]
    return {"finished": finished, "error": error, "seconds": round(seconds, 1), "articles_placed": placed,
            "storylines": storylines, "biggest_storyline_articles": biggest}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load(base: str, paths: list[str], clients: int = CLIENTS, warm: int = 10) -> dict:
    """Request every path once, ``clients`` at a time, after ``warm`` untimed requests (caches filled the
    way a running server's are); latency figures in milliseconds."""
    import httpx

    with httpx.Client(base_url=base, timeout=60) as c:
        for path in paths[:warm]:
            c.get(path)

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    todo = list(paths)

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=60) as c:
            while True:
                with lock:
                    if not todo:
                        return
                    path = todo.pop()
                t = time.perf_counter()
                r = c.get(path)
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    latencies.append(ms)
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {path}")

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {"requests": len(latencies), "errors": len(errors), "error_examples": errors[:3],
            "p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1), "max_ms": round(latencies[-1], 1),
            "requests_per_second": round(len(latencies) / wall, 1)}


def measure(db: Path) -> dict:
    import httpx

    server, base = _serve(db)
    try:
        rng = random.Random(11)
        stories = httpx.get(base + "/api/stories", params={"limit": 400}, timeout=120).json()["items"]
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
            ids = [r[0] for r in c.execute("SELECT id FROM articles ORDER BY random() LIMIT ?", (REQUESTS,))]
        out: dict = {"storylines_sampled": len(stories)}
        if stories:
            t = time.perf_counter()
            assert httpx.get(f"{base}/stories/{stories[0]['id']}", timeout=120).status_code == 200
            out["biggest_storyline_first_visit_ms"] = round((time.perf_counter() - t) * 1000, 1)
            # the biggest storylines first, then a spread of the rest
            picks = [s["id"] for s in stories[:20]] + [s["id"] for s in rng.sample(stories, min(len(stories), 40))]
            out["storyline_sizes"] = {"max": stories[0]["n_articles"],
                                      "median_of_sampled": statistics.median(s["n_articles"] for s in stories)}
            # a storyline's first visit builds the page; later visits reuse it until the store changes
            fresh = [s["id"] for s in stories if s["id"] not in set(picks)]
            out["storyline_page_first_visit"] = _load(base, [f"/stories/{i}" for i in fresh[:REQUESTS]], warm=0)
            out["storyline_page"] = _load(base, [f"/stories/{rng.choice(picks)}" for _ in range(REQUESTS)])
            out["storyline_page_biggest"] = _load(base, [f"/stories/{stories[0]['id']}"] * 40)
            out["storylines_list"] = _load(base, ["/"] * 100)
        out["search_page"] = _load(base, [f"/search?q={quote(rng.choice(QUERIES))}" for _ in range(REQUESTS)])
        out["search_api"] = _load(base, [f"/api/search?q={quote(rng.choice(QUERIES))}&limit=20"
                                         for _ in range(REQUESTS)])
        out["article_page"] = _load(base, [f"/articles/{i}" for i in ids])
        return out
    finally:
        server.terminate()
        server.wait(timeout=20)


SEARCH_P95_MS = 300.0


def _serve(db: Path, src: str | None = None) -> tuple[subprocess.Popen, str]:
    import httpx

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": src} if src else None
    server = subprocess.Popen([sys.executable, "-m", "storyline", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    for _ in range(300):
        try:
            httpx.get(base + "/api/outlets", timeout=2)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    return server, base


def measure_search(db: Path, src: str | None = None) -> dict:
    server, base = _serve(db, src)
    try:
        rng = random.Random(11)
        return {"search_page": _load(base, [f"/search?q={quote(rng.choice(QUERIES))}" for _ in range(REQUESTS)]),
                "search_api": _load(base, [f"/api/search?q={quote(rng.choice(QUERIES))}&limit=20"
                                           for _ in range(REQUESTS)]),
                "search_page_2": _load(base, [f"/search?q={quote(rng.choice(QUERIES))}&offset=20"
                                              for _ in range(REQUESTS // 2)])}
    finally:
        server.terminate()
        server.wait(timeout=20)


def search_only(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench bench_serve --search")
    parser.add_argument("--search", action="store_true")
    parser.add_argument("--before", help="a src directory of the version to compare with")
    args = parser.parse_args(argv)
    corpus = shared("corpus", "allsides-12k.jsonl.gz")
    keep = os.environ.get("BENCH_SERVE_DB")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(keep) if keep else Path(tmp) / "serve.db"
        if not db.exists():
            print(f"store: {build_store(db, corpus, TARGET)}")
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
            articles = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        load = os.getloadavg()
        figures: dict = {"store_articles": articles, "clients": CLIENTS, "queries": QUERIES,
                         "load_average_1_5_15": [round(x, 2) for x in load]}
        if args.before:
            figures["before"] = measure_search(db, args.before)
        figures["after"] = measure_search(db)
        figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    for side in ("before", "after"):
        for name, f in figures.get(side, {}).items():
            print(f"  {side:6} {name:14} p50 {f['p50_ms']:7.1f} ms  p95 {f['p95_ms']:7.1f} ms  max {f['max_ms']:7.1f} ms"
                  f"  {f['requests_per_second']:6.1f} req/s  errors {f['errors']}")
    save("bench_serve_search", figures)
    worst = max(f["p95_ms"] for f in figures["after"].values())
    return 0 if worst <= SEARCH_P95_MS and not any(f["errors"] for f in figures["after"].values()) else 1


def main(argv: list[str]) -> int:
    if "--search" in argv:
        return search_only(argv)
    corpus = shared("corpus", "allsides-12k.jsonl.gz")
    keep = os.environ.get("BENCH_SERVE_DB")  # build the store there and keep it (for profiling afterwards)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(keep) if keep else Path(tmp) / "serve.db"
        if keep and db.exists():  # measure again on a store kept from an earlier run
            previous = json.loads((RESULTS / "bench_serve.json").read_text())
            built, stories = previous["store"], previous["stories"]
            built.pop("size_mb", None)
            print(f"store: reusing {db} ({built['articles']:,} articles)")
        else:
            built = build_store(db, corpus, TARGET)
            print(f"store: {built['articles']:,} articles in {built['seconds']}s")
            stories = build_stories(db, STORY_BUDGET)
        print(f"stories: {stories}")
        size_mb = round(sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file()) / 2**20, 1)
        figures = measure(db)
    figures = {"store": {**built, "size_mb": size_mb}, "stories": stories, "clients": CLIENTS, **figures}
    print(f"  biggest storyline ({figures.get('storyline_sizes', {}).get('max')} articles), first visit: "
          f"{figures.get('biggest_storyline_first_visit_ms')} ms")
    for name, f in figures.items():
        if isinstance(f, dict) and "p95_ms" in f:
            print(f"  {name:24} p50 {f['p50_ms']:7.1f} ms  p95 {f['p95_ms']:7.1f} ms  max {f['max_ms']:7.1f} ms  "
                  f"{f['requests_per_second']:6.1f} req/s  errors {f['errors']}")
    save("bench_serve", figures)
    page = figures.get("storyline_page")
    if page is None:
        print("  no storylines were built: storyline page not measured")
        return 1
    if page["p95_ms"] > STORYLINE_P95_MS or page["errors"]:
        print(f"  FAIL storyline page p95 {page['p95_ms']} ms (limit {STORYLINE_P95_MS}) or errors")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
