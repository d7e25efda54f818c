"""Every API parameter bounded and validated: hostile values answer 4xx in the one error shape, never 500;
``POST /api/ingest`` saves uploads under generated names and bounds what a request carries."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from storyline.web import create_app
from storyline.web.ingest import upload_name
from web_support import web_db  # noqa: F401 (session fixture)

HUGE = "99999999999999999999999"
HOSTILE_VALUES = [HUGE, "-1", "0", "1e9", "abc", "", "\x00", "%00", "1" * 5000, "ä" * 600, "\ud800".encode(
    "utf-8", "surrogatepass").decode("latin-1"), "' OR 1=1 --", '"unterminated', "NEAR(", "*", "2024-13-45",
    "../../etc/passwd", "<script>alert(1)</script>"]

#: Every GET endpoint with the parameters it takes (path parameters filled by a value of their own).
ENDPOINTS = {
    "/api/stories": ["limit", "offset", "q", "since", "until"],
    "/api/stories/{id}": [],
    "/api/stories/{id}/brief": ["format"],
    "/api/events/{id}": [],
    "/api/political-events": ["limit", "offset", "storyline", "actor", "type", "since", "until"],
    "/api/articles": ["limit", "offset", "outlet", "since", "until"],
    "/api/articles/{id}": [],
    "/api/statements": ["limit", "offset", "speaker", "min_articles"],
    "/api/quotes": ["limit", "offset", "article_id", "speaker", "kind"],
    "/api/entities": ["limit", "offset", "type", "name"],
    "/api/entities/{id}": [],
    "/api/outlets": ["limit", "offset"],
    "/api/search": ["q", "limit", "offset", "outlet", "since", "until", "entity", "storyline"],
    "/": ["q", "offset"],
    "/search": ["q", "outlet", "since", "until", "entity", "storyline", "offset"],
    "/stories/{id}": [],
    "/articles/{id}": [],
    "/entities/{id}": [],
}


@pytest.fixture(scope="module")
def client(web_db: Path) -> TestClient:  # noqa: F811
    return TestClient(create_app(web_db), raise_server_exceptions=False)


def assert_clean_error(r, path: str) -> None:
    assert r.status_code < 500, (path, r.status_code, r.text[:300])
    if r.status_code >= 400 and path.startswith("/api"):
        body = r.json()
        assert body["ok"] is False and body["status"] == r.status_code and body["error"]


@pytest.mark.parametrize("url", [
    f"/api/quotes?speaker={HUGE}", f"/api/statements?speaker={HUGE}", f"/api/search?q=port&entity={HUGE}",
    f"/api/search?q=port&storyline={HUGE}", f"/api/political-events?storyline={HUGE}", f"/search?q=port&entity={HUGE}",
    f"/api/entities/{HUGE}", f"/api/stories/{HUGE}", "/api/quotes?speaker=-5", "/api/articles?limit=100000",
])
def test_integers_out_of_range_answer_422_in_the_error_shape(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 422, r.text
    if url.startswith("/api"):
        assert r.json()["ok"] is False and r.json()["status"] == 422


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_no_hostile_parameter_value_makes_a_500(client: TestClient, endpoint: str) -> None:
    for value in HOSTILE_VALUES:
        path = endpoint.replace("{id}", quote(value, safe="") or "x")
        assert_clean_error(client.get(path), path)
        for name in ENDPOINTS[endpoint]:
            base = endpoint.replace("{id}", "1")
            params = {name: value}
            if base.endswith("search") and name != "q":
                params["q"] = "port"
            assert_clean_error(client.get(base, params=params), f"{base}?{name}={value!r}")


# -- POST /api/ingest ------------------------------------------------------------------------------------


@pytest.fixture
def ingest_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    for name in [n for n in os.environ if n.startswith("STORYLINE_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("STORYLINE_ANALYSE", "0")
    monkeypatch.setenv("STORYLINE_STORIES", "0")
    monkeypatch.setenv("STORYLINE_WORKERS", "1")
    return TestClient(create_app(tmp_path / "in.db", ingest_token="t0ken"), raise_server_exceptions=False)


AUTH = {"Authorization": "Bearer t0ken"}
TEXT = (b"The river authority said on Wednesday that water levels had fallen back below the flood mark.\n"
        b"Farmers in the lower valley will be allowed back onto their fields from Monday.\n")


@pytest.mark.parametrize("name", ["..", ".", "../../etc/passwd", "/", "a/../../b.txt", "\x00.txt", "con",
                                  "x" * 500, "caf\u00e9 \u202e.txt", "..\\..\\win.ini"])
def test_uploads_are_saved_under_generated_names(ingest_client: TestClient, name: str) -> None:
    r = ingest_client.post("/api/ingest", files={"file": (name, TEXT, "text/plain")}, headers=AUTH)
    assert r.status_code == 200, r.text
    item = r.json()["item"]
    assert item["ingested"] == 1 or item["unchanged"] == 1, item


def test_an_upload_keeps_a_known_extension_so_its_format_is_known(ingest_client: TestClient) -> None:
    lines = b"".join(json.dumps({"title": f"N{n}", "text": f"Notice {n}: the bridge on road {n} reopens after "
                                 f"repairs to its railings were finished."}).encode() + b"\n" for n in range(3))
    r = ingest_client.post("/api/ingest", files={"file": ("../notices.JSONL", lines, "application/json")},
                           headers=AUTH)
    assert r.json()["item"]["ingested"] == 3
    assert upload_name("../notices.JSONL").endswith(".jsonl") and "/" not in upload_name("../notices.JSONL")
    assert upload_name("a.warc.gz").endswith(".warc.gz") and upload_name("evil.sh").count(".") == 0


@pytest.mark.parametrize(("body", "headers", "status"), [
    (json.dumps({"url": "http://x.example/" + "a" * 3000}), {}, 422),
    (json.dumps({"url": "http://x.example/a b"}), {}, 422),
    (json.dumps({"url": "http://x.example/\x1b[2J"}), {}, 422),
    (json.dumps({"url": ["http://x.example/"]}), {}, 422),
    (json.dumps({"url": 5}), {}, 422),
    ("[" * 50_000 + "]" * 50_000, {}, 413),
    ("[" * 5_000 + "]" * 5_000, {}, 422),
    (json.dumps({"url": "http://x.example/", "pad": "x" * 20_000}), {}, 413),
    ("{not json", {}, 422),
    (b"\xff\xfe\x00garbage", {}, 422),
])
def test_json_bodies_are_bounded_and_validated(ingest_client: TestClient, body, headers: dict, status: int) -> None:
    r = ingest_client.post("/api/ingest", content=body, headers={**AUTH, "Content-Type": "application/json",
                                                                 **headers})
    assert r.status_code == status, r.text
    assert r.json()["ok"] is False and r.json()["status"] == status


def test_multipart_bodies_are_bounded(ingest_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_MAX_INPUT_BYTES", "1000")
    r = ingest_client.post("/api/ingest", files={"file": ("a.txt", TEXT * 50, "text/plain")}, headers=AUTH)
    assert r.status_code == 413 and r.json()["ok"] is False
    two = ingest_client.post("/api/ingest", files=[("file", ("a.txt", TEXT, "text/plain")),
                                                   ("file", ("b.txt", TEXT, "text/plain"))], headers=AUTH)
    assert 400 <= two.status_code < 500 and two.json()["ok"] is False
    broken = ingest_client.post("/api/ingest", content=b"--x\r\nnot a part", headers={
        **AUTH, "Content-Type": "multipart/form-data; boundary=x"})
    assert 400 <= broken.status_code < 500 and broken.json()["ok"] is False
