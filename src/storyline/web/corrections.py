"""Corrections on the web: the audit trail (``/corrections``), the correction forms on every page,
``POST /corrections`` (forms) and ``POST /api/corrections`` (JSON).

Writing needs the write token (``STORYLINE_INGEST_TOKEN``), as ingest does; without it the write
routes answer 404. JSON requests carry ``Authorization: Bearer <token>`` (a browser never adds it by
itself). The forms use a session instead: ``POST /login`` with the token and a name sets a signed,
``HttpOnly``, ``SameSite=Strict`` cookie; every form carries a CSRF token derived from that cookie
(an HMAC keyed by the write token), checked on every post, and a post whose ``Origin`` (or
``Referer``) names another site is refused. Reading the audit trail needs nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from .. import api
from ..errors import NotFound, UsageError
from ..store.corrections import CorrectionRecords, audit
from .app import store_of

router = APIRouter(tags=["corrections"])
COOKIE = "storyline_editor"
SESSION_SECONDS = 12 * 3600
PAGE = 50
_INTS = ("to_event", "keep", "other", "storyline_id", "entity_id")
_TEXTS = ("article_id", "events", "quote_id", "mentions", "name", "kind", "id", "reason", "date", "outlet")


# -- the session and its CSRF token -----------------------------------------------------------------------

def _sign(token: str, purpose: str, payload: str) -> str:
    return hmac.new(token.encode(), f"{purpose}|{payload}".encode(), hashlib.sha256).hexdigest()


def editor(request: Request) -> dict[str, Any] | None:
    """``{by, csrf}`` of the signed-in analyst, or ``None`` (no token configured, no or a bad cookie)."""
    token = request.app.state.ingest_token
    raw = request.cookies.get(COOKIE, "")
    if not token or "." not in raw:
        return None
    payload, _, mac = raw.rpartition(".")
    if not hmac.compare_digest(mac, _sign(token, "session", payload)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode()).decode())
    except ValueError:
        return None
    if not isinstance(data, dict) or time.time() - float(data.get("t", 0)) > SESSION_SECONDS:
        return None
    return {"by": str(data.get("by") or "web"), "csrf": _sign(token, "csrf", payload)[:40]}


def _writable(request: Request) -> str:
    token = request.app.state.ingest_token
    if not token:
        raise HTTPException(404, "corrections are read-only here: start the server with STORYLINE_INGEST_TOKEN set "
                                 "to make them")
    return token


def _same_origin(request: Request) -> None:
    """Refuse a post whose Origin (else Referer) is another site."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if not claimed or claimed == "null":
        if claimed == "null":
            raise HTTPException(403, "cross-site form posts are refused")
        return
    parts = urlsplit(claimed)
    if parts.netloc != request.headers.get("host", request.url.netloc):
        raise HTTPException(403, "cross-site form posts are refused")


def _bearer(request: Request, token: str) -> None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value:
        raise HTTPException(401, "corrections need Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise HTTPException(403, "wrong token")


def _back(value: Any) -> str:
    """A local page to return to (never another site)."""
    back = str(value or "")
    parts = urlsplit(back)
    if not back.startswith("/") or back.startswith("//") or parts.scheme or parts.netloc or "\\" in back:
        return "/corrections"
    return back


# -- arguments from a form or a JSON body -------------------------------------------------------------------

def arguments(data: dict[str, Any]) -> dict[str, Any]:
    """An action's arguments from form fields or JSON (empty fields are absent; ids are numbers)."""
    args: dict[str, Any] = {}
    for k in _INTS:
        v = data.get(k)
        if v not in (None, ""):
            if k == "to_event" and str(v) == "new":
                args["new_event"] = True
                continue
            try:
                args[k] = int(v)
            except (TypeError, ValueError):
                raise UsageError(f"{k} must be a number, not {v!r}") from None
    for k in _TEXTS:
        v = data.get(k)
        if v not in (None, ""):
            args[k] = v if isinstance(v, list) else str(v)
    for k in ("none", "new_event"):
        if data.get(k) not in (None, "", False, "0", "false"):
            args[k] = True
    return args


def _perform(request: Request, data: dict[str, Any], by: str) -> dict[str, Any]:
    action = str(data.get("action") or "")
    note = str(data.get("note") or "") or None
    if action == "undo":
        cid = data.get("id") or data.get("correction_id")
        try:
            cid = int(cid)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise UsageError("undo needs the id of a correction") from None
        return api.undo_correction(cid, request.app.state.db, by=by, note=note)
    if not action:
        raise UsageError("a correction needs an action (move-article, merge-events, ... or undo)")
    return api.correct(action, arguments(data), request.app.state.db, by=by, note=note)


# -- JSON ---------------------------------------------------------------------------------------------------

@router.post("/api/corrections", summary="Make a correction or undo one (needs STORYLINE_INGEST_TOKEN and a bearer "
             "token); body {action, ...arguments, by?, note?}")
async def post_correction(request: Request) -> dict[str, Any]:
    from starlette.concurrency import run_in_threadpool

    token = _writable(request)
    _bearer(request, token)
    try:
        body = await request.json()
    except ValueError:
        raise UsageError("the body is not valid JSON; send {\"action\": ..., ...}") from None
    if not isinstance(body, dict):
        raise UsageError("the body must be a JSON object {\"action\": ..., ...}")
    by = str(body.get("by") or "api")[:100]
    return {"ok": True, "item": await run_in_threadpool(_perform, request, body, by)}


@router.get("/api/corrections", summary="Analysts' corrections, oldest first: who, when, what, before, after")
def list_corrections(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                     offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                     action: Annotated[str | None, Query(max_length=40)] = None) -> dict[str, Any]:
    from .rest import page

    rows = CorrectionRecords(store_of(request).conn).listing(limit=limit + 1, offset=offset, action=action)
    return page(request, [audit(r) for r in rows], limit, offset)


@router.get("/api/corrections/{correction_id}", summary="One correction")
def get_correction(request: Request, correction_id: Annotated[int, Path(ge=1, le=2**62)]) -> dict[str, Any]:
    rec = CorrectionRecords(store_of(request).conn).get(correction_id)
    if rec is None:
        raise NotFound(f"no correction {correction_id}")
    return {"ok": True, "item": audit(rec)}


# -- forms ----------------------------------------------------------------------------------------------------

@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, back: Annotated[str | None, Query(max_length=500)] = None) -> HTMLResponse:
    _writable(request)
    html = request.app.state.templates.get_template("login.html").render(request=request, back=_back(back or "/"))
    return HTMLResponse(html)


@router.post("/login", include_in_schema=False)
async def login(request: Request) -> RedirectResponse:
    token = _writable(request)
    _same_origin(request)
    form = await request.form()
    given, name = str(form.get("token") or ""), " ".join(str(form.get("name") or "").split())[:100]
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise HTTPException(403, "wrong token")
    if not name:
        raise UsageError("give your name: it goes into the audit trail of every correction you make")
    payload = base64.urlsafe_b64encode(json.dumps({"by": name, "t": time.time(),
                                                   "n": secrets.token_hex(8)}).encode()).decode()
    response = RedirectResponse(_back(form.get("back")), status_code=303)
    response.set_cookie(COOKIE, f"{payload}.{_sign(token, 'session', payload)}", max_age=SESSION_SECONDS,
                        httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/")
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request) -> RedirectResponse:
    _same_origin(request)
    form = await request.form()
    who = editor(request)
    if who is None or not hmac.compare_digest(str(form.get("csrf") or ""), who["csrf"]):
        raise HTTPException(403, "not signed in, or the form is stale: reload the page")
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.post("/corrections", include_in_schema=False)
async def post_form(request: Request) -> RedirectResponse:
    from starlette.concurrency import run_in_threadpool

    _writable(request)
    _same_origin(request)
    form = await request.form()
    who = editor(request)
    if who is None:
        raise HTTPException(403, "sign in to correct (the link at the top of the page)")
    if not hmac.compare_digest(str(form.get("csrf") or ""), who["csrf"]):
        raise HTTPException(403, "the form is stale or not from this site: reload the page and try again")
    data = {k: form.get(k) for k in form.keys()}
    record = await run_in_threadpool(_perform, request, data, who["by"])
    back = _back(form.get("back"))
    return RedirectResponse(back if "#" in back else f"{back}#corrected-{record['id']}", status_code=303)


@router.get("/corrections", response_class=HTMLResponse, include_in_schema=False)
def audit_page(request: Request, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
               action: Annotated[str | None, Query(max_length=40)] = None) -> HTMLResponse:
    rows = CorrectionRecords(store_of(request).conn).listing(limit=PAGE + 1, offset=offset, action=action or None)
    html = request.app.state.templates.get_template("corrections.html").render(
        request=request, rows=rows[:PAGE], more=len(rows) > PAGE, offset=offset, page=PAGE, one=None,
        action=action or "")
    return HTMLResponse(html)


@router.get("/corrections/{correction_id}", response_class=HTMLResponse, include_in_schema=False)
def audit_entry(request: Request, correction_id: Annotated[int, Path(ge=1, le=2**62)]) -> HTMLResponse:
    rec = CorrectionRecords(store_of(request).conn).get(correction_id)
    if rec is None:
        raise NotFound(f"no correction {correction_id}")
    html = request.app.state.templates.get_template("corrections.html").render(
        request=request, rows=[rec], more=False, offset=0, page=PAGE, one=rec, action="")
    return HTMLResponse(html)


# -- what pages show: marks of corrected data ---------------------------------------------------------------

def page_marks(request: Request, **keys: Any) -> dict[str, dict[str, list[int]]]:
    """Per kind (``article``, ``event``, ``storyline``, ``quote``, ``entity``, ``statement``), the keys shown on a
    page that corrections in force touch: ``{kind: {str(key): [correction ids]}}``."""
    records = CorrectionRecords(store_of(request).conn)
    return {kind: records.marks(kind, values) for kind, values in keys.items()}


def merged_entity(request: Request, entity_id: int) -> int | None:
    """The entity a correction merged ``entity_id`` into, when it is gone."""
    records = CorrectionRecords(store_of(request).conn)
    hop, seen = records.entity_redirect(entity_id), 0
    while hop is not None and seen < 50:
        entity_id, seen = hop[0], seen + 1
        hop = records.entity_redirect(entity_id)
    return entity_id if seen else None


def editor_key(request: Request) -> str:
    """What a cached page rendering depends on besides the store: who may see the forms."""
    who = editor(request)
    return who["csrf"] if who else ""


def _pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False) if value else ""


def install(app: FastAPI) -> None:
    """Add the routes and the template helpers (``editor``, ``marks``) to the app."""
    env = app.state.templates
    env.globals["editor"] = editor
    env.globals["writable"] = lambda request: bool(request.app.state.ingest_token)
    env.filters["pretty"] = _pretty
    app.include_router(router)
