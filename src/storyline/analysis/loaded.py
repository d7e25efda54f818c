"""Loaded language on any topic: the words and sentences of a text that evaluate rather than report.

Two small linear models, shipped as weights in ``data/loaded_language.json.gz`` (trained by
``bench/train_framing.py``; provenance in ``data/loaded_language.md``); no parse and no transformer, so a
sentence costs microseconds:

1. **words**: every word gets a logit from its lower-cased form (a table that folds in the word's own
   weight, its stem's, its suffix's, its subjectivity and sentiment-strength scores from two open
   lexicons, its MiniLM word vector, how often the training words nearest to it by that vector were marked,
   and its corpus frequency), plus a weight when it is capitalised inside a sentence; a word the table lacks
   falls back to its stem's and suffix's weights;
2. **sentences**: a logistic regression over the sentence's words (present or not, scaled by the square
   root of its length) and a few aggregates of step 1 (the highest word logit, how many words are loaded,
   exclamation and quotation marks ...): a sentence at or over ``sentence_threshold`` reads as biased;
3. **words in their sentence**: a logistic regression over each word's step-1 logit and its context
   (``CONTEXT``: the sentence's logit, the word's rank and gap to the sentence's most loaded word, its
   neighbours' logits, a function word, capitalised, inside quotation marks, its position, its weight in step
   2's bag of words ...) plus a weight for its previous and its next word when that is a frequent form
   (``context_prev`` / ``context_next``: "the", "of", "trump" ..., ``START`` / ``END`` at the sentence's
   edges): a word at or over ``context_threshold`` is *loaded* ("slammed", "radical", "so-called" ...). A model
   file without step 3 marks the words whose logit plus ``gate`` times the sentence's logit reaches ``word_threshold``.

Adjacent loaded words (only spaces or hyphens between) make one phrase. Measured on BABE's held-out
sentences by ``bench/eval_framing.py``.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .words import stem

MODEL = Path(__file__).resolve().parent.parent / "data" / "loaded_language.json.gz"
_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", re.U)
QUOTE_CHARS = "\"“”«»"
FIRST_PERSON = frozenset({"i", "we", "our", "us", "me", "my"})
#: the sentence aggregates, in the order of ``sentence_features``
AGGREGATES = ("max_logit", "top3_prob", "n_loaded", "share_loaded", "log_tokens", "exclaim", "question",
              "quote_marks", "first_person")
#: the features of a word in its sentence, in the order of ``context_features``
CONTEXT = ("logit", "sentence", "logit_x_sentence", "gap_top", "gap_other", "rank0", "rank1", "rank2", "rank3",
           "prev", "next", "next_max", "stop", "cap", "quoted", "position", "first", "log_tokens", "hyphen",
           "length", "n_loaded", "prob", "sentence_word")
EDGE = -6.0  # the neighbour logit of a sentence's first and last words
START, END = "<s>", "</s>"  # the neighbour form before a sentence's first word and after its last


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    form: str  # lower case, straight apostrophe
    cap: bool  # capitalised and not the sentence's first word


@dataclass(frozen=True)
class LoadedModel:
    forms: dict[str, float]  # word form -> its logit (everything but the capital's weight)
    stems: dict[str, float]  # fallback for forms the table lacks: stem weight ...
    suffixes: dict[str, float]  # ... plus suffix weights ...
    word_bias: float  # ... plus this
    cap_weight: float
    gate: float  # times the sentence's logit, added to each word's logit before the threshold
    word_threshold: float  # a word's logit (with the gate) at or over this: loaded
    count_threshold: float  # a word's logit (without the gate) at or over this counts in ``n_loaded``
    sentence_words: dict[str, float]
    sentence_aggregates: dict[str, float]
    sentence_bias: float
    sentence_threshold: float  # probability
    meta: dict[str, Any]
    context: dict[str, float] | None = None  # weights of ``CONTEXT`` and "bias"; None: the gate marks words
    context_threshold: float = 0.0  # a word's context logit at or over this: loaded
    context_prev: dict[str, float] | None = None  # previous word's form -> weight (frequent forms only)
    context_next: dict[str, float] | None = None  # next word's form -> weight


@dataclass(frozen=True, slots=True)
class LoadedWord:
    start: int
    end: int
    form: str
    logit: float


@dataclass(frozen=True, slots=True)
class Judgement:
    """One sentence: its probability of reading as biased, the verdict, its loaded words."""

    start: int
    end: int
    score: float
    biased: bool
    words: tuple[LoadedWord, ...]


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> LoadedModel:
    """The shipped weights (or those at ``path``), read once per process."""
    with gzip.open(path or MODEL, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    w, s = data["words"], data["sentences"]
    return LoadedModel(forms=w["forms"], stems=w["stems"], suffixes=w["suffixes"], word_bias=w["bias"],
                       cap_weight=w["cap"], gate=w["gate"],
                       word_threshold=w["threshold"], count_threshold=w["count_threshold"], sentence_words=s["words"],
                       sentence_aggregates=s["aggregates"], sentence_bias=s["bias"],
                       sentence_threshold=s["threshold"], meta=data.get("meta", {}),
                       context=data.get("context", {}).get("weights"),
                       context_threshold=data.get("context", {}).get("threshold", 0.0),
                       context_prev=data.get("context", {}).get("prev"),
                       context_next=data.get("context", {}).get("next"))


def form_of(word: str) -> str:
    return word.casefold().replace("’", "'")


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The words of ``text[start:end]`` with their offsets into ``text``."""
    out = []
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        word = m.group()
        out.append(Token(m.start(), m.end(), form_of(word), bool(out) and word[0].isupper()))
    return out


def suffixes_of(form: str, known: dict[str, float] | tuple[str, ...]) -> list[str]:
    """The suffix features of a form: every listed ending it has (with at least three letters before)."""
    return [x for x in known if len(form) > len(x) + 2 and form.endswith(x)]


def fallback_logit(model: LoadedModel, form: str) -> float:
    return (model.word_bias + model.stems.get(stem(form), 0.0)
            + sum(model.suffixes[x] for x in suffixes_of(form, model.suffixes)))


def word_logits(model: LoadedModel, toks: list[Token]) -> list[float]:
    """Each word's logit without the sentence's gate."""
    return _logits(model, [t.form for t in toks], [t.cap for t in toks])


def _words(text: str, start: int, end: int) -> tuple[list[str], list[bool]]:
    """The forms of the words of ``text[start:end]`` and whether each is capitalised inside the sentence
    (what ``tokens`` gives, without offsets: the fast path)."""
    words = _TOKEN.findall(text, start, end)
    caps = [w[0].isupper() for w in words]
    if caps:
        caps[0] = False
    return [w.casefold().replace("’", "'") for w in words], caps


def _logits(model: LoadedModel, forms: list[str], caps: list[bool]) -> list[float]:
    get, cap = model.forms.get, model.cap_weight
    out = []
    for f, c in zip(forms, caps):
        x = get(f)
        if x is None:
            x = fallback_logit(model, f)
        out.append(x + cap if c else x)
    return out


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -60 else 0.0


def aggregates(model: LoadedModel, toks: list[Token], logits: list[float], text: str) -> list[float]:
    """The sentence aggregates named in ``AGGREGATES`` (``text``: the sentence's own text)."""
    return _aggregates(model, [t.form for t in toks], logits, text)


def _aggregates(model: LoadedModel, forms: list[str], logits: list[float], text: str) -> list[float]:
    n = len(forms)
    loaded = sum(1 for x in logits if x >= model.count_threshold)
    top = sorted(logits, reverse=True)[:3]
    return [max(logits, default=-10.0), sum(map(_sigmoid, top)) / 3, float(loaded), loaded / n if n else 0.0,
            math.log1p(n), float("!" in text), float("?" in text), float(sum(text.count(c) for c in QUOTE_CHARS)),
            float(not FIRST_PERSON.isdisjoint(forms))]


def sentence_logit(model: LoadedModel, toks: list[Token], logits: list[float], text: str) -> float:
    return _sentence_logit(model, [t.form for t in toks], logits, text)


def _sentence_logit(model: LoadedModel, forms: list[str], logits: list[float], text: str) -> float:
    unique = set(forms)
    get = model.sentence_words.get
    bow = sum(get(f, 0.0) for f in unique) / math.sqrt(len(unique)) if unique else 0.0
    agg = _aggregates(model, forms, logits, text)
    return model.sentence_bias + bow + sum(model.sentence_aggregates[k] * v for k, v in zip(AGGREGATES, agg))


def context_features(model: LoadedModel, forms: list[str], caps: list[bool], logits: list[float],
                     quoted: list[bool], sentence: float) -> list[list[float]]:
    """Per word, the values named in ``CONTEXT`` (``quoted``: the word is between quotation marks;
    ``sentence``: the sentence's logit; ``sentence_word``: the word's weight in the sentence model)."""
    from .words import stopwords

    n = len(forms)
    if not n:
        return []
    stop = stopwords()
    ranked = sorted(logits, reverse=True)
    top, second = ranked[0], ranked[1] if n > 1 else EDGE
    negated = [-y for y in ranked]  # ascending: bisect counts the words above a logit
    n_loaded = float(sum(1 for x in logits if x >= model.count_threshold))
    log_n, last = math.log1p(n), max(n - 1, 1)
    in_sentence = model.sentence_words.get
    out = []
    for i, (f, x) in enumerate(zip(forms, logits)):
        prev = logits[i - 1] if i else EDGE
        nxt = logits[i + 1] if i + 1 < n else EDGE
        rank = bisect_left(negated, -x)
        out.append([x, sentence, x * sentence, x - top, x - (second if x == top else top),
                    float(rank == 0), float(rank == 1), float(rank == 2), float(rank >= 3), prev, nxt,
                    max(prev, nxt), float(f in stop), float(caps[i]), float(quoted[i]), i / last, float(i == 0),
                    log_n, float("-" in f), min(len(f), 15) / 15, n_loaded, _sigmoid(x), in_sentence(f, 0.0)])
    return out


def quoted_flags(text: str, spans: list[tuple[int, int]], start: int) -> list[bool]:
    """Per word span, whether an odd number of quotation marks stand between ``start`` and it."""
    marks = [i for i in range(start, spans[-1][0]) if text[i] in QUOTE_CHARS] if spans else []
    out, k = [], 0
    for s, _e in spans:
        while k < len(marks) and marks[k] < s:
            k += 1
        out.append(k % 2 == 1)
    return out


def neighbour_weights(model: LoadedModel, forms: list[str]) -> list[float]:
    """Per word, the weights of its previous and next word's forms (``START`` / ``END`` at the edges)."""
    prev, nxt = (model.context_prev or {}).get, (model.context_next or {}).get
    around = [START, *forms, END]
    return [prev(around[i], 0.0) + nxt(around[i + 2], 0.0) for i in range(len(forms))]


def context_logits(model: LoadedModel, feats: list[list[float]], forms: list[str] | None = None) -> list[float]:
    """Each word's context logit from its ``CONTEXT`` values (and, given the sentence's ``forms``, its
    neighbours' weights)."""
    weights = [model.context.get(k, 0.0) for k in CONTEXT] if model.context else []
    bias = model.context.get("bias", 0.0) if model.context else 0.0
    around = neighbour_weights(model, forms) if forms is not None else [0.0] * len(feats)
    return [bias + a + sum(w * v for w, v in zip(weights, row)) for row, a in zip(feats, around)]


def judge(text: str, start: int = 0, end: int | None = None, model: LoadedModel | None = None) -> Judgement:
    """The verdict on the sentence ``text[start:end]`` and its loaded words (offsets into ``text``)."""
    model = model or load_model()
    end = len(text) if end is None else end
    forms, caps = _words(text, start, end)
    logits = _logits(model, forms, caps)
    logit = _sentence_logit(model, forms, logits, text[start:end])
    score = _sigmoid(logit)
    words: tuple[LoadedWord, ...] = ()
    if model.context is not None:
        if forms:
            spans = [m.span() for m in _TOKEN.finditer(text, start, end)]
            ctx = context_logits(model, context_features(model, forms, caps, logits,
                                                         quoted_flags(text, spans, start), logit), forms)
            words = tuple(LoadedWord(spans[i][0], spans[i][1], forms[i], round(x, 3)) for i, x in enumerate(ctx)
                          if x >= model.context_threshold)
    else:
        floor = model.word_threshold - model.gate * logit
        marked = [i for i, x in enumerate(logits) if x >= floor]
        if marked:
            spans = [m.span() for m in _TOKEN.finditer(text, start, end)]
            gate = model.gate * logit
            words = tuple(LoadedWord(spans[i][0], spans[i][1], forms[i], round(logits[i] + gate, 3)) for i in marked)
    return Judgement(start, end, round(score, 4), score >= model.sentence_threshold, words)


def phrases(text: str, words: tuple[LoadedWord, ...] | list[LoadedWord]) -> list[tuple[int, int, str]]:
    """Adjacent loaded words joined into phrases: ``(start, end, lower-cased phrase)``."""
    out: list[list[int]] = []
    for w in words:
        if out and out[-1][1] <= w.start and not text[out[-1][1]:w.start].strip(" -‐‑"):
            out[-1][1] = w.end
        else:
            out.append([w.start, w.end])
    return [(s, e, " ".join(form_of(text[s:e]).split())) for s, e in out]
