"""WARC / WARC.gz archives (warcio): every HTML response record becomes a page.

Request, metadata and non-HTML records (robots.txt, images) are passed over
quietly: they are not articles. A truncated or corrupt archive keeps the
records read before the damage and records one error for the rest (warcio
ends quietly on a cut file, so a ``.warc.gz`` is checked first and every
record's length is checked against what could be read).
"""

from __future__ import annotations

import zlib
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import DecodeError, EmptyInput, InputError, TooLarge
from . import html
from .base import Items, ReadOptions, skip
from .decode import GZIP_MAGIC, gzip_intact, gzip_peek


def _head(path: Path) -> tuple[bytes, bool]:
    with path.open("rb") as fh:
        raw = fh.read(64 * 1024)
    if not raw.startswith(GZIP_MAGIC):
        return raw[:64], False
    return gzip_peek(raw, str(path), 64), True


def _page(record, origin: str, cap: int, options: ReadOptions) -> Items:
    """The page in one record, if it is an HTML response; nothing otherwise."""
    if record.rec_type != "response":
        return
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.http_headers is None:
        return
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    status = record.http_headers.get_statuscode() or ""
    if "html" not in ctype or not status.startswith("2"):
        return
    where = f"{origin}#{uri}"
    payload = record.content_stream().read(cap + 1)
    if getattr(record.raw_stream, "limit", 0) > 0 and len(payload) <= cap:
        return  # cut short: the caller records the damage
    try:
        if len(payload) > cap:
            raise TooLarge(f"{where}: page is over the {cap:,}-byte cap (setting max_input_bytes)")
        yield html.document(where, payload, url=uri or None, outlet=options.outlet)
    except InputError as exc:
        yield skip(where, exc)


def read(path: Path, options: ReadOptions) -> Items:
    origin = str(path)
    cap = options.settings.max_input_bytes
    try:
        if path.stat().st_size == 0:
            raise EmptyInput(f"{path} is empty")
        head, gz = _head(path)
        if not head.startswith(b"WARC/"):
            raise DecodeError(f"{origin} is not a WARC file (it does not start with a WARC/1.x header)",
                              code="bad-warc")
    except OSError as exc:
        yield skip(origin, InputError(f"cannot read {path}: {exc.strerror}", code="unreadable"))
        return
    except InputError as exc:
        yield skip(origin, exc)
        return
    damage: InputError | None = None
    if gz:
        try:
            gzip_intact(path)
        except InputError as exc:
            damage = exc
    records = 0
    with path.open("rb") as fh:
        iterator = ArchiveIterator(fh)
        try:
            for record in iterator:
                records += 1
                try:
                    yield from _page(record, origin, cap, options)
                finally:
                    while record.raw_stream.read(1 << 16):  # drain, so a short record shows as cut
                        pass
                if getattr(record.raw_stream, "limit", 0) > 0:
                    uri = record.rec_headers.get_header("WARC-Target-URI") or "?"
                    damage = damage or DecodeError(f"{origin} is truncated inside record {records} ({uri})",
                                                   code="truncated")
        except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error, AttributeError, TypeError) as exc:
            # warcio raises all of these (AttributeError too) on records cut in their headers
            damage = damage or DecodeError(f"{origin} is truncated or corrupt after {records} records: {exc}",
                                           code="truncated")
        if not gz and damage is None:
            fh.seek(iterator.offset)
            if fh.read(4096).strip():  # bytes left that warcio could not read as a record
                damage = DecodeError(f"{origin} is truncated or corrupt after {records} records", code="truncated")
    if damage:
        yield skip(origin, damage)
