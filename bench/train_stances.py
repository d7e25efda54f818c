"""Train the evaluator of speech that judges (``storyline.extract.stance_judge``) on the real labelled
storylines; write its weights and its held-out figures.

    python -m bench train_stances [--db PATH] [--docs FILE] [--dry-run]

``--db`` reuses a store of the labelled articles (as ``eval_real_analysis --db`` builds it; else they are
ingested into a temporary one), ``--docs`` caches their parses (a pickle of the store's article ids and a
spaCy ``DocBin``), ``--dry-run`` reports without writing the weights. Needs ``../shared/data/corpus`` and the
dev extras (scikit-learn). Steps:

1. every article of ``bench/data/real/storylines`` is parsed and its stances found with a judge that only
   records: the **candidates** are exactly the stretches of speech the stance finder would ask the model
   about (a quote or reported clause with a resolved speaker that no stance cue of its sentence covers);
2. a candidate's label is the type of the gold support or opposition position of its article whose span
   overlaps it most (gold spans mapped onto the stored text as ``eval_real_analysis`` maps them), else
   "neither" (``KINDS``: all six types were tried as classes, with markers of obligation, negation, an own
   course and a condition among the features; held out, no demand, offer, rejection or condition reached the
   precision bar, support lost it in seven folds of eight, and positions recall held out fell; the markers
   with the two classes found 0.27 of the labelled speech stances at 0.545, against 0.30 at 0.552 without);
3. multinomial logistic regression over ``stance_judge.speech_features`` and the mean of the candidate's words'
   all-MiniLM-L6-v2 vectors (``stance_judge.content_words``; the vectors of ``vocabulary`` are kept in the
   temporary directory as ``train_framing`` keeps them); the regularisation ``C`` and each
   class's probability threshold (the lowest whose out-of-fold precision is at least ``P_MIN``, with at
   least ``MIN_PREDICTED`` predictions) are chosen by leave-one-storyline-out cross-validation;
3b. the **sentence stage** (``stance_judge.SentenceStage``): the same regression with each candidate's own
   all-MiniLM-L6-v2 sentence vector beside the word mean, asked only about the candidates the word model gives
   a class at least ``PREFILTER`` (about a fifth); its thresholds are chosen as above, over out-of-fold
   probabilities of both stages (a candidate the fold's word model stops is never predicted);
4. **held out**: each storyline is scored by a model whose ``C`` and thresholds were chosen, and whose
   weights were fitted, on the other storylines only (nested leave-one-storyline-out), beside the word model
   alone; reported at the level of
   candidates (against the evaluative-word rule it replaces, ``|net weight| >= 2``) and of positions (the
   article's stances found with that model, scored as ``eval_real_analysis`` scores positions, before the
   analysis resolves holders to entities);
5. **in use**: the model fitted on all eight storylines, its thresholds from step 3 over all eight; written
   to ``src/storyline/data/speech_stances.json.gz`` (weights over features and one score pair per word, no
   text). Its figures on the storylines it was fitted on are reported too, and are not a measure of it.

Results: ``bench/results/train_stances.json``; the held-out positions figures are checked against
``bench/minimums.json``. The candidates depend on the stance finder's other rules: train again after
changing them.
"""

from __future__ import annotations

import gzip
import json
import pickle
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.common import ROOT, check_minimums, save, shared
from bench.eval_real_analysis import (SpanMap, _countries, _ingest, _map_gold, _overlap, corpus_rows, load_gold,
                                      score_positions, stored_by_corpus_id)

OUT = ROOT / "src" / "storyline" / "data" / "speech_stances.json.gz"
C_GRID = (1.0,)  # narrowed after a wider run (0.3-3: 1.0 found the most at the precision below)
PREFILTER = 0.15  # the word model's probability for a class at which a stretch gets the sentence stage's look
C_SENTENCE = 1.0  # the sentence stage's regularisation (0.3 and 3 found fewer at P_MIN, 2026-12-08)
P_MIN = 0.55  # a class's threshold: the most recall at this out-of-fold precision (the other stances are
# right about 0.63 of the time: speech right 0.55 of the time keeps positions above 0.6)
CORPUS_MIN = 20  # corpus words used this often get a score
MIN_PREDICTED = 10  # ... over at least this many predictions
LEXICON_RULE = 2  # the rule the model replaces: this net evaluative weight either way
KINDS = ("support", "oppose")  # of stance_judge.CLASSES: the others were tried (step 2 above)


@dataclass
class Article:
    storyline: str
    corpus_id: str
    doc: Any
    mentions: list
    quotes: list
    gold: list[dict]


@dataclass
class Candidate:
    storyline: str
    feats: dict[str, float]
    words: list[str]
    label: str
    rule: str | None  # what the evaluative-word rule says
    text: str = ""  # the stretch itself (embedded for the sentence stage; never written anywhere)


def articles(db: str | None, docs_file: str | None) -> list[Article]:
    from spacy.tokens import DocBin

    from storyline.extract.quotes import find_quotes
    from storyline.nlp.entities import find_mentions
    from storyline.nlp.model import load_nlp
    from storyline.records import Sentence
    from storyline.store import Store

    gold = load_gold()
    ids = {a["id"] for g in gold for a in g["articles"]}
    rows = corpus_rows(ids)
    tmp = tempfile.TemporaryDirectory()
    db = db or str(Path(tmp.name) / "real.db")
    if not Path(db).exists():
        _ingest(rows, db)
    nlp = load_nlp()
    with Store(db, readonly=True) as store:
        stored = stored_by_corpus_id(store, rows)
    maps = {cid: SpanMap(rows[cid]["text"], a.article.text) for cid, a in stored.items() if cid in rows}
    store_ids = [a.article.id for a in stored.values()]
    cache = Path(docs_file) if docs_file else None
    if cache and cache.exists():
        cached_ids, data = pickle.loads(cache.read_bytes())
        docs = dict(zip(cached_ids, DocBin().from_bytes(data).get_docs(nlp.vocab)))
    else:
        docs = dict(zip(store_ids, nlp.pipe([a.article.text for a in stored.values()], batch_size=16)))
        if cache:
            bin_ = DocBin(store_user_data=False)
            for d in docs.values():
                bin_.add(d)
            cache.write_bytes(pickle.dumps((list(docs), bin_.to_bytes())))
    stats: Counter = Counter()
    out = []
    for g in gold:
        slug = g.get("slug") or g.get("id") or g["articles"][0]["id"]
        mapped = _map_gold(g, maps, stats)["positions"]
        for a in g["articles"]:
            if a["id"] not in stored:
                continue
            doc = docs[stored[a["id"]].article.id]
            sents = tuple(Sentence(i, s.start_char, s.end_char) for i, s in enumerate(doc.sents))
            out.append(Article(slug, a["id"], doc, find_mentions(doc, sents), find_quotes(doc),
                               [p for p in mapped if p["article_id"] == a["id"]]))
    tmp.cleanup()
    return out


def candidates(arts: list[Article]) -> list[Candidate]:
    from storyline.extract.stance_judge import content_words, lexicon_judge, speech_features
    from storyline.extract.stances import find_stances

    rule = lexicon_judge(LEXICON_RULE)
    out: list[Candidate] = []
    for art in arts:
        def record(span, kind, cue, art=art):
            best = max(((_overlap((span.start_char, span.end_char), (p["start"], p["end"])), p["type"])
                        for p in art.gold if p["type"] in KINDS), default=(0, "neither"))
            out.append(Candidate(art.storyline, speech_features(span, kind), content_words(span),
                                 best[1] if best[0] else "neither", rule(span, kind, cue), span.text))
            return None
        find_stances(art.doc, art.mentions, art.quotes, judge=record)
    return out


def vocabulary(cands: list[Candidate]) -> list[str]:
    """The words that get a score: those of the candidates, the evaluative lexicons' single words (this
    project's, VADER's and pattern's, read through ``bench.train_framing``) and the words used at least
    ``CORPUS_MIN`` times in the AllSides sample."""
    from bench.train_framing import lexicons
    from storyline.extract.evaluation import load_evaluation
    from storyline.extract.stance_judge import FUNCTION_WORDS

    words = {w for k in cands for w in k.words} | {w for w in load_evaluation().terms} | set(lexicons())
    counts: Counter[str] = Counter()
    with gzip.open(shared("corpus", "allsides-12k.jsonl.gz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            counts.update(w.casefold() for w in re.findall(r"[^\W\d_]+", json.loads(line).get("text") or ""))
    words |= {w for w, n in counts.items() if n >= CORPUS_MIN}
    return sorted(w for w in words if w.isalpha() and w not in FUNCTION_WORDS)


class Fitter:
    """Fits the model on some candidates: the features of ``stance_judge.speech_features`` and the mean of
    the vectors of their words (all-MiniLM-L6-v2 vectors of single words)."""

    def __init__(self, vectors: dict[str, Any]) -> None:
        self.vectors = vectors

    def dense(self, cands: list[Candidate]):
        import numpy as np

        dim = len(next(iter(self.vectors.values())))
        rows = []
        for k in cands:
            known = [self.vectors[w] for w in k.words if w in self.vectors]
            rows.append(np.mean(known, axis=0) if known else np.zeros(dim, dtype=np.float32))
        return np.stack(rows)

    def fit(self, cands: list[Candidate], c: float, vocab: list[str], sentences: Any = None) -> dict:
        """The export as ``stance_judge.model_from_json`` reads it (without thresholds), word scores for
        ``vocab``; with ``sentences`` (one sentence vector per candidate), the sentence stage's, whose
        ``sentence`` weights are those of the vectors."""
        import numpy as np
        import scipy.sparse as sp
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        from storyline.extract.stance_judge import CLASSES

        vec = DictVectorizer()
        blocks = [vec.fit_transform([k.feats for k in cands]), sp.csr_matrix(self.dense(cands))]
        if sentences is not None:
            blocks.append(sp.csr_matrix(sentences))
        lr = LogisticRegression(C=c, max_iter=5000).fit(sp.hstack(blocks).tocsr(), [k.label for k in cands])
        classes = list(lr.classes_)
        kinds = [k for k in CLASSES if k in classes]   # a class no candidate of these storylines has is left out
        # against "neither": its logit is 0
        coef = np.stack([lr.coef_[classes.index(k)] - lr.coef_[classes.index("neither")] for k in kinds])
        intercept = [float(lr.intercept_[classes.index(k)] - lr.intercept_[classes.index("neither")])
                     for k in kinds]
        names = vec.get_feature_names_out()
        n, dim = len(names), blocks[1].shape[1]
        table = [w for w in vocab if w in self.vectors]
        scores = np.stack([self.vectors[w] for w in table]) @ coef[:, n:n + dim].T
        out = {"classes": kinds,
               "weights": {name: [round(float(coef[k][j]), 4) for k in range(len(kinds))]
                           for j, name in enumerate(names)},
               "words": {w: [round(float(v), 3) for v in row] for w, row in zip(table, scores)},
               "intercept": [round(v, 4) for v in intercept]}
        if sentences is not None:
            out["sentence"] = [[round(float(v), 4) for v in coef[k, n + dim:]] for k in range(len(kinds))]
        return out


class SentenceFitter:
    """Fits the sentence stage (``stance_judge.SentenceStage``): the word model's features and word-vector mean
    with each stretch's own sentence vector (``vectors``: one row per candidate, in ``cands`` order)."""

    def __init__(self, words: Fitter, cands: list[Candidate], vectors: Any) -> None:
        self.words, self.vectors = words, vectors
        self.row = {id(k): i for i, k in enumerate(cands)}

    def fit(self, cands: list[Candidate], c: float, vocab: list[str]) -> dict:
        """The export as ``stance_judge.model_from_json`` reads its ``second`` block (without thresholds and
        prefilter)."""
        return self.words.fit(cands, c, vocab, self.vectors[[self.row[id(k)] for k in cands]])

    def probabilities(self, raw: dict, cands: list[Candidate]) -> list[dict[str, float]]:
        from storyline.extract.stance_judge import _softmax

        stage = _stage(raw, {})
        return [_softmax(stage.logits(k.feats, k.words, self.vectors[self.row[id(k)]]), raw["classes"])
                for k in cands]


def _stage(raw: dict, thresholds: dict[str, float]):
    from storyline.extract.stance_judge import stage_from_json

    return stage_from_json({**raw, "prefilter": PREFILTER, "thresholds": thresholds})


def passes(model: Any, cands: list[Candidate]) -> list[bool]:
    """Whether the word model ``model`` lets each candidate through to the sentence stage."""
    return [max(model.probabilities(k.feats, k.words)[c] for c in KINDS) >= PREFILTER for k in cands]


def sentence_out_of_fold(fitter: Fitter, sfit: SentenceFitter, cands: list[Candidate], c1: float,
                         c2: float) -> list[dict[str, float]]:
    """Each candidate's sentence-stage probabilities from models fitted without its storyline (empty when that
    fold's word model does not let it through)."""
    probs: list[dict[str, float]] = [{} for _ in cands]
    vocab = sorted({w for k in cands for w in k.words})
    for s in sorted({k.storyline for k in cands}):
        train = [k for k in cands if k.storyline != s]
        words = _model(fitter.fit(train, c1, vocab), {})
        raw = sfit.fit(train, c2, vocab)
        mine = [(i, k) for i, k in enumerate(cands) if k.storyline == s]
        through = passes(words, [k for _, k in mine])
        for (i, _), p, ok in zip(mine, sfit.probabilities(raw, [k for _, k in mine]), through):
            if ok:
                probs[i] = p
    return probs


def sentence_model(fitter: Fitter, sfit: SentenceFitter, train: list[Candidate], vocab: list[str]
                   ) -> tuple[Any, dict]:
    """The two-stage judge chosen and fitted on ``train``: the word model (``C`` and thresholds by
    leave-one-storyline-out, as before), the sentence stage's thresholds by leave-one-storyline-out of both
    stages; returns the model and what was chosen."""
    c1, th1 = choose(fitter, train)
    th2, _ = thresholds(train, sentence_out_of_fold(fitter, sfit, train, c1, C_SENTENCE))
    raw1, raw2 = fitter.fit(train, c1, vocab), sfit.fit(train, C_SENTENCE, vocab)
    model = replace(_model(raw1, th1), second=_stage(raw2, th2))
    return model, {"C": c1, "thresholds": th1, "sentence_C": C_SENTENCE, "sentence_thresholds": th2,
                   "raw": raw1, "raw_second": raw2}


def _model(raw: dict, thresholds: dict[str, float]):
    from storyline.extract.stance_judge import model_from_json

    return model_from_json({**raw, "thresholds": thresholds})


def out_of_fold(fitter: Fitter, cands: list[Candidate], c: float) -> list[dict[str, float]]:
    """Each candidate's probabilities from a model fitted without its storyline."""
    probs: list[dict[str, float]] = [{} for _ in cands]
    vocab = sorted({w for k in cands for w in k.words})
    for s in sorted({k.storyline for k in cands}):
        model = _model(fitter.fit([k for k in cands if k.storyline != s], c, vocab), {})
        for i, k in enumerate(cands):
            if k.storyline == s:
                probs[i] = model.probabilities(k.feats, k.words)
    return probs


def _top(p: dict[str, float]) -> str:
    return max((k for k in KINDS if k in p), key=lambda k: p[k])


def thresholds(cands: list[Candidate], probs: list[dict[str, float]]) -> tuple[dict[str, float], float]:
    """Per class the lowest probability whose predictions above it are right at least ``P_MIN`` of the time
    (over at least ``MIN_PREDICTED``), and the number right at those thresholds (to compare ``C``)."""
    out, right_total = {}, 0.0
    for kind in KINDS:
        scored = sorted(((p[kind], k.label == kind) for k, p in zip(cands, probs) if p and _top(p) == kind),
                        reverse=True)
        best, right, best_right = 1.01, 0, 0
        for n, (prob, ok) in enumerate(scored, 1):
            right += ok
            if n >= MIN_PREDICTED and right / n >= P_MIN and right >= best_right:
                best, best_right = prob, right
        out[kind] = round(best, 4)
        right_total += best_right
    return out, right_total


def choose(fitter: Fitter, cands: list[Candidate]) -> tuple[float, dict[str, float]]:
    """``C`` and the thresholds by leave-one-storyline-out over these candidates."""
    best = None
    for c in C_GRID:
        th, right = thresholds(cands, out_of_fold(fitter, cands, c))
        if best is None or right > best[0]:
            best = (right, c, th)
    return best[1], best[2]


def counts(cands: list[Candidate], said: list[str | None]) -> dict[str, Any]:
    out = {}
    for kind in KINDS:
        pred = sum(s == kind for s in said)
        right = sum(s == kind == k.label for s, k in zip(said, cands))
        gold = sum(k.label == kind for k in cands)
        out[kind] = {"predicted": pred, "right": right, "labelled": gold,
                     "precision": round(right / pred, 3) if pred else None,
                     "recall": round(right / gold, 3) if gold else None}
    pred = sum(out[k]["predicted"] for k in KINDS)
    right = sum(out[k]["right"] for k in KINDS)
    gold = sum(out[k]["labelled"] for k in KINDS)
    out["all"] = {"predicted": pred, "right": right, "labelled": gold,
                   "precision": round(right / pred, 3) if pred else None,
                     "recall": round(right / gold, 3) if gold else None}
    return out


def positions(arts: list[Article], judges: dict[str, Any]) -> dict[str, Any]:
    """The articles' stances found with each storyline's judge, scored as ``eval_real_analysis`` scores
    positions, summed over the storylines."""
    from storyline.extract.stances import find_stances

    countries = _countries()
    totals: Counter = Counter()
    for s in sorted(judges):
        gold, pred = [], []
        for art in arts:
            if art.storyline != s:
                continue
            gold += art.gold
            for st in find_stances(art.doc, art.mentions, art.quotes, judge=judges[s]):
                pred.append({"article_id": art.corpus_id, "start": st.start, "end": st.end, "type": st.type,
                             "holder": {"name": st.holder_name},
                             "reported_by": {"name": st.reported_by_name} if st.reported_by_name else None})
        got = score_positions(gold, pred, countries)
        totals["predicted"] += got["predicted"]
        totals["gold"] += got["gold"]
        totals["matched"] += got["matched"]
        totals["holders"] += round(got["holder_accuracy"] * got["matched"])
        for kind in KINDS:
            for key, v in got["by_type"].get(kind, {}).items():
                totals[f"{kind}_{key}"] += v
    return {"precision": round(totals["matched"] / totals["predicted"], 3),
            "recall": round(totals["matched"] / totals["gold"], 3),
            "holder_accuracy": round(totals["holders"] / max(1, totals["matched"]), 3), **dict(totals)}


def main(argv: list[str]) -> int:
    from bench.train_framing import embeddings
    from storyline.extract.stance_judge import _embed, lexicon_judge

    started = time.perf_counter()
    db = argv[argv.index("--db") + 1] if "--db" in argv else None
    docs = argv[argv.index("--docs") + 1] if "--docs" in argv else None
    arts = articles(db, docs)
    cands = candidates(arts)
    slugs = sorted({a.storyline for a in arts})
    print(f"{len(arts)} articles, {len(cands)} candidates: {dict(Counter(k.label for k in cands))}")

    vocab = vocabulary(cands)
    fitter = Fitter(embeddings(vocab))
    print(f"{len(vocab)} words with vectors")
    sfit = SentenceFitter(fitter, cands, _embed([k.text for k in cands]))

    def said(model: Any, some: list[Candidate]) -> list[str | None]:
        through = passes(model, some)
        return [model.decide(k.feats, k.words, sfit.vectors[sfit.row[id(k)]] if ok else None)
                for k, ok in zip(some, through)]

    # held out: each storyline by a model chosen and fitted on the others; the word model alone beside it
    held_said: list[str | None] = [None] * len(cands)
    word_said: list[str | None] = [None] * len(cands)
    held_models, word_models, held_choices = {}, {}, {}
    for s in slugs:
        train = [k for k in cands if k.storyline != s]
        model, chosen = sentence_model(fitter, sfit, train, vocab)
        word_model = replace(model, second=None)
        held_models[s], word_models[s] = model, word_model
        held_choices[s] = {k: v for k, v in chosen.items() if not k.startswith("raw")}
        mine = [i for i, k in enumerate(cands) if k.storyline == s]
        for i, verdict in zip(mine, said(model, [cands[i] for i in mine])):
            held_said[i] = verdict
        for i in mine:
            word_said[i] = word_model.decide(cands[i].feats, cands[i].words)
        print(f"held out {s}: {held_choices[s]}", flush=True)

    # in use: chosen and fitted on all of them
    model, chosen = sentence_model(fitter, sfit, cands, vocab)
    raw, c, th = chosen["raw"], chosen["C"], chosen["thresholds"]
    rule = lexicon_judge(LEXICON_RULE)
    figures = {
        "method": __doc__.split("\n\n")[0],
        "storylines": slugs, "articles": len(arts), "candidates": len(cands),
        "labels": dict(Counter(k.label for k in cands)),
        "p_min": P_MIN, "C": c, "thresholds": th, "features": len(raw["weights"]), "words": len(raw["words"]),
        "held_out_choices": held_choices,
        "prefilter": PREFILTER, "sentence_C": C_SENTENCE, "sentence_thresholds": chosen["sentence_thresholds"],
        "embedded_share": round(sum(passes(model, cands)) / len(cands), 3),
        "candidates_held_out": counts(cands, held_said),
        "candidates_held_out_word_model_alone": counts(cands, word_said),
        "candidates_lexicon_rule": counts(cands, [k.rule for k in cands]),
        "candidates_in_use_fitted_on_all": counts(cands, said(model, cands)),
        "positions_held_out": positions(arts, held_models),
        "positions_held_out_word_model_alone": positions(arts, word_models),
        "positions_lexicon_rule": positions(arts, {s: rule for s in slugs}),
        "positions_in_use_fitted_on_all": positions(arts, {s: model for s in slugs}),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps({k: v for k, v in figures.items() if k.startswith(("candidates_", "positions_"))}, indent=1))
    if "--dry-run" not in argv:
        raw["thresholds"] = th
        raw["second"] = {**chosen["raw_second"], "prefilter": PREFILTER, "thresholds": chosen["sentence_thresholds"]}
        del raw["second"]["classes"]
        raw["meta"] = {"trained_on": f"{len(slugs)} real labelled storylines ({len(arts)} articles, "
                                     f"{len(cands)} stretches of speech)", "C": c, "p_min": P_MIN,
                       "held_out": figures["candidates_held_out"]["all"]}
        OUT.write_bytes(gzip.compress(json.dumps(raw, sort_keys=True, separators=(",", ":")).encode(), mtime=0))
        print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")
        save("train_stances", figures)
    held = figures["positions_held_out"]
    return check_minimums("train_stances", {"positions_held_out_precision": held["precision"],
                                            "positions_held_out_recall": held["recall"]})
