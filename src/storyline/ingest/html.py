"""HTML pages (``.html``, ``.htm``, gzipped too): hand the decoded page to cleaning."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..records import RawDocument
from .base import Items, ReadOptions, skip
from .decode import decode_text, raw_fingerprint, read_file


def document(origin: str, data: bytes, *, url: str | None = None, outlet: str | None = None) -> RawDocument:
    """A ``RawDocument`` for one HTML page given as bytes (raises ``InputError``)."""
    body, _ = decode_text(data, origin, html=True)
    return RawDocument(origin=origin, body=body, fmt="html", url=url, outlet=outlet,
                       raw_hash=raw_fingerprint(origin, url, outlet, body))


def read(path: Path, options: ReadOptions) -> Items:
    origin = str(path)
    try:
        yield document(origin, read_file(path, options.settings.max_input_bytes), outlet=options.outlet)
    except InputError as exc:
        yield skip(origin, exc)
