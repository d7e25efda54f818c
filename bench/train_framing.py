"""Train the loaded-language models (``storyline.analysis.loaded``) on BABE's training part; write the weights.

    python -m bench train_framing            # writes src/storyline/data/loaded_language.json.gz
    python -m bench train_framing --dry-run  # cross-validated figures only

Needs ``../shared/data/framing/babe`` and the dev extras (scikit-learn; textblob and vaderSentiment for
their lexicons). Steps:

1. the split of ``bench/babe.py``: the held-out part never enters this script;
2. word model: logistic regression over every word of the training sentences (label: the word is among
   the sentence's annotated biased words) with features: the form, its stem, its endings, capitalised
   inside the sentence, a function word, three lexicon scores (subjectivity and |polarity| from the
   pattern/TextBlob adjective lexicon, De Smedt & Daelemans 2012, PDDL; |valence|/4 from VADER, Hutto &
   Gilbert 2014, MIT), the form's all-MiniLM-L6-v2 vector, its neighbourhood (``knn``: how often the training
   forms nearest to it by vector were marked, ``Neighbourhood``) and how often the AllSides sample uses it
   (``freq``); cross-validated so that a held-out fold's words have a vector only when unseen text's would
   (they are in the table: the lexicons' words and the words used at least ``CORPUS_MIN`` times in the
   AllSides sample);
3. sentence model: logistic regression over the sentence's words (present or not, over the square root of
   their number) and the aggregates of ``loaded.AGGREGATES``, computed from out-of-fold word models so the
   aggregates are as noisy as on unseen text; regularisation and threshold by cross-validation (F1 of
   "biased");
4. context model: logistic regression over ``loaded.CONTEXT`` (each word's out-of-fold logit, its sentence's
   out-of-fold logit, the word's weight in the out-of-fold sentence model, rank, gap to the top word,
   neighbours' logits ...) and the identities of each word's
   previous and next word when those are frequent (``NEIGHBOUR_MIN``; their values scaled by
   ``NEIGHBOUR_SCALE``, a stronger regularisation than the dense features'); the threshold is the one with
   the most cross-validated recall at a precision of at least ``P_MIN`` and at least that recall (where the
   curves meet: both targets are 0.5, so the widest margin for each), counted as ``eval_framing`` counts (sets of forms
   per sentence);
5. export: one logit per word form (the form's, stem's, endings', lexicon and vector weights folded
   together) for every training word and every table word; stems and endings for unseen forms; sentence
   weights with the aggregates' scaling folded in; the context weights. Only weights leave: no sentence, no
   annotation.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from functools import lru_cache
from pathlib import Path

from bench.babe import Item, read, split
from bench.common import ROOT, SHARED

OUT = ROOT / "src" / "storyline" / "data" / "loaded_language.json.gz"
SUFFIXES = ("ly", "ist", "ists", "ism", "ive", "ous", "ful", "less", "ed", "ing", "est", "ic", "al", "ish", "ize",
            "ized", "ization", "ity", "ness", "ment", "ion", "er", "ers")
FOLDS = 5
# the grids, narrowed after a wider run (word C 0.1-10: CV F1 0.31-0.52, best 1.0; sentence C 0.1-3: CV F1
# 0.76-0.78; the gate of the model before the context step, 0-1.5: best 0.25)
WORD_C = (1.0,)
SENTENCE_C = (1.0, 3.0)
EMB_DIM = 384
EMB_SCALE = 1.0  # the word vectors are unit length
CORPUS_MIN = 3  # 20 before: held-out words outside the table lost their word vector (see oof_word_logits)
CONTEXT_C = 1.0
# the neighbour forms of the context model: forms at least this often a word's previous (or next) word in the
# training sentences, their one-hot values scaled (regularised more than the dense features). Chosen by CV of
# the context step (recall at precision 0.52 / recall at precision 0.5): without 0.502 / 0.528; min 5 scale 1:
# 0.504 / 0.524; min 5 scale 0.3: 0.516 / 0.539; min 50 scale 0.2 / 0.3 / 0.5: 0.507 / 0.540, 0.516 / 0.542,
# 0.515 / 0.538; min 100 scale 0.3: 0.513 / 0.541 (and with ``sentence_word``, the word's weight in the
# out-of-fold sentence model, added after: 0.526 / 0.542). The word itself, word pairs, the words two away or
# neighbour forms weighted by the word's probability as features did not help.
NEIGHBOUR_MIN = 50
NEIGHBOUR_SCALE = 0.3
# the word threshold: the most recall among thresholds whose cross-validated precision is at least P_MIN and at
# least their recall. Precision at least P_MIN alone (0.52) gave 0.52 / 0.555 cross-validated and 0.499 / 0.535
# held out (cross-validation flatters precision by about 0.02): the point where the curves meet leaves a margin
# on both targets (0.5 / 0.5)
P_MIN = 0.52
MIN_DF = 2  # sentence words used in fewer training sentences get no weight
# the neighbourhood feature of a word form: the marked rate of the KNN_K training forms nearest to it by
# MiniLM vector (cosine; the form itself left out), each form's rate smoothed by KNN_PRIOR pseudo-words at the
# overall rate, as log-odds over the overall rate. Cross-validated (word F1 of step 2 / recall at precision
# 0.52 after step 4): without 0.500 / 0.526; K 20, prior 2: 0.511 / 0.536; K 50, prior 5: 0.508 / 0.523. With
# ``freq`` (log corpus count / 10) as well: 0.518 / 0.555 (recall 0.570 at precision 0.5); BABE's bias word
# lexicon as one more feature (listed or not) did not help: 0.518 / 0.550 with both, 0.512 / 0.531 without freq
KNN_K = 20
KNN_PRIOR = 2.0


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{package} is not installed: pip install -e '.[dev]' (its lexicon is read for training)")
    return Path(list(spec.submodule_search_locations)[0]).joinpath(*parts)


def lexicons() -> dict[str, tuple[float, float, float]]:
    """Per single-word form: (subjectivity, |polarity|) from pattern's adjective lexicon (max over senses)
    and |valence|/4 from VADER."""
    from storyline.analysis.loaded import form_of

    subj: dict[str, tuple[float, float]] = {}
    for w in ET.parse(_package_file("textblob", "en", "en-sentiment.xml")).getroot().iter("word"):
        form = form_of(w.get("form", ""))
        if re.fullmatch(r"[a-z]+(?:['-][a-z]+)*", form):
            s, p = float(w.get("subjectivity", 0)), abs(float(w.get("polarity", 0)))
            old = subj.get(form, (0.0, 0.0))
            subj[form] = (max(old[0], s), max(old[1], p))
    vader: dict[str, float] = {}
    for line in _package_file("vaderSentiment", "vader_lexicon.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        form = form_of(parts[0]) if parts else ""
        if len(parts) >= 2 and re.fullmatch(r"[a-z]+(?:['-][a-z]+)*", form):
            vader[form] = abs(float(parts[1])) / 4
    return {f: (*subj.get(f, (0.0, 0.0)), vader.get(f, 0.0)) for f in set(subj) | set(vader)}


def word_features(form: str, cap: bool, lex: dict[str, tuple[float, float, float]], stop: frozenset[str],
                  knn: float = 0.0) -> dict[str, float]:
    from storyline.analysis.loaded import suffixes_of
    from storyline.analysis.words import stem

    s, p, v = lex.get(form, (0.0, 0.0, 0.0))
    feats = {f"f:{form}": 1.0, f"s:{stem(form)}": 1.0, "subj": s, "pol": p, "vader": v, "stop": float(form in stop),
             "knn": knn, "freq": math.log1p(corpus_counts().get(form, 0)) / 10}
    feats.update({f"x:{x}": 1.0 for x in suffixes_of(form, SUFFIXES)})
    if cap:
        feats["cap"] = 1.0
    return feats


EMPTY_WORDS = {"forms": {}, "stems": {}, "suffixes": {}, "bias": 0.0, "cap": 0.0}


def _int32(x):
    """liblinear takes 32-bit sparse indices only."""
    import numpy as np

    x = x.tocsr()
    x.indices, x.indptr = x.indices.astype(np.int32), x.indptr.astype(np.int32)
    return x


def _folds(items: list[Item]) -> list[int]:
    return [int(i.key, 16) % FOLDS for i in items]


class WordModel:
    """A fitted word model and its export as ``loaded`` reads it. Fitted on word types (form, capitalised)
    weighted by how often they were marked and not marked, which is the token-level fit for features that
    depend on the type only."""

    def __init__(self, items: list[Item], c: float, lex: dict, stop: frozenset[str], emb: dict[str, "object"]
                 ) -> None:
        import numpy as np
        import scipy.sparse as sp
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        from storyline.analysis.loaded import tokens

        self.lex, self.stop, self.emb = lex, stop, emb
        counts: Counter[tuple[str, bool, bool]] = Counter()
        for it in items:
            for t in tokens(it.text):
                counts[(t.form, t.cap, t.form in it.words)] += 1
        keys = sorted(counts)
        self.knn = Neighbourhood(counts, emb)
        self.knn.fill(f for f, _, _ in keys)
        self.vec = DictVectorizer()
        x = self.vec.fit_transform([word_features(f, cap, lex, stop, self.knn.get(f)) for f, cap, _ in keys])
        dense = np.stack([self._emb(f) for f, _, _ in keys])
        self.lr = LogisticRegression(C=c, max_iter=3000, solver="liblinear").fit(
            _int32(sp.hstack([x, sp.csr_matrix(dense)])), [y for _, _, y in keys],
            sample_weight=[counts[k] for k in keys])
        n = len(self.vec.get_feature_names_out())
        self.weights = dict(zip(self.vec.get_feature_names_out(), self.lr.coef_[0][:n]))
        self.emb_weights = self.lr.coef_[0][n:]
        self.bias = float(self.lr.intercept_[0])
        self.vocab = {f for f, _, _ in keys}

    def _emb(self, form: str):
        import numpy as np

        v = self.emb.get(form)
        return v * EMB_SCALE if v is not None else np.zeros(EMB_DIM, dtype=np.float32)

    def logit(self, form: str, cap: bool) -> float:
        w = self.weights
        feats = word_features(form, cap, self.lex, self.stop, self.knn.get(form))
        return self.bias + sum(w.get(k, 0.0) * v for k, v in feats.items()) + float(self._emb(form) @ self.emb_weights)

    def export(self) -> dict:
        from storyline.analysis.words import stem

        table = sorted(self.vocab | set(self.lex) | set(self.emb))
        self.knn.fill(table)
        forms = {f: round(self.logit(f, False), 3) for f in table}
        stems = {k[2:]: round(v, 3) for k, v in self.weights.items() if k.startswith("s:") and abs(v) >= 0.01}
        suffixes = {k[2:]: round(v, 3) for k, v in self.weights.items() if k.startswith("x:")}
        # forms whose logit is their fallback's (no form weight, no lexicon score) need no entry
        fallback = {f: self.bias + stems.get(stem(f), 0.0) + sum(suffixes.get(x, 0.0) for x in SUFFIXES
                                                                 if len(f) > len(x) + 2 and f.endswith(x))
                    for f in forms}
        forms = {f: v for f, v in forms.items() if abs(v - fallback[f]) >= 0.005}
        return {"forms": forms, "stems": stems, "suffixes": suffixes, "bias": round(self.bias, 4),
                "cap": round(self.weights.get("cap", 0.0), 4)}


class Neighbourhood:
    """The ``knn`` feature of ``word_features``: how often the training forms nearest to a form by MiniLM vector
    were marked (see ``KNN_K``), as log-odds over the overall rate; 0.0 for a form without a vector."""

    def __init__(self, counts: Counter, emb: dict) -> None:
        import numpy as np

        marked: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for (form, _cap, y), k in counts.items():
            total[form] += k
            marked[form] += k * y
        p0 = sum(marked.values()) / max(sum(total.values()), 1)
        self.prior = math.log(p0 / (1 - p0))
        self.emb = emb
        fit = [f for f in sorted(total) if f in emb]
        self.index = {f: i for i, f in enumerate(fit)}
        self.matrix = _unit(np.stack([emb[f] for f in fit])) if fit else None
        self.rates = np.array([(marked[f] + KNN_PRIOR * p0) / (total[f] + KNN_PRIOR) for f in fit])
        self.values: dict[str, float] = {}

    def get(self, form: str) -> float:
        return self.values.get(form, 0.0)

    def fill(self, forms) -> None:
        """Compute the feature of every form among ``forms`` that has a vector (in blocks)."""
        import numpy as np

        need = sorted({f for f in forms if f not in self.values and f in self.emb})
        if self.matrix is None or len(self.index) <= KNN_K:
            return
        for b in range(0, len(need), 2048):
            block = need[b:b + 2048]
            sims = _unit(np.stack([self.emb[f] for f in block])) @ self.matrix.T
            for j, f in enumerate(block):
                if f in self.index:
                    sims[j, self.index[f]] = -2.0  # not its own neighbour
            near = np.argpartition(-sims, KNN_K, axis=1)[:, :KNN_K]
            w = np.maximum(np.take_along_axis(sims, near, axis=1), 0.0) ** 2 + 1e-6
            rate = (w * self.rates[near]).sum(axis=1) / w.sum(axis=1)
            for f, r in zip(block, rate):
                self.values[f] = math.log(r / (1 - r)) - self.prior


def _unit(m):
    import numpy as np

    m = m.astype(np.float32)
    return m / (np.linalg.norm(m, axis=1, keepdims=True) + 1e-9)


def vocabulary(items: list[Item], lex: dict) -> list[str]:
    """Forms that get a logit of their own: training words, lexicon words, and the words used at least
    ``CORPUS_MIN`` times in the AllSides sample of ``../shared/data/corpus`` (when it is there)."""
    from storyline.analysis.loaded import tokens

    forms = {t.form for it in items for t in tokens(it.text)} | set(lex)
    forms |= {f for f, n in corpus_counts().items() if n >= CORPUS_MIN}
    return sorted(f for f in forms if len(f) > 1)


@lru_cache(maxsize=1)
def corpus_counts() -> Counter[str]:
    """How often each word form is used in the AllSides sample of ``../shared/data/corpus`` (empty when it is
    not there): the table's words and the ``freq`` feature (so a model trained without the corpus has none)."""
    counts: Counter[str] = Counter()
    corpus = SHARED / "corpus" / "allsides-12k.jsonl.gz"
    if corpus.exists():
        with gzip.open(corpus, "rt", encoding="utf-8") as fh:
            for line in fh:
                counts.update(m.group().casefold().replace("’", "'") for m in
                              re.finditer(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", json.loads(line).get("text") or ""))
    return counts


def embeddings(forms: list[str]) -> dict[str, "object"]:
    """all-MiniLM-L6-v2 vectors of single words (the model storyline ships for story grouping), kept in the
    temporary directory for the next run over the same forms."""
    import hashlib
    import tempfile

    import numpy as np

    from storyline.stories.embed import embed

    digest = hashlib.blake2b("\n".join(forms).encode(), digest_size=8).hexdigest()
    cache = Path(tempfile.gettempdir()) / f"storyline-word-vectors-{digest}.npy"
    if cache.exists():
        vecs = np.load(cache)
    else:
        vecs = embed(forms, batch_size=256)
        np.save(cache, vecs)
    return dict(zip(forms, vecs))


def _runtime(export: dict, threshold: float, sentence: dict | None = None):
    from storyline.analysis.loaded import LoadedModel

    s = sentence or {"words": {}, "aggregates": {}, "bias": 0.0, "threshold": 0.5}
    return LoadedModel(forms=export["forms"], stems=export["stems"], suffixes=export["suffixes"],
                       word_bias=export["bias"], cap_weight=export["cap"], gate=0.0, word_threshold=threshold,
                       count_threshold=threshold,
                       sentence_words=s["words"], sentence_aggregates=s["aggregates"], sentence_bias=s["bias"],
                       sentence_threshold=s["threshold"], meta={})


def word_scores(model, items: list[Item]) -> list[tuple[list[float], list[bool]]]:
    from storyline.analysis.loaded import tokens, word_logits

    out = []
    for it in items:
        toks = tokens(it.text)
        out.append((word_logits(model, toks), [t.form in it.words for t in toks]))
    return out


def best_threshold(scored: list[tuple[list[float], list[bool]]], golds: list[int]) -> tuple[float, float, float, float]:
    """The logit threshold with the best word F1 among those whose precision is at least their recall (in a
    brief a wrong word costs more than a missed one): ``(threshold, precision, recall, f1)``."""
    pairs = sorted(((x, y) for logits, labels in scored for x, y in zip(logits, labels)), reverse=True)
    total_gold = sum(golds)
    best = (0.0, 0.0, 0.0, 0.0)
    tp = 0
    for n, (x, y) in enumerate(pairs, 1):
        tp += y
        if n < len(pairs) and pairs[n][0] == x:
            continue
        p, r = tp / n, tp / total_gold if total_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best[3] and p >= r:
            best = (x, p, r, f)
    return best


def oof_word_logits(items: list[Item], c: float, lex: dict, stop: frozenset[str], emb: dict
                    ) -> tuple[list[list[float]], tuple[float, float, float, float]]:
    """Out-of-fold word logits of every training sentence, and the cross-validated threshold figures."""
    folds = _folds(items)
    logits: list[list[float] | None] = [None] * len(items)
    scored_all = []
    base = set(vocabulary([], lex))  # the forms the table holds whatever the training sentences
    for k in range(FOLDS):
        fit = [it for it, f in zip(items, folds) if f != k]
        held = [(i, it) for i, (it, f) in enumerate(zip(items, folds)) if f == k]
        # a held-out fold's words get a vector (so a logit of their own) only when unseen text's would: when
        # they are in the table anyway (before, every training word had one: cross-validation promised
        # recall 0.50 and BABE's held-out part gave 0.40)
        seen = base | {t.form for it in fit for t in _toks(it)}
        model = _runtime(WordModel(fit, c, lex, stop, {f: v for f, v in emb.items() if f in seen}).export(), 0.0)
        scored = word_scores(model, [it for _, it in held])
        for (i, _), (lg, _) in zip(held, scored):
            logits[i] = lg
        scored_all += scored
    golds = [len(it.words & {t.form for t in _toks(it)}) for it in items]
    return logits, best_threshold(scored_all, golds)


def _toks(it: Item):
    from storyline.analysis.loaded import tokens

    return tokens(it.text)


def sentence_rows(items: list[Item], logits: list[list[float]], threshold: float):
    from storyline.analysis.loaded import aggregates

    model = _runtime(EMPTY_WORDS, threshold)
    bows, aggs = [], []
    for it, lg in zip(items, logits):
        toks = _toks(it)
        forms = {t.form for t in toks}
        bows.append({f: 1 / math.sqrt(len(forms)) for f in forms})
        aggs.append(aggregates(model, toks, lg, it.text))
    return bows, aggs


class SentenceModel:
    def __init__(self, bows, aggs, labels, c: float, vocab: set[str]) -> None:
        import numpy as np
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        from storyline.analysis.loaded import AGGREGATES

        a = np.array(aggs)
        self.mean, self.scale = a.mean(axis=0), a.std(axis=0) + 1e-9
        rows = [{**{f"w:{k}": v for k, v in b.items() if k in vocab},
                 **{f"a:{n}": (x - m) / s for n, x, m, s in zip(AGGREGATES, g, self.mean, self.scale)}}
                for b, g in zip(bows, aggs)]
        self.vec = DictVectorizer()
        self.lr = LogisticRegression(C=c, max_iter=3000, solver="liblinear").fit(_int32(self.vec.fit_transform(rows)), labels)

    def export(self, threshold: float) -> dict:
        from storyline.analysis.loaded import AGGREGATES

        w = dict(zip(self.vec.get_feature_names_out(), self.lr.coef_[0]))
        agg = {n: w.get(f"a:{n}", 0.0) / s for n, s in zip(AGGREGATES, self.scale)}
        bias = float(self.lr.intercept_[0]) - sum(w.get(f"a:{n}", 0.0) * m / s
                                                  for n, m, s in zip(AGGREGATES, self.mean, self.scale))
        words = {k[2:]: round(v, 3) for k, v in w.items() if k.startswith("w:") and abs(v) >= 0.01}
        return {"words": dict(sorted(words.items())), "aggregates": {k: round(v, 5) for k, v in agg.items()},
                "bias": round(bias, 5), "threshold": round(threshold, 4)}


def set_curve(items: list[Item], scores: list[list[float]]) -> list[tuple[float, float, float]]:
    """``(threshold, precision, recall)`` down the scores, as ``eval_framing`` counts: per sentence the set of
    word forms marked (a form's best score) against the annotated words."""
    total = sum(len(it.words) for it in items)
    pairs = []
    for it, sc in zip(items, scores):
        best: dict[str, float] = {}
        for t, x in zip(_toks(it), sc):
            best[t.form] = max(best.get(t.form, -1e9), x)
        pairs += [(x, f in it.words) for f, x in best.items()]
    pairs.sort(reverse=True)
    out, tp = [], 0
    for n, (x, y) in enumerate(pairs, 1):
        tp += y
        if n == len(pairs) or pairs[n][0] != x:
            out.append((x, tp / n, tp / total if total else 0.0))
    return out


def context_rows(items: list[Item], logits: list[list[float]], sent_logits: list[float], count_threshold: float,
                 sentence_models: list[dict]) -> list[list[list[float]]]:
    """Each training word's ``CONTEXT`` values from out-of-fold logits and its fold's sentence model (the one
    trained without the sentence's fold)."""
    from storyline.analysis.loaded import context_features, quoted_flags

    models = [_runtime(EMPTY_WORDS, count_threshold, s) for s in sentence_models]
    out = []
    for it, lg, sl, fold in zip(items, logits, sent_logits, _folds(items)):
        model = models[fold]
        toks = _toks(it)
        spans = [(t.start, t.end) for t in toks]
        out.append(context_features(model, [t.form for t in toks], [t.cap for t in toks], lg,
                                    quoted_flags(it.text, spans, 0), sl))
    return out


def neighbour_names(forms: list[str]) -> list[list[str]]:
    """Per word, its neighbour features as ``context_model`` names them: ``p:`` previous form, ``n:`` next."""
    from storyline.analysis.loaded import END, START

    around = [START, *forms, END]
    return [[f"p:{around[i]}", f"n:{around[i + 2]}"] for i in range(len(forms))]


def context_model(items: list[Item], rows: list[list[list[float]]], c: float, verbose: bool
                  ) -> tuple[dict, dict]:
    """Step 3: the word-in-context regression, its threshold (the most recall at cross-validated precision
    ``P_MIN`` and at least that recall) and the cross-validated figures."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    from storyline.analysis.loaded import CONTEXT

    folds = _folds(items)
    labels = [[t.form in it.words for t in _toks(it)] for it in items]
    names = [neighbour_names([t.form for t in _toks(it)]) for it in items]
    counts = Counter(n for sent in names for word in sent for n in word)
    columns = {n: j for j, n in enumerate(sorted(n for n, k in counts.items() if k >= NEIGHBOUR_MIN))}

    def design(i):
        r = [(w, columns[n]) for w, word in enumerate(names[i]) for n in word if n in columns]
        hot = sp.csr_matrix(([NEIGHBOUR_SCALE] * len(r), ([w for w, _ in r], [j for _, j in r])),
                            shape=(len(rows[i]), len(columns)))
        return sp.hstack([sp.csr_matrix(np.array(rows[i]).reshape(len(rows[i]), len(CONTEXT))), hot]).tocsr()

    matrices = [design(i) for i in range(len(items))]

    def fit(idx):
        x = _int32(sp.vstack([matrices[i] for i in idx]))
        y = np.array([v for i in idx for v in labels[i]])
        return LogisticRegression(C=c, max_iter=3000, solver="liblinear").fit(x, y)

    oof: list[list[float]] = [[] for _ in items]
    for k in range(FOLDS):
        lr = fit([i for i, f in enumerate(folds) if f != k and rows[i]])
        for i, f in enumerate(folds):
            if f == k and rows[i]:
                oof[i] = list(lr.decision_function(_int32(matrices[i])))
    curve = set_curve(items, oof)
    ok = [(x, p, r) for x, p, r in curve if p >= max(P_MIN, r)]
    thr, p, r = max(ok, key=lambda c_: c_[2]) if ok else curve[0]
    f1 = max((2 * pp * rr / (pp + rr) for _x, pp, rr in curve if pp + rr), default=0.0)
    cv = {"threshold": round(float(thr), 4), "precision": round(p, 4), "recall": round(r, 4),
          "best_f1_on_curve": round(f1, 4), "recall_at_precision_0.5": round(max((rr for _x, pp, rr in curve
                                                                                  if pp >= 0.5), default=0.0), 4)}
    if verbose:
        print(f"  context C={c}: threshold {thr:.2f} P {p:.3f} R {r:.3f} (R at P 0.5: "
              f"{cv['recall_at_precision_0.5']:.3f})")
    lr = fit([i for i in range(len(items)) if rows[i]])
    weights = {k: round(float(w), 5) for k, w in zip(CONTEXT, lr.coef_[0])}
    weights["bias"] = round(float(lr.intercept_[0]), 5)
    around = {n: round(float(w) * NEIGHBOUR_SCALE, 4) for n, w in zip(columns, lr.coef_[0][len(CONTEXT):])}
    return {"weights": weights, "threshold": round(float(thr), 4),
            "prev": {n[2:]: w for n, w in around.items() if n.startswith("p:") and w},
            "next": {n[2:]: w for n, w in around.items() if n.startswith("n:") and w}}, cv


def _f1_threshold(probs: list[float], labels: list[bool]) -> tuple[float, float]:
    """The probability threshold with the best F1 of "biased" among those whose precision is at least their
    recall (a brief's share of biased sentences should not be inflated): ``(threshold, f1)``."""
    best = (0.5, 0.0)
    for t in [x / 100 for x in range(20, 81)]:
        tp = sum(p >= t and y for p, y in zip(probs, labels))
        fp = sum(p >= t and not y for p, y in zip(probs, labels))
        fn = sum(p < t and y for p, y in zip(probs, labels))
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f > best[1] and tp / (tp + fp or 1) >= tp / (tp + fn or 1):
            best = (t, f)
    return best


def train(items: list[Item], verbose: bool = True) -> tuple[dict, dict]:
    """The exported model and the cross-validated figures of the choices made."""
    from storyline.analysis.loaded import sentence_logit
    from storyline.analysis.words import stopwords

    lex, stop = lexicons(), stopwords()
    forms = vocabulary(items, lex)
    if verbose:
        print(f"  embedding {len(forms)} word forms")
    emb = embeddings(forms)
    cv: dict = {"word": {}, "sentence": {}}
    best_word = None
    for c in WORD_C:
        logits, (thr, p, r, f) = oof_word_logits(items, c, lex, stop, emb)
        cv["word"][f"C {c}"] = {"threshold": round(thr, 3), "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
        if verbose:
            print(f"  word C={c}: threshold {thr:.2f} P {p:.3f} R {r:.3f} F1 {f:.3f}")
        if best_word is None or f > best_word[3]:
            best_word = (c, thr, logits, f)
    word_c, word_thr, oof, _ = best_word
    bows, aggs = sentence_rows(items, oof, word_thr)
    labels = [it.biased for it in items]
    df = Counter(k for b in bows for k in b)
    vocab = {k for k, n in df.items() if n >= MIN_DF}
    folds = _folds(items)
    best_sent = None
    for c in SENTENCE_C:
        probs = [0.0] * len(items)
        sent_logits = [0.0] * len(items)
        fold_sentences = []
        for k in range(FOLDS):
            idx = [i for i, f in enumerate(folds) if f != k]
            model = SentenceModel([bows[i] for i in idx], [aggs[i] for i in idx], [labels[i] for i in idx], c, vocab)
            fold_sentences.append(model.export(0.5))
            run = _runtime(EMPTY_WORDS, word_thr, fold_sentences[-1])
            for i, f in enumerate(folds):
                if f == k:
                    toks = _toks(items[i])
                    sent_logits[i] = sentence_logit(run, toks, oof[i], items[i].text)
                    probs[i] = 1 / (1 + math.exp(-sent_logits[i]))
        thr, f1 = _f1_threshold(probs, labels)
        cv["sentence"][f"C {c}"] = {"threshold": thr, "f1": round(f1, 4)}
        if verbose:
            print(f"  sentence C={c}: threshold {thr:.2f} F1 {f1:.3f}")
        if best_sent is None or f1 > best_sent[2]:
            best_sent = (c, thr, f1, sent_logits, fold_sentences)
    sent_c, sent_thr, _, sent_logits, fold_sentences = best_sent
    # step 3 on the out-of-fold word and sentence logits (as noisy as on unseen text)
    rows = context_rows(items, oof, sent_logits, word_thr, fold_sentences)
    context, cv["context"] = context_model(items, rows, CONTEXT_C, verbose)
    words = WordModel(items, word_c, lex, stop, emb).export()
    sentences = SentenceModel(bows, aggs, labels, sent_c, vocab).export(sent_thr)
    words["count_threshold"] = round(word_thr, 3)
    words["gate"], words["threshold"] = 0.0, round(word_thr, 3)  # used only by a file without "context"
    meta = {"trained_on": "BABE final_labels_SG2.csv, training part of bench/babe.py's split",
            "training_sentences": len(items), "word_C": word_c, "sentence_C": sent_c, "cv": cv,
            "context_neighbours": {"min_count": NEIGHBOUR_MIN, "scale": NEIGHBOUR_SCALE},
            "lexicons": ["pattern/TextBlob en-sentiment.xml (PDDL): subjectivity, |polarity|",
                         "VADER vader_lexicon.txt (MIT, (c) C.J. Hutto): |valence|/4"]}
    return {"meta": meta, "words": words, "sentences": sentences, "context": context}, cv


def main(argv: list[str]) -> int:
    train_items, held = split(read())
    print(f"BABE: {len(train_items)} training sentences ({len(held)} held out, unseen here)")
    model, _ = train(train_items)
    if "--dry-run" in argv:
        return 0
    data = json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as fh:
        fh.write(data)
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB): {len(model['words']['forms'])} word forms, "
          f"{len(model['sentences']['words'])} sentence words")
    return 0
