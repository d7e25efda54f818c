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
from collections import defaultdict
from typing import Any

from .conflicts import detect
from .facts import Fact, build
from .material import Material, load
from .vectors import vectors as sentence_vectors

SAME_CLAIM_COSINE = 0.65  # MiniLM cosine at which two sentences assert one claim ...
SAME_CLAIM_NEAR = 0.5  # ... or this close, with their words, entities and figures agreeing (weighted Dice)
SAME_CLAIM = 0.3  # that weighted Dice
MIN_SHARED = 3  # words and entities a sentence must share with a claim's sentence for the Dice to count
LEAD_SENTENCES = 12  # an article's first sentences, where news says what happened; later ones need a figure or day
MAX_CANDIDATES_TOTAL = 2500  # sentences embedded per storyline (a long storyline: leads first)
MAX_CANDIDATES = 20  # nearest representatives compared per sentence
COMPLETE_COSINE = 0.65  # an article's sentence this close to a claim's mean asserts it too
ANCHOR_WEIGHT = 3.0  # a figure or an event day, against 1 for a content word
ENTITY_WEIGHT = 2.0  # a canonical entity
REPRESENTATIVES = 3  # sentences of a claim (from different sources) that later sentences are compared to


def extract(store: Any, story: dict[str, Any]) -> list[dict[str, Any]]:
    """Claims of one storyline (``api.story`` dict), the most independently asserted first."""
    return from_material(load(store, story), story.get("id"))


def from_material(material: Material, storyline_id: Any = None) -> list[dict[str, Any]]:
    facts = build(material)
    clusters = _cluster(facts, material)
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


def _candidates(facts: list[Fact]) -> list[Fact]:
    """Sentences that can state a claim: of news articles (an opinion piece corroborates nothing), among each
    article's first ``LEAD_SENTENCES`` or carrying a figure or a day, at most ``MAX_CANDIDATES_TOTAL``."""
    out = [f for f in facts if not f.doc.opinion and (f.sentence.index < LEAD_SENTENCES or f.figures or f.days)]
    out.sort(key=lambda f: (f.doc.published or "9999", f.article_id, f.sentence.index))
    if len(out) > MAX_CANDIDATES_TOTAL:   # a long storyline: each article's lead first
        out.sort(key=lambda f: (f.sentence.index, f.doc.published or "9999", f.article_id))
        out = sorted(out[:MAX_CANDIDATES_TOTAL], key=lambda f: (f.doc.published or "9999", f.article_id,
                                                                f.sentence.index))
    return out


def _cluster(facts: list[Fact], material: Material) -> list[list[Fact]]:
    """Sentences asserting one claim, found across differently worded articles: a sentence joins the claim
    whose representatives (its first sentences from different sources) it is closest to in meaning (MiniLM
    cosine at least ``SAME_CLAIM_COSINE``, or ``SAME_CLAIM_NEAR`` with the words, entities and figures
    agreeing too), never two sentences of one article, never across disagreeing figures (that is a
    conflict, not a claim)."""
    import numpy as np

    ordered = _candidates(facts)
    if not ordered:
        return []
    cached = sentence_vectors(material, ordered)
    vectors = np.stack([cached[(f.article_id, f.sentence.index)] for f in ordered])
    # every cosine at once: one matrix product (at most MAX_CANDIDATES_TOTAL squared), not one product per
    # sentence (BLAS threads started thousands of times cost 8 s of CPU on a 5,000-article storyline)
    cosines = vectors @ vectors.T
    signatures = [_signature(f) for f in ordered]
    members: list[list[Fact]] = []
    in_claim: list[set[str]] = []  # each claim's articles
    n_reps: list[int] = []  # each claim's representatives
    rep_claim: list[int] = []
    rep_index = np.zeros(len(ordered), dtype=np.int64)
    n = 0  # representatives so far
    for i, f in enumerate(ordered):
        best, best_score = None, 0.0
        if n:
            sims = cosines[rep_index[:n], i]
            top = np.argpartition(-sims, MAX_CANDIDATES - 1)[:MAX_CANDIDATES] if n > MAX_CANDIDATES else np.arange(n)
            for r in top[np.argsort(-sims[top], kind="stable")]:
                cos = float(sims[r])
                if cos < SAME_CLAIM_NEAR:
                    break
                claim, j = rep_claim[r], int(rep_index[r])
                if f.article_id in in_claim[claim] or _disagree(f, ordered[j]):
                    continue
                if cos < SAME_CLAIM_COSINE and _similarity(signatures[i], signatures[j]) < SAME_CLAIM:
                    continue
                if cos > best_score:
                    best, best_score = claim, cos
        if best is None:
            best = len(members)
            members.append([])
            in_claim.append(set())
            n_reps.append(0)
        members[best].append(f)
        in_claim[best].add(f.article_id)
        if len(members[best]) == 1 or (n_reps[best] < REPRESENTATIVES
                                       and all(m.doc.source != f.doc.source for m in members[best][:-1])):
            rep_claim.append(best)
            rep_index[n] = i
            n += 1
            n_reps[best] += 1
    return _complete(members, ordered, vectors)


def _complete(members: list[list[Fact]], ordered: list[Fact], vectors: Any) -> list[list[Fact]]:
    """A second look for articles a claim missed: each article's sentence closest to the claim as a whole
    (the mean of its sentences) joins it when close enough (``COMPLETE_COSINE``) and not disagreeing on a
    figure, so a claim worded three ways across outlets is counted in all of them."""
    import numpy as np

    position = {(f.article_id, f.sentence.index): i for i, f in enumerate(ordered)}
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(ordered):
        by_article[f.article_id].append(i)
    grown = [g for g, group in enumerate(members) if len(group) >= 2]
    if not grown:
        return members
    centres = np.stack([np.mean([vectors[position[(f.article_id, f.sentence.index)]] for f in members[g]], axis=0)
                        for g in grown])
    centres /= np.where(np.linalg.norm(centres, axis=1, keepdims=True) > 0,
                        np.linalg.norm(centres, axis=1, keepdims=True), 1.0)
    # each article's closest sentence to each claim's centre: one product, then the best row per article
    articles = list(by_article)
    rows = np.array([i for aid in articles for i in by_article[aid]])
    starts = np.cumsum([0] + [len(by_article[aid]) for aid in articles[:-1]])
    sims = (vectors @ centres.T)[rows]
    best = np.maximum.reduceat(sims, starts, axis=0)  # articles x claims
    out = [list(group) for group in members]
    for col, g in enumerate(grown):
        group = members[g]
        have = {f.article_id for f in group}
        added = []
        for a in np.nonzero(best[:, col] >= COMPLETE_COSINE)[0]:
            aid = articles[a]
            if aid in have:
                continue
            own = by_article[aid]
            f = ordered[own[int(np.argmax(sims[starts[a]:starts[a] + len(own), col]))]]
            if not any(_disagree(f, m) for m in group):
                added.append(f)
        out[g] = group + added
    return out


def _disagree(a: Fact, b: Fact) -> bool:
    """Figures of one unit that cannot both be true: the sentences dispute a claim, they do not share it."""
    units = {q.unit for q in a.figures if q.unit} & {q.unit for q in b.figures if q.unit}
    for unit in units:
        qa = [q for q in a.figures if q.unit == unit]
        qb = [q for q in b.figures if q.unit == unit]
        if qa and qb and not any(x.overlaps(y) for x in qa for y in qb):
            return True
    return False


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
               if aid not in asserted and aid not in contradicting and not material.docs[aid].opinion]
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
