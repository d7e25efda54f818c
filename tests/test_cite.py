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


def test_a_newsrooms_note_on_its_article_is_never_news_nor_an_events_description():
    from storyline.analysis.cite import furniture
    from storyline.analysis.timeline import _lead

    for note in ["This post was updated at 5 p.m. ET.", "This story has been updated with the mayor's comment.",
                 "This is a developing story and will be updated.", "Editor's note: an earlier version misnamed "
                 "the ferry.", "Updated 6:40 PM ET"]:
        assert furniture(note), note
    for news in ["The port authority said its timetable was updated on Monday.", "Police updated the toll to 14.",
                 "Officials called it a developing situation."]:
        assert not furniture(news), news
    a = article("a", "This post was updated at 5 p.m. ET.\nDock workers in Veltra walked out on Monday after talks "
                     "over pay broke down.", "Harbour Ledger", "2025-03-03")
    lead = _lead("a", material([a]))
    assert lead is not None and lead["text"].startswith("Dock workers in Veltra walked out")


def test_an_embedded_social_post_is_someone_elses_words_never_news_nor_a_fact():
    from storyline.analysis.cite import embedded_posts
    from storyline.analysis.facts import build as facts
    from storyline.analysis.material import Doc, Material, Sentence

    text = ("Dock workers in Veltra walked out on Monday after talks over pay broke down.\n\n"
            "Shameful scenes at the harbour gate tonight. — Ana Petrescu (@anapetrescu) March 3, 2025\n\n"
            "The crane crews joined them pic.twitter.com/Qx7ReLm2\n\n"
            "Our members will not be bullied by the port authority\n— Dockers Union (@veltradockers) March 3, 2025\n\n"
            "The port authority said talks would resume on Thursday — a first since January.")
    posts = [text[a:b] for a, b in embedded_posts(text)]
    assert posts == ["Shameful scenes at the harbour gate tonight. — Ana Petrescu (@anapetrescu) March 3, 2025",
                     "The crane crews joined them pic.twitter.com/Qx7ReLm2",
                     "Our members will not be bullied by the port authority\n— Dockers Union (@veltradockers) "
                     "March 3, 2025"]
    assert embedded_posts("A dash — and a handle (@nobody) in prose, then more words after it.") == ()
    m = material([article("a", text, "Harbour Ledger", "2025-03-03")])
    check = Boilerplate(m)
    starts = [text.index(p) for p in ("Dock workers", "Shameful", "The crane", "Our members", "The port authority")]
    assert [check("a", s, s + 10) for s in starts] == [False, True, True, True, False]
    doc = Doc("a", "Harbour Ledger", "2025-03-03", "2025-03-03", 1, "a", text)
    lines = [(k, line) for k, line in enumerate(text.split("\n\n"))]
    sents = [Sentence("a", k, text.index(line), text.index(line) + len(line), line) for k, line in lines]
    said = [f.sentence.text.split()[:2] for f in facts(Material(docs={"a": doc}, sentences={"a": sents}))]
    assert said == [["Dock", "workers"], ["The", "port"]]
