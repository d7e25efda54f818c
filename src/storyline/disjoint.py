"""Disjoint sets (union-find with path halving) over hashable keys: groups of copies, of sources."""

from __future__ import annotations

from collections.abc import Hashable, Iterable


class DisjointSets:
    """Keys are added on first sight; :meth:`union` joins two groups under the smaller root."""

    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, x: Hashable) -> Hashable:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: Hashable, b: Hashable) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)   # type: ignore[type-var]

    def groups(self) -> Iterable[list[Hashable]]:
        members: dict[Hashable, list[Hashable]] = {}
        for x in list(self.parent):
            members.setdefault(self.find(x), []).append(x)
        return members.values()
