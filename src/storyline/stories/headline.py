"""The names a headline carries, matched to the store's entities.

Ingest reads a bare text's headline off its first line into the title, and the NLP stage reads the body
only: the people, places and organisations a headline names are then no mentions of the article, while
they are what its reports share most (measured: dropping the headline's mentions took ECB+ dev events from
0.851 to 0.824). The story stage reads them back itself: runs of capitalised words of the title (up to
``MAX_WORDS``, joined by ``of``/``the``/...) are keyed as the entity resolver keys a mention of each label
(:func:`storyline.nlp.names.name_key`) and looked up among the keys the store already holds; the longest
run that names an entity wins, left to right, and each entity found counts as one more mention.

A title the text itself opens with was read by the NLP stage already and adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from ..nlp.names import name_key

MAX_WORDS = 4
#: lower-case words a name holds inside it ("Gulf of Aden", "Bank of the West")
JOINERS = frozenset({"of", "the", "de", "del", "da", "for", "and", "al", "la", "le", "von", "van", "bin"})
#: the order a run's keys are tried in: the first a known entity holds is the one the headline names
LABELS = ("PERSON", "ORG", "GPE", "NORP", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART")
_WORD = re.compile(r"[^\W_][\w'’.&-]*")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")


def _words(title: str) -> list[str]:
    out = []
    for m in _WORD.finditer(title):
        w = m.group(0)
        out.append(w if _INITIALS.fullmatch(w) else w.rstrip(".'’-"))
    return out


def _is_name(run: list[str]) -> bool:
    return (run[0][:1].isupper() and run[-1][:1].isupper()
            and all(w[:1].isupper() or w.lower() in JOINERS for w in run))


@lru_cache(maxsize=65536)
def _keys(name: str) -> tuple[str, ...]:
    """The keys a name would have, one per label, each once (names recur across headlines: cached)."""
    return tuple(k for k in dict.fromkeys(name_key(name, label) for label in LABELS) if k.split(":", 1)[-1])


def candidate_keys(title: str | None) -> dict[tuple[int, int], list[str]]:
    """(first word, word count) -> the keys a run of the title's words would have, one per label, for every
    run that reads as a name."""
    words = _words(title or "")
    out: dict[tuple[int, int], list[str]] = {}
    for i in range(len(words)):
        for n in range(1, min(MAX_WORDS, len(words) - i) + 1):
            run = words[i:i + n]
            if _is_name(run):
                keys = _keys(" ".join(run))
                if keys:
                    out[(i, n)] = list(keys)
    return out


def headline_entities(candidates: Mapping[tuple[int, int], list[str]], known: Mapping[str, int]) -> set[int]:
    """The entities a title names: left to right, the longest run with a known key (``known``: key ->
    entity id), its first key in label order."""
    found: set[int] = set()
    words = max((i + n for i, n in candidates), default=0)
    i = 0
    while i < words:
        step = 1
        for n in range(MAX_WORDS, 0, -1):
            hit = next((known[k] for k in candidates.get((i, n), ()) if k in known), None)
            if hit is not None:
                found.add(hit)
                step = n
                break
        i += step
    return found


def repeats_title(title: str | None, text: str) -> bool:
    """Whether the text opens with its title (the NLP stage has read the headline's names then)."""
    return bool(title and title.strip()) and text.lstrip().startswith(title.strip())  # type: ignore[union-attr]
