"""Approximate nearest-neighbour indexes (usearch HNSW, cosine, f16) kept beside the store.

Articles are indexed per month (``2024-12``; ``undated`` for articles with no usable date), so a
search looks only at the months around an article's date and its cost does not grow with the
years a store covers; events have one index of their centroids. Each index is a file
``<store>.stories/<bucket>.usearch``, written atomically after the store commits; an index whose
size disagrees with the store (a crash between the two, a deleted file) is rebuilt from the
embeddings the store keeps.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from usearch.index import Index

from .embed import DIM

Loader = Callable[[str], tuple[np.ndarray, np.ndarray]]   # bucket -> (keys, vectors)


def index_dir(db_path: str | Path) -> Path | None:
    return None if str(db_path) == ":memory:" else Path(f"{db_path}.stories")


class VectorIndex:
    """A set of usearch indexes, one per bucket, loaded on first use and saved on :meth:`save`."""

    def __init__(self, directory: Path | None, *, counts: Callable[[str], int], loader: Loader) -> None:
        self.directory = directory
        self._counts = counts
        self._loader = loader
        self._open: dict[str, Index] = {}
        self._dirty: set[str] = set()
        self.rebuilt: list[str] = []

    def _new(self) -> Index:
        return Index(ndim=DIM, metric="cos", dtype="f16", connectivity=16, expansion_add=64, expansion_search=64)

    def _path(self, bucket: str) -> Path | None:
        return None if self.directory is None else self.directory / f"{bucket}.usearch"

    def get(self, bucket: str) -> Index:
        if bucket in self._open:
            return self._open[bucket]
        index = self._new()
        path = self._path(bucket)
        if path is not None and path.exists():
            try:
                index.load(str(path))
            except Exception:   # a damaged file is rebuilt below
                index = self._new()
        if len(index) != self._counts(bucket):
            index = self._new()
            keys, vectors = self._loader(bucket)
            if len(keys):
                index.add(keys, vectors)
            self.rebuilt.append(bucket)
            self._dirty.add(bucket)
        self._open[bucket] = index
        return index

    def search(self, vector: np.ndarray, buckets: Iterable[str], k: int) -> list[tuple[int, float]]:
        """The ``k`` nearest keys over the given buckets with their cosine similarity, best first."""
        found: list[tuple[int, float]] = []
        for bucket in buckets:
            index = self.get(bucket)
            if len(index) == 0:
                continue
            matches = index.search(vector, min(k, len(index)))
            found.extend((int(key), 1.0 - float(d)) for key, d in zip(matches.keys, matches.distances))
        found.sort(key=lambda kv: -kv[1])
        return found[:k]

    def add(self, bucket: str, key: int, vector: np.ndarray) -> None:
        index = self.get(bucket)
        if key in index:
            index.remove(key)
        index.add(key, vector)
        self._dirty.add(bucket)

    def remove(self, bucket: str, key: int) -> None:
        index = self.get(bucket)
        if key in index:
            index.remove(key)
            self._dirty.add(bucket)

    def save(self) -> None:
        """Write every changed index (to a temporary file, then renamed over the old one)."""
        if self.directory is None:
            self._dirty.clear()
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for bucket in sorted(self._dirty):
            path = self._path(bucket)
            assert path is not None
            tmp = path.with_suffix(".usearch.tmp")
            self._open[bucket].save(str(tmp))
            os.replace(tmp, path)
        self._dirty.clear()

    def forget(self) -> None:
        """Drop what is loaded (after a rollback, the files on disk are the truth again)."""
        self._open.clear()
        self._dirty.clear()
