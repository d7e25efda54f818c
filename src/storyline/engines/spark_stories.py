"""Events and storylines on Spark: the local story stage's own Assigner, run per block of articles.

No step needs all articles on one machine; the driver holds only per-event rows (events are far fewer):

1. features (executors, :func:`spark_blocks.story_features`): story day, embedding, entity keys, statement keys;
2. events by month blocks (executors, :func:`spark_blocks.place_block`): a dated article belongs to the block
   of its month and is copied, as context, into the neighbouring month's block when it lies within
   ``event_days + 1`` days of the boundary (the days ``Assigner.months`` searches around it); undated articles
   form one block. Each block is placed by the local Assigner, in the local order;
3. stitching (driver, per event): an event of one block and the event its context article has in the block
   owning it are one event (union-find over block events); copies (the dataset's duplicate groups, found
   across all blocks by :mod:`engines.spark_dedup`) join their canonical member's event and source;
4. event profiles (executors, grouped by event): span, counts, centroid, entities, title;
5. storylines: events blocked by shared rare entity keys (``MAX_EVENTS_PER_KEY``), pairs scored in the
   executors by the local storyline rule, components of the pairs that pass (driver, union-find over events),
   each component's events linked in creation order by the same rule (executors, grouped by component);
6. write ``story_features``, ``event_articles``, ``sources``, ``events`` and ``storylines`` (schemas in
   :mod:`storyline.dataset`, the store's columns with entity keys for entity ids), which ``storyline load``
   brings into a store.
"""

from __future__ import annotations

import time
import warnings
from functools import partial
from typing import TYPE_CHECKING

from .. import dataset as ds
from ..store.statements import SPEECH
from ..store.stories import STORY_LABELS
from ..stories.assign import StoryParams
from . import spark_blocks as blocks

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: An entity in more events than this ("United States") links too much to block storylines by.
MAX_EVENTS_PER_KEY = 500


class _Components:
    """Union-find over hashable nodes (block events, or events)."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x: object) -> object:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: object, b: object) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # type: ignore[type-var]


def _features(spark: "SparkSession", articles: "DataFrame", mentions: "DataFrame", quotes: "DataFrame",
              params: StoryParams) -> "DataFrame":
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    ents = (mentions.where(F.col("key").isNotNull() & F.col("label").isin(*STORY_LABELS))
            .groupBy("article_id", "key").agg(F.count("*").alias("n"))
            .groupBy("article_id").agg(F.collect_list(F.struct("key", "n")).alias("entities")))
    said = (quotes.where(F.col("kind").isin(*SPEECH)).groupBy("article_id")
            .agg(F.collect_list(F.struct("text", "kind", "speaker_text", "said_on")).alias("quotes")))
    known = mentions.where(F.col("key").isNotNull()).select("key").distinct()
    heads = (articles.select("id", "title", "text")
             .mapInArrow(blocks.headline_candidates, "article_id string, key string").join(known, "key", "leftsemi").groupBy("article_id").agg(F.collect_set("key").alias("headline_keys")))
    joined = (articles.select("id", "content_hash", "title", "text", "published", "published_inferred_from",
                              "published_inferred_to", "outlet")
              .join(ents, articles.id == ents.article_id, "left").drop("article_id")
              .join(heads, articles.id == heads.article_id, "left").drop("article_id")
              .join(said, articles.id == said.article_id, "left").drop("article_id"))
    return joined.mapInArrow(partial(blocks.story_features, params=params), from_arrow_schema(blocks.FEATURES))


def _blocks(feats: "DataFrame", params: StoryParams) -> "DataFrame":
    """Each article in its own month's block (``core``) and in a neighbouring month's when near the boundary."""
    from pyspark.sql import functions as F

    pad = params.event_days + 1
    day = F.to_date("day")
    near = F.array_distinct(F.array(F.col("month"), F.date_format(F.date_sub(day, pad), "yyyy-MM"),
                                    F.date_format(F.date_add(day, pad), "yyyy-MM")))
    with_blocks = feats.withColumn("blocks", F.when(F.col("day").isNull(), F.array(F.lit("undated")))
                                   .otherwise(near))
    return (with_blocks.select("*", F.explode("blocks").alias("block")).drop("blocks")
            .withColumn("core", F.col("block") == F.col("month")))


def _stitch(spark: "SparkSession", placed: "DataFrame", duplicates: "DataFrame") -> "DataFrame":
    """Article -> event id (block events joined through context articles, copies in their canonical's event),
    ids dense in the local creation order (an event's first article placed)."""
    from pyspark.sql import functions as F

    core = placed.where("core")
    links = (placed.where(~F.col("core")).select("id", F.col("block").alias("cb"), F.col("event").alias("ce"))
             .join(core.select("id", F.col("block").alias("ob"), F.col("event").alias("oe")), "id").collect())
    parts = _Components()
    for r in links:
        parts.union((r.ob, r.oe), (r.cb, r.ce))
    nodes = core.select("block", "event").distinct().collect()
    roots = [(r.block, r.event, *parts.find((r.block, r.event))) for r in nodes]  # type: ignore[misc]
    root_of = spark.createDataFrame(roots, "block string, event long, root_block string, root_event long")
    art = (core.join(F.broadcast(root_of), ["block", "event"])
           .withColumn("root", F.concat_ws("\x00", "root_block", F.col("root_event").cast("string"))))
    copies = duplicates.where(F.col("article_id") != F.col("canonical_id")).select(
        F.col("article_id").alias("id"), "canonical_id", F.col("kind").alias("dup_kind"),
        F.col("score").alias("dup_score"))
    canon = art.select(F.col("id").alias("canonical_id"), F.col("root").alias("c_root"),
                       F.col("source_id").alias("c_source"))
    moved = copies.join(canon, "canonical_id")
    art = art.join(F.broadcast(moved), "id", "left")
    is_copy = F.col("c_root").isNotNull()
    art = art.select(
        "id", "shingles", "signature", "order",
        F.when(is_copy, F.col("c_root")).otherwise(F.col("root")).alias("root"),
        F.when(is_copy, F.col("dup_score")).otherwise(F.col("score")).alias("score"),
        F.when(is_copy, F.col("dup_kind")).otherwise(F.col("basis")).alias("basis"),
        F.when(is_copy, F.col("c_source")).otherwise(F.col("source_id")).alias("source_id"),
        F.when(is_copy, F.col("dup_kind")).otherwise(F.col("source_kind")).alias("source_kind"),
        F.when(is_copy, F.col("dup_score")).otherwise(F.col("source_score")).alias("source_score"))
    return _dense_ids(spark, art, "root")


def _dense_ids(spark: "SparkSession", art: "DataFrame", column: str) -> "DataFrame":
    """Events numbered 1.. in the local creation order (by the first article placed), as ``event_id``."""
    from pyspark.sql import functions as F

    firsts = sorted((r.first, r[column]) for r in art.groupBy(column).agg(F.min("order").alias("first")).collect())
    kind = "string" if column == "root" else "long"
    ids = spark.createDataFrame([(old, i + 1) for i, (_, old) in enumerate(firsts)], f"old {kind}, event_id long")
    return art.withColumnRenamed(column, "old").join(F.broadcast(ids), "old").drop("old")


def _attach_undated(spark: "SparkSession", assigned: "DataFrame", feats: "DataFrame", idf: "DataFrame",
                    params: StoryParams) -> "DataFrame":
    """Undated articles into dated events: the local stage finds an undated article's event by its centroid
    among events of any date, placing undated articles last. Here an undated article (not a copy, not too
    short) is compared with the dated events sharing a rare entity with it, by the Assigner's event score
    for a centroid hit; it moves to the best when that passes ``event_threshold`` and beats its own event."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    members = assigned.join(feats.drop("order"), "id")
    dated = members.where(F.col("day").isNotNull()).withColumn("copy", F.col("source_id") != F.col("id"))
    profiles = (dated.select("event_id", "id", "day", "embedding", "entities", "outlet", "source_id", "title",
                             "text", "copy", "order")
                .groupBy("event_id").applyInPandas(blocks.event_profile, from_arrow_schema(blocks.EVENTS)))
    ev_keys = profiles.select("event_id", "centroid", F.explode("entities.key").alias("key"))
    rare = ev_keys.groupBy("key").count().where(F.col("count") <= MAX_EVENTS_PER_KEY).select("key")
    undated = members.where(F.col("day").isNull() & ~F.col("basis").isin("exact", "near", "short")
                            & (F.col("shingles") >= blocks.MIN_STORY_SHINGLES))
    art_keys = undated.select("id", F.explode("entities").alias("e")).select("id", F.col("e.key").alias("key"),
                                                                               F.col("e.n").alias("n"))
    weighted = art_keys.join(idf, "key").groupBy("id").agg(F.collect_list(F.struct("key", "n", "idf")).alias("wents"))
    pairs = (art_keys.join(rare, "key").join(ev_keys.select("key", F.col("event_id").alias("to")), "key")
             .select("id", "to").distinct())
    scored = (pairs.join(undated.select("id", "embedding", "basis", "score"), "id").join(weighted, "id")
              .join(profiles.select(F.col("event_id").alias("to"), F.col("centroid").alias("to_centroid"),
                                    F.col("entities").alias("to_entities")), "to")
              .mapInArrow(partial(blocks.undated_moves, params=params), from_arrow_schema(blocks.MOVES)))
    best: dict[str, tuple[float, int]] = {}
    for r in scored.collect():   # one row per undated article and event passing the threshold
        if r.id not in best or r.score > best[r.id][0]:
            best[r.id] = (r.score, r.to)
    if not best:
        return assigned
    moves = spark.createDataFrame([(i, to, s) for i, (s, to) in best.items()], "id string, to long, new_score double")
    moved = assigned.join(F.broadcast(moves), "id", "left")
    return _dense_ids(spark, moved.select(
        *[c for c in assigned.columns if c not in ("event_id", "score", "basis")],
        F.coalesce("to", "event_id").alias("event"), F.coalesce("new_score", "score").alias("score"),
        F.when(F.col("to").isNotNull(), F.lit("event")).otherwise(F.col("basis")).alias("basis")), "event")


def _entity_idf(feats: "DataFrame", n_articles: int) -> "DataFrame":
    """key -> log((articles + 2) / (articles naming it + 1)), the Assigner's rarity weight over the corpus."""
    from pyspark.sql import functions as F

    df = feats.select(F.explode("entities.key").alias("key")).groupBy("key").count()
    return df.select("key", F.log((F.lit(n_articles) + 2) / (F.col("count") + 1)).alias("idf"))


def _storylines(spark: "SparkSession", events: "DataFrame", idf: "DataFrame", params: StoryParams) -> "DataFrame":
    """event_id -> storyline_id: candidate pairs by shared rare entities, components, linked per component."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    keyed = events.select("event_id", F.explode("entities").alias("e")).select(
        "event_id", F.col("e.key").alias("key"), F.col("e.n").alias("n")).join(idf, "key")
    weighted = keyed.groupBy("event_id").agg(F.collect_list(F.struct("key", "n", "idf")).alias("wents"))
    ev = events.join(weighted, "event_id", "left").withColumn(
        "wents", F.coalesce("wents", F.array().cast("array<struct<key:string,n:bigint,idf:double>>")))
    ev = ev.persist()
    rare = keyed.groupBy("key").count().where(F.col("count") <= MAX_EVENTS_PER_KEY).select("key")
    shared = keyed.join(rare, "key").select("key", "event_id")
    pairs = (shared.alias("x").join(shared.alias("y"), "key").where(F.col("x.event_id") < F.col("y.event_id"))
             .select(F.col("x.event_id").alias("a"), F.col("y.event_id").alias("b")).distinct())
    side = ev.select("event_id", "start", "end", "centroid", "wents", "order")
    sides = {p: side.select(*[F.col(c).alias(f"{p}_{c}") for c in side.columns]) for p in ("x", "y")}
    both = (pairs.join(sides["x"], F.col("a") == F.col("x_event_id")).join(sides["y"], F.col("b") == F.col("y_event_id")))
    first_is_x = F.col("x_order") <= F.col("y_order")   # a pair in creation order: earlier event, later event

    def pick(col: str, earlier: bool) -> "F.Column":
        return F.when(first_is_x == earlier, F.col(f"x_{col}")).otherwise(F.col(f"y_{col}"))

    ordered = both.select(
        pick("event_id", True).alias("a"), pick("event_id", False).alias("b"),
        pick("start", True).alias("a_start"), pick("end", True).alias("a_end"),
        pick("start", False).alias("b_start"), pick("end", False).alias("b_end"),
        pick("centroid", True).alias("a_centroid"), pick("centroid", False).alias("b_centroid"),
        pick("wents", True).alias("a_entities"), pick("wents", False).alias("b_entities"))
    kept = ordered.mapInArrow(partial(blocks.candidate_pairs, params=params), "a long, b long").collect()
    parts = _Components()
    for r in kept:
        parts.union(r.a, r.b)
    component = spark.createDataFrame([(e, parts.find(e)) for e in parts.parent], "event_id long, component long")
    grouped = (ev.join(F.broadcast(component), "event_id", "left")
               .withColumn("component", F.coalesce("component", F.col("event_id")))
               .select("event_id", "component", "start", "end", "n_articles", "centroid",
                       F.col("wents").alias("entities"), "order"))
    linked = grouped.groupBy("component").applyInPandas(partial(blocks.link_storylines, params=params),
                                                         from_arrow_schema(blocks.LINKED))
    with_order = linked.join(ev.select("event_id", "order"), "event_id")
    firsts = sorted((r.first, r.component, r.storyline) for r in
                    with_order.groupBy("component", "storyline").agg(F.min("order").alias("first")).collect())
    ids = spark.createDataFrame([(c, s, i + 1) for i, (_, c, s) in enumerate(firsts)],
                                "component long, storyline long, storyline_id long")
    out = linked.join(F.broadcast(ids), ["component", "storyline"]).select("event_id", "storyline_id")
    ev.unpersist()
    return out


def _write(frame: "DataFrame", table: str, out: str, order: list[str] | None = None) -> int:
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    schema = from_arrow_schema(ds.TABLES[table])
    frame = frame.select(*[F.col(f.name).cast(f.dataType) for f in schema.fields])
    if order:
        frame = frame.orderBy(*order)
    frame.write.mode("overwrite").parquet(f"{out.rstrip('/')}/{table}")
    return frame.sparkSession.read.parquet(f"{out.rstrip('/')}/{table}").count()


def write_stories(spark: "SparkSession", articles: "DataFrame", mentions: "DataFrame", quotes: "DataFrame",
                  out: str, params: StoryParams | None = None, stages: dict[str, float] | None = None
                  ) -> dict[str, int]:
    """Place ``articles`` (the dataset's rows) into events and storylines; write the story tables under ``out``
    (``out/duplicates`` must be written already); return rows per table. ``stages`` gets the seconds of each step."""
    with warnings.catch_warnings():  # pyspark reads type hints of the grouped functions; partials have none
        warnings.filterwarnings("ignore", "Cannot infer the eval type", UserWarning)
        return _write_stories(spark, articles, mentions, quotes, out, params or StoryParams(),
                              stages if stages is not None else {})


def _write_stories(spark: "SparkSession", articles: "DataFrame", mentions: "DataFrame", quotes: "DataFrame",
                   out: str, params: StoryParams, stages: dict[str, float]) -> dict[str, int]:
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    t = time.perf_counter()
    feats = _features(spark, articles, mentions, quotes, params).persist(StorageLevel.MEMORY_AND_DISK)
    n_articles = feats.count()
    stages["story_features"] = time.perf_counter() - t

    t = time.perf_counter()
    placed = (_blocks(feats, params).groupBy("block")
              .applyInPandas(partial(blocks.place_block, params=params), from_arrow_schema(blocks.PLACED))
              .join(feats.select("id", "order"), "id").persist(StorageLevel.MEMORY_AND_DISK))
    placed.count()
    stages["story_blocks"] = time.perf_counter() - t

    t = time.perf_counter()
    duplicates = spark.read.parquet(f"{out.rstrip('/')}/duplicates")
    idf = _entity_idf(feats, n_articles).persist()
    stitched = _stitch(spark, placed, duplicates).persist(StorageLevel.MEMORY_AND_DISK)
    assigned = _attach_undated(spark, stitched, feats, idf, params).localCheckpoint()  # short plans from here on
    members = (assigned.join(feats.drop("order"), "id")
               .withColumn("copy", F.col("source_id") != F.col("id")).persist(StorageLevel.MEMORY_AND_DISK))
    events = (members.select("event_id", "id", "day", "embedding", "entities", "outlet", "source_id", "title",
                             "text", "copy", "order")
              .groupBy("event_id").applyInPandas(blocks.event_profile, from_arrow_schema(blocks.EVENTS))
              .persist(StorageLevel.MEMORY_AND_DISK))
    events.count()
    stages["story_events"] = time.perf_counter() - t

    t = time.perf_counter()
    line_of = _storylines(spark, events, idf, params).persist()
    counts = _write_tables(members, events, line_of, out)
    stages["story_storylines"] = time.perf_counter() - t
    for frame in (feats, placed, idf, stitched, members, events, line_of):
        frame.unpersist()
    return counts


def _json_entities(col: str) -> "F.Column":
    from pyspark.sql import functions as F

    return F.to_json(F.map_from_entries(F.col(col)))


def _write_tables(members: "DataFrame", events: "DataFrame", line_of: "DataFrame", out: str) -> dict[str, int]:
    from pyspark.sql import functions as F

    counts = {
        "story_features": _write(members.withColumnRenamed("id", "article_id"), "story_features", out, ["order"]),
        "event_articles": _write(members.withColumnRenamed("id", "article_id"), "event_articles", out, ["order"]),
        "sources": _write(members.where("copy").withColumnRenamed("id", "article_id")
                          .withColumnRenamed("source_kind", "kind").drop("score")
                          .withColumnRenamed("source_score", "score"), "sources", out, ["order"]),
    }
    ev = events.join(line_of, "event_id").withColumn("day", F.col("start"))
    counts["events"] = _write(ev.withColumnRenamed("event_id", "id").withColumn("entities", _json_entities("entities")),
                              "events", out, ["id"])
    per_line = (members.join(line_of, "event_id").groupBy("storyline_id").agg(
        F.min("day").alias("start"), F.max("day").alias("end"), F.countDistinct("event_id").alias("n_events"),
        F.count("*").alias("n_articles"), F.countDistinct("outlet").alias("n_outlets"),
        F.countDistinct("source_id").alias("n_sources")))
    profile = ev.groupBy("storyline_id").applyInPandas(
        blocks.storyline_profile, "storyline_id long, title string, centroid binary, entities string")
    counts["storylines"] = _write(per_line.join(profile, "storyline_id").withColumnRenamed("storyline_id", "id"),
                                  "storylines", out, ["id"])
    return counts

