"""The embedded store: SQLite in WAL mode, one writer, readers that never block it.

Only this package talks to the database. Writes happen in one transaction per
batch, so a process killed mid-run leaves every earlier batch intact and the
store readable; a re-run skips what is already in (``seen_inputs``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import NotFound, StoreError
from ..records import Article, Block, DateEvidence, LearnedLines, Processed, Skip, evidence_from_json
from . import boilerplate, schema
from . import search as fts
from .analysis import has_analysis, quote_rows, write_analysis
from .entities import EntityResolver, entity_rows
from .statements import statement_rows


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class WriteResult:
    """What one batch write did."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as stored, with its canonical outlet and ingest time."""

    article: Article
    ingested_at: str
    updated_at: str | None
    #: ``(from, to)`` when the article has no date and one was inferred (from its text, its URL, world
    #: knowledge or a dated article of the same story); ``published_basis`` says which, the evidence why.
    published_inferred: tuple[str, str] | None = None
    published_basis: str | None = None
    published_evidence: tuple[DateEvidence, ...] = ()

    def to_json(self, *, with_text: bool = True) -> dict[str, Any]:
        a = self.article
        out: dict[str, Any] = {
            "id": a.id,
            "title": a.title,
            "outlet": a.outlet,
            "url": a.url,
            "published": a.published,
            "date_source": a.date_source,
            "published_inferred": ({"from": self.published_inferred[0], "to": self.published_inferred[1],
                                    "basis": self.published_basis or "text",
                                    "evidence": [_evidence_json(e) for e in self.published_evidence if e.kept]}
                                   if self.published_inferred else None),
            "language": a.language,
            "author": a.author,
            "origin": a.origin,
            "ingested_at": self.ingested_at,
            "updated_at": self.updated_at,
        }
        if with_text:
            out["standfirst"] = a.standfirst
            out["text"] = a.text
            out["blocks"] = [{"kind": b.kind, "start": b.start, "end": b.end} for b in a.blocks]
        return out


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: StoredArticle
    score: float
    snippet: str


_ARTICLE_COLUMNS = (
    "a.id, a.content_hash, a.url, o.name, o.domain, a.title, a.author, a.published, a.date_source, "
    "a.language, a.text, a.blocks, a.origin, a.ingested_at, a.updated_at, n.published_from, n.published_to, "
    "n.published_basis, n.published_evidence"
)
_ARTICLE_FROM = "articles a LEFT JOIN outlets o ON o.id = a.outlet_id LEFT JOIN analyses n ON n.article_id = a.id"


def _row_to_article(row: sqlite3.Row | tuple) -> StoredArticle:
    (aid, chash, url, outlet, domain, title, author, published, dsource, lang, text, blocks, origin,
     ingested, updated, inferred_from, inferred_to, basis, evidence) = row[:19]
    article = Article(
        id=aid, content_hash=chash, raw_hash="", origin=origin, text=text, title=title, url=url,
        outlet=outlet, outlet_domain=domain, author=author, published=published, date_source=dsource,
        language=lang, blocks=tuple(Block(**b) for b in json.loads(blocks)),
    )
    if not inferred_from:
        return StoredArticle(article, ingested, updated)
    return StoredArticle(article, ingested, updated, (inferred_from, inferred_to), basis or "text",
                         evidence_from_json(evidence))


def _evidence_json(e: DateEvidence) -> dict[str, Any]:
    """One kept cue as the JSON contract shows it: what, the words and where, the days it allows, why."""
    out: dict[str, Any] = {"kind": e.kind, "note": e.note,
                           "allows": [{"from": a, "to": b} for a, b in e.spans[:3]]}
    if e.start >= 0:
        out.update(text=e.text, start=e.start, end=e.end)
    if e.article_id:
        out["article_id"] = e.article_id
    return out


class Store:
    """A storyline database. ``Store(path)`` opens (creating or upgrading) it.

    Use one ``Store`` per process for writing; any number of readers may open
    the same file at once (WAL mode).
    """

    def __init__(self, path: str | Path, *, readonly: bool = False, timeout: float = 30.0) -> None:
        self.path = str(path)
        self.readonly = readonly
        try:
            if readonly:
                if self.path != ":memory:" and not Path(self.path).exists():
                    raise StoreError(f"no store at {self.path}; run `storyline ingest` first or pass --db")
                uri = f"file:{Path(self.path).resolve()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None,
                                            check_same_thread=False)
            else:
                self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                            check_same_thread=False)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self.conn.execute("PRAGMA foreign_keys=ON")
                schema.upgrade(self.conn)
            self.conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            # Keyed look-ups (story placement, pages) stay cheap in a large store when the file is
            # memory-mapped and the hot B-tree pages are cached rather than read one syscall at a time.
            self.conn.execute("PRAGMA mmap_size=2147483648")
            self.conn.execute("PRAGMA cache_size=-65536")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        if readonly and schema.missing_versions(self.conn):
            raise StoreError(f"store {self.path} has an older schema; open it once for writing to upgrade it")

    # -- lifecycle ---------------------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return schema.current_version(self.conn)

    def _transaction(self) -> "_Tx":
        if self.readonly:
            raise StoreError("this store was opened read-only")
        return _Tx(self.conn)

    # -- writing ----------------------------------------------------------------------------------

    def seen(self, raw_hashes: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """raw_hash -> (article_id, skip code) for inputs already handled by an earlier run."""
        hashes = [h for h in raw_hashes if h]
        out: dict[str, tuple[str | None, str | None]] = {}
        for i in range(0, len(hashes), 500):
            chunk = hashes[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for h, aid, code in self.conn.execute(
                f"SELECT raw_hash, article_id, code FROM seen_inputs WHERE raw_hash IN ({marks})", chunk
            ):
                out[h] = (aid, code)
        return out

    def write_batch(self, items: Iterable[Article | Processed], skips: Iterable[Skip] = (),
                    skip_hashes: dict[str, str] | None = None, *, learn: int | None = None,
                    repeats: Iterable[tuple[str, str]] = ()) -> WriteResult:
        """Store a batch of articles (with their analyses) and skipped inputs in one transaction.

        An article whose id exists with the same content is *unchanged*; with other
        content (the same URL, changed text) it is *updated* and the old text kept in
        ``article_versions``. A new or updated article's analysis replaces the old one;
        its entity mentions are resolved to canonical entities. ``skip_hashes`` maps raw
        hashes of skipped inputs to their code so that a re-run does not process them again.
        ``learn``: count new articles' lines per outlet, learning a line once this many articles carry
        it (see ``store.boilerplate``); ``None`` learns nothing. ``repeats``: (raw hash, article id) of inputs
        that repeat a record already stored, remembered as handled.
        """
        result = WriteResult()
        now = _now()
        with self._transaction():
            resolver = EntityResolver(self.conn, now)
            for item in items:
                art, analysis = (item.article, item.analysis) if isinstance(item, Processed) else (item, None)
                outlet_id = self._outlet_id(art.outlet, art.outlet_domain, art.outlet_basis)
                row = self.conn.execute(
                    "SELECT content_hash, title, text FROM articles WHERE id = ?", (art.id,)
                ).fetchone()
                blocks = json.dumps([{"kind": b.kind, "start": b.start, "end": b.end} for b in art.blocks])
                if row is None:
                    self.conn.execute(
                        "INSERT INTO articles (id, content_hash, url, outlet_id, title, author, published, "
                        "date_source, language, text, blocks, origin, ingested_at) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (art.id, art.content_hash, art.url, outlet_id, art.title, art.author, art.published,
                         art.date_source, art.language, art.text, blocks, art.origin, now),
                    )
                    result.new.append(art.id)
                    self.conn.execute("INSERT OR IGNORE INTO story_queue (article_id) VALUES (?)", (art.id,))
                    if learn and outlet_id is not None:
                        boilerplate.learn_from(self.conn, outlet_id, art, learn, now)
                elif row[0] == art.content_hash or self._is_old_version(art.id, art.content_hash):
                    result.unchanged.append(art.id)
                else:
                    self.conn.execute(
                        "INSERT INTO article_versions (article_id, content_hash, title, text, replaced_at) "
                        "VALUES (?,?,?,?,?)", (art.id, row[0], row[1], row[2], now),
                    )
                    self.conn.execute(
                        "UPDATE articles SET content_hash=?, url=?, outlet_id=?, title=?, author=?, published=?, "
                        "date_source=?, language=?, text=?, blocks=?, origin=?, updated_at=? WHERE id=?",
                        (art.content_hash, art.url, outlet_id, art.title, art.author, art.published,
                         art.date_source, art.language, art.text, blocks, art.origin, now, art.id),
                    )
                    result.updated.append(art.id)
                    self.conn.execute("INSERT OR IGNORE INTO story_queue (article_id) VALUES (?)", (art.id,))
                if analysis is not None and (result.new[-1:] == [art.id] or result.updated[-1:] == [art.id]
                                             or not has_analysis(self.conn, art.id)):
                    write_analysis(self.conn, resolver, art, analysis, now)
                if art.raw_hash:
                    self.conn.execute(
                        "INSERT OR REPLACE INTO seen_inputs (raw_hash, article_id, code) VALUES (?, ?, NULL)",
                        (art.raw_hash, art.id),
                    )
            for skip in skips:
                self._record_error(skip, now)
            for raw_hash, code in (skip_hashes or {}).items():
                self.conn.execute(
                    "INSERT OR REPLACE INTO seen_inputs (raw_hash, article_id, code) VALUES (?, NULL, ?)",
                    (raw_hash, code),
                )
            self.conn.executemany("INSERT OR REPLACE INTO seen_inputs (raw_hash, article_id, code) VALUES (?, ?, NULL)",
                                  repeats)
        return result

    def _record_error(self, skip: Skip, now: str) -> None:
        self.conn.execute(
            "INSERT INTO ingest_errors (origin, code, reason, first_seen, last_seen) VALUES (?,?,?,?,?) "
            "ON CONFLICT (origin, code) DO UPDATE SET reason=excluded.reason, last_seen=excluded.last_seen, "
            "count=count+1",
            (skip.origin, skip.code, skip.reason, now, now),
        )

    def _is_old_version(self, article_id: str, content_hash: str) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM article_versions WHERE article_id=? AND content_hash=?", (article_id, content_hash)
        ).fetchone() is not None

    def _outlet_id(self, name: str | None, domain: str | None, basis: str | None = None) -> int | None:
        """Canonical outlet. A name the record gave (``basis`` ``record``) is kept as given, whatever the
        host (several outlets may share one: columnists, sections, aggregators); a guessed name (page
        metadata, text) or none joins the host's outlet when the host has one, whose name improves with the
        best name seen; an input naming none on a host several outlets share gets the host's own (named by
        its domain), never another record's."""
        if not name and not domain:
            return None
        if name:
            row = self.conn.execute("SELECT id, domain FROM outlets WHERE name = ?", (name,)).fetchone()
            if row:
                if domain and row[1] is None:
                    self.conn.execute("UPDATE outlets SET domain=? WHERE id=?", (domain, row[0]))
                return row[0]
        if domain:
            rows = self.conn.execute("SELECT id, name FROM outlets WHERE domain = ? ORDER BY id", (domain,)).fetchall()
            if rows and basis == "record":
                # the host's unnamed outlet (known by its domain alone) takes the record's name
                unnamed = next((r for r in rows if r[1] == domain or "." in r[1]), None)
                if unnamed:
                    self.conn.execute("UPDATE outlets SET name=? WHERE id=?", (name, unnamed[0]))
                    return unnamed[0]
            elif len(rows) == 1:
                row = rows[0]
                if name and _better_name(name, row[1], domain):
                    self.conn.execute("UPDATE outlets SET name=? WHERE id=?", (name, row[0]))
                return row[0]
            elif rows and not name:
                # a host several outlets share: an input naming none is the host's own, not another's
                own = next((r for r in rows if r[1] == domain), None)
                if own:
                    return own[0]
        cur = self.conn.execute("INSERT INTO outlets (name, domain) VALUES (?, ?)", (name or domain, domain))
        return cur.lastrowid

    # -- learned boilerplate -----------------------------------------------------------------------

    def learned_lines(self, names: Iterable[str] = (), domains: Iterable[str] = ()) -> LearnedLines:
        """The lines learned as boilerplate for the outlets named ``names`` or known by ``domains``."""
        return boilerplate.learned_lines(self.conn, names, domains)

    def learned_stats(self) -> list[dict[str, Any]]:
        """Per outlet: articles counted for learning and lines learned."""
        return boilerplate.learned_stats(self.conn)

    def reclean_pending(self, limit: int = 100) -> list[str]:
        """Ids of stored articles that carry a learned line and wait for the re-clean pass."""
        return [r[0] for r in self.conn.execute("SELECT article_id FROM reclean_queue ORDER BY article_id LIMIT ?",
                                                (limit,))]

    def reclean_done(self, article_ids: Iterable[str]) -> None:
        with self._transaction():
            self.conn.executemany("DELETE FROM reclean_queue WHERE article_id = ?", [(a,) for a in article_ids])

    def learned_for_article(self, article_id: str) -> frozenset[int]:
        """The learned lines of an article's outlet."""
        row = self.conn.execute("SELECT outlet_id FROM articles WHERE id = ?", (article_id,)).fetchone()
        return boilerplate.learned_for(self.conn, row[0]) if row and row[0] is not None else frozenset()

    def start_run(self, inputs: list[str]) -> int:
        with self._transaction():
            cur = self.conn.execute(
                "INSERT INTO ingest_runs (started_at, inputs) VALUES (?, ?)", (_now(), json.dumps(inputs))
            )
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        with self._transaction():
            self.conn.execute(
                "UPDATE ingest_runs SET finished_at=?, summary=? WHERE id=?", (_now(), json.dumps(summary), run_id)
            )

    # -- reading ----------------------------------------------------------------------------------

    def count_articles(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def article(self, article_id: str) -> StoredArticle:
        row = self.conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM {_ARTICLE_FROM} WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id!r}")
        return _row_to_article(row)

    def articles(self, *, outlet: str | None = None, since: str | None = None, until: str | None = None,
                 limit: int | None = None, offset: int = 0) -> list[StoredArticle]:
        where, args = fts.filters(outlet, since, until)
        sql = (f"SELECT {_ARTICLE_COLUMNS} FROM {_ARTICLE_FROM} {where} "
               "ORDER BY a.published IS NULL, a.published, a.ingested_at, a.id LIMIT ? OFFSET ?")
        return [_row_to_article(r) for r in self.conn.execute(sql, (*args, -1 if limit is None else limit, offset))]

    def iter_articles(self, batch: int = 1000) -> Iterator[StoredArticle]:
        """Every article, streamed in id order without loading all of them."""
        last = ""
        while True:
            rows = self.conn.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM {_ARTICLE_FROM} WHERE a.id > ? ORDER BY a.id LIMIT ?", (last, batch),
            ).fetchall()
            if not rows:
                return
            for r in rows:
                yield _row_to_article(r)
            last = rows[-1][0]

    def search(self, query: str, *, outlet: str | None = None, since: str | None = None,
               until: str | None = None, entity: int | None = None, storyline: int | None = None,
               limit: int = 20, offset: int = 0, scan: int = fts.SEARCH_SCAN) -> list[SearchHit]:
        """Full-text search (FTS5, BM25-ranked) with optional outlet, date, entity and storyline filters, ranked
        in windows of the newest ``scan`` matches (``search.ranked``)."""
        found = fts.ranked(self.conn, query, fts.filters(outlet, since, until, entity, storyline), limit, offset, scan)
        if not found:
            return []
        match, ranked = found
        ids = [r[0] for r in ranked]
        marks = ",".join("?" * len(ids))
        rows = {r[19]: r for r in self.conn.execute(
            f"SELECT {_ARTICLE_COLUMNS}, a.rowid FROM {_ARTICLE_FROM} WHERE a.rowid IN ({marks})", ids)}
        snippets = fts.snippets(self.conn, match, ids)
        return [SearchHit(_row_to_article(rows[i]), -float(score), snippets.get(i) or "")
                for i, score in ranked if i in rows]

    def outlets(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT o.id, o.name, o.domain, COUNT(a.id) FROM outlets o LEFT JOIN articles a ON a.outlet_id = o.id "
            "GROUP BY o.id ORDER BY COUNT(a.id) DESC, o.name"
        )
        return [{"id": i, "name": n, "domain": d, "articles": c} for i, n, d, c in rows]

    def errors(self, limit: int | None = None) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT origin, code, reason, first_seen, last_seen, count FROM ingest_errors "
            "ORDER BY last_seen DESC, id DESC LIMIT ?", (-1 if limit is None else limit,),
        )
        keys = ("origin", "code", "reason", "first_seen", "last_seen", "count")
        return [dict(zip(keys, r)) for r in rows]

    def entities(self, *, type_: str | None = None, query: str | None = None, limit: int | None = None,
                 offset: int = 0) -> list[dict[str, Any]]:
        """Canonical entities ``{id, name, type, country, aliases, roles, mentions}``, most mentioned first."""
        return entity_rows(self.conn, type_=type_, query=query, limit=limit, offset=offset)

    def entity(self, entity_id: int) -> dict[str, Any]:
        rows = entity_rows(self.conn, entity_id=entity_id)
        if not rows:
            raise NotFound(f"no entity with id {entity_id!r}")
        return rows[0]

    def quotes(self, *, article_id: str | None = None, speaker: int | None = None, kind: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        return quote_rows(self.conn, article_id=article_id, speaker=speaker, kind=kind, limit=limit, offset=offset)

    def statements(self, *, speaker: int | None = None, min_articles: int = 1, limit: int | None = None,
                   offset: int = 0) -> list[dict[str, Any]]:
        """One utterance across articles: ``{id, speaker, said_on, text, articles, outlets, kinds, variants}``."""
        return statement_rows(self.conn, speaker=speaker, min_articles=min_articles, limit=limit, offset=offset)

    def sentences(self, article_id: str) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self.conn.execute(
            "SELECT start, end FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,))]

    def mentions(self, article_id: str) -> list[dict[str, Any]]:
        keys = ("start", "end", "text", "label", "entity_id", "sentence", "role", "actor")
        return [dict(zip(keys, r)) for r in self.conn.execute(
            "SELECT start, end, text, label, entity_id, sentence, role, actor FROM mentions WHERE article_id = ? "
            "ORDER BY start", (article_id,))]

    def times(self, article_id: str) -> list[dict[str, Any]]:
        keys = ("start", "end", "text", "type", "value", "granularity", "basis", "sentence")
        return [dict(zip(keys, r)) for r in self.conn.execute(
            "SELECT start, end, text, type, value, granularity, basis, sentence FROM time_exprs WHERE article_id = ? "
            "ORDER BY start", (article_id,))]

    # -- reads for the web app (pages and REST API) ----------------------------------------------

    def count_search(self, query: str, *, outlet: str | None = None, since: str | None = None,
                     until: str | None = None, entity: int | None = None, storyline: int | None = None,
                     cap: int | None = None) -> int:
        """How many articles ``search`` would find with the same arguments (all pages), counting at most ``cap``."""
        return fts.count(self.conn, query, fts.filters(outlet, since, until, entity, storyline), cap)

    def count_articles_where(self, *, outlet: str | None = None, since: str | None = None,
                             until: str | None = None) -> int:
        where, args = fts.filters(outlet, since, until)
        return int(self.conn.execute(
            f"SELECT COUNT(*) FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id {where}", args).fetchone()[0])

    def articles_per_day(self, article_ids: list[str]) -> list[dict[str, Any]]:
        """``[{day, n}]`` for the dated articles among ``article_ids``, oldest first."""
        counts: dict[str, int] = {}
        for i in range(0, len(article_ids), 500):
            chunk = article_ids[i:i + 500]
            for day, n in self.conn.execute(
                    f"SELECT published, COUNT(*) FROM articles WHERE id IN ({','.join('?' * len(chunk))}) "
                    "AND published IS NOT NULL GROUP BY published", chunk):
                counts[day] = counts.get(day, 0) + n
        return [{"day": d, "n": counts[d]} for d in sorted(counts)]

    def outlet_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM outlets ORDER BY name COLLATE NOCASE")]

    def statement_quotes(self, article_ids: list[str]) -> list[dict[str, Any]]:
        """The quotes of these articles that belong to a statement (``quotes`` shape), a few queries in all."""
        out: list[dict[str, Any]] = []
        for i in range(0, len(article_ids), 500):
            chunk = article_ids[i:i + 500]
            rows = self.conn.execute(
                "SELECT q.id, q.article_id, q.text, q.kind, q.speaker_entity_id, COALESCE(e.name, q.speaker_name), "
                "q.cue, q.said_on, q.said_on_basis, q.start, q.end, q.statement_id FROM quotes q "
                "LEFT JOIN entities e ON e.id = q.speaker_entity_id "
                f"WHERE q.article_id IN ({','.join('?' * len(chunk))}) AND q.statement_id IS NOT NULL "
                "ORDER BY q.article_id, q.start", chunk)
            for qid, aid, text, kind, eid, name, cue, said_on, basis, start, end, statement in rows:
                out.append({"id": qid, "article_id": aid, "text": text, "kind": kind,
                            "speaker": {"entity_id": eid, "name": name} if name else None, "cue": cue,
                            "said_on": said_on, "said_on_basis": basis, "start": start, "end": end,
                            "statement_id": statement})
        return out

    def entity_storyline_ids(self, entity_id: int, limit: int = 50) -> list[int]:
        """Storylines with an article that mentions the entity, most such articles first."""
        return [r[0] for r in self.conn.execute(
            "SELECT e.storyline_id FROM mentions m JOIN event_articles ea ON ea.article_id = m.article_id "
            "JOIN events e ON e.id = ea.event_id WHERE m.entity_id = ? GROUP BY e.storyline_id "
            "ORDER BY COUNT(DISTINCT m.article_id) DESC LIMIT ?", (entity_id, limit))]

    def versions(self, article_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT content_hash, title, replaced_at FROM article_versions WHERE article_id=? ORDER BY rowid",
            (article_id,),
        )
        return [{"content_hash": h, "title": t, "replaced_at": r} for h, t, r in rows]


class _Tx:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any exception."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: type | None, *exc: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _better_name(new: str, old: str, domain: str) -> bool:
    """Is ``new`` a better display name for an outlet than ``old``? A proper name ("Atlantic Evening Post")
    beats a domain ("eveningpost.example") and a handle or run-together name ("EveningPost")."""
    def score(name: str) -> tuple[int, int]:
        return (name != domain and "." not in name, " " in name)

    return score(new) > score(old)
