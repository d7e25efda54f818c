"""Person conflicts: two independent reports of one act naming different people for it ("Justice A wrote the
dissent" / "Justice B wrote the dissent"; the person named for a post, the one who signed, led, resigned).

Precision first, as a reader would sign it: the two sentences come from independent sources of one event,
each names exactly one person (a sentence naming several may name several doers), the two people differ and
neither article names the other's person anywhere (an article naming both knows both took part), the
sentences say the same thing (MiniLM cosine at least ``ROLE_COSINE``) and share at least ``MIN_ROLE_STEMS``
content words besides the names, and neither is a quotation (who said it is the ``speaker`` kind).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from .facts import Fact, entity_key, pairs
from .material import Material, Mention
from .vectors import cosine
from .words import tokens

ROLE_COSINE = 0.85
MIN_ROLE_STEMS = 4
MAX_BUCKET = 150


def named_people(facts: list[Fact], material: Material) -> Iterator[tuple[Fact, Fact, str, str, float, str]]:
    """``(fact_a, fact_b, person_a, person_b, confidence, about)`` for each pair naming different people."""
    solo = [f for f in facts if len(f.people) == 1 and not f.quoted and f.doc.event_id is not None]
    if len(solo) < 2:
        return
    # each article's people, and each sentence's person mentions: one pass over the articles' mentions
    in_article: dict[str, set[str]] = {}
    by_sentence: dict[tuple[str, int], list[Mention]] = defaultdict(list)
    for aid in {f.article_id for f in solo}:
        people = [m for m in material.mentions.get(aid, []) if m.label == "PERSON"]
        in_article[aid] = {entity_key(m.entity_id, m.name) for m in people}
        for m in people:
            by_sentence[(aid, m.sentence)].append(m)
    names: dict[tuple[str, int], tuple[str, set[str]]] = {}
    for key, person in by_sentence.items():
        longest = max(person, key=lambda m: len(m.name))
        names[key] = (longest.name, {w for m in person for w in tokens(m.name)})

    for a, b in pairs(solo, lambda f: [f.doc.event_id], MAX_BUCKET):
        if a.doc.source == b.doc.source or a.people == b.people:
            continue
        (pa,), (pb,) = a.people, b.people
        if pb in in_article[a.article_id] or pa in in_article[b.article_id]:
            continue
        na, nb = names.get((a.article_id, a.sentence.index)), names.get((b.article_id, b.sentence.index))
        if na is None or nb is None:
            continue
        name_words = {w[:5] for w in na[1] | nb[1]}
        shared = {s for s in a.stems & b.stems if s[:5] not in name_words}
        if len(shared) < MIN_ROLE_STEMS:
            continue
        cos = cosine(material, a, b)
        if cos < ROLE_COSINE:
            continue
        about = "who: " + " ".join(sorted(shared)[:6])
        yield a, b, na[0], nb[0], round(0.6 + (cos - ROLE_COSINE), 2), about
