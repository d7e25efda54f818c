"""Sentence boundaries (storyline.nlp.sentences): never across a block, never inside a quotation."""

from __future__ import annotations

from storyline.nlp.sentences import COMPONENT, inside_quotation, quotation_spans, spans_crossing
from storyline.pipeline import analyse_doc, process
from storyline.records import Article, RawDocument


TEXT = ("Next stop Europe\n\n"
        "The win earns the club a place in the qualifying rounds\n\n"
        'The coach said: "Talks are possible. But not now. We will see." Then he left.\n\n'
        "“We will fight. We will win,” she said. ‘It is over. Done,’ he replied. The voters’ hopes rose.\n\n"
        "“This quote goes on. Into the next paragraph.\n\n"
        "“And ends here,” he said.")


def test_quotation_spans_pair_marks_within_a_paragraph():
    spans = quotation_spans(TEXT)
    quoted = [TEXT[a:b + 1] for a, b in spans]
    assert '"Talks are possible. But not now. We will see."' in quoted
    assert "“We will fight. We will win,”" in quoted
    assert "‘It is over. Done,’" in quoted
    assert not any("voters’" in q for q in quoted)              # an apostrophe, not a quotation
    left_open = TEXT.index("“This quote")
    assert any(a == left_open and TEXT[b - 1:b] == "." for a, b in spans)   # runs to its paragraph's end


def test_sentences_keep_to_blocks_and_quotations(nlp):
    assert COMPONENT in nlp.pipe_names and nlp.pipe_names.index(COMPONENT) < nlp.pipe_names.index("parser")
    doc = nlp(TEXT)
    sents = [s.text.strip() for s in doc.sents]
    assert sents[:2] == ["Next stop Europe", "The win earns the club a place in the qualifying rounds"]
    assert 'The coach said: "Talks are possible. But not now. We will see."' in sents
    assert "“We will fight. We will win,” she said." in sents
    assert "‘It is over. Done,’ he replied." in sents
    spans = [(s.start_char, s.start_char + len(s.text.rstrip())) for s in doc.sents]
    blocks, pos = [], 0
    for part in TEXT.split("\n\n"):
        blocks.append((pos, pos + len(part)))
        pos += len(part) + 2
    assert spans_crossing(spans, blocks) == 0
    assert inside_quotation(spans, TEXT) == 0
    with nlp.select_pipes(disable=[COMPONENT]):   # spaCy alone runs the heading into the next block
        plain = [(s.start_char, s.start_char + len(s.text.rstrip())) for s in nlp(TEXT).sents]
    assert spans_crossing(plain, blocks) > 0 or inside_quotation(plain, TEXT) > 0


def test_analysis_sentences_end_at_their_last_character(nlp):
    art = process(RawDocument("x.txt", "Harbour talks stall\n\nThe union said no.\n\nThe ministry said yes.", "text"))
    assert isinstance(art, Article)
    analysis = analyse_doc(art, nlp(art.text), 100_000)
    assert [art.text[s.start:s.end] for s in analysis.sentences] == ["The union said no.", "The ministry said yes."]


def test_a_dateline_is_its_own_sentence_so_the_lead_parses_with_its_subject(nlp):
    from storyline.clean.lead import dateline_only
    from storyline.nlp.sentences import dateline_leads

    text = ("CONSTANTA, Romania, Oct 14 (Harbour Wire) - Around 3,000 dockworkers walked off the job at the "
            "port on Monday, union officials said.\n\nWASHINGTON (AP) — The Senate passed the bill on Friday.")
    doc = nlp(text)
    sents = [s.text.strip() for s in doc.sents]
    assert sents[0] == "CONSTANTA, Romania, Oct 14 (Harbour Wire) -"
    assert sents[1].startswith("Around 3,000 dockworkers walked")
    assert "WASHINGTON (AP) —" in sents and any(s.startswith("The Senate passed") for s in sents)
    lead = next(s for s in doc.sents if s.text.startswith("Around"))
    assert any(t.dep_ == "nsubj" and t.text == "dockworkers" for t in lead)   # not the place
    assert dateline_only(sents[0]) and dateline_only("WASHINGTON (AP) —")
    assert not dateline_only(sents[1]) and not dateline_only("US - China")
    # only at a paragraph's start: a dash inside a sentence is not a dateline
    assert dateline_leads("He said the NATO - Russia council would meet.") == set()


WIRE = ('The mayor praised the chief, calling him "steadfast.\'\' He said the force must change: "We have work '
        'ahead, and we will not do it by burning our own streets."\n\n``It was a calm night,\'\' the chief said.')


def test_wire_style_marks_pair_and_a_closing_mark_stays_with_its_sentence(nlp):
    quoted = [WIRE[a:b + 1] for a, b in quotation_spans(WIRE)]
    assert quoted[:2] == ['"steadfast.\'\'', '"We have work ahead, and we will not do it by burning our own streets."']
    assert quoted[2] == "``It was a calm night,''"
    sents = [s.text.strip() for s in nlp(WIRE).sents]
    assert sents[0] == 'The mayor praised the chief, calling him "steadfast.\'\''
    assert sents[1].startswith("He said") and sents[1].endswith('streets."')   # the closing mark not a sentence
    assert sents[2] == "``It was a calm night,'' the chief said."


def test_a_time_zone_after_a_clock_time_stays_with_its_sentence(nlp):
    text = "11:55 p.m. ET: Harbour police have made 10 arrests since the curfew.\n\nThe ferry left at 10 p.m. Then it sank."
    sents = [s.text.strip() for s in nlp(text).sents]
    assert sents == ["11:55 p.m. ET: Harbour police have made 10 arrests since the curfew.", "The ferry left at 10 p.m.",
                     "Then it sank."]
