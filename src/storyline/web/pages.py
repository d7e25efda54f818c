"""The HTML pages: storylines, one storyline, one article, one entity, search. Server-rendered, no CDN.

Each handler gathers data from :mod:`storyline.api` and the read-only store, then renders one
Jinja2 template (autoescape on; article text reaches the page only through ``markupsafe.escape``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..errors import NotFound
from . import charts, views
from .app import store_of
from .corrections import editor_key, merged_entity, page_marks
from .highlight import article_html
from .rest import COUNT_CAP, MAX_ID, ArticleId, IntId, duplicates_of, load_brief, load_stories, load_story

router = APIRouter(include_in_schema=False)
PAGE = 20
PER_EVENT = 40  # articles listed under one event on a storyline page
MAX_EVENTS = 150  # events listed on a storyline page (the most covered, in time order)
MAX_LISTED = 400  # articles listed under the events of one storyline page, about


def _render(request: Request, name: str, **context: Any) -> HTMLResponse:
    html = request.app.state.templates.get_template(name).render(request=request, **context)
    return HTMLResponse(html)


@router.get("/", response_class=HTMLResponse)
def storylines(request: Request, q: Annotated[str | None, Query(max_length=500)] = None,
               offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> HTMLResponse:
    def build() -> dict[str, Any]:
        store = store_of(request)
        rows = load_stories(request, limit=PAGE + 1, offset=offset, query=q or None)
        sparks = {s["id"]: charts.sparkline(store.articles_per_day(list(s.get("article_ids") or [])))
                  for s in rows[:PAGE]}
        return {"stories": rows[:PAGE], "more": len(rows) > PAGE, "sparks": sparks,
                "n_articles": store.count_articles()}

    context = request.app.state.cache.get(("stories-page", q or "", offset), build)
    marks = page_marks(request, storyline=[s["id"] for s in context["stories"]])
    return _render(request, "stories.html", q=q or "", offset=offset, page=PAGE, marks=marks, **context)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def storyline(request: Request, story_id: IntId) -> HTMLResponse:
    def build() -> dict[str, Any]:
        story = load_story(request, story_id)
        data = load_brief(request, story_id)
        articles = story.get("articles", [])
        by_event: dict[Any, list[dict[str, Any]]] = {}
        for a in sorted(articles, key=lambda a: (a.get("published") or "9999", a["id"])):
            by_event.setdefault(a.get("event_id"), []).append(a)
        events = views.top_events(story, MAX_EVENTS)
        marks = page_marks(request, storyline=[story["id"]], event=[e["id"] for e in story.get("events", [])],
                           article=[a["id"] for a in articles],
                           statement=[st["id"] for g in data["statements"] or [] for st in g["statements"]])
        return {"story": story, "marks": marks, "timeline": charts.timeline(events), "events": events, "by_event": by_event,
                "spark": charts.sparkline(story.get("days", []), width=300, height=40),
                "brief": data, "notes": views.timeline_notes(data["timeline"]),
                "ledger": views.ledger_view(data["statements"]), "matrix": views.coverage_view(data["coverage"]),
                "per_event": max(3, min(PER_EVENT, MAX_LISTED // max(1, len(events))))}

    def render() -> str:
        return request.app.state.templates.get_template("story.html").render(request=request, **build())

    return HTMLResponse(request.app.state.cache.get(("story-page", story_id, editor_key(request)), render))


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: ArticleId) -> HTMLResponse:
    store = store_of(request)
    stored = store.article(article_id)
    a = stored.article
    quotes = store.quotes(article_id=article_id)
    mentions = store.mentions(article_id)
    sentences = store.sentences(article_id)
    body = article_html(a.text, sentences, mentions, store.times(article_id), quotes)
    link = views.SourceLinks(store)
    for q in quotes:
        q["href"] = link(article_id, q["start"])
    entities: dict[int, dict[str, Any]] = {}
    for m in mentions:
        if m.get("entity_id"):
            e = entities.setdefault(m["entity_id"], {"id": m["entity_id"], "text": m["text"], "label": m["label"],
                                                     "n": 0})
            e["n"] += 1
    marks = page_marks(request, article=[article_id], quote=[q["id"] for q in quotes], entity=list(entities))
    return _render(request, "article.html", a=a, stored=stored, body=body, quotes=quotes, marks=marks,
                   entities=sorted(entities.values(), key=lambda e: -e["n"]), href=views.safe_href(a.url),
                   duplicates=duplicates_of(request, article_id), versions=store.versions(article_id))


@router.get("/entities/{entity_id}", response_class=HTMLResponse, response_model=None)
def entity(request: Request, entity_id: IntId) -> Response:
    store = store_of(request)
    moved = merged_entity(request, entity_id)   # merged away by an analyst: the entity it became
    if moved is not None:
        return RedirectResponse(f"/entities/{moved}", status_code=307)
    e = store.entity(entity_id)
    stories = []
    for sid in store.entity_storyline_ids(entity_id, limit=20):
        try:
            stories.append(load_story(request, sid))
        except NotFound:
            continue
    statements = views.entity_statements(store, entity_id)
    marks = page_marks(request, entity=[entity_id], statement=[st["id"] for st in statements])
    return _render(request, "entity.html", e=e, statements=statements, marks=marks,
                   stories=stories, roles=views.role_groups(e.get("roles", [])))


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: Annotated[str | None, Query(max_length=500)] = None,
           outlet: Annotated[str | None, Query(max_length=200)] = None,
           since: Annotated[str | None, Query(max_length=10)] = None,
           until: Annotated[str | None, Query(max_length=10)] = None,
           entity: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
           storyline: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
           offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> HTMLResponse:
    store = store_of(request)
    hits: list[dict[str, Any]] = []
    total = 0
    # an empty form field means no filter; a malformed date is a UsageError (422) from the store
    args = dict(outlet=outlet or None, since=since or None, until=until or None, entity=entity, storyline=storyline)
    if q and q.strip():
        found = store.search(q, limit=PAGE, offset=offset, **args)
        total = store.count_search(q, cap=COUNT_CAP, **args)
        hits = [{"a": h.article.article, "snippet": views.snippet_html(h.snippet)} for h in found]
    marks = page_marks(request, article=[h["a"].id for h in hits])
    return _render(request, "search.html", q=q or "", hits=hits, total=total, offset=offset, page=PAGE, marks=marks,
                   outlets=store.outlet_names(), capped=total >= COUNT_CAP,
                   f={**args, "since": since or "", "until": until or ""})


