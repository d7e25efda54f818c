"""The cached attribute ruler and lemmatizer (storyline.nlp.attributes) give what spaCy's own components give."""

from __future__ import annotations

import pytest

TEXTS = [
    "The senator said on Tuesday that she was gonna vote against the bill, and there is no doubt she will.",
    "There's a lot we don't know yet, the governor's spokesman told reporters in Albany.",
    "Prices rose 3.5% in May; economists had expected 2.9%, according to a survey by the central bank.",
    "“We are not going to give up,” Ms. Rivera said. “They wanna see us fail, and we won't.”",
    "The U.S. Supreme Court heard arguments Monday in the case, which was brought by 12 states.",
    "Running, ran, runs: the mayor's runners were running late, but they'd been warned.",
    "Gotta say, there are worse places to be than Paris in the spring of 2019.",
    "",
    "   \n\n  ",
]


@pytest.fixture(scope="module")
def pipelines():
    spacy = pytest.importorskip("spacy")
    from storyline.nlp.attributes import install
    from storyline.nlp.model import MODEL

    try:
        plain, fast = spacy.load(MODEL), spacy.load(MODEL)
    except OSError as exc:
        pytest.skip(str(exc))
    assert install(fast)
    return plain, fast


def _attrs(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def test_install_replaces_both_components(pipelines):
    plain, fast = pipelines
    assert "attribute_ruler" in plain.pipe_names and "lemmatizer" in plain.pipe_names
    assert "storyline_attributes" in fast.pipe_names
    assert "attribute_ruler" not in fast.pipe_names and "lemmatizer" not in fast.pipe_names


def test_same_tags_lemmas_and_morphology_as_spacy(pipelines):
    plain, fast = pipelines
    # twice over: the second pass reads every token from the cache
    for _ in range(2):
        for a, b in zip(plain.pipe(TEXTS), fast.pipe(TEXTS)):
            assert _attrs(a) == _attrs(b)


def test_two_token_patterns_are_applied(pipelines):
    _, fast = pipelines
    doc = fast("She was gonna leave, and there is a reason.")
    lemmas = {t.text.lower(): t.lemma_ for t in doc}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to"


def test_pipeline_used_by_storyline_has_the_cached_component():
    from storyline.errors import StorylineError
    from storyline.nlp.model import load_nlp

    try:
        nlp = load_nlp()
    except StorylineError as exc:
        pytest.skip(str(exc))
    assert "storyline_attributes" in nlp.pipe_names
    assert nlp.pipe_names.index("storyline_boundaries") < nlp.pipe_names.index("parser")


def test_word_index_held_as_sets_gives_the_same_lemmas(pipelines):
    """Inflected forms whose lemma the suffix rules find only through the word index (the index is a set in
    the cached component, a list in spaCy's own): the same lemmas, and the index really is a set there."""
    plain, fast = pipelines
    index = fast.get_pipe("storyline_attributes").lemmatizer.lookups.get_table("lemma_index")
    assert all(isinstance(words, frozenset) for words in index.values())
    text = ("The ponies carried the boxes while the geese watched; wolves hunted, cities grew, and the judges were "
            "deciding cases faster, happier and busier than the studies had predicted.")
    a, b = plain(text), fast(text)
    assert _attrs(a) == _attrs(b)
    lemmas = {t.text: t.lemma_ for t in b}
    assert lemmas["ponies"] == "pony" and lemmas["cities"] == "city" and lemmas["deciding"] == "decide"
