"""The REST API over a real store (the sample corpus plus one hostile article): every endpoint, its
pagination, its filters and its one error shape."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import storyline
from storyline.web import create_app
from web_support import HOSTILE_MARK, web_db  # noqa: F401 (session fixture)


@pytest.fixture(scope="module")
def client(web_db: Path) -> TestClient:  # noqa: F811
    return TestClient(create_app(web_db))


def ok_list(r) -> dict:
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True and isinstance(body["items"], list)
    assert {"limit", "offset", "next"} <= set(body)
    return body


def assert_error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["ok"] is False and body["status"] == status and isinstance(body["error"], str) and body["error"]
    return body


def test_articles_are_paginated_with_total_and_next_links(client):
    first = ok_list(client.get("/api/articles", params={"limit": 10}))
    assert first["total"] == 35 and len(first["items"]) == 10 and first["next"]
    seen = [a["id"] for a in first["items"]]
    url = first["next"]
    while url:
        body = ok_list(client.get(url))
        seen += [a["id"] for a in body["items"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 35
    last = ok_list(client.get("/api/articles", params={"limit": 10, "offset": 30}))
    assert len(last["items"]) == 5 and last["next"] is None
    one = ok_list(client.get("/api/articles", params={"outlet": "Meridian Wire", "since": "2024-01-01"}))
    assert one["items"] and all(a["outlet"] == "Meridian Wire" and a["published"] >= "2024-01-01"
                                for a in one["items"])


def test_an_article_comes_with_its_analysis_as_offsets(client):
    aid = ok_list(client.get("/api/articles", params={"limit": 1}))["items"][0]["id"]
    r = client.get(f"/api/articles/{aid}")
    assert r.status_code == 200
    a = r.json()["item"]
    assert a["id"] == aid and a["text"] and a["sentences"] and a["mentions"]
    for q in a["quotes"]:
        assert q["article_id"] == aid and 0 <= q["start"] < q["end"] <= len(a["text"])
    for m in a["mentions"]:
        assert a["text"][m["start"]:m["end"]] == m["text"]
    assert "duplicates" in a
    assert_error(client.get("/api/articles/no-such-article"), 404)
    assert_error(client.get("/api/articles/bad id!"), 422)


def test_statements_quotes_entities_outlets(client):
    st = ok_list(client.get("/api/statements", params={"min_articles": 2, "limit": 3}))
    assert st["items"] and all(s["articles"] >= 2 for s in st["items"]) and st["next"]
    quotes = ok_list(client.get("/api/quotes", params={"kind": "direct", "limit": 5}))
    assert quotes["items"] and all(q["kind"] == "direct" for q in quotes["items"])
    assert_error(client.get("/api/quotes", params={"kind": "shouted"}), 422)
    people = ok_list(client.get("/api/entities", params={"type": "PERSON", "limit": 5}))
    assert people["items"] and all(e["type"] == "PERSON" for e in people["items"])
    speaker = st["items"][0]["speaker"]["entity_id"]
    e = client.get(f"/api/entities/{speaker}").json()["item"]
    assert e["id"] == speaker and e["aliases"] and e["statements"]
    assert all(s["speaker"]["entity_id"] == speaker for s in e["statements"])
    assert_error(client.get("/api/entities/987654"), 404)
    assert_error(client.get("/api/entities/abc"), 422)
    outlets = ok_list(client.get("/api/outlets"))
    assert outlets["total"] == 8 and sum(o["articles"] for o in outlets["items"]) <= 35
    two = ok_list(client.get("/api/outlets", params={"limit": 2, "offset": 2}))
    assert [o["id"] for o in two["items"]] == [o["id"] for o in outlets["items"][2:4]] and two["next"]
    top = outlets["items"][0]
    assert ok_list(client.get("/api/articles", params={"outlet": top["name"]}))["total"] == top["articles"]


def test_search_with_every_filter(client):
    allhits = ok_list(client.get("/api/search", params={"q": "strike", "limit": 50}))
    assert allhits["total"] == len(allhits["items"]) > 2
    paged = ok_list(client.get("/api/search", params={"q": "strike", "limit": 2}))
    assert len(paged["items"]) == 2 and paged["next"] and paged["total"] == allhits["total"]
    outlet = ok_list(client.get("/api/search", params={"q": "strike", "outlet": "Danube Herald"}))
    assert outlet["items"] and {h["outlet"] for h in outlet["items"]} == {"Danube Herald"}
    dated = ok_list(client.get("/api/search", params={"q": "strike", "since": "2024-10-20", "until": "2024-10-31"}))
    assert dated["items"] and all("2024-10-20" <= h["published"] <= "2024-10-31" for h in dated["items"])
    assert dated["total"] < allhits["total"]
    rusu = ok_list(client.get("/api/entities", params={"name": HOSTILE_MARK}))["items"][0]
    by_entity = ok_list(client.get("/api/search", params={"q": "strike", "entity": rusu["id"]}))
    assert [h["title"] for h in by_entity["items"]] == [h["title"] for h in allhits["items"] if "mayor" in h["title"]]
    assert_error(client.get("/api/search", params={"q": "strike", "since": "last week"}), 422)
    assert_error(client.get("/api/search"), 422)
    assert_error(client.get("/api/search", params={"q": "strike", "limit": 100000}), 422)


def test_search_by_storyline_keeps_its_articles(client):
    story = ok_list(client.get("/api/stories", params={"limit": 1}))["items"][0]
    hits = ok_list(client.get("/api/search", params={"q": "Kremlin OR strike OR floods", "storyline": story["id"],
                                                     "limit": 100}))
    assert hits["items"] and {h["id"] for h in hits["items"]} <= set(story["article_ids"])


def test_stories_list_and_one_storyline(client):
    body = ok_list(client.get("/api/stories", params={"limit": 2}))
    assert len(body["items"]) == 2 and body["next"]
    s = body["items"][0]
    assert {"id", "title", "start", "end", "n_articles", "n_outlets", "events", "article_ids"} <= set(s)
    assert len(s["article_ids"]) == s["n_articles"] == sum(len(e["article_ids"]) for e in s["events"])
    rest = ok_list(client.get(body["next"]))
    assert not {x["id"] for x in rest["items"]} & {x["id"] for x in body["items"]}
    one = client.get(f"/api/stories/{s['id']}").json()["item"]
    assert one["id"] == s["id"] and len(one["articles"]) == s["n_articles"] and one["days"]
    assert_error(client.get("/api/stories/424242"), 404)
    assert_error(client.get("/api/stories/0"), 422)
    assert_error(client.get("/api/stories", params={"since": "2024-13-01"}), 422)


def test_brief_sentences_are_cited_verbatim_with_offsets_in_three_formats(client, web_db):  # noqa: F811
    sid = ok_list(client.get("/api/stories", params={"limit": 1}))["items"][0]["id"]
    brief = client.get(f"/api/stories/{sid}/brief").json()["item"]
    assert set(brief) == {"timeline", "statements", "positions", "claims", "conflicts", "framing", "coverage",
                          "summary"}
    assert brief["summary"]["kind"] == "extractive" and brief["timeline"] and brief["statements"]
    sentences = [x for p in brief["summary"]["paragraphs"] for x in p["sentences"]]
    assert sentences
    for x in sentences:
        if "sides" in x:  # a dispute: what is disputed, then each side's value with the sentences that state it
            assert x["text"] == f"{x['lead']}: " + " vs ".join(s["value"] for s in x["sides"])
            assert len(x["sides"]) >= 2 and all(s["citations"] for s in x["sides"])
            for s in x["sides"]:
                for c in s["citations"]:
                    assert storyline.article(c["article_id"], web_db).article.text[c["start"]:c["end"]].strip()
            continue
        c = x["citations"][0]  # any other line is its first cited article sentence, verbatim
        assert storyline.article(c["article_id"], web_db).article.text[c["start"]:c["end"]] == x["text"]
    sentences = [x for x in sentences if "sides" not in x]
    first = sentences[0]["citations"][0]
    md = client.get(f"/api/stories/{sid}/brief", params={"format": "md"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith("# ") and f"(/articles/{first['article_id']}#s-{first['start']})" in md.text
    html = client.get(f"/api/stories/{sid}/brief", params={"format": "html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert f"/articles/{first['article_id']}#s-{first['start']}" in html.text
    assert_error(client.get(f"/api/stories/{sid}/brief", params={"format": "pdf"}), 422)
    assert_error(client.get("/api/stories/424242/brief"), 404)


def test_unknown_routes_methods_and_server_errors_share_the_error_shape(web_db):  # noqa: F811
    app = create_app(web_db)

    @app.get("/api/test-boom")
    def boom() -> None:
        raise RuntimeError("boom")

    c = TestClient(app, raise_server_exceptions=False)
    assert_error(c.get("/api/nothing-here"), 404)
    assert_error(c.delete("/api/articles"), 405)
    body = assert_error(c.get("/api/test-boom"), 500)
    assert "boom" not in body["error"]  # internals stay in the log
    assert c.get("/api/openapi.json").json()["paths"]["/api/search"]
    docs = c.get("/api/docs")  # our own page: Swagger UI would need a CDN
    assert docs.status_code == 200 and "GET /api/search" in docs.text and "cdn" not in docs.text.lower()


def test_ingest_endpoint_is_off_without_a_token(client):
    assert_error(client.post("/api/ingest", json={"url": "https://example.org/"}), 404)


def test_ingest_endpoint_with_a_token(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYLINE_ANALYSE", "false")
    monkeypatch.setenv("STORYLINE_WORKERS", "1")
    c = TestClient(create_app(tmp_path / "in.db", ingest_token="s3cret-token"))
    record = {"title": "Ferry resumes after repairs", "outlet": "Lake Post", "published": "2025-05-02",
              "text": "The lake ferry resumed its crossings on Friday after two weeks of repairs to its engine."}
    upload = {"file": ("ferry.jsonl", json.dumps(record).encode(), "application/json")}
    assert_error(c.post("/api/ingest", files=upload), 401)
    assert_error(c.post("/api/ingest", files=upload, headers={"Authorization": "Bearer wrong"}), 403)
    auth = {"Authorization": "Bearer s3cret-token"}
    r = c.post("/api/ingest", files=upload, headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["item"]["ingested"] == 1
    titles = [a["title"] for a in c.get("/api/articles").json()["items"]]
    assert titles == ["Ferry resumes after repairs"]
    assert_error(c.post("/api/ingest", json={"url": "file:///etc/passwd"}, headers=auth), 422)
    assert_error(c.post("/api/ingest", content=b"plain", headers={**auth, "Content-Type": "text/plain"}), 415)


def test_duplicates_and_rewrites_on_the_article(client):
    stories = ok_list(client.get("/api/stories", params={"limit": 100}))["items"]
    copies = [a for s in stories for a in client.get(f"/api/stories/{s['id']}").json()["item"]["articles"]
              if a["duplicate_kind"] in ("exact", "near")]
    assert copies, "the sample corpus has copies"
    a = client.get(f"/api/articles/{copies[0]['id']}").json()["item"]
    assert a["duplicates"]["kind"] == copies[0]["duplicate_kind"]
    assert copies[0]["canonical_id"] in {m["id"] for m in a["duplicates"]["members"]}
    html = client.get(f"/articles/{copies[0]['id']}").text
    assert 'id="duplicates"' in html and f'href="/articles/{copies[0]["canonical_id"]}"' in html


def test_html_pages_render_from_the_same_store(client):
    sid = ok_list(client.get("/api/stories", params={"limit": 1}))["items"][0]["id"]
    story = client.get(f"/stories/{sid}")
    assert story.status_code == 200 and story.headers["content-type"].startswith("text/html")
    assert '<svg class="timeline"' in story.text and 'class="matrix"' in story.text
    assert 'class="statement-link" href="/articles/' in story.text and "#s-" in story.text
    for page in (story.text, client.get("/").text, client.get("/search?q=strike").text):
        assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', page)  # nothing external
    listing = client.get("/")
    assert listing.status_code == 200 and listing.text.count('class="story"') >= 3 and "<polyline" in listing.text
    assert client.get("/stories/424242").status_code == 404
    assert "<h1>404</h1>" in client.get("/articles/no-such-article").text
    assert client.get("/search", params={"q": "strike", "since": "soon"}).status_code == 422
    assert client.get("/static/app.js").status_code == 200


def test_an_event_by_id(client):
    story = ok_list(client.get("/api/stories", params={"limit": 1}))["items"][0]
    event = story["events"][0]
    got = client.get(f"/api/events/{event['id']}").json()["item"]
    assert got["id"] == event["id"] and got["storyline_id"] == story["id"]
    assert set(got["article_ids"]) == set(event["article_ids"])
    assert_error(client.get("/api/events/987654"), 404)


def test_cached_reads_are_dropped_when_the_store_changes(tmp_path, monkeypatch):
    from storyline.web.cache import StoreCache

    monkeypatch.setenv("STORYLINE_ANALYSE", "false")
    monkeypatch.setenv("STORYLINE_STORIES", "false")
    db = tmp_path / "c.db"
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps({"title": "Bridge closed", "outlet": "Town Post", "published": "2025-01-02",
                               "text": "The old bridge was closed on Thursday after inspectors found cracks."}) + "\n")
    storyline.ingest([str(src)], db, settings=storyline.Settings.load(workers=1))
    cache = StoreCache(str(db))
    assert cache.get("k", lambda: 1) == 1
    assert cache.get("k", lambda: 2) == 1  # unchanged store: kept
    reopened = "The old bridge reopened on Sunday after a month of repairs to its piers."
    src.write_text(json.dumps({"title": "Bridge reopens", "outlet": "Town Post", "published": "2025-02-02",
                               "text": reopened}) + "\n")
    storyline.ingest([str(src)], db, settings=storyline.Settings.load(workers=1))
    assert cache.get("k", lambda: 3) == 3  # a commit in between: recomputed


def test_serving_a_missing_store_is_refused_unless_ingest_is_on(tmp_path):
    with pytest.raises(storyline.StoreError, match="no store"):
        create_app(tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()


def test_serve_command_refuses_a_missing_store(tmp_path):
    from typer.testing import CliRunner

    from storyline.cli import app

    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "typo.db"), "--port", "1"])
    assert result.exit_code == 1 and "no store at" in result.output
    assert "127.0.0.1" in CliRunner().invoke(app, ["serve", "--help"]).output
