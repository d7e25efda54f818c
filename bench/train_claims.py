"""Fit the same-claim pair score of ``storyline.analysis.claims`` on the real labelled storylines.

Two sentences of different articles that a reader marked as asserting one central claim are a positive
pair; a labelled claim's sentence and any sentence of an article that does not assert that claim are a
negative pair (one in ``NEGATIVE_SAMPLE``, drawn with a fixed seed; the thresholds in ``claims`` are set
on scores of this fit). Features are those of ``claims._Pairs.features``. The script prints the logistic
weights to put in ``claims.PAIR_WEIGHTS`` / ``PAIR_BIAS`` and measures them honestly: for each labelled
storyline, the weights are fitted on the other storylines and the claims of the held-out one are built
with them and scored as ``eval_real_analysis`` scores them (found, asserting-source count exact).

    python -m bench train_claims [--db PATH (a store of the labelled articles, built when missing)]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import save
from bench import eval_real_analysis as real

NEGATIVE_SAMPLE = 5
SEED = 13
FEATURES = ("cosine", "shared_idf", "shared_idf_share", "shared_anchors", "both_leads")


def _storylines(db: str) -> list[dict[str, Any]]:
    """Each labelled storyline's candidate sentences, pair features and everything needed to score it."""
    from storyline.analysis import claims
    from storyline.analysis.facts import build
    from storyline.analysis.material import load
    from storyline.analysis.vectors import compared, vectors
    from storyline.store import Store

    import numpy as np

    gold = real.load_gold()
    ids = {a["id"] for g in gold for a in g["articles"]}
    rows = real.corpus_rows(ids)
    if not Path(db).exists():
        real._ingest(rows, db)
    out = []
    rng = random.Random(SEED)
    with Store(db, readonly=True) as store:
        stored = real.stored_by_corpus_id(store, rows)
        store_id = {cid: a.article.id for cid, a in stored.items()}
        corpus_id = {v: k for k, v in store_id.items()}
        maps = {aid: real.SpanMap(rows[aid]["text"], stored[aid].article.text) for aid in ids if aid in stored}
        for raw in gold:
            g = real._map_gold(raw, maps, Counter())
            story = real._story_of(store, [store_id[a["id"]] for a in g["articles"] if a["id"] in stored])
            material = load(store, story)
            ordered = compared(build(material))
            cached = vectors(material, ordered)
            vec = np.stack([cached[(f.article_id, f.sentence.index)] for f in ordered])
            pairs = claims._Pairs(ordered, vec @ vec.T)
            member: dict[int, set[int]] = {}  # candidate -> labelled claims it asserts
            asserting: dict[int, set[str]] = {}  # labelled claim -> its articles (store ids)
            for ci, claim in enumerate(g["claims"]):
                asserting[ci] = {store_id[x["article_id"]] for x in claim["asserted_by"] if x["article_id"] in stored}
                for x in claim["asserted_by"]:
                    span = (x["start"], x["end"])
                    best = max((i for i, f in enumerate(ordered) if corpus_id.get(f.article_id) == x["article_id"]),
                               key=lambda i: real._overlap((ordered[i].sentence.start, ordered[i].sentence.end), span),
                               default=None)
                    if best is not None and real._overlap((ordered[best].sentence.start,
                                                           ordered[best].sentence.end), span) > 0:
                        member.setdefault(best, set()).add(ci)
            X, y = [], []
            for i, mine in member.items():
                partners = []
                for j, f in enumerate(ordered):
                    if f.article_id == ordered[i].article_id:
                        continue
                    if member.get(j, set()) & mine:
                        label = 1
                    elif any(f.article_id in asserting[c] for c in mine):
                        continue  # the article asserts the claim in another sentence: not a negative
                    elif rng.randrange(NEGATIVE_SAMPLE):
                        continue
                    else:
                        label = 0
                    partners.append(j)
                    y.append(label)
                if partners:
                    features = pairs.features([i], partners)
                    X += [tuple(float(x[0, k]) for x in features) for k in range(len(partners))]
            out.append({"gold": g, "story": story, "X": X, "y": y, "corpus_id": corpus_id, "store": db})
    return out


def _fit(X: list, y: list) -> tuple[tuple[float, ...], float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(max_iter=5000).fit(X, y)
    return tuple(round(float(w), 2) for w in model.coef_[0]), round(float(model.intercept_[0]), 2)


def _score(data: dict[str, Any], weights: tuple[float, ...], bias: float) -> dict[str, Any]:
    """The held-out storyline's claims built with ``weights``, scored as ``eval_real_analysis`` does."""
    from storyline.analysis import claims
    from storyline.store import Store

    saved = claims.PAIR_WEIGHTS, claims.PAIR_BIAS
    claims.PAIR_WEIGHTS, claims.PAIR_BIAS = weights, bias
    try:
        with Store(data["store"], readonly=True) as store:
            predicted = real._to_corpus(claims.extract(store, data["story"]), data["corpus_id"])
    finally:
        claims.PAIR_WEIGHTS, claims.PAIR_BIAS = saved
    g = data["gold"]
    groups = {a["id"]: a.get("source_group") or a["id"] for a in g["articles"]}
    opinion = {a["id"] for a in g["articles"] if a.get("opinion")}
    return real.score_claims(g["claims"], predicted, groups, opinion)


def main(argv: list[str]) -> int:
    from sklearn.metrics import roc_auc_score

    from storyline.analysis import claims

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        db = argv[argv.index("--db") + 1] if "--db" in argv else str(Path(tmp) / "real.db")
        data = _storylines(db)
        weights, bias = _fit([x for d in data for x in d["X"]], [v for d in data for v in d["y"]])
        held_out = Counter()
        scores, labels = [], []
        for k, d in enumerate(data):
            w, b = _fit([x for o in data if o is not d for x in o["X"]], [v for o in data if o is not d for v in o["y"]])
            scores += [b + sum(wi * xi for wi, xi in zip(w, x)) for x in d["X"]]
            labels += d["y"]
            s = _score(d, w, b)
            held_out.update({"gold": s["gold"], "found": s["found_n"], "exact": s["exact_n"]})
        in_use = Counter()
        for d in data:
            s = _score(d, claims.PAIR_WEIGHTS, claims.PAIR_BIAS)
            in_use.update({"gold": s["gold"], "found": s["found_n"], "exact": s["exact_n"]})
    figures = {
        "features": list(FEATURES), "weights": list(weights), "bias": bias,
        "in_use": {"weights": list(claims.PAIR_WEIGHTS), "bias": claims.PAIR_BIAS},
        "pairs": len(labels), "positive_pairs": sum(labels),
        "held_out_pair_auc": round(roc_auc_score(labels, scores), 3),
        "held_out_claims_found": round(held_out["found"] / held_out["gold"], 3),
        "held_out_claims_sources_exact": round(held_out["exact"] / max(1, held_out["found"]), 3),
        "in_use_claims_found": round(in_use["found"] / in_use["gold"], 3),
        "in_use_claims_sources_exact": round(in_use["exact"] / max(1, in_use["found"]), 3),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(f"weights {weights} bias {bias} (in use: {claims.PAIR_WEIGHTS} {claims.PAIR_BIAS})")
    print(f"held-out (leave one storyline out): pair AUC {figures['held_out_pair_auc']}, claims found "
          f"{figures['held_out_claims_found']}, sources exact {figures['held_out_claims_sources_exact']}; "
          f"with the weights in use: found {figures['in_use_claims_found']}, exact {figures['in_use_claims_sources_exact']}")
    save("train_claims", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
