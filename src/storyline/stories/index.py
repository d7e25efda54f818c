"""Approximate nearest-neighbour indexes (usearch HNSW, cosine, f16) kept beside the store.

Articles are indexed per month (``2024-12``; ``undated`` for articles with no usable date), so a
search looks only at the months around an article's date; events have one index of their
centroids. Each bucket is two files in ``<store>.stories/``:

- ``<bucket>.usearch``, the main index, memory-mapped read-only (``view``): a search touches only
  the pages it walks, so its cost does not grow with the size of the file;
- ``<bucket>.delta.usearch``, a small index of what was added since, loaded and rewritten whole.

When the delta outgrows a tenth of the main index, it is merged into a writable copy of the main
index (each moved key replaced, the delta's vectors inserted) that is written back: amortised, one
HNSW insertion and a constant share of one file copy per vector added. (Rebuilding the bucket from
the store instead would cost ten insertions per vector added; that is kept for recovery.) Vectors of
changed articles may linger: searches return keys, and callers keep only keys the store still
knows (and the best score per key). The store counts the vectors added
to each bucket in the same transaction as the articles; an index whose size disagrees (a crash
between the store's commit and the index write, a deleted file) is rebuilt from the store.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from usearch.index import Index

from .embed import DIM

Loader = Callable[[str], tuple[np.ndarray, np.ndarray]]   # bucket -> (keys, vectors) of live items
MIN_DELTA = 2000
EXPANSION = 40   # search breadth: enough for the 20 neighbours asked for, and the cost at 1M stays near 10k's


def index_dir(db_path: str | Path) -> Path | None:
    return None if str(db_path) == ":memory:" else Path(f"{db_path}.stories")


def new_index() -> Index:
    return Index(ndim=DIM, metric="cos", dtype="f16", connectivity=16, expansion_add=64, expansion_search=EXPANSION)


@dataclass
class _Bucket:
    main: Index | None
    delta: Index

    def __len__(self) -> int:
        return (len(self.main) if self.main is not None else 0) + len(self.delta)


class VectorIndex:
    """Indexes per bucket, opened on first use; :meth:`save` writes what changed.

    ``counts(bucket)`` is the number of vectors the store says were added to a bucket, ``count(bucket, n)``
    adds to it (in the caller's transaction), ``recount(bucket, n)`` sets it after a rebuild."""

    def __init__(self, directory: Path | None, *, counts: Callable[[str], int], loader: Loader,
                 count: Callable[[str, int], None], recount: Callable[[str, int], None]) -> None:
        self.directory = directory
        self._counts, self._loader, self._count, self._recount = counts, loader, count, recount
        self._open: dict[str, _Bucket] = {}
        self._dirty: set[str] = set()
        self._fresh: set[str] = set()     # buckets whose main index was rebuilt and is not written yet
        self.rebuilt: list[str] = []

    def _path(self, bucket: str, part: str = "") -> Path | None:
        return None if self.directory is None else self.directory / f"{bucket}{part}.usearch"

    def _load(self, bucket: str) -> _Bucket:
        main_path, delta_path = self._path(bucket), self._path(bucket, ".delta")
        main: Index | None = None
        delta = new_index()
        try:
            if main_path is not None and main_path.exists():
                main = Index.restore(str(main_path), view=True)
                main.expansion_search = EXPANSION   # not kept in the file
            if delta_path is not None and delta_path.exists():
                delta.load(str(delta_path))
                delta.expansion_search = EXPANSION
        except Exception:   # a damaged file: rebuilt below
            main, delta = None, new_index()
        return _Bucket(main, delta)

    def _rebuild(self, bucket: str) -> _Bucket:
        """A fresh main index of the bucket's live vectors, from the store; empty delta."""
        keys, vectors = self._loader(bucket)
        fresh = new_index()
        if len(keys):
            fresh.add(keys, vectors)
        self._recount(bucket, len(keys))
        self.rebuilt.append(bucket)
        self._fresh.add(bucket)
        self._dirty.add(bucket)
        return _Bucket(fresh, new_index())

    def _merge(self, bucket: str, b: _Bucket) -> _Bucket:
        """The delta folded into a writable copy of the main index; empty delta."""
        main = new_index()
        path = self._path(bucket)
        if b.main is not None:
            if path is not None and path.exists():
                main.load(str(path))
            else:   # rebuilt in this run and not written yet: already writable
                main = b.main
        keys = np.asarray(b.delta.keys, dtype=np.uint64)
        if len(keys):
            moved = np.array([k for k in keys.tolist() if k in main], dtype=np.uint64)
            if len(moved):
                main.remove(moved, compact=True)
                self._count(bucket, -len(moved))
            main.add(keys, np.stack(b.delta.get(keys, dtype=np.float32)))
        main.expansion_search = EXPANSION
        self._fresh.add(bucket)
        self._dirty.add(bucket)
        return _Bucket(main, new_index())

    def get(self, bucket: str) -> _Bucket:
        if bucket not in self._open:
            b = self._load(bucket)
            if len(b) != self._counts(bucket):
                b = self._rebuild(bucket)
            self._open[bucket] = b
        return self._open[bucket]

    def search(self, vector: np.ndarray, buckets: Iterable[str], k: int) -> list[tuple[int, float]]:
        """The ``k`` nearest keys over the given buckets with their cosine similarity, best first."""
        best: dict[int, float] = {}
        for bucket in buckets:
            b = self.get(bucket)
            for index in (b.main, b.delta):
                if index is None or len(index) == 0:
                    continue
                matches = index.search(vector, min(k, len(index)))
                for key, d in zip(matches.keys, matches.distances):
                    cos = 1.0 - float(d)
                    if cos > best.get(int(key), -2.0):
                        best[int(key)] = cos
        return sorted(best.items(), key=lambda kv: -kv[1])[:k]

    def add(self, bucket: str, key: int, vector: np.ndarray) -> None:
        b = self.get(bucket)
        if key in b.delta:   # an event's centroid moved again before the delta was written
            b.delta.remove(key)
            self._count(bucket, -1)
        b.delta.add(key, vector)
        self._count(bucket, 1)
        self._dirty.add(bucket)

    def compact(self) -> None:
        """Rebuild every changed bucket whose delta outgrew a tenth of its main index (inside the
        store's transaction, before :meth:`save`: the rebuilt count is part of the same commit)."""
        for bucket in sorted(self._dirty):
            b = self._open[bucket]
            main_n = len(b.main) if b.main is not None else 0
            if len(b.delta) > max(MIN_DELTA, main_n // 10):
                self._open[bucket] = self._merge(bucket, b)

    def save(self) -> None:
        """Write changed buckets: the delta file, or both files after a rebuild (each atomically)."""
        if self.directory is None:
            self._dirty.clear()
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for bucket in sorted(self._dirty):
            b = self._open[bucket]
            if bucket in self._fresh and b.main is not None:
                self._write(b.main, self._path(bucket))
                view = Index.restore(str(self._path(bucket)), view=True)
                view.expansion_search = EXPANSION
                self._open[bucket] = _Bucket(view, b.delta)
            self._write(b.delta, self._path(bucket, ".delta"))
        self._fresh.clear()
        self._dirty.clear()

    @staticmethod
    def _write(index: Index, path: Path | None) -> None:
        assert path is not None
        tmp = path.with_suffix(".tmp")
        index.save(str(tmp))
        os.replace(tmp, path)

    def forget(self) -> None:
        """Drop what is loaded (after a rollback, the files on disk are the truth again)."""
        self._open.clear()
        self._dirty.clear()
        self._fresh.clear()
