"""Sentence boundaries that respect the text's structure, set before the parser (which keeps them):

- a sentence never crosses a block: the clean text separates its blocks (paragraphs, headings, the
  standfirst) by line breaks, so the first token after a line break starts a sentence;
- a dateline opening a paragraph ("MOSCOW, Jan 8 (Reuters) -") is a sentence of its own, so the lead after
  it parses as the sentence it is (the parser otherwise takes the place for the subject);
- a sentence never starts or ends inside a quotation: no token strictly inside a quotation (after
  its opening mark, up to and including its closing mark) starts a sentence. A quotation is a pair of
  double marks (curly, straight or guillemets; the wire style's two apostrophes closing one, ``"...''``, and
  two backticks opening one) or curly single marks inside one paragraph; one left open runs to the
  paragraph's end (the convention for a quote that goes on in the next paragraph). A closing mark written
  right after the sentence's last word never starts the next sentence, nor does a time zone after a clock
  time ("11:55 p.m. ET: Police ...").
  A quotation longer than ``MAX_QUOTATION`` characters is left to the parser (a stray mark, not speech).

``spans_crossing`` and ``quotation_spans`` are the checks the evaluation uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..clean.lead import DATELINE_LEAD, DATELINE_SPAN

COMPONENT = "storyline_boundaries"
MAX_QUOTATION = 1500
_PARAGRAPH = re.compile(r"[^\n]+")
_MARKS = re.compile(r"''|``|[\"“”„«»‘’]")
#: the wire style's two-character marks read as the curly ones
_PAIRS = {"``": "“", "''": "”"}
_CLOSING = frozenset({"''", "”", "»", "’", '"'})
_OPEN_BEFORE = " \t([{—–-/“„«‘\"'"
#: time zones written after a clock time ("11:55 p.m. ET: ..."): never the start of a sentence
_ZONES = frozenset("ET EST EDT CT CST CDT MT MST MDT PT PST PDT GMT BST CET CEST EET EEST UTC".split())
_CLOCK = frozenset({"a.m.", "p.m.", "am", "pm", "a.m", "p.m"})


def _is_opening(text: str, p: int, c: str) -> bool:
    prev = text[p - 1] if p else " "
    nxt = text[p + len(c)] if p + len(c) < len(text) else " "
    c = _PAIRS.get(c, c)
    if c in "“„«":
        return True
    if c in "”»":
        return False
    if c == "‘":
        return not nxt.isdigit()            # ‘90s is an elision
    if c == "’":
        return False
    return (prev.isspace() or prev in _OPEN_BEFORE) and not nxt.isspace()   # straight "


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """``(open, close)`` character positions of each quotation's marks (``close`` is the paragraph's end
    for one left open), paragraph by paragraph, nested ones merged, in order."""
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text):
        double: int | None = None
        single: int | None = None
        for m in _MARKS.finditer(text, para.start(), para.end()):
            p, raw = m.start(), m.group()
            c = _PAIRS.get(raw, raw)
            if c == "‘":
                if single is None and _is_opening(text, p, raw):
                    single = p
            elif c == "’":
                nxt = text[p + 1] if p + 1 < len(text) else " "
                if single is not None and not nxt.isalpha():   # not an apostrophe inside a word (don’t)
                    spans.append((single, p))
                    single = None
            elif double is None:
                if _is_opening(text, p, raw):
                    double = p
            elif c not in "“„«":
                spans.append((double, p + len(raw) - 1))
                double = None
        for left in (double, single):
            if left is not None:
                spans.append((left, para.end()))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(s for s in spans if s[1] - s[0] <= MAX_QUOTATION):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def sentence_starts(doc: Doc) -> np.ndarray:
    """Every token's sentence start as ``Token.is_sent_start`` has it: 1 starts one, -1 does not, 0 unknown."""
    return doc.to_array([SENT_START]).astype(np.int64)


def set_sentence_starts(doc: Doc, starts: np.ndarray) -> Doc:
    """``starts`` (as from ``sentence_starts``) written to ``doc`` in one pass. Setting ``Token.is_sent_start``
    one token at a time costs a scan of the whole document each time (spaCy checks it has no parse), quadratic
    in the tokens set: 41,000 of them in short quotations took two minutes of CPU (fuzz input 1986)."""
    if not len(doc):
        return doc
    if doc.has_annotation("DEP"):
        raise ValueError("sentence starts cannot be set on a parsed document")
    return doc.from_array([SENT_START], starts.astype(np.uint64))


def set_boundaries(doc: Doc) -> Doc:
    """Mark block starts as sentence starts and tokens inside quotations as not; see the module docstring."""
    text = doc.text
    spans = quotation_spans(text)
    leads = dateline_leads(text)
    starts = sentence_starts(doc)
    k = 0
    previous = 0
    for i, token in enumerate(doc):
        if i == 0:
            previous = token.idx
            continue
        at = token.idx
        before, previous = text[previous:at], at
        if token.is_space:
            starts[i] = -1
            continue
        if "\n" in before or at in leads:
            starts[i] = 1
            continue
        while k < len(spans) and spans[k][1] < at:
            k += 1
        if k < len(spans) and spans[k][0] < at <= spans[k][1]:
            starts[i] = -1
        elif token.text in _ZONES and doc[i - 1].lower_ in _CLOCK:
            starts[i] = -1
        elif token.text in _CLOSING and not doc[i - 1].whitespace_ and (
                token.whitespace_ or i + 1 == len(doc) or doc[i + 1].is_space):
            starts[i] = -1
    return set_sentence_starts(doc, starts)


def dateline_leads(text: str) -> set[int]:
    """Where the lead starts after a dateline opening a paragraph (the character after its dash)."""
    out = set()
    for para in _PARAGRAPH.finditer(text):
        m = DATELINE_LEAD.match(text[para.start():para.start() + DATELINE_SPAN])
        if m:
            out.add(para.start() + m.end() - 1)
    return out


Language.component(COMPONENT, func=set_boundaries)


def add_to(nlp: Language) -> Language:
    """Put the boundary component before the parser (once)."""
    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser" if "parser" in nlp.pipe_names else None)
    return nlp


def spans_crossing(sentences: Iterable[tuple[int, int]], blocks: Iterable[tuple[int, int]]) -> int:
    """How many sentences ``(start, end)`` are not inside one block ``(start, end)``."""
    blocks = sorted(blocks)
    crossing = 0
    for start, end in sentences:
        if not any(b0 <= start and end <= b1 for b0, b1 in blocks):
            crossing += 1
    return crossing


def inside_quotation(sentences: Iterable[tuple[int, int]], text: str) -> int:
    """How many sentence boundaries fall strictly inside a quotation."""
    spans = quotation_spans(text)
    bad = 0
    for start, _ in list(sentences)[1:]:
        if any(a < start <= b for a, b in spans):
            bad += 1
    return bad
