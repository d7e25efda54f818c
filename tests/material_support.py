"""Hand-built storyline material for the analysis tests: articles, sentences, quotes, mentions (no model)."""

from __future__ import annotations

import re
from typing import Any

from storyline.records import MaterialArticle, MaterialQuote, StoryMaterial


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of hand-written text: runs ending in . ! or ? (with a closing quote)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^.!?]+[.!?]+[\"”]?", text) if m.group().strip()]


def article(aid: str, text: str, outlet: str, published: str | None, title: str | None = None) -> MaterialArticle:
    return MaterialArticle(id=aid, title=title, outlet=outlet, published=published, date_source=None, text=text)


def quote(a: MaterialArticle, words: str, statement: int, kind: str = "direct", speaker: tuple[int, str] | None
          = (1, "Dmitry Vorontsov"), said_on: str | None = None, cue: str | None = None) -> MaterialQuote:
    start = a.text.index(words)
    return MaterialQuote(id=f"{a.id}:{start}", article_id=a.id, start=start, end=start + len(words), text=words,
                         kind=kind, speaker_id=speaker[0] if speaker else None, speaker=speaker[1] if speaker else None,
                         said_on=said_on or a.published, said_on_basis="published", statement_id=statement,
                         cue=cue)


def material(articles: list[MaterialArticle], quotes: list[MaterialQuote] = (),
             mentions: dict[str, list[dict[str, Any]]] | None = None,
             times: dict[str, list[dict[str, Any]]] | None = None) -> StoryMaterial:
    return StoryMaterial(articles={a.id: a for a in articles}, sentences={a.id: sentences(a.text) for a in articles},
                         times=times or {}, quotes=list(quotes), mentions=mentions or {})


def story(articles: list[MaterialArticle], events: dict[str, int], **extra: dict[str, Any]) -> dict[str, Any]:
    """An ``api.story``-shaped storyline: ``events`` maps article id -> event id."""
    ids = sorted(set(events.values()))
    return {"id": 1, "title": "t", "events": [{"id": e, "title": f"event {e}", "date": None,
                                              "article_ids": [a for a, x in events.items() if x == e]} for e in ids],
            "articles": [{"id": a.id, "outlet": a.outlet, "published": a.published, "event_id": events[a.id],
                          "canonical_id": a.id, "source_id": a.id, **extra.get(a.id, {})} for a in articles]}
