"""Readers: any news input (directories, files of every format, stdin, URLs) as ``RawDocument`` or ``Skip``.

``read_inputs`` streams: nothing is read before it is needed, and one bad
input becomes one ``Skip`` while the rest go on.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError, UnsupportedInput
from .base import Item, Items, ReadOptions, guarded, skip
from .jsonl import parse_field_overrides

__all__ = ["Item", "Items", "ReadOptions", "parse_field_overrides", "read_inputs"]


def read_inputs(inputs: Iterable[str], options: ReadOptions) -> Items:
    """Every document in ``inputs`` (paths, ``-``, http(s) URLs), in order; each input guarded (``base.guarded``)."""
    from . import directory, urls

    for spec in inputs:
        if spec == "-":
            yield from guarded("<stdin>", directory.read_stdin(options), options)
        elif "://" in spec[:12]:
            if spec.split("://", 1)[0].lower() in ("http", "https"):
                yield from guarded(spec, urls.read(spec, options), options)
            else:
                yield guarded_skip(spec, UnsupportedInput(f"{spec}: only http and https URLs are fetched",
                                                          code="scheme"))
        else:
            try:
                path = Path(spec)
                is_dir, exists = path.is_dir(), path.exists()
            except (OSError, ValueError) as exc:  # a name the system cannot even look up (NUL byte, too long)
                yield guarded_skip(spec, InputError(f"{spec}: cannot look it up: {exc}", code="not-found"))
                continue
            if is_dir:  # each file guarded on its own; the walk itself too
                yield from guarded(spec, directory.walk(path, options), options, must_yield=False,
                                      check=False)
            elif exists:
                yield from guarded(spec, directory.read_file(path, options), options)
            else:
                yield guarded_skip(spec, InputError(f"{spec}: no such file or directory", code="not-found"))


def guarded_skip(origin: str, exc: InputError) -> Item:
    from .limits import scrub_skip

    return scrub_skip(skip(origin, exc))
