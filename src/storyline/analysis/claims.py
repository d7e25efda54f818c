"""Claims and corroboration: facts asserted across articles, how many independent sources assert each.

``extract(store, story)`` works on the storyline's fact-bearing sentences (``facts.build``):

1. sentences are clustered across articles, in publication order: a sentence joins the claim whose
   first sentences (up to ``REPRESENTATIVES``, from different sources) share most of its content words,
   canonical entities, figures and days (Dice >= ``SAME_CLAIM``, weighted: figures and days count most,
   then entities, then words; a figure also matches without its unit), looked up through an index of their
   rarest words, so the work per sentence stays bounded however long the storyline is;
2. a claim is kept when two or more articles assert it, or when a conflict disputes it;
3. ``independent_sources`` counts the distinct sources among the asserting articles: copies and
   rewrites of one origin are one source (``material.Doc.source``);
4. ``omitted_by`` lists the articles of the same events that do not assert it, and ``contradicted_by``
   the articles on the other side of a conflict (``conflicts.detect``) about one of its sentences.

Each claim: ``{id, text, kind, asserted_by: [{article_id, outlet, source_id, start, end, text}],
independent_sources, omitted_by, contradicted_by: [{article_id, outlet, start, end, text}]}``.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from typing import Any

from .conflicts import detect
from .facts import Fact, build
from .material import Material, load

SAME_CLAIM = 0.4  # Dice of content words and entities for a sentence to assert a claim's leading sentence
MIN_SHARED = 4  # words and entities a sentence must share with a claim's leading sentence
INDEX_WORDS = 8  # rarest words of a leader it is looked up by
MAX_CANDIDATES = 50  # representatives compared per sentence (the ones sharing most rare words)
ANCHOR_WEIGHT = 3.0  # a figure or an event day, against 1 for a content word
ENTITY_WEIGHT = 2.0  # a canonical entity
REPRESENTATIVES = 3  # sentences of a claim (from different sources) that later sentences are compared to


def extract(store: Any, story: dict[str, Any]) -> list[dict[str, Any]]:
    """Claims of one storyline (``api.story`` dict), the most independently asserted first."""
    return from_material(load(store, story), story.get("id"))


def from_material(material: Material, storyline_id: Any = None) -> list[dict[str, Any]]:
    facts = build(material)
    clusters = _cluster(facts)
    disputed = _disputes(detect(material))
    out = []
    for members in clusters:
        by_article: dict[str, Fact] = {}
        for f in members:
            by_article.setdefault(f.article_id, f)
        keys = {(f.article_id, f.sentence.start) for f in members}
        against = _against(keys, disputed)
        if len(by_article) < 2 and not against:
            continue
        out.append(_claim(members[0], list(by_article.values()), against, material, storyline_id))
    return sorted(out, key=lambda c: (-c["independent_sources"], -len(c["asserted_by"]), c["id"]))


def _signature(f: Fact) -> frozenset[str]:
    """Content words, canonical entities, figures ("#18%", however written) and event days ("@2024-11-08")."""
    # each figure with its unit and without: "74 bulk carriers" and "put the number ... at 74" share "#74-74"
    figures = {f"#{q.low:g}-{q.high:g}{unit}" for q in f.figures for unit in {q.unit, ""}}
    return f.stems | f.entities | figures | {f"@{d[0]}" for d in f.days}


def _cluster(facts: list[Fact]) -> list[list[Fact]]:
    ordered = sorted(facts, key=lambda f: (f.doc.published or "9999", f.article_id, f.sentence.index))
    signatures = [_signature(f) for f in ordered]
    df = Counter(t for sig in signatures for t in sig)
    members: list[list[Fact]] = []  # claims, in order of their first sentence
    reps: list[tuple[int, int]] = []  # (claim, sentence) of the sentences a claim is looked up by
    index: dict[str, list[int]] = defaultdict(list)  # rare word -> positions in ``reps``
    for i, (f, sig) in enumerate(zip(ordered, signatures)):
        rare = sorted(sig, key=lambda t: (df[t], t))[:INDEX_WORDS]
        hits = Counter(r for t in rare for r in index.get(t, ()))
        best, best_score = None, 0.0
        for r, _ in hits.most_common(MAX_CANDIDATES):
            claim, j = reps[r]
            if any(m.article_id == f.article_id for m in members[claim]):
                continue
            score = _similarity(sig, signatures[j])
            if score >= SAME_CLAIM and score > best_score:
                best, best_score = claim, score
        if best is None:
            best = len(members)
            members.append([])
        members[best].append(f)
        # the first few sentences of a claim, from different sources, are what later ones are matched to
        if len(members[best]) == 1 or (sum(c == best for c, _ in reps) < REPRESENTATIVES
                                       and all(m.doc.source != f.doc.source for m in members[best][:-1])):
            reps.append((best, i))
            for t in rare:
                index[t].append(len(reps) - 1)
    return members


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Weighted Dice of two signatures (0 when they share fewer than ``MIN_SHARED`` tokens)."""
    shared = a & b
    if len(shared) < MIN_SHARED:
        return 0.0
    return 2 * _weight(shared) / (_weight(a) + _weight(b))


def _weight(tokens: frozenset[str]) -> float:
    """Figures and days say most about which fact a sentence asserts, canonical entities next, words least:
    paraphrases across outlets keep the first and reword the last."""
    return sum(ANCHOR_WEIGHT if t[0] in "#@" else ENTITY_WEIGHT if _is_entity(t) else 1.0 for t in tokens)


def _is_entity(token: str) -> bool:
    """An ``facts.entity_key``: "e12" or "n:name"."""
    return token.startswith("n:") or (token[0] == "e" and token[1:].isdigit())


def _disputes(conflicts: list[dict[str, Any]]) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """Sentence -> the sides that disagree with it."""
    out: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for c in conflicts:
        for side in c["sides"]:
            others = [s for s in c["sides"] if s["value"] != side["value"] and s["article_id"] != side["article_id"]]
            out[(side["article_id"], side["start"])] += others
    return out


def _against(keys: set[tuple[str, int]], disputed: dict[tuple[str, int], list[dict[str, Any]]]) -> list[dict]:
    seen: dict[str, dict[str, Any]] = {}
    for key in keys:
        for side in disputed.get(key, []):
            if (side["article_id"], side["start"]) not in keys:
                seen.setdefault(side["article_id"], {k: side[k] for k in ("article_id", "outlet", "start", "end",
                                                                         "text")})
    return list(seen.values())


def _claim(leader: Fact, asserting: list[Fact], against: list[dict[str, Any]], material: Material,
           storyline_id: Any) -> dict[str, Any]:
    asserted = {f.article_id for f in asserting}
    events = {f.doc.event_id for f in asserting}
    contradicting = {a["article_id"] for a in against}
    omitted = [aid for e in events for aid in material.events.get(e, [])
               if aid not in asserted and aid not in contradicting]
    ident = hashlib.blake2b(f"{leader.article_id}:{leader.sentence.start}".encode(), digest_size=6).hexdigest()
    return {
        "id": f"{storyline_id}-{ident}" if storyline_id is not None else ident,
        "text": leader.sentence.text.strip(),
        "kind": _kind(leader),
        "asserted_by": [{"article_id": f.article_id, "outlet": f.doc.outlet, "source_id": f.doc.source,
                         "start": f.sentence.start, "end": f.sentence.end, "text": f.sentence.text.strip()}
                        for f in asserting],
        "independent_sources": len({f.doc.source for f in asserting}),
        "omitted_by": sorted(set(omitted)),
        "contradicted_by": against,
        # a storyline longer than material.MAX_ANALYSED is read as a sample: the counts are within it
        "sampled": len(material.docs) < material.n_articles,
    }


def _kind(f: Fact) -> str:
    """What the claim asserts, by what its leading sentence carries."""
    if f.figures:
        return "number"
    if f.days:
        return "date"
    if f.quoted:
        return "statement"
    return "event"
