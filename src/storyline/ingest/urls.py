"""URLs: polite, bounded HTTP fetching (httpx) and dispatch of what comes back.

Only ``http`` and ``https``; only public addresses unless ``allow_private``
(see :mod:`storyline.ingest.addresses`: checked on the address connected to);
a time-out for connect and read; a cap on the body size (streamed, cut off past
the cap); a bounded number of redirects, each checked again for its scheme and
its address; a User-Agent; and a minimum delay between two requests to the
same host.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from ..errors import FetchError, InputError, TooLarge, UnsupportedInput
from ..settings import Settings
from .addresses import AddressPolicy, CheckedTransport, Resolver, resolve
from .base import Items, ReadOptions, skip


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    status: int
    content_type: str
    body: bytes


def check_scheme(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError as exc:
        raise UnsupportedInput(f"{url}: not a valid URL ({exc})", code="bad-url") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsupportedInput(f"{url}: only http and https URLs are fetched, not {parts.scheme or 'no'} scheme",
                               code="scheme")
    if not parts.hostname:
        raise UnsupportedInput(f"{url}: no host in URL", code="bad-url")


class Fetcher:
    """One HTTP client per ingest run, connecting only where the URL policy allows (``resolver`` replaces DNS)."""

    def __init__(self, settings: Settings, resolver: Resolver = resolve) -> None:
        self.settings = settings
        self._last: dict[str, float] = {}
        transport = CheckedTransport(AddressPolicy.from_settings(settings), resolver)
        self.client = httpx.Client(
            timeout=httpx.Timeout(settings.fetch_timeout),
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml,"
                     "application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"},
            transport=transport,
        )

    def close(self) -> None:
        self.client.close()

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = self.settings.fetch_delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()

    def get(self, url: str) -> Response:
        """Fetch ``url`` following at most ``fetch_max_redirects`` redirects; raise ``InputError`` subclasses."""
        seen = 0
        current = url
        deadline = time.monotonic() + 3 * self.settings.fetch_timeout  # a server that drips bytes is cut off too
        while True:
            check_scheme(current)
            self._wait_turn(urlsplit(current).hostname or "")
            try:
                with self.client.stream("GET", current) as resp:
                    if resp.is_redirect:
                        seen += 1
                        if seen > self.settings.fetch_max_redirects:
                            raise FetchError(f"{url}: more than {self.settings.fetch_max_redirects} redirects",
                                             code="redirects")
                        current = str(resp.next_request.url) if resp.next_request else current
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(f"{current}: HTTP {resp.status_code} {resp.reason_phrase}",
                                         code=f"http-{resp.status_code}")
                    declared = resp.headers.get("content-length")
                    cap = self.settings.fetch_max_bytes
                    if declared and declared.isdigit() and int(declared) > cap:
                        raise TooLarge(f"{current}: response is {int(declared):,} bytes, over the {cap:,}-byte cap")
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():  # decoded: a gzip-encoded body is capped as it expands
                        if time.monotonic() > deadline:
                            raise FetchError(f"{current}: the response took longer than "
                                             f"{3 * self.settings.fetch_timeout:g}s (3 x setting fetch_timeout)",
                                             code="timeout")
                        size += len(chunk)
                        if size > cap:
                            raise TooLarge(f"{current}: response exceeds the {cap:,}-byte cap (setting fetch_max_bytes)")
                        chunks.append(chunk)
                    return Response(str(resp.url), resp.status_code,
                                    resp.headers.get("content-type", "").lower(), b"".join(chunks))
            except httpx.TimeoutException:
                raise FetchError(f"{current}: timed out after {self.settings.fetch_timeout:g}s", code="timeout") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"{current}: {type(exc).__name__}: {exc}", code="network") from None
            except (httpx.InvalidURL, httpx.CookieConflict, UnicodeError, ValueError) as exc:
                raise UnsupportedInput(f"{current}: not a valid URL ({type(exc).__name__}: {exc})",
                                       code="bad-url") from None


def read(url: str, options: ReadOptions) -> Items:
    """Fetch one URL: a feed goes to the feed reader, a page to HTML cleaning, plain text as text."""
    from . import feeds, html, jsonl, text
    from .decode import decode_text, sniff

    try:
        resp = options.get_fetcher().get(url)
        ctype = resp.content_type
        kind = sniff(resp.body[:4096])
        if "rss" in ctype or "atom" in ctype or kind == "feed":
            yield from feeds.read_bytes(resp.body, url, options)
        elif "html" in ctype or kind == "html":
            yield html.document(url, resp.body, url=resp.url, outlet=options.outlet)
        elif "json" in ctype or kind == "json":
            yield from jsonl.read_bytes(resp.body, url, options)
        elif ctype.startswith("text/plain"):
            yield text.document(url, decode_text(resp.body, url)[0], outlet=options.outlet)
        else:
            raise UnsupportedInput(f"{url}: content type {ctype or 'unknown'} is not HTML, text, JSON or a feed",
                                   code="content-type")
    except InputError as exc:
        yield skip(url, exc)
