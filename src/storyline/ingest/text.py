"""Pre-extracted text (``.txt``, ``.md``): optional front matter, then the body for the debris filter.

Front matter is a block of ``key: value`` lines between two ``---`` lines at
the very top (title, outlet/source/site, url/link, published/date, author,
language); anything else is body text.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..records import RawDocument
from .base import Items, ReadOptions, skip
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


def document(origin: str, text: str, *, outlet: str | None = None) -> RawDocument:
    meta, body = front_matter(text)
    return RawDocument(
        origin=origin, body=body, fmt="text", url=meta.get("url"), title=meta.get("title"),
        published=meta.get("published"), date_source="text-field" if meta.get("published") else None,
        outlet=meta.get("outlet") or outlet, author=meta.get("author"), language=meta.get("language"),
        raw_hash=raw_fingerprint(origin, outlet, text),
    )


def read(path: Path, options: ReadOptions) -> Items:
    origin = str(path)
    try:
        text, _ = decode_text(read_file(path, options.settings.max_input_bytes), origin)
        yield document(origin, text, outlet=options.outlet)
    except InputError as exc:
        yield skip(origin, exc)
