"""WARC / WARC.gz archives (warcio): every HTML response record becomes a page.

Request, metadata and non-HTML records (robots.txt, images) are passed over
quietly: they are not articles. A truncated or corrupt archive keeps the
records read before the damage and records one error for the rest.
"""

from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import DecodeError, EmptyInput, InputError, TooLarge
from .base import Items, ReadOptions, skip
from . import html


def read(path: Path, options: ReadOptions) -> Items:
    origin = str(path)
    cap = options.settings.max_input_bytes
    try:
        if path.stat().st_size == 0:
            yield skip(origin, EmptyInput(f"{path} is empty"))
            return
        fh = path.open("rb")
    except OSError as exc:
        yield skip(origin, InputError(f"cannot read {path}: {exc.strerror}", code="unreadable"))
        return
    records = 0
    with fh:
        try:
            for record in ArchiveIterator(fh):
                records += 1
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                status = record.http_headers.get_statuscode() or ""
                if "html" not in ctype or not status.startswith("2"):
                    continue
                where = f"{origin}#{uri}"
                payload = record.content_stream().read(cap + 1)
                try:
                    if len(payload) > cap:
                        raise TooLarge(f"{where}: page is over the {cap:,}-byte cap (setting max_input_bytes)")
                    yield html.document(where, payload, url=uri or None, outlet=options.outlet)
                except InputError as exc:
                    yield skip(where, exc)
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
            what = "not a WARC file" if records == 0 else f"truncated or corrupt after {records} records"
            yield skip(origin, DecodeError(f"{origin} is {what}: {exc}", code="bad-warc"))
