"""The storyline dataset: one Parquet table per record kind, shared by export, the Spark engine and load.

A dataset is a directory with one sub-directory per table (``articles/``,
``sentences/``, ``mentions/``, ``quotes/``, ``times/``, ``polevents/``, ``skipped/``,
``duplicates/``, and the story tables ``story_features/``, ``event_articles/``, ``sources/``,
``events/``, ``storylines/``; an export adds ``corrections/``), each holding
``*.parquet`` part files (read in name order).
Articles come in the order a local ingest reads the inputs (a store's export:
the order they were stored), one row per article id; the rows of ``sentences``,
``mentions``, ``quotes`` and ``times`` follow that order, an article's rows
together, so a loader merges the tables in one streaming pass and stores the
articles in the order a local ingest would.
The schemas below are the contract; ``storyline export --format parquet --out
DIR``, ``storyline ingest --engine spark --out DIR`` and ``storyline load DIR``
all use them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import UsageError
from .records import (Analysis, Article, Block, Mention, PolEvent, Processed, Quote, Sentence, Skip, Stance,
                      TimeExpr, evidence_from_json, evidence_to_json)

_S, _I, _B = pa.string(), pa.int64(), pa.bool_()

#: Columns of the articles table that the one-file export has always had, in that order.
EXPORT_COLUMNS = ("id", "title", "outlet", "url", "published", "date_source", "published_inferred_from",
                  "published_inferred_to", "language", "author", "origin", "ingested_at", "updated_at", "text")

_POLEVENT_INTS = frozenset({"sentence", "start", "end", "trigger_start", "trigger_end", "source_start",
                            "source_mention", "target_start", "target_mention"})
_STANCE_INTS = frozenset({"sentence", "start", "end", "cue_start", "cue_end", "holder_start", "holder_end",
                          "holder_mention", "reported_by_start", "reported_by_mention", "about_start", "about_end"})

TABLES: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [(c, _S) for c in EXPORT_COLUMNS] + [
            ("content_hash", _S), ("raw_hash", _S), ("outlet_domain", _S),
            ("blocks", pa.list_(pa.struct([("kind", _S), ("start", _I), ("end", _I)]))),
            ("analysed", _B), ("analysed_chars", _I), ("notes", pa.list_(_S)),
            ("published_inferred_basis", _S), ("published_inferred_evidence", _S),
        ]),
    "sentences": pa.schema([("article_id", _S), ("index", _I), ("start", _I), ("end", _I)]),
    "mentions": pa.schema([("article_id", _S), ("start", _I), ("end", _I), ("text", _S), ("label", _S),
                           ("key", _S), ("name", _S), ("sentence", _I), ("role", _S), ("country", _S),
                           ("actor", _B), ("surname", _B)]),
    "quotes": pa.schema([("article_id", _S), ("start", _I), ("end", _I), ("text", _S), ("kind", _S),
                         ("speaker_text", _S), ("speaker_start", _I), ("speaker_end", _I), ("cue", _S),
                         ("cue_start", _I), ("cue_end", _I), ("sentence", _I), ("said_on", _S),
                         ("said_on_basis", _S), ("speaker_mention", _I)]),
    "times": pa.schema([("article_id", _S), ("start", _I), ("end", _I), ("text", _S), ("type", _S),
                        ("value", _S), ("granularity", _S), ("basis", _S), ("sentence", _I)]),
    "polevents": pa.schema([("article_id", _S)] + [
        (f, _B if f in ("negated", "hedged") else _I if f in _POLEVENT_INTS else _S) for f in PolEvent.__slots__]),
    "stances": pa.schema([("article_id", _S)] + [
        (f, _B if f == "in_quote" else _I if f in _STANCE_INTS else _S) for f in Stance.__slots__]),
    "skipped": pa.schema([("origin", _S), ("code", _S), ("reason", _S), ("raw_hash", _S)]),
    "duplicates": pa.schema([("article_id", _S), ("canonical_id", _S), ("kind", _S), ("score", pa.float64())]),
    # story tables: the store's columns, entity keys (``person:dmitry vorontsov``) where the store has entity ids
    "story_features": pa.schema([("article_id", _S), ("content_hash", _S), ("day", _S), ("day_basis", _S),
                                 ("month", _S), ("shingles", _I), ("signature", pa.binary()),
                                 ("embedding", pa.binary()),
                                 ("entities", pa.list_(pa.struct([("key", _S), ("n", _I)]))),
                                 ("statements", pa.list_(_S)), ("outlet", _S)]),
    "event_articles": pa.schema([("article_id", _S), ("event_id", _I), ("score", pa.float64()), ("basis", _S)]),
    "sources": pa.schema([("article_id", _S), ("source_id", _S), ("kind", _S), ("score", pa.float64())]),
    "events": pa.schema([("id", _I), ("storyline_id", _I), ("title", _S), ("day", _S), ("start", _S), ("end", _S),
                         ("n_articles", _I), ("n_outlets", _I), ("n_sources", _I), ("centroid", pa.binary()),
                         ("entities", _S)]),
    "storylines": pa.schema([("id", _I), ("title", _S), ("start", _S), ("end", _S), ("n_events", _I),
                             ("n_articles", _I), ("n_outlets", _I), ("n_sources", _I), ("centroid", pa.binary()),
                             ("entities", _S)]),
}
#: Analysts' corrections (:mod:`storyline.corrections`), written by ``export --format parquet --out DIR`` and taken
#: in by ``load`` (a Spark dataset has none): the audit fields, nested values as JSON text, and the portable ``spec``.
CORRECTIONS = pa.schema([("id", _I), ("at", _S), ("by", _S), ("action", _S), ("target", _S), ("before", _S),
                         ("after", _S), ("note", _S), ("undone_at", _S), ("spec", _S)])
#: Tables of the global steps (written once over all articles, not per article by the per-article function).
GLOBAL_TABLES = ("duplicates", "story_features", "event_articles", "sources", "events", "storylines")
#: The story tables (``storyline load`` takes them into a store that has no stories yet).
STORY_TABLES = ("story_features", "event_articles", "sources", "events", "storylines")
#: Tables holding per-article analysis, keyed by ``article_id``.
CHILD_TABLES = ("sentences", "mentions", "quotes", "times", "polevents", "stances")
#: One row per processed input, each table's rows as a list (what a Spark task emits before the split).
ITEM_SCHEMA = pa.schema([(name, pa.list_(pa.struct(list(schema)))) for name, schema in TABLES.items()
                         if name not in GLOBAL_TABLES])


# -- records -> rows ------------------------------------------------------------------------------------

def article_row(article: Article, analysis: Analysis | None, *, ingested_at: str | None = None,
                updated_at: str | None = None) -> dict[str, Any]:
    inferred = analysis.published_range if analysis and analysis.published_range else (None, None)
    return {
        "id": article.id, "title": article.title, "outlet": article.outlet, "url": article.url,
        "published": article.published, "date_source": article.date_source,
        "published_inferred_from": inferred[0], "published_inferred_to": inferred[1],
        "language": article.language, "author": article.author, "origin": article.origin,
        "ingested_at": ingested_at, "updated_at": updated_at, "text": article.text,
        "content_hash": article.content_hash, "raw_hash": article.raw_hash or None,
        "outlet_domain": article.outlet_domain,
        "blocks": [{"kind": b.kind, "start": b.start, "end": b.end} for b in article.blocks],
        "analysed": analysis is not None, "analysed_chars": analysis.analysed_chars if analysis else None,
        "notes": list(analysis.notes) if analysis else [],
        "published_inferred_basis": analysis.published_basis if analysis and analysis.published_range else None,
        "published_inferred_evidence": evidence_to_json(analysis.published_evidence)
        if analysis and analysis.published_range else None,
    }


def analysis_rows(analysis: Analysis) -> dict[str, list[dict[str, Any]]]:
    """The child-table rows of one article's analysis."""
    aid = analysis.article_id
    return {
        "sentences": [{"article_id": aid, "index": s.index, "start": s.start, "end": s.end}
                      for s in analysis.sentences],
        "mentions": [{"article_id": aid, "start": m.start, "end": m.end, "text": m.text, "label": m.label,
                      "key": m.key, "name": m.name, "sentence": m.sentence, "role": m.role, "country": m.country,
                      "actor": m.actor, "surname": m.surname} for m in analysis.mentions],
        "quotes": [{"article_id": aid, **{f: getattr(q, f) for f in Quote.__slots__}} for q in analysis.quotes],
        "times": [{"article_id": aid, **{f: getattr(t, f) for f in TimeExpr.__slots__}} for t in analysis.times],
        "polevents": [{"article_id": aid, **{f: getattr(e, f) for f in PolEvent.__slots__}} for e in analysis.polevents],
        "stances": [{"article_id": aid, **{f: getattr(s, f) for f in Stance.__slots__}} for s in analysis.stances],
    }


def item_rows(item: Processed | Skip, raw_hash: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows for one result of the per-article function (``raw_hash``: of a skipped input)."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in ITEM_SCHEMA.names}
    if isinstance(item, Skip):
        out["skipped"].append({"origin": item.origin, "code": item.code, "reason": item.reason,
                               "raw_hash": raw_hash or None})
        return out
    out["articles"].append(article_row(item.article, item.analysis))
    if item.analysis is not None:
        out.update(analysis_rows(item.analysis))
    return out


# -- rows -> records ------------------------------------------------------------------------------------

def _fields(cls: type, row: dict[str, Any]) -> dict[str, Any]:
    return {f: row[f] for f in cls.__slots__ if f in row}


def to_processed(row: dict[str, Any], children: dict[str, list[dict[str, Any]]]) -> Processed:
    """An articles row and its child rows back to the ``Processed`` record the store writes."""
    article = Article(
        id=row["id"], content_hash=row["content_hash"], raw_hash=row["raw_hash"] or "", origin=row["origin"],
        text=row["text"], title=row["title"], url=row["url"], outlet=row["outlet"],
        outlet_domain=row["outlet_domain"], author=row["author"], published=row["published"],
        date_source=row["date_source"], language=row["language"],
        blocks=tuple(Block(b["kind"], b["start"], b["end"]) for b in row["blocks"] or ()),
    )
    if not row["analysed"]:
        return Processed(article, None)
    inferred = row["published_inferred_from"], row["published_inferred_to"]
    # (an export written before mentions said whether they may be a surname leaves the store's old reading)
    mentions = tuple(Mention(**{k: v for k, v in _fields(Mention, m).items() if not (k == "surname" and v is None)})
                     for m in children.get("mentions", []))
    analysis = Analysis(
        article.id,
        sentences=tuple(Sentence(s["index"], s["start"], s["end"]) for s in children.get("sentences", [])),
        mentions=mentions,
        quotes=_quotes(children.get("quotes", []), mentions),
        times=tuple(TimeExpr(**_fields(TimeExpr, t)) for t in children.get("times", [])),
        polevents=tuple(PolEvent(**_fields(PolEvent, e)) for e in children.get("polevents", [])),
        # (an export written before stances had a basis does not say how each was read)
        stances=tuple(Stance(**{"basis": None, **_fields(Stance, s)}) for s in children.get("stances", [])),
        analysed_chars=row["analysed_chars"] or 0, notes=tuple(row["notes"] or ()),
        published_range=inferred if inferred[0] else None,
        published_basis=(row.get("published_inferred_basis") or "text") if inferred[0] else None,
        published_evidence=evidence_from_json(row.get("published_inferred_evidence")) if inferred[0] else (),
    )
    return Processed(article, analysis)


def _quotes(rows: list[dict[str, Any]], mentions: tuple[Mention, ...]) -> tuple[Quote, ...]:
    quotes = tuple(Quote(**_fields(Quote, q)) for q in rows)
    if any("speaker_mention" not in q for q in rows):
        # a dataset written before quotes carried their speaker's mention: chosen as the quote stage chooses it
        from .extract.quotes import speaker_mentions

        quotes = tuple(speaker_mentions(quotes, mentions))
    return quotes


# -- files ----------------------------------------------------------------------------------------------

def table_files(root: str | Path, table: str) -> list[Path]:
    """The part files of one table, in name order (the order they were written in)."""
    folder = Path(root) / table
    return sorted(p for p in folder.glob("*.parquet") if not p.name.startswith((".", "_"))) if folder.is_dir() else []


def check_dataset(root: str | Path) -> Path:
    path = Path(root)
    if not (path / "articles").is_dir():
        raise UsageError(f"{root} is not a storyline dataset (no articles/ table); write one with "
                         "`storyline export --format parquet --out DIR` or `storyline ingest --engine spark`")
    return path


def row_count(root: str | Path, table: str) -> int:
    """Rows of one table, from the part files' metadata (0 when the table is absent)."""
    return sum(pq.ParquetFile(path).metadata.num_rows for path in table_files(root, table))


def read_rows(root: str | Path, table: str, batch_size: int = 1000) -> Iterator[dict[str, Any]]:
    """Every row of one table, streamed part file by part file."""
    for path in table_files(root, table):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size):
            yield from batch.to_pylist()


class TableWriter:
    """Writes rows of every table of a dataset into ``DIR/<table>/part-00000.parquet`` (one process);
    with ``single_file``, the one table given is written to the file ``root`` itself."""

    def __init__(self, root: str | Path, tables: Iterable[str] = TABLES, chunk: int = 2000, *,
                 single_file: bool = False) -> None:
        self.root = Path(root)
        self.chunk = chunk
        self.single_file = single_file
        self.closed = False
        self.buffers: dict[str, list[dict[str, Any]]] = {t: [] for t in tables}
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.counts: dict[str, int] = {t: 0 for t in self.buffers}

    def add(self, table: str, rows: Iterable[dict[str, Any]]) -> None:
        buf = self.buffers[table]
        buf.extend(rows)
        if len(buf) >= self.chunk:
            self._flush(table)

    def _flush(self, table: str) -> None:
        writer = self.writers.get(table)
        if writer is None:
            target = self.root if self.single_file else self.root / table / "part-00000.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            writer = self.writers[table] = pq.ParquetWriter(target, TABLES[table])
        rows = self.buffers[table]
        writer.write_table(pa.Table.from_pylist(rows, TABLES[table]))
        self.counts[table] += len(rows)
        self.buffers[table] = []

    def close(self) -> dict[str, int]:
        """Flush everything (every table gets a file, empty or not); return rows written per table."""
        if not self.closed:
            for table in self.buffers:
                self._flush(table)
                self.writers[table].close()
            self.closed = True
        return dict(self.counts)

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()
        else:
            for w in self.writers.values():
                w.close()
