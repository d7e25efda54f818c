"""Shared fixtures: the real spaCy pipeline, a temporary store path and a real local HTTP server with routes."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest


@dataclass
class Route:
    """What the server answers for one path."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering (for time-outs).
    delay: float = 0.0
    #: Send a Content-Length header; without it the body ends when the connection closes.
    send_length: bool = True


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = urlsplit(self.path).path
        self.server.hits[path] += 1
        self.server.hosts.append(self.headers.get("Host", ""))
        route = self.server.routes.get(path, Route(status=404, body=b"not here", content_type="text/plain"))
        if route.delay:
            time.sleep(route.delay)
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.send_length:
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        self.wfile.write(route.body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.hosts: list[str] = []  # the Host header of every request, in order

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (time-out, size cap) closes the socket mid-answer: expected


class LocalServer:
    """A running server: ``route(path, ...)`` sets an answer, ``url(path)`` its address, ``hits`` counts requests."""

    def __init__(self, server: _Server) -> None:
        self._server = server
        host, port = server.server_address[:2]
        self.base = f"http://{host}:{port}"

    @property
    def hits(self) -> Counter[str]:
        return self._server.hits

    @property
    def hosts(self) -> list[str]:
        return self._server.hosts

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body: bytes | str = b"", **kw: object) -> str:
        """Answer ``path`` with ``body`` (and ``Route`` options); returns the full URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self._server.routes[path] = Route(body=data, **kw)  # type: ignore[arg-type]
        return self.url(path)


@pytest.fixture(scope="session")
def nlp():  # -> spacy.Language
    """storyline's spaCy pipeline (the real model), loaded once for the session."""
    from storyline.nlp.model import load_nlp

    return load_nlp()


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield LocalServer(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """Path of a fresh store file (created on first open)."""
    return tmp_path / "s.db"
