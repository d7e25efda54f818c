"""Work that grew faster than its input on hostile text, found by the fuzz benchmark (``bench/fuzz_ingest``):
each is bounded now, and checked here against the slow form it replaces where one exists."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.extract.daterange import debris_spans

#: the pattern ``debris_spans`` used to run: a window of up to 500 characters tried from every glued letter
_OLD_DEBRIS = re.compile(r"[a-z](?=[A-Z0-9])[^\n]{0,500}?\bMORE\b|^.*\b(?:Sign up for|Newsletters?\b|Full Coverage:|"
                         r"Hide Caption|Photos:|Caption \d+ of \d+|FILE PHOTO)\b.*$", re.M)

_PIECES = st.sampled_from(["a", "B", "7", " ", "\n", "MORE", "xMORE", "Photos:", "Sign up for", "FILE PHOTO", "Caption 3 of 9",
                           "Newsletter", "x" * 120, "aB", ".", "é"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_debris_spans_are_the_old_pattern_s_matches(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert debris_spans(text) == [m.span() for m in _OLD_DEBRIS.finditer(text)]


def test_debris_spans_far_apart_tooltips_and_lines() -> None:
    text = ("Donald John TrumpGOP senators balk MORE and then\nSign up for our newsletter\n"
            + "aB" + "x " * 300 + "MORE\nthe rest")
    assert debris_spans(text) == [m.span() for m in _OLD_DEBRIS.finditer(text)]
    assert debris_spans(text)[0] == (text.index("pGOP"), text.index("MORE") + 4)


def test_debris_spans_are_linear_on_a_line_of_glued_words() -> None:
    """Fuzz input 1121 (a text of 60,000 attributes ``a1="v" a2="v" ...`` on one line): every ``a`` glued to a
    digit opened a 500-character window (5 s of CPU for each of the three passes over the article)."""
    line = " ".join(f'a{i}="v"' for i in range(60_000))
    for text in (line, line + " MORE", "aB" * 200_000 + " MORE " + line):
        started = time.process_time()
        spans = debris_spans(text)
        assert time.process_time() - started < 1.0
        assert (spans != []) == ("MORE" in text)


def _old_boundaries(doc):  # the per-token form set_boundaries replaced (each setter scans the whole doc)
    from storyline.nlp.sentences import quotation_spans

    text, spans, k = doc.text, quotation_spans(doc.text), 0
    for i, token in enumerate(doc):
        if i == 0:
            continue
        if token.is_space:
            token.is_sent_start = False
            continue
        if "\n" in text[doc[i - 1].idx:token.idx]:
            token.is_sent_start = True
            continue
        while k < len(spans) and spans[k][1] < token.idx:
            k += 1
        if k < len(spans) and spans[k][0] < token.idx <= spans[k][1]:
            token.is_sent_start = False
    return doc


def test_sentence_boundaries_are_set_in_one_pass_over_many_quotations() -> None:
    """Fuzz input 1986 (a feed entry repeated into 41,000 tokens inside short quotations): each token marked one at a
    time made spaCy scan the whole document for a parse, two minutes of CPU; now one write for the document."""
    from storyline.nlp.model import cap_sentences, load_nlp
    from storyline.nlp.sentences import set_boundaries

    nlp = load_nlp()
    sample = ("\"We have done what we promised,\" the harbour master said.\n\n  A second “quoted” line ‘here’ "
              + "and " * 700 + "no end\n")
    for text in (sample, sample * 3):
        new, old = set_boundaries(nlp.make_doc(text)), _old_boundaries(nlp.make_doc(text))
        assert [t.is_sent_start for t in new] == [t.is_sent_start for t in old]
        assert sum(t.is_sent_start is True for t in cap_sentences(new)) > sum(t.is_sent_start is True for t in old)
    doc = nlp.make_doc("\"We have done what we promised,\" the harbour master said. " * 4000)
    started = time.process_time()
    cap_sentences(set_boundaries(doc))
    assert time.process_time() - started < 2.0
    assert sum(t.is_sent_start is False for t in doc) > 25_000


def _old_ending(text: str, full: dict[str, str], whole: bool = False) -> str | None:
    return next((n for f, n in full.items() if (whole and text == f) or text.endswith(" " + f)), None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["ann lee", "lee", "mark ann lee", " lee", "", "x y", "y", "ann"]), max_size=6),
       st.sampled_from(["ann lee", "mark ann lee", "the lee", "y", "x y", "lee", " lee", "z ann lee", ""]),
       st.booleans())
def test_a_full_name_ending_a_mention_is_the_one_the_old_search_found(names: list[str], text: str,
                                                                      whole: bool) -> None:
    from storyline.nlp.entities import _ending

    full = {n: n.upper() for n in names}
    assert _ending(text, full, {f: k for k, f in enumerate(full)}, whole=whole) == _old_ending(text, full, whole)


def test_full_names_ending_mentions_are_looked_up_not_searched() -> None:
    """Fuzz input 1756 (thousands of names in one article): every entity tried against every full name."""
    from storyline.nlp.entities import _ending

    full = {f"given{i} family{i}": f"Given{i} Family{i}" for i in range(20_000)}
    rank = {f: k for k, f in enumerate(full)}
    started = time.process_time()
    found = [_ending(f"minister given{i} family{i}", full, rank) for i in range(0, 40_000, 2)]
    assert time.process_time() - started < 1.0
    assert found[:2] == ["Given0 Family0", "Given2 Family2"] and found[-1] is None


def test_the_actor_finder_knows_each_mention_s_tokens_without_a_search() -> None:
    """Fuzz input 1756: the words around each name were found by gathering the name's tokens from every mention
    token of the article, quadratic in its names (12 s of CPU)."""
    from storyline.nlp.model import load_nlp
    from storyline.nlp.names import load_aliases
    from storyline.polevents import load_lexicon
    from storyline.polevents.actors import ActorFinder
    from storyline.records import Mention

    names = [f"Anna Vel{i:04d}" for i in range(6000)]
    filler = "Harbour " * 60_000   # one long name the tagger might make of a hostile run of capitals
    text = ", ".join(names) + " of the " + filler + "said."
    doc = load_nlp().make_doc(text)   # the finder reads no parse to gather a name's tokens
    mentions, at = [], 0
    for name in names:
        start = text.index(name, at)
        at = start + len(name)
        mentions.append(Mention(start, at, name, "PERSON", name.lower(), name))
    at = text.index(filler)
    mentions.append(Mention(at, at + len(filler) - 1, filler.strip(), "ORG", "harbour", "Harbour"))
    started = time.process_time()
    finder = ActorFinder(doc, mentions, load_lexicon(), load_aliases())
    assert time.process_time() - started < 1.0
    assert finder.tokens_of[id(mentions[7])] == {t.i for t in doc.char_span(mentions[7].start, mentions[7].end)}


def _old_date_quotes(quotes, times, published, sentences):  # the form date_quotes replaced
    from dataclasses import replace as _replace

    days = [_replace(t, value=t.value[:10]) for t in times
            if t.value and re.match(r"^\d{4}-\d{2}-\d{2}$", t.value[:10]) and t.type in ("DATE", "TIME")]
    quoted = [(q.start, q.end) for q in quotes if q.kind in ("direct", "partial")]
    out = []
    for q in quotes:
        anchor = q.cue_start if q.cue_start is not None else q.start
        sentence = next((s.index for s in sentences if s.start <= anchor < s.end), q.sentence)
        candidates = [t for t in days if t.sentence == sentence and sentence >= 0 and not (q.start <= t.start < q.end)
                      and not any(s <= t.start < e for s, e in quoted)]
        if candidates:
            best = min(candidates, key=lambda t: abs(t.start - anchor))
            out.append(_replace(q, said_on=best.value, said_on_basis=best.basis))
        elif published:
            out.append(_replace(q, said_on=published, said_on_basis="publication"))
        else:
            out.append(_replace(q, said_on=None, said_on_basis=None))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12), st.one_of(st.none(), st.integers(0, 70)),
                          st.integers(-1, 6)), max_size=8),
       st.lists(st.tuples(st.integers(0, 70), st.integers(-1, 6), st.sampled_from(["2024-12-09", "2024-12-10T10",
                                                                                 "2024-W50", None])), max_size=8),
       st.lists(st.integers(1, 15), max_size=8), st.booleans(), st.sampled_from([None, "2024-12-01"]))
def test_quotes_are_dated_as_the_search_over_every_sentence_dated_them(quotes, times, lengths, shuffled,
                                                                      published) -> None:
    from storyline.extract.said_on import date_quotes
    from storyline.records import Quote, Sentence, TimeExpr

    sentences, at = [], 0
    for k, n in enumerate(lengths):
        sentences.append(Sentence(k, at, at + n))
        at += n + (k % 2)
    if shuffled:
        sentences.reverse()
    qs = [Quote(s, s + n, "x", "direct", cue_start=c, sentence=k) for s, n, c, k in quotes]
    ts = [TimeExpr(s, s + 3, "x", "DATE", v, None, "explicit", sentence=k) for s, k, v in times]
    assert date_quotes(qs, ts, published, sentences) == _old_date_quotes(qs, ts, published, sentences)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20)), max_size=10), st.integers(-2, 75))
def test_a_stance_s_quote_is_the_first_span_holding_its_cue(spans, at: int) -> None:
    from storyline.store.stances import _containing

    quote_ids = {(a, a + n): f"q{k}" for k, (a, n) in enumerate(spans)}
    assert _containing(quote_ids)(at) == next((q for (a, b), q in quote_ids.items() if a <= at < b), None)


def test_quotes_are_dated_and_matched_to_stances_in_time_linear_in_the_article() -> None:
    """Fuzz inputs 1758 and 1986 (feeds repeated into thousands of quotes and sentences): every quote looked for
    among every sentence and every stance among every quote."""
    from storyline.extract.said_on import date_quotes
    from storyline.records import Quote, Sentence
    from storyline.store.stances import _containing

    sentences = [Sentence(k, 10 * k, 10 * k + 9) for k in range(20_000)]
    quotes = [Quote(10 * k + 1, 10 * k + 5, "x", "direct", cue_start=10 * k + 6) for k in range(20_000)]
    started = time.process_time()
    dated = date_quotes(quotes, [], "2024-12-01", sentences)
    find = _containing({(q.start, q.end): f"q{k}" for k, q in enumerate(quotes)})
    found = [find(10 * k + 2) for k in range(20_000)]
    assert time.process_time() - started < 2.0
    assert dated[-1].said_on == "2024-12-01" and found[:2] == ["q0", "q1"]


def test_no_sentence_outgrows_the_cap_when_the_parser_ignores_full_stops() -> None:
    """Fuzz input 3569 (one fragment repeated into 50,000 tokens): the parser made 7 sentences of it, since the cap
    reset its count at every full stop and trusted the parser to end a sentence there; the quote finder then never
    finished. Once the cap is reached a start is now set after the next likely end, before the parse."""
    from storyline.nlp.model import MAX_SENTENCE_TOKENS, cap_sentences, load_nlp
    from storyline.nlp.sentences import set_boundaries

    nlp = load_nlp()
    doc = cap_sentences(set_boundaries(nlp.make_doc("harbour fees . rise and the pier . is closed , " * 3000)))
    starts = [t.i for t in doc if t.is_sent_start is True] + [len(doc)]
    assert len(starts) > len(doc) // (2 * MAX_SENTENCE_TOKENS)
    assert max(b - a for a, b in zip(starts, starts[1:])) <= 2 * MAX_SENTENCE_TOKENS
    prose = nlp("The port reopened on Monday after a week of talks. " * 10)
    assert [s.text.strip() for s in prose.sents] == ["The port reopened on Monday after a week of talks."] * 10
