"""Duplicate groups on Spark: MinHash LSH partitioned by band, with :mod:`storyline.stories.dedup`'s own functions.

1. executors: shingles, MinHash signature and band keys of every article (``dedup.shingles``,
   ``dedup.signature``, ``dedup.band_keys``), as the local story stage computes them;
2. exact copies: articles grouped by content hash;
3. near copies: band keys exploded and grouped by key, so candidate pairs come only from articles
   sharing a bucket (never all pairs); each candidate verified in the executors with ``dedup.compare``
   and ``dedup.near_duplicate``;
4. the verified pairs (copies, far fewer than articles) go to the driver, where connected components
   become groups; each group's canonical member is the earliest published, then the smallest id, as
   in the local stage (which keeps the first member it placed on a tie, placing in date then id order).

Rows of the ``duplicates`` table: every member of every group, ``kind`` ``canonical``, ``exact`` (the
canonical's text) or ``near`` (``score`` the best verified near-copy score of that text in the group).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from .. import dataset as ds
from ..disjoint import DisjointSets

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

FEATURES = pa.schema([("id", pa.string()), ("content_hash", pa.string()), ("published", pa.string()),
                      ("shingles", pa.int64()), ("signature", pa.binary()), ("bands", pa.list_(pa.int64()))])
PAIRS = pa.schema([("a", pa.string()), ("b", pa.string()), ("score", pa.float64())])
#: A bucket holding more articles than this is boilerplate, not copies: it gives no candidate pairs.
MAX_BUCKET = 5000


def features(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Executor side: one feature row per article (signature and band keys only for long enough texts)."""
    from ..stories import dedup

    for batch in batches:
        rows = []
        for r in batch.to_pylist():
            grams = dedup.shingles(r["text"] or "")
            sig = dedup.signature(grams) if len(grams) >= dedup.MIN_SHINGLES else None
            rows.append({"id": r["id"], "content_hash": r["content_hash"], "published": r["published"],
                         "shingles": len(grams), "signature": None if sig is None else dedup.signature_bytes(sig),
                         "bands": [] if sig is None else dedup.band_keys(sig)})
        yield pa.RecordBatch.from_pylist(rows, FEATURES)


def verify(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Executor side: keep the candidate pairs that ``dedup.near_duplicate`` calls near-copies, with the score."""
    from ..stories import dedup

    for batch in batches:
        out = []
        for r in batch.to_pylist():
            sim = dedup.compare(dedup.signature_from_bytes(r["sig_a"]), r["n_a"],
                                dedup.signature_from_bytes(r["sig_b"]), r["n_b"])
            score = dedup.near_duplicate(sim, r["n_a"], r["n_b"])
            if score is not None:
                out.append({"a": r["a"], "b": r["b"], "score": round(float(score), 4)})
        yield pa.RecordBatch.from_pylist(out, PAIRS)


def groups(exact: list[list[str]], near: list[tuple[str, str, float]], info: dict[str, tuple[str | None, str]]
           ) -> list[dict[str, Any]]:
    """Connected components of exact groups and near pairs -> ``duplicates`` rows (``info``: id -> published, hash)."""
    sets = DisjointSets()
    for ids in exact:
        for other in ids[1:]:
            sets.union(ids[0], other)
    best: dict[str, float] = defaultdict(float)  # content hash -> best near-copy score of that text
    for a, b, score in near:
        sets.union(a, b)
        for x in (a, b):
            best[info[x][1]] = max(best[info[x][1]], score)
    rows = []
    for ids in sets.groups():
        if len(ids) < 2:
            continue
        canonical = min(ids, key=lambda i: (info[i][0] is None, info[i][0] or "", i))
        for i in sorted(ids):
            if i == canonical:
                kind, score = "canonical", 1.0
            elif info[i][1] == info[canonical][1]:
                kind, score = "exact", 1.0
            else:
                kind, score = "near", best[info[i][1]]
            rows.append({"article_id": i, "canonical_id": canonical, "kind": kind, "score": score})
    return sorted(rows, key=lambda r: r["article_id"])


def write_duplicates(spark: "SparkSession", articles: "DataFrame", path: str) -> int:
    """Find the duplicate groups among ``articles`` (id, content_hash, published, text); write them to ``path``."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    feats = articles.mapInArrow(features, from_arrow_schema(FEATURES)).persist(StorageLevel.MEMORY_AND_DISK)
    buckets = feats.select("id", F.explode("bands").alias("band"))
    sizes = buckets.groupBy("band").count().where((F.col("count") > 1) & (F.col("count") <= MAX_BUCKET))
    shared = buckets.join(sizes.select("band"), "band")
    pairs = (shared.alias("x").join(shared.alias("y"), "band").where(F.col("x.id") < F.col("y.id"))
             .select(F.col("x.id").alias("a"), F.col("y.id").alias("b")).distinct())
    side = feats.select("id", "content_hash", "shingles", "signature")
    candidates = (pairs.join(side.alias("fa"), F.col("a") == F.col("fa.id"))
                  .join(side.alias("fb"), F.col("b") == F.col("fb.id"))
                  .where(F.col("fa.content_hash") != F.col("fb.content_hash"))
                  .select("a", "b", F.col("fa.shingles").alias("n_a"), F.col("fb.shingles").alias("n_b"),
                          F.col("fa.signature").alias("sig_a"), F.col("fb.signature").alias("sig_b")))
    near = [(r.a, r.b, r.score) for r in candidates.mapInArrow(verify, from_arrow_schema(PAIRS)).collect()]
    exact = [r.ids for r in feats.groupBy("content_hash").agg(F.sort_array(F.collect_set("id")).alias("ids"))
             .where(F.size("ids") > 1).collect()]
    wanted = sorted({i for ids in exact for i in ids} | {x for a, b, _ in near for x in (a, b)})
    info: dict[str, tuple[str | None, str]] = {}
    if wanted:
        members = spark.createDataFrame([(i,) for i in wanted], "id string")
        info = {r.id: (r.published, r.content_hash) for r in
                feats.join(F.broadcast(members), "id").select("id", "published", "content_hash").collect()}
    feats.unpersist()
    rows = groups(exact, near, info)
    frame = spark.createDataFrame([tuple(r[c] for c in ds.TABLES["duplicates"].names) for r in rows],
                                  from_arrow_schema(ds.TABLES["duplicates"]))
    frame.coalesce(1).write.mode("overwrite").parquet(path)
    return len(rows)
