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
