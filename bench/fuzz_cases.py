"""Malformed inputs for the ingest fuzz benchmark (``bench/fuzz_ingest.py``) and its smoke test.

``case(seed, i)`` builds input number ``i`` deterministically: a well-formed seed document of one format
(HTML page, JSON / JSON Lines, text / Markdown with front matter, RSS / Atom, WARC), written for this
benchmark, then damaged by one to three mutations (cuts, byte flips, splices, repeats, hostile payloads:
huge numbers, deep nesting, lone surrogates, broken character references, thousands of attributes,
entity bombs, terminal escapes, control characters...), re-encoded (UTF-16, Latin-1, CP1251, Shift-JIS,
broken UTF-8) and maybe gzipped (cut, bombed, several members), then delivered as a file, a directory,
standard input or a URL on a local server (with random content types, statuses and redirects, or refused
as a private address). ``check(...)`` says whether an ingest report accounted for everything.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable

SENTENCES = [
    "The river authority said on Wednesday that water levels had fallen back below the flood mark.",
    "Farmers in the lower valley will be allowed back onto their fields from Monday, officials said.",
    "\"We have done what we promised,\" the harbour master told reporters at the east quay.",
    "The city council approved the new tram line after a two-hour debate on Thursday evening.",
    "According to the ministry, 1,200 households are still without power in the northern districts.",
    "The ferry operator said late sailings would continue until the end of the month.",
    "Union leaders rejected the offer and called for talks with the transport minister.",
    "Repairs to the old bridge will take about two years and cost 14 million euros, the mayor said.",
]
WORDS = "storm bridge council ferry union minister harbour river valley tram power talks offer".split()
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "cp1251", "koi8_r",
             "shift_jis", "gb18030", "big5", "utf-32"]
CONTENT_TYPES = ["text/html; charset=utf-8", "text/html", "application/json", "application/x-ndjson",
                 "application/rss+xml", "application/atom+xml", "application/xml", "text/plain; charset=utf-8",
                 "text/plain", "application/octet-stream", "", "image/png", "text/html; charset=bogus-enc"]


@dataclass
class Case:
    """One fuzzed input and how it is delivered."""

    index: int
    family: str
    mutations: list[str]
    delivery: str  # file | dir | stdin | url | url-refused
    name: str
    data: bytes
    content_type: str = ""
    #: Extra files of a directory delivery: relative path (bytes, maybe not UTF-8) -> content.
    files: dict[bytes, bytes] = field(default_factory=dict)
    #: Pages served at /p/<k> for feed links and redirects: path -> (status, content type, body, headers).
    routes: dict[str, tuple[int, str, bytes, dict[str, str]]] = field(default_factory=dict)
    allow_private: bool = True
    #: JSON Lines only: how many non-blank lines it holds (each must come back as a document or a skip).
    lines: int | None = None
    #: Special entries a directory holds (fifo, symlink loop, dangling link).
    specials: list[str] = field(default_factory=list)


# -- seeds (well-formed documents) ----------------------------------------------------------------------


def _text(rng: random.Random, n: int | None = None) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(n or rng.randint(2, 8)))


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 7))).capitalize()


def _date(rng: random.Random) -> str:
    return rng.choice(["2024-12-10", "2023-06-01T08:00:00Z", "Fri, 13 Dec 2024 07:30:00 GMT", "10 December 2024",
                       "9999-12-31", "0001-01-01", "2024-02-30", "yesterday", "", "1e9", "+275760-09-13"])


def seed_html(rng: random.Random) -> str:
    paras = "".join(f"<p>{_text(rng)}</p>" for _ in range(rng.randint(1, 6)))
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{_title(rng)}</title>"
            f"<meta property=\"og:site_name\" content=\"Valley Courier\">"
            f"<meta property=\"article:published_time\" content=\"{_date(rng)}\"></head>"
            f"<body><nav><a href=\"/\">Home</a></nav><article><h1>{_title(rng)}</h1>{paras}</article>"
            f"<footer>Share this story</footer></body></html>")


def _record(rng: random.Random) -> dict[str, Any]:
    rec: dict[str, Any] = {"title": _title(rng), "text": _text(rng)}
    if rng.random() < 0.7:
        rec["url"] = f"https://courier.example/{rng.randint(1, 10**6)}"
    if rng.random() < 0.7:
        rec["published"] = _date(rng)
    if rng.random() < 0.5:
        rec["source"] = rng.choice(["Valley Courier", "Harbour Gazette", "", "x" * 300])
    if rng.random() < 0.2:
        rec["text"] = "".join(f"<p>{_text(rng, 2)}</p>" for _ in range(3))
    return rec


def seed_json(rng: random.Random) -> str:
    records = [_record(rng) for _ in range(rng.randint(1, 5))]
    shape = rng.random()
    if shape < 0.4:
        return json.dumps(records)
    if shape < 0.7:
        return json.dumps({"articles": records}, indent=rng.choice([None, 2]))
    return json.dumps(records[0])


def seed_jsonl(rng: random.Random) -> str:
    return "".join(json.dumps(_record(rng)) + "\n" for _ in range(rng.randint(1, 8)))


def seed_text(rng: random.Random) -> str:
    body = "\n\n".join(_text(rng) for _ in range(rng.randint(1, 5)))
    if rng.random() < 0.6:
        return f"---\ntitle: {_title(rng)}\noutlet: Valley Courier\npublished: {_date(rng)}\n---\n{body}\n"
    return body + "\n"


def seed_markdown(rng: random.Random) -> str:
    return f"# {_title(rng)}\n\n" + "\n\n".join(_text(rng) for _ in range(rng.randint(1, 4))) + "\n\nShare\n0:00\n"


def _item(rng: random.Random, full: bool) -> str:
    body = "".join(f"<p>{_text(rng)}</p>" for _ in range(4)) if full else _text(rng, 1)
    link = f"{{BASE}}/p/{rng.randint(0, 3)}" if rng.random() < 0.7 else rng.choice(
        ["https://courier.example/a", "javascript:alert(1)", "ftp://x.example/y", "http://[::1", "http://0/",
         "file:///etc/passwd", ""])
    return (f"<item><title>{_title(rng)}</title><link>{link}</link><pubDate>{_date(rng)}</pubDate>"
            f"<description><![CDATA[{body}]]></description></item>")


def seed_rss(rng: random.Random) -> str:
    items = "".join(_item(rng, rng.random() < 0.6) for _ in range(rng.randint(1, 6)))
    return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Valley Courier - "
            f"News</title>{items}</channel></rss>")


def seed_atom(rng: random.Random) -> str:
    entries = "".join(
        f"<entry><title>{_title(rng)}</title><link href=\"{{BASE}}/p/{rng.randint(0, 3)}\"/><updated>{_date(rng)}"
        f"</updated><content type=\"html\">{''.join('&lt;p&gt;' + _text(rng) + '&lt;/p&gt;' for _ in range(3))}"
        f"</content></entry>" for _ in range(rng.randint(1, 4)))
    return (f"<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Harbour Gazette</title>"
            f"{entries}</feed>")


def seed_warc(rng: random.Random, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for n in range(rng.randint(1, 4)):
        uri = rng.choice([f"https://courier.example/{n}", f"http://courier.example/{n}", "dns:courier.example",
                          f"ftp://courier.example/{n}", "", f"urn:x:{n}"]) if rng.random() < 0.25 else \
            f"https://courier.example/{n}"
        kind = rng.choice(["response"] * 6 + ["request", "metadata", "resource", "revisit"])
        ctype = rng.choice(["text/html; charset=utf-8"] * 5 + ["image/png", "text/plain", ""])
        status = rng.choice(["200 OK"] * 6 + ["404 Not Found", "301 Moved", "999 Odd"])
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        payload = seed_html(rng).encode()
        try:
            record = writer.create_warc_record(uri or "https://courier.example/", kind, payload=io.BytesIO(payload),
                                               http_headers=headers if kind in ("response", "request", "revisit")
                                               else None)
            writer.write_record(record)
        except Exception:  # warcio refuses some combinations: leave the record out
            continue
    return out.getvalue()


SEEDS: dict[str, tuple[str, Callable[[random.Random], str]]] = {
    "html": (".html", seed_html), "json": (".json", seed_json), "jsonl": (".jsonl", seed_jsonl),
    "text": (".txt", seed_text), "markdown": (".md", seed_markdown), "rss": (".rss", seed_rss),
    "atom": (".xml", seed_atom),
}

# -- hostile payloads -------------------------------------------------------------------------------------


def _deep_json(rng: random.Random) -> bytes:
    d = rng.choice([101, 500, 2000, 100_000])
    if rng.random() < 0.5:
        return b"[" * d + b"]" * d
    return b'{"text": ' + b'{"a":' * d + b"1" + b"}" * d + b"}"


def _deep_html(rng: random.Random) -> bytes:
    d = rng.choice([300, 3000, 50_000])
    tag = rng.choice([b"div", b"span", b"b", b"table"])
    return b"<" + tag + b">" * 0 + (b"<" + tag + b">") * d + b"deep" + (b"</" + tag + b">") * rng.choice([0, d])


def _attrs(rng: random.Random) -> bytes:
    n = rng.choice([200, 5_000, 30_000, 60_000])
    sep = rng.choice([" ", "\n", "/", " <"])
    style = rng.random()
    if style < 0.4:
        body = sep.join(f"a{i}=\"v\"" for i in range(n))
    elif style < 0.7:
        body = sep.join("dup=1" for _ in range(n))
    else:
        body = sep.join(f"x{i}" for i in range(n))
    return f"<p {body}>{SENTENCES[0]}</p>".encode()


def _laughs(rng: random.Random) -> bytes:
    levels = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{levels}'
            f'<!ENTITY x SYSTEM "file:///etc/passwd">]>').encode() + rng.choice([b"&l9;", b"&x;", b"&l9;&x;"])


HOSTILE: dict[str, Callable[[random.Random], bytes]] = {
    "big-int": lambda r: (b'{"text": "' + SENTENCES[0].encode() + b'", "n": ' + b"9" * r.choice([101, 4301, 50_000])
                          + b"}"),
    "big-float": lambda r: b'{"text": "' + SENTENCES[1].encode() + b'", "x": 1' + b"0" * 5000 + b".5e99999}",
    "deep-json": _deep_json,
    "deep-html": _deep_html,
    "attributes": _attrs,
    "surrogate-escape": lambda r: r.choice([b'"\\ud800"', b'"\\udfff x"', b'"\\ude00\\ud83d"', b"\\ud83d",
                                            b'{"text": "' + SENTENCES[2].replace('"', "").encode() + b' \\udc00",'
                                            b' "url": "https://a.example/\\ud800", "title": "\\udbff"}']),
    "charref": lambda r: r.choice([b"&#xD800;", b"&#99999999999;", b"&#0;", b"&#x110000;", b"&#xDFFF",
                                   b"&#1114112;", b"&#x" + b"f" * 50 + b";", b"&#55296;"]),
    "entity-bomb": _laughs,
    "ansi": lambda r: r.choice([b"\x1b[31mred\x1b[0m", b"\x1b]0;title\x07", b"\x1b[2J\x1b[H", b"\x9b31m",
                                b"\r\x1b[Kerased", b"\x07\x08\x7f"]),
    "control": lambda r: bytes(r.randrange(0, 32) for _ in range(r.randint(1, 40))),
    "nul": lambda r: b"\x00" * r.randint(1, 10),
    "bidi": lambda r: "\u202e\u2066\u200b\ufeff\u2028\u2029".encode(),
    "bad-utf8": lambda r: r.choice([b"\xff\xfe\xfd", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80\x80",
                                    b"\xe2\x82"]),
    "bom-middle": lambda r: r.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]),
    "long-line": lambda r: r.choice([b"a", b"word ", b"\xc3\xa9"]) * r.choice([100_000, 1_500_000]),
    "json-odd": lambda r: r.choice([b"[]", b"{}", b"null", b"1", b'"s"', b"[1, 2]", b'{"articles": []}',
                                    b'{"articles": {}}', b'{"text": 5}', b'{"text": null}', b'{"text": ["a", ["b"]]}',
                                    b'{"text": {"value": {"value": 1}}}', b"NaN", b"[Infinity]", b'{"a":1,"a":2}',
                                    b'{"text": "' + b"\\n" * 50_000 + b'"}', b"\n\n\n", b"[" + b"{}," * 3000 + b"{}]"]),
    "markup-odd": lambda r: r.choice([b"<!--", b"<script>", b"<![CDATA[", b"]]>", b"<?xml", b"<!DOCTYPE x [",
                                      b"</html></html>", b"<meta charset=\"utf-7\">", b"<meta charset=\"x-bogus\">",
                                      b"<base href=\"javascript:alert(1)\">", b"<svg><script>1</script></svg>",
                                      b"<title>" + b"T" * 300_000 + b"</title>", b"&nbsp;" * 20_000,
                                      b"<p>" * 20_000, b"<" * 5000, b"<a " * 5000 + b">"]),
    "url-odd": lambda r: r.choice([b"javascript:alert(1)", b"http://[::1", b"http://%00/", b"http://a" * 2000,
                                   b"file:///etc/passwd", b"http://127.0.0.1:1/", b"http://user@127.0.0.1/",
                                   b"http://2130706433/", b"http://0x7f.1/", b"https://\xe2\x98\x83.example/"]),
    "front-matter": lambda r: r.choice([b"---\n", b"---\ntitle: " + b"x" * 100_000 + b"\n---\n", b"---\n---\n---\n",
                                        b"---\r\ntitle: \x1b[31mred\r\n---\r\n", b"---\n: : :\n---\n"]),
    "date-odd": lambda r: r.choice([b"9999-12-31", b"0000-00-00", b"-1", b"99999999999999999999", b"2024-13-45",
                                    b"\xe2\x80\x8e2024-12-10", b"NaN", b"1" * 5000]),
    "warc-odd": lambda r: r.choice([b"WARC/1.0\r\n", b"Content-Length: -1\r\n", b"Content-Length: 99999999999\r\n",
                                    b"Content-Length: abc\r\n", b"WARC-Type: response\r\n\r\n",
                                    b"WARC-Target-URI: file:///etc/passwd\r\n", b"\r\n\r\n\r\n",
                                    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"]),
}

# -- mutations -------------------------------------------------------------------------------------------


def _cut(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randint(0, len(data))]


def _flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    b = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def _insert(rng: random.Random, data: bytes, chunk: bytes) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + chunk + data[at:]


def _delete(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    a = rng.randrange(len(data))
    return data[:a] + data[a + rng.randint(1, max(1, len(data) // 4)):]


def _repeat(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    a = rng.randrange(len(data))
    chunk = data[a:a + rng.randint(1, 200)]
    return _insert(rng, data, chunk * rng.choice([10, 1000, 20_000]))


def mutate(rng: random.Random, data: bytes, family: str, other: bytes) -> tuple[bytes, str]:
    """One mutation of ``data`` (``other`` is another seed for splices); returns the bytes and its name."""
    pick = rng.random()
    if pick < 0.12:
        return _cut(rng, data), "cut"
    if pick < 0.24:
        return _flip(rng, data), "flip"
    if pick < 0.30:
        return _delete(rng, data), "delete"
    if pick < 0.36:
        return _repeat(rng, data), "repeat"
    if pick < 0.42:
        a, b = rng.randint(0, len(data)), rng.randint(0, len(other))
        return data[:a] + other[b:], "splice"
    if pick < 0.47:
        return _insert(rng, data, bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))), "random-bytes"
    name = rng.choice(sorted(HOSTILE))
    payload = HOSTILE[name](rng)
    if family == "jsonl" and rng.random() < 0.5:  # a hostile line of its own, among good ones
        lines = data.split(b"\n")
        lines.insert(rng.randint(0, len(lines)), payload)
        return b"\n".join(lines), f"hostile-line:{name}"
    if family in ("json", "jsonl") and rng.random() < 0.4:  # inside a string field
        at = data.find(b'"text": "')
        if at >= 0:
            at += 9
            return data[:at] + payload.replace(b'"', b"") + data[at:], f"hostile-field:{name}"
    if family in ("html", "rss", "atom") and rng.random() < 0.5:  # inside the markup's text
        at = data.find(b"<p>")
        if at >= 0:
            return data[:at + 3] + payload + data[at + 3:], f"hostile-text:{name}"
    return _insert(rng, data, payload), f"hostile:{name}"


def _encode(rng: random.Random, data: bytes) -> tuple[bytes, str | None]:
    if rng.random() > 0.15:
        return data, None
    enc = rng.choice(ENCODINGS)
    text = data.decode("utf-8", rng.choice(["replace", "ignore", "surrogateescape"]))
    try:
        return text.encode(enc, rng.choice(["replace", "ignore"])), enc
    except UnicodeError:
        return text.encode("utf-8", "surrogatepass"), "utf-8-surrogatepass"


def _compress(rng: random.Random, data: bytes) -> tuple[bytes, str | None]:
    pick = rng.random()
    if pick < 0.80:
        return data, None
    if pick < 0.90:
        return gzip.compress(data), "gzip"
    if pick < 0.94:
        packed = gzip.compress(data)
        return packed[: rng.randint(0, len(packed))], "gzip-cut"
    if pick < 0.97:
        return gzip.compress(data) + gzip.compress(data[: len(data) // 2]), "gzip-members"
    if pick < 0.985:
        return gzip.compress(data) + bytes(rng.randrange(256) for _ in range(20)), "gzip-trailing"
    unit = rng.choice([b"\n", b" ", b"\x00", b"{}\n", b"a"])
    return _bomb(unit, rng.choice([20_000_000, 200_000_000])), "gzip-bomb"


def _bomb(unit: bytes, size: int) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = unit * (1_000_000 // len(unit))
    out = [c.compress(block) for _ in range(size // len(block))]
    return b"".join(out) + c.flush()


# -- cases ------------------------------------------------------------------------------------------------


def _seed(rng: random.Random, family: str) -> tuple[bytes, str]:
    if family in ("warc", "warc.gz"):
        return seed_warc(rng, gz=family == "warc.gz"), ".warc" + (".gz" if family == "warc.gz" else "")
    suffix, make = SEEDS[family]
    return make(rng).encode("utf-8"), suffix


FAMILIES = ["html", "json", "jsonl", "text", "markdown", "rss", "atom", "warc", "warc.gz"]


def case(seed: int, index: int) -> Case:
    """Input number ``index`` of the run with ``seed`` (deterministic)."""
    rng = random.Random(seed * 1_000_003 + index)
    family = rng.choice(FAMILIES)
    data, suffix = _seed(rng, family)
    other, _ = _seed(rng, rng.choice(FAMILIES))
    mutations: list[str] = []
    for _ in range(rng.choice([0, 1, 1, 1, 2, 2, 3])):
        data, name = mutate(rng, data, family, other)
        mutations.append(name)
    data, enc = _encode(rng, data)
    if enc:
        mutations.append(f"encode:{enc}")
    if not family.startswith("warc"):
        data, packed = _compress(rng, data)
        if packed:
            mutations.append(packed)
            suffix += ".gz" if rng.random() < 0.8 else ""
    if rng.random() < 0.1:
        suffix = rng.choice(["", ".dat", ".HTML", ".json.gz", ".txt", ".xml", ".warc", ".jsonl"])
        mutations.append(f"named:{suffix or 'none'}")
    delivery = rng.choices(["file", "dir", "stdin", "url", "url-refused"], [70, 6, 8, 12, 4])[0]
    c = Case(index, family, mutations, delivery, f"in{index:06d}{suffix}", data)
    lines = sum(1 for line in data.split(b"\n") if line.strip())
    if family == "jsonl" and not mutations and delivery == "file":
        c.lines = lines
    for k in range(4):  # pages the feed links and redirects point to
        page, _ = _seed(rng, "html")
        if rng.random() < 0.5:
            page, name = mutate(rng, page, "html", other)
        c.routes[f"/p/{k}"] = (rng.choice([200] * 8 + [404, 500]), rng.choice(CONTENT_TYPES[:3]), page, {})
    if delivery in ("url", "url-refused"):
        c.content_type = rng.choice(CONTENT_TYPES)
        hops = rng.choice([0, 0, 0, 1, 3, 7])
        for h in range(hops):
            target = f"/r/{h + 1}" if h + 1 < hops else "/doc"
            if rng.random() < 0.1:
                target = rng.choice(["file:///etc/passwd", "http://127.0.0.1:1/x", "ftp://x.example/",
                                     "http://[::1]:1/", "//evil", "http://%zz/", ""])
            c.routes[f"/r/{h}"] = (rng.choice([301, 302, 303, 307, 308]), "text/plain", b"", {"Location": target})
        c.routes["/doc"] = (rng.choice([200] * 9 + [204, 403, 500]), c.content_type, data, {})
        c.allow_private = delivery == "url"
    else:  # feed links to the local server: fetched when private addresses are allowed, refused otherwise
        c.allow_private = rng.random() < 0.8
    if delivery == "dir":
        for k in range(rng.randint(0, 4)):
            name = rng.choice([f"sub/f{k}.html", f"f{k}.jsonl", f".hidden{k}.txt", f"f{k}", f"deep/a/b/f{k}.txt"])
            raw = name.encode()
            if rng.random() < 0.2:
                raw = raw.replace(b"f", b"\xff\xfe", 1)  # a file name that is not UTF-8
            extra, _ = _seed(rng, rng.choice(FAMILIES))
            if rng.random() < 0.5:
                extra, _ = mutate(rng, extra, family, other)
            c.files[raw] = extra
        c.specials = rng.sample(["fifo", "loop", "dangling", "empty", "unreadable-dir"], rng.randint(0, 2))
    return c


def serve_url(case: Case, base: str) -> str:
    """The URL a url delivery fetches (through its redirects, if any)."""
    return base + ("/r/0" if "/r/0" in case.routes else "/doc")


def with_base(data: bytes, base: str) -> bytes:
    return data.replace(b"{BASE}", base.encode())


# -- checking a report ------------------------------------------------------------------------------------


def check(case: Case, report: Any, recorded: Callable[[str, str], bool], server_hits: int = 0) -> list[str]:
    """What the ingest of ``case`` lost without a record (or fetched against the URL policy): an empty list
    when everything is accounted for.

    Every input must give at least one article or recorded skip; every skip in the report must be in the
    store's error table; a clean JSON Lines file must account for each of its non-blank lines; with private
    addresses refused, the local server must not have been asked for anything.
    """
    problems = []
    if not case.allow_private and server_hits:
        problems.append(f"a private address was fetched {server_hits} times with allow_private off")
    accounted = report.new + report.updated + report.unchanged + len(report.skipped)
    if accounted == 0:
        problems.append("nothing stored and nothing recorded")
    for s in report.skipped:
        if not recorded(s.origin, s.code):
            problems.append(f"skip not recorded: {s.origin!r} {s.code}")
        if not s.code or not s.reason:
            problems.append(f"skip without a code or reason: {s.origin!r}")
    if case.lines is not None and not any(s.origin.endswith(case.name) for s in report.skipped):
        if accounted < case.lines:
            problems.append(f"{case.lines} JSON lines, {accounted} accounted for")
    return problems
