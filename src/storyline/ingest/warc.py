"""WARC / WARC.gz archives (warcio): every HTML response record becomes a page.

Request, metadata, ``dns:`` and non-HTML records (robots.txt, images) are
passed over quietly: they are not articles. A response to a URL that is not
http(s) is recorded (``warc-uri``), and so is an archive with no HTML response
at all (``no-documents``). A truncated or corrupt archive keeps the records
read before the damage and records one error for the rest (warcio ends
quietly on a cut file and reads garbage as a record without a type, so a
``.warc.gz`` is checked first, within ``max_decompressed_bytes``, and every
record's type and length are checked against what could be read).
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import DecodeError, EmptyInput, InputError, TooLarge, UnsupportedInput
from . import html
from .base import Items, ReadOptions, internal, skip
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
    scheme = uri.split(":", 1)[0].lower() if ":" in uri else ""
    if scheme not in ("http", "https"):
        if scheme != "dns":  # a crawler's DNS lookups are not pages
            shown = uri[:200] or "no Target-URI"
            yield skip(f"{origin}#{uri[:500]}", UnsupportedInput(
                f"{origin}: a response record for {shown}, not an http(s) URL; not read as a page", code="warc-uri"))
        return
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
        damage: InputError | None = None
        if gz:
            try:
                gzip_intact(fh, origin, limit=options.settings.max_decompressed_bytes)
            except TooLarge:
                raise
            except InputError as exc:
                damage = exc
            fh.seek(0)
    except OSError as exc:
        yield skip(origin, InputError(f"cannot read {origin}: {exc.strerror}", code="unreadable"))
        return
    except InputError as exc:
        yield skip(origin, exc)
        return
    records = given = 0
    iterator = ArchiveIterator(fh)
    try:
        for record in iterator:
            records += 1
            if not record.rec_type or not (record.rec_headers.protocol or "").startswith("WARC/"):
                damage = damage or DecodeError(f"{origin} is corrupt: record {records} is not a WARC record "
                                               "(no WARC-Type)", code="bad-warc")
                break
            try:
                for item in _page(record, origin, cap, options):
                    given += 1
                    yield item
            except (ArchiveLoadFailed, EOFError, OSError, zlib.error):
                raise
            except Exception as exc:  # one hostile record must not cost the others
                given += 1
                uri = record.rec_headers.get_header("WARC-Target-URI") or "?"
                yield internal(f"{origin}#{uri[:500]}", exc)
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
    if damage is None and getattr(iterator, "err_count", 0):  # warcio warned of a Content-Length that lies
        damage = DecodeError(f"{origin} is corrupt: {iterator.err_count} record(s) not where their Content-Length "
                             "says they end; the records after them may be misread", code="bad-warc")
    if not gz and damage is None:
        fh.seek(iterator.offset)
        if fh.read(4096).strip():  # bytes left that warcio could not read as a record
            damage = DecodeError(f"{origin} is truncated or corrupt after {records} records", code="truncated")
    if damage:
        yield skip(origin, damage)
    elif not given:
        yield skip(origin, EmptyInput(f"{origin} holds no HTML response records ({records} records read)",
                                      code="no-documents"))
