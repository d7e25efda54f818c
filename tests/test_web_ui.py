"""The web UI end to end in headless Chromium (Debian's, never a downloaded one) against a live server:
storylines, a storyline, a statement to its highlighted source sentence, search, entity pages, and
serving while another process ingests into the same store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from web_support import LiveServer, browser, live, page, web_db  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow
ARTIFACTS = Path(__file__).parent / "artifacts"


def in_viewport(pg, selector: str) -> bool:
    return pg.eval_on_selector(selector, """el => { const r = el.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && r.height > 0; }""")


def test_storylines_to_a_statement_to_its_highlighted_source_sentence(live, page):  # noqa: F811
    page.goto(live.url("/"))
    rows = page.locator("tr.story")
    assert rows.count() >= 3
    assert page.locator("tr.story svg.spark").count() >= 1
    first = rows.first.locator("a.story-link")
    title = first.inner_text()
    first.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("h1").inner_text() == title
    assert page.locator("svg.timeline circle").count() >= 2
    assert page.locator("table.matrix tbody tr").count() >= 2
    link = page.locator("#statements a.statement-link").first
    href = link.get_attribute("href")
    assert href and "#s-" in href
    link.click()
    page.wait_for_url("**/articles/*")
    anchor = href.split("#", 1)[1]
    target = page.locator(f"#{anchor}")
    target.wait_for()
    page.wait_for_function(f"document.getElementById('{anchor}').classList.contains('hl')")
    assert "hl" in target.get_attribute("class").split()
    assert in_viewport(page, f"#{anchor}")
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "statement-source.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_storyline_page_shows_the_brief_sections(live, page):  # noqa: F811
    page.goto(live.url("/"))
    page.locator("tr.story a.story-link").first.click()
    page.wait_for_url("**/stories/*")
    cites = page.locator("#summary a.cite")
    assert cites.count() >= 3 and page.locator("#summary .para").count() >= 2
    assert page.locator("#timeline .basis").first.inner_text() in ("explicit", "resolved", "published", "inferred")
    assert page.locator("#timeline .lead a.cite").count() >= 2
    wordings = page.locator("#statements details.wordings").first
    wordings.locator("summary").click()
    assert wordings.locator(".diff del, .diff ins").first.is_visible()
    assert page.locator("#framing table.framing tbody tr").count() >= 2
    assert page.locator("#framing .name").count() >= 2
    assert page.locator("table.matrix td.blind").count() >= 1
    href = cites.first.get_attribute("href")
    cites.first.click()
    page.wait_for_url("**/articles/*")
    anchor = href.split("#", 1)[1]
    page.wait_for_function(f"document.getElementById('{anchor}').classList.contains('hl')")
    assert in_viewport(page, f"#{anchor}")


def test_article_page_marks_quotes_entities_and_dates(live, page):  # noqa: F811
    aid = httpx.get(live.url("/api/quotes"), params={"kind": "direct", "limit": 1}).json()["items"][0]["article_id"]
    page.goto(live.url(f"/articles/{aid}"))
    assert page.locator(".body .s[id^='s-']").count() >= 3
    assert page.locator(".body mark.quote").count() >= 1
    ent = page.locator(".body a.ent").first
    href = ent.get_attribute("href")
    assert href.startswith("/entities/")
    assert page.locator(".body time.timex").count() >= 1
    ent.click()
    page.wait_for_url("**/entities/*")
    assert page.locator("h1").inner_text()


def test_search_from_the_header_and_filters(live, page, tmp_path):  # noqa: F811
    page.goto(live.url("/"))
    page.fill("header input[name=q]", "dockworkers")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?*")
    hits = page.locator("li.hit")
    assert hits.count() >= 2
    assert page.locator("li.hit .snippet b").count() >= 1
    page.select_option("select[name=outlet]", "Danube Herald")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**outlet=Danube*")
    outlets = page.locator("li.hit .muted").all_inner_texts()
    assert outlets and all(t.startswith("Danube Herald") for t in outlets)
    shot = tmp_path / "search.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:4] == b"\x89PNG"


def test_entity_page_lists_statements_linked_to_sentences(live, page):  # noqa: F811
    st = httpx.get(live.url("/api/statements"), params={"min_articles": 2, "limit": 1}).json()["items"][0]
    page.goto(live.url(f"/entities/{st['speaker']['entity_id']}#st-{st['id']}"))
    item = page.locator(f"#st-{st['id']}")
    assert item.count() == 1
    href = item.locator("a.statement-link").get_attribute("href")
    page.goto(live.url(href))
    anchor = href.split("#", 1)[1]
    page.wait_for_function(f"document.getElementById('{anchor}').classList.contains('hl')")
    assert in_viewport(page, f"#{anchor}")


def test_serving_while_another_process_ingests(tmp_path, page):  # noqa: F811
    db = tmp_path / "busy.db"
    src = tmp_path / "wave.jsonl"
    with src.open("w") as fh:
        for i in range(300):
            fh.write(json.dumps({"title": f"Levee bulletin {i}", "outlet": "Levee Watch", "published": "2025-03-01",
                                 "url": f"https://levee.example/{i}",
                                 "text": f"Bulletin {i}: the zygomorphic levee on section {i} held overnight while "
                                         f"crews stacked sandbags along the river bank until dawn."}) + "\n")
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps({"title": "Levee opens", "outlet": "Levee Watch", "published": "2025-02-28",
                                 "text": "The new levee opened on Friday with a ceremony on the river bank."}) + "\n")
    # cleaning only (no NLP, no story placement) keeps the test quick; the writes are what matter here
    env = {**os.environ, "STORYLINE_ANALYSE": "false", "STORYLINE_STORIES": "false", "STORYLINE_WORKERS": "1",
           "STORYLINE_BATCH_SIZE": "20"}
    cmd = [sys.executable, "-m", "storyline", "ingest", "--db", str(db), "-q"]
    subprocess.run([*cmd, str(first)], env=env, check=True, capture_output=True)
    server = LiveServer(db)
    try:
        page.goto(server.url("/"))
        assert page.locator("#store-count").inner_text() == "1 article in the store."
        page.goto(server.url("/search?q=zygomorphic"))
        assert page.locator("li.hit").count() == 0
        statuses: list[int] = []
        stop = threading.Event()

        def read() -> None:
            with httpx.Client(base_url=server.base, timeout=30) as c:
                while not stop.is_set():
                    statuses.append(c.get("/api/search", params={"q": "zygomorphic"}).status_code)
                    statuses.append(c.get("/").status_code)

        reader = threading.Thread(target=read)
        reader.start()
        proc = subprocess.run([*cmd, str(src)], env=env, capture_output=True, text=True, timeout=240)
        stop.set()
        reader.join(timeout=30)
        assert proc.returncode == 0, proc.stderr
        assert len(statuses) >= 4 and set(statuses) == {200}, statuses[:20]  # read all through the ingest
        page.reload()
        assert page.locator("p.count").inner_text() == "300 results"
        assert httpx.get(server.url("/api/articles"), params={"limit": 1}).json()["total"] == 301
        page.goto(server.url("/"))  # a page kept from before the ingest is not served again
        assert page.locator("#store-count").inner_text() == "301 articles in the store."
    finally:
        server.stop()
