"""Readable titles: an event is named by its most representative headline (the original article
closest to the event's centroid), a storyline by the title of its most reported event; headline-like titles
(``headlines.is_headline``: at most 90 characters, no body sentence) first, else the best one cut at a word."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import numpy as np

from ..headlines import headline, is_headline


class TitleBackend(Protocol):
    def event_title_candidates(self, event_id: int) -> list[dict[str, Any]]: ...
    def event(self, event_id: int) -> dict[str, Any]: ...
    def storyline_title_candidates(self, storyline_id: int) -> list[dict[str, Any]]: ...
    def set_title(self, table: str, row_id: int, title: str | None) -> None: ...


def event_title(candidates: list[dict[str, Any]], centroid: np.ndarray | None) -> str | None:
    """``candidates``: ``{title, lead, embedding, copy}`` per member; originals with a headline first."""
    if not candidates:
        return None

    def rank(c: dict[str, Any]) -> tuple[int, int, int, float]:
        cos = float(c["embedding"] @ centroid) if centroid is not None else 0.0
        return (0 if c["title"] else 1, 0 if is_headline(c["title"]) else 1, 1 if c["copy"] else 0, -cos)

    best = min(candidates, key=rank)
    return headline(best["title"] or best["lead"].strip().split("\n", 1)[0])


def refresh_titles(db: TitleBackend, events: Iterable[int], storylines: Iterable[int]) -> None:
    for event_id in events:
        ev = db.event(event_id)
        c = ev["centroid"]
        if c is not None:
            c = c / (np.linalg.norm(c) or 1.0)
        db.set_title("events", event_id, event_title(db.event_title_candidates(event_id), c))
    for storyline_id in storylines:
        cands = db.storyline_title_candidates(storyline_id)   # [{title, n_articles, start}]
        cands = [c for c in cands if c["title"]]
        if cands:
            best = min(cands, key=lambda c: (not is_headline(c["title"]), -c["n_articles"], c["start"] or "9999"))
            db.set_title("storylines", storyline_id, headline(best["title"]))
