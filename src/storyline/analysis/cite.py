"""Citations: a sentence of an article, verbatim, with the article, outlet, date and character offsets.

Every record the storyline analyses produce points back to the sentence it came from through
``{article_id, outlet, date, start, end}``; ``date`` is the article's publication day (``None`` when the
article is undated: an inferred range is never shown as a date).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from ..records import StoryMaterial

_FALLBACK_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’]?|$)")
FALLBACK_CHARS = 4000  # text split on punctuation when an article has no stored sentences (NLP off)


def sentences_of(material: StoryMaterial, article_id: str) -> list[tuple[int, int]]:
    """The stored sentences of an article; without NLP, its opening split on sentence punctuation."""
    found = material.sentences.get(article_id)
    if found:
        return found
    article = material.articles.get(article_id)
    if article is None:
        return []
    return [(m.start(), m.end()) for m in _FALLBACK_SENTENCE.finditer(article.text[:FALLBACK_CHARS])
            if m.group().strip()]


def sentence_at(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The ``(start, end)`` of the sentence holding character ``offset`` (sentences sorted by start)."""
    i = bisect_right([s for s, _ in sentences], offset) - 1
    if i >= 0 and sentences[i][0] <= offset < max(sentences[i][1], sentences[i][0] + 1):
        return sentences[i]
    return None


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed to the visible text (no surrounding white space)."""
    raw = text[start:end]
    lead = len(raw) - len(raw.lstrip())
    return start + lead, start + lead + len(raw.strip())


def citation(material: StoryMaterial, article_id: str, start: int, end: int) -> dict[str, Any]:
    """``{article_id, outlet, date, start, end}`` for a span of an article."""
    article = material.articles.get(article_id)
    return {"article_id": article_id, "outlet": article.outlet if article else None,
            "date": article.published if article else None, "start": start, "end": end}


def cited_sentence(material: StoryMaterial, article_id: str, offset: int) -> dict[str, Any] | None:
    """The sentence of an article holding ``offset``: ``{text, citation}`` (verbatim), or ``None``."""
    article = material.articles.get(article_id)
    if article is None:
        return None
    found = sentence_at(sentences_of(material, article_id), offset)
    if found is None:
        return None
    start, end = trimmed(article.text, *found)
    if end <= start:
        return None
    return {"text": article.text[start:end], "citation": citation(material, article_id, start, end)}
