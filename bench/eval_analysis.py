"""Positions, claims and conflicts on the sample corpus's ``gold.json`` (the only labelled set: developed on it).

The corpus is ingested into a temporary store (stories on) and ``positions.extract``,
``claims.extract`` and ``conflicts.find`` run per storyline. Matching rules:

- **conflicts**: a predicted conflict matches a gold one when the kinds agree and at least two of its
  sides are sentences of gold sides (same article, the gold side's text inside the sentence); precision
  and recall overall and by kind (gold conflicts whose sides fall in different storylines cannot be
  found per storyline; they are counted as misses);
- **positions**: a predicted position matches a gold one of the same article and type when the holders
  agree (one name inside the other, accents and case folded) and the texts overlap: the shared words
  cover at least half of the gold text's words and a third of the predicted text's words; one-to-one;
  for matched positions whose gold date is a day, the share dated that day;
- **speed**: one storyline grown to 50, 500 and 5,000 articles by repeating the largest sample storyline
  (a unique word added to every sentence of each copy, each copy its own source, ~100 per event);
  seconds (wall and CPU: the machine is shared) for positions + claims + conflicts together; beyond
  ``material.MAX_ANALYSED`` articles a storyline is read as a sample.
- **claims**: a gold claim is *found* when a predicted claim asserted by at least half of its articles
  (F1 of the article sets >= 0.5) shares at least two content words with it, and at least 30% of the
  gold claim's content words (the best such claim by article F1 plus word share); for found claims, the
  share whose ``independent_sources`` equals the gold count exactly.

    python -m bench eval_analysis
    python -m bench.eval_analysis --db STORE-WITH-THE-SAMPLE-CORPUS --no-scale   # quicker, while developing
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import check_minimums, save
from bench.eval_sample import gold_path, match_articles
from bench.scoring import prf

MIN_GOLD_COVER = 0.5  # shared words / gold position words
MIN_PRED_COVER = 1 / 3  # shared words / predicted position words
MIN_CLAIM_F1 = 0.5  # article-set F1 for a predicted claim to find a gold claim
MIN_CLAIM_WORDS = 2  # content words a predicted claim must share with the gold claim ...
MIN_CLAIM_SHARE = 0.3  # ... and at least this share of the gold claim's content words
SCALE_SIZES = [50, 500, 5000]  # storyline sizes timed


def _words(text: str) -> set[str]:
    from storyline.analysis.words import content_stems

    return set(content_stems(text))


def _fold(name: str) -> str:
    from storyline.analysis.words import fold

    return " ".join(fold(name).replace("the ", " ").split())


def _run(db: str, ingest: bool = True) -> tuple[dict[str, Any], dict[str, str], dict[str, list], float]:
    import storyline
    from storyline.analysis import claims, conflicts, positions
    from storyline.store import Store

    gold = json.loads(gold_path().read_text())
    if ingest:
        storyline.ingest([storyline.sample_corpus()], db, settings=storyline.Settings(workers=1))
    out: dict[str, list] = {"positions": [], "claims": [], "conflicts": [], "changes": []}
    with Store(db, readonly=True) as store:
        matched = match_articles(gold, store.articles())
        texts = {a.article.id: a.article.text for a in matched.values()}
        started = time.perf_counter()
        for s in storyline.stories(db=db):
            story = storyline.story(s["id"], db=db)
            found = positions.extract(store, story)
            out["positions"] += found
            out["changes"] += positions.changes(found)
            out["claims"] += claims.extract(store, story)
            out["conflicts"] += conflicts.find(store, story)
        elapsed = time.perf_counter() - started
    key_of = {a.article.id: key for key, a in matched.items()}
    return gold, key_of, {**out, "texts": texts}, elapsed


def _side_matches(side: dict[str, Any], gold_side: dict[str, Any], key_of: dict[str, str]) -> bool:
    return key_of.get(side["article_id"]) == gold_side["article"] and _norm(gold_side["text"]) in _norm(side["text"])


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split())


def conflict_scores(gold: list[dict], predicted: list[dict], key_of: dict[str, str]) -> dict[str, Any]:
    def matches(p: dict, g: dict) -> bool:
        if p["kind"] != g["kind"]:
            return False
        hit = {i for i, gs in enumerate(g["sides"]) for s in p["sides"] if _side_matches(s, gs, key_of)}
        return len(hit) >= 2

    kinds = sorted({c["kind"] for c in gold} | {c["kind"] for c in predicted})
    figures: dict[str, Any] = {}
    for kind in [None, *kinds]:
        g = [c for c in gold if kind in (None, c["kind"])]
        p = [c for c in predicted if kind in (None, c["kind"])]
        tp_p = sum(any(matches(x, y) for y in g) for x in p)
        tp_g = sum(any(matches(x, y) for x in p) for y in g)
        precision = tp_p / len(p) if p else 1.0
        recall = tp_g / len(g) if g else 1.0
        name = kind or "all"
        figures[name] = {"precision": round(precision, 3), "recall": round(recall, 3), "predicted": len(p),
                         "gold": len(g)}
    figures["unmatched_predictions"] = [f"{c['kind']}: {c['about']}" for c in predicted
                                        if not any(matches(c, g) for g in gold)]
    figures["missed"] = [f"{g['kind']}: {g['about']}" for g in gold if not any(matches(c, g) for c in predicted)]
    return figures


def position_scores(gold: list[dict], predicted: list[dict], key_of: dict[str, str]) -> dict[str, Any]:
    # the sample's labels predate support/oppose and name one "actor" (whoever says it): positions of the
    # labelled types are scored, the actor matching the holder or who reported it
    types = {g["type"] for g in gold}
    predicted = [p for p in predicted if p["type"] in types]
    by_article: dict[str, list[dict]] = defaultdict(list)
    for p in predicted:
        by_article[key_of.get(p["article_id"], p["article_id"])].append(p)
    used: set[int] = set()
    tp = dated = right_day = 0
    missed = []
    for g in gold:
        gw = _words(g["text"])
        best = None
        for p in by_article.get(g["article"], []):
            if id(p) in used or p["type"] != g["type"] or not (
                    _same_actor(p["holder"]["name"], g["actor"])
                    or _same_actor((p.get("reported_by") or {}).get("name") or "", g["actor"])):
                continue
            pw = _words(p["text"])
            shared = len(gw & pw)
            if gw and pw and shared / len(gw) >= MIN_GOLD_COVER and shared / len(pw) >= MIN_PRED_COVER:
                best = p
                break
        if best is None:
            missed.append(f"{g['actor']} {g['type']} {g['article']}: {g['text'][:80]}")
        else:
            used.add(id(best))
            tp += 1
            if len(g["date"]) == 10:  # a day (a few gold dates are weeks)
                dated += 1
                right_day += best["date"] == g["date"]
    p, r, f = prf(tp, len(predicted) - tp, len(gold) - tp)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "predicted": len(predicted),
            "gold": len(gold), "matched": tp, "date_accuracy": round(right_day / dated, 3) if dated else 0.0,
            "missed": missed}


def _same_actor(predicted: str, gold: str) -> bool:
    a, b = _fold(predicted), _fold(gold)
    return bool(a and b) and (a in b or b in a)


def claim_scores(gold: list[dict], predicted: list[dict], key_of: dict[str, str]) -> dict[str, Any]:
    found = exact = 0
    rows = []
    for g in gold:
        gset = set(g["asserted_by"])
        gw = _words(g["claim"])
        best, best_f1 = None, 0.0
        need = max(MIN_CLAIM_WORDS, math.ceil(MIN_CLAIM_SHARE * len(gw)))
        for c in predicted:
            pset = {key_of.get(a["article_id"], a["article_id"]) for a in c["asserted_by"]}
            shared = len(gset & pset)
            f1 = 2 * shared / (len(gset) + len(pset)) if shared else 0.0
            words = len(gw & _words(c["text"]))
            score = f1 + words / len(gw) if gw else f1
            if f1 >= MIN_CLAIM_F1 and words >= need and score > best_f1:
                best, best_f1 = c, score
        if best is not None:
            found += 1
            exact += best["independent_sources"] == g["independent_sources"]
        rows.append({"claim": g["claim"], "found": best is not None,
                     "independent_sources": g["independent_sources"],
                     "predicted": best["independent_sources"] if best else None})
    return {"found": found, "gold": len(gold), "found_share": round(found / len(gold), 3),
            "independent_sources_exact": round(exact / found, 3) if found else 0.0, "predicted": len(predicted),
            "claims": rows}


def _scaled_store(src: str, dst: str, storyline_id: int, n: int) -> dict[str, Any]:
    """Copy the store at ``src`` and grow one storyline to ``n`` articles: its articles again and again,
    each copy with a unique word at the end of every sentence (so no two sentences are the same text and
    none can be skipped as a copy), spread over events of ~100 articles, each copy its own source."""
    import shutil
    import sqlite3

    shutil.copy(src, dst)
    conn = sqlite3.connect(dst)
    base = [r[0] for r in conn.execute(
        "SELECT ea.article_id FROM event_articles ea JOIN events e ON e.id = ea.event_id "
        "WHERE e.storyline_id = ? ORDER BY ea.article_id", (storyline_id,))]
    articles, events = [], []
    for k in range(n):
        aid = base[k % len(base)]
        new = f"{aid}~{k}"
        _copy_article(conn, aid, new, " " + _letters(k))
        event = k // 100 + 1
        if not events or events[-1]["id"] != event:
            events.append({"id": event, "article_ids": []})
        events[-1]["article_ids"].append(new)
        articles.append({"id": new, "event_id": event, "canonical_id": new, "source_id": new})
    conn.commit()
    conn.close()
    return {"id": storyline_id, "events": events, "articles": articles}


def _letters(k: int) -> str:
    """A word made of letters only, unique per ``k`` (digits would read as figures)."""
    word = "q"
    while True:
        word += "bcdfghjklmnpqrstvwxz"[k % 20]
        k //= 20
        if not k:
            return word


def _copy_article(conn: Any, aid: str, new: str, mark: str) -> None:
    text, published, outlet = conn.execute("SELECT text, published, outlet_id FROM articles WHERE id = ?",
                                           (aid,)).fetchone()
    sentences = conn.execute("SELECT idx, start, end FROM sentences WHERE article_id = ? ORDER BY idx",
                             (aid,)).fetchall()
    shift, pieces, last, new_sentences = {}, [], 0, []
    for idx, start, end in sentences:
        moved = len(mark) * len(new_sentences)
        shift[idx] = moved
        pieces += [text[last:end], mark]
        new_sentences.append((new, idx, start + moved, end + moved + len(mark)))
        last = end
    pieces.append(text[last:])
    conn.execute("INSERT INTO articles (id, content_hash, url, outlet_id, title, published, text, blocks, origin, "
                 "ingested_at) VALUES (?,?,?,?,?,?,?,'[]','scale','now')",
                 (new, new, None, outlet, None, published, "".join(pieces)))
    conn.executemany("INSERT INTO sentences (article_id, idx, start, end) VALUES (?,?,?,?)", new_sentences)
    for table, cols in (("mentions", "start, end, text, label, entity_id, sentence, role, actor"),
                        ("time_exprs", "start, end, text, type, value, granularity, basis, sentence"),
                        ("quotes", "id, start, end, text, kind, speaker_entity_id, speaker_name, speaker_start, "
                                   "speaker_end, cue, cue_start, cue_end, said_on, said_on_basis, sentence, "
                                   "statement_id"),
                        ("stances", "idx, sentence, start, end, cue_start, cue_end, type, holder_text, holder_start, "
                                    "holder_end, holder_name, holder_label, holder_mention, reported_by_text, "
                                    "reported_by_start, reported_by_name, reported_by_mention, about_start, "
                                    "about_end, in_quote, quote_id")):
        names = [c.strip() for c in cols.split(",")]
        for row in conn.execute(f"SELECT {cols} FROM {table} WHERE article_id = ?", (aid,)).fetchall():
            r = dict(zip(names, row))
            move = shift.get(r["sentence"], 0)
            for c in ("start", "end", "speaker_start", "speaker_end", "cue_start", "cue_end", "holder_start",
                      "holder_end", "reported_by_start", "about_start", "about_end"):
                if c in r and r[c] is not None:
                    r[c] += move
            for c in ("id", "quote_id"):
                if r.get(c) is not None:
                    r[c] = f"{r[c]}~{new}"
            conn.execute(f"INSERT INTO {table} (article_id, {cols}) VALUES (?, {','.join('?' * len(names))})",
                         (new, *[r[c] for c in names]))


def scale(db: str, sizes: list[int]) -> dict[str, float]:
    """Seconds for positions, claims and conflicts of one storyline of each size (built from ``db``)."""
    from storyline.analysis import claims, conflicts, positions
    from storyline.store import Store

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = str(Path(tmp) / f"scale-{n}.db")
            story = _scaled_store(db, path, 1, n)
            with Store(path, readonly=True) as store:
                started, cpu = time.perf_counter(), time.process_time()
                found = (positions.extract(store, story), claims.extract(store, story), conflicts.find(store, story))
                out[f"seconds_{n}_articles"] = round(time.perf_counter() - started, 2)
                out[f"cpu_seconds_{n}_articles"] = round(time.process_time() - cpu, 2)
            print(f"  {n} articles: {out[f'seconds_{n}_articles']}s wall, {out[f'cpu_seconds_{n}_articles']}s CPU "
                  f"({len(found[0])} positions, {len(found[1])} claims, {len(found[2])} conflicts)")
    return out


def main(argv: list[str] | None = None) -> int:
    argv = argv or []
    with tempfile.TemporaryDirectory() as tmp:
        db = argv[argv.index("--db") + 1] if "--db" in argv else str(Path(tmp) / "sample.db")
        gold, key_of, out, elapsed = _run(db, ingest="--db" not in argv)
        timing = {}
        if "--no-scale" not in argv:
            print("time for positions + claims + conflicts of one storyline (sample articles repeated):")
            timing = scale(db, SCALE_SIZES)
    conflicts = conflict_scores(gold["conflicts"], out["conflicts"], key_of)
    positions = position_scores(gold["positions"], out["positions"], key_of)
    claims = claim_scores(gold["claims"], out["claims"], key_of)
    figures = {
        "conflicts_precision": conflicts["all"]["precision"], "conflicts_recall": conflicts["all"]["recall"],
        "positions_precision": positions["precision"], "positions_recall": positions["recall"],
        "positions_date_accuracy": positions["date_accuracy"],
        "claims_found_share": claims["found_share"],
        "claims_independent_sources_exact": claims["independent_sources_exact"],
    }
    save("eval_analysis", {"data": "sample corpus gold.json (developed on it; no held-out set)",
                           "analysis_seconds": round(elapsed, 2), **figures, "scale": timing, "conflicts": conflicts,
                           "positions": positions, "claims": claims, "position_changes": len(out["changes"])})
    print(f"conflicts: {json.dumps({k: v for k, v in conflicts.items() if isinstance(v, dict)})}")
    print(f"positions: precision {positions['precision']} recall {positions['recall']} "
          f"({positions['matched']}/{positions['gold']}, {positions['predicted']} predicted)")
    print(f"claims: found {claims['found']}/{claims['gold']}, independent sources exact "
          f"{claims['independent_sources_exact']}; {len(out['changes'])} position changes; "
          f"analysis {elapsed:.2f}s")
    return check_minimums("eval_analysis", figures)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
