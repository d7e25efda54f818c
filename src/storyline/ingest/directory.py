"""Directories (recursive, include/exclude globs), single files by type, and ``-`` for stdin."""

from __future__ import annotations

import fnmatch
import os
import sys
from pathlib import Path

from ..errors import EmptyInput, InputError, TooLarge, UnsupportedInput
from .base import Items, ReadOptions, is_convention_file, skip
from .decode import GZIP_MAGIC, Kind, check_binary, gunzip, gzip_peek, kind_from_name, sniff


def _matches(rel: str, patterns: tuple[str, ...]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def walk(root: Path, options: ReadOptions) -> Items:
    """Every readable file under ``root`` (sorted, hidden entries skipped), read by its type; a folder's
    ``source.txt`` and ``*.meta.json`` sidecars are metadata for the other files, not articles."""
    outer, options.root = options.root, root
    try:
        yield from _walk(root, options)
    finally:
        options.root = outer


def _walk(root: Path, options: ReadOptions) -> Items:
    for dirpath, dirnames, filenames in os.walk(root, onerror=None):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or is_convention_file(name):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if options.include and not _matches(rel, options.include):
                continue
            if options.exclude and _matches(rel, options.exclude):
                continue
            yield from read_file(path, options)


def _file_kind(path: Path) -> Kind:
    kind = kind_from_name(path.name)
    if kind:
        return kind
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise UnsupportedInput(f"cannot read {path}: {exc.strerror}", code="unreadable") from None
    return _sniffed_kind(head, path)


def _sniffed_kind(head: bytes, path: Path) -> Kind:
    if not head:
        raise EmptyInput(f"{path} is empty")
    if head.startswith(GZIP_MAGIC):
        head = gzip_peek(head, str(path))
    check_binary(head, str(path))
    found = sniff(head)
    if found is None:
        suffix = "".join(path.suffixes) or "no extension"
        raise UnsupportedInput(
            f"{path}: unknown file type ({suffix}); storyline reads HTML, text/Markdown, JSON/JSONL, "
            "RSS/Atom and WARC files", code="unsupported")
    return found


def read_file(path: Path, options: ReadOptions) -> Items:
    """One file, dispatched to the reader for its type."""
    from . import feeds, html, jsonl, text, warc

    try:
        kind = _file_kind(path)
    except InputError as exc:
        yield skip(str(path), exc)
        return
    reader = {"html": html.read, "text": text.read, "json": jsonl.read, "feed": feeds.read, "warc": warc.read}[kind]
    yield from reader(path, options)


def read_blob(origin: str, data: bytes, options: ReadOptions) -> Items:
    """One file given as its name and bytes (Spark's ``binaryFile`` source), read as ``read_file`` reads it."""
    from . import feeds, html, jsonl, text, warc
    from .decode import bytes_of, decode_text

    try:
        kind = kind_from_name(origin) or _sniffed_kind(data[:8192], Path(origin))
        if kind == "json":
            yield from jsonl.read_blob(data, origin, options)
        elif kind == "warc":
            yield from warc.read_blob(data, origin, options)
        else:
            body = bytes_of(data, options.settings.max_input_bytes, origin)
            if kind == "html":
                yield html.document(origin, body, outlet=options.outlet)
            elif kind == "text":
                yield text.document(origin, decode_text(body, origin)[0], outlet=options.outlet)
            else:
                yield from feeds.read_bytes(body, origin, options)
    except InputError as exc:
        yield skip(origin, exc)


def read_stdin(options: ReadOptions) -> Items:
    """``-``: the whole of standard input, its type sniffed (plain text when nothing else fits)."""
    from . import feeds, html, jsonl, text
    from .decode import decode_text

    origin = "<stdin>"
    cap = options.settings.max_input_bytes
    data = sys.stdin.buffer.read(cap + 1)
    try:
        if len(data) > cap:
            raise TooLarge(f"standard input is over the {cap:,}-byte cap (setting max_input_bytes)")
        if data.startswith(GZIP_MAGIC):
            data = gunzip(data, cap, origin)
        kind = sniff(data[:8192])
        if kind == "json":
            yield from jsonl.read_bytes(data, origin, options)
        elif kind == "feed":
            yield from feeds.read_bytes(data, origin, options)
        elif kind == "html":
            yield html.document(origin, data, outlet=options.outlet)
        elif kind == "warc":
            raise UnsupportedInput("WARC on standard input is not supported; pass the file path", code="unsupported")
        else:
            yield text.document(origin, decode_text(data, origin)[0], outlet=options.outlet)
    except InputError as exc:
        yield skip(origin, exc)
