"""Sentence meaning vectors (MiniLM) for the analyses that match statements worded differently across outlets
(claims, conflicts), computed once per storyline material and only for the sentences asked for.

A vector embedded for one brief is stored (``store.vectors``) and read by the next, in any process, while its
article's text stays the same; the story stage stores those of each article's first sentences as it places it
(a long storyline's brief compares leads first). Every vector is used as stored (rounded to float16), fresh or
read back, so a brief does not change between its first build and the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..clean.metadata import content_hash
from .facts import Fact
from .material import Material

MAX_COMPARED = 2500  # sentences compared in meaning per storyline (a long storyline: each article's leads first)


def compared(facts: list[Fact]) -> list[Fact]:
    """The sentences a brief compares in meaning (claims cluster them; conflicts read their vectors first):
    of news articles (an opinion piece corroborates nothing), at most ``MAX_COMPARED``, each article's
    opening sentences first; in publication order."""
    out = [f for f in facts if not f.doc.opinion]
    if len(out) > MAX_COMPARED:
        out.sort(key=lambda f: (f.sentence.index, f.doc.published or "9999", f.article_id))
        out = out[:MAX_COMPARED]
    out.sort(key=lambda f: (f.doc.published or "9999", f.article_id, f.sentence.index))
    return out


def vectors(material: Material, facts: Iterable[Fact]) -> dict[tuple[str, int], np.ndarray]:
    """Unit vectors of these facts' sentences, keyed ``(article_id, sentence index)``; cached in the material
    so claims and conflicts embed each sentence once, and stored for the next brief."""
    from ..stories.embed import embed, sentence_input

    cache: dict[tuple[str, int], Any] = material.cache.setdefault("vectors", {})
    todo = list({(f.article_id, f.sentence.index): f for f in facts
                 if (f.article_id, f.sentence.index) not in cache}.values())
    kept = material.vector_store
    if todo and kept is not None:
        stored = kept.get(sorted({f.article_id for f in todo}))
        rest = []
        for f in todo:
            v = stored.get((f.article_id, f.sentence.start))
            if v is None:
                rest.append(f)
            else:
                cache[(f.article_id, f.sentence.index)] = v
        todo = rest
    if todo:
        fresh = embed([sentence_input(f.sentence.text) for f in todo]).astype(np.float16).astype(np.float32)
        for f, v in zip(todo, fresh):
            cache[(f.article_id, f.sentence.index)] = v
        if kept is not None:
            hashes = {aid: content_hash(material.docs[aid].text) for aid in {f.article_id for f in todo}}
            kept.put((f.article_id, f.sentence.start, hashes[f.article_id], v) for f, v in zip(todo, fresh))
    return cache


def cosine(material: Material, a: Fact, b: Fact) -> float:
    """Cosine of two facts' sentences (embedding them if they are not yet)."""
    vs = vectors(material, (a, b))
    return float(vs[(a.article_id, a.sentence.index)] @ vs[(b.article_id, b.sentence.index)])
