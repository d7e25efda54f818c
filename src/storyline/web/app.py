"""The web app: one FastAPI application serving the REST API (``/api/``) and the HTML pages on one store.

Reads use a read-only ``Store`` per worker thread (SQLite WAL: readers never block an ingest writing
to the same file, and each request sees what was committed before it began). Every error leaves as
one shape, ``{ok: false, error, status}`` under ``/api/`` and a small HTML page elsewhere.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import NotFound, StoreError, StorylineError, UsageError
from ..store import Store
from .cache import StoreCache

HERE = Path(__file__).parent
log = logging.getLogger("storyline.web")

#: Only our own scripts, styles and images; no inline script runs even if escaping ever failed.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",   # other sites learn nothing; our own form posts carry their Origin
    "X-Frame-Options": "DENY",
}


class StoreReaders:
    """A read-only ``Store`` per thread for one database file, opened on first use."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._local = threading.local()

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db, readonly=True)
            self._local.store = store
        return store


def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    return env


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


def _status_of(exc: StorylineError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, UsageError):
        return 422
    if isinstance(exc, StoreError):
        return 503
    return 400


def create_app(db: str | Path, *, ingest_token: str | None = None) -> FastAPI:
    """The app over the store at ``db`` (upgraded once here, then only read; created only when ingest is on).

    ``ingest_token`` (default: the ``STORYLINE_INGEST_TOKEN`` variable) turns on ``POST /api/ingest``
    for requests carrying ``Authorization: Bearer <token>``; without it the endpoint does not exist.
    """
    db = str(db)
    token = ingest_token if ingest_token is not None else os.environ.get("STORYLINE_INGEST_TOKEN")
    if not token and not Path(db).exists():
        raise StoreError(f"no store at {db}; run `storyline ingest` first or pass --db")
    Store(db).close()  # create (only when ingest is on) or upgrade before any reader opens it
    # the docs page is our own (templates/docs.html from the OpenAPI schema): Swagger UI would load from a CDN
    app = FastAPI(title="storyline", version="0.1", docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Storylines, events, articles, statements, quotes, entities and outlets of one store.")
    app.state.db = db
    app.state.readers = StoreReaders(db)
    app.state.cache = StoreCache(db)
    app.state.templates = templates()
    app.state.ingest_token = token

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    def render_error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api"):
            return JSONResponse(error_body(status, message), status_code=status)
        html = request.app.state.templates.get_template("error.html").render(status=status, message=message)
        return HTMLResponse(html, status_code=status)

    @app.exception_handler(StorylineError)
    async def storyline_error(request: Request, exc: StorylineError) -> Response:
        return render_error(request, _status_of(exc), str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        response = render_error(request, exc.status_code, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        return render_error(request, 422, "; ".join(parts) or "invalid request")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return render_error(request, 500, "internal error; the server log has the details")

    from . import corrections as correction_routes
    from . import ingest as ingest_routes
    from . import pages, rest

    app.include_router(rest.router)
    app.include_router(ingest_routes.router)
    correction_routes.install(app)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def store_of(request: Request) -> Store:
    """The calling thread's read-only store (FastAPI runs plain ``def`` endpoints in a thread pool)."""
    return request.app.state.readers.get()

