"""Pre-extracted text (``.txt``, ``.md``): optional front matter, then the body for the debris filter.

Front matter is a block of ``key: value`` lines between two ``---`` lines at
the very top (title, outlet/source/site, url/link, published/date, author,
language); anything else is body text. Metadata the file does not hold may stand beside it: a
sidecar ``NAME.meta.json`` (a JSON object with the same keys) for ``NAME.txt``, and the outlet in the
folder's ``source.txt``; front matter wins over the sidecar, the sidecar over ``source.txt``, and
``source.txt`` over ``--outlet``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import InputError
from ..records import RawDocument
from .base import SIDECAR_SUFFIX, Items, ReadOptions, skip
from .decode import decode_text, raw_fingerprint, read_file

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_KEYS = {
    "title": "title", "headline": "title",
    "outlet": "outlet", "source": "outlet", "site": "outlet", "site_name": "outlet",
    "url": "url", "link": "url", "canonical": "url",
    "published": "published", "date": "published", "pubdate": "published",
    "author": "author", "byline": "author",
    "language": "language", "lang": "language",
}


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``text`` into its front-matter fields and the body after it."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(":")
        name = _KEYS.get(key.strip().lower())
        if sep and name and value.strip():
            meta[name] = value.strip().strip('"').strip("'")
    return meta, text[m.end():]


def sidecar(path: Path) -> dict[str, str]:
    """The metadata of ``NAME.meta.json`` beside ``NAME.txt`` (``{}`` when there is none or it is unreadable)."""
    side = path.with_name(path.name.rsplit(".", 1)[0] + SIDECAR_SUFFIX)
    try:
        if not side.is_file() or side.stat().st_size > 1_000_000:
            return {}
        data = json.loads(side.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError):
        return {}
    meta: dict[str, str] = {}
    for key, value in (data.items() if isinstance(data, dict) else ()):
        name = _KEYS.get(str(key).strip().lower())
        if name and isinstance(value, (str, int, float)) and str(value).strip():
            meta.setdefault(name, str(value).strip())
    return meta


def document(origin: str, text: str, *, outlet: str | None = None,
             beside: dict[str, str] | None = None) -> RawDocument:
    """A text file's document: front matter, then ``beside`` (its sidecar), then ``outlet`` (a default)."""
    meta, body = front_matter(text)
    meta = {**(beside or {}), **meta}
    return RawDocument(
        origin=origin, body=body, fmt="text", url=meta.get("url"), title=meta.get("title"),
        published=meta.get("published"), date_source="text-field" if meta.get("published") else None,
        outlet=meta.get("outlet") or outlet, author=meta.get("author"), language=meta.get("language"),
        raw_hash=raw_fingerprint(origin, outlet, text, *(f"{k}={v}" for k, v in sorted((beside or {}).items()))),
    )


def read(path: Path, options: ReadOptions) -> Items:
    origin = str(path)
    try:
        text, _ = decode_text(read_file(path, options.settings.max_input_bytes), origin)
        yield document(origin, text, outlet=options.outlet_for(path), beside=sidecar(path))
    except InputError as exc:
        yield skip(origin, exc)
