"""Boilerplate of pre-extracted text: removed by pattern, and learned from what one outlet repeats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import storyline
from storyline import Settings, Store
from storyline.clean.boilerplate import drop_learned, fingerprint, is_learned, pattern_rule
from storyline.clean.debris import filter_text
from storyline.records import Block, LearnedLines


@pytest.mark.parametrize("line", [
    "Story Continued Below",
    "Story highlights",
    "Advertisement Continue reading the main story",
    "More: Harbour strike enters its third week as talks stall",
    "RELATED: Union leader says talks with the ministry are dead",
    "Click here for reprint permission.",
    "SHARE THIS ARTICLE Share Tweet Post Email",
    "Print this article",
    "Sign up for Daily Newsletters Manage Newsletters",
    "Get the Daily Port stories you care about delivered to your inbox. By signing up, you agree to our terms",
    "**Want the Morning Wire in your inbox every day? Sign up here.**",
    "Dockers walk out at Constanta on Monday. Photographer: Jane Doe/Bloomberg",
    "The minister arrives in Bucharest, Friday, Oct. 11, 2024. (AP Photo/Jane Doe)",
    "Enlarge this image toggle caption Jane Doe/Getty Images Jane Doe/Getty Images",
    "Image copyright Reuters Image caption Dockers on strike at the port",
    "The Associated Press contributed to this report.",
    "Contributing: Jane Doe and John Roe",
    "The opinions expressed by columnists are their own and do not represent the views of Port News.",
    "Slideshow (12 Images)",
    "ANALYSIS/OPINION:",
    "___",
    "This post was updated at 5:10 p.m. ET.",
    "This story has been updated with the harbour master's comment.",
    "This is a developing story. Check back for updates.",
    "Updated at 11:47 p.m. ET",
    "Last updated: Jan. 4, 2019 at 3:12 p.m.",
])
def test_boilerplate_patterns(line):
    assert pattern_rule(line) == "boilerplate"


def test_all_capitals_teaser_and_tagline_at_the_end():
    assert pattern_rule("UNION LEADER SAYS TALKS WITH THE MINISTRY ARE DEAD, VOWS LONGER STRIKE") == "teaser"
    tagline = "Jane Doe is a senior fellow at the Harbour Institute. Follow her on Twitter @janedoe."
    assert pattern_rule(tagline, at_end=True) == "tagline"
    assert pattern_rule(tagline) is None            # only among the last lines


@pytest.mark.parametrize("line", [
    "The union's leader, who has a bargaining chip in the grain stockpile, said talks were dead.",
    "Compiled by a former port inspector, the report was financed in part by the union.",
    "Like the majority of its members, the union wants a pay rise before the winter.",
    "Ukraine's bid to become a member of the bloc was discussed on Monday.",
    "WHAT HAPPENS NEXT AT THE PORT?",                       # an all-capitals subhead, a question
    "That is the charge to which the former port director pleaded guilty on Monday.",
    "Readers who sign up for the ferry lottery will be told of the result on Friday, the operator said.",
    "Updated figures from the ministry show 12 dockers were hurt.",
    "Harbour master Ion Popa was fired on Monday and will be replaced by the former port director.",  # a passive
    "A developing story in Veltra drew crowds on Monday as the ferry sank.",
])
def test_content_that_mentions_boilerplate_words_is_kept(line):
    assert pattern_rule(line, at_end=True) is None


@pytest.mark.parametrize("line", [
    # captions ending in, or led by, their credit; a chart's sources; a gallery flattened into one line
    "Dockers gather at the gate in Constanta, Monday, Oct. 14, 2024. (Jane Doe/The Port Herald via AP)",
    "The cranes stand idle at the terminal. (Photo: Jane Doe/AFP/Getty Images)",
    "Sample tubes that do not fit the racks. (Provided by the Harbour Health Department)",
    "The port's new terminal. jdoe1 via Flickr",
    "Jane Doe/AP Union leader John Roe arrives for talks at the ministry in Bucharest on Monday.",
    "Idle Cranes Cargo handled at the port has fallen for six months Sources: Port Authority and Example Index",
    "Photos: The strike Photos: The strike Dockers march Hide Caption 1 of 4 Photos: The strike Hide Caption 2 of 4",
    "Harbour strike: Full Coverage Highlights from the Port Herald on the dockers' walkout",
    # notes, call-outs, players and contact lines
    "EDITOR’S NOTE: The Port Herald believes keeping readers informed during the strike is a public service.",
    "***** Don't forget: if you send in a question, please include your city. *****",
    "Help Us Report on the Strike Are you a docker or a shipping agent? Help make sure our reporting is right.",
    "Harbour Why Some Dockers Back The Strike Why Some Dockers Back The Strike Listen · 3:30 3:30",
    "Port updates. I post updates during the week on Twitter. You can follow me at @janedoe. Meanwhile, read on.",
    "Got a question? Ask Jane Doe: harbour@example.org",
])
def test_caption_and_gallery_patterns(line):
    assert pattern_rule(line) == "boilerplate"


@pytest.mark.parametrize("line", [
    "Strike talks:Dockers vote to extend their strike into a fourth week",   # a link glued to its label
    "Union leader:Talks with the ministry are dead",
    "Opinion: Five reasons the harbour strike will end before winter",
    "Port strike: Dockers reject the ministry's latest offer of a pay rise",
])
def test_linked_headlines_in_the_body(line):
    assert pattern_rule(line) == "linked-headline"


@pytest.mark.parametrize("line", [
    "JOHN ROE: But didn't the ministry promise a pay rise last spring",       # a transcript's speaker
    "Oct. 14: Dockers walk out at Constanta after talks with the ministry fail",   # a timeline entry
    "The union's demand was simple: Dockers want a pay rise before the winter.",   # a sentence
    "Union leader John Roe said on Monday: The strike goes on until the ministry pays",
    "The union wrote to the ministry at strike@example.org on Monday, asking for talks before the harvest.",
    "The docker said he would listen to the offer, but the union would decide by Friday.",
])
def test_labelled_lines_that_are_content_are_kept(line):
    assert pattern_rule(line) is None


def test_a_short_biography_at_the_end_and_related_headlines_that_ask():
    bio = "Jane Doe is an attorney who advises the dockers' union."
    assert pattern_rule(bio, at_end=True) == "tagline" and pattern_rule(bio) is None
    assert pattern_rule("Mr. Roe is a lawyer who once ran the port authority.", at_end=True) is None
    text = ("Dockers in Constanta voted on Monday to extend their strike by a week.\n\nREAD MORE:\n\n"
            "Who Pays for the Harbour Strike?\n\nThe Ministry's Offer, Explained\n\n"
            "The union said talks would resume on Friday.")
    kept = filter_text(text).text
    assert "Who Pays" not in kept and "Explained" not in kept and "resume on Friday" in kept


def test_a_text_sectioned_by_capitalised_headings_keeps_them():
    heads = [f"SECTION NUMBER {w} OF THE HARBOUR REPORT TODAY" for w in ("ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX")]
    text = "\n".join(f"{h}\nThe port reopened on day {i} after a long strike, officials said."
                     for i, h in enumerate(heads))
    clean = filter_text(text)
    assert all(h in clean.text for h in heads[1:])


def test_drop_learned_removes_whole_blocks_and_the_cheap_check_sees_them():
    text = "Lead paragraph of the story.\n\nSign up for the Morning Wire, 2024 edition\n\nLast paragraph."
    blocks = (Block("paragraph", 0, 28), Block("paragraph", 30, 72), Block("paragraph", 74, 89))
    learned = frozenset({fingerprint("Sign up for the Morning Wire, 1999 edition")})   # digits do not matter
    new, new_blocks, removed = drop_learned(text, blocks, learned)
    assert new == "Lead paragraph of the story.\n\nLast paragraph."
    assert [new[b.start:b.end] for b in new_blocks] == ["Lead paragraph of the story.", "Last paragraph."]
    assert [r.rule for r in removed] == ["learned"]
    lines = LearnedLines({"Port News": learned})
    assert is_learned("Sign up for the Morning Wire, 2025 edition", lines, "Port News")
    assert not is_learned("Sign up for the Morning Wire, 2025 edition", lines, "Other Daily")


def _records(n: int, start: int = 0, extra: str = "") -> list[dict]:
    out = []
    for i in range(start, start + n):
        out.append({
            "url": f"https://port.example/story-{i}", "outlet": "Port News", "title": f"Story {i}",
            "date": f"2024-03-{i % 28 + 1:02d}",
            "text": (f"Story number {i} opens with a lead about the harbour and ship {i * 7} in the roads.\n"
                     f"A second paragraph about berth {i} gives the detail of cargo number {i * 13} today.\n"
                     "Get the Port Pulse podcast every Thursday, wherever you listen"
                     + (f"\n{extra}" if extra else "")),
        })
    return out


def _ingest(tmp_path: Path, name: str, records: list[dict], db: Path, **settings) -> storyline.IngestReport:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return storyline.ingest([str(path)], db, settings=Settings(stories=False, workers=1, **settings))


def test_a_line_repeated_across_an_outlets_articles_is_learned_and_removed_everywhere(tmp_path):
    db = tmp_path / "s.db"
    pitch = "Get the Port Pulse podcast every Thursday, wherever you listen"
    report = _ingest(tmp_path, "a.jsonl", _records(6), db, analyse=False, batch_size=2)
    assert report.recleaned >= 4        # stored before the line was learned: cleaned again
    with Store(db) as store:
        texts = [a.article.text for a in store.articles()]
        assert len(texts) == 6 and not any(pitch in t for t in texts)
        assert all("Story number" in t for t in texts)
        first = store.articles()[0].article
        assert [v["content_hash"] for v in store.versions(first.id)]   # the old text kept as a version
        assert store.learned_stats() == [{"outlet": "Port News", "articles_counted": 6, "lines_learned": 1}]
        learned = store.learned_lines(names=["Port News"])
        assert is_learned(pitch, learned, "Port News")
    # a later article of the outlet is cleaned at ingest, its id as if the line had never been learned
    report = _ingest(tmp_path, "b.jsonl", _records(1, start=40), db, analyse=False)
    with Store(db) as store:
        later = store.article(next(a.article.id for a in store.articles() if a.article.title == "Story 40"))
        assert pitch not in later.article.text and not store.versions(later.article.id)
        assert report.recleaned == 0


def test_copies_of_one_article_do_not_teach_their_lines(tmp_path):
    db = tmp_path / "s.db"
    body = ("The port authority confirmed on Monday that the strike had ended after twenty-six days of talks "
            "between the dockers' union and the ministry of transport in Bucharest, officials said.")
    copies = [{"url": f"https://port.example/copy-{i}", "outlet": "Port News", "title": "Copy",
               "text": f"{body}\nA short line every copy carries along"} for i in range(8)]
    _ingest(tmp_path, "c.jsonl", copies, db, analyse=False)
    with Store(db) as store:
        assert store.learned_stats()[0]["lines_learned"] == 0
        assert all("every copy carries" in a.article.text for a in store.articles())


@pytest.mark.slow
def test_recleaned_articles_are_analysed_again(tmp_path):
    db = tmp_path / "s.db"
    _ingest(tmp_path, "a.jsonl", _records(5), db, batch_size=5)
    with Store(db) as store:
        for a in store.articles():
            text = a.article.text
            sentences = store.sentences(a.article.id)
            assert sentences and all(0 <= s < e <= len(text) for s, e in sentences)
            assert not any("podcast" in text[s:e] for s, e in sentences)


def test_sentences_in_a_learned_paragraph_are_found_for_the_brief_to_leave_out():
    from storyline.clean.boilerplate import learned_sentences

    text = "The port reopened. Ships queued.\n\nListen to the Port Pulse podcast. New every week.\n\nThe end."
    sentences = [(0, 18), (19, 32), (34, 67), (68, 82), (84, 92)]
    lines = frozenset({fingerprint("Listen to the Port Pulse podcast. New every week.")})
    assert learned_sentences(text, sentences, lines) == {2, 3}
    assert learned_sentences(text, sentences, frozenset()) == set()


def test_a_labelled_headline_at_the_top_is_the_title_even_printed_twice():
    head = "Port strike: Dockers reject the ministry's latest offer of a pay rise"
    body = ("Dockers in Constanta voted on Monday to reject the ministry's offer.\n\n"
            "Opinion: Five reasons the harbour strike will end before winter\n\n"
            "The union said talks would resume on Friday.")
    for text in (f"{head}\n\n{body}", f"{head}\n\n{head}\n\n{body}"):
        clean = filter_text(text)
        assert clean.title == head and "Five reasons" not in clean.text and head not in clean.text


def test_a_one_line_article_is_never_its_own_tagline():
    text = "Ana Petrescu was named on Friday as the host of the harbour festival, a departure for its director."
    cleaned = filter_text(text)
    assert cleaned.text == text and not cleaned.removed
