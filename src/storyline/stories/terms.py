"""Topic terms: the content words of an article's headline and lead, as hashed term ids with counts.

Embeddings say what kind of news an article is; the words say which story: "shutdown", "website",
"whistleblower", "hearing". Events and storylines keep the terms their articles use most, and the
story rules compare an article's terms with those profiles by TF-IDF cosine, the document
frequencies counted as articles are placed (so the weights need no pass over the store).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping

KEEP = 30   # terms an article keeps for the profiles of its event and storyline (by TF-IDF)

_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_]|\d{3,}", re.UNICODE)
STOP_WORDS = frozenset("""
a about above after again against all almost also although always am among an and another any are around as at
back be became because become been before being below between both but by can cannot could did do does doing done
down during each either else enough even ever every few first for from further get gets got had has have having
he her here hers herself him himself his how however i if in including into is it its itself just last least less
like made make many may me might more most much must my myself near need neither never new next no nor not now of
off often on once one only or other others our ours ourselves out over own per perhaps put rather really said same
say says see seem seemed several she should since so some still such than that the their theirs them themselves
then there these they this those though three through thus to today told too toward two under until up upon us very
was we well were what whatever when where whether which while who whom whose why will with within without would
year years yet you your yours yourself yourselves mr mrs ms percent week weeks day days time monday tuesday wednesday
thursday friday saturday sunday january february march april june july august september october november december
news report reported reports according people just get going want wants it's that's don't didn't doesn't
""".split())


_MARKS = re.compile(r"[\u0300-\u036f]+")


def _fold(text: str) -> str:
    """Case and accents folded (Constanța, CONSTANTA -> constanta)."""
    text = text.casefold()
    return text if text.isascii() else _MARKS.sub("", unicodedata.normalize("NFKD", text))


def term_id(word: str) -> int:
    """A stable 32-bit id for a term (the profiles keep ids, not words)."""
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")


def terms(text: str) -> dict[int, int]:
    """Term id -> count over the content words (three characters or more, no stop words) of ``text``."""
    words = (w.strip("'-") for w in _WORD.findall(_fold(text)))
    return dict(Counter(term_id(w) for w in words if len(w) >= 3 and w not in STOP_WORDS))


def term_weights(df: Mapping[int, int], total: int) -> dict[int, float]:
    """Inverse document frequency of each term."""
    return {t: math.log((total + 2) / (n + 1)) for t, n in df.items()}


_SUBLINEAR = [0.0] + [1.0 + math.log(n) for n in range(1, 256)]


def _tf(n: int) -> float:
    return _SUBLINEAR[n] if 0 <= n < 256 else 1.0 + math.log(n)


def _vector(counts: Mapping[int, int], w: Mapping[int, float], default: float) -> dict[int, float]:
    get = w.get
    return {t: _tf(n) * get(t, default) for t, n in counts.items() if n > 0}


class TermVector:
    """A term profile weighted once (sublinear TF times IDF), to be compared with many others."""

    __slots__ = ("vector", "norm")

    def __init__(self, counts: Mapping[int, int], w: Mapping[int, float], default: float = 1.0) -> None:
        self.vector = _vector(counts, w, default)
        self.norm = math.sqrt(sum(x * x for x in self.vector.values()))

    def cosine(self, counts: Mapping[int, int], w: Mapping[int, float], default: float = 1.0) -> float | None:
        """TF-IDF cosine with another profile; ``None`` when either is empty."""
        if not self.norm or not counts:
            return None
        mine, get = self.vector, w.get
        dot = sq = 0.0
        for t, n in counts.items():
            x = _tf(n) * get(t, default)
            sq += x * x
            y = mine.get(t)
            if y is not None:
                dot += x * y
        return dot / (self.norm * math.sqrt(sq)) if sq else None


def term_cosine(a: Mapping[int, int], b: Mapping[int, int], w: Mapping[int, float],
                default: float = 1.0) -> float | None:
    """TF-IDF cosine (sublinear term frequency) of two term profiles; ``None`` when either is empty."""
    if not a or not b:
        return None
    return TermVector(a, w, default).cosine(b, w, default)


def top_terms(counts: Mapping[int, int], w: Mapping[int, float], k: int = KEEP, default: float = 1.0) -> dict[int, int]:
    """The ``k`` terms that weigh most (sublinear TF times IDF), with their counts."""
    ranked = sorted(counts.items(), key=lambda kv: (-_tf(kv[1]) * w.get(kv[0], default), kv[0]))
    return dict(ranked[:k])
