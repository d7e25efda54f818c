"""Claims and corroboration: facts asserted across articles, how many independent sources assert each.

``extract(store, story)`` works on the storyline's fact-bearing sentences (``facts.build``):

1. sentences of news articles are clustered across articles, in publication order: a sentence joins the
   claim with the representative (one of its first sentences from different sources) it scores best with,
   by a same-claim score of the pair (``PAIR_WEIGHTS``: MiniLM cosine, the storyline-IDF mass of the words,
   canonical entities, figures and days the two share, shared figures and days, both opening their
   articles), looked up among its nearest representatives in meaning so the work per sentence stays bounded;
   a claim then drops members that score low with the rest (``PRUNE``) and takes, from each article it
   missed, the sentence that scores best with its members (``COMPLETE``);
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
import math
from collections import Counter, defaultdict
from typing import Any

from .conflicts import detect
from .facts import Fact, build
from .material import Material, load
from .vectors import compared, vectors as sentence_vectors

# Two sentences of different articles assert one claim by a logistic score (log-odds) of what they share:
# MiniLM cosine, the storyline-IDF mass of their shared words, entities, figures and days (and that mass over
# the smaller sentence's), shared figures and days, and whether both open their articles. Fitted on the real
# labelled storylines by ``python -m bench train_claims`` (leave-one-storyline-out AUC in its results).
PAIR_WEIGHTS = (7.03, 0.1, 3.99, 1.71, 0.48)  # cosine, shared IDF, shared IDF share, anchors, both leads
PAIR_BIAS = -5.78
JOIN = 1.0  # score with one of a claim's representatives at which a sentence joins the claim
PRUNE = 2.5  # mean score with a claim's other members below which a sentence leaves it
COMPLETE = 1.5  # mean score with a claim's members at which another article's sentence joins it
LEAD = 5  # sentences that open an article
MIN_COSINE = 0.3  # pairs less alike in meaning are not scored
MAX_CANDIDATES = 20  # nearest representatives compared per sentence
MAX_MEMBERS = 12  # members of a claim an article's sentence is compared with
ARTICLE_TRIES = 3  # an article's sentences nearest a claim's centre that are scored against it
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


def _score(cosine: Any, shared_idf: Any, share: Any, anchors: Any, leads: Any) -> Any:
    """The same-claim log-odds of pairs from their features (numbers or arrays alike)."""
    w = PAIR_WEIGHTS
    return PAIR_BIAS + w[0] * cosine + w[1] * shared_idf + w[2] * share + w[3] * anchors + w[4] * leads


class _Pairs:
    """The same-claim scores (``PAIR_WEIGHTS``) of candidate sentences, with the storyline's IDF: a sentence
    against its few nearest representatives as set intersections (``row``), every sentence against a
    claim's members as one sparse product (``block``); never the whole square, which at
    ``vectors.MAX_COMPARED`` sentences costs more in memory traffic than it saves."""

    def __init__(self, ordered: list[Fact], cosines: Any) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix

        self.signatures = [_signature(f) for f in ordered]
        df: Counter[str] = Counter(t for sig in self.signatures for t in sig)
        self.idf = {t: math.log(len(ordered) / k) for t, k in df.items()}
        column = {t: k for k, t in enumerate(df)}
        indptr = np.cumsum([0] + [len(sig) for sig in self.signatures])
        tokens = [t for sig in self.signatures for t in sig]
        cols = np.fromiter((column[t] for t in tokens), dtype=np.int64, count=len(tokens))
        shape = (len(ordered), len(column))
        self.ones = csr_matrix((np.ones(len(tokens)), cols, indptr), shape=shape)
        self.weighted = csr_matrix((np.fromiter((self.idf[t] for t in tokens), dtype=np.float64,
                                                count=len(tokens)), cols, indptr), shape=shape)
        self.anchor = csr_matrix((np.fromiter((t[0] in "#@" for t in tokens), dtype=np.float64,
                                              count=len(tokens)), cols, indptr), shape=shape)
        self.mass = np.asarray(self.weighted.sum(axis=1)).ravel()
        self.lead = np.array([f.sentence.index < LEAD for f in ordered], dtype=np.float64)
        self.cosines = cosines

    def features(self, rows: Any, cols: Any) -> tuple[Any, ...]:
        """The features of every pair of ``rows`` x ``cols`` (index arrays), in ``PAIR_WEIGHTS`` order."""
        import numpy as np

        rows, cols = np.asarray(rows), np.asarray(cols)
        theirs = self.ones[cols].T
        shared = (self.weighted[rows] @ theirs).toarray()
        share = shared / np.maximum(np.minimum.outer(self.mass[rows], self.mass[cols]), 1e-9)
        anchors = (self.anchor[rows] @ theirs).toarray()
        return (self.cosines[np.ix_(rows, cols)], shared, share, anchors, np.add.outer(self.lead[rows], self.lead[cols]))

    def row(self, i: int, cols: list[int]) -> list[float]:
        """Scores of sentence ``i`` against a few others (its nearest representatives), in plain Python."""
        mine, mass, lead = self.signatures[i], float(self.mass[i]), float(self.lead[i])
        out = []
        for c, cos in zip(cols, self.cosines[i, cols].tolist()):
            if cos < MIN_COSINE:
                out.append(-math.inf)
                continue
            shared = mine & self.signatures[c]
            idf = sum(self.idf[t] for t in shared)
            out.append(_score(cos, idf, idf / max(min(mass, float(self.mass[c])), 1e-9),
                              sum(t[0] in "#@" for t in shared), lead + float(self.lead[c])))
        return out

    def block(self, rows: Any, cols: Any) -> Any:
        """Scores of ``rows`` x ``cols``; -inf where two sentences are less alike than ``MIN_COSINE``."""
        import numpy as np

        x = self.features(rows, cols)
        return np.where(x[0] < MIN_COSINE, -np.inf, _score(*x))


def _cluster(facts: list[Fact], material: Material) -> list[list[Fact]]:
    """Sentences asserting one claim, found across differently worded articles: a sentence joins the claim
    with the representative (one of its first sentences from different sources) it scores best with, at
    least ``JOIN``; never two sentences of one article, never across disagreeing figures (that is a
    conflict, not a claim). Candidates are compared only with their ``MAX_CANDIDATES`` nearest
    representatives in meaning, so the work per sentence stays bounded however long the storyline is."""
    import numpy as np

    ordered = compared(facts)
    if not ordered:
        return []
    cached = sentence_vectors(material, ordered)
    vectors = np.stack([cached[(f.article_id, f.sentence.index)] for f in ordered])
    # every cosine at once: one matrix product (at most vectors.MAX_COMPARED squared), not one product per
    # sentence (BLAS threads started thousands of times cost 8 s of CPU on a 5,000-article storyline)
    pairs = _Pairs(ordered, vectors @ vectors.T)
    members: list[list[int]] = []
    in_claim: list[set[str]] = []  # each claim's articles
    n_reps: list[int] = []  # each claim's representatives
    rep_claim: list[int] = []
    rep_set: set[int] = set()
    rep_index = np.zeros(len(ordered), dtype=np.int64)
    n = 0  # representatives so far
    for i, f in enumerate(ordered):
        best, best_score = None, JOIN
        if n:
            sims = pairs.cosines[rep_index[:n], i]
            top = np.argpartition(-sims, MAX_CANDIDATES - 1)[:MAX_CANDIDATES] if n > MAX_CANDIDATES else np.arange(n)
            claims = [c for c in dict.fromkeys(rep_claim[r] for r in top[np.argsort(-sims[top], kind="stable")])
                      if f.article_id not in in_claim[c]]
            reps = {c: [j for j in members[c][:REPRESENTATIVES * 2] if j in rep_set] for c in claims}
            cols = [j for c in claims for j in reps[c]]
            scores = dict(zip(cols, pairs.row(i, cols))) if cols else {}
            for claim in claims:
                if any(_disagree(f, ordered[j]) for j in reps[claim]):
                    continue
                score = max(scores[j] for j in reps[claim])
                if score >= best_score:
                    best, best_score = claim, score
        if best is None:
            best = len(members)
            members.append([])
            in_claim.append(set())
            n_reps.append(0)
        members[best].append(i)
        in_claim[best].add(f.article_id)
        if len(members[best]) == 1 or (n_reps[best] < REPRESENTATIVES
                                       and all(ordered[m].doc.source != f.doc.source for m in members[best][:-1])):
            rep_claim.append(best)
            rep_set.add(i)
            rep_index[n] = i
            n += 1
            n_reps[best] += 1
    return [[ordered[i] for i in group] for group in _complete(members, ordered, vectors, pairs)]


def _prune(members: list[list[int]], pairs: _Pairs) -> list[list[int]]:
    """A claim of three or more sentences drops those that score less than ``PRUNE`` on average with its
    other members (at most ``MAX_MEMBERS``): a sentence that joined through one representative but says
    something else."""
    out = []
    for group in members:
        if len(group) >= 3:
            first = group[:MAX_MEMBERS]
            scores = pairs.block(group, first)
            keep = [i for i, row in zip(group, scores)
                    if (row.sum() - (row[first.index(i)] if i in first else 0.0)) / (len(first) - (i in first))
                    >= PRUNE]
            group = keep if len(keep) >= 2 else group
        out.append(group)
    return out


def _complete(members: list[list[int]], ordered: list[Fact], vectors: Any, pairs: _Pairs) -> list[list[int]]:
    """A second look for articles a claim missed: of each other article, the ``ARTICLE_TRIES`` sentences
    nearest the claim's centre in meaning are scored against the claim's members (at most
    ``MAX_MEMBERS``); the best joins when its mean score is at least ``COMPLETE`` and it disagrees with no
    member on a figure or a day, so a claim worded three ways across outlets is counted in all of them."""
    import numpy as np

    members = _prune(members, pairs)
    grown = [g for g, group in enumerate(members) if len(group) >= 2]
    if not grown:
        return members
    centres = np.stack([vectors[members[g]].mean(axis=0) for g in grown])
    norms = np.linalg.norm(centres, axis=1, keepdims=True)
    near = vectors @ (centres / np.where(norms > 0, norms, 1.0)).T  # cosine to each claim's centre
    articles = [f.article_id for f in ordered]
    out = [list(group) for group in members]
    for col, g in enumerate(grown):
        have = {articles[i] for i in members[g]}
        first = members[g][:MAX_MEMBERS]
        # scored only where every member is at least MIN_COSINE alike (elsewhere the mean score is -inf)
        rows = np.nonzero((near[:, col] >= MIN_COSINE) & (pairs.cosines[:, first].min(axis=1) >= MIN_COSINE))[0]
        mean = np.full(len(ordered), -np.inf)
        if len(rows):
            mean[rows] = pairs.block(rows, first).mean(axis=1)
        ok = mean >= COMPLETE
        tries: dict[str, list[int]] = defaultdict(list)
        for i in (found := np.nonzero(ok)[0])[np.argsort(-near[found, col], kind="stable")]:
            if articles[i] not in have and len(tries[articles[i]]) < ARTICLE_TRIES:
                tries[articles[i]].append(int(i))
        for own in tries.values():
            scored = [(float(mean[i]), i) for i in own
                      if not any(_disagree(ordered[i], ordered[m]) for m in members[g])]
            if scored:
                out[g].append(max(scored)[1])
    return out


def _disagree(a: Fact, b: Fact) -> bool:
    """Figures of one unit that cannot both be true, or days that share nothing: the sentences dispute a
    claim, they do not share it."""
    units = {q.unit for q in a.figures if q.unit} & {q.unit for q in b.figures if q.unit}
    for unit in units:
        qa = [q for q in a.figures if q.unit == unit]
        qb = [q for q in b.figures if q.unit == unit]
        if qa and qb and not any(x.overlaps(y) for x in qa for y in qb):
            return True
    # two sentences giving a happening different days dispute it too ("meet on Jan. 16" / "on Feb. 16")
    return bool(a.days) and bool(b.days) and not {d[0] for d in a.days} & {d[0] for d in b.days}


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
