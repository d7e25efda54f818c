"""Stances of one written sentence or paragraph through the real parse (quotes and mentions found as the
pipeline finds them), for the stance tests."""

from __future__ import annotations

from typing import Any


def stances_of(nlp: Any, text: str, judge: Any = None, published: str | None = None) -> list:
    """``find_stances`` over ``text`` parsed by ``nlp``; ``judge`` as ``find_stances`` takes it (the shipped
    speech model when ``None``), ``published`` the article's day."""
    from storyline.extract.quotes import find_quotes
    from storyline.extract.stances import find_stances
    from storyline.nlp.entities import find_mentions
    from storyline.records import Sentence

    doc = nlp(text)
    sents = tuple(Sentence(i, s.start_char, s.end_char) for i, s in enumerate(doc.sents))
    return find_stances(doc, find_mentions(doc, sents), find_quotes(doc), judge=judge, published=published)
