"""Executor side of story assignment on Spark: features, one block placed by the local Assigner, event profiles,
storylines linked inside a component. Plain functions over Arrow batches or pandas frames, so they run in
``mapInArrow`` / ``applyInPandas`` and in tests without Spark.

- :func:`story_features`: per article, the story day and basis (``engines.stories.story_day``), the MiniLM
  embedding of headline and lead (``stories.embed``, one model per executor process), its canonical entity
  keys (the most mentioned ``top_entities``) and statement keys (its quotes' normalised words);
- :func:`place_block`: one block of articles placed by :class:`storyline.stories.assign.Assigner`, the local
  stage's own code, against the story tables of an in-memory store and in-memory vector indexes, in the local
  stage's order (dated first, by day, then by id). Quotes are grouped into statements by the store's own
  grouping within the block; entity keys and outlets become integers by a stable hash, as the Assigner
  compares them only for equality;
- :func:`event_profile`: an event's span, counts, centroid, entity profile and title (``stories.titles``);
- :func:`link_storylines`: the events of one component, in creation order, each joining the best storyline
  by the local rule (``Assigner._best_storyline``'s score: nearest event, storyline centroid, entity cover,
  gap penalty) or opening one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..records import StoryArticle
from ..stories.assign import MIN_STORY_SHINGLES, StoryParams
from ..stories.coherence import ArticleView, EventView, Weights, event_fit
from ..stories.dedup import shingles as text_shingles
from ..stories.dedup import words
from ..stories.embed import story_text, vector_bytes, vector_from_bytes
from ..stories.headline import candidate_keys, headline_entities, repeats_title
from ..stories.terms import terms

_S, _I, _F, _B = pa.string(), pa.int64(), pa.float64(), pa.binary()
ENTITY = pa.struct([("key", _S), ("n", _I)])
LEAD_CHARS = 400   # what the store's title candidates read of an article's text
EVENT_ENTITY_LIMIT = 30   # as store.stories keeps per event
STORYLINE_ENTITY_LIMIT = 60

QUOTE = pa.struct([("text", _S), ("kind", _S), ("speaker_text", _S), ("said_on", _S)])
FEATURES = pa.schema([("id", _S), ("content_hash", _S), ("title", _S), ("text", _S), ("day", _S),
                      ("day_basis", _S), ("day_from", _S), ("day_to", _S), ("month", _S), ("outlet", _S), ("entities", pa.list_(ENTITY)),
                      ("statements", pa.list_(_S)), ("quotes", pa.list_(QUOTE)), ("embedding", _B),
                      ("order", _S)])
PLACED = pa.schema([("block", _S), ("id", _S), ("core", pa.bool_()), ("event", _I), ("score", _F), ("basis", _S),
                    ("source_id", _S), ("source_kind", _S), ("source_score", _F), ("shingles", _I),
                    ("signature", _B)])
EVENTS = pa.schema([("event_id", _I), ("start", _S), ("end", _S), ("n_articles", _I), ("n_outlets", _I),
                    ("n_sources", _I), ("centroid", _B), ("entities", pa.list_(ENTITY)), ("title", _S),
                    ("order", _S)])
LINKED = pa.schema([("event_id", _I), ("component", _I), ("storyline", _I)])


def stable_int(text: str) -> int:
    """A positive 56-bit integer for a key (the same in every process, unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=7).digest(), "big")


def statement_key(quote: str) -> str:
    """A quote's words, case and accents folded: two articles carrying one statement verbatim share it."""
    return " ".join(words(quote))


def placement_order(day: str | None, article_id: str) -> str:
    """A string that sorts articles as the local story stage places them: dated by day, then undated; then id."""
    return f"0{day}\x00{article_id}" if day else f"1\x00{article_id}"


# -- features --------------------------------------------------------------------------------------------

def story_features(batches: Iterator[pa.RecordBatch], params: StoryParams) -> Iterator[pa.RecordBatch]:
    """Articles (with their entity keys and quotes) -> story features; the embedding model loads on first use."""
    from ..stories.embed import embed
    from .stories import story_day

    for batch in batches:
        rows = batch.to_pylist()
        vectors = embed([story_text(r["title"], r["text"] or "") for r in rows])
        out = []
        for r, vector in zip(rows, vectors):
            lo, hi = r["published_inferred_from"], r["published_inferred_to"]
            day, basis = story_day({"published": r["published"], "published_from": lo, "published_to": hi})
            lo, hi = (lo[:10], hi[:10]) if basis == "range" else (None, None)
            counts = {e["key"]: int(e["n"]) for e in r["entities"] or []}
            if r.get("headline_keys"):   # the headline's names, as the local stage reads them
                for key in headline_entities(candidate_keys(r["title"]), {k: k for k in r["headline_keys"]}):
                    counts[key] = counts.get(key, 0) + 1
            ents = sorted(({"key": k, "n": n} for k, n in counts.items()), key=lambda e: e["key"])
            ents = sorted(ents, key=lambda e: -e["n"])[:params.top_entities]
            quotes = {statement_key(q["text"]) for q in r["quotes"] or []}
            out.append({"id": r["id"], "content_hash": r["content_hash"], "title": r["title"], "text": r["text"],
                        "day": day, "day_basis": basis, "day_from": lo, "day_to": hi, "month": day[:7] if day else "undated",
                        "outlet": r["outlet"], "entities": ents, "statements": sorted(q for q in quotes if q),
                        "quotes": r["quotes"] or [],
                        "embedding": vector_bytes(vector), "order": placement_order(day, r["id"])})
        yield pa.RecordBatch.from_pylist(out, FEATURES)


def headline_candidates(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """(article id, key) for every key a name run of an article's title could have (``stories.headline``; none
    when the text opens with its title), to be kept where some mention holds the key."""
    for batch in batches:
        out = [{"article_id": r["id"], "key": k} for r in batch.to_pylist()
               if not repeats_title(r["title"], r["text"] or "")
               for k in dict.fromkeys(k for keys in candidate_keys(r["title"]).values() for k in keys)]
        yield pa.RecordBatch.from_pylist(out, pa.schema([("article_id", _S), ("key", _S)]))


# -- one block through the local Assigner ----------------------------------------------------------------

def _statements(conn: Any, quotes: Any, now: str) -> frozenset[int]:
    """An article's quotes grouped into the block's statements by the store's own grouping (reworded variants
    of one utterance included), the speaker known by name."""
    from ..store.statements import assign_statement

    found = set()
    for q in quotes:
        speaker = stable_int(statement_key(q["speaker_text"])) if q["speaker_text"] else None
        sid = assign_statement(conn, "", q["text"], q["kind"], speaker, q["said_on"], now)
        if sid is not None:
            found.add(sid)
    return frozenset(found)


def _story_article(r: dict[str, Any], n_shingles: int, statements: frozenset[int]) -> StoryArticle:
    """As ``engines.stories.story_article``: the same day, range and topic terms."""
    from .stories import TERM_CHARS

    return StoryArticle(article_id=r["id"], content_hash=r["content_hash"], title=r["title"], day=r["day"],
                        day_basis=r["day_basis"], month=r["month"],
                        outlet_id=stable_int(r["outlet"]) if r["outlet"] else None, shingles=n_shingles,
                        entities={stable_int(e["key"]): int(e["n"]) for e in r["entities"]}, statements=statements,
                        day_from=r["day_from"], day_to=r["day_to"],
                        terms=terms(f"{r['title'] or ''}\n{(r['text'] or '')[:TERM_CHARS]}"))


def place_block(frame: pd.DataFrame, params: StoryParams) -> pd.DataFrame:
    """Place one block's articles (``core`` ones it owns, context ones from the neighbouring block) with the
    Assigner on an in-memory store; return each article's event in this block, and the features kept."""
    from ..store import Store
    from ..store.stories import StoryTables
    from ..stories.assign import Assigner
    from .stories import open_index

    rows = sorted(frame.to_dict("records"), key=lambda r: r["order"])
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with Store(":memory:") as store:
        store.conn.execute("PRAGMA foreign_keys = OFF")  # a scratch store: speakers are hashed names, not entities
        tables = StoryTables(store.conn, now)
        index = open_index(store, tables)
        assigner = Assigner(tables, index, params)
        with store._transaction():
            store.conn.executemany(
                "INSERT INTO articles (id, content_hash, title, published, text, origin, ingested_at) "
                "VALUES (?,?,?,?,?,'',?)", [(r["id"], r["content_hash"], r["title"],
                                             r["day"] if r["day_basis"] == "published" else None,
                                             (r["text"] or "")[:LEAD_CHARS], now) for r in rows])
            for r in rows:
                grams = text_shingles(r["text"] or "")
                statements = _statements(store.conn, r["quotes"], now)
                assigner.assign(_story_article(r, len(grams), statements), grams, vector_from_bytes(r["embedding"]))
        placed = {a: (e, s, b) for a, e, s, b in store.conn.execute(
            "SELECT article_id, event_id, score, basis FROM event_articles")}
        sources = {a: (s, k, sc) for a, s, k, sc in store.conn.execute(
            "SELECT article_id, source_id, kind, score FROM sources")}
        feats = {a: (n, sig) for a, n, sig in store.conn.execute(
            "SELECT article_id, shingles, signature FROM story_features")}
    out = []
    for r in rows:
        event, score, basis = placed[r["id"]]
        source, kind, source_score = sources.get(r["id"], (r["id"], None, None))
        out.append({"block": r["block"], "id": r["id"], "core": bool(r["core"]), "event": event, "score": score,
                    "basis": basis, "source_id": source, "source_kind": kind, "source_score": source_score,
                    "shingles": feats[r["id"]][0], "signature": feats[r["id"]][1]})
    return pd.DataFrame(out, columns=PLACED.names)


# -- events ------------------------------------------------------------------------------------------------

def merge_counts(profile: dict[str, int], add: dict[str, int], limit: int) -> dict[str, int]:
    """Entity counts added, the ``limit`` largest kept (as the store merges an event's profile)."""
    merged = dict(profile)
    for k, v in add.items():
        merged[k] = merged.get(k, 0) + v
    return dict(sorted(merged.items(), key=lambda kv: -kv[1])[:limit])


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (float(np.linalg.norm(v)) or 1.0)


def event_profile(frame: pd.DataFrame) -> pd.DataFrame:
    """One event's members (in placement order) -> its span, counts, centroid, entity profile and title."""
    from ..stories.titles import event_title

    rows = sorted(frame.to_dict("records"), key=lambda r: r["order"])
    vectors = np.stack([vector_from_bytes(r["embedding"]) for r in rows])
    centroid = vectors.mean(axis=0)
    ents: dict[str, int] = {}
    for r in rows:
        ents = merge_counts(ents, {e["key"]: int(e["n"]) for e in r["entities"]}, EVENT_ENTITY_LIMIT)
    days = [r["day"] for r in rows if r["day"]]
    candidates = [{"title": r["title"], "lead": (r["text"] or "")[:LEAD_CHARS], "embedding": v, "copy": r["copy"]}
                  for r, v in zip(rows, vectors)]
    return pd.DataFrame([{
        "event_id": rows[0]["event_id"], "start": min(days, default=None), "end": max(days, default=None),
        "n_articles": len(rows), "n_outlets": len({r["outlet"] for r in rows if r["outlet"]}),
        "n_sources": len({r["source_id"] for r in rows}), "centroid": vector_bytes(centroid),
        "entities": [{"key": k, "n": n} for k, n in ents.items()],
        "title": event_title(candidates, _unit(centroid)), "order": rows[0]["order"],
    }], columns=EVENTS.names)


# -- storylines ---------------------------------------------------------------------------------------------

def storyline_score(vector: np.ndarray, day: str | None, entities: dict[str, int], hit_cos: float,
                    line: dict[str, Any], idf: dict[str, float], params: StoryParams) -> float | None:
    """The local rule for joining a storyline (:func:`storyline.stories.coherence.storyline_fit`), for an event's
    centroid and entities (Spark's features carry no topic terms): the score when it passes, else ``None``."""
    from ..stories.coherence import ArticleView, StorylineView, Weights, storyline_fit

    fit = storyline_fit(ArticleView(vector=vector, day=day, entities=entities),
                        StorylineView(centroid=line["centroid"], start=line["start"], end=line["end"],
                                      entities=line["entities"]), hit_cos, Weights(entities=idf, terms={}), params)
    return fit.score if fit.ok else None


def link_storylines(frame: pd.DataFrame, params: StoryParams) -> pd.DataFrame:
    """The events of one component in creation order: each joins its best storyline when the local rule's
    score passes ``storyline_threshold``, else opens one."""
    events = sorted(frame.to_dict("records"), key=lambda r: r["order"])
    idf = {e["key"]: float(e["idf"]) for r in events for e in r["entities"]}
    lines: list[dict[str, Any]] = []
    out = []
    for r in events:
        vector = _unit(vector_from_bytes(r["centroid"]))
        ents = {e["key"]: int(e["n"]) for e in r["entities"]}
        best: tuple[float, int] | None = None
        for i, line in enumerate(lines):
            hit_cos = max(float(vector @ v) for v in line["vectors"])
            score = storyline_score(vector, r["start"], ents, hit_cos, line, idf, params)
            if score is not None and (best is None or score > best[0]):
                best = (score, i)
        if best is None:
            lines.append({"vectors": [], "centroid": np.zeros_like(vector), "n": 0, "start": None, "end": None,
                          "entities": {}})
            best = (0.0, len(lines) - 1)
        line = lines[best[1]]
        n = int(r["n_articles"])
        line["centroid"] = (line["centroid"] * line["n"] + vector_from_bytes(r["centroid"]) * n) / (line["n"] + n)
        line["n"] += n
        line["vectors"].append(vector)
        line["entities"] = merge_counts(line["entities"], ents, STORYLINE_ENTITY_LIMIT)
        line["start"] = min(filter(None, (line["start"], r["start"])), default=None)
        line["end"] = max(filter(None, (line["end"], r["end"])), default=None)
        out.append({"event_id": r["event_id"], "component": r["component"], "storyline": best[1]})
    return pd.DataFrame(out, columns=LINKED.names)


def candidate_pairs(batches: Iterator[pa.RecordBatch], params: StoryParams) -> Iterator[pa.RecordBatch]:
    """Event pairs sharing a rare entity -> the pairs whose later event would join the earlier one's storyline
    by the local rule (the edges of the components :func:`link_storylines` then settles)."""
    for batch in batches:
        keep = []
        for r in batch.to_pylist():
            va, vb = (_unit(vector_from_bytes(r[c])) for c in ("a_centroid", "b_centroid"))
            idf = {e["key"]: float(e["idf"]) for e in (*r["a_entities"], *r["b_entities"])}
            line = {"start": r["a_start"], "end": r["a_end"], "centroid": va,
                    "entities": {e["key"]: int(e["n"]) for e in r["a_entities"]}}
            ents = {e["key"]: int(e["n"]) for e in r["b_entities"]}
            cos = float(va @ vb)
            score = storyline_score(vb, r["b_start"], ents, cos, line, idf, params)
            if score is not None:
                keep.append({"a": r["a"], "b": r["b"]})
        yield pa.RecordBatch.from_pylist(keep, pa.schema([("a", _I), ("b", _I)]))


def storyline_profile(frame: pd.DataFrame) -> pd.DataFrame:
    """One storyline's events -> its title (the most reported event's, as ``stories.titles``), centroid (the
    events' centroids weighted by their articles) and entity profile (merged in creation order)."""
    rows = sorted(frame.to_dict("records"), key=lambda r: r["order"])
    weights = np.array([float(r["n_articles"]) for r in rows])
    centroid = (np.stack([vector_from_bytes(r["centroid"]) for r in rows]) * weights[:, None]).sum(0) / weights.sum()
    ents: dict[str, int] = {}
    for r in rows:
        ents = merge_counts(ents, {e["key"]: int(e["n"]) for e in r["entities"]}, STORYLINE_ENTITY_LIMIT)
    titled = [r for r in rows if r["title"]]
    best = min(titled, key=lambda r: (-r["n_articles"], r["start"] or "9999")) if titled else None
    return pd.DataFrame([{"storyline_id": rows[0]["storyline_id"], "title": best["title"] if best else None,
                          "centroid": vector_bytes(centroid), "entities": json.dumps(ents)}])


MOVES = pa.schema([("id", _S), ("to", _I), ("score", _F)])


def undated_moves(batches: Iterator[pa.RecordBatch], params: StoryParams) -> Iterator[pa.RecordBatch]:
    """(undated article, dated event sharing an entity) -> the pairs where the local event rule
    (:func:`storyline.stories.coherence.event_fit`, on the event's centroid and entities) passes and beats the
    article's own event (``score`` when it joined one)."""
    for batch in batches:
        keep = []
        for r in batch.to_pylist():
            vector = vector_from_bytes(r["embedding"])
            idf = {e["key"]: float(e["idf"]) for e in r["wents"]}
            ents = {e["key"]: int(e["n"]) for e in r["wents"]}
            target = {e["key"]: int(e["n"]) for e in r["to_entities"]}
            fit = event_fit(ArticleView(vector=vector, day=None, entities=ents),
                            EventView(centroid=vector_from_bytes(r["to_centroid"]), core=None, core_days=[], start=None,
                                      end=None, entities=target), Weights(entities=idf, terms={}), params)
            score = fit.score
            own = r["score"] if r["basis"] == "event" else 0.0
            if fit.ok and score > own:
                keep.append({"id": r["id"], "to": r["to"], "score": round(score, 4)})
        yield pa.RecordBatch.from_pylist(keep, MOVES)
