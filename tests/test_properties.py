"""Property-based tests (Hypothesis) for the readers, the limits and the debris filter: whatever the bytes, a
reader gives documents and skips and never raises; whatever the lines, the debris filter keeps or records each
one; the limits are idempotent and never change what is within them."""

from __future__ import annotations

import gzip
import ipaddress
import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.clean.debris import filter_text
from storyline.clean.hygiene import tidy
from storyline.errors import InputError
from storyline.ingest import ReadOptions, read_inputs
from storyline.ingest.addresses import refusal
from storyline.ingest.decode import decode_text
from storyline.ingest.limits import cap_attributes, load_json, scrub
from storyline.records import RawDocument, Skip
from storyline.settings import Settings

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                      HealthCheck.function_scoped_fixture])
READ = Settings(workers=1, allow_private=False, fetch_timeout=1)
SURROGATE = re.compile("[\ud800-\udfff]")

# -- readers ----------------------------------------------------------------------------------------

SNIPPETS = [b"<html>", b"<p>", b"</p>", b"{", b"}", b"[", b"]", b'"text": ', b'"title"', b"\n", b"\r\n",
            b"WARC/1.0\r\n",
            b"Content-Length: 5\r\n", b"<rss><channel><item>", b"</item>", b"&#xD800;", b"\\ud800", b"---\n",
            b"\x1f\x8b", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            b"<entry><content type=\"html\">", b"9" * 120, b"The mayor said on Monday that the bridge reopens. "]
hostile_bytes = st.one_of(st.binary(max_size=3000),
                          st.lists(st.sampled_from(SNIPPETS) | st.binary(max_size=20), max_size=60).map(b"".join))


def items_of(path: Path) -> list[RawDocument | Skip]:
    return list(read_inputs([str(path)], ReadOptions(settings=READ)))


def assert_well_formed(items: list[RawDocument | Skip]) -> None:
    assert items, "an input gave nothing at all"
    for item in items:
        assert isinstance(item, (RawDocument, Skip))
        if isinstance(item, Skip):
            assert item.code and item.reason and item.origin
        for value in (vars(item) if hasattr(item, "__dict__") else
                      {f: getattr(item, f) for f in item.__slots__}).values():
            assert not (isinstance(value, str) and SURROGATE.search(value)), value


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=hostile_bytes, suffix=st.sampled_from([".html", ".txt", ".md", ".json", ".jsonl", ".rss", ".xml", ".warc",
                                                   ".dat", ".jsonl.gz", ".html.gz", ".warc.gz"]))
def test_any_bytes_in_any_format_give_documents_or_skips(tmp_path_factory, data: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") and not data.startswith(b"\x1f\x8b") else data)
    assert_well_formed(items_of(path))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=80),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["text", "title", "url", "published", "source", "body", "x"]) | st.text(max_size=8),
        inner, max_size=5),
    max_leaves=30)
records = st.fixed_dictionaries({"text": st.text(max_size=300)}, optional={
    "title": json_values, "url": json_values, "published": json_values, "source": json_values}) | json_values


@FAST
@given(lines=st.lists(records, min_size=1, max_size=12), blank=st.booleans())
def test_every_json_line_comes_back_once_as_a_document_or_a_skip(tmp_path_factory, lines: list, blank: bool) -> None:
    path = tmp_path_factory.mktemp("jsonl") / "records.jsonl"
    text = "".join(json.dumps(v) + ("\n\n" if blank else "\n") for v in lines)
    path.write_text(text)
    items = items_of(path)
    assert_well_formed(items)
    origins = [i.origin for i in items]
    if len(lines) == 1 and text.startswith("["):  # one array is a JSON document: its records, or one skip
        assert origins == [str(path)] or (len(set(origins)) == len(origins)
                                          and all(o.startswith(f"{path}#[") for o in origins)), origins
        return
    wanted = [f"{path}#L{n}" for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    assert sorted(origins) == sorted(wanted)


@FAST
@given(data=st.binary(max_size=2000) | st.text(max_size=500).map(lambda t: t.encode("utf-16")))
def test_decoding_gives_text_or_an_input_error(data: bytes) -> None:
    try:
        text, encoding = decode_text(data, "x", html=True)
    except InputError:
        return
    assert isinstance(text, str) and encoding


@FAST
@given(value=json_values)
def test_json_within_the_limits_loads_as_json_does(value) -> None:
    source = json.dumps(value)
    try:
        loaded = load_json(source, Settings(), "x")
    except InputError as exc:
        assert exc.code in ("json-number", "json-depth")
        return
    assert json.dumps(loaded) == json.dumps(json.loads(source))


# -- limits -----------------------------------------------------------------------------------------

markup = st.lists(st.sampled_from(["<p", "<a", " x", ' y="1"', " z='2'", " w=v", "/", ">", "<", '"', "'", "=", "\n",
                                   "text ", "</p>", "<br/>"]), max_size=300).map("".join)


@FAST
@given(html=markup, limit=st.integers(min_value=1, max_value=8))
def test_capping_attributes_is_idempotent_and_never_grows(html: str, limit: int) -> None:
    once = cap_attributes(html, limit)
    assert cap_attributes(once, limit) == once
    assert len(once) <= len(html)
    assert cap_attributes(html, 10_000) is html


@FAST
@given(text=st.text(max_size=300))
def test_scrub_leaves_no_lone_surrogate_and_keeps_the_rest(text: str) -> None:
    clean = scrub(text) or ""
    assert not SURROGATE.search(clean) and len(clean) == len(text)
    assert scrub(clean) == clean
    if not SURROGATE.search(text):
        assert clean == text


@FAST
@given(ip=st.ip_addresses())
def test_only_global_addresses_are_allowed(ip) -> None:
    if refusal(ip) is None:
        assert ip.is_global and not ip.is_multicast
    for net in ("10.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "192.168.0.0/16", "::1/128", "fe80::/10"):
        if ip in ipaddress.ip_network(net):
            assert refusal(ip)


# -- the debris filter ------------------------------------------------------------------------------

DEBRIS = ["Share", "Share this article", "0:00", "25:44", "Podcasts", "Exit mobile version", "Source link",
          "Home › World › Europe", "HomeIndeks", "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron",
          "Related", "Most read", "We use cookies to improve your experience.", "24 Dec, 2024 15:04",
          "date 2024-12-10 The council met on Monday.", "# A heading", "Advertisement", "1. A listed headline",
          "Subscribe to our newsletter", "© 2024 Valley Courier. All rights reserved."]
PROSE = ["The river authority said on Wednesday that water levels had fallen.", "Farmers will be allowed back.",
         "\"We have done what we promised,\" the harbour master told reporters.", "and the rest of a wrapped line",
         "Path to Peace"]
text_lines = st.lists(st.sampled_from(DEBRIS) | st.sampled_from(PROSE) | st.text(max_size=60), max_size=40)
WORD = re.compile(r"\w+")


@settings(max_examples=150, deadline=None)
@given(lines=text_lines, title=st.none() | st.sampled_from(PROSE), crlf=st.booleans())
def test_the_debris_filter_keeps_or_records_every_line(lines: list[str], title: str | None, crlf: bool) -> None:
    text = ("\r\n" if crlf else "\n").join(lines)
    clean = filter_text(text, title=title, outlet="Valley Courier", domain="courier.example")
    kept = set(WORD.findall(clean.text))
    removed = set(WORD.findall(" ".join(r.text for r in clean.removed)))
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        missing = set(WORD.findall(line)) - kept - removed
        if missing:  # kept text is tidied (C1 controls read as windows-1252, mojibake repaired, NFC)
            missing = set(WORD.findall(tidy(line))) - kept - removed
        # Markdown emphasis is unwrapped ("_A_" is kept as "A")
        missing = {w for w in missing if w.strip("_") and w.strip("_") not in kept | removed}
        assert not missing, (line, missing)
    words = set(WORD.findall(text)) | set(WORD.findall(tidy(text)))
    for r in clean.removed:  # a removed line may be hard-wrapped lines joined (a headline over two lines, around
        assert r.rule and set(WORD.findall(r.text)) <= words   # a share button between them): its words are the input's


@settings(max_examples=150, deadline=None)
@given(lines=text_lines)
def test_the_debris_filter_blocks_cover_its_text(lines: list[str]) -> None:
    clean = filter_text("\n".join(lines))
    pos = 0
    for block in clean.blocks:
        assert pos <= block.start < block.end <= len(clean.text)
        assert clean.text[block.start:block.end].strip() == clean.text[block.start:block.end]
        pos = block.end
    assert "\n\n".join(clean.text[b.start:b.end] for b in clean.blocks) == clean.text
