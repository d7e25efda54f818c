"""What a brief may quote: lines an outlet repeats across its articles are boilerplate, news lines are not."""

from __future__ import annotations

from material_support import article, material

from storyline.analysis.cite import Boilerplate, usable_sentence

PITCH = "Get the morning briefing from the Harbour Ledger in your inbox."


def _material():
    a = article("a", f"Dock workers in Veltra walked out on Monday.\n{PITCH}\nThe port authority said talks "
                     "would resume.", "Harbour Ledger", "2025-03-03")
    # the same pitch in other letter case and spacing, in a second article of the outlet
    b = article("b", f"Talks over pay at the port of Veltra resumed on Tuesday.\n  {PITCH.upper()} \nNo date "
                     "was set for a vote.", "Harbour Ledger", "2025-03-04")
    # the pitch's words in another outlet's only article: not repeated there
    c = article("c", f"Veltra's dock strike entered its second day.\n{PITCH}", "Coast Courier", "2025-03-04")
    return material([a, b, c])


def test_a_line_an_outlet_repeats_is_boilerplate_whatever_its_case_and_spacing():
    m = _material()
    check = Boilerplate(m)
    text_a, text_b = m.articles["a"].text, m.articles["b"].text
    start = text_a.index(PITCH)
    assert check("a", start, start + len(PITCH))
    start = text_b.index(PITCH.upper())
    assert check("b", start, start + len(PITCH))
    assert usable_sentence(m, "a", text_a.index(PITCH), check) is None


def test_news_lines_and_a_line_found_once_in_an_outlet_are_quoted():
    m = _material()
    check = Boilerplate(m)
    text_a, text_c = m.articles["a"].text, m.articles["c"].text
    assert not check("a", 0, text_a.index("\n"))
    assert not check("c", text_c.index(PITCH), len(text_c))
    quoted = usable_sentence(m, "a", 0, check)
    assert quoted is not None and quoted["text"] == "Dock workers in Veltra walked out on Monday."
