"""The Spark engine: the same per-article function as the local engine, run in Spark executors, written as a dataset.

``ingest_spark`` runs one job:

1. read: directories and files through Spark's ``binaryFile`` source (each file's
   bytes handed to storyline's own readers, so HTML, text, JSON/JSONL(.gz), RSS/Atom
   files with full-text items and WARC(.gz) give the same documents and the same
   skips as the local engine); ``*.parquet`` inputs through the ``parquet`` source,
   one document per row (JSON field names apply). Standard input and http(s) URLs
   are refused: executors do not fetch;
2. process: documents spread over ``partitions`` and run through
   ``pipeline.process_batch`` with ``mapInArrow`` (the spaCy model is loaded once per
   executor Python process and reused while ``spark.python.worker.reuse`` is on);
3. write: each table of :mod:`storyline.dataset` under ``out``, in the order the local engine
   reads the inputs, one row per article id (the copy a local ingest ends with);
4. dedup: exact and near-duplicate groups with MinHash LSH (``engines.spark_dedup``);
5. stories: events and storylines by the local Assigner per block of time (``engines.spark_stories``).

``storyline load`` then brings the dataset into a store.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pyarrow as pa

from .. import dataset as ds
from ..errors import UnsupportedInput, UsageError
from ..ingest import ReadOptions
from ..records import RawDocument, Skip
from ..settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: Where a document stands in the order the local engine reads inputs: input number, place of its file in
#: a directory walk (``walk_key``), place in its file. Tables are written in this order, so ``load`` stores
#: articles in the order a local ingest would (corpus-wide entity and statement grouping depend on it).
SEQ = pa.schema([("seq_input", pa.int64()), ("seq_path", pa.string()), ("seq_item", pa.int64())])
#: What the read stage hands the process stage: a document, or a reader's skip (``skip_code`` set).
RAW_SCHEMA = pa.schema([(f, pa.string()) for f in RawDocument.__slots__] + [("skip_code", pa.string()),
                                                                            ("skip_reason", pa.string()), *SEQ])
#: What the process stage emits per document: its place, and its rows of every table.
ITEM_SCHEMA = pa.schema([*SEQ, *ds.ITEM_SCHEMA])
#: Order of the rows of each table within one article (``skipped``: by origin).
ROW_KEYS = {"articles": (), "sentences": ("index",), "mentions": ("start",), "quotes": ("start",),
            "times": ("start",), "polevents": ("start", "trigger_start"),
            "stances": ("start", "cue_start"), "skipped": ("origin", "code")}
#: Files larger than this are refused before Spark reads them (its binary column holds at most 2 GiB).
MAX_FILE_BYTES = 1_500_000_000


@dataclass
class SparkReport:
    """What a Spark ingest wrote: rows per table, skips by reason, time per stage, worker memory."""

    out: str
    tables: dict[str, int] = field(default_factory=dict)
    skipped: list[Skip] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    peak_worker_rss_mb: float | None = None
    partitions: int = 0

    @property
    def articles(self) -> int:
        return self.tables.get("articles", 0)

    @property
    def exit_code(self) -> int:
        return 1 if self.skipped else 0

    def skip_counts(self) -> dict[str, int]:
        return dict(Counter(s.code for s in self.skipped).most_common())

    def to_json(self) -> dict[str, Any]:
        return {"out": self.out, "articles": self.articles, "skipped": len(self.skipped),
                "skipped_by_reason": self.skip_counts(), "tables": self.tables, "seconds": round(self.seconds, 3),
                "stages": {k: round(v, 3) for k, v in self.stages.items()}, "partitions": self.partitions,
                "peak_worker_rss_mb": self.peak_worker_rss_mb,
                "skips": [{"origin": s.origin, "code": s.code, "reason": s.reason} for s in self.skipped]}


# -- the session ------------------------------------------------------------------------------------------

def spark_session(master: str | None = None, conf: dict[str, str] | None = None) -> "SparkSession":
    """A SparkSession for storyline. Local masters get loopback networking and this Python for the workers;
    under ``spark-submit`` (``master`` None) the cluster's own settings apply; otherwise None means ``local[*]``."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError("the Spark engine needs pyspark: pip install 'storyline[spark]'") from None
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ and SparkSession.getActiveSession() is None:
        master = "local[*]"  # not under spark-submit and no session yet: this machine's cores
    builder = SparkSession.builder.appName("storyline")
    settings: dict[str, str] = {"spark.sql.execution.arrow.maxRecordsPerBatch": "64",
                                "spark.python.worker.reuse": "true"}
    if master:
        builder = builder.master(master)
    if (master or "").startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        settings.update({"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
                         "spark.pyspark.python": sys.executable, "spark.pyspark.driver.python": sys.executable,
                         "spark.sql.shuffle.partitions": str(max(2, 2 * (os.cpu_count() or 1))),
                         "spark.ui.showConsoleProgress": "false"})
    settings.update(conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    if (master or "").startswith("local"):
        session.sparkContext.setLogLevel("ERROR")  # Spark's warnings about a one-machine set-up are noise here
    return session


def submit_command(inputs: list[str], out: str, *, master: str = "yarn", archive: str = "storyline-env.tar.gz",
                   job: str = "storyline_job.py", executor_cores: int = 2, pyspark_memory: str = "3g",
                   partitions: int = 400) -> list[str]:
    """The ``spark-submit`` command line that runs ``storyline ingest --engine spark`` on a cluster: executors
    unpack the venv ``archive`` (made with venv-pack, storyline's wheel and models inside) and run its Python;
    each executor Python worker holds one spaCy model (~1.2 GB), hence ``spark.executor.pyspark.memory``."""
    conf = {
        "spark.pyspark.python": "./environment/bin/python",
        "spark.pyspark.driver.python": "python",
        "spark.executor.cores": str(executor_cores),
        "spark.executor.pyspark.memory": pyspark_memory,
        "spark.python.worker.reuse": "true",
        "spark.sql.execution.arrow.maxRecordsPerBatch": "64",
        "spark.sql.shuffle.partitions": str(partitions),
    }
    words = ["spark-submit", "--master", master, "--deploy-mode", "client", "--archives", f"{archive}#environment"]
    for key, value in conf.items():
        words += ["--conf", f"{key}={value}"]
    return [*words, job, "ingest", "--engine", "spark", "--out", out, *inputs]


# -- executor-side functions (module level, so executors import them instead of unpickling closures) -----

class _NoFetch:
    """The fetcher executors get: a feed item that only links to its page is skipped, not fetched."""

    def get(self, url: str) -> Any:
        raise UnsupportedInput(f"{url}: the Spark engine does not fetch pages (a feed item without its full "
                               "text links here); ingest such feeds with the local engine", code="needs-fetch")

    def close(self) -> None:
        """Nothing to release: no connection was opened."""


def _origin(uri: str) -> str:
    """A Spark file URI as the origin the local engine would record (a plain path for local files)."""
    parts = urlsplit(uri)
    return unquote(parts.path) if parts.scheme == "file" else uri


def walk_key(origin: str, root: str) -> str:
    """A string that sorts files as ``os.walk`` with sorted names visits them: a directory's files (sorted)
    before its sub-directories (sorted), each sub-directory's whole tree before the next."""
    if origin == root:
        return ""
    parts = (origin[len(root):] if origin.startswith(root) else origin).strip("/").split("/")
    return "".join(f"1{d}\x00" for d in parts[:-1]) + f"0{parts[-1]}\x00"


def _raw_row(item: RawDocument | Skip, seq: tuple[int, str, int] = (0, "", 0)) -> dict[str, Any]:
    order = dict(zip(SEQ.names, seq))
    if isinstance(item, Skip):
        return {"origin": item.origin, "skip_code": item.code, "skip_reason": item.reason, **order}
    return {**{f: getattr(item, f) for f in RawDocument.__slots__}, **order}


def _wanted(origin: str, root: str, options: ReadOptions) -> bool:
    """``--include`` / ``--exclude`` for a file found in a directory input, as in a local walk."""
    from ..ingest.directory import _matches

    if origin == root:  # the input itself is this file
        return True
    rel = origin[len(root):].lstrip("/") if origin.startswith(root) else origin.rsplit("/", 1)[-1]
    return not ((options.include and not _matches(rel, options.include))
                or (options.exclude and _matches(rel, options.exclude)))


def read_files(batches: Iterator[pa.RecordBatch], root: str, number: int, options: ReadOptions
               ) -> Iterator[pa.RecordBatch]:
    """``binaryFile`` rows (path, content) of input ``number`` -> documents and skips, through storyline's readers."""
    from ..ingest.directory import read_blob

    for batch in batches:
        rows = []
        for uri, content in zip(batch.column("path").to_pylist(), batch.column("content").to_pylist()):
            origin = _origin(uri)
            if _wanted(origin, root, options):
                key = walk_key(origin, root)
                rows.extend(_raw_row(item, (number, key, i))
                            for i, item in enumerate(read_blob(origin, content or b"", options)))
        yield pa.RecordBatch.from_pylist(rows, RAW_SCHEMA)


def read_records(rows: Iterator[tuple[Any, int]], origin: str, number: int, options: ReadOptions
                 ) -> Iterator[tuple]:
    """Rows of Parquet input ``number`` (with their row number) -> documents and skips, as JSON records are read."""
    from ..errors import InputError
    from ..ingest.base import skip
    from ..ingest.jsonl import record_to_document

    for row, n in rows:
        where = f"{origin}#R{n + 1}"
        try:
            item: RawDocument | Skip = record_to_document(row.asDict(recursive=True), where, options)
        except InputError as exc:
            item = skip(where, exc)
        values = _raw_row(item, (number, "", n))
        yield tuple(values.get(f) for f in RAW_SCHEMA.names)


def process_partition(batches: Iterator[pa.RecordBatch], settings: Settings, peak: Any = None
                      ) -> Iterator[pa.RecordBatch]:
    """The per-article function over a partition: ``process_batch`` on ``batch_size`` documents at a time."""
    from ..pipeline import process_batch

    for batch in batches:
        rows = batch.to_pylist()
        for start in range(0, len(rows), settings.batch_size):
            chunk = rows[start:start + settings.batch_size]
            items: list[dict[str, Any]] = []
            docs = [RawDocument(**{f: r[f] for f in RawDocument.__slots__}) for r in chunk if not r["skip_code"]]
            results = iter(process_batch(docs, settings)) if docs else iter(())
            for r in chunk:
                if r["skip_code"]:
                    rows = ds.item_rows(Skip(r["origin"], r["skip_code"], r["skip_reason"] or ""))
                else:
                    rows = ds.item_rows(next(results), r["raw_hash"])
                items.append({**{f: r[f] for f in SEQ.names}, **rows})
            yield pa.RecordBatch.from_pylist(items, ITEM_SCHEMA)
    if peak is not None:
        peak.add(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _max_param() -> Any:
    from pyspark.accumulators import AccumulatorParam

    class MaxParam(AccumulatorParam):
        def zero(self, value: float) -> float:
            return 0.0

        def addInPlace(self, a: float, b: float) -> float:  # noqa: N802 (pyspark's name)
            return max(a, b)

    return MaxParam()


# -- the job ---------------------------------------------------------------------------------------------

def _check_inputs(inputs: list[str]) -> tuple[list[tuple[int, str, bool]], list[Skip]]:
    """``(number, path, is_parquet)`` of every input Spark reads; skips for missing local paths; an error for
    what Spark cannot read."""
    found, skips = [], []
    for number, spec in enumerate(inputs):
        if spec == "-":
            raise UsageError("the Spark engine reads files, not standard input: save it to a file, or use "
                             "--engine local")
        scheme = spec.split("://", 1)[0].lower() if "://" in spec[:12] else ""
        if scheme in ("http", "https"):
            raise UsageError(f"{spec}: the Spark engine does not fetch URLs; ingest URLs with --engine local")
        if not scheme or scheme == "file":
            path = Path(_origin(spec) if scheme else spec).absolute()
            if not path.exists():
                skips.append(Skip(spec, "not-found", f"{spec}: no such file or directory"))
                continue
            spec = str(path)
        found.append((number, spec, spec.rstrip("/").lower().endswith(".parquet")))
    return found, skips


def _raw_frame(spark: "SparkSession", inputs: list[tuple[int, str, bool]], options: ReadOptions) -> "DataFrame":
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    schema = from_arrow_schema(RAW_SCHEMA)
    frames = []
    for number, spec, parquet in inputs:
        if parquet:
            rows = spark.read.parquet(spec).rdd.zipWithIndex().mapPartitions(
                partial(read_records, origin=spec, number=number, options=options))
            frames.append(spark.createDataFrame(rows, schema))
            continue
        listing = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(spec)
        root = _origin(spec if "://" in spec else Path(spec).as_uri()).rstrip("/")
        # the file index is on the driver already: sizes come from it, and empty files (which Spark's
        # scan passes over without a row) are recorded here, as the local engine records them
        sizes = {_origin(r.path): r.length for r in listing.select("path", "length").collect()}
        refused = []
        for origin in map(_origin, listing.inputFiles()):
            if not _wanted(origin, root, options):
                continue
            if origin not in sizes:
                refused.append(Skip(origin, "empty", f"{origin} is empty"))
            elif sizes[origin] > MAX_FILE_BYTES:
                refused.append(Skip(origin, "too-large", f"{origin} is over {MAX_FILE_BYTES:,} bytes, more than "
                                    "the Spark engine reads as one file: split it, or convert it to Parquet"))
        if refused:
            rows = [_raw_row(skip, (number, walk_key(skip.origin, root), 0)) for skip in refused]
            frames.append(spark.createDataFrame([tuple(r.get(f) for f in RAW_SCHEMA.names) for r in rows], schema))
        frames.append(listing.where(F.col("length") <= MAX_FILE_BYTES).select("path", "content")
                      .mapInArrow(partial(read_files, root=root, number=number, options=options), schema))
    if not frames:
        return spark.createDataFrame([], schema)
    out = frames[0]
    for frame in frames[1:]:
        out = out.unionByName(frame)
    return out


def _one_copy_per_article(spark: "SparkSession", items: "DataFrame") -> "DataFrame":
    """One item per article id, the one a local ingest ends with: a later copy replaces the current one
    when its text is new (an update); one with the current or an earlier text is unchanged."""
    from pyspark.sql import functions as F

    first = F.col("articles")[0]
    arts = items.where(F.size("articles") > 0).select(*SEQ.names, first["id"].alias("aid"),
                                                      first["content_hash"].alias("hash"))
    repeated = arts.groupBy("aid").count().where(F.col("count") > 1).select("aid")
    copies: dict[str, list[tuple]] = {}
    for r in arts.join(F.broadcast(repeated), "aid").collect():  # rare: the same URL in two inputs
        copies.setdefault(r.aid, []).append(((r.seq_input, r.seq_path, r.seq_item), r.hash))
    drop = []
    for found in copies.values():
        found.sort()
        (keep, current), older = found[0], set()
        for seq, text in found[1:]:  # as Store.write_batch: a text seen before is unchanged, another an update
            if text != current and text not in older:
                older.add(current)
                keep, current = seq, text
        drop += [seq for seq, _ in found if seq != keep]
    if not drop:
        return items
    dropped = spark.createDataFrame(drop, "seq_input long, seq_path string, seq_item long")
    return items.join(F.broadcast(dropped), list(SEQ.names), "left_anti")


def ingest_spark(inputs: list[str], out: str, options: ReadOptions | None = None, *, master: str | None = None,
                 spark: "SparkSession | None" = None, partitions: int | None = None,
                 dedup: bool = True, stories: bool | None = None) -> SparkReport:
    """Run the pipeline over ``inputs`` on Spark and write a dataset to ``out``. See the module docstring.
    ``stories`` (default: the ``stories`` setting) places the articles into events and storylines."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    if not inputs:
        raise UsageError("nothing to ingest: give at least one path")
    if not out:
        raise UsageError("the Spark engine writes a dataset: give --out DIR")
    options = options or ReadOptions()
    settings = options.settings
    if settings.analyse:
        from ..nlp.names import load_aliases

        load_aliases()  # a broken alias file is a usage error now, not a failed task later
    options = ReadOptions(settings=settings, include=options.include, exclude=options.exclude,
                          fields=options.fields, outlet=options.outlet, fetcher=_NoFetch())  # type: ignore[arg-type]
    found, missing = _check_inputs(list(inputs))
    started = time.perf_counter()
    report = SparkReport(out=out)
    spark = spark or spark_session(master)
    report.stages["start"] = time.perf_counter() - started
    sc = spark.sparkContext
    report.partitions = partitions or max(2, 4 * sc.defaultParallelism)
    peak = sc.accumulator(0.0, _max_param())

    t = time.perf_counter()
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "1")  # a whole file (a WARC, say) per batch
    raw = _raw_frame(spark, found, options).persist(StorageLevel.MEMORY_AND_DISK)
    n_raw = raw.count()
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(settings.batch_size))
    report.stages["read"] = time.perf_counter() - t

    t = time.perf_counter()
    processed = (raw.repartition(min(report.partitions, max(1, n_raw)))
                 .mapInArrow(partial(process_partition, settings=settings, peak=peak), from_arrow_schema(ITEM_SCHEMA))
                 .persist(StorageLevel.MEMORY_AND_DISK))
    processed.count()
    raw.unpersist()
    report.stages["process"] = time.perf_counter() - t

    t = time.perf_counter()
    items = _one_copy_per_article(spark, processed)
    extra = spark.createDataFrame([(s.origin, s.code, s.reason, None) for s in missing],
                                  from_arrow_schema(ds.TABLES["skipped"]))
    for table, keys in ROW_KEYS.items():
        frame = items.select(*SEQ.names, F.explode(table).alias("r"))
        if table == "skipped":
            frame = frame.select("r.*").unionByName(extra).orderBy(*keys)
        else:  # in reading order, an article's rows together
            frame = frame.orderBy(*SEQ.names, *(f"r.{k}" for k in keys)).select("r.*")
        frame.write.mode("overwrite").parquet(f"{out.rstrip('/')}/{table}")
    report.stages["write"] = time.perf_counter() - t
    report.tables = {table: spark.read.parquet(f"{out.rstrip('/')}/{table}").count() for table in ROW_KEYS}
    report.skipped = [Skip(r.origin, r.code, r.reason) for r in
                      spark.read.parquet(f"{out.rstrip('/')}/skipped").select("origin", "code", "reason").collect()]

    t = time.perf_counter()
    from .spark_dedup import write_duplicates

    articles = items.select(F.explode("articles").alias("r")).select("r.id", "r.content_hash", "r.published",
                                                                      "r.text")
    report.tables["duplicates"] = write_duplicates(spark, articles if dedup else articles.limit(0),
                                                   f"{out.rstrip('/')}/duplicates")
    report.stages["dedup"] = time.perf_counter() - t
    if settings.stories if stories is None else stories:
        from .spark_stories import write_stories

        # from the written tables: the story stage's plans start there, not at the whole ingest
        written = {t: spark.read.parquet(f"{out.rstrip('/')}/{t}") for t in ("articles", "mentions", "quotes")}
        report.tables.update(write_stories(spark, written["articles"], written["mentions"], written["quotes"],
                                           out, stages=report.stages))
    processed.unpersist()
    report.seconds = time.perf_counter() - started
    report.peak_worker_rss_mb = round(peak.value, 1) or None
    return report
