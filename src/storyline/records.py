"""The typed records that flow through storyline, one way: ingest -> clean -> store.

Readers produce :class:`RawDocument` (or :class:`Skip` for input they cannot use);
the per-article function turns a ``RawDocument`` into an :class:`Article`.
Later stages add their own records here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: Where a publication date came from. ``None`` on an article means "unknown".
DateSource = Literal["html-meta", "json-field", "feed-field", "text-field", "dateline", "url"]

#: What kind of body a reader hands over; decides how it is cleaned: a whole page
#: (main text found by trafilatura), an HTML fragment that is all content (feed
#: items, JSON bodies), or plain pre-extracted text (debris filter).
BodyFormat = Literal["html", "fragment", "text"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One document as a reader found it, before cleaning.

    ``body`` is already decoded to ``str``. Metadata fields hold what the
    container said (a JSON field, a feed item, an HTTP header); cleaning may
    fill what is missing from the body itself.
    """

    origin: str
    body: str
    fmt: BodyFormat
    url: str | None = None
    title: str | None = None
    published: str | None = None
    date_source: DateSource | None = None
    outlet: str | None = None
    author: str | None = None
    language: str | None = None
    #: Stable fingerprint of the raw input (origin + body), for fast idempotent re-runs.
    raw_hash: str = ""


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that could not be used: recorded in ``ingest_errors`` and skipped."""

    origin: str
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class Block:
    """A span of the clean text: a heading (section subhead) or a paragraph."""

    kind: Literal["heading", "paragraph"]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line the debris filter removed, and why."""

    text: str
    rule: str


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article, ready to store.

    ``published`` is an ISO ``YYYY-MM-DD`` date or ``None`` (never invented);
    ``date_source`` says where it came from.
    """

    id: str
    content_hash: str
    raw_hash: str
    origin: str
    text: str
    title: str | None
    url: str | None
    outlet: str | None
    outlet_domain: str | None
    author: str | None
    published: str | None
    date_source: DateSource | None
    language: str | None
    blocks: tuple[Block, ...] = ()
    removed: tuple[RemovedLine, ...] = field(default=(), compare=False)
