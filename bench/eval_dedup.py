"""Near-duplicate detection on allsides-12k with planted copies.

From ``../shared/data/corpus/allsides-12k.jsonl.gz`` (skipped when absent), 1,000 articles of at least
150 words are copied three ways each (3,000 planted copies), with a fixed seed:

- **boilerplate**: other outlet boilerplate swapped in (a standfirst line, a newsletter plea and a
  copyright line written here), the article body unchanged;
- **truncated**: only the first 40-90% of the words kept;
- **edited**: 5% of the words replaced, deleted or doubled.

All 15,000 texts go through the same functions the story stage uses (word 3-gram shingles,
128-value MinHash, 20x3 LSH bands, :func:`storyline.stories.dedup.near_duplicate`), each queried
against those indexed before it, as incremental ingest does. Reported:

- **recall**: planted copies matched to their original (or a sibling copy), per kind;
- **precision**: of all predicted pairs, those whose exact shingle sets (not the MinHash estimate)
  meet the near-copy definition (Jaccard >= 0.5, or containment >= 0.8 with Jaccard >= 0.25) --
  this counts allsides' own syndicated copies as correct, which they are;
- **planted precision**: pairs involving a planted copy that join it to its own original/siblings,
  or to an article that is an exact-verified copy of its original.

    python -m bench eval_dedup
"""

from __future__ import annotations

import gzip
import json
import random
import sys
import time
from collections import defaultdict

from bench.common import check_minimums, save, shared

N_ORIGINALS = 1000
BOILER_HEAD = ["Listen to this article · 4 min", "Sign up for our morning briefing and never miss a story.",
               "Advertisement — scroll to continue reading"]
BOILER_TAIL = ["Copyright 2020 The Example Gazette. All rights reserved. This material may not be republished.",
               "Follow us on social media for the latest updates from our newsroom.",
               "Have a tip? Write to our news desk, we read every message."]


def plant(text: str, kind: str, rng: random.Random, vocab: list[str]) -> str:
    words = text.split()
    if kind == "boilerplate":
        lines = text.split("\n")
        return "\n".join([rng.choice(BOILER_HEAD), *lines, rng.choice(BOILER_TAIL), rng.choice(BOILER_TAIL)])
    if kind == "truncated":
        return " ".join(words[: int(len(words) * rng.uniform(0.4, 0.9))])
    out = []
    for w in words:   # edited: 5% of words replaced, deleted or doubled
        if rng.random() < 0.05:
            op = rng.choice(("replace", "delete", "double"))
            if op == "replace":
                out.append(rng.choice(vocab))
            elif op == "double":
                out += [w, w]
        else:
            out.append(w)
    return " ".join(out)


def exact_near(a: set[bytes], b: set[bytes]) -> bool:
    from storyline.stories import dedup

    if min(len(a), len(b)) < dedup.MIN_SHINGLES:
        return False
    inter = len(a & b)
    j = inter / len(a | b)
    return j >= dedup.NEAR_JACCARD or (inter / min(len(a), len(b)) >= dedup.NEAR_CONTAINMENT
                                       and j >= dedup.CONTAINMENT_FLOOR)


def main(argv: list[str]) -> int:
    from storyline.stories import dedup

    path = shared("corpus", "allsides-12k.jsonl.gz")
    rng = random.Random(20261201)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        texts = [r["text"] for r in map(json.loads, f) if r.get("text")]
    vocab = [w for t in texts[:500] for w in t.split()]
    pool = [i for i, t in enumerate(texts) if len(t.split()) >= 150]
    originals = rng.sample(pool, N_ORIGINALS)
    docs: list[tuple[str, str, int | None]] = [(t, "original", None) for t in texts]   # (text, kind, origin)
    for i in originals:
        for kind in ("boilerplate", "truncated", "edited"):
            docs.append((plant(texts[i], kind, rng, vocab), kind, i))
    order = list(range(len(docs)))
    rng.shuffle(order)

    started = time.perf_counter()
    grams = [dedup.shingles(d[0]) for d in docs]
    sigs = [dedup.signature(g) if len(g) >= dedup.MIN_SHINGLES else None for g in grams]
    signing = time.perf_counter() - started
    buckets: dict[int, list[int]] = defaultdict(list)
    predicted: set[tuple[int, int]] = set()
    for i in order:
        if sigs[i] is None:
            continue
        keys = dedup.band_keys(sigs[i])
        cands = {j for k in keys for j in buckets[k]}
        for j in cands:
            sim = dedup.compare(sigs[i], len(grams[i]), sigs[j], len(grams[j]))  # type: ignore[arg-type]
            if dedup.near_duplicate(sim, len(grams[i]), len(grams[j])) is not None:
                predicted.add((min(i, j), max(i, j)))
        for k in keys:
            buckets[k].append(i)
    seconds = time.perf_counter() - started

    family = {i: (d[2] if d[2] is not None else i) for i, d in enumerate(docs)}
    verified = {p for p in predicted if exact_near(grams[p[0]], grams[p[1]])}
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        if d[2] is not None:
            by_kind[d[1]].append(i)
    recall = {}
    for kind, idx in by_kind.items():
        hit = sum(1 for i in idx if any(family[o] == family[i] for p in predicted if i in p
                                        for o in p if o != i))
        recall[kind] = round(hit / len(idx), 3)
    planted_pairs = [p for p in predicted if docs[p[0]][2] is not None or docs[p[1]][2] is not None]
    natural_of = defaultdict(set)   # verified copies among the originals (allsides' own syndication)
    for a, b in verified:
        if docs[a][2] is None and docs[b][2] is None:
            natural_of[a].add(b)
            natural_of[b].add(a)
    good = sum(1 for a, b in planted_pairs if family[a] == family[b] or family[b] in natural_of[family[a]]
               or family[a] in natural_of[family[b]])
    n_planted = sum(len(v) for v in by_kind.values())
    tp = sum(1 for i in range(len(docs)) if docs[i][2] is not None and any(
        family[o] == family[i] for p in predicted if i in p for o in p if o != i))
    p_all = len(verified) / len(predicted) if predicted else 0.0
    p_planted = good / len(planted_pairs) if planted_pairs else 0.0
    r_all = tp / n_planted
    figures = {
        "documents": len(docs), "planted_copies": n_planted, "recall_by_kind": recall,
        "recall": round(r_all, 3), "precision_exact_verified": round(p_all, 3),
        "precision_planted": round(p_planted, 3), "predicted_pairs": len(predicted),
        "natural_copy_pairs_among_originals": sum(len(v) for v in natural_of.values()) // 2,
        "seconds": round(seconds, 1), "signing_seconds": round(signing, 1),
        "per_document_ms": round(1000 * seconds / len(docs), 2),
        "method": "word 3-grams, MinHash 128, LSH 20 bands x 3 rows, Jaccard>=0.5 or containment>=0.8",
    }
    print(json.dumps(figures, indent=2))
    save("eval_dedup", figures)
    return check_minimums("eval_dedup", {"recall": figures["recall"],
                                         "precision_planted": figures["precision_planted"],
                                         "precision_exact_verified": figures["precision_exact_verified"]})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
