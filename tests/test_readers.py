"""Readers: every input format becomes ``RawDocument`` records with the right fields."""

from __future__ import annotations

import gzip
import html
import io
import json
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.errors import UsageError
from storyline.ingest import ReadOptions, parse_field_overrides, read_inputs
from storyline.ingest.urls import Fetcher
from storyline.records import RawDocument, Skip
from storyline.settings import Settings

FAST = Settings(workers=1, fetch_delay=0)
#: The local test server stands in for the web; it listens on 127.0.0.1, which URL ingest refuses by default.
LOCAL = Settings(workers=1, fetch_delay=0, allow_private=True)

PLAIN = (
    "The river authority said on Wednesday that water levels had fallen back below the flood mark.\n"
    "Farmers in the lower valley will be allowed back onto their fields from Monday.\n"
)

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Ferry service resumes</title></head>
<body><article><h1>Ferry service resumes</h1>
<p>The island ferry sailed again on Friday after three days of storms kept every boat in the harbour.</p>
<p>The operator added two late sailings so that stranded passengers could get home before the weekend.</p>
</article></body></html>
"""

#: A feed item's full content: well over the 500 visible characters that make it "full text".
STORY = (
    "<p>The town council voted on Tuesday evening to rebuild the old stone library beside the river.</p>"
    "<p>Work on the roof is due to start in early spring, once the last of the winter floods has passed.</p>"
    "<p>Councillors argued for most of the evening about the cost, which has doubled since the first plan.</p>"
    "<p>A local builder said the walls were sound but the timber beams would all have to be replaced.</p>"
    "<p>Readers who used the library as children wrote dozens of letters asking for it to reopen soon.</p>"
    "<p>The council expects the building to open its doors again in the autumn of next year at the latest.</p>"
)


def read(*inputs: str | Path, settings: Settings = FAST, **options: object) -> list[RawDocument | Skip]:
    return list(read_inputs([str(i) for i in inputs], ReadOptions(settings=settings, **options)))  # type: ignore[arg-type]


def only_docs(items: list[RawDocument | Skip]) -> list[RawDocument]:
    skips = [i for i in items if isinstance(i, Skip)]
    assert not skips, skips
    return items  # type: ignore[return-value]


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# -- directories ------------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    # written out of order: the reader must sort, not rely on the file system's order
    for rel in ("sub/deeper/d.txt", "b.md", "sub/c.txt", "a.txt", "sub/e.html",
                ".hidden.txt", ".cache/f.txt", "sub/.secret/g.txt"):
        body = PAGE if rel.endswith(".html") else f"{rel}\n\n{PLAIN}"
        write(root / rel, body)
    return root


def rel_origins(items: list[RawDocument | Skip], root: Path) -> list[str]:
    return [Path(i.origin).relative_to(root).as_posix() for i in items]


def test_directory_is_read_recursively_sorted_and_without_hidden_entries(tree: Path) -> None:
    items = only_docs(read(tree))
    assert rel_origins(items, tree) == ["a.txt", "b.md", "sub/c.txt", "sub/e.html", "sub/deeper/d.txt"]
    assert [d.fmt for d in items] == ["text", "text", "text", "html", "text"]
    assert items[0].body.startswith("a.txt\n")


@pytest.mark.parametrize(("include", "exclude", "expected"), [
    (("*.txt",), (), ["a.txt", "sub/c.txt", "sub/deeper/d.txt"]),
    ((), ("sub/*",), ["a.txt", "b.md"]),
    (("*.txt",), ("sub/deeper/*",), ["a.txt", "sub/c.txt"]),
    (("sub/*.html", "b.md"), (), ["b.md", "sub/e.html"]),
    ((), ("*.txt", "*.html"), ["b.md"]),
])
def test_directory_include_and_exclude_globs(tree: Path, include: tuple[str, ...], exclude: tuple[str, ...],
                                             expected: list[str]) -> None:
    assert rel_origins(only_docs(read(tree, include=include, exclude=exclude)), tree) == expected


# -- HTML -------------------------------------------------------------------------------------------


def test_html_file_is_handed_over_whole(tmp_path: Path) -> None:
    path = write(tmp_path / "ferry.html", PAGE)
    [doc] = only_docs(read(path, outlet="Island Post"))
    assert doc == RawDocument(origin=str(path), body=PAGE, fmt="html", outlet="Island Post", raw_hash=doc.raw_hash)
    assert len(doc.raw_hash) == 32


def test_gzipped_html_reads_like_the_plain_file(tmp_path: Path) -> None:
    plain = write(tmp_path / "ferry.html", PAGE)
    packed = write(tmp_path / "ferry.html.gz", gzip.compress(PAGE.encode()))
    [a] = only_docs(read(plain))
    [b] = only_docs(read(packed))
    assert (b.body, b.fmt, b.origin) == (a.body, "html", str(packed))


def test_html_declared_charset_is_used(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="windows-1251"><title>Мост</title></head>'
            "<body><p>Городской совет утвердил план ремонта старого моста через реку.</p></body></html>")
    path = write(tmp_path / "most.htm", page.encode("cp1251"))
    [doc] = only_docs(read(path))
    assert doc.body == page


# -- text and Markdown -----------------------------------------------------------------------------


def test_markdown_front_matter_fills_metadata(tmp_path: Path) -> None:
    body = "# Flood waters recede\n\n" + PLAIN
    path = write(tmp_path / "flood.md", (
        "---\n"
        'title: "Flood waters recede"\n'
        "source: Valley Courier\n"
        "link: https://courier.example/flood\n"
        "date: 2024-03-14\n"
        "author: Mira Holt\n"
        "lang: en\n"
        "colour: blue\n"
        "---\n" + body
    ))
    [doc] = only_docs(read(path, outlet="Fallback Outlet"))
    assert (doc.title, doc.outlet, doc.url, doc.published, doc.date_source, doc.author, doc.language) == (
        "Flood waters recede", "Valley Courier", "https://courier.example/flood", "2024-03-14", "text-field",
        "Mira Holt", "en")
    assert (doc.body, doc.fmt) == (body, "text")


def test_text_without_front_matter_is_all_body(tmp_path: Path) -> None:
    text = "---not front matter\n" + PLAIN
    [doc] = only_docs(read(write(tmp_path / "note.txt", text), outlet="Fallback Outlet"))
    assert (doc.body, doc.fmt, doc.outlet) == (text, "text", "Fallback Outlet")
    assert (doc.title, doc.url, doc.published, doc.date_source) == (None, None, None, None)


# -- JSON and JSON Lines ---------------------------------------------------------------------------

#: One record per spelling of the common field names, and what the reader must make of it.
RECORDS = [
    ({"text": PLAIN, "title": "Levels fall", "url": "https://a.example/1", "published": "2024-03-14",
      "outlet": "River News"},
     {"body": PLAIN.strip(), "title": "Levels fall", "url": "https://a.example/1", "published": "2024-03-14",
      "outlet": "River News"}),
    ({"content": "Second story text that is long enough to keep.", "headline": "Second",
      "link": "https://b.example/2", "date": "2024-03-15", "source": "Bee Daily"},
     {"body": "Second story text that is long enough to keep.", "title": "Second", "url": "https://b.example/2",
      "published": "2024-03-15", "outlet": "Bee Daily"}),
    ({"body": "<p>Third story, as an HTML fragment.</p>", "pubDate": "Fri, 15 Mar 2024 09:00:00 GMT",
      "site": "Sea Times"},
     {"body": "<p>Third story, as an HTML fragment.</p>", "title": None, "url": None,
      "published": "Fri, 15 Mar 2024 09:00:00 GMT", "outlet": "Sea Times"}),
    ({"content_original": "Fourth story text without any metadata at all."},
     {"body": "Fourth story text without any metadata at all.", "title": None, "url": None, "published": None,
      "outlet": None}),
]


def fields_of(doc: RawDocument) -> dict[str, object]:
    return {"body": doc.body, "title": doc.title, "url": doc.url, "published": doc.published,
            "outlet": doc.outlet}


def test_json_array_with_common_field_names(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", json.dumps([r for r, _ in RECORDS], indent=2))
    docs = only_docs(read(path))
    assert [fields_of(d) for d in docs] == [e for _, e in RECORDS]
    assert [d.origin for d in docs] == [f"{path}#[{i}]" for i in range(4)]
    assert [d.fmt for d in docs] == ["text", "text", "fragment", "text"]
    assert [d.date_source for d in docs] == ["json-field", "json-field", "json-field", None]


@pytest.mark.parametrize("indent", [2, None], ids=["indented", "one-line"])
def test_json_object_with_articles_list(tmp_path: Path, indent: int | None) -> None:
    export = {"count": 2, "articles": [RECORDS[0][0], RECORDS[1][0]]}
    path = write(tmp_path / "export.json", json.dumps(export, indent=indent))
    docs = only_docs(read(path))
    assert [fields_of(d) for d in docs] == [RECORDS[0][1], RECORDS[1][1]]
    assert [d.origin for d in docs] == [f"{path}#[0]", f"{path}#[1]"]


@pytest.mark.parametrize("name", ["a.jsonl", "a.jsonl.gz", "a.ndjson", "lines.json"])
def test_json_lines_plain_and_gzipped(tmp_path: Path, name: str) -> None:
    lines = "\n".join([json.dumps(RECORDS[0][0]), "", json.dumps(RECORDS[1][0]), json.dumps(RECORDS[3][0])])
    data = lines.encode() + b"\n"
    path = write(tmp_path / name, gzip.compress(data) if name.endswith(".gz") else data)
    docs = only_docs(read(path))
    assert [fields_of(d) for d in docs] == [RECORDS[0][1], RECORDS[1][1], RECORDS[3][1]]
    assert [d.origin for d in docs] == [f"{path}#L1", f"{path}#L3", f"{path}#L4"]


def test_field_overrides_follow_dotted_paths(tmp_path: Path) -> None:
    record = {"data": {"body": PLAIN, "meta": {"headline": "Nested"}},
              "links": [{"href": "https://c.example/3"}], "text": "top-level text that must be ignored"}
    path = write(tmp_path / "nested.jsonl", json.dumps(record) + "\n")
    fields = parse_field_overrides(["text=data.body", "title = data.meta.headline", "url=links.0.href"])
    assert fields == {"text": "data.body", "title": "data.meta.headline", "url": "links.0.href"}
    [doc] = only_docs(read(path, fields=fields))
    assert (doc.body, doc.title, doc.url) == (PLAIN.strip(), "Nested", "https://c.example/3")


def test_field_override_replaces_the_default_names(tmp_path: Path) -> None:
    path = write(tmp_path / "flat.jsonl", json.dumps({"text": PLAIN}) + "\n")
    [item] = read(path, fields={"text": "data.body"})
    assert isinstance(item, Skip)
    assert (item.origin, item.code) == (f"{path}#L1", "no-text")
    assert "data.body" in item.reason


@pytest.mark.parametrize(("spec", "message"), [
    ("badspec", "NAME=PATH"),
    ("text=", "NAME=PATH"),
    ("colour=a.b", "unknown field 'colour'"),
])
def test_bad_field_override_is_a_usage_error(spec: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_field_overrides([spec])


# -- feeds ------------------------------------------------------------------------------------------

RSS_FULL = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Harbour Gazette - Local news</title>
  <link>https://gazette.example/</link>
  <item>
    <title>Library to be rebuilt</title>
    <link>https://gazette.example/library</link>
    <description>The council will rebuild the library.</description>
    <content:encoded><![CDATA[{STORY}]]></content:encoded>
    <pubDate>Tue, 10 Dec 2024 08:00:00 GMT</pubDate>
    <dc:creator>Mira Holt</dc:creator>
  </item>
</channel>
</rss>
"""

ATOM_FULL = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Valley Courier</title>
  <id>urn:test:courier</id>
  <updated>2024-12-10T09:00:00Z</updated>
  <entry>
    <title>Library to be rebuilt</title>
    <id>urn:test:courier:1</id>
    <link rel="alternate" href="https://courier.example/library"/>
    <published>2024-12-10T08:00:00Z</published>
    <updated>2024-12-10T09:00:00Z</updated>
    <author><name>Jon Pike</name></author>
    <summary>The council will rebuild the library.</summary>
    <content type="html">{html.escape(STORY)}</content>
  </entry>
</feed>
"""


def test_rss_item_with_full_content_encoded(tmp_path: Path) -> None:
    path = write(tmp_path / "gazette.rss", RSS_FULL)
    [doc] = only_docs(read(path))
    assert (doc.origin, doc.fmt, doc.url, doc.title, doc.outlet, doc.author) == (
        f"{path}#1", "fragment", "https://gazette.example/library", "Library to be rebuilt", "Harbour Gazette",
        "Mira Holt")
    assert (doc.published, doc.date_source) == ("Tue, 10 Dec 2024 08:00:00 GMT", "feed-field")
    assert "timber beams would all have to be replaced" in doc.body
    assert "autumn of next year" in doc.body


def test_atom_entry_with_full_content(tmp_path: Path) -> None:
    path = write(tmp_path / "courier.xml", ATOM_FULL)
    [doc] = only_docs(read(path))
    assert (doc.origin, doc.fmt, doc.url, doc.title, doc.outlet, doc.author) == (
        f"{path}#1", "fragment", "https://courier.example/library", "Library to be rebuilt", "Valley Courier",
        "Jon Pike")
    assert (doc.published, doc.date_source) == ("2024-12-10T08:00:00Z", "feed-field")
    assert "<p>Councillors argued" in doc.body


def test_feed_item_with_only_a_summary_fetches_its_link(tmp_path: Path, http_server) -> None:
    link = http_server.route("/ferry", PAGE)
    feed = f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Island Post</title>
  <item><title>Ferry back</title><link>{link}</link>
    <description>Boats sail again.</description><pubDate>Fri, 13 Dec 2024 07:30:00 GMT</pubDate></item>
</channel></rss>"""
    path = write(tmp_path / "post.rss", feed)
    [doc] = only_docs(read(path, settings=LOCAL))
    assert http_server.hits["/ferry"] == 1
    assert (doc.origin, doc.fmt, doc.url, doc.title, doc.outlet) == (
        f"{path}#1", "html", link, "Ferry back", "Island Post")
    assert (doc.published, doc.date_source) == ("Fri, 13 Dec 2024 07:30:00 GMT", "feed-field")
    assert doc.body == PAGE


# -- URLs -------------------------------------------------------------------------------------------


def test_url_serving_html_is_a_page(http_server) -> None:
    url = http_server.route("/page", PAGE)
    [doc] = only_docs(read(url, settings=LOCAL))
    assert (doc.origin, doc.url, doc.fmt, doc.body) == (url, url, "html", PAGE)


def test_url_serving_plain_text_is_text(http_server) -> None:
    url = http_server.route("/note", PLAIN, content_type="text/plain; charset=utf-8")
    [doc] = only_docs(read(url, settings=LOCAL))
    assert (doc.origin, doc.fmt, doc.body) == (url, "text", PLAIN)


def test_url_serving_json_gives_its_records(http_server) -> None:
    url = http_server.route("/api", json.dumps([RECORDS[0][0], RECORDS[1][0]]), content_type="application/json")
    docs = only_docs(read(url, settings=LOCAL))
    assert [d.origin for d in docs] == [f"{url}#[0]", f"{url}#[1]"]
    assert [fields_of(d) for d in docs] == [RECORDS[0][1], RECORDS[1][1]]


def test_url_serving_a_feed_gives_its_items(http_server) -> None:
    url = http_server.route("/feed", RSS_FULL, content_type="application/rss+xml")
    [doc] = only_docs(read(url, settings=LOCAL))
    assert (doc.origin, doc.fmt, doc.title) == (f"{url}#1", "fragment", "Library to be rebuilt")


def test_redirect_is_followed_to_the_final_url(http_server) -> None:
    final = http_server.route("/final", PAGE)
    start = http_server.route("/moved", status=301, headers={"Location": "/final"})
    [doc] = only_docs(read(start, settings=LOCAL))
    assert (doc.origin, doc.url) == (start, final)


def test_requests_to_one_host_are_spaced_by_the_delay(http_server) -> None:
    url = http_server.route("/page", PAGE)
    fetcher = Fetcher(Settings(fetch_delay=0.4, allow_private=True))
    try:
        started = time.monotonic()
        fetcher.get(url)
        fetcher.get(url)
        elapsed = time.monotonic() - started
    finally:
        fetcher.close()
    assert http_server.hits["/page"] == 2
    assert elapsed >= 0.4


# -- WARC -------------------------------------------------------------------------------------------


def page_html(n: int) -> bytes:
    return (f"<html><head><title>Page {n}</title></head><body><article><p>Report number {n}: the harbour "
            f"crane was repaired and loading resumed on the east quay this morning.</p></article></body></html>"
            ).encode()


def build_warc(gz: bool) -> bytes:
    """A small crawl: two HTML pages among records that are not articles."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "storyline-tests"}))
    responses = [
        ("http://quay.example/one", "200 OK", "text/html; charset=utf-8", page_html(1)),
        ("http://quay.example/robots.txt", "200 OK", "text/plain", b"User-agent: *\nDisallow:\n"),
        ("http://quay.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("http://quay.example/gone", "404 Not Found", "text/html", page_html(9)),
        ("http://quay.example/two", "200 OK", "text/html", page_html(2)),
    ]
    for uri, status, ctype, body in responses:
        writer.write_record(writer.create_warc_record(
            uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\nHost: quay.example\r\n\r\n")))
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
    writer.write_record(writer.create_warc_record(
        "http://quay.example/one", "metadata", payload=io.BytesIO(b"via: test\r\n"),
        warc_content_type="application/warc-fields"))
    return out.getvalue()


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_become_pages(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, build_warc(gz=name.endswith(".gz")))
    docs = only_docs(read(path, outlet="Quay News"))
    assert [(d.origin, d.url) for d in docs] == [
        (f"{path}#http://quay.example/one", "http://quay.example/one"),
        (f"{path}#http://quay.example/two", "http://quay.example/two"),
    ]
    assert [d.body for d in docs] == [page_html(1).decode(), page_html(2).decode()]
    assert {(d.fmt, d.outlet) for d in docs} == {("html", "Quay News")}


# -- standard input ---------------------------------------------------------------------------------


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch):
    def feed(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))
    return feed


def test_stdin_plain_text_with_front_matter(stdin) -> None:
    stdin(("---\ntitle: From a pipe\n---\n" + PLAIN).encode())
    [doc] = only_docs(read("-"))
    assert (doc.origin, doc.fmt, doc.title, doc.body) == ("<stdin>", "text", "From a pipe", PLAIN)


def test_stdin_json_lines(stdin) -> None:
    stdin((json.dumps(RECORDS[0][0]) + "\n" + json.dumps(RECORDS[1][0]) + "\n").encode())
    docs = only_docs(read("-"))
    assert [d.origin for d in docs] == ["<stdin>#L1", "<stdin>#L2"]
    assert [fields_of(d) for d in docs] == [RECORDS[0][1], RECORDS[1][1]]


def test_stdin_gzipped_html(stdin) -> None:
    stdin(gzip.compress(PAGE.encode()))
    [doc] = only_docs(read("-", outlet="Piped"))
    assert (doc.origin, doc.fmt, doc.body, doc.outlet) == ("<stdin>", "html", PAGE, "Piped")


def test_gzip_with_unknown_inner_name_is_sniffed_from_its_first_bytes(tmp_path: Path) -> None:
    import gzip as _gzip
    import json as _json

    from storyline.ingest import ReadOptions, read_inputs

    rows = [{"title": f"T{i}", "url": f"https://g.example/{i}",
             "text": f"Record {i}: the river rose again overnight, officials said, and {'more ' * 40}"}
            for i in range(200)]  # well over the 8 KB head, so the head alone is not a whole gzip stream
    path = tmp_path / "export.gz"
    path.write_bytes(_gzip.compress("\n".join(_json.dumps(r) for r in rows).encode()))
    items = list(read_inputs([str(path)], ReadOptions()))
    assert [type(i).__name__ for i in items] == ["RawDocument"] * 200
