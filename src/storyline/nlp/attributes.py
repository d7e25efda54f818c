"""spaCy's attribute ruler and rule lemmatizer in one cached component, with the same output.

In ``en_core_web_sm`` the two take about a quarter of the pipeline's time, nearly all of it per-token Python
work: the ruler runs its Matcher over every token and sets attributes token by token, the lemmatizer looks each
token up again. What they assign is a function of the token alone (its text, fine tag, dependency label and
what it already holds), except for the ruler's few patterns over two tokens ("gon na", "there is"). So this
component computes each distinct token once per process, with the ruler's own patterns in the ruler's own
order (a later pattern overrides an earlier one) and the lemmatizer's own ``lemmatize``, and writes the results
for a whole document at once; tokens a two-token pattern matches are worked out one by one, as the ruler
would. ``tests/test_nlp_fast.py`` checks the result against the original components.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

_COLUMNS = [ORTH, TAG, DEP, POS, MORPH, LEMMA]
_KEYS = ("LOWER", "TAG", "DEP", "IS_SPACE")
MAX_CACHED = 500_000   # distinct tokens remembered (about 100 MB at most); the cache starts again beyond


class Unsupported(ValueError):
    """A ruler pattern this component cannot evaluate by itself (the original components are kept then)."""


def _predicate(want: Any):
    if isinstance(want, dict):
        tests = []
        for op, arg in want.items():
            if op == "IN":
                tests.append(lambda v, a=frozenset(arg): v in a)
            elif op == "NOT_IN":
                tests.append(lambda v, a=frozenset(arg): v not in a)
            elif op == "REGEX":
                tests.append(lambda v, r=re.compile(arg): bool(r.search(v)))
            else:
                raise Unsupported(f"operator {op}")
        return lambda v: all(t(v) for t in tests)
    return lambda v, w=want: v == w


def _token_test(pattern: dict):
    tests = []
    for key, want in pattern.items():
        if key not in _KEYS:
            raise Unsupported(f"attribute {key}")
        tests.append((_KEYS.index(key), _predicate(want)))
    return lambda values: all(test(values[i]) for i, test in tests)


class CachedAttributes:
    """The ``attribute_ruler`` then ``lemmatizer`` of a pipeline, cached per distinct token."""

    def __init__(self, nlp: Language, ruler: str = "attribute_ruler", lemmatizer: str = "lemmatizer") -> None:
        self.vocab = nlp.vocab
        self.ruler = nlp.get_pipe(ruler)
        self.lemmatizer = nlp.get_pipe(lemmatizer)
        if self.lemmatizer.mode != "rule" or self.lemmatizer.overwrite:
            raise Unsupported("only a rule lemmatizer that keeps lemmas already set")
        # one-token patterns as (pattern number, test), indexed by the exact lower-case form or fine tag they
        # require (most do), so that working out a new token tries a handful of them, not all
        self.by_lower: dict[str, list[tuple[int, Any]]] = {}
        self.by_tag: dict[str, list[tuple[int, Any]]] = {}
        self.other: list[tuple[int, Any]] = []
        self.multi = Matcher(nlp.vocab)
        for number, entry in enumerate(self.ruler.patterns):
            for alternative in entry["patterns"]:
                if len(alternative) > 1:
                    self.multi.add(str(number), [alternative])
                    continue
                pattern = alternative[0]
                item = (number, _token_test(pattern))
                if isinstance(pattern.get("LOWER"), str):
                    self.by_lower.setdefault(pattern["LOWER"], []).append(item)
                elif isinstance(pattern.get("TAG"), str):
                    self.by_tag.setdefault(pattern["TAG"], []).append(item)
                else:
                    self.other.append(item)
        self.cache: dict[tuple[int, ...], tuple[int, int, int, int, int] | None] = {}
        _index_sets(self.lemmatizer)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array(_COLUMNS)
        strings = self.vocab.strings
        special: dict[int, list[tuple[int, int]]] = {}   # token -> (pattern number, offset in the match)
        for match_id, start, end in self.multi(doc, allow_missing=True):
            number = int(strings[match_id])
            index = self.ruler.indices[number]
            special.setdefault(range(start, end)[index], []).append((number, 0))
        cache = self.cache
        found = []   # (tag, dep, pos, morph, lemma) per token, written at once below
        for i, key in enumerate(map(tuple, rows.tolist())):
            if i in special:
                values = self._compute(doc[i], special[i])
            else:
                values = cache.get(key)
                if values is None:
                    if len(cache) >= MAX_CACHED:
                        cache.clear()
                    values = cache[key] = self._compute(doc[i], [])
            found.append(values)
        out = np.array(found, dtype=np.uint64)
        doc.from_array([TAG, POS, MORPH, LEMMA], out[:, [0, 2, 3, 4]])
        for i in np.flatnonzero(out[:, 1] != rows[:, 2]).tolist():
            doc[i].dep = int(out[i, 1])
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    def _compute(self, token: Token, extra: list[tuple[int, int]]) -> tuple[int, int, int, int, int]:
        """What the ruler then the lemmatizer assign to ``token`` (applied to it, and read back)."""
        values = (token.lower_, token.tag_, token.dep_, token.is_space)
        candidates = self.by_lower.get(values[0], []) + self.by_tag.get(values[1], []) + self.other
        numbers = sorted({n for n, test in candidates if test(values)} | {n for n, _ in extra})
        for number in numbers:
            set_token_attrs(token, self.ruler.attrs[number])
        if token.lemma == 0:
            token.lemma_ = self.lemmatizer.lemmatize(token)[0]
        return token.tag, token.dep, token.pos, token.morph.key, token.lemma


def _index_sets(lemmatizer) -> None:
    """The lemmatizer's word index (for each part of speech, the known lemmas) held as sets, not lists: the rule
    lemmatizer asks whether each form a suffix rule makes is in it, and in a list of 57,000 nouns that scan took
    most of the time of a token seen for the first time (165 us). Same answers."""
    table = lemmatizer.lookups.get_table("lemma_index", {})
    for key, words in list(table.items()):
        if isinstance(words, list):
            table[key] = frozenset(words)


@Language.factory("storyline_attributes")
def make_cached_attributes(nlp: Language, name: str) -> CachedAttributes:
    return CachedAttributes(nlp)


def install(nlp: Language) -> bool:
    """Replace ``attribute_ruler`` and ``lemmatizer`` in ``nlp`` by one ``CachedAttributes`` (same output);
    ``False`` (nothing changed) when the pipeline has not both or uses what the cache cannot reproduce."""
    names = nlp.pipe_names
    if "attribute_ruler" not in names or "lemmatizer" not in names or \
            names.index("lemmatizer") != names.index("attribute_ruler") + 1:
        return False
    try:
        nlp.add_pipe("storyline_attributes", after="lemmatizer")
    except Unsupported:
        return False
    nlp.remove_pipe("attribute_ruler")
    nlp.remove_pipe("lemmatizer")
    return True

