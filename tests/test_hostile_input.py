"""Hostile input: nothing stops a run, nothing vanishes. One regression test per case of issue 17, the limits
wherever input expands, and the exit codes 0 / 1 / 2 / 3."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline import api
from storyline.cli import app
from storyline.engines.local import IngestReport
from storyline.ingest import ReadOptions, read_inputs
from storyline.ingest.limits import cap_attributes
from storyline.records import RawDocument, Skip
from storyline.settings import Settings
from storyline.store import Store

GOOD = ("The river authority said on Wednesday that water levels had fallen back below the flood mark. "
        "Farmers in the lower valley will be allowed back onto their fields from Monday.")
PARAS = "".join(f"<p>Paragraph {i}: the harbour crane was repaired and loading resumed on the east quay, the port "
                f"authority said on Tuesday after a week of delays.</p>" for i in range(5))


def ingest(db: Path, *inputs: str | Path, **kw: object) -> IngestReport:
    values = {"workers": 1, "fetch_delay": 0, "analyse": False, "stories": False, **kw}
    return api.ingest([str(i) for i in inputs], db=db, settings=Settings(**values))  # type: ignore[arg-type]


def read(*inputs: str | Path, **kw: object) -> list[RawDocument | Skip]:
    return list(read_inputs([str(i) for i in inputs], ReadOptions(settings=Settings(**kw))))  # type: ignore[arg-type]


def recorded(db: Path) -> set[tuple[str, str]]:
    with Store(db) as store:
        return {(e["origin"], e["code"]) for e in store.errors()}


def stored(db: Path) -> list[dict]:
    with Store(db) as store:
        return [a.to_json() for a in store.articles()]


def skips(report: IngestReport) -> list[tuple[str, str]]:
    return [(s.origin, s.code) for s in report.skipped]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD)
    return path


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def record(n: int, **extra: object) -> str:
    return json.dumps({"title": f"Notice {n}", "text": f"Notice {n}: the bridge on road {n} reopens after repairs "
                       f"to its {n * 3} damaged railings were finished this week.", **extra})


# -- one bad input stops nothing (issue: 76 of 1,527 fuzzed inputs aborted the run) ------------------


def test_a_json_integer_over_4300_digits_is_one_skipped_line(tmp_path: Path, tmp_db: Path, good: Path) -> None:
    path = write(tmp_path / "big.jsonl", "\n".join([record(1), '{"text": "x", "n": ' + "9" * 5000 + "}", record(3)]))
    report = ingest(tmp_db, path, good)
    assert report.new == 3
    assert skips(report) == [(f"{path}#L2", "json-number")]
    assert "number of 5,000 characters, over the 100-character cap" in report.skipped[0].reason
    assert recorded(tmp_db) == {(f"{path}#L2", "json-number")}
    doc = write(tmp_path / "big.json", '[{"text": "y", "n": ' + "1" * 101 + "}]")
    assert skips(ingest(tmp_db, doc)) == [(str(doc), "json-number")]


def test_json_nested_100000_deep_is_skipped(tmp_path: Path, tmp_db: Path, good: Path) -> None:
    deep = write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)
    lines = write(tmp_path / "deep.jsonl", record(1) + "\n" + '{"text": ' + "[" * 150 + "]" * 150 + "}\n")
    report = ingest(tmp_db, deep, lines, good)
    assert report.new == 2
    assert skips(report) == [(str(deep), "json-depth"), (f"{lines}#L2", "json-depth")]
    assert "setting max_json_depth" in report.skipped[0].reason


@pytest.mark.parametrize("ref", ["&#xD800;", "&#99999999999;", "&#x110000;", "&#0;", "&#55296;"])
def test_feed_character_references_to_no_character_do_not_stop_the_feed(tmp_path: Path, tmp_db: Path,
                                                                         ref: str) -> None:
    path = write(tmp_path / "feed.rss", f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Port News</title>
<item><title>Crane {ref} repaired</title><link>https://port.example/1</link>
<description><![CDATA[{PARAS}]]></description></item>
<item><title>Second item</title><link>https://port.example/2</link><description><![CDATA[{PARAS}
<p>Also {ref} here.</p>]]></description></item></channel></rss>""")
    report = ingest(tmp_db, path)
    assert (report.new, report.skipped) == (2, [])
    titles = sorted(a["title"] for a in stored(tmp_db))
    assert titles[0].startswith("Crane") and "\ud800" not in titles[0]


def test_a_lone_surrogate_in_a_json_field_reaches_the_store_as_a_replacement_character(tmp_path: Path,
                                                                                      tmp_db: Path) -> None:
    in_metadata = ('{"title": "Port \\ud800 reopens", "url": "https://port.example/story", '
                   '"source": "Port \\udbff News", "text": "' + GOOD + '"}')  # once failed in the store writer
    in_text = '{"title": "Second", "url": "https://port.example/\\udc00b", "text": "' + GOOD + ' \\ud83d"}'
    path = write(tmp_path / "lone.jsonl", "\n".join([in_metadata, in_text, record(3, url="https://port.example/3")]))
    report = ingest(tmp_db, path)
    assert (report.new, report.skipped) == (3, [])
    by_title = {a["title"]: a for a in stored(tmp_db)}
    assert by_title["Port \ufffd reopens"]["outlet"] == "Port \ufffd News"
    second = by_title["Second"]
    assert second["text"].endswith("\ufffd") and ("\ufffd" in second["url"] or "%EF%BF%BD" in second["url"])


def test_urls_with_ports_that_are_no_numbers_stop_nothing(tmp_path: Path, tmp_db: Path) -> None:
    """Found by the fuzz benchmark after merging learned boilerplate: the outlet look-up read the URL's port."""
    urls = ["https://courier.example:1:1/a", "https://courier.example:99999/b", "http://[::1]:x/c"]
    path = write(tmp_path / "ports.jsonl", "\n".join(record(n, url=u) for n, u in enumerate(urls, 1)) + "\n")
    report = ingest(tmp_db, path)
    assert report.failed is None
    assert report.new == 3 and report.exit_code == 0
    assert [a["url"] for a in stored(tmp_db)] == [None, None, None]  # no address: no URL


@pytest.mark.parametrize("sidecar", [
    b'{"title": "T", "n": ' + b"9" * 5000 + b"}",          # a number past the cap
    b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",  # nesting past the parser's depth
    b"\xff\xfe\x00garbage", b"[]", b'"just a string"',
])
def test_a_hostile_sidecar_leaves_its_article_read_without_it(tmp_path: Path, tmp_db: Path, sidecar: bytes) -> None:
    """Main's folder conventions: ``NAME.meta.json`` beside ``NAME.txt`` is metadata; a hostile one is ignored."""
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "story.txt", GOOD)
    write(folder / "story.meta.json", sidecar)
    report = ingest(tmp_db, folder)
    assert report.failed is None and report.new == 1 and report.exit_code == 0
    [article] = stored(tmp_db)
    assert article["title"] != "T" and "water levels" in article["text"]


def test_a_file_name_that_is_not_utf8_is_read_and_recorded(tmp_path: Path, tmp_db: Path) -> None:
    root = tmp_path / "names"
    root.mkdir()
    with open(os.path.join(os.fsencode(root), b"caf\xe9.txt"), "wb") as fh:
        fh.write(GOOD.encode())
    with open(os.path.join(os.fsencode(root), b"bad\xff.jsonl"), "wb") as fh:
        fh.write(b'{"title": "no text"}\n')
    report = ingest(tmp_db, root)
    assert report.new == 1
    assert [code for _, code in skips(report)] == ["no-text"]
    [(origin, _)] = recorded(tmp_db)
    assert origin == str(root / "bad\ufffd.jsonl") + "#L1"  # lone surrogates of the file name, replaced


def test_an_unforeseen_reader_error_is_that_input_s_internal_skip(tmp_path: Path, tmp_db: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault injection: the text reader's front-matter parser fails on one file; the others go in."""
    from storyline.ingest import text

    real = text.front_matter

    def fragile(body: str):
        if "EXPLODE" in body:
            raise ZeroDivisionError("division by zero")
        return real(body)

    monkeypatch.setattr(text, "front_matter", fragile)
    root = tmp_path / "mixed"
    root.mkdir()
    write(root / "a.txt", GOOD)
    write(root / "b.txt", "EXPLODE " + GOOD)
    write(root / "c.txt", GOOD.replace("river", "canal"))
    report = ingest(tmp_db, root)
    assert report.new == 2
    assert skips(report) == [(str(root / "b.txt"), "internal")]
    assert "internal error while reading: ZeroDivisionError: division by zero" in report.skipped[0].reason
    assert recorded(tmp_db) == {(str(root / "b.txt"), "internal")}
    assert report.exit_code == 1


def test_a_record_the_store_cannot_take_costs_that_record_only(tmp_path: Path, tmp_db: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault injection: writing one particular article fails; the batch falls back to one at a time."""
    real = Store.write_batch

    def picky(self: Store, items, skips=(), skip_hashes=None, **kwargs):
        items = list(items)
        if any("railings" in getattr(i, "article", i).text and "Notice 2" in getattr(i, "article", i).text
               for i in items):
            raise ValueError("cannot store this one")
        return real(self, items, skips, skip_hashes, **kwargs)

    monkeypatch.setattr(Store, "write_batch", picky)
    path = write(tmp_path / "n.jsonl", "\n".join(record(n) for n in range(1, 5)) + "\n")
    report = ingest(tmp_db, path)
    assert report.new == 3
    assert skips(report) == [(f"{path}#L2", "internal")]
    assert "internal error while storing: ValueError: cannot store this one" in report.skipped[0].reason
    assert recorded(tmp_db) == {(f"{path}#L2", "internal")}


# -- nothing vanishes unrecorded -------------------------------------------------------------------


def warc(*records: tuple[str, str, bytes], gz: bool = False) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for uri, rec_type, payload in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, rec_type, payload=io.BytesIO(payload),
                                                      http_headers=headers))
    return out.getvalue()


PAGE = f"<html><head><title>Quay</title></head><body><article>{PARAS}</article></body></html>".encode()


def test_warc_responses_to_non_http_urls_are_recorded(tmp_path: Path, tmp_db: Path) -> None:
    path = write(tmp_path / "crawl.warc", warc(("https://quay.example/1", "response", PAGE),
                                               ("ftp://quay.example/2", "response", PAGE),
                                               ("file:///etc/passwd", "response", PAGE),
                                               ("dns:quay.example", "response", b"quay.example. 300 IN A 1.2.3.4")))
    report = ingest(tmp_db, path)
    assert report.new == 1
    assert skips(report) == [(f"{path}#ftp://quay.example/2", "warc-uri"), (f"{path}#file:///etc/passwd", "warc-uri")]
    assert "not an http(s) URL" in report.skipped[0].reason


def test_a_warc_with_garbage_after_its_first_line_is_recorded(tmp_path: Path, tmp_db: Path, good: Path) -> None:
    path = write(tmp_path / "junk.warc", b"WARC/1.0\r\n" + b"\x01 not a header at all\r\n" * 40)
    report = ingest(tmp_db, path, good)
    assert report.new == 1 and skips(report) == [(str(path), "bad-warc")]
    assert recorded(tmp_db) == {(str(path), "bad-warc")}


def test_a_warc_without_html_responses_is_recorded(tmp_path: Path, tmp_db: Path) -> None:
    path = write(tmp_path / "requests.warc", warc(("https://quay.example/1", "request", b"")))
    assert skips(ingest(tmp_db, path)) == [(str(path), "no-documents")]


@pytest.mark.parametrize(("name", "data", "code"), [
    ("empty-list.jsonl", b"[]", "no-records"),
    ("empty-list.json", b"  []\n", "no-records"),
    ("empty-articles.json", b'{"articles": []}', "no-records"),
    ("blank.jsonl.gz", gzip.compress(b"\n" * 5000), "empty"),
    ("blank.jsonl", b"\n \n\t\n" * 100, "empty"),
], ids=lambda v: v if isinstance(v, str) and "." in v else "")
def test_inputs_holding_no_records_are_recorded(tmp_path: Path, tmp_db: Path, good: Path, name: str, data: bytes,
                                                code: str) -> None:
    path = write(tmp_path / name, data)
    report = ingest(tmp_db, path, good)
    assert report.new == 1 and skips(report) == [(str(path), code)]
    assert recorded(tmp_db) == {(str(path), code)}
    assert report.exit_code == 1


@pytest.mark.parametrize(("data", "codes"), [
    (b"[]", ["no-records"]),
    (b'{"text": "x", "n": ' + b"7" * 5000 + b"}", ["json-number"]),
    (b"[" * 100_000 + b"]" * 100_000, ["json-depth"]),
    (gzip.compress(b"\n" * 1000), ["empty"]),
    ("{}\n".encode() + b'{"text": "\\ud800 ' + GOOD.encode() + b'"}\n', ["no-text"]),
], ids=["empty-list", "big-number", "deep", "gzipped-blank-lines", "surrogate"])
def test_hostile_standard_input_is_recorded(tmp_db: Path, monkeypatch: pytest.MonkeyPatch, data: bytes,
                                            codes: list[str]) -> None:
    from types import SimpleNamespace

    monkeypatch.setattr("sys.stdin", SimpleNamespace(buffer=io.BytesIO(data)))
    report = ingest(tmp_db, "-")
    assert [code for _, code in skips(report)] == codes
    assert all(origin.startswith("<stdin>") for origin, _ in skips(report))


def test_a_fifo_in_a_directory_is_recorded_not_waited_on(tmp_path: Path, tmp_db: Path) -> None:
    root = tmp_path / "dir"
    root.mkdir()
    write(root / "a.txt", GOOD)
    os.mkfifo(root / "pipe")
    os.mkfifo(root / "pipe.html")
    os.symlink(root / "nowhere.txt", root / "dangling.txt")
    report = ingest(tmp_db, root)
    assert report.new == 1
    assert sorted(skips(report)) == [(str(root / "dangling.txt"), "not-found"), (str(root / "pipe"), "unsupported"),
                                     (str(root / "pipe.html"), "unsupported")]


def test_skips_past_the_cap_are_counted_in_one_record(tmp_path: Path, tmp_db: Path) -> None:
    path = write(tmp_path / "many.jsonl", "".join('{"title": "no text %d"}\n' % n for n in range(10)) + record(1))
    report = ingest(tmp_db, path, max_skips_per_input=3)
    assert report.new == 1
    assert skips(report) == [(f"{path}#L1", "no-text"), (f"{path}#L2", "no-text"), (f"{path}#L3", "no-text"),
                             (str(path), "more-skips")]
    assert "7 more records skipped (no-text 7)" in report.skipped[-1].reason


# -- limits wherever input expands -----------------------------------------------------------------


def test_gzip_expanding_past_the_cap_keeps_what_came_before(tmp_path: Path, tmp_db: Path) -> None:
    lines = "".join(record(n) + "\n" for n in range(20))
    path = write(tmp_path / "bomb.jsonl.gz", gzip.compress((lines + "a" * 3_000_000 + "\n").encode()))
    report = ingest(tmp_db, path, max_decompressed_bytes=1_000_000, max_input_bytes=200_000)
    assert report.new == 20
    assert skips(report) == [(str(path), "too-large")]
    assert "decompresses to more than 1,000,000 bytes" in report.skipped[0].reason


def test_a_gzipped_file_of_blank_lines_stops_at_the_line_cap(tmp_path: Path, tmp_db: Path) -> None:
    path = write(tmp_path / "blank.jsonl.gz", gzip.compress(b"\n" * 2_000_000 + record(1).encode()))
    report = ingest(tmp_db, path, max_lines=100_000)
    assert report.new == 0
    assert skips(report) == [(str(path), "too-many-lines")]
    assert "more than 100,000 lines" in report.skipped[0].reason


def test_a_warc_gz_expanding_past_the_cap_is_refused(tmp_path: Path, tmp_db: Path) -> None:
    path = write(tmp_path / "big.warc.gz", warc(*[(f"https://quay.example/{n}", "response", PAGE * 40)
                                                   for n in range(10)], gz=True))
    assert skips(ingest(tmp_db, path, max_decompressed_bytes=50_000)) == [(str(path), "too-large")]
    assert ingest(tmp_db, path).new == 10  # within the default cap: every page


def test_a_long_jsonl_line_is_passed_over_without_being_held(tmp_path: Path, tmp_db: Path) -> None:
    path = write(tmp_path / "long.jsonl", record(1) + "\n" + '{"text": "' + "x" * 300_000 + '"}\n' + record(3) + "\n")
    report = ingest(tmp_db, path, max_input_bytes=100_000)
    assert report.new == 2 and skips(report) == [(f"{path}#L2", "too-large")]


def test_50000_attributes_on_one_tag_are_cut_to_the_cap(tmp_path: Path, tmp_db: Path) -> None:
    attrs = " ".join(f'a{i}="v"' for i in range(50_000))
    page = (f"<html><head><title>Quay</title></head><body><article><p {attrs}>Opening words.</p>{PARAS}</article>"
            "</body></html>")
    [doc] = read(write(tmp_path / "attrs.html", page), max_attributes=100)
    assert isinstance(doc, RawDocument)
    tag = doc.body[doc.body.index("<p "):doc.body.index(">", doc.body.index("<p "))]
    assert tag.count('="v"') == 100 and 'a99="v"' in tag and 'a100="v"' not in tag
    report = ingest(tmp_db, tmp_path / "attrs.html")
    assert (report.new, report.skipped) == (1, [])
    assert "Opening words." in stored(tmp_db)[0]["text"]


@pytest.mark.parametrize("markup", [
    '<div class="a" id="b">x</div>',
    "<p " + " ".join(f"x{i}" for i in range(10)) + ">",
    '<img src="a>b" alt=\'c d\' data-x=1>',
    "no tags at all " * 50,
])
def test_tags_within_the_cap_are_left_exactly_as_they_were(markup: str) -> None:
    assert cap_attributes(markup, 10) is markup


@pytest.mark.parametrize(("markup", "kept"), [
    ("<p " + " ".join(f"a{i}" for i in range(30)) + ">x</p>", "<p a0 a1 a2>x</p>"),
    ("<p " + "\n".join(f'b{i}="1"' for i in range(30)) + "/>", '<p b0="1"\nb1="1"\nb2="1"/>'),
    ("<p " + " ".join(f"<c{i}" for i in range(30)) + ">x", "<p <c0 <c1 <c2>x"),
    ('<p a="x>y" ' + " ".join(f"d{i}" for i in range(30)) + ">x", '<p a="x>y" d0 d1>x'),
])
def test_tags_over_the_cap_keep_their_first_attributes(markup: str, kept: str) -> None:
    assert cap_attributes(markup, 3) == kept


def test_attributes_are_capped_in_feeds_before_feedparser_too(tmp_path: Path) -> None:
    attrs = " ".join(f'x{i}="1"' for i in range(20_000))
    path = write(tmp_path / "feed.xml", f"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Port News</title><entry><title>Crane</title><link {attrs} href="https://port.example/1"/>
<content type="html">{PARAS.replace("<", "&lt;").replace(">", "&gt;")}</content></entry></feed>""")
    [doc] = read(path, max_attributes=50)
    assert isinstance(doc, RawDocument) and "harbour crane" in doc.body


def test_a_page_of_20000_repeated_paragraphs_is_extracted_in_linear_time() -> None:
    """Found by fuzz_ingest after the merge (its input 3063: a page repeated to 2 MB, bidi controls inserted,
    gzipped): trafilatura's justext fallback is quadratic in such runs of paragraphs (18 s of CPU); pages past
    ``FALLBACK_MAX_TAGS`` go without the fallbacks."""
    import gzip
    import sys
    import time

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.fuzz_cases import case, with_base
    from storyline.clean.html import FALLBACK_MAX_TAGS, extract_page

    html = gzip.decompress(with_base(case(17, 3063).data, "http://127.0.0.1:1")).decode("utf-8", "replace")
    assert html.count("<") > FALLBACK_MAX_TAGS
    started = time.process_time()
    page = extract_page(html)
    assert time.process_time() - started < 6
    assert "harbour master told reporters" in page.text


def test_text_hygiene_is_linear_in_a_long_run_without_spaces() -> None:
    """Found by fuzz_ingest after the merge (its input 2899: a feed entry of 600,000 brackets and a bad byte):
    the mojibake repair's word pattern was retried from every position of the run (a minute of CPU)."""
    import time

    from storyline.clean.hygiene import tidy

    text = "caf\u00c3\u00a9 " + "[" * 600_000 + " \ufffd"
    started = time.process_time()
    out = tidy(text)
    assert time.process_time() - started < 2
    assert out.startswith("caf\u00e9 ") and len(out) == len(text) - 1


def test_xml_entity_bombs_and_external_entities_stay_harmless(tmp_path: Path, tmp_db: Path) -> None:
    secret = write(tmp_path / "secret.txt", "TOP-SECRET-LOCAL-FILE")
    levels = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    dtd = f'<!DOCTYPE r [<!ENTITY l0 "lol">{levels}<!ENTITY x SYSTEM "file://{secret}">]>'
    feed = write(tmp_path / "laughs.rss", f"""<?xml version="1.0"?>{dtd}<rss version="2.0"><channel>
<title>Port &l9; News</title><item><title>Crane &x; &l9;</title><link>https://port.example/1</link>
<description><![CDATA[{PARAS}]]></description></item></channel></rss>""")
    page = write(tmp_path / "laughs.html", f"<?xml version=\"1.0\"?>{dtd}<html><head><title>&l9;</title></head>"
                                           f"<body><article><p>&x; &l9;</p>{PARAS}</article></body></html>")
    report = ingest(tmp_db, feed, page)
    texts = " ".join(f"{a['title']} {a['outlet']} {a['text']}" for a in stored(tmp_db))
    assert "TOP-SECRET" not in texts and "lollollol" not in texts
    assert report.new + len(report.skipped) == 2


# -- exit codes and the terminal -------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("STORYLINE_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("STORYLINE_ANALYSE", "0")
    monkeypatch.setenv("STORYLINE_STORIES", "0")
    return lambda *args: CliRunner().invoke(app, ["ingest", *args, "--workers", "1", "--quiet"])


def test_exit_codes_tell_skips_from_usage_errors_from_failures(cli, tmp_path: Path, tmp_db: Path, good: Path) -> None:
    assert cli(str(good), "--db", str(tmp_db)).exit_code == 0
    bad = write(tmp_path / "bad.jsonl", b"[]")
    assert cli(str(good), str(bad), "--db", str(tmp_db)).exit_code == 1
    assert cli(str(good), "--db", str(tmp_db), "--field", "nonsense").exit_code == 2
    not_a_store = write(tmp_path / "store.db", b"this is not an SQLite database, it is plain text " * 100)
    failed = cli(str(good), "--db", str(not_a_store))
    assert failed.exit_code == 3, failed.output
    assert "error: cannot open store" in failed.output
    assert "Traceback" not in failed.output


def test_a_crash_is_exit_code_3_with_one_line(cli, tmp_db: Path, good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault injection: the store's duplicate look-up fails with an error nobody foresaw."""
    def broken(self: Store, hashes):
        raise RuntimeError("the look-up broke")

    monkeypatch.setattr(Store, "seen", broken)
    result = cli(str(good), "--db", str(tmp_db))
    assert result.exit_code == 3, result.output
    assert "error: the run failed: RuntimeError: the look-up broke" in result.output
    assert "Traceback" not in result.output


def test_terminal_escapes_in_skipped_origins_and_reasons_never_reach_the_terminal(cli, tmp_path: Path,
                                                                                tmp_db: Path) -> None:
    evil = write(tmp_path / "\x1b[31mred\x1b]0;title\x07.jsonl", '{"title": "\x1b[2J no text"}\n')
    url = "ftp://x.example/\x1b[2Jwipe\x9b31m"
    result = cli(str(evil), url, "--db", str(tmp_db))
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output and "\x9b" not in result.output
    assert "red" in result.output and "wipe" in result.output


def test_storyline_code_reads_hostile_lines_within_the_limits(tmp_path: Path) -> None:
    """``storyline code`` reads JSON Lines too: a huge number, deep nesting, lone surrogates and a run of
    punctuation are each one reported line (or coded as text), never a traceback; the good line is coded."""
    deep = "[" * 100_000 + "]" * 100_000
    src = write(tmp_path / "in.jsonl", "\n".join([
        '{"id": "big", "text": "x", "n": ' + "9" * 5000 + "}",
        '{"id": "deep", "text": "x", "n": ' + deep + "}",
        '{"id": "\\ud800", "text": "Poland urged Germany to \\udfff send more tanks."}',
        "[" * 5_000,
        '{"id": "ok", "text": "Turkey refused to meet the Greek delegation."}',
    ]) + "\n")
    result = CliRunner().invoke(app, ["code", str(src)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["\ufffd", 4, "ok"]
    assert rows[2]["events"][0]["event_type"] == "REJECT"
    assert "line 1" in result.stderr and "max_json_number_chars" in result.stderr
    assert "line 2" in result.stderr and "max_json_depth" in result.stderr


# -- every stage guarded ---------------------------------------------------------------------------


def test_a_batch_that_fails_as_a_whole_is_processed_one_document_at_a_time(tmp_path: Path, tmp_db: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault injection: the per-article function fails for any batch holding one poisoned document."""
    import storyline.engines.local as local

    real = local.process_batch

    def poisoned(batch, settings, learned=None):
        if any("Notice 3:" in d.body for d in batch):
            raise MemoryError("out of memory in a batch")
        return real(batch, settings, learned)

    monkeypatch.setattr(local, "process_batch", poisoned)
    path = write(tmp_path / "n.jsonl", "\n".join(record(n) for n in range(1, 6)) + "\n")
    report = ingest(tmp_db, path)
    assert report.new == 4
    assert skips(report) == [(f"{path}#L3", "internal")]
    assert "internal error while processing: MemoryError: out of memory in a batch" in report.skipped[0].reason
    assert report.exit_code == 1


def test_an_article_the_re_clean_pass_cannot_take_keeps_its_text_and_the_rest_are_cleaned(
        tmp_path: Path, tmp_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault injection into main's re-clean pass (learned boilerplate removed from articles stored before)."""
    import storyline.engines.local as local

    pitch = "Hear the Quay Notes podcast every Thursday wherever you listen"
    rows = [json.dumps({"url": f"https://quay.example/n-{n}", "outlet": "Quay News", "title": f"Notice {n}",
                        "text": f"Notice {n}: the bridge on road {n} reopens after repairs to its {n * 3} railings.\n"
                                f"Berth {n} takes cargo number {n * 13} this week, the port said.\n{pitch}"})
            for n in range(1, 7)]
    real = local.pipeline_reclean

    def picky(article, learned):
        if article.title == "Notice 2":
            raise RuntimeError("cannot re-clean this one")
        return real(article, learned)

    monkeypatch.setattr(local, "pipeline_reclean", picky)
    report = ingest(tmp_db, write(tmp_path / "q.jsonl", "\n".join(rows) + "\n"), batch_size=2)
    assert report.failed is None and report.exit_code == 0 and report.new == 6
    assert report.recleaned >= 3
    texts = {a["title"]: a["text"] for a in stored(tmp_db)}
    assert pitch in texts["Notice 2"]
    assert sum(pitch in t for t in texts.values()) == 1


def test_an_article_the_story_stage_cannot_place_is_set_aside_and_recorded(tmp_path: Path, tmp_db: Path) -> None:
    """The story stage takes its embedder as a parameter: this one fails on one article's text."""
    from storyline.engines.stories import update_stories
    from storyline.stories.embed import embed

    path = write(tmp_path / "n.jsonl", "\n".join(record(n) for n in range(1, 5)) + "\n")
    assert ingest(tmp_db, path).new == 4

    def fragile(texts: list[str]):
        if any("Notice 2:" in t for t in texts):
            raise ValueError("cannot embed this text")
        return embed(texts)

    with Store(tmp_db) as store:
        report = update_stories(store, Settings(story_batch_size=10), embedder=fragile)
        assert report.placed == 3
        assert store.conn.execute("SELECT COUNT(*) FROM story_queue").fetchone()[0] == 0
    assert recorded(tmp_db) == {(f"{path}#L2", "internal")}


def test_a_story_stage_that_fails_for_every_article_leaves_the_queue_alone(tmp_path: Path, tmp_db: Path) -> None:
    from storyline.engines.stories import update_stories

    path = write(tmp_path / "n.jsonl", "\n".join(record(n) for n in range(1, 4)) + "\n")
    ingest(tmp_db, path)

    def broken(texts: list[str]):
        raise RuntimeError("the model is missing")

    with Store(tmp_db) as store:
        with pytest.raises(RuntimeError, match="the model is missing"):
            update_stories(store, Settings(), embedder=broken)
        assert store.conn.execute("SELECT COUNT(*) FROM story_queue").fetchone()[0] == 3
    assert recorded(tmp_db) == set()


def test_a_server_that_drips_bytes_is_cut_off(tmp_db: Path) -> None:
    """Each read arrives within fetch_timeout, but the whole response may take three times that at most."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Drip(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"<p>drip</p>")
                    self.wfile.flush()
                    time.sleep(0.25)
            except OSError:
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/slow"
        report = ingest(tmp_db, url, allow_private=True, fetch_timeout=1.0)  # 40 drips would take 10 s
    finally:
        server.shutdown()
        server.server_close()
    assert skips(report) == [(url, "timeout")]
    assert "took longer than 3s (3 x setting fetch_timeout)" in report.skipped[0].reason
