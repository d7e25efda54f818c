"""Claims and corroboration: facts asserted across articles, how many independent sources assert each.

``extract(store, story)`` works on the storyline's fact-bearing sentences (``facts.build``):

1. sentences are clustered across articles, in publication order, by leader clustering: a sentence
   joins the first claim whose leading sentence shares enough of its content words and canonical
   entities (Dice >= ``SAME_CLAIM``), looked up through an index of each leader's rarest words, so
   the work per sentence stays bounded however long the storyline is;
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
MAX_CANDIDATES = 50  # leaders compared per sentence (the ones sharing most rare words)


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
    return f.stems | f.entities


def _cluster(facts: list[Fact]) -> list[list[Fact]]:
    ordered = sorted(facts, key=lambda f: (f.doc.published or "9999", f.article_id, f.sentence.index))
    signatures = [_signature(f) for f in ordered]
    df = Counter(t for sig in signatures for t in sig)
    leaders: list[int] = []
    members: dict[int, list[Fact]] = {}
    index: dict[str, list[int]] = defaultdict(list)
    for i, (f, sig) in enumerate(zip(ordered, signatures)):
        rare = sorted(sig, key=lambda t: (df[t], t))[:INDEX_WORDS]
        hits = Counter(leader for t in rare for leader in index.get(t, ()))
        best, best_score = None, 0.0
        for leader, _ in hits.most_common(MAX_CANDIDATES):
            lf = ordered[leader]
            if lf.article_id == f.article_id:
                continue
            shared = len(sig & signatures[leader])
            score = 2 * shared / (len(sig) + len(signatures[leader]))
            if shared >= MIN_SHARED and score >= SAME_CLAIM and score > best_score:
                best, best_score = leader, score
        if best is None:
            leaders.append(i)
            members[i] = [f]
            for t in rare:
                index[t].append(i)
        else:
            members[best].append(f)
    return [members[i] for i in leaders]


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
