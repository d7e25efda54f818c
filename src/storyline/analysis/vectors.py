"""Sentence meaning vectors (MiniLM) for the analyses that match statements worded differently across outlets
(claims, conflicts), computed once per storyline material and only for the sentences asked for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .facts import Fact
from .material import Material

MAX_CHARS = 600  # a sentence longer than this is embedded from its start (the model reads 128 tokens)


def vectors(material: Material, facts: Iterable[Fact]) -> dict[tuple[str, int], np.ndarray]:
    """Unit vectors of these facts' sentences, keyed ``(article_id, sentence index)``; cached in the material
    so claims and conflicts embed each sentence once."""
    from ..stories.embed import embed

    cache: dict[tuple[str, int], Any] = material.cache.setdefault("vectors", {})
    todo = [f for f in facts if (f.article_id, f.sentence.index) not in cache]
    todo = list({(f.article_id, f.sentence.index): f for f in todo}.values())
    if todo:
        for f, v in zip(todo, embed([f.sentence.text.strip()[:MAX_CHARS] for f in todo])):
            cache[(f.article_id, f.sentence.index)] = v
    return cache


def cosine(material: Material, a: Fact, b: Fact) -> float:
    """Cosine of two facts' sentences (embedding them if they are not yet)."""
    vs = vectors(material, (a, b))
    return float(vs[(a.article_id, a.sentence.index)] @ vs[(b.article_id, b.sentence.index)])
