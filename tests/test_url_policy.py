"""The URL policy: private addresses refused by default (CLI, feed links, the API), reached with allow_private,
checked on every redirect hop and on the very address connected to (no DNS-rebinding gap).

The local test server listens on 127.0.0.1: by default every test here must be refused before it is asked
anything (its hit count stays 0); with ``allow_private`` it stands in for the web.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline import api
from storyline.cli import app
from storyline.engines.local import ingest as engine_ingest
from storyline.errors import UsageError
from storyline.ingest import ReadOptions, read_inputs
from storyline.ingest.addresses import AddressPolicy, parse_networks, refusal
from storyline.ingest.urls import Fetcher
from storyline.records import RawDocument, Skip
from storyline.settings import Settings
from storyline.store import Store

PAGE = ("<html><head><title>Tram line opens</title></head><body><article><p>The new tram line opened on Monday "
        "and carried its first passengers between the station and the hospital.</p><p>The city said the line "
        "would run every ten minutes until midnight.</p></article></body></html>")


def settings(**kw: object) -> Settings:
    return Settings(workers=1, fetch_delay=0, analyse=False, stories=False, **kw)  # type: ignore[arg-type]


def read(url: str, **kw: object) -> list[RawDocument | Skip]:
    return list(read_inputs([url], ReadOptions(settings=settings(**kw))))


def the_skip(items: list[RawDocument | Skip]) -> Skip:
    assert len(items) == 1 and isinstance(items[0], Skip), items
    return items[0]


# -- what counts as private -------------------------------------------------------------------------


@pytest.mark.parametrize(("address", "why"), [
    ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"), ("::1", "loopback"), ("0.0.0.0", "unspecified"),
    ("::", "unspecified"), ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"), ("100.64.0.1", "not a public address"), ("fc00::1", "private"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"), ("2002:7f00:1::", "loopback"),
    ("64:ff9b::a00:1", "private"), ("198.18.0.1", "private"),
])
def test_non_public_addresses_are_refused_with_what_they_are(address: str, why: str) -> None:
    assert why in (refusal(ipaddress.ip_address(address)) or "")


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4001:81b::200e"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


def test_allowed_networks_lift_the_refusal_for_those_networks_only() -> None:
    policy = AddressPolicy(allowed=parse_networks("10.20.0.0/16, 127.0.0.1"))
    policy.check("intranet.test", ["10.20.3.4"])
    policy.check("localhost", ["127.0.0.1"])
    with pytest.raises(Exception, match="10.21.0.1, a private address"):
        policy.check("other.test", ["10.21.0.1"])
    with pytest.raises(Exception, match="127.0.0.2, a loopback address"):
        policy.check("mixed.test", ["127.0.0.1", "127.0.0.2"])  # every address a name resolves to is checked
    with pytest.raises(UsageError, match="not a network"):
        parse_networks("10.0.0.0/8, intranet")


# -- refused by default, however the host is spelled ------------------------------------------------

SPELLINGS = ["http://127.0.0.1:{port}/page", "http://localhost:{port}/page", "http://[::1]:{port}/page",
             "http://0.0.0.0:{port}/page", "http://2130706433:{port}/page", "http://127.1:{port}/page",
             "http://user@127.0.0.1:{port}/page", "http://0x7f.1:{port}/page", "http://[::ffff:127.0.0.1]:{port}/page",
             "HTTP://LOCALHOST:{port}/page"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_private_addresses_are_refused_by_default(http_server, spelling: str) -> None:
    http_server.route("/page", PAGE)
    url = spelling.format(port=http_server.port)
    skip = the_skip(read(url))
    assert (skip.origin, skip.code) == (url, "private-address")
    assert "address; URL ingest does not fetch private addresses" in skip.reason
    assert "--allow-private" in skip.reason
    assert http_server.hits["/page"] == 0


def test_allow_private_reaches_the_local_server(http_server) -> None:
    url = http_server.route("/page", PAGE)
    [doc] = read(url, allow_private=True)
    assert isinstance(doc, RawDocument) and doc.body == PAGE
    assert http_server.hits["/page"] == 1


def test_every_redirect_hop_is_checked(http_server) -> None:
    """The first hop's network is allowed (allow_networks); the redirect to another loopback address is not."""
    port = http_server.port
    start = http_server.route("/moved", status=302, headers={"Location": f"http://127.0.0.2:{port}/page"})
    http_server.route("/page", PAGE)
    skip = the_skip(read(start, allow_networks="127.0.0.1/32"))
    assert (skip.origin, skip.code) == (start, "private-address")
    assert "127.0.0.2 is a loopback address" in skip.reason
    assert http_server.hits["/moved"] == 1 and http_server.hits["/page"] == 0
    redirect_to_v6 = http_server.route("/v6", status=301, headers={"Location": f"http://[::1]:{port}/page"})
    assert "::1 is a loopback address" in the_skip(read(redirect_to_v6, allow_networks="127.0.0.1/32")).reason
    ok = http_server.route("/same", status=302, headers={"Location": "/page"})
    assert isinstance(read(ok, allow_networks="127.0.0.1/32")[0], RawDocument)
    assert http_server.hits["/page"] == 1


def test_a_name_that_resolves_to_a_private_address_is_refused_before_connecting(http_server) -> None:
    resolved: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        resolved.append(host)
        return ["10.0.0.5"]  # nothing listens there: connecting would time out, refusing does not

    fetcher = Fetcher(settings(fetch_timeout=30), resolver=resolver)
    options = ReadOptions(settings=settings(fetch_timeout=30), fetcher=fetcher)
    skip = the_skip(list(read_inputs(["http://news.test/story"], options)))
    assert skip.code == "private-address"
    assert "news.test resolves to 10.0.0.5, a private address" in skip.reason
    assert resolved == ["news.test"]


def test_the_connection_goes_to_the_address_that_was_checked(http_server, tmp_path: Path) -> None:
    """A rebinding resolver answers 127.0.0.1 first and 127.0.0.2 (nothing listens there) afterwards: the fetch
    works only if it connects to the first answer, the one checked; Host still names the URL's host."""
    url_path = http_server.route("/page", PAGE)
    answers = iter([["127.0.0.1"]] + [["127.0.0.2"]] * 10)
    asked: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        asked.append(host)
        return next(answers)

    s = settings(allow_networks="127.0.0.1/32")
    options = ReadOptions(settings=s, fetcher=Fetcher(s, resolver=rebinding))
    url = url_path.replace("127.0.0.1", "news.test")
    [doc] = list(read_inputs([url], options))
    assert isinstance(doc, RawDocument) and doc.body == PAGE
    assert asked == ["news.test"]  # resolved once, for the one connection
    assert http_server.hosts[-1] == f"news.test:{http_server.port}"


def test_feed_links_to_private_addresses_are_refused_by_default(tmp_path: Path, http_server) -> None:
    link = http_server.route("/story", PAGE)
    feed = tmp_path / "city.rss"
    feed.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>City Desk</title>
<item><title>Tram line opens</title><link>{link}</link><description>Short teaser.</description></item>
</channel></rss>""")
    skip = the_skip(read(str(feed)))
    assert (skip.origin, skip.code) == (link, "private-address")
    assert http_server.hits["/story"] == 0
    [doc] = read(str(feed), allow_private=True)
    assert isinstance(doc, RawDocument) and doc.origin == f"{feed}#1"
    assert http_server.hits["/story"] == 1


def test_a_feed_body_that_spells_a_local_path_is_parsed_not_opened(tmp_path: Path, http_server) -> None:
    """feedparser opens a path or URL it is handed as a string or bytes; storyline hands it a stream."""
    secret = tmp_path / "secret.rss"
    secret.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Secret</title><item><title>Local '
                      'file</title><description>' + "<p>private words</p>" * 60
                      + "</description></item></channel></rss>")
    url = http_server.route("/feed", str(secret), content_type="application/rss+xml")
    skip = the_skip(read(url, allow_private=True))
    assert skip.code == "bad-feed"
    assert "private words" not in skip.reason


# -- the command line and the API -------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("STORYLINE_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("STORYLINE_ANALYSE", "0")  # the fetch is what is tested, not the analysis
    monkeypatch.setenv("STORYLINE_STORIES", "0")
    monkeypatch.setenv("STORYLINE_FETCH_DELAY", "0")
    return lambda *args: CliRunner().invoke(app, ["ingest", *args, "--workers", "1", "--quiet"])


def test_cli_refuses_private_addresses_unless_allowed(cli, tmp_db: Path, http_server) -> None:
    url = http_server.route("/page", PAGE)
    refused = cli(url, "--db", str(tmp_db))
    assert refused.exit_code == 1, refused.output
    assert "private-address" in refused.output and "127.0.0.1 is a loopback address" in refused.output
    assert http_server.hits["/page"] == 0
    with Store(tmp_db) as store:
        assert [(e["origin"], e["code"]) for e in store.errors()] == [(url, "private-address")]
    allowed = cli(url, "--db", str(tmp_db), "--allow-private")
    assert allowed.exit_code == 0, allowed.output
    assert http_server.hits["/page"] == 1


def test_the_setting_allows_private_addresses_too(tmp_db: Path, http_server, monkeypatch) -> None:
    url = http_server.route("/page", PAGE)
    monkeypatch.setenv("STORYLINE_ALLOW_PRIVATE", "1")
    report = api.ingest([url], tmp_db, settings=Settings.load(workers=1, analyse=False, stories=False, fetch_delay=0))
    assert (report.new, report.skipped) == (1, [])


def test_api_ingest_refuses_private_addresses_unless_the_server_allows_them(tmp_path: Path, http_server,
                                                                          monkeypatch) -> None:
    for name in [n for n in os.environ if n.startswith("STORYLINE_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("STORYLINE_ANALYSE", "0")
    monkeypatch.setenv("STORYLINE_STORIES", "0")
    monkeypatch.setenv("STORYLINE_WORKERS", "1")
    url = http_server.route("/page", PAGE)
    client = TestClient(create_app_with_token(tmp_path / "in.db"))
    auth = {"Authorization": "Bearer t0ken"}
    for target in (url, url.replace("127.0.0.1", "localhost"), f"http://2130706433:{http_server.port}/page"):
        r = client.post("/api/ingest", json={"url": target}, headers=auth)
        assert r.status_code == 200, r.text
        item = r.json()["item"]
        assert item["ingested"] == 0 and item["skipped_by_reason"] == {"private-address": 1}
    assert http_server.hits["/page"] == 0
    monkeypatch.setenv("STORYLINE_ALLOW_PRIVATE", "true")
    r = client.post("/api/ingest", json={"url": url}, headers=auth)
    assert r.json()["item"]["ingested"] == 1 and http_server.hits["/page"] == 1


def create_app_with_token(db: Path):
    from storyline.web import create_app

    return create_app(db, ingest_token="t0ken")


def test_a_run_over_a_store_keeps_the_refusal_on_record(tmp_db: Path, http_server) -> None:
    url = http_server.route("/page", PAGE)
    with Store(tmp_db) as store:
        report = engine_ingest([url, url.replace("127.0.0.1", "localhost")], store, ReadOptions(settings=settings()))
    assert [s.code for s in report.skipped] == ["private-address", "private-address"]
    assert report.exit_code == 1
