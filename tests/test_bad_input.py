"""Bad input: every broken, hostile or unreachable input becomes one recorded ``Skip``; the rest go in."""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline import api
from storyline.cli import app
from storyline.engines.local import IngestReport
from storyline.records import Skip
from storyline.settings import Settings
from storyline.store import Store

GOOD = (
    "The river authority said on Wednesday that water levels had fallen back below the flood mark.\n"
    "Farmers in the lower valley will be allowed back onto their fields from Monday.\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """One well-formed article that goes in alongside every bad input."""
    path = tmp_path / "good.txt"
    path.write_text(GOOD)
    return path


def ingest(db: Path, *inputs: str | Path, **settings: object) -> IngestReport:
    values = {"workers": 1, "fetch_delay": 0, **settings}
    return api.ingest([str(i) for i in inputs], db=db, settings=Settings(**values))  # type: ignore[arg-type]


def the_skip(report: IngestReport) -> Skip:
    assert len(report.skipped) == 1, report.skipped
    return report.skipped[0]


def recorded(db: Path) -> set[tuple[str, str]]:
    with Store(db) as store:
        return {(e["origin"], e["code"]) for e in store.errors()}


def texts(db: Path) -> list[str]:
    with Store(db) as store:
        return [a.article.text for a in store.articles()]


def assert_skipped(db: Path, report: IngestReport, origin: str | Path, code: str, words: str) -> Skip:
    """Exactly one skip, with this origin, code and words in its reason; recorded; the good file went in."""
    skip = the_skip(report)
    assert (skip.origin, skip.code) == (str(origin), code)
    assert words in skip.reason
    assert recorded(db) == {(str(origin), code)}
    assert report.new == 1
    return skip


# -- files ------------------------------------------------------------------------------------------


#: File name, content, the skip's code, words its reason must hold, and what follows the path in its origin.
BAD_FILES = [
    ("picture.html", PNG, "binary", "is a PNG image, not text", ""),
    ("picture.dat", PNG, "binary", "is a PNG image, not text", ""),
    ("nul.txt", b"text\x00with\x00nul\x00bytes", "binary", "contains NUL bytes", ""),
    ("empty.html", b"", "empty", "is empty", ""),
    ("blank.txt", b" \n\t\n", "empty", "is empty", ""),
    ("empty.dat", b"", "empty", "is empty", ""),
    ("style.css", b"body { color: #333; margin: 0 auto; }\n", "unsupported", "unknown file type (.css)", ""),
    ("nav.html", b"<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav>"
                 b"<script>var n = 1;</script></body></html>", "no-text", "no article text found", ""),
    ("record.jsonl", b'{"title": "A headline only", "url": "https://a.example/x"}\n', "no-text",
     "looked for text, content, body", "#L1"),
    ("list.json", b"[7]", "bad-record", "is a JSON int, not an object", "#[0]"),
    ("not-a-feed.xml", b"<note><to>Ann</to><body>Call me</body></note>", "bad-feed", "feed has no items", ""),
    ("garbled.rss", b"this { is not xml <at all", "bad-feed", "not a readable RSS/Atom feed", ""),
    ("broken.json", b'{"text": "unterminated\n  "title": ', "bad-json", "not valid JSON", ""),
]


@pytest.mark.parametrize(("name", "data", "code", "words", "where"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_skipped_with_its_code(tmp_path: Path, tmp_db: Path, good: Path, name: str, data: bytes,
                                           code: str, words: str, where: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert_skipped(tmp_db, ingest(tmp_db, path, good), f"{path}{where}", code, words)


def test_directory_of_bad_files_still_ingests_the_good_ones(tmp_path: Path, tmp_db: Path) -> None:
    root = tmp_path / "mixed"
    root.mkdir()
    for name, data, *_ in BAD_FILES:
        (root / name).write_bytes(data)
    (root / "a-good.txt").write_text(GOOD)
    (root / "z-good.md").write_text("# Second\n\nThe ferry operator said on Friday that the late sailings "
                                    "would continue until the end of the month.\n")
    report = ingest(tmp_db, root)
    assert report.new == 2
    expected = {(f"{root / name}{where}", code) for name, _, code, _, where in BAD_FILES}
    assert {(s.origin, s.code) for s in report.skipped} == expected
    assert recorded(tmp_db) == expected


def test_huge_file_is_refused_by_its_size_without_being_read(tmp_path: Path, tmp_db: Path, good: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.write(b"A first line, then fifty megabytes of nothing.\n")
        fh.truncate(50_000_000)  # sparse: no 50 MB written to disk
    touched: list[str] = []

    def spy(real):
        def wrapper(self: Path, *args: object, **kwargs: object):
            touched.append(self.name)
            return real(self, *args, **kwargs)
        return wrapper

    monkeypatch.setattr(Path, "read_bytes", spy(Path.read_bytes))
    monkeypatch.setattr(Path, "open", spy(Path.open))
    report = ingest(tmp_db, path, good)
    assert_skipped(tmp_db, report, path, "too-large", "50,000,000 bytes, over the 20,000,000-byte cap")
    assert "huge.txt" not in touched


def test_latin1_text_decodes_as_latin1(tmp_path: Path, tmp_db: Path, good: Path) -> None:
    text = ("The small café déjà known for its pastries reopened on Monday after a long winter closure.\n"
            "Its owners said repairs to the roof had taken longer than planned because of the rain.\n")
    path = tmp_path / "cafe.txt"
    path.write_bytes(text.encode("latin-1"))
    report = ingest(tmp_db, path, good)
    assert (report.new, report.skipped) == (2, [])
    assert any("The small café déjà known for its pastries" in t for t in texts(tmp_db))


def test_cp1251_russian_text_decodes(tmp_path: Path, tmp_db: Path, good: Path) -> None:
    text = ("Городской совет утвердил новый план ремонта старого моста через реку.\n"
            "Работы начнутся весной и продлятся около двух лет, сообщили в администрации.\n")
    path = tmp_path / "most.txt"
    path.write_bytes(text.encode("cp1251"))
    report = ingest(tmp_db, path, good)
    assert (report.new, report.skipped) == (2, [])
    assert any("утвердил новый план ремонта старого моста" in t for t in texts(tmp_db))


def test_broken_html_still_gives_its_text(tmp_path: Path, tmp_db: Path, good: Path) -> None:
    path = tmp_path / "broken.html"
    path.write_text(
        "<html><head><title>Ferry back</title></head><body><div><p>The island ferry sailed again on Friday "
        "after storms kept every boat in the harbour.<p>The operator added two late sailings to clear the "
        "backlog <b>before the weekend")
    report = ingest(tmp_db, path, good)
    assert (report.new, report.skipped) == (2, [])
    [text] = [t for t in texts(tmp_db) if "ferry" in t]
    assert "storms kept every boat in the harbour." in text
    assert "clear the backlog before the weekend" in text


# -- streams cut short, and bad records among good ones ---------------------------------------------


def jsonl_lines(n: int) -> bytes:
    return b"".join(
        json.dumps({"title": f"Notice {i}", "text": f"Notice {i}: the bridge on road {i} reopens after "
                    f"repairs to its {i * 3} damaged railings were finished."}).encode() + b"\n"
        for i in range(n))


def test_truncated_gzip_keeps_the_lines_before_the_cut(tmp_path: Path, tmp_db: Path, good: Path) -> None:
    packed = gzip.compress(jsonl_lines(60))
    cut = packed[: len(packed) // 2]
    whole_lines = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(cut).count(b"\n")
    assert 0 < whole_lines < 60
    path = tmp_path / "notices.jsonl.gz"
    path.write_bytes(cut)
    report = ingest(tmp_db, path, good)
    skip = the_skip(report)
    assert (skip.origin, skip.code) == (str(path), "truncated")
    assert f"truncated or corrupt after line {whole_lines}" in skip.reason
    assert report.new == whole_lines + 1
    assert recorded(tmp_db) == {(str(path), "truncated")}


@pytest.mark.parametrize("data", [gzip.compress(jsonl_lines(5))[:12], b"\x1f\x8b\x08\x00 not really gzip"],
                         ids=["cut-in-header", "corrupt"])
def test_gzip_broken_at_the_start_is_skipped(tmp_path: Path, tmp_db: Path, good: Path, data: bytes) -> None:
    path = tmp_path / "notices.jsonl.gz"
    path.write_bytes(data)
    assert_skipped(tmp_db, ingest(tmp_db, path, good), path, "bad-gzip", "is not readable gzip")


def test_invalid_json_lines_are_skipped_one_by_one(tmp_path: Path, tmp_db: Path) -> None:
    lines = jsonl_lines(3).split(b"\n")
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join([lines[0], b"{not json", lines[1], b'{"text": "cut off', lines[2]]) + b"\n")
    report = ingest(tmp_db, path)
    assert report.new == 3
    assert [(s.origin, s.code) for s in report.skipped] == [(f"{path}#L2", "bad-json"), (f"{path}#L4", "bad-json")]
    assert "line 2 of" in report.skipped[0].reason and "is not valid JSON" in report.skipped[0].reason
    assert recorded(tmp_db) == {(f"{path}#L2", "bad-json"), (f"{path}#L4", "bad-json")}


def page(n: int) -> bytes:
    return (f"<html><head><title>Page {n}</title></head><body><article><p>Report number {n}: the harbour crane "
            f"was repaired and loading resumed on the east quay this morning.</p></article></body></html>").encode()


def warc_gz(pages: int, gz: bool = True) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for n in range(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://quay.example/{n}", "response",
                                                      payload=io.BytesIO(page(n)), http_headers=headers))
    return out.getvalue()


def test_warc_that_is_not_an_archive_is_skipped(tmp_path: Path, tmp_db: Path, good: Path) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(b"<html><body><p>Not an archive</p></body></html>\n")
    assert_skipped(tmp_db, ingest(tmp_db, path, good), path, "bad-warc", "is not a WARC file")


def whole_members(data: bytes) -> int:
    """How many gzip members of ``data`` are complete (a WARC.gz holds one record per member)."""
    count = 0
    while data:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        d.decompress(data)
        if not d.eof:
            break
        count, data = count + 1, d.unused_data
    return count


def test_truncated_warc_gz_keeps_pages_before_the_cut_and_records_it(tmp_path: Path, tmp_db: Path,
                                                                    good: Path) -> None:
    data = warc_gz(4)
    cut = data[: len(data) * 5 // 8]
    pages_before_cut = whole_members(cut)
    assert 0 < pages_before_cut < 4
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(cut)
    report = ingest(tmp_db, path, good)
    assert report.new == pages_before_cut + 1
    assert [(s.origin, s.code) for s in report.skipped] == [(str(path), "truncated")]
    assert "truncated" in report.skipped[0].reason
    assert recorded(tmp_db) == {(str(path), "truncated")}


def test_warc_gz_cut_before_a_target_uri_is_recorded(tmp_path: Path, tmp_db: Path, good: Path) -> None:
    data = warc_gz(4)
    rest = data
    for _ in range(2):  # skip two whole members (one record each)
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        d.decompress(rest)
        rest = d.unused_data
    third = len(data) - len(rest)

    def shown(cut: int) -> bytes:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[third:cut])

    cut = next(c for c in range(third, len(data))
               if b"WARC-Type: response" in shown(c) and b"Target-URI" not in shown(c))
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data[:cut])
    report = ingest(tmp_db, path, good)
    assert report.new == 3
    assert [(s.origin, s.code) for s in report.skipped] == [(str(path), "truncated")]


@pytest.mark.parametrize(("marker", "offset"), [
    pytest.param(b"Report number", 20, id="in-the-page"),
    pytest.param(b"HTTP/1.1 200", 10, id="in-http-headers"),
    pytest.param(b"WARC-Date", 5, id="in-warc-headers"),
    pytest.param(b"WARC-Record-ID", 5, id="before-target-uri"),
])
def test_truncated_plain_warc_keeps_pages_before_the_cut_and_records_it(tmp_path: Path, tmp_db: Path,
                                                                       good: Path, marker: bytes,
                                                                       offset: int) -> None:
    data = warc_gz(4, gz=False)
    third = data.find(b"WARC/1.0\r\n", data.find(b"WARC/1.0\r\n", 1) + 1)
    path = tmp_path / "crawl.warc"
    path.write_bytes(data[: data.find(marker, third) + offset])  # two whole records, then part of the third
    report = ingest(tmp_db, path, good)
    assert report.new == 3
    assert [(s.origin, s.code) for s in report.skipped] == [(str(path), "truncated")]
    assert recorded(tmp_db) == {(str(path), "truncated")}


def test_text_file_named_warc_is_skipped(tmp_path: Path, tmp_db: Path, good: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("these are notes, not a web archive\n")  # warcio alone takes this for an ARC record
    assert_skipped(tmp_db, ingest(tmp_db, path, good), path, "bad-warc", "not a WARC file")


# -- feeds ------------------------------------------------------------------------------------------

FULL = "".join(f"<p>Paragraph {i}: the new tram line will link the station with the hospital and the "
               f"university campus by the end of the year, the city said.</p>" for i in range(5))


def test_broken_feed_items_are_skipped_and_good_items_kept(tmp_path: Path, tmp_db: Path, http_server) -> None:
    dead = http_server.url("/removed-story")
    path = tmp_path / "city.rss"
    path.write_text(f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>City Desk</title>
  <item><title>Teaser without a link</title><description>Read all about it.</description></item>
  <item><title>Link that is gone</title><link>{dead}</link><description>Short.</description></item>
  <item><title>Tram line</title><link>https://city.example/tram</link>
    <description><![CDATA[{FULL}]]></description></item>
  <item><title>Other scheme</title><link>ftp://city.example/story</link><description>Short.</description></item>
</channel></rss>""")
    report = ingest(tmp_db, path, allow_private=True)
    assert report.new == 1
    assert [(s.origin, s.code) for s in report.skipped] == [
        (f"{path}#1", "feed-item"), (dead, "http-404"), ("ftp://city.example/story", "scheme")]
    assert "no full text and no link" in report.skipped[0].reason
    assert http_server.hits["/removed-story"] == 1
    assert recorded(tmp_db) == {(s.origin, s.code) for s in report.skipped}


# -- paths and URLs ---------------------------------------------------------------------------------


def test_missing_path_is_skipped(tmp_path: Path, tmp_db: Path, good: Path) -> None:
    missing = tmp_path / "nowhere" / "story.html"
    assert_skipped(tmp_db, ingest(tmp_db, missing, good), missing, "not-found", "no such file or directory")


@pytest.mark.parametrize("url", ["ftp://files.example/story.html", "file:///etc/hostname", "FILE:///etc/passwd"])
def test_url_scheme_other_than_http_is_refused(tmp_db: Path, good: Path, url: str) -> None:
    assert_skipped(tmp_db, ingest(tmp_db, url, good), url, "scheme", "only http and https URLs are fetched")


def test_url_that_is_not_found(tmp_db: Path, good: Path, http_server) -> None:
    url = http_server.url("/no-such-page")
    assert_skipped(tmp_db, ingest(tmp_db, url, good, allow_private=True), url, "http-404", "HTTP 404")


def test_url_that_times_out(tmp_db: Path, good: Path, http_server) -> None:
    url = http_server.route("/slow", "<html><body><p>too late</p></body></html>", delay=2.0)
    report = ingest(tmp_db, url, good, fetch_timeout=0.5, allow_private=True)
    assert_skipped(tmp_db, report, url, "timeout", "timed out after 0.5s")


def test_url_that_redirects_forever_stops_at_the_limit(tmp_db: Path, good: Path, http_server) -> None:
    url = http_server.route("/loop", status=302, headers={"Location": "/loop"})
    report = ingest(tmp_db, url, good, fetch_max_redirects=3, allow_private=True)
    assert_skipped(tmp_db, report, url, "redirects", "more than 3 redirects")
    assert http_server.hits["/loop"] == 4


def test_redirect_to_another_scheme_is_refused(tmp_db: Path, good: Path, http_server) -> None:
    url = http_server.route("/sneaky", status=302, headers={"Location": "file:///etc/passwd"})
    report = ingest(tmp_db, url, good, allow_private=True)
    assert_skipped(tmp_db, report, url, "scheme", "only http and https URLs are fetched, not file scheme")


@pytest.mark.parametrize("send_length", [True, False], ids=["declared", "streamed"])
def test_url_body_over_the_cap_is_refused(tmp_db: Path, good: Path, http_server, send_length: bool) -> None:
    body = b"<html><body>" + b"<p>word word word word</p>" * 4000 + b"</body></html>"
    url = http_server.route("/big", body, send_length=send_length)
    report = ingest(tmp_db, url, good, fetch_max_bytes=20_000, allow_private=True)
    assert_skipped(tmp_db, report, url, "too-large", "20,000-byte cap")


# -- exit codes through the CLI --------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run ``storyline`` with no config file and no STORYLINE_* variables in play."""
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("STORYLINE_")]:
        monkeypatch.delenv(name)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, ["ingest", *args, "--workers", "1", "--quiet"])
    return run


def test_cli_exits_0_when_everything_went_in(cli, tmp_db: Path, good: Path) -> None:
    result = cli(str(good), "--db", str(tmp_db))
    assert result.exit_code == 0, result.output
    assert "ingested 1 " in result.output


def test_cli_exits_1_when_some_inputs_failed(cli, tmp_path: Path, tmp_db: Path, good: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = cli(str(good), str(missing), "--db", str(tmp_db))
    assert result.exit_code == 1, result.output
    assert f"{missing}: {missing}: no such file or directory" in result.output
    assert recorded(tmp_db) == {(str(missing), "not-found")}


def test_cli_exits_2_on_a_bad_field_spec(cli, tmp_db: Path, good: Path) -> None:
    result = cli(str(good), "--db", str(tmp_db), "--field", "badspec")
    assert result.exit_code == 2, result.output
    assert "error: --field takes NAME=PATH" in result.output
    assert not tmp_db.exists()


def test_cli_exits_2_without_inputs(cli, tmp_db: Path) -> None:
    result = cli("--db", str(tmp_db))
    assert result.exit_code == 2, result.output
