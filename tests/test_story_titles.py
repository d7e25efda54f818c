"""Event and storyline titles from the story stage are headline-like: at most 90 characters, never a body
sentence, a long headline only when no other reads as one (then cut at a word)."""

from __future__ import annotations

import numpy as np

from storyline.headlines import MAX_TITLE
from storyline.stories.titles import event_title, refresh_titles

LONG = ("Harbourton Ablaze: Rioters Burn Warehouses, Injure Dock Police, Attack Reporters and Loot Every Shop "
        "on the Quay")


def _candidate(title: str | None, cos: float, copy: bool = False) -> dict:
    return {"title": title, "lead": "Dock workers walked out on Monday.", "copy": copy,
            "embedding": np.array([cos, (1 - cos * cos) ** 0.5])}


def test_an_event_takes_a_headline_like_title_over_a_closer_long_one():
    centroid = np.array([1.0, 0.0])
    title = event_title([_candidate(LONG, 0.99), _candidate("Harbourton riot leaves port in ruins", 0.8)], centroid)
    assert title == "Harbourton riot leaves port in ruins"
    only_long = event_title([_candidate(LONG, 0.99)], centroid)
    assert only_long.endswith("…") and len(only_long) <= MAX_TITLE and LONG.startswith(only_long[:-1])
    # no headline at all: the lead's first line, cut the same way
    no_title = event_title([{**_candidate(None, 0.9), "lead": LONG + " burned through the night.\nMore."}], centroid)
    assert no_title.endswith("…") and len(no_title) <= MAX_TITLE and LONG.startswith(no_title[:-1])


class _Tables:
    def __init__(self) -> None:
        self.titles: dict[tuple[str, int], str | None] = {}

    def event_title_candidates(self, event_id: int) -> list[dict]:
        return []

    def event(self, event_id: int) -> dict:
        return {"centroid": None}

    def storyline_title_candidates(self, storyline_id: int) -> list[dict]:
        return [{"title": LONG, "n_articles": 9, "start": "2025-03-02"},
                {"title": "Harbourton counts the cost of a night of riots", "n_articles": 4, "start": "2025-03-03"}]

    def set_title(self, table: str, row_id: int, title: str | None) -> None:
        self.titles[(table, row_id)] = title


def test_a_storyline_takes_its_most_reported_headline_like_title():
    tables = _Tables()
    refresh_titles(tables, [], [7])
    assert tables.titles[("storylines", 7)] == "Harbourton counts the cost of a night of riots"
