"""Readers: any news input (directories, files of every format, stdin, URLs) as ``RawDocument`` or ``Skip``.

``read_inputs`` streams: nothing is read before it is needed, and one bad
input becomes one ``Skip`` while the rest go on.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError, UnsupportedInput
from .base import Item, Items, ReadOptions, skip
from .jsonl import parse_field_overrides

__all__ = ["Item", "Items", "ReadOptions", "parse_field_overrides", "read_inputs"]


def read_inputs(inputs: Iterable[str], options: ReadOptions) -> Items:
    """Every document in ``inputs`` (paths, ``-``, http(s) URLs), in order."""
    from . import directory, urls

    for spec in inputs:
        if spec == "-":
            yield from directory.read_stdin(options)
        elif "://" in spec[:12]:
            if spec.split("://", 1)[0].lower() in ("http", "https"):
                yield from urls.read(spec, options)
            else:
                yield skip(spec, UnsupportedInput(f"{spec}: only http and https URLs are fetched", code="scheme"))
        else:
            path = Path(spec)
            if path.is_dir():
                yield from directory.walk(path, options)
            elif path.exists():
                yield from directory.read_file(path, options)
            else:
                yield skip(spec, InputError(f"{spec}: no such file or directory", code="not-found"))
