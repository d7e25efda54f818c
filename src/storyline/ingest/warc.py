"""WARC / WARC.gz archives (warcio): every HTML response record becomes a page.

Request, metadata and non-HTML records (robots.txt, images) are passed over
quietly: they are not articles. A truncated or corrupt archive keeps the
records read before the damage and records one error for the rest (warcio
ends quietly on a cut file, so a ``.warc.gz`` is checked first and every
record's length is checked against what could be read).
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import DecodeError, EmptyInput, InputError, TooLarge
from . import html
from .base import Items, ReadOptions, skip
from .decode import GZIP_MAGIC, gzip_intact, gzip_peek


def _head(fh: BinaryIO, origin: str) -> tuple[bytes, bool]:
    raw = fh.read(64 * 1024)
    fh.seek(0)
    if not raw.startswith(GZIP_MAGIC):
        return raw[:64], False
    return gzip_peek(raw, origin, 64), True


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
    try:
        if path.stat().st_size == 0:
            raise EmptyInput(f"{path} is empty")
        fh = path.open("rb")
    except OSError as exc:
        yield skip(str(path), InputError(f"cannot read {path}: {exc.strerror}", code="unreadable"))
        return
    except InputError as exc:
        yield skip(str(path), exc)
        return
    with fh:
        yield from _read(fh, str(path), options)


def read_blob(data: bytes, origin: str, options: ReadOptions) -> Items:
    """A WARC file given as its bytes (read by Spark, say), read exactly as ``read`` reads the file."""
    if not data:
        yield skip(origin, EmptyInput(f"{origin} is empty"))
        return
    yield from _read(io.BytesIO(data), origin, options)


def _read(fh: BinaryIO, origin: str, options: ReadOptions) -> Items:
    cap = options.settings.max_input_bytes
    try:
        head, gz = _head(fh, origin)
        if not head.startswith(b"WARC/"):
            raise DecodeError(f"{origin} is not a WARC file (it does not start with a WARC/1.x header)",
                              code="bad-warc")
    except OSError as exc:
        yield skip(origin, InputError(f"cannot read {origin}: {exc.strerror}", code="unreadable"))
        return
    except InputError as exc:
        yield skip(origin, exc)
        return
    damage: InputError | None = None
    if gz:
        try:
            gzip_intact(fh, origin)
        except InputError as exc:
            damage = exc
        fh.seek(0)
    records = 0
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
