"""Time to build a brief for storylines of about 50, 500 and 5,000 articles.

1. build the store: allsides-12k rows (../shared/data/corpus), the most common topics first (so each
   storyline is mostly one subject), 5,700 of them ingested with the real pipeline: cleaning, the NLP stage
   (sentences, entities, quotes, statements, time expressions) on each article's first ``NLP_CHARS``
   characters (the ``nlp_max_chars`` setting: the whole text is stored and read by the brief; the cap only
   keeps the build within what this shared 2-core machine allows), and story placement (copies, events,
   storylines);
2. group them into three storylines: the real events, taken in time order, are moved into one storyline
   until it holds at least 50 articles, then the next until 500, then the last until 5,000 (storyline
   counts and dates recomputed); everything else about the events and articles stays as placed;
3. per storyline: ``api.story`` (read), then ``brief.build`` timed ``REPEATS`` times (median; wall and CPU
   time of this process: the machine is shared, so the CPU time is the figure to compare), with the CPU time
   of each step (material read, each section, the summary) and of the Markdown and HTML renderings. The
   store's sentence vectors are first put as an ingest leaves them (each article's lead only), so the first
   build embeds the rest of its sentences (and stores them);
   then one build in a fresh process (``--one``), as ``storyline brief`` runs it the next time: what a
   user waits for once the vectors are stored.

``--render [--before DIR]``: the HTML and Markdown renderings alone, of a synthetic brief the shape of the
5,001-article storyline (``bench/brief_render.py``), with this checkout's code and with another version's
``src`` (``DIR``) in the same run; saved as ``bench_brief_render``. Target: HTML under 2 s (of CPU: the
wall time on a shared machine is kept beside it).

    python -m bench bench_brief
    BENCH_BRIEF_DB=/tmp/brief.db python -m bench bench_brief   # keep the store; a second run only measures
    python -m bench bench_brief --render --before /tmp/main/src
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import save, shared

SIZES = (50, 500, 5000)
REPEATS = 3
TOTAL = 5700  # articles ingested: enough for the three storylines whatever the events' sizes
NLP_CHARS = 1500  # characters of each article the NLP stage analyses (about its first five paragraphs)


def _rows(corpus: Path, n: int) -> list[dict]:
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        rows = [r for r in map(json.loads, fh) if (r.get("text") or "").strip()]
    rank = Counter(r.get("topic") or "" for r in rows)
    rows.sort(key=lambda r: (-rank[r.get("topic") or ""], r.get("topic") or "", r["id"]))
    return rows[:n]


def _build_store(db: Path) -> None:
    import storyline

    rows = _rows(shared("corpus", "allsides-12k.jsonl.gz"), TOTAL)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "allsides.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({k: r.get(k) for k in ("url", "outlet", "published", "title", "text")}) + "\n")
        started = time.perf_counter()
        report = storyline.ingest([str(src)], db, settings=storyline.Settings(nlp_max_chars=NLP_CHARS))
        print(f"ingested {report.new} articles with NLP and stories in {time.perf_counter() - started:.0f}s")


def _regroup(db: Path) -> list[int]:
    """Move the events, in time order, into three storylines of at least 50, 500 and 5,000 articles."""
    conn = sqlite3.connect(db)
    events = conn.execute("SELECT id, n_articles FROM events WHERE n_articles > 0 "
                          "ORDER BY COALESCE(start, '9999'), id").fetchall()
    storylines = [r[0] for r in conn.execute("SELECT id FROM storylines ORDER BY id LIMIT ?", (len(SIZES),))]
    groups: list[list[int]] = [[] for _ in SIZES]
    k, n = 0, 0
    for eid, size in events:
        if k == len(SIZES):
            break
        groups[k].append(eid)
        n += size
        if n >= SIZES[k]:
            k, n = k + 1, 0
    with conn:
        for sid, eids in zip(storylines, groups):
            marks = ",".join("?" * len(eids))
            conn.execute(f"UPDATE events SET storyline_id = ? WHERE id IN ({marks})", (sid, *eids))
        for sid in conn.execute("SELECT id FROM storylines").fetchall():
            row = conn.execute(
                "SELECT COUNT(DISTINCT e.id), COUNT(ea.article_id), COUNT(DISTINCT a.outlet_id), "
                "COUNT(DISTINCT COALESCE(s.source_id, a.id)), MIN(a.published), MAX(a.published) FROM events e "
                "JOIN event_articles ea ON ea.event_id = e.id JOIN articles a ON a.id = ea.article_id "
                "LEFT JOIN sources s ON s.article_id = a.id WHERE e.storyline_id = ?", sid).fetchone()
            conn.execute("UPDATE storylines SET n_events = ?, n_articles = ?, n_outlets = ?, n_sources = ?, "
                         "start = ?, end = ? WHERE id = ?", (*row, sid[0]))
    conn.close()
    return storylines


def _measure(db: Path, story_id: int) -> dict[str, Any]:
    import storyline
    from storyline import brief
    from storyline.store.material import read_material

    story = storyline.story(story_id, db)
    settings = storyline.Settings(llm_base_url="", llm_model="")
    _as_ingest_leaves_it(db, [a["id"] for a in story["articles"]])
    totals, cpus, steps = [], [], []
    with storyline.open_store(db, readonly=True) as store:
        for _ in range(REPEATS):
            started, cpu = time.perf_counter(), time.process_time()
            built = brief.build(story, store, settings)
            totals.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            step: dict[str, float] = {}
            t = time.process_time()
            ctx = brief.BriefContext(store=store, story=story,
                                     material=read_material(store.conn, [a["id"] for a in story["articles"]]))
            step["material"] = time.process_time() - t
            for key, make in brief.SECTIONS.items():
                t = time.process_time()
                ctx.built[key] = make(ctx)
                step[key] = time.process_time() - t
            t = time.process_time()
            brief.compose(story, {k: ctx.built.get(k) for k in brief.SECTION_KEYS}, ctx.material, settings)
            step["summary"] = time.process_time() - t
            steps.append(step)
    fresh = json.loads(subprocess.run([sys.executable, "-m", "bench", "bench_brief", "--one", str(db), str(story_id)],
                                      check=True, capture_output=True, text=True).stdout.splitlines()[-1])
    t, c = time.perf_counter(), time.process_time()
    brief.to_markdown(built)
    md, md_cpu = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    brief.to_html(built)
    html, html_cpu = time.perf_counter() - t, time.process_time() - c
    return {
        "articles": story["n_articles"], "events": len(story["events"]), "outlets": story["n_outlets"],
        "statements": sum(len(g["statements"]) for g in built["statements"]),
        "summary_sentences": sum(len(p["sentences"]) for p in built["summary"]["paragraphs"]),
        # the first build embeds the claim and conflict sentences ingest did not store (and stores them) and reads
        # the material; the later ones in this process reuse the material cache, the next process neither
        "first_build_seconds": round(totals[0], 3), "first_build_cpu_seconds": round(cpus[0], 3),
        "next_process_build_seconds": fresh["seconds"], "next_process_build_cpu_seconds": fresh["cpu_seconds"],
        "next_process_embedded_sentences": fresh["embedded"],
        "build_seconds_median": round(statistics.median(totals), 3),
        "build_seconds": [round(x, 3) for x in totals],
        "build_cpu_seconds_median": round(statistics.median(cpus), 3),
        "build_cpu_seconds": [round(x, 3) for x in cpus],
        "steps_cpu_seconds_median": {k: round(statistics.median(s[k] for s in steps), 3) for k in steps[0]},
        "markdown_seconds": round(md, 3), "html_seconds": round(html, 3),
        "markdown_cpu_seconds": round(md_cpu, 3), "html_cpu_seconds": round(html_cpu, 3),
        "load_average": round(os.getloadavg()[0], 1),
        "json_bytes": len(json.dumps(built)),
    }


def _as_ingest_leaves_it(db: Path, ids: list[str]) -> None:
    """The storyline's stored sentence vectors as an ingest leaves them: every earlier brief's gone, each
    article's lead stored as the story stage stores it (a store kept from before that step gets them too)."""
    import storyline
    from storyline.engines.stories import _lead_vectors
    from storyline.stories.embed import embed

    with storyline.open_store(db) as store, store._transaction():
        store.conn.execute("DELETE FROM sentence_vectors")
        for i in range(0, len(ids), 256):
            _lead_vectors(store, ids[i:i + 256], embed)


def one(db: str, story_id: int) -> int:
    """One build in this (fresh) process, its store's vectors kept from the run before: prints JSON."""
    import importlib

    import storyline
    from storyline import brief

    embed_module = importlib.import_module("storyline.stories.embed")
    embedded: list[str] = []
    real = embed_module.embed

    def counting(texts: list[str], *args: Any, **kwargs: Any) -> Any:
        embedded.extend(texts)
        return real(texts, *args, **kwargs)

    embed_module.embed = counting
    story = storyline.story(story_id, db)
    settings = storyline.Settings(llm_base_url="", llm_model="")
    with storyline.open_store(db, readonly=True) as store:
        started, cpu = time.perf_counter(), time.process_time()
        brief.build(story, store, settings)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"seconds": round(seconds, 3), "cpu_seconds": round(cpu_seconds, 3), "embedded": len(embedded)}))
    return 0


def render(argv: list[str]) -> int:
    import argparse

    from bench.brief_render import compare

    parser = argparse.ArgumentParser(prog="python -m bench bench_brief --render")
    parser.add_argument("--render", action="store_true")
    parser.add_argument("--before", help="a src directory of the version to compare with")
    figures = compare(parser.parse_args(argv).before)
    for side in ("before", "after"):
        if side in figures:
            f = figures[side]
            print(f"  {side:6} HTML {f['html_seconds']}s (CPU {f['html_cpu_seconds']}s)  Markdown "
                  f"{f['markdown_seconds']}s (CPU {f['markdown_cpu_seconds']}s)")
    save("bench_brief_render", figures)
    return 0 if figures["after"]["html_cpu_seconds"] < 2.0 else 1


def main(argv: list[str]) -> int:
    if "--render" in argv:
        return render(argv)
    if argv[:1] == ["--one"]:
        return one(argv[1], int(argv[2]))
    keep = os.environ.get("BENCH_BRIEF_DB")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(keep) if keep else Path(tmp) / "brief.db"
        if not db.exists():
            _build_store(db)
            _regroup(db)
        import storyline

        storyline.open_store(db).close()   # a kept store from an older version is upgraded
        ids = [s["id"] for s in storyline.stories(db, limit=len(SIZES))]
        results = [_measure(db, sid) for sid in sorted(ids, key=lambda i: storyline.story(i, db)["n_articles"])]
    for r in results:
        print(f"  {r['articles']:>5} articles, {r['events']:>4} events, {r['statements']:>5} statements: "
              f"first brief {r['first_build_seconds']}s, CPU {r['first_build_cpu_seconds']}s; then "
              f"{r['build_seconds_median']}s, CPU {r['build_cpu_seconds_median']}s; next process "
              f"{r['next_process_build_seconds']}s, CPU {r['next_process_build_cpu_seconds']}s (CPU by step "
              f"{r['steps_cpu_seconds_median']}); HTML {r['html_seconds']}s, CPU {r['html_cpu_seconds']}s")
    save("bench_brief", {"method": "allsides-12k, real NLP and story placement, events regrouped into storylines "
                                   "of about 50/500/5,000 articles", "repeats": REPEATS,
                         "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                         "storylines": results})
    return 0
