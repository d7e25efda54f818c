"""A small cache of story reads that is dropped whenever the store changes.

The store's version is the size and modification time of the database file and its write-ahead
log: every commit by any process (an ingest, a story update) appends to the log, so a changed
version means something may have changed and every cached entry is dropped. While nothing is
written, a storyline read once is not rebuilt for each visitor.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class StoreCache:
    """``get(key, compute)``: the value cached under ``key`` for the current store version, else computed."""

    def __init__(self, db: str, size: int = 128) -> None:
        self.files = (db, db + "-wal")
        self.size = size
        self._lock = threading.Lock()
        self._version: tuple[Any, ...] | None = None
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def version(self) -> tuple[Any, ...]:
        out: list[Any] = []
        for path in self.files:
            try:
                st = os.stat(path)
                out += [st.st_size, st.st_mtime_ns, st.st_ino]
            except FileNotFoundError:
                out += [None, None, None]
        return tuple(out)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        version = self.version()
        with self._lock:
            if version != self._version:
                self._items.clear()
                self._version = version
            elif key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        if self.version() != version:
            return value  # the store changed while computing: do not keep what may be stale
        with self._lock:
            if self._version == version:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value
