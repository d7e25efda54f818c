"""The REST API under ``/api/``: thin handlers over :mod:`storyline.api` and the read-only store.

A list answers ``{ok: true, items, limit, offset, next}`` (``next`` is the URL of the following page or
``null``; ``total`` where counting is cheap); one item answers ``{ok: true, item}``; errors answer
``{ok: false, error, status}``.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from .. import api, brief
from ..errors import NotFound, StoreError
from .app import store_of

router = APIRouter(prefix="/api", tags=["api"])

Limit = Annotated[int, Query(ge=1, le=500, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
Since = Annotated[date | None, Query(description="On or after this day (YYYY-MM-DD).")]
Until = Annotated[date | None, Query(description="On or before this day (YYYY-MM-DD).")]
ArticleId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:-]+$")]
MAX_ID = 2**62  # ids are SQLite integers: anything larger names nothing (and would not fit)
IntId = Annotated[int, Path(ge=1, le=MAX_ID)]
COUNT_CAP = 10_000  # search results counted at most


class BriefFormat(str, Enum):
    json = "json"
    md = "md"
    html = "html"


def story_fn(name: str) -> Any:
    """A story function of :mod:`storyline.api`; a clear 503 while the stories stage is not in this build."""
    fn = getattr(api, name, None)
    if fn is None:
        raise StoreError("storylines are not available in this build (the stories stage is missing)")
    return fn


def load_story(request: Request, story_id: int) -> dict[str, Any]:
    """``api.story``, kept while the store does not change (treat the result as read-only)."""
    return request.app.state.cache.get(("story", story_id),
                                       lambda: story_fn("story")(story_id, request.app.state.db))


def load_stories(request: Request, **kw: Any) -> list[dict[str, Any]]:
    """``api.stories``, kept while the store does not change (treat the result as read-only)."""
    key = ("stories", *sorted(kw.items()))
    return request.app.state.cache.get(key, lambda: story_fn("stories")(request.app.state.db, **kw))


def page(request: Request, items: list[Any], limit: int, offset: int, total: int | None = None) -> dict[str, Any]:
    """One page of a list, asked for with ``limit + 1`` items so that ``next`` needs no count."""
    more = len(items) > limit
    items = items[:limit]
    nxt = str(request.url.include_query_params(offset=offset + limit)) if more else None
    out: dict[str, Any] = {"ok": True, "items": items, "limit": limit, "offset": offset, "next": nxt}
    if total is not None:
        out["total"] = total
    return out


def item(value: Any) -> dict[str, Any]:
    return {"ok": True, "item": value}


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


@router.get("/stories", summary="Storylines, biggest and most recent first")
def list_stories(request: Request, limit: Limit = 20, offset: Offset = 0,
                 q: Annotated[str | None, Query(max_length=500, description="Words in the title.")] = None,
                 since: Since = None, until: Until = None) -> dict[str, Any]:
    rows = load_stories(request, limit=limit + 1, offset=offset, query=q or None, since=_day(since),
                        until=_day(until))
    return page(request, rows, limit, offset)


@router.get("/stories/{story_id}", summary="One storyline with its events, articles and articles per day")
def get_story(request: Request, story_id: IntId) -> dict[str, Any]:
    return item(load_story(request, story_id))


def load_brief(request: Request, story_id: int) -> dict[str, Any]:
    """``brief.build`` of a storyline, kept while the store does not change (treat it as read-only)."""
    return request.app.state.cache.get(("brief", story_id),
                                       lambda: brief.build(load_story(request, story_id), store_of(request)))


@router.get("/stories/{story_id}/brief", summary="Cited brief of a storyline (timeline, statements, positions, "
            "claims, conflicts, framing, coverage, summary) as JSON, Markdown or HTML", response_model=None)
def get_brief(request: Request, story_id: IntId, format: BriefFormat = BriefFormat.json) -> Response | dict[str, Any]:
    cache = request.app.state.cache
    data = load_brief(request, story_id)
    if format is BriefFormat.md:
        text = cache.get(("brief-md", story_id), lambda: brief.to_markdown(data))
        return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")
    if format is BriefFormat.html:
        return HTMLResponse(cache.get(("brief-html", story_id), lambda: brief.to_html(data)))
    return item(data)


@router.get("/events/{event_id}", summary="One event: its storyline, date span and articles")
def get_event(request: Request, event_id: IntId) -> dict[str, Any]:
    return item(story_fn("event")(event_id, request.app.state.db))


@router.get("/political-events", summary="Political events (PLOVER), deduplicated, with their sources and evidence")
def list_political_events(request: Request, limit: Limit = 50, offset: Offset = 0,
                          storyline: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                          actor: Annotated[str | None, Query(max_length=200, description="Entity id, country code or name part.")] = None,
                          type: Annotated[str | None, Query(pattern="^[A-Za-z]{4,10}$", description="A PLOVER type.")] = None,
                          since: Since = None, until: Until = None) -> dict[str, Any]:
    rows = api.political_events(request.app.state.db, storyline=storyline, actor=actor, event_type=type,
                                since=_day(since), until=_day(until), limit=limit + 1, offset=offset)
    return page(request, rows, limit, offset)


@router.get("/articles", summary="Articles, oldest first, with outlet and date filters")
def list_articles(request: Request, limit: Limit = 50, offset: Offset = 0,
                  outlet: Annotated[str | None, Query(max_length=200)] = None, since: Since = None,
                  until: Until = None) -> dict[str, Any]:
    store = store_of(request)
    rows = store.articles(outlet=outlet, since=_day(since), until=_day(until), limit=limit + 1, offset=offset)
    total = store.count_articles_where(outlet=outlet, since=_day(since), until=_day(until))
    return page(request, [a.to_json(with_text=False) for a in rows], limit, offset, total)


def duplicates_of(request: Request, article_id: str) -> dict[str, Any] | None:
    fn = getattr(api, "duplicates", None)
    if fn is None:
        return None
    try:
        return fn(article_id, request.app.state.db)
    except NotFound:
        return None


@router.get("/articles/{article_id}", summary="One article with its text and analysis (offsets into the text)")
def get_article(request: Request, article_id: ArticleId) -> dict[str, Any]:
    store = store_of(request)
    data = store.article(article_id).to_json()
    data["sentences"] = [{"start": s, "end": e} for s, e in store.sentences(article_id)]
    data["mentions"] = store.mentions(article_id)
    data["times"] = store.times(article_id)
    data["quotes"] = store.quotes(article_id=article_id)
    data["versions"] = store.versions(article_id)
    data["duplicates"] = duplicates_of(request, article_id)
    return item(data)


@router.get("/statements", summary="Statements: one utterance, its variant wordings and the outlets that carried each")
def list_statements(request: Request, limit: Limit = 50, offset: Offset = 0,
                    speaker: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Entity id of the speaker.")]
                    = None,
                    min_articles: Annotated[int, Query(ge=1, le=100_000)] = 1) -> dict[str, Any]:
    rows = store_of(request).statements(speaker=speaker, min_articles=min_articles, limit=limit + 1, offset=offset)
    return page(request, rows, limit, offset)


@router.get("/quotes", summary="Quotes with speaker, cue, kind and the date said")
def list_quotes(request: Request, limit: Limit = 50, offset: Offset = 0,
                article_id: Annotated[str | None, Query(max_length=200)] = None,
                speaker: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                kind: Annotated[str | None, Query(pattern="^(direct|partial|indirect|scare|term)$")] = None,
                ) -> dict[str, Any]:
    rows = store_of(request).quotes(article_id=article_id, speaker=speaker, kind=kind, limit=limit + 1,
                                    offset=offset)
    return page(request, rows, limit, offset)


@router.get("/entities", summary="Canonical entities, most mentioned first")
def list_entities(request: Request, limit: Limit = 50, offset: Offset = 0,
                  type: Annotated[str | None, Query(pattern="^(?i:PERSON|ORG|GPE|LOC|NORP)$")] = None,
                  name: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
    rows = store_of(request).entities(type_=type, query=name, limit=limit + 1, offset=offset)
    return page(request, rows, limit, offset)


@router.get("/entities/{entity_id}", summary="One entity with aliases, roles, statements and storyline ids")
def get_entity(request: Request, entity_id: IntId) -> dict[str, Any]:
    store = store_of(request)
    data = store.entity(entity_id)
    data["statements"] = store.statements(speaker=entity_id, limit=200)
    data["storyline_ids"] = store.entity_storyline_ids(entity_id)
    return item(data)


@router.get("/outlets", summary="Outlets with their domains and article counts")
def list_outlets(request: Request, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    rows = store_of(request).outlets()
    return page(request, rows[offset:offset + limit + 1], limit, offset, len(rows))


@router.get("/search", summary="Full-text search (FTS5 syntax allowed), best first, with filters")
def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=500)], limit: Limit = 20,
           offset: Offset = 0, outlet: Annotated[str | None, Query(max_length=200)] = None, since: Since = None,
           until: Until = None, entity: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
           storyline: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> dict[str, Any]:
    store = store_of(request)
    args = dict(outlet=outlet, since=_day(since), until=_day(until), entity=entity, storyline=storyline)
    hits = store.search(q, limit=limit + 1, offset=offset, **args)
    rows = [{**h.article.to_json(with_text=False), "score": round(h.score, 4), "snippet": h.snippet} for h in hits]
    out = page(request, rows, limit, offset, store.count_search(q, cap=COUNT_CAP, **args))
    out["total_is_exact"] = out["total"] < COUNT_CAP  # counting stops at COUNT_CAP (the ranking is what costs)
    return out



@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """The API reference, rendered here from the OpenAPI schema (no CDN, works offline)."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": _type_of(p.get("schema", {})), "description": p.get("description") or
                       p.get("schema", {}).get("description") or ""} for p in op.get("parameters", [])]
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary") or "",
                              "params": params})
    html = request.app.state.templates.get_template("docs.html").render(
        request=request, endpoints=endpoints, title=schema["info"]["title"], description=schema["info"].get(
            "description", ""))
    return HTMLResponse(html)


def _type_of(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"] if s.get("type") != "null")
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    kind = schema.get("type", "")
    if schema.get("format"):
        kind += f" ({schema['format']})"
    if schema.get("pattern"):
        kind += f" matching {schema['pattern']}"
    return kind
