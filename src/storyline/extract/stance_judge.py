"""Whether attributed speech judges: a learned evaluator of quotes and reported clauses.

A quote or a clause reported after a speech verb, with a resolved speaker, often states a stance by judging
rather than by a stance verb ("It's bad law", "a waste of time", "a great day for the country"). Counting
the evaluative words of ``extract.evaluation`` alone gets about half of these right; this module scores
such a stretch of speech with a multinomial logistic regression (support / oppose / neither) over:

- the net evaluative weight of ``extract.evaluation`` (its positive and negative part, each at most
  ``POLARITY_CAP``) and whether the words weigh at all;
- the kind of speech (direct, partial, indirect) and its length;
- the mean of its words' all-MiniLM-L6-v2 vectors (function words left out). The vectors are not needed at
  run time: the mean is linear, so each word's vector times the fitted weights is one score per class, and a
  stretch's share is the mean of its known words' scores (``words``: about 24,000 words, those of the labelled
  speech, of the evaluative lexicons and the frequent words of the AllSides sample). Word vectors carry a
  judgement to words no labelled example used; word identities (n-grams) were tried instead and learned the
  labelled storylines' topics (held out they found fewer than the evaluative-word rule).

That word model is the first look. The stretches it finds likely enough to judge (a class's probability at
least the sentence stage's ``prefilter``: about one in six) get a second one (``SentenceStage``): the same
features and word scores with the stretch's own all-MiniLM-L6-v2 sentence vector, its words read in context.
On the real labelled storylines, at the same out-of-fold precision, the second look finds about half as many
again of the labelled support and opposition as the word model alone (figures in
``bench/results/train_stances.json``); an article's stretches are embedded in one batch (``SpeechModel.many``,
``judge_many``), with the story stage's model, loaded once per process.

The weights are fitted by ``python -m bench train_stances`` on the real labelled storylines and shipped in
``data/speech_stances.json.gz`` (weights over words only, no text; the file names the classes it scores, any of
``CLASSES``: the shipped one scores support and opposition, as all six types were tried, with markers of an
obligation, a negation, an own course and a condition as features, and no other type reached the precision bar
held out; the markers alone cost the two classes recall, and were left out). A speech stance is the class with the highest probability when that probability
reaches the class's threshold (chosen by leave-one-storyline-out cross-validation for an out-of-fold precision
of 0.55, see the training script).
Held out (each storyline scored by a model fitted on the other seven), the evaluator's speech stances are right
0.55 of the time and find 0.30 of the labelled support and opposition in speech; the rule it replaced (a net
evaluative weight of at least 2) 0.52 and 0.25 (``bench/results/train_stances.json``).
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Span, Token

from .evaluation import EvaluationLexicon, load_evaluation, polarity

POLARITY_CAP = 4  # the evaluative weight each way counts up to this
#: The types a stretch of speech may state, each scored against "neither" (whose logit is 0); a model may know
#: fewer (the classes it was fitted on are in its file).
CLASSES = ("support", "oppose", "demand", "offer", "reject", "condition")

#: Words left out of the mean of word scores: they carry no judgement and would only dilute it.
FUNCTION_WORDS = frozenset(
    "a an the of to in on at by for with from as and or but if that this these those it its is are was were be "
    "been being am have has had do does did will would shall should can could may might must i me my we us our "
    "you your he him his she her they them their there here what which who whom whose when where why how than "
    "then so not no just also very about into over after before up out".split())

#: ``judge(span, kind, cue) -> "support" | "oppose" | None``: what a stretch of speech states, if anything.
Judge = Callable[[Span, str, "str | None"], "str | None"]


def speech_features(tokens: Sequence[Token], kind: str, lexicon: EvaluationLexicon | None = None
                    ) -> dict[str, float]:
    """The features of a stretch of speech besides its words (``kind``: the quote's kind)."""
    pol = polarity(tokens, lexicon or load_evaluation())
    feats = {"pol+": min(max(pol.score, 0), POLARITY_CAP) / 2, "pol-": min(max(-pol.score, 0), POLARITY_CAP) / 2,
             f"kind:{kind}": 1.0, "len": math.log1p(sum(t.is_alpha for t in tokens)) / 3}
    if pol.terms:
        feats["evaluative"] = 1.0
    return feats


def content_words(tokens: Sequence[Token]) -> list[str]:
    """The lower-cased words of a stretch of speech whose scores are averaged (no function words)."""
    return [t.lower_ for t in tokens if t.is_alpha and t.lower_ not in FUNCTION_WORDS]


@dataclass(frozen=True)
class SentenceStage:
    """The second look at speech the word model finds likely enough to judge: the same features and word scores
    with the stretch's own all-MiniLM-L6-v2 sentence vector (its words in context: "a waste of time" as a
    phrase, not three words), fitted the same way. Only stretches whose word-model probability for a class
    reaches ``prefilter`` are embedded (about one in six), so the cost per article stays small."""

    prefilter: float
    weights: dict[str, tuple[float, ...]]
    words: dict[str, tuple[float, ...]]
    sentence: tuple[tuple[float, ...], ...]   # per class, one weight per vector dimension
    intercept: tuple[float, ...]
    thresholds: dict[str, float]

    def logits(self, feats: dict[str, float], words: Sequence[str], vector: Sequence[float]) -> list[float]:
        out = _linear(self.intercept, self.weights, self.words, feats, words)
        return [x + sum(a * b for a, b in zip(weights, vector)) for x, weights in zip(out, self.sentence)]


def _linear(intercept: Sequence[float], weights: dict[str, tuple[float, ...]], table: dict[str, tuple[float, ...]],
            feats: dict[str, float], words: Sequence[str]) -> list[float]:
    """One logit per class: the intercept, the features times their weights, the mean of the known words'
    scores (the mean of their vectors times the fitted weights, folded into the table)."""
    out = list(intercept)
    for name, value in feats.items():
        w = weights.get(name)
        if w is not None:
            for k in range(len(out)):
                out[k] += w[k] * value
    known = [table[w] for w in words if w in table]
    if known:
        for k in range(len(out)):
            out[k] += sum(s[k] for s in known) / len(known)
    return out


def _softmax(logits: Sequence[float], classes: Sequence[str]) -> dict[str, float]:
    """Probabilities of ``classes`` and of "neither" (whose logit is 0)."""
    top = max(0.0, *logits)
    exp = [math.exp(x - top) for x in logits]
    total = sum(exp) + math.exp(-top)
    return {**{c: e / total for c, e in zip(classes, exp)}, "neither": math.exp(-top) / total}


@dataclass(frozen=True)
class Stretch:
    """A stretch of speech as the judge reads it: its features, its words and its text. ``SpeechModel.many``
    answers one with itself when the sentence stage must read it and embedding is deferred."""

    feats: dict[str, float]
    words: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class PendingSpeech:
    """A stretch of speech whose verdict waits for its sentence vector, and its provisional stance (basis
    ``pending``, at ``sentence`` and ``cue_start``)."""

    sentence: int
    cue_start: int
    stretch: Stretch


_deferring = False


def defer_sentence_stage() -> None:
    """Leave the sentence stage's embedding to the main process (set in ingest's forked worker processes: a
    process forked from one that has loaded torch, perhaps while another of its threads ran it, may hang in
    it). The pipeline then asks the stance finder to leave such speech pending (``deferring``), and the main
    process judges it (``resolve_pending``)."""
    global _deferring
    _deferring = True


def deferring() -> bool:
    """Whether this process leaves the sentence stage to another (``defer_sentence_stage``)."""
    return _deferring


def resolve_pending(analyses: Sequence[Any], model: "SpeechModel | None" = None) -> list[Any]:
    """``analyses`` (``records.Analysis`` or ``None``) with their pending speech judged, all of it embedded in
    one batch: a pending stance takes its class, or is dropped, as is one overlapping a stretch of speech of its
    sentence already judged (one stance per stretch, as the finder keeps it)."""
    from dataclasses import replace

    pending = [(k, p) for k, a in enumerate(analyses) if a is not None for p in a.speech_pending]
    if not pending:
        return list(analyses)
    model = model or load_model()
    vectors = _embed([p.stretch.text for _, p in pending])
    verdict = {(k, p.sentence, p.cue_start): model.decide(p.stretch.feats, p.stretch.words, v)
               for (k, p), v in zip(pending, vectors)}
    out = list(analyses)
    for k, a in enumerate(analyses):
        if a is None or not a.speech_pending:
            continue
        kept, judged = [], [s for s in a.stances if s.basis == "judged"]
        for s in a.stances:
            if s.basis != "pending":
                kept.append(s)
                continue
            kind = verdict.get((k, s.sentence, s.cue_start))
            if kind is None or any(j.sentence == s.sentence and j.start < s.end and s.start < j.end for j in judged):
                continue
            s = replace(s, type=kind, basis="judged")
            judged.append(s)
            kept.append(s)
        out[k] = replace(a, stances=tuple(sorted(kept, key=lambda s: (s.start, s.cue_start))), speech_pending=())
    return out


def drop_pending(analyses: Sequence[Any], why: str) -> list[Any]:
    """``analyses`` without their pending speech (its stances dropped, the reason noted): what is stored when
    the sentence stage cannot run."""
    from dataclasses import replace

    return [a if a is None or not a.speech_pending else replace(
        a, stances=tuple(s for s in a.stances if s.basis != "pending"), speech_pending=(),
        notes=(*a.notes, f"speech not judged in context ({why[:200]})")) for a in analyses]


def _embed(texts: list[str]) -> Any:
    """Sentence vectors of stretches of speech (the story stage's model, loaded once per process)."""
    from ..stories.embed import embed, sentence_input

    return embed([sentence_input(t) for t in texts])


@dataclass(frozen=True)
class SpeechModel:
    """Fitted weights, one per class of ``classes`` against "neither": per feature, per word (its vector's
    weight folded in: the model reads the mean of the vectors of a stretch's words, so a word's score is its
    vector times those weights and the stretch's is the mean of its known words' scores), the intercepts, and
    the probability each class needs."""

    weights: dict[str, tuple[float, ...]]
    words: dict[str, tuple[float, ...]]
    intercept: tuple[float, ...]
    thresholds: dict[str, float]
    meta: dict
    classes: tuple[str, ...] = CLASSES[:2]
    second: SentenceStage | None = None

    def probabilities(self, feats: dict[str, float], words: Sequence[str]) -> dict[str, float]:
        """The word model's probabilities (the first look)."""
        return _softmax(_linear(self.intercept, self.weights, self.words, feats, words), self.classes)

    def decide(self, feats: dict[str, float], words: Sequence[str], vector: Sequence[float] | None = None
               ) -> str | None:
        """The class stated, if any: by the sentence stage when the model has one (``vector``: the stretch's
        sentence vector, ``None`` when the word model left it unembedded), else by the word model."""
        if self.second is not None:
            if vector is None:
                return None
            p = _softmax(self.second.logits(feats, words, vector), self.classes)
            thresholds = self.second.thresholds
        else:
            p = self.probabilities(feats, words)
            thresholds = self.thresholds
        kind = max(self.classes, key=lambda c: p[c])
        return kind if p[kind] >= thresholds.get(kind, 1.01) else None

    def needs_vector(self, feats: dict[str, float], words: Sequence[str]) -> bool:
        """Whether the sentence stage looks at this stretch (the word model finds a class likely enough)."""
        if self.second is None:
            return False
        p = self.probabilities(feats, words)
        return max(p[c] for c in self.classes) >= self.second.prefilter

    def many(self, items: Sequence[tuple[Span, str, str | None]], defer: bool = False) -> list[Any]:
        """What each ``(span, kind, cue)`` states, the sentence vectors of those that need one embedded in one
        batch (with ``defer``, not embedded: the ``Stretch`` itself for those)."""
        read = [(speech_features(span, kind), content_words(span)) for span, kind, _ in items]
        wanted = [i for i, (f, w) in enumerate(read) if self.needs_vector(f, w)]
        if wanted and defer:
            later = {i: Stretch(read[i][0], tuple(read[i][1]), items[i][0].text) for i in wanted}
            return [later.get(i) for i in range(len(read))]   # unwanted ones state nothing (second stage)
        vectors: dict[int, Any] = dict(zip(wanted, _embed([items[i][0].text for i in wanted]))) if wanted else {}
        return [self.decide(f, w, vectors.get(i)) for i, (f, w) in enumerate(read)]

    def __call__(self, span: Span, kind: str, cue: str | None) -> str | None:
        return self.many([(span, kind, cue)])[0]


def model_from_json(raw: dict) -> SpeechModel:
    classes = tuple(raw["classes"])
    if not classes or not set(classes) <= set(CLASSES) or len(raw["intercept"]) != len(classes):
        raise ValueError(f"speech stance model classes {raw['classes']} are not among {list(CLASSES)}, one "
                         f"intercept each")
    second = stage_from_json(raw["second"]) if raw.get("second") else None
    if second is not None and (len(second.intercept) != len(classes) or len(second.sentence) != len(classes)):
        raise ValueError("speech stance model: the sentence stage needs one intercept and one vector of "
                         f"weights per class of {list(classes)}")
    return SpeechModel(weights={k: tuple(v) for k, v in raw["weights"].items()},
                       words={k: tuple(v) for k, v in raw["words"].items()}, intercept=tuple(raw["intercept"]),
                       thresholds=dict(raw["thresholds"]), meta=raw.get("meta", {}), classes=classes, second=second)


def stage_from_json(raw: dict) -> SentenceStage:
    """A sentence stage as ``model_from_json`` reads its ``second`` block (and the training script its fits)."""
    return SentenceStage(prefilter=float(raw["prefilter"]), weights={k: tuple(v) for k, v in raw["weights"].items()},
                         words={k: tuple(v) for k, v in raw["words"].items()},
                         sentence=tuple(tuple(v) for v in raw["sentence"]), intercept=tuple(raw["intercept"]),
                         thresholds=dict(raw["thresholds"]))


def judge_many(judge: Judge, items: Sequence[tuple[Span, str, str | None]], defer: bool = False) -> list[Any]:
    """``judge`` over many stretches of speech: in one batch when it can (``SpeechModel.many``; with ``defer``,
    a ``Stretch`` for each the sentence stage must read later)."""
    many = getattr(judge, "many", None)
    return list(many(items, defer)) if many is not None else [judge(*item) for item in items]


@lru_cache(maxsize=1)
def load_model() -> SpeechModel:
    """The shipped model (``data/speech_stances.json.gz``), read once per process."""
    with resources.files("storyline").joinpath("data/speech_stances.json.gz").open("rb") as fh:
        return model_from_json(json.loads(gzip.decompress(fh.read())))


def lexicon_judge(min_weight: int) -> Judge:
    """The rule before the model: a net evaluative weight of at least ``min_weight`` either way (kept for the
    training script's comparison)."""
    def judge(span: Span, kind: str, cue: str | None) -> str | None:
        score = polarity(span).score
        return None if abs(score) < min_weight else "support" if score > 0 else "oppose"
    return judge
