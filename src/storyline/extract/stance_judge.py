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

    def probabilities(self, feats: dict[str, float], words: Sequence[str]) -> dict[str, float]:
        n = len(self.classes)
        logits = list(self.intercept)
        for name, value in feats.items():
            w = self.weights.get(name)
            if w is not None:
                for k in range(n):
                    logits[k] += w[k] * value
        known = [self.words[w] for w in words if w in self.words]
        for k in range(n):
            if known:
                logits[k] += sum(s[k] for s in known) / len(known)
        top = max(0.0, *logits)
        exp = [math.exp(x - top) for x in logits]
        total = sum(exp) + math.exp(-top)
        return {**{c: e / total for c, e in zip(self.classes, exp)}, "neither": math.exp(-top) / total}

    def decide(self, feats: dict[str, float], words: Sequence[str]) -> str | None:
        p = self.probabilities(feats, words)
        kind = max(self.classes, key=lambda c: p[c])
        return kind if p[kind] >= self.thresholds.get(kind, 1.01) else None

    def __call__(self, span: Span, kind: str, cue: str | None) -> str | None:
        return self.decide(speech_features(span, kind), content_words(span))


def model_from_json(raw: dict) -> SpeechModel:
    classes = tuple(raw["classes"])
    if not classes or not set(classes) <= set(CLASSES) or len(raw["intercept"]) != len(classes):
        raise ValueError(f"speech stance model classes {raw['classes']} are not among {list(CLASSES)}, one "
                         f"intercept each")
    return SpeechModel(weights={k: tuple(v) for k, v in raw["weights"].items()},
                       words={k: tuple(v) for k, v in raw["words"].items()}, intercept=tuple(raw["intercept"]),
                       thresholds=dict(raw["thresholds"]), meta=raw.get("meta", {}), classes=classes)


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
