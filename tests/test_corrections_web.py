"""Corrections on the web and outside the store: forms behind the write token in headless Chromium (sign in,
correct from the pages, marks, undo), CSRF and cross-site refusals, ``POST /api/corrections`` with a bearer
token, corrections in ``export --format parquet`` / ``load`` and in corrections files, the gold export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from corrections_support import cli, cli_json, copy_store, corrections_store, db, event_mates, rows  # noqa: F401
from storyline import api
from storyline.web import create_app
from web_support import LiveServer, browser, page  # noqa: F401 (fixtures)

TOKEN = "write-token-for-tests"
pytestmark = pytest.mark.timeout(900)   # Chromium and briefs rebuilt after each correction, on a shared machine


def _signed_in(client: TestClient, name: str = "Ann") -> str:
    r = client.post("/login", data={"token": TOKEN, "name": name, "back": "/corrections"}, follow_redirects=False)
    assert r.status_code == 303
    return re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/corrections").text).group(1)


def test_forms_need_the_token_a_session_and_its_csrf_token(db):  # noqa: F811
    article = api.stories(db)[0]["article_ids"][0]
    form = {"action": "date", "article_id": article, "date": "2021-01-01", "back": f"/articles/{article}"}
    off = TestClient(create_app(db))
    assert off.get(f"/articles/{article}").status_code == 200
    assert "Sign in" not in off.get(f"/articles/{article}").text   # no token: no forms, no write routes
    assert off.post("/corrections", data=form).status_code == 404
    assert off.post("/api/corrections", json={"action": "date"}).status_code == 404
    assert off.get("/corrections").status_code == 200             # the audit trail is readable
    c = TestClient(create_app(db, ingest_token=TOKEN))
    assert c.post("/corrections", data=form, follow_redirects=False).status_code == 403   # not signed in
    assert c.post("/login", data={"token": "wrong", "name": "x"}).status_code == 403
    csrf = _signed_in(c)
    assert c.post("/corrections", data={**form, "csrf": "0" * 40}, follow_redirects=False).status_code == 403
    r = c.post("/corrections", data={**form, "csrf": csrf}, headers={"origin": "https://evil.example"},
               follow_redirects=False)
    assert r.status_code == 403
    assert rows(db, "SELECT COUNT(*) FROM corrections") == [(0,)]
    r = c.post("/corrections", data={**form, "csrf": csrf, "back": "https://evil.example/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/corrections#")   # never another site
    made = c.get("/api/corrections").json()["items"]
    assert [(m["action"], m["by"], m["after"]["published"]) for m in made] == [("date", "Ann", "2021-01-01")]
    r = c.post("/corrections", data={**form, "csrf": csrf}, follow_redirects=False)   # the same again: refused
    assert r.status_code == 422 and "already dated" in r.text
    cookie = c.cookies.get("storyline_editor")
    assert cookie and "." in cookie


def test_the_json_api_needs_a_bearer_token_and_answers_refusals_in_one_shape(db):  # noqa: F811
    c = TestClient(create_app(db, ingest_token=TOKEN))
    line = next(s for s in api.stories(db) if len(s["events"]) >= 2)
    article, to = line["events"][0]["article_ids"][0], line["events"][1]["id"]
    body = {"action": "move-article", "article_id": article, "to_event": to, "by": "bot", "note": "api"}
    assert c.post("/api/corrections", json=body).status_code == 401
    assert c.post("/api/corrections", json=body, headers={"authorization": "Bearer nope"}).status_code == 403
    auth = {"authorization": f"Bearer {TOKEN}"}
    r = c.post("/api/corrections", json=body, headers=auth)
    assert r.status_code == 200 and r.json()["ok"]
    made = r.json()["item"]
    assert (made["action"], made["by"], made["note"], made["after"]["event_id"]) == ("move-article", "bot", "api", to)
    r = c.post("/api/corrections", json={**body, "article_id": "nope"}, headers=auth)
    assert r.status_code == 422 and r.json()["ok"] is False and "no article" in r.json()["error"]
    r = c.post("/api/corrections", json={"action": "undo", "id": made["id"]}, headers=auth)
    assert r.status_code == 200 and r.json()["item"]["action"] == "undo"
    assert c.get(f"/api/corrections/{made['id']}").json()["item"]["undone_at"]
    assert "/api/corrections" in c.get("/api/openapi.json").json()["paths"]


@pytest.mark.slow
def test_an_analyst_corrects_from_the_pages_in_chromium(db, browser):  # noqa: F811
    line = next(s for s in api.stories(db) if len(s["events"]) >= 2)
    first, second = line["events"][0], line["events"][1]
    article = first["article_ids"][0]
    brief = api.brief(line["id"], db)
    position = brief["positions"][0]
    server = LiveServer(db, ingest_token=TOKEN)
    try:
        pg = browser.new_page()
        pg.set_default_timeout(300_000)   # a page after a correction rebuilds its brief; the test machine is shared
        pg.goto(server.url(f"/stories/{line['id']}"))
        assert pg.locator("details.fix").count() == 0        # no forms before signing in
        pg.click("#sign-in")
        pg.fill("input[name=name]", "Dana")
        pg.fill("input[name=token]", TOKEN)
        pg.click("form.login button")
        pg.wait_for_url(f"**/stories/{line['id']}")
        assert "correcting as Dana" in pg.locator(".who").inner_text()
        item = pg.locator(f'li[data-article="{article}"]')
        item.locator('details[data-action="move-article"] > summary').click()
        item.locator("select[name=to_event]").select_option(str(second["id"]))
        item.locator('details[data-action="move-article"] button').click()
        pg.wait_for_url(re.compile(rf".*/stories/{line['id']}#corrected-\d+$"))
        moved = pg.locator(f'li[data-article="{article}"] a.corrected')
        assert moved.count() == 1
        assert pg.locator(f'li[data-event="{second["id"]}"] li[data-article="{article}"]').count() == 1
        pos = pg.locator(f'#positions li[data-id="{position["id"]}"]')
        pos.locator("details.fix > summary").click()
        pos.locator("input[name=reason]").fill("a question, not a stance")
        pos.locator("details.fix button").click()
        pg.wait_for_url(re.compile(rf".*/stories/{line['id']}#corrected-\d+$"))
        assert pg.locator(f'#positions li[data-id="{position["id"]}"]').count() == 0
        assert "a question, not a stance" in pg.locator(f'#dismissed li[data-id="{position["id"]}"]').inner_text()
        moved.click()
        pg.wait_for_url("**/corrections/*")
        entry = pg.locator("li.correction").first
        assert entry.get_attribute("data-action") == "move-article"
        assert entry.locator(".by").inner_text() == "Dana"
        entry.locator("form.undo button").click()
        pg.wait_for_url(re.compile(r".*/corrections/\d+#corrected-\d+$"))
        assert pg.locator("li.correction.undone .badge").inner_text().lower().startswith("undone")
        assert set(event_mates(db, article)) == set(first["article_ids"]) - {article}
        pg.close()
    finally:
        server.stop()


@pytest.mark.slow
def test_corrections_travel_in_an_export_and_a_corrections_file(db, tmp_path):  # noqa: F811
    line = next(s for s in api.stories(db) if len(s["events"]) >= 2)
    article, to = line["events"][0]["article_ids"][0], line["events"][1]["id"]
    mates = {a for a in line["events"][1]["article_ids"]}
    pristine = copy_store(db, tmp_path / "pristine.db")
    moved = cli_json("correct", "move-article", article, "--to-event", str(to), "--by", "eve", db=db)
    dated = cli_json("correct", "date", article, "2019-09-09", "--by", "eve", db=db)
    undone = cli_json("correct", "outlet", article, "Another Paper", db=db)
    cli_json("correct", "undo", str(undone["id"]), db=db)
    out = tmp_path / "dataset"
    code, _, err = cli("export", "--format", "parquet", "--out", str(out), db=db)
    assert code == 0, err
    table = pq.read_table(out / "corrections" / "part-00000.parquet").to_pylist()
    assert [r["action"] for r in table] == ["move-article", "date", "outlet", "undo"]
    loaded = tmp_path / "loaded.db"
    code, stdout, err = cli("load", str(out), "--format", "json", db=loaded)
    assert code == 0, err
    assert json.loads(stdout)["corrections"]["new"] == 4
    assert event_mates(loaded, article) >= mates
    got = api.article(article, loaded).article
    original = api.article(article, db).article.outlet
    assert (got.published, got.date_source, got.outlet) == ("2019-09-09", "corrected", original)
    listed = cli_json("corrections", db=loaded)
    assert [(r["action"], r["by"], r["at"]) for r in listed] == \
        [(r["action"], r["by"], r["at"]) for r in cli_json("corrections", db=db)]
    code, stdout, _ = cli("load", str(out), "--format", "json", db=loaded)   # twice: nothing new
    assert code == 0 and json.loads(stdout)["corrections"] == {"new": 0, "unchanged": 4, "waiting": 0, "refused": []}
    # a corrections file, with a broken line, into a copy of the store as it was before any correction
    exported = tmp_path / "fixes.jsonl"
    code, _, err = cli("corrections", "--export", str(exported), db=db)
    assert code == 0, err
    exported.write_text(exported.read_text() + "{not json\n")
    code, out_text, err = cli("correct", "apply", str(exported), "--format", "json", db=pristine)
    report = json.loads(out_text)
    assert code == 1 and report["new"] == 4 and report["refused"] == ["line 5: not JSON (Expecting property name "
                                                                      "enclosed in double quotes)"]
    assert event_mates(pristine, article) >= mates
    assert api.article(article, pristine).article.published == "2019-09-09"
    assert [r["id"] for r in cli_json("corrections", db=pristine)] == [moved["id"], dated["id"], undone["id"], 4]


def test_a_storyline_as_analysts_reviewed_it_is_a_gold_file_in_the_bench_format(db, tmp_path):  # noqa: F811
    line = api.stories(db)[0]
    position = api.brief(line["id"], db)["positions"][0]
    fix = cli_json("correct", "dismiss", "position", position["id"], "--reason", "not a stance", db=db)
    out = tmp_path / "gold.json"
    code, _, err = cli("corrections", "--gold", str(line["id"]), "--out", str(out), db=db)
    assert code == 0, err
    gold = json.loads(out.read_text())
    bench = json.loads(next((Path(__file__).parent.parent / "bench" / "data" / "real" / "storylines").glob("*.json"))
                       .read_text())
    assert set(bench) <= set(gold)
    assert set(bench["articles"][0]) == set(gold["articles"][0])
    assert set(bench["positions"][0]) == set(gold["positions"][0])
    assert set(bench["claims"][0]) <= set(gold["claims"][0]) if gold["claims"] else True
    assert {a["id"] for a in gold["articles"]} == set(line["article_ids"])
    assert position["id"] not in {p["stance"] for p in gold["positions"]}
    assert [d["stance"] for d in gold["dismissed"]["positions"]] == [position["id"]]
    assert gold["dismissed"]["positions"][0]["dismissed_by"] == fix["id"]
    assert [c["id"] for c in gold["corrections"]] == [fix["id"]]
