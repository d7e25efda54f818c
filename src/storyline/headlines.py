"""Headline-like titles for storylines and events: an outlet's headline of at most ``MAX_TITLE`` characters,
never a body sentence (the story stage names events and storylines with them; the brief checks them again).

``headline(current, candidates)`` keeps the stored title when it reads as a headline; otherwise it takes the
candidate headline (the articles' own titles, most reported first) that does, else cuts the stored one at a
word boundary with an ellipsis. A headline has no sentence-final full stop, at most ``MAX_TITLE``
characters and at least ``MIN_WORDS`` words; an "OPINION:" label is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_TITLE = 90
MIN_WORDS = 3
_LABEL = re.compile(r"^\s*(?:opinion|analysis/opinion|analysis|commentary|editorial|exclusive|breaking)\s*[:|]\s*",
                    re.I)


def is_headline(title: str | None) -> bool:
    if not title:
        return False
    t = _LABEL.sub("", " ".join(title.split()))
    return MIN_WORDS <= len(t.split()) and len(t) <= MAX_TITLE and not (t.endswith(".") and len(t.split()) > 12)


def headline(current: str | None, candidates: Iterable[str | None] = ()) -> str | None:
    """The best headline-like title (see the module docstring)."""
    if current and is_headline(current):
        return _LABEL.sub("", " ".join(current.split()))
    for c in candidates:
        if is_headline(c):
            return _LABEL.sub("", " ".join(c.split()))
    text = " ".join((current or next((c for c in candidates if c), "") or "").split())
    if not text:
        return None
    text = _LABEL.sub("", text)
    if len(text) <= MAX_TITLE:
        return text
    return text[:MAX_TITLE - 1].rsplit(" ", 1)[0].rstrip(",;:-–—") + "…"
