"""JSON and JSON Lines: one article per record, with common field names or ``--field`` paths.

Records are found in a JSONL stream (one object per line, streamed, gzip
allowed), a JSON array, or a JSON object holding a list under
``articles|items|data|results|docs`` (or a single article object).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import DecodeError, EmptyInput, InputError, TooLarge, UsageError
from ..records import RawDocument, Skip
from ..settings import Settings
from .base import Items, ReadOptions, internal, skip
from .decode import GZIP_MAGIC, bytes_of, check_binary, gzip_peek, raw_fingerprint, read_file
from .limits import load_json

#: Field -> candidate keys, first present wins. ``--field`` replaces a field's list.
FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "content_original", "article", "maintext", "full_text"),
    "title": ("title", "headline", "name"),
    "url": ("url", "link", "canonical_url", "source_url"),
    "published": ("published", "date", "pubDate", "published_at", "date_publish", "publish_date", "datetime"),
    "outlet": ("outlet", "source", "site", "site_name", "publisher", "domain"),
    "author": ("author", "authors", "byline"),
    "language": ("language", "lang"),
}
_LIST_KEYS = ("articles", "items", "data", "results", "docs", "records")


def parse_field_overrides(specs: Iterable[str]) -> dict[str, str]:
    """``["text=data.body", ...]`` -> ``{"text": "data.body"}``; raises ``UsageError`` on bad specs."""
    out = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        name, path = name.strip(), path.strip()
        if not sep or not path:
            raise UsageError(f"--field takes NAME=PATH (e.g. text=data.body), got {spec!r}")
        if name not in FIELDS:
            raise UsageError(f"--field: unknown field {name!r}; known: {', '.join(FIELDS)}")
        out[name] = path
    return out


def _lookup(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):  # e.g. a list of authors or of paragraphs
        parts = [_as_text(v) for v in value]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, dict):
        return _as_text(value.get("name") or value.get("value") or value.get("text"))
    text = str(value).strip()
    return text or None


def record_to_document(record: Any, origin: str, options: ReadOptions) -> RawDocument:
    """One JSON record -> ``RawDocument`` (raises ``InputError`` when it holds no article)."""
    if not isinstance(record, dict):
        raise DecodeError(f"{origin} is a JSON {type(record).__name__}, not an object", code="bad-record")
    values: dict[str, str | None] = {}
    for name, keys in FIELDS.items():
        paths = (options.fields[name],) if name in options.fields else keys
        values[name] = next((v for v in (_as_text(_lookup(record, p)) for p in paths) if v), None)
    text = values["text"]
    if not text:
        looked = options.fields.get("text") or ", ".join(FIELDS["text"])
        raise EmptyInput(f"{origin} has no article text (looked for {looked}; use --field text=PATH)",
                         code="no-text")
    if len(text) > options.settings.max_input_bytes:
        raise TooLarge(f"{origin} text is {len(text):,} characters, over the cap (setting max_input_bytes)")
    head = text.lstrip()[:200].lower()
    is_html = head.startswith("<") and ("<p" in text[:5000].lower() or "<div" in text[:5000].lower()
                                        or head.startswith("<!doctype") or head.startswith("<html"))
    published = values["published"]
    outlet = values["outlet"] or options.outlet
    return RawDocument(
        origin=origin, body=text, fmt=("html" if head.startswith(("<!doctype", "<html")) else "fragment")
        if is_html else "text",
        url=values["url"], title=values["title"], published=published,
        date_source="json-field" if published else None, outlet=outlet, author=values["author"],
        language=values["language"],
        raw_hash=raw_fingerprint(origin, values["url"], values["title"], published, outlet, text),
    )


def _records_from_document(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list):
                return data[key]
        return [data]
    return [data]


def _lines(stream: BinaryIO, origin: str, settings: Settings, gz: bool
           ) -> Iterator[tuple[int | None, bytes | InputError]]:
    """Numbered lines of a (possibly gzipped) stream within the caps; a read failure or a cap ends it with an error
    numbered ``None`` (it is the file's).

    A line is read at most ``max_input_bytes`` at a time (a longer one is passed over, never held whole);
    a file stops after ``max_lines`` lines and, gzipped, after ``max_decompressed_bytes`` bytes.
    """
    limit, max_lines = settings.max_input_bytes, settings.max_lines
    max_bytes = settings.max_decompressed_bytes if gz else None
    n = total = 0
    try:
        while line := stream.readline(limit + 1):
            n += 1
            total += len(line)
            if n > max_lines:
                yield None, TooLarge(f"{origin} has more than {max_lines:,} lines; the rest was not read "
                                  "(setting max_lines)", code="too-many-lines")
                return
            long = len(line) > limit
            while long and not line.endswith(b"\n") and (line := stream.readline(1 << 20)):
                total += len(line)  # the rest of an over-long line, read and dropped
                if max_bytes is not None and total > max_bytes:
                    break
            if max_bytes is not None and total > max_bytes:
                yield None, TooLarge(f"{origin} decompresses to more than {max_bytes:,} bytes; the rest was not "
                                  "read (setting max_decompressed_bytes)", code="too-large")
                return
            if long:
                yield n, TooLarge(f"{origin}#L{n} is over {limit:,} bytes, over the cap (setting max_input_bytes)")
            else:
                yield n, line
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        yield None, DecodeError(f"{origin} is truncated or corrupt after line {n}: {exc}", code="truncated")


def read(path: Path, options: ReadOptions) -> Items:
    origin = str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(64 * 1024)
    except OSError as exc:
        yield skip(origin, InputError(f"cannot read {path}: {exc.strerror}", code="unreadable"))
        return
    yield from _read(head, path, origin, options, lambda: path.open("rb"),
                     lambda: read_file(path, options.settings.max_input_bytes))


def read_blob(data: bytes, origin: str, options: ReadOptions) -> Items:
    """A JSON or JSONL file given as its (possibly gzipped) bytes, read exactly as ``read`` reads the file."""
    yield from _read(data[:64 * 1024], Path(origin), origin, options, lambda: io.BytesIO(data),
                     lambda: bytes_of(data, options.settings.max_input_bytes, origin))


def _read(head: bytes, path: Path, origin: str, options: ReadOptions, open_stream: Callable[[], BinaryIO],
          whole: Callable[[], bytes]) -> Items:
    if not head.strip():
        yield skip(origin, EmptyInput(f"{path} is empty"))
        return
    gz = head.startswith(GZIP_MAGIC)
    try:
        peek = gzip_peek(head, origin) if gz else head
        check_binary(peek, origin)
    except InputError as exc:
        yield skip(origin, exc)
        return
    if _is_document(peek, path):
        docs = list(_read_document(whole, origin, options))
        if docs != [_EXTRA_DATA]:
            yield from docs
            return
    with open_stream() as raw, (gzip.GzipFile(fileobj=raw, mode="rb") if gz
                                else contextlib.nullcontext(raw)) as stream:
        yield from _from_lines(_lines(stream, origin, options.settings, gz), origin, options)


def _from_lines(numbered: Iterable[tuple[int | None, bytes | str | InputError]], origin: str,
                options: ReadOptions) -> Items:
    """One document per JSON line; a bad line is one skip; a file of blank lines is one skip."""
    given = 0
    for n, line in numbered:
        where = origin if n is None else f"{origin}#L{n}"
        if isinstance(line, InputError):
            given += 1
            yield skip(where, line)
            continue
        if not line.strip():
            continue
        given += 1
        try:
            record = load_json(line, options.settings, f"line {n} of {origin}")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield skip(where, DecodeError(f"line {n} of {origin} is not valid JSON: {exc}", code="bad-json"))
            continue
        except InputError as exc:
            yield skip(where, exc)
            continue
        yield _record(record, where, options)
    if not given:
        yield skip(origin, EmptyInput(f"{origin} holds only blank lines", code="empty"))


def _record(record: Any, where: str, options: ReadOptions) -> RawDocument | Skip:
    """One record's document, or its skip (a failure nobody foresaw is ``internal``: one record, not the file)."""
    try:
        return record_to_document(record, where, options)
    except InputError as exc:
        return skip(where, exc)
    except Exception as exc:
        return internal(where, exc)


def _from_document(data: Any, origin: str, options: ReadOptions) -> Items:
    """One document per record of a parsed JSON document; a document with no records is one skip."""
    records = _records_from_document(data)
    if not records:
        yield skip(origin, EmptyInput(f"{origin} holds an empty list: no records in it", code="no-records"))
    for i, record in enumerate(records):
        yield _record(record, f"{origin}#[{i}]", options)


def _is_document(head: bytes, path: Path) -> bool:
    """A JSON array, or a ``.json`` file: one JSON document (JSON Lines are ``.jsonl``/``.ndjson``)."""
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        return True
    return path.name.lower().removesuffix(".gz").endswith(".json")


#: Marker: the ``.json`` file held several JSON values, one per line; read it as JSON Lines.
_EXTRA_DATA = Skip("", "extra-data", "")


def _read_document(whole: Callable[[], bytes], origin: str, options: ReadOptions) -> Items:
    try:
        data = load_json(whole(), options.settings, origin)
    except InputError as exc:
        yield skip(origin, exc)
        return
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and exc.lineno > 1:
            yield _EXTRA_DATA
        else:
            yield skip(origin, DecodeError(f"{origin} is not valid JSON: {exc}", code="bad-json"))
        return
    except UnicodeDecodeError as exc:
        yield skip(origin, DecodeError(f"{origin} is not valid JSON: {exc}", code="bad-json"))
        return
    yield from _from_document(data, origin, options)


def read_bytes(data: bytes, origin: str, options: ReadOptions) -> Items:
    """JSON or JSONL given as bytes (stdin, a fetched URL)."""
    text = data.decode("utf-8", "replace")
    try:
        document = load_json(text.lstrip("\ufeff \t\r\n"), options.settings, origin)
    except json.JSONDecodeError:
        lines = text.splitlines()
        if len(lines) > options.settings.max_lines:
            yield skip(origin, TooLarge(f"{origin} has more than {options.settings.max_lines:,} lines; the rest "
                                        "was not read (setting max_lines)", code="too-many-lines"))
            lines = lines[:options.settings.max_lines]
        yield from _from_lines(enumerate(lines, 1), origin, options)
        return
    except InputError as exc:
        yield skip(origin, exc)
        return
    yield from _from_document(document, origin, options)
