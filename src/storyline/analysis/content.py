"""Words that carry content: what two sentences must share to say the same thing.

Lower-cased word tokens without English stop words (spaCy's list) and one-letter words (the ``s`` of a
possessive), numbers with their thousands separators removed ("150,000" and "150000" are one number).
"""

from __future__ import annotations

import re

from .words import english_stop_words

_TOKEN = re.compile(r"\d[\d,.]*\d|\d|\w+", re.U)
_NUMBER = re.compile(r"^\d[\d,.]*$")


def tokens(text: str) -> list[str]:
    """Lower-cased words and numbers of ``text`` in order (stop words included)."""
    out = []
    for t in _TOKEN.findall(text.casefold()):
        out.append(t.replace(",", "") if _NUMBER.match(t) else t)
    return out


def content_words(text: str) -> set[str]:
    """The content words and numbers of ``text``."""
    stop = english_stop_words()
    return {t for t in tokens(text) if t not in stop and (len(t) > 1 or t.isdigit())}


def numbers(text: str) -> set[str]:
    """The numbers written in digits in ``text``."""
    return {t for t in tokens(text) if _NUMBER.match(t)}
