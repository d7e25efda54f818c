"""Small hand-written corpora for the analysis tests: ingest them for real, then build story dicts.

Articles go through the whole pipeline (spaCy, quotes, entities, statements, stories) into a temporary
store. Tests then hand the analysis a story dict in the ``api.story`` shape built from chosen articles
(so that which articles are compared, and which are rewrites of one origin, is the test's decision),
and also run it on the storylines the store itself made.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import storyline
from storyline.analysis.facts import Fact
from storyline.analysis.material import Doc, Sentence
from storyline.analysis.numbers import Quantity, quantities
from storyline.analysis.words import content_stems
from storyline.store import Store


def ingest(tmp: Path, articles: dict[str, dict[str, str]]) -> tuple[str, dict[str, str]]:
    """Write ``articles`` (key -> {outlet, published, title, text}) as JSONL, ingest; return (db, key -> id)."""
    src = tmp / "corpus.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for key, a in articles.items():
            fh.write(json.dumps({"url": f"https://{a['outlet'].lower().replace(' ', '')}.example/{key}", **a}) + "\n")
    db = str(tmp / "analysis.db")
    storyline.ingest([str(src)], db, settings=storyline.Settings(workers=1))
    with Store(db, readonly=True) as store:
        ids = {a.article.url.rsplit("/", 1)[1]: a.article.id for a in store.articles()}
    return db, ids


def story(ids: dict[str, str], keys: list[str], sources: dict[str, str] | None = None,
          story_id: int = 1) -> dict[str, Any]:
    """A one-event story dict (``api.story`` shape) of ``keys``; ``sources`` maps a key to the key of
    the origin it rewrites."""
    sources = sources or {}
    articles = [{"id": ids[k], "event_id": 1, "canonical_id": ids[k], "source_id": ids[sources.get(k, k)],
                 "outlet": None, "day": None} for k in keys]
    return {"id": story_id, "events": [{"id": 1, "article_ids": [ids[k] for k in keys]}], "articles": articles}


def check_provenance(db: str, records: list[dict[str, Any]]) -> None:
    """Every side or assertion cites an article sentence whose text it quotes."""
    with Store(db, readonly=True) as store:
        for r in records:
            text = store.article(r["article_id"]).article.text
            assert r["text"] in text[r["start"]:r["end"]] or text[r["start"]:r["end"]].strip() == r["text"]


def fact(text: str, article: str = "a1", outlet: str = "North Wire", day: str = "2025-06-10",
         index: int = 0) -> Fact:
    """One sentence as a fact of its own article, its figures read (no entities, places or days)."""
    sentence = Sentence(article, index, 0, len(text), text)
    doc = Doc(article, outlet, day, day, 1, article, text)
    return Fact(sentence, doc, frozenset(content_stems(text)), frozenset(), frozenset(), tuple(quantities(text)),
                (), (), frozenset(), (), (), False)


def figure(f: Fact, written: str) -> Quantity:
    """The figure of ``f`` written as ``written``."""
    return next(q for q in f.figures if q.text == written)
