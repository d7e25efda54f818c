"""Person conflicts: two independent reports of one act naming different people for it ("Justice A wrote the
dissent" / "Justice B wrote the dissent"; the person named for a post, the one who signed, led, resigned), and
one person's name written two ways (``middle_names``). The holders of a post are in ``post_holders``.

Precision first, as a reader would sign it: the two sentences come from independent sources of one event,
each names exactly one person (a sentence naming several may name several doers), the two people differ and
neither article names the other's person anywhere (an article naming both knows both took part), the
sentences say the same thing (MiniLM cosine at least ``ROLE_COSINE``) and share at least ``MIN_ROLE_STEMS``
content words besides the names, and neither is a quotation (who said it is the ``speaker`` kind).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from .align import near_in_time
from .facts import Fact, entity_key, pairs
from .material import Material, Mention
from .speakers import TITLE_WORDS
from .vectors import cosine
from .words import fold, tokens

ROLE_COSINE = 0.85
NAME_DAYS = 30  # two spellings of one person's name are compared when reported at most this many days apart
MAX_FORMS = 60  # reports of one person's full name compared
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
        if na is None or nb is None or not (na[0][:1].isupper() and nb[0][:1].isupper()):
            continue   # a description tagged as a person ("this president") names no one
        wa, wb = set(tokens(na[0])), set(tokens(nb[0]))
        if wa <= wb or wb <= wa:
            continue   # "Trump" and "Donald Trump": a surname alone is the person it ends
        name_words = {w[:5] for w in na[1] | nb[1]}
        shared = {s for s in a.stems & b.stems if s[:5] not in name_words}
        if len(shared) < MIN_ROLE_STEMS:
            continue
        cos = cosine(material, a, b)
        if cos < ROLE_COSINE:
            continue
        about = "who: " + " ".join(sorted(shared)[:6])
        yield a, b, na[0], nb[0], round(0.6 + (cos - ROLE_COSINE), 2), about


def middle_names(facts: list[Fact], material: Material) -> Iterator[tuple[Fact, Fact, str, str, float, str]]:
    """One person's name written with two different middle names by two independent sources within
    ``NAME_DAYS`` ("Thomas Eric Duncan" / "Thomas Edward Duncan"): first and last names alike, a whole middle
    name (not an initial) each, differing beyond accents ("Pena" / "Peña"), and neither article writing the
    other's form."""
    forms: dict[tuple[str, str], list[tuple[Fact, str, str]]] = defaultdict(list)
    for f in facts:
        if f.doc.opinion:
            continue
        for m in material.people(f.article_id, f.sentence.index):
            words = [w for w in m.text.split() if w.rstrip(".").casefold() not in _SUFFIXES]
            if words and words[0].rstrip(".").casefold() in TITLE_WORDS:
                continue   # "(First) Lady Barbara Bush", "Lady Laura Bush": a title and a name, two people
            if len(words) != 3 or not all(w[:1].isupper() for w in words):
                continue
            middle = words[1].strip(",")
            if len(middle.rstrip(".")) < 2 or middle.endswith(".") or "-" in middle:
                continue   # an initial ("John G. Roberts") says nothing against a whole name
            key, mid = (fold(words[0]), fold(words[2])), fold(middle)
            if len(forms[key]) < MAX_FORMS and not any(x[2] == mid and x[0].doc.source == f.doc.source
                                                       for x in forms[key]):
                forms[key].append((f, m.text, mid))   # one report per spelling and source
    for (first, last), items in forms.items():
        seen: set[tuple[str, str]] = set()
        for i, (a, name_a, mid_a) in enumerate(items):
            for b, name_b, mid_b in items[i + 1:]:
                if mid_a == mid_b or a.doc.source == b.doc.source or (mid_a, mid_b) in seen \
                        or not near_in_time(a, b, NAME_DAYS):
                    continue
                if name_b in material.docs[a.article_id].text or name_a in material.docs[b.article_id].text:
                    continue   # an article writing both forms knows two people (or corrects itself)
                seen |= {(mid_a, mid_b), (mid_b, mid_a)}
                yield a, b, name_a, name_b, 0.6, f"the name of {first.title()} {last.title()}: {name_a} vs {name_b}"


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
