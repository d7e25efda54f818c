"""Build the sample corpus's WARC file from the pages in scripts/sample_warc_pages/.

Each ``NAME.html`` page becomes a request + response record; its target URI is
read from the page's ``<link rel="canonical">`` (required). A ``robots.txt``
response and a PNG response are added so that readers must skip non-HTML
records. Deterministic: dates and record ids are derived from the inputs, so
re-running the script gives the same bytes.

    python scripts/build_sample_warc.py
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
PAGES = HERE / "sample_warc_pages"
OUT = HERE.parent / "src" / "storyline" / "sample" / "corpus" / "warc" / "crawl-2024-12.warc.gz"
CANONICAL = re.compile(r'<link[^>]+rel="canonical"[^>]+href="([^"]+)"', re.I)
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _record_id(seed: str) -> str:
    h = hashlib.sha1(seed.encode()).hexdigest()
    return f"<urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}>"


def _write(writer: WARCWriter, uri: str, content_type: str, payload: bytes, date: str) -> None:
    req = StatusAndHeaders("GET / HTTP/1.1", [("Host", uri.split("/")[2]), ("User-Agent", "sample-crawler")],
                           protocol="HTTP/1.1", is_http_request=True)
    writer.write_record(writer.create_warc_record(
        uri, "request", http_headers=req,
        warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": _record_id("req" + uri)}))
    resp = StatusAndHeaders("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(payload)))],
                            protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        uri, "response", payload=io.BytesIO(payload), http_headers=resp,
        warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": _record_id("resp" + uri)}))


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    date = "2025-01-15T12:00:00Z"
    _write(writer, "https://robots.example/robots.txt", "text/plain", b"User-agent: *\nDisallow:\n", date)
    for page in sorted(PAGES.glob("*.html")):
        html = page.read_bytes()
        m = CANONICAL.search(html.decode("utf-8"))
        if not m:
            raise SystemExit(f"{page.name}: needs <link rel=\"canonical\" href=...> for its WARC target URI")
        _write(writer, m.group(1), "text/html; charset=utf-8", html, date)
    _write(writer, "https://images.example/pixel.png", "image/png", PNG_1PX, date)
    OUT.write_bytes(buf.getvalue())
    with gzip.open(OUT) as fh:  # sanity: the file decompresses
        fh.read()
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
