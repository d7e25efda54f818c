"""Publication dates inferred for undated articles, on allsides-12k (issue 15).

1. 200 dated articles (ISO date, fixed seed) lose their date: their ``published`` field and their URL (most
   allsides URLs name the day) are dropped; title, outlet and text stay;
2. the other 11,800 rows are ingested first as they are (dated around the test articles; the ~10% of the
   corpus without a usable date stays undated), with the real pipeline: cleaning, the NLP stage on each
   article's first ``BACKGROUND_NLP_CHARS`` characters (the ``nlp_max_chars`` setting; the cap keeps the
   build within what this shared 2-core machine allows, as in ``bench_brief``) and story placement;
3. the 200 are ingested after them with the NLP stage on their whole text, then placed in stories (so a
   copy, rewrite or same-event article among the 11,800 can give its date);
4. for each of the 200: the range stored (its basis: text, copy, rewrite or event) and, in the same run, the
   range of the method before issue 15 (dates named in the text only: ``bench/pubdate_baseline.py``) on the
   same analysis. Reported: containment (the range holds the true date), median width in days, share
   with a range, separately for articles with a dated neighbour (a copy, rewrite or fellow event member
   with a date) and without.

    python -m bench eval_pubdate_infer
    BENCH_PUBDATE_DB=/tmp/pubdate.db python -m bench eval_pubdate_infer   # keep the background store; re-runs reuse it
    BENCH_PUBDATE_TEST_DB=/tmp/test.db ...   # also keep the store with the test articles analysed (not placed)
    ... eval_pubdate_infer --reinfer          # with kept stores: infer the ranges again from the stored analysis
    ... eval_pubdate_infer --text-only [--seed 16 --n 400]   # the text alone, no store (minutes; another seed:
                                                             # rows outside the sample, for development)
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import sqlite3
import statistics
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import check_minimums, save, shared

SEED = 15
N_TEST = 200
BACKGROUND_NLP_CHARS = 1500
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def split_rows(corpus: Path) -> tuple[list[dict], list[dict]]:
    """(the test rows, the background rows): the test rows are ``N_TEST`` of the rows with an ISO date no
    later than today and some text, drawn with ``SEED``."""
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        rows = [r for r in map(json.loads, fh) if (r.get("text") or "").strip()]
    today = time.strftime("%Y-%m-%d")
    dated = sorted(r["id"] for r in rows if _ISO.fullmatch(r.get("published") or "") and r["published"] <= today)
    test_ids = set(random.Random(SEED).sample(dated, N_TEST))
    test = sorted((r for r in rows if r["id"] in test_ids), key=lambda r: r["id"])
    return test, [r for r in rows if r["id"] not in test_ids]


def _write(rows: list[dict], path: Path, *, undated: bool) -> None:
    keys = ("outlet", "title", "text") if undated else ("url", "outlet", "published", "title", "text")
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({k: r.get(k) for k in keys}) + "\n")


def build_background(db: Path, background: list[dict]) -> None:
    """The 11,800 rows as they are: capped NLP, stories placed."""
    import storyline

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "background.jsonl"
        _write(background, src, undated=False)
        started = time.perf_counter()
        report = storyline.ingest([str(src)], db, settings=storyline.Settings(nlp_max_chars=BACKGROUND_NLP_CHARS))
        print(f"background: {report.new} articles in {time.perf_counter() - started:.0f}s", flush=True)


def add_test(db: Path, test: list[dict]) -> None:
    """The undated test rows: whole-text NLP (story placement comes next, in ``place``)."""
    import storyline

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "test.jsonl"
        _write(test, src, undated=True)
        started = time.perf_counter()
        report = storyline.ingest([str(src)], db, settings=storyline.Settings(stories=False))
        print(f"test: {report.new} articles analysed in {time.perf_counter() - started:.0f}s", flush=True)


def reinfer(db: Path) -> None:
    """Infer the test articles' ranges again from their stored analysis with the library as it is now (to try
    a change to the cues without running the NLP stage again; ``--reinfer``)."""
    from storyline.extract.pubdate import infer_published
    from storyline.records import Sentence, TimeExpr, evidence_to_json

    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT id, text, url FROM articles WHERE origin LIKE '%test.jsonl#L%' "
                        "AND published IS NULL").fetchall()
    with conn:
        for aid, text, url in rows:
            times = [TimeExpr(*t) for t in conn.execute(
                "SELECT start, end, text, type, value, granularity, basis, sentence FROM time_exprs "
                "WHERE article_id = ? ORDER BY start", (aid,))]
            sentences = [Sentence(*x) for x in conn.execute(
                "SELECT idx, start, end FROM sentences WHERE article_id = ? ORDER BY idx", (aid,))]
            r = infer_published(text, times, sentences, url=url)
            conn.execute("UPDATE analyses SET published_from = ?, published_to = ?, published_basis = ?, "
                         "published_evidence = ? WHERE article_id = ?",
                         (r.start if r else None, r.end if r else None, r.basis if r else None,
                          evidence_to_json(r.evidence) if r else "[]", aid))
    conn.close()


def place(db: Path) -> None:
    """Story placement of the queued test articles (copies, rewrites, events: and their neighbours' dates)."""
    import storyline

    started = time.perf_counter()
    report = storyline.update_stories(db, settings=storyline.Settings())
    print(f"stories: {report.placed} placed, {report.dated_by_neighbours} dated by neighbours in "
          f"{time.perf_counter() - started:.0f}s", flush=True)


def copy_store(src: Path, dst: Path) -> None:
    """A store and its vector indexes, copied (the background is built once and kept)."""
    import shutil
    import sqlite3

    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    if Path(f"{src}.stories").exists():
        shutil.copytree(f"{src}.stories", f"{dst}.stories")


def _days(lo: str, hi: str) -> int:
    return (date.fromisoformat(hi) - date.fromisoformat(lo)).days + 1


def score(db: Path, test: list[dict]) -> dict[str, Any]:
    """Per test article: the stored range, its basis, whether a dated neighbour exists; the baseline's range."""
    from storyline.records import Sentence, TimeExpr

    from bench.pubdate_baseline import infer_published_before_issue15

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute(
        "SELECT a.id, a.origin, a.published, a.date_source, a.text, n.published_from, n.published_to, "
        "n.published_basis FROM articles a LEFT JOIN analyses n ON n.article_id = a.id WHERE a.origin LIKE '%test.jsonl#L%'").fetchall()
    by_line = {int(r[1].rsplit("#L", 1)[1]): r for r in rows}
    today = date.today()
    items = []
    for line, truth_row in enumerate(test, 1):
        r = by_line.get(line)
        if r is None:
            items.append({"id": truth_row["id"], "stored": False})
            continue
        aid, _, published, source, text, lo, hi, basis = r
        truth = truth_row["published"]
        times = [TimeExpr(*t) for t in conn.execute(
            "SELECT start, end, text, type, value, granularity, basis, sentence FROM time_exprs WHERE article_id = ? "
            "ORDER BY start", (aid,))]
        sentences = [Sentence(*s) for s in conn.execute(
            "SELECT idx, start, end FROM sentences WHERE article_id = ? ORDER BY idx", (aid,))]
        old = infer_published_before_issue15(text, times, sentences, today)
        items.append({"id": truth_row["id"], "stored": True, "truth": truth, "cleaning_found": published,
                      "range": [lo, hi] if lo else None, "basis": basis, "neighbour": _dated_neighbour(conn, aid),
                      "story_neighbour": _story_neighbour(conn, aid), "event_span": _event_span(conn, aid),
                      "same_days_article_exists": _same_days_exists(conn, aid, truth),
                      "baseline": list(old) if old else None})
    conn.close()
    return {"items": items}


def _dated_neighbour(conn: sqlite3.Connection, aid: str) -> str | None:
    """``copy``, ``rewrite`` or ``event`` when the story stage found a dated neighbour close enough to date
    this article (a neighbour cue in its evidence, kept or dropped), else ``None``."""
    evidence = conn.execute("SELECT published_evidence FROM analyses WHERE article_id = ?", (aid,)).fetchone()
    kinds = {e["kind"] for e in json.loads((evidence or ["[]"])[0] or "[]")}
    return next((b for k, b in (("copy", "copy"), ("rewrite", "rewrite"), ("event-member", "event")) if k in kinds),
                None)


def _story_neighbour(conn: sqlite3.Connection, aid: str) -> str | None:
    """What the story stage put next to the article, close or not: ``copy``, ``event`` (a dated fellow member)."""
    group = conn.execute("SELECT group_id FROM duplicates WHERE article_id = ?", (aid,)).fetchone()
    if group and conn.execute("SELECT 1 FROM duplicates d JOIN articles a ON a.id = d.article_id WHERE d.group_id = ? "
                              "AND a.published IS NOT NULL LIMIT 1", group).fetchone():
        return "copy"
    if conn.execute("SELECT 1 FROM event_articles ea JOIN event_articles eb ON eb.event_id = ea.event_id "
                    "JOIN articles b ON b.id = eb.article_id WHERE ea.article_id = ? AND eb.article_id != ? "
                    "AND b.published IS NOT NULL LIMIT 1", (aid, aid)).fetchone():
        return "event"
    return None


def _event_span(conn: sqlite3.Connection, aid: str) -> list[str] | None:
    """The first and last publication day of the dated fellow members of the article's event (what dating by
    the whole event would give; reported, not used)."""
    r = conn.execute("SELECT min(b.published), max(b.published) FROM event_articles ea JOIN event_articles eb "
                     "ON eb.event_id = ea.event_id JOIN articles b ON b.id = eb.article_id WHERE ea.article_id = ? "
                     "AND eb.article_id != ? AND b.published IS NOT NULL", (aid, aid)).fetchone()
    return [r[0][:10], r[1][:10]] if r and r[0] else None


def _same_days_exists(conn: sqlite3.Connection, aid: str, truth: str, cosine: float = 0.7) -> bool:
    """Whether any dated article of the store, published from 3 days before to 5 days after the true day, is
    at least ``cosine`` similar to this one (the ceiling of dating by neighbours; reads the truth, so only
    for the report)."""
    from storyline.stories.embed import vector_from_bytes

    mine = conn.execute("SELECT embedding FROM story_features WHERE article_id = ?", (aid,)).fetchone()
    if mine is None:
        return False
    v = vector_from_bytes(mine[0])
    day = date.fromisoformat(truth)
    lo, hi = (day.fromordinal(day.toordinal() - 3).isoformat(), day.fromordinal(day.toordinal() + 5).isoformat())
    return any(float(v @ vector_from_bytes(r[0])) >= cosine for r in conn.execute(
        "SELECT embedding FROM story_features WHERE day_basis = 'published' AND day BETWEEN ? AND ? "
        "AND article_id != ?", (lo, hi, aid)))


def figures(items: list[dict]) -> dict[str, Any]:
    """Containment, coverage and width for the new method and the baseline, overall and by neighbour."""
    def block(sel: list[dict], key: str) -> dict[str, Any]:
        ranged = [(it[key], it["truth"]) for it in sel if it.get(key)]
        held = [lo <= truth <= hi for (lo, hi), truth in ranged]
        widths = sorted(_days(lo, hi) for (lo, hi), _ in ranged)
        return {"articles": len(sel), "with_range": len(ranged),
                "coverage": round(len(ranged) / len(sel), 4) if sel else 0.0,
                "containment": round(sum(held) / len(held), 4) if held else 0.0,
                "holds_over_all": round(sum(held) / len(sel), 4) if sel else 0.0,
                "median_width_days": statistics.median(widths) if widths else None,
                "within_60_days_and_holding": round(sum(
                    1 for ((lo, hi), truth) in ranged if lo <= truth <= hi and _days(lo, hi) <= 60) / len(sel), 4)
                if sel else 0.0}

    for it in items:   # a date the cleaning found counts as a one-day range
        if it.get("cleaning_found"):
            it["range"] = [it["cleaning_found"], it["cleaning_found"]]
    stored = [it for it in items if it["stored"]]
    groups = {"all": stored, "with_neighbour": [it for it in stored if it["neighbour"]],
              "without_neighbour": [it for it in stored if not it["neighbour"]]}
    out: dict[str, Any] = {}
    for name, sel in groups.items():
        out[name] = {"new": block(sel, "range"), "before_issue15": block(sel, "baseline")}
    out["basis"] = dict(Counter(it["basis"] or ("cleaning" if it.get("cleaning_found") else "none") for it in stored))
    out["neighbour_kinds"] = dict(Counter(it["neighbour"] or "none" for it in stored))
    out["story_stage_neighbours"] = dict(Counter(it["story_neighbour"] or "none" for it in stored))
    out["same_days_article_exists"] = sum(1 for it in stored if it["same_days_article_exists"])
    # the event's dated members' span, widened by a week either way, as a range (diagnostic: is the event the
    # story stage placed the article in one happening of a few days?)
    spans = [(it["event_span"], it["truth"]) for it in stored if it.get("event_span")]
    widened = [((date.fromisoformat(lo).toordinal() - 7, date.fromisoformat(hi).toordinal() + 7),
                date.fromisoformat(t).toordinal()) for (lo, hi), t in spans]
    out["event_span_widened_7_days"] = {
        "articles": len(spans),
        "containment": round(sum(a <= t <= b for (a, b), t in widened) / len(widened), 4) if widened else None,
        "median_width_days": statistics.median(b - a + 1 for (a, b), _ in widened) if widened else None}
    return out


def text_only(test: list[dict], background: list[dict], argv: list[str]) -> int:
    """``--text-only [--seed N] [--n N]``: the ranges the text alone gives (cleaning and the NLP stage on the
    whole text, no store, no story stage) for the stored sample, or for ``N`` other dated rows drawn with
    another seed (for development: not the evaluation sample). Minutes, not the hours of the full run."""
    from storyline.ingest import ReadOptions
    from storyline.ingest.jsonl import record_to_document
    from storyline.pipeline import analyse_batch, process
    from storyline.records import Article
    from storyline.settings import Settings

    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else SEED
    n = int(argv[argv.index("--n") + 1]) if "--n" in argv else N_TEST
    if seed != SEED:   # rows outside the evaluation sample
        today = time.strftime("%Y-%m-%d")
        dated = sorted(r["id"] for r in background if _ISO.fullmatch(r.get("published") or "") and r["published"] <= today)
        ids = set(random.Random(seed).sample(dated, n))
        rows = sorted((r for r in background if r["id"] in ids), key=lambda r: r["id"])
    else:
        rows = test
    options = ReadOptions()
    pairs = [(r, process(record_to_document({k: r.get(k) for k in ("outlet", "title", "text")}, r["id"], options)))
             for r in rows]
    pairs = [(r, a) for r, a in pairs if isinstance(a, Article)]
    settings = Settings()
    items = []
    for i in range(0, len(pairs), 16):
        chunk = pairs[i:i + 16]
        for (r, a), an in zip(chunk, analyse_batch([a for _, a in chunk], settings)):
            rng = [a.published, a.published] if a.published else list(an.published_range) if an.published_range \
                else None
            items.append({"id": r["id"], "truth": r["published"], "range": rng,
                          "basis": "cleaning" if a.published else an.published_basis})
    held = [it["range"][0] <= it["truth"] <= it["range"][1] for it in items if it["range"]]
    widths = sorted(_days(*it["range"]) for it in items if it["range"])
    figs = {"articles": len(rows), "with_range": len(held),
            "containment": round(sum(held) / len(held), 4) if held else 0.0,
            "median_width_days": statistics.median(widths) if widths else None,
            "within_60_days_and_holding": round(sum(1 for it in items if it["range"] and _days(*it["range"]) <= 60
                                                    and it["range"][0] <= it["truth"] <= it["range"][1]) / len(rows), 4),
            "basis": dict(Counter(it["basis"] or "none" for it in items))}
    print(f"text only, seed {seed}: {figs}")
    name = "eval_pubdate_infer_text" if seed == SEED else f"eval_pubdate_infer_text_seed{seed}"
    save(name, {"method": f"allsides-12k: {len(rows)} dated rows (seed {seed}{', the evaluation sample' if seed == SEED else ', not the evaluation sample'}) "
                          "stripped of date and URL; cleaning and the NLP stage on the whole text; no store, no story "
                          "stage: the ranges the text alone gives",
                "targets": {"containment": 0.95, "median_width_days": 60}, **figs, "per_article": items})
    return check_minimums(name, {k: figs[k] for k in ("containment", "within_60_days_and_holding")}) \
        if seed == SEED else 0


def main(argv: list[str]) -> int:
    corpus = shared("corpus", "allsides-12k.jsonl.gz")
    test, background = split_rows(corpus)
    if "--text-only" in argv:
        return text_only(test, background, argv)
    keep = os.environ.get("BENCH_PUBDATE_DB")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(keep) if keep else Path(tmp) / "background.db"
        if not base.exists():
            build_background(base, background)
        if "--background-only" in argv:
            return 0
        analysed = Path(os.environ.get("BENCH_PUBDATE_TEST_DB") or Path(tmp) / "analysed.db")
        if not analysed.exists():
            copy_store(base, analysed)
            add_test(analysed, test)
        db = Path(tmp) / "pubdate.db"
        copy_store(analysed, db)
        if "--reinfer" in argv:
            reinfer(db)
        place(db)
        result = score(db, test)
    figs = figures(result["items"])
    for name in ("all", "with_neighbour", "without_neighbour"):
        for method in ("new", "before_issue15"):
            f = figs[name][method]
            print(f"{name:18s} {method:15s} n={f['articles']:3d} coverage={f['coverage']:.3f} "
                  f"containment={f['containment']:.3f} median_width={f['median_width_days']} "
                  f"within_60_and_holding={f['within_60_days_and_holding']:.3f}")
    print("basis:", figs["basis"], "neighbours:", figs["neighbour_kinds"], "story stage:",
          figs["story_stage_neighbours"], "a dated article of the same days (cosine >= 0.7) exists for",
          figs["same_days_article_exists"], "event span (7 days' widening):", figs["event_span_widened_7_days"])
    headline = {
        "containment": figs["all"]["new"]["containment"],
        "holds_over_all": figs["all"]["new"]["holds_over_all"],
        "coverage": figs["all"]["new"]["coverage"],
        "containment_with_neighbour": figs["with_neighbour"]["new"]["containment"],
        "containment_without_neighbour": figs["without_neighbour"]["new"]["containment"],
        "within_60_days_and_holding": figs["all"]["new"]["within_60_days_and_holding"],
    }
    save("eval_pubdate_infer", {
        "method": f"allsides-12k: {N_TEST} dated articles (seed {SEED}) stripped of date and URL, ingested after the "
                  f"other rows (NLP on their first {BACKGROUND_NLP_CHARS} characters), stories placed; the range "
                  "stored vs. the method before issue 15 on the same analysis",
        "targets": {"containment": 0.95, "median_width_days": 60},
        **headline, "figures": figs,
        "per_article": [{k: it.get(k) for k in ("id", "truth", "range", "basis", "neighbour", "story_neighbour",
                                                "event_span", "same_days_article_exists", "baseline")}
                        for it in result["items"]]})
    return check_minimums("eval_pubdate_infer", headline)
