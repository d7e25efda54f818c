"""RSS and Atom feeds (feedparser): an item's own content when it carries the full text, otherwise its linked page."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import feedparser

from ..errors import DecodeError, EmptyInput, InputError, TooLarge
from ..records import RawDocument
from .base import Items, ReadOptions, skip
from .decode import check_binary, raw_fingerprint, read_file
from .limits import safe_feed

#: An item whose content has fewer visible characters than this is a teaser: fetch the page.
FULL_TEXT_CHARS = 500
_TAGS = re.compile(r"<[^>]+>")
_TITLE_SPLIT = re.compile(r"\s+[-|–—:]\s+")


def _visible_len(html: str) -> int:
    return len(" ".join(_TAGS.sub(" ", html).split()))


def _outlet_from_feed(feed: Any) -> str | None:
    title = (feed.get("title") or "").strip()
    return _TITLE_SPLIT.split(title)[0].strip() or None if title else None


class _Budget:
    """Linked pages one feed may still fetch (setting max_feed_fetches)."""

    def __init__(self, allowed: int) -> None:
        self.allowed, self.left = allowed, allowed

    def take(self, origin: str, link: str) -> None:
        if self.left <= 0:
            raise TooLarge(f"{origin}: not fetched ({link}): this feed already had {self.allowed:,} linked pages "
                           "fetched (setting max_feed_fetches)", code="feed-fetches")
        self.left -= 1


def _item_document(entry: Any, origin: str, outlet: str | None, options: ReadOptions, fetches: _Budget) -> Items:
    link = entry.get("link")
    contents = [c.get("value", "") for c in entry.get("content", [])]
    body = max(contents, key=_visible_len, default="") or entry.get("summary", "")
    published = entry.get("published") or entry.get("updated") or entry.get("created")
    author = entry.get("author")
    title = entry.get("title")
    if _visible_len(body) >= FULL_TEXT_CHARS:
        yield RawDocument(
            origin=origin, body=body, fmt="fragment", url=link, title=title, published=published,
            date_source="feed-field" if published else None, outlet=outlet, author=author,
            raw_hash=raw_fingerprint(origin, link, title, published, outlet, body),
        )
        return
    if not link:
        raise EmptyInput(f"{origin}: feed item has no full text and no link to fetch", code="feed-item")
    fetches.take(origin, link)
    from . import urls  # the linked page, fetched politely; its own metadata fills the gaps

    for item in urls.read(link, options):
        if isinstance(item, RawDocument):
            item = RawDocument(
                origin=origin, body=item.body, fmt=item.fmt, url=item.url or link, title=title,
                published=published, date_source="feed-field" if published else None,
                outlet=outlet, author=author, raw_hash=raw_fingerprint(origin, link, title, published, item.body),
            )
        yield item


def _parse(data: bytes, origin: str, options: ReadOptions) -> Any:
    """feedparser over the bytes themselves (never a path or URL they might spell), made safe first."""
    try:
        return feedparser.parse(io.BytesIO(safe_feed(data, options.settings)))
    except RecursionError:
        raise DecodeError(f"{origin}: not a readable RSS/Atom feed (nested too deeply)", code="bad-feed") from None
    except Exception as exc:  # feedparser's own parsers fail in many ways on hostile markup
        raise DecodeError(f"{origin}: not a readable RSS/Atom feed ({type(exc).__name__}: {exc})",
                          code="bad-feed") from None


def read_bytes(data: bytes, origin: str, options: ReadOptions) -> Items:
    try:
        check_binary(data, origin)
        parsed = _parse(data, origin, options)
    except InputError as exc:
        yield skip(origin, exc)
        return
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        reason = f"not a readable RSS/Atom feed ({problem})" if problem else "feed has no items"
        yield skip(origin, DecodeError(f"{origin}: {reason}", code="bad-feed"))
        return
    try:
        feed_outlet = _outlet_from_feed(parsed.feed) or options.outlet
    except Exception:  # a feed title feedparser could not make a string of
        feed_outlet = options.outlet
    fetches = _Budget(options.settings.max_feed_fetches)
    for i, entry in enumerate(parsed.entries, 1):
        where = f"{origin}#{i}"
        try:
            yield from _item_document(entry, where, feed_outlet, options, fetches)
        except InputError as exc:
            yield skip(where, exc)
        except Exception as exc:  # a broken item must not stop the others
            yield skip(where, DecodeError(f"{where}: broken feed item: {type(exc).__name__}: {str(exc)[:300]}",
                                          code="feed-item"))


def read(path: Path, options: ReadOptions) -> Items:
    origin = str(path)
    try:
        data = read_file(path, options.settings.max_input_bytes)
    except InputError as exc:
        yield skip(origin, exc)
        return
    yield from read_bytes(data, origin, options)
