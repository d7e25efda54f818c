"""What the web tests share: one store (the sample corpus plus a hostile article) and one live server per session.

The store is built once per test session (ingesting takes seconds); the server is uvicorn in a
background thread on a free 127.0.0.1 port, serving the real app over that store.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import storyline

#: Written for these tests: markup and script in the title, outlet, text and quotes of one article.
HOSTILE_MARK = "Elena Rusu"
HOSTILE = {
    "title": "Port mayor <script>alert(1)</script> warns <img src=x onerror=alert(1)> strike will spread",
    "outlet": "Harbour <b>Gazette</b>",
    "url": "javascript:alert(1)",
    "published": "2024-10-16",
    "text": (
        "The mayor of Galați, Elena Rusu, warned on Wednesday that the dockworkers' strike would spread to the "
        "Danube ports. \"<script>alert(1)</script> is not a policy, and neither is waiting,\" Rusu said at a press "
        "conference in the town hall. She said the ministry had ignored <img src=x onerror=alert(1)> three letters "
        "from the port authority. Readers were told to <a href=\"javascript:alert(1)\">click here</a> for the full "
        "statement. \"We will not accept <b>any</b> deal signed behind closed doors,\" Rusu told reporters. The "
        "transport ministry did not answer a request for comment on Wednesday."
    ),
}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

_built: dict[str, Path] = {}
_servers: dict[str, "LiveServer"] = {}


def build_store(root: Path) -> Path:
    """Ingest the sample corpus and the hostile article into ``root/web.db`` (once per session)."""
    key = str(root)
    if key not in _built:
        root.mkdir(parents=True, exist_ok=True)
        hostile = root / "hostile.jsonl"
        hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
        db = root / "web.db"
        report = storyline.ingest([storyline.sample_corpus(), str(hostile)], db,
                                  settings=storyline.Settings(workers=1))
        assert report.new == 35 and not report.skipped, report.to_json()
        _built[key] = db
    return _built[key]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """``storyline.web`` served by uvicorn in a daemon thread; ``url(path)`` is a full address."""

    def __init__(self, db: Path, **app_kw: object) -> None:
        import uvicorn

        from storyline.web import create_app

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(db, **app_kw), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def live_server_for(db: Path) -> LiveServer:
    key = str(db)
    if key not in _servers:
        _servers[key] = LiveServer(db)
    return _servers[key]


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.getbasetemp() / "web-store")


@pytest.fixture(scope="session")
def live(web_db: Path) -> Iterator[LiveServer]:
    yield live_server_for(web_db)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh page that fails the test on any JavaScript dialog (alert/confirm/prompt)."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})  # type: ignore[attr-defined]
    pg = context.new_page()
    dialogs: list[str] = []

    def on_dialog(d: object) -> None:
        dialogs.append(d.message)  # type: ignore[attr-defined]
        d.dismiss()  # type: ignore[attr-defined]

    pg.on("dialog", on_dialog)
    pg.dialogs = dialogs  # type: ignore[attr-defined]
    try:
        yield pg
    finally:
        context.close()
    assert dialogs == [], f"a JavaScript dialog fired: {dialogs}"
