"""Words for matching across articles: tokens, a light suffix stemmer, content stems, the lexicon file.

No model runs here: a storyline of thousands of articles has hundreds of thousands of sentences, so
sentences are compared on cheap content stems ("revokes", "revoked" -> "revok"), not on parses.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.U)
# longest first: the first suffix that leaves a stem of at least MIN_STEM letters is cut
_SUFFIXES = ("ations", "ation", "ating", "ated", "ates", "ate", "ments", "ment", "ings", "ing", "ies", "ied",
             "ed", "es", "s", "ly", "e")
MIN_STEM = 3
_VOWELS = "aeiou"
_COMBINING = re.compile(r"[\u0300-\u036f]")  # accents left as separate marks by NFKD


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """``src/storyline/data/analysis.toml``, read once per process."""
    with resources.files("storyline").joinpath("data/analysis.toml").open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """spaCy's English stop words, read from the installed package's word-list file: importing spaCy for a
    word list costs a process that only builds briefs two seconds."""
    import runpy
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("spaCy is not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / "lang" / "en" / "stop_words.py"
    return frozenset(runpy.run_path(str(path))["STOP_WORDS"])


def days_apart(a: str | None, b: str | None) -> int | None:
    """Days between two ISO dates (or the dates of two timestamps); ``None`` when either is missing or
    unreadable."""
    if not a or not b:
        return None
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return None


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(lexicon()["words"]["stop"])


@lru_cache(maxsize=1)
def irregular() -> dict[str, str]:
    return dict(lexicon()["irregular"])


def fold(text: str) -> str:
    """Lower case without accents and with straight apostrophes (``Constanța`` -> ``constanta``)."""
    text = text.casefold().replace("’", "'")
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def token_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, folded token)`` for every word, offsets into ``text``."""
    return [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude English stem: enough to match "revokes"/"revoked"/"revoking", not a linguistic root."""
    w = word.removesuffix("'s")
    w = irregular().get(w, w)
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= MIN_STEM:
            w = w[: -len(suffix)]
            # "banning" -> "bann" -> "ban", as "bans" -> "ban"; "killed" keeps its "ll"
            if suffix[0] in "ie" and len(w) > MIN_STEM and w[-1] == w[-2] and w[-1] not in "lsz" + _VOWELS:
                w = w[:-1]
            return w
    return w


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry content (no function words, no bare numbers), in order."""
    return stems_of(tokens(text))


def stems_of(words: list[str]) -> list[str]:
    stop = stopwords()
    return [stem(t) for t in words if t not in stop and not t.isdigit() and len(t) > 1]


def phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    """One regex matching any of ``phrases`` on word boundaries, longest first, case-insensitively."""
    alts = sorted({re.escape(p).replace(r"\ ", r"\s+") for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])", re.I | re.U)
