"""How a stretch of speech evaluates: the net polarity of its evaluative words (``data/evaluation.toml``).

``polarity(tokens)`` sums the weights of the evaluative terms in the tokens (a phrase matches its words in
order, on lower-cased words or lemmas; the longest match wins), each flipped by a negation within three
words before it in the same clause ("not good", "no reason to cheer"). Used by ``extract.stances``: in a
quote or a reported clause, a clear net evaluation is the speaker's support or opposition.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

NEGATION_WINDOW = 3  # words before a term in which a negation flips it
_CLAUSE_STOPS = frozenset({",", ";", ":", "but", "—", "–", "-"})


@dataclass(frozen=True)
class EvaluationLexicon:
    terms: dict[str, list[tuple[tuple[str, ...], int]]]   # first word -> [(words, weight)], longest first
    negators: frozenset[str]


@lru_cache(maxsize=2)
def load_evaluation(path: str | None = None) -> EvaluationLexicon:
    if path:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    else:
        with resources.files("storyline").joinpath("data/evaluation.toml").open("rb") as fh:
            raw = tomllib.load(fh)
    terms: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for sign, side in ((1, "positive"), (-1, "negative")):
        for strength, weight in (("strong", 2), ("mild", 1)):
            for phrase in raw[side].get(strength, []):
                words = tuple(phrase.lower().split())
                terms.setdefault(words[0], []).append((words, sign * weight))
    for entries in terms.values():
        entries.sort(key=lambda e: -len(e[0]))
    negators = frozenset(w for w in raw["negators"]["words"] if " " not in w)
    return EvaluationLexicon(terms, negators)


@dataclass(frozen=True)
class Polarity:
    score: int
    terms: tuple[str, ...]
    strongest: int   # the largest absolute weight among the terms


def polarity(tokens: Sequence[Token], lexicon: EvaluationLexicon | None = None) -> Polarity:
    lex = lexicon or load_evaluation()
    words = [t.lower_ for t in tokens]
    lemmas = [t.lemma_.lower() for t in tokens]
    score, found, strongest = 0, [], 0
    i = 0
    while i < len(tokens):
        match = None
        for key in {words[i], lemmas[i]}:
            for phrase, weight in lex.terms.get(key, []):
                n = len(phrase)
                if n == 1 or all(words[i + k] == phrase[k] or lemmas[i + k] == phrase[k]
                                 for k in range(1, n) if i + k < len(tokens)) and i + n <= len(tokens):
                    if match is None or n > len(match[0]):
                        match = (phrase, weight)
                    break
        if match is None:
            i += 1
            continue
        phrase, weight = match
        if _negated(words, i, lex):
            weight = -weight
        score += weight
        strongest = max(strongest, abs(weight))
        found.append(" ".join(phrase))
        i += len(phrase)
    return Polarity(score, tuple(found), strongest)


def _negated(words: list[str], i: int, lex: EvaluationLexicon) -> bool:
    for k in range(i - 1, max(-1, i - 1 - NEGATION_WINDOW), -1):
        w = words[k]
        if w in _CLAUSE_STOPS:
            return False
        if w in lex.negators or (w == "longer" and k and words[k - 1] == "no"):
            return True
    return False
