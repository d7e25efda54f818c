"""Cleaning: the debris filter, page and fragment extraction, publication dates, metadata."""

from __future__ import annotations

import pytest

from storyline.clean.dates import parse_date
from storyline.clean.debris import filter_text
from storyline.clean.html import extract_fragment, extract_page
from storyline.clean.metadata import detect_language, normalise_url

SCRAPED = """HomeWorld
icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon closeicon
Harbour talks stall again
Harbour talks stall again
Union leaders and the ministry failed to agree on Tuesday.
Union leaders and the ministry failed to agree on Tuesday.
Negotiators met for six hours in the capital, a union official said.
Path Forward
The minister said a new offer would come "within days", according to her office.
Share this article
We use cookies to improve your experience. By continuing to browse you accept them.
Exit mobile version
Source link
Podcasts
0:00
25:44
"""


def test_debris_lines_removed_and_content_and_subheads_kept():
    clean = filter_text(SCRAPED)
    kept = clean.text.split("\n\n")
    assert kept == [
        "Union leaders and the ministry failed to agree on Tuesday.",
        "Negotiators met for six hours in the capital, a union official said.",
        "Path Forward",
        'The minister said a new offer would come "within days", according to her office.',
    ]
    rules = {r.text: r.rule for r in clean.removed}
    assert rules["HomeWorld"] == "crumb"
    assert rules["0:00"] == rules["25:44"] == rules["Podcasts"] == "player"
    assert rules["Exit mobile version"] == rules["Source link"] == "boilerplate"
    assert [r.rule for r in clean.removed if r.text == "Harbour talks stall again"] == ["repeated", "title"]
    # the headline is the title, out of the text; the line printed twice under it is the standfirst
    assert clean.title == "Harbour talks stall again"
    kinds = [(b.kind, clean.text[b.start:b.end]) for b in clean.blocks if b.kind != "paragraph"]
    assert kinds == [("standfirst", "Union leaders and the ministry failed to agree on Tuesday."),
                     ("heading", "Path Forward")]


def test_glued_date_field_and_dateline_are_read_and_cut():
    clean = filter_text("date 2024-12-10 Russia has agreed to consider the proposal, officials said.\nMore text follows here.")
    assert clean.published == "2024-12-10" and clean.date_source == "text-field"
    assert clean.text.startswith("Russia has agreed")
    clean = filter_text("Ministers meet again\n24 Dec, 2024 15:04\nThe ministers met again on Tuesday, an aide said.")
    assert clean.published == "2024-12-24" and clean.date_source == "dateline"
    assert "15:04" not in clean.text


def test_real_sentences_that_mention_boilerplate_words_are_kept():
    text = ("Readers who subscribe to the paper's print edition will see the change next week, the editor said.\n"
            "The newsletter, founded in 1998 by two former miners, now reaches 40,000 homes across the region.\n"
            "12:30 was the time the vote finally opened, two hours late.")
    assert filter_text(text).removed == ()


def test_hard_wrapped_lines_are_joined():
    clean = filter_text("The committee will meet again in the\nspring to review the figures.\nA second paragraph.")
    assert clean.text.split("\n\n") == ["The committee will meet again in the spring to review the figures.",
                                         "A second paragraph."]


PAGE = """<!doctype html><html lang="en"><head><title>Port strike ends | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times">
<meta property="article:published_time" content="2024-10-20T08:00:00Z">
<meta name="author" content="Ana Pop">
<link rel="canonical" href="https://harbour.example/2024/10/port-strike-ends"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="cookie">We use cookies. Accept all cookies</div>
<article><h1>Port strike ends after nine days</h1>
<p>Dockworkers voted on Sunday to end a nine-day strike that had left grain ships waiting at anchor.</p>
<h2>What the deal says</h2>
<p>The agreement raises night-shift pay by twelve percent and adds two rest days a month, the union said.</p>
<p>Share this article</p>
<p>Ministry officials said the port would be back at full capacity by Wednesday.</p></article>
<footer>© 2024 Harbour Times. All rights reserved.</footer></body></html>"""


def test_page_text_metadata_and_subheads():
    page = extract_page(PAGE)
    assert "Dockworkers voted on Sunday" in page.text and "full capacity by Wednesday" in page.text
    assert "cookies" not in page.text and "Share this article" not in page.text and "Home" not in page.text
    headings = [page.text[b.start:b.end] for b in page.blocks if b.kind == "heading"]
    assert "What the deal says" in headings
    assert page.published == "2024-10-20" and page.sitename == "Harbour Times" and page.author == "Ana Pop"
    assert page.url == "https://harbour.example/2024/10/port-strike-ends" and page.language == "en"


def test_page_without_date_metadata_has_no_date():
    page = extract_page(PAGE.replace('<meta property="article:published_time" content="2024-10-20T08:00:00Z">', ""))
    assert page.published is None  # never guessed from the text or from today


def test_fragment_keeps_every_block_and_drops_scripts():
    frag = ('<p>First paragraph of the item, long enough to be real.</p><script>alert(1)</script>'
            '<h3>Subhead</h3><p>Second <b>bold</b> paragraph.<br>After a break.</p>')
    page = extract_fragment(frag)
    assert page.text.split("\n\n") == ["First paragraph of the item, long enough to be real.", "Subhead",
                                       "Second bold paragraph.", "After a break."]
    assert "alert" not in page.text


@pytest.mark.parametrize("value,expected", [
    ("2024-12-10T09:30:00Z", "2024-12-10"), ("Tue, 10 Dec 2024 09:30:00 GMT", "2024-12-10"),
    ("12/10/2024", "2024-12-10"), ("31/12/2024", "2024-12-31"), ("10.12.2024 12:30", "2024-12-10"),
    ("10 December 2024", "2024-12-10"), ("Dec. 9, 2024", "2024-12-09"), ("24 Dec, 2024 15:04", "2024-12-24"),
    ("Published: Monday, December 9, 2024", "2024-12-09"), ("1733823000", "2024-12-10"),
    ("N/A", None), ("", None), (None, None), ("2024", None), ("December 2024", None), ("2024-02-30", None),
    ("0001-01-01", None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_language_and_url_normalisation():
    assert detect_language("The minister said that the talks would resume in the spring, and he was hopeful.") == "en"
    assert detect_language("Министр заявил, что переговоры возобновятся весной.") == "ru"
    assert detect_language("Міністр заявив, що переговори відновляться навесні.") == "uk"
    assert detect_language("12 34 56") is None
    assert normalise_url("HTTPS://WWW.Example.org/a/b/?utm_source=x&id=3#top") == "https://example.org/a/b?id=3"
    assert normalise_url("javascript:alert(1)") is None


def test_hover_cards_are_cut_out_of_the_sentence_they_were_glued_into():
    # a site's name pop-ups, flattened by an extractor: the full name and teaser headlines glued after a name
    text = ("Sen. Ada Brennick Adaline (Ada) Rose BrennickBrennick sees path on farm bill Harbour vote slips again "
            "MORE (D-Ore.) said the vote would wait.\n\n"
            "Rep. Tom Vasko Thomas John VaskoMORE, a moderate, agreed. Senator Otto KleinOtto Werner KleinTeaser "
            "about tariffs MORE (R-Ind.) did not.\n\nShe said MORE money was needed. McDonald's stays.\n\n"
            "Speaker Lea Moss Leanne Moss“Not now” on the port levy MORE (R-Ohio) disagreed.\n\n"
            "Rep. Ana Pell Anabel Joy Pell Voters say no to the levy MORE (D-Va.) agreed.\n\n"
            "Rep. Ines Nunez Ines Maria NúñezPort levy vote slips MORE (D-Calif.) spoke last.")
    clean = filter_text(text, title="Farm bill vote waits")
    assert "Sen. Ada Brennick (D-Ore.) said the vote would wait." in clean.text
    assert "Rep. Tom Vasko, a moderate, agreed. Senator Otto Klein (R-Ind.) did not." in clean.text
    assert "She said MORE money was needed. McDonald's stays." in clean.text
    assert "Speaker Lea Moss (R-Ohio) disagreed." in clean.text   # a teaser opening with a quotation mark
    assert "Rep. Ana Pell (D-Va.) agreed." in clean.text   # not glued: the surname twice, then "MORE"
    assert "Rep. Ines Nunez (D-Calif.) spoke last." in clean.text   # the surname written with its accents
    cards = [r.text for r in clean.removed if r.rule == "hover-card"]
    assert len(cards) == 6 and cards[0].startswith("Adaline (Ada) Rose Brennick") and cards[0].endswith("MORE")
