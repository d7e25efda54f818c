"""Quotes and speakers (storyline.extract.quotes) on small hand-written articles, parsed with the real model."""

from __future__ import annotations

import pytest

from storyline.extract.quote_marks import load_speech_verbs, scan_quotes
from storyline.extract.quotes import find_quotes
from storyline.records import Quote


def run(nlp, text: str) -> list[Quote]:
    """find_quotes on ``text``, checking every offset on the way."""
    doc = nlp(text)
    quotes = find_quotes(doc)
    for q in quotes:
        assert doc.text[q.start:q.end] == q.text
        assert q.text and q.text == q.text.strip()
        if q.speaker_start is not None:
            assert 0 <= q.speaker_start < q.speaker_end <= len(text)
        if q.cue_start is not None:
            assert doc.text[q.cue_start:q.cue_end] == q.cue
        assert 0 <= q.sentence < len(list(doc.sents))
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    return quotes


def one(quotes: list[Quote], fragment: str, kind: str | None = None) -> Quote:
    """The quote containing ``fragment`` (of ``kind``; by default a quoted one before an indirect one)."""
    hits = [q for q in quotes if fragment in q.text and kind in (None, q.kind)]
    hits.sort(key=lambda q: q.kind == "indirect")
    assert hits, f"no quote contains {fragment!r}: {[q.text for q in quotes]}"
    return hits[0]


def speaker_mention(text: str, q: Quote) -> str | None:
    return None if q.speaker_start is None else text[q.speaker_start:q.speaker_end]


ARTICLE = (
    "Ministry spokesperson Irina Volkova said on Monday that the government was ready to resume talks.\n\n"
    "“We have always been open to dialogue,” Volkova told reporters. “The other side walked away.”\n\n"
    "The spokeswoman added that Moscow “remains open to talks” with its neighbours.\n\n"
    "“Nobody should doubt our resolve,” she said.\n\n"
    "“Our [military] operation will continue until its goals are met.”\n\n"
    "Critics called the offer “interesting” and described the “special military operation” as a euphemism."
)


def test_full_sentence_quote_with_the_cue_after_and_a_surname(nlp):
    quotes = run(nlp, ARTICLE)
    q = one(quotes, "always been open")
    assert q.kind == "direct"
    assert q.text == "We have always been open to dialogue,"
    assert speaker_mention(ARTICLE, q) == "Volkova"
    assert q.speaker_text == "Irina Volkova"
    assert q.cue == "told"


def test_a_second_sentence_right_after_takes_the_same_speaker(nlp):
    quotes = run(nlp, ARTICLE)
    q = one(quotes, "walked away")
    assert q.kind == "direct"
    assert q.speaker_text == "Irina Volkova"
    assert speaker_mention(ARTICLE, q) == "Volkova"


def test_partial_quote_inside_a_sentence_and_its_title_speaker(nlp):
    quotes = run(nlp, ARTICLE)
    q = one(quotes, "remains open")
    assert q.kind == "partial"
    assert q.text == "remains open to talks"
    assert speaker_mention(ARTICLE, q) == "The spokeswoman"
    assert q.speaker_text == "Irina Volkova"
    # the same sentence is also reported as indirect speech, with the quoted words in it
    indirect = [x for x in quotes if x.kind == "indirect" and "remains open" in x.text]
    assert indirect and indirect[0].speaker_text == "Irina Volkova"


def test_pronoun_speaker_resolves_to_the_last_person_speaking(nlp):
    q = one(run(nlp, ARTICLE), "doubt our resolve")
    assert speaker_mention(ARTICLE, q) == "she"
    assert q.speaker_text == "Irina Volkova"


def test_a_paragraph_that_is_only_a_quote_continues_the_previous_speaker(nlp):
    q = one(run(nlp, ARTICLE), "[military] operation")
    assert q.kind == "direct"
    assert q.cue is None
    assert q.speaker_text == "Irina Volkova"
    assert q.text == "Our [military] operation will continue until its goals are met."


def test_scare_quotes_and_terms_are_not_speech(nlp):
    quotes = run(nlp, ARTICLE)
    scare = one(quotes, "interesting")
    term = one(quotes, "special military operation")
    assert (scare.kind, term.kind) == ("scare", "term")
    assert scare.speaker_text is None and term.speaker_text is None
    assert scare.speaker_start is None and term.cue is None


def test_a_name_between_quotation_marks_with_its_full_stop_inside_is_a_term(nlp):
    text = ("The mayor said the protesters could stay in the square for now. They named it the \u201cOld "
            "Harbour Square Freedom Zone.\u201d\n\n\u201cThe protest can go on for as long as it stays "
            "peaceful,\u201d the mayor said.")
    quotes = run(nlp, text)
    zone = one(quotes, "Old Harbour Square Freedom Zone")
    assert zone.kind == "term" and zone.speaker_text is None
    assert one(quotes, "as long as it stays peaceful").kind == "direct"


def test_indirect_speech_with_that_and_its_speaker(nlp):
    quotes = run(nlp, ARTICLE)
    q = one(quotes, "ready to resume talks")
    assert q.kind == "indirect"
    assert q.text == "the government was ready to resume talks"
    assert q.speaker_text == "Irina Volkova"
    assert q.cue == "said"


def test_split_quote_around_the_cue_has_one_speaker(nlp):
    text = "“The West,” Foreign Minister Pavel Orlov said, “has chosen escalation over diplomacy.”"
    quotes = [q for q in run(nlp, text) if q.kind != "indirect"]
    assert [q.text for q in quotes] == ["The West,", "has chosen escalation over diplomacy."]
    assert {q.kind for q in quotes} == {"direct"}
    assert {q.speaker_text for q in quotes} == {"Pavel Orlov"}
    assert len({(q.speaker_start, q.speaker_end) for q in quotes}) == 1


def test_multi_paragraph_quote_is_one_quote(nlp):
    text = ("Senator Maria Lund spoke for an hour. She said: “We will not sign this treaty. It gives away too much.\n\n"
            "“And it asks nothing of the other side,” she added.\n\n"
            "The vote is on Friday.")
    quotes = [q for q in run(nlp, text) if q.kind == "direct"]
    assert len(quotes) == 1
    q = quotes[0]
    assert q.text.startswith("We will not sign") and q.text.endswith("the other side,")
    assert "\n\n" in q.text
    assert q.speaker_text == "Maria Lund"
    assert "Friday" not in q.text


def test_according_to_before_a_quote(nlp):
    text = ("Kremlin spokesman Dmitri Sorokin spoke on Tuesday.\n\n"
            "According to Sorokin, “the door is open, but it will not stay open forever.”")
    q = one(run(nlp, text), "door is open")
    assert q.kind == "direct"
    assert speaker_mention(text, q) == "Sorokin"
    assert q.speaker_text == "Dmitri Sorokin"
    assert q.text == "the door is open, but it will not stay open forever."


def test_according_to_indirect(nlp):
    text = "According to the ministry, the convoy crossed the border at dawn."
    q = one(run(nlp, text), "convoy crossed")
    assert q.kind == "indirect"
    assert q.text == "the convoy crossed the border at dawn"
    assert speaker_mention(text, q) == "the ministry"


def test_indirect_after_the_clause_and_with_object_verbs(nlp):
    text = ("The harbour will stay closed until spring, the mayor said.\n\n"
            "Mayor Tomas Berg accused the shipping company of ignoring safety rules.\n\n"
            "The union warned that strikes could follow.\n\n"
            "The ferry, a port official said, would run again on Friday.\n\n"
            "The harbour master told reporters on Monday the cranes were unsafe.")
    quotes = run(nlp, text)
    closed = one(quotes, "harbour will stay closed")
    assert closed.kind == "indirect" and closed.text == "The harbour will stay closed until spring"
    assert speaker_mention(text, closed) == "the mayor"
    accused = one(quotes, "shipping company")
    assert accused.kind == "indirect" and accused.cue == "accused"
    assert accused.text == "the shipping company of ignoring safety rules"
    assert accused.speaker_text == "Tomas Berg"
    warned = one(quotes, "strikes could follow")
    assert warned.speaker_text == "union" and warned.text == "strikes could follow"
    ferry = one(quotes, "run again on Friday")          # a parenthetical cue inside the statement
    assert ferry.kind == "indirect" and speaker_mention(text, ferry) == "a port official"
    cranes = one(quotes, "cranes were unsafe")
    assert cranes.text == "the cranes were unsafe" and cranes.cue == "told"
    assert speaker_mention(text, cranes) == "The harbour master"


def test_a_subject_naming_no_one_said_nothing(nlp):
    text = "No group claimed responsibility for the blockade of the grain quay, the second in a month."
    assert not [q for q in run(nlp, text) if "responsibility" in q.text]


def test_the_subject_of_a_passive_cue_is_no_speaker(nlp):
    text = ("The shooting came after police were called to the ferry terminal over reports that a driver had fallen "
            "asleep at the gate.\n\nThe harbour master was accused of ignoring the safety rules.\n\n"
            "The mayor was told that the cranes were unsafe.")
    quotes = run(nlp, text)
    called = one(quotes, "fallen asleep")
    assert called.speaker_text is None and called.speaker_start is None
    assert one(quotes, "ignoring the safety rules").speaker_text is None
    told = one(quotes, "cranes were unsafe")   # a reported clause is still reported, by whoever told
    assert told.kind == "indirect"


def test_the_spokesman_resolves_to_the_person_introduced_with_that_title(nlp):
    text = ("Government spokesman Luca Ferri met the press in Rome.\n\n"
            "Finance Minister Elena Conti said the budget was balanced.\n\n"
            "“There will be no new taxes,” the spokesman said.")
    q = one(run(nlp, text), "no new taxes")
    assert speaker_mention(text, q) == "the spokesman"
    assert q.speaker_text == "Luca Ferri"


def test_institutions_and_capitals_speak(nlp):
    text = ("The Kremlin said the talks had failed.\n\n"
            "Moscow has suggested that the only way forward is for Kyiv to revoke the decree.")
    quotes = run(nlp, text)
    assert one(quotes, "talks had failed").speaker_text == "Kremlin"
    q = one(quotes, "only way forward")
    assert q.kind == "indirect" and q.speaker_text == "Moscow"


def test_nested_single_quotes_stay_inside_the_double_quote(nlp):
    text = "“They keep talking about a ‘new framework’ that nobody has seen,” the envoy said."
    quotes = [q for q in run(nlp, text) if q.kind != "indirect"]
    assert len(quotes) == 1
    assert quotes[0].text == "They keep talking about a ‘new framework’ that nobody has seen,"
    assert quotes[0].kind == "direct"


def test_straight_double_and_primary_single_quotes(nlp):
    text = ('"We are ready," said Colonel Anders Holm.\n\n'
            "‘The bridge will reopen next week,’ the engineer told local radio.")
    quotes = run(nlp, text)
    straight = one(quotes, "We are ready")
    assert straight.kind == "direct" and straight.text == "We are ready," and straight.speaker_text == "Anders Holm"
    single = one(quotes, "bridge will reopen")
    assert single.kind == "direct" and single.text == "The bridge will reopen next week,"
    assert speaker_mention(text, single) == "the engineer"


def test_apostrophes_are_not_quote_marks(nlp):
    text = "The voters’ patience is thin, and it’s the government’s problem, the mayor’s aide said."
    assert [q.kind for q in run(nlp, text) if q.kind != "indirect"] == []


def test_unbalanced_quote_stops_at_its_paragraph(nlp):
    text = ('The minister said "this will end badly.\n\n'
            "Markets fell sharply on the news. Analysts expect more volatility.\n\n"
            "Traders said the mood was grim.")
    quotes = run(nlp, text)
    q = one(quotes, "end badly")
    assert q.text == "this will end badly."
    assert all("Markets" not in x.text for x in quotes if x.kind != "indirect")
    assert one(quotes, "mood was grim").kind == "indirect"


@pytest.mark.timeout(60)
def test_thousands_of_quote_marks_do_not_hang_or_crash(nlp):
    paragraph = " ".join('"a"' if i % 3 else "“" for i in range(400))
    text = "\n\n".join([paragraph] * 5) + '\n\nShe said "unfinished'
    assert text.count('"') + text.count("“") > 3000
    quotes = run(nlp, text)
    assert quotes
    assert all("\n" not in q.text for q in quotes)      # no paragraph here continues a quote
    assert one(quotes, "unfinished").text == "unfinished"
    assert scan_quotes("“" * 5000 + "\n" + '"' * 5001) is not None


def test_dash_attribution_and_transcript_labels(nlp):
    text = ("“The schools need more teachers.” ― Laura Kim, 41, Denver\n\n"
            "Senator Paul Grant joined the program.\n\n"
            '"HOST: What will you do next?\n\n'
            '"GRANT: We will hold hearings in June."')
    quotes = run(nlp, text)
    assert one(quotes, "schools need").speaker_text == "Laura Kim"
    q = one(quotes, "hold hearings")
    assert q.text == "We will hold hearings in June."
    assert q.speaker_text == "Paul Grant"


def test_quoted_title_is_a_term(nlp):
    text = "Her memoir, “The Long Road Home”, sold well."
    q = one(run(nlp, text), "Long Road")
    assert q.kind == "term" and q.speaker_text is None


def test_speech_verb_list_is_read_from_the_file(tmp_path):
    path = tmp_path / "verbs.txt"
    path.write_text("# comment\nsay\naccuse +obj\ncontinue =quote\n", encoding="utf-8")
    verbs, obj, quote_only = load_speech_verbs(str(path))
    assert verbs == {"say", "accuse", "continue"}
    assert obj == {"accuse"} and quote_only == {"continue"}
    shipped = load_speech_verbs()[0]
    assert {"say", "tell", "warn", "accuse", "claim", "emphasise", "state"} <= shipped


def test_text_without_a_parse_still_finds_quotes(nlp):
    import spacy

    doc = spacy.blank("en")("“We are ready,” he said. Then “nothing” happened.")
    quotes = find_quotes(doc)
    assert [q.text for q in quotes] == ["We are ready,", "nothing"]
    assert all(q.speaker_text is None for q in quotes)


def test_empty_text(nlp):
    assert find_quotes(nlp("")) == []


def test_she_never_resolves_to_a_man_named_before_her(nlp):
    text = ("Mayor Elena Rusu spoke outside the harbour office on Monday. Port director James Holt stood beside "
            "her as the crowd grew. \"We will not let a few vandals wreck this town,\" she told reporters.")
    q = one(run(nlp, text), "wreck this town")
    assert q.speaker_text == "Elena Rusu"


def test_a_surname_after_mrs_is_the_woman_of_that_name_not_the_man_named_last(nlp):
    text = ("Ion Rusu spoke in Veltra on Monday. Elena Rusu spoke in Harbourton. Later Ion Rusu joined a rally. "
            "Mrs. Rusu has embraced the ferry plan. She is proposing new night crossings, she said.")
    q = one(run(nlp, text), "proposing new night crossings")
    assert q.speaker_text == "Elena Rusu"


def test_she_after_a_surname_the_tagger_called_an_organisation_is_that_woman(nlp):
    text = ("Mayor Stephanie Rawlings-Blake asked for calm on Monday. Attorney General Loretta Lynch said she would "
            "send aides.\n\nEarlier, Rawlings-Blake toured the destruction.\n\n"
            "\"We will not let these cowardly acts ruin our city,\" she tweeted.")
    doc = nlp(text)
    assert [e.label_ for e in doc.ents if e.text == "Rawlings-Blake"] == ["ORG"]   # the case this covers
    q = one(run(nlp, text), "ruin our city")
    assert q.speaker_text == "Stephanie Rawlings-Blake"


def test_the_speaker_mention_is_the_person_the_phrase_names_or_its_head(nlp):
    from storyline.extract.quotes import speaker_mentions
    from storyline.nlp.entities import find_mentions
    from storyline.records import Sentence

    text = ("“The port stays open,” Danube Liberal Sen. Ion Radu said on Monday. “Talks resume on Friday,” "
            "the Kremlin said. Radu spoke after the vote.\n\n“We will not give up,” the Romanian president said.")
    doc = nlp(text)
    mentions = find_mentions(doc, tuple(Sentence(i, s.start_char, s.end_char) for i, s in enumerate(doc.sents)))
    quotes = speaker_mentions(run(nlp, text), mentions)
    at = {m.start: m for m in mentions}
    radu = one(quotes, "stays open")
    assert at[radu.speaker_mention].label == "PERSON" and at[radu.speaker_mention].text == "Ion Radu"
    kremlin = one(quotes, "Talks resume")
    assert at[kremlin.speaker_mention].text == "Kremlin"
    # a nationality or place modifying a title is not the speaker
    president = one(quotes, "give up")
    assert president.speaker_mention is None or at[president.speaker_mention].label == "PERSON"


def test_a_day_inside_quoted_words_is_not_when_a_quote_nested_in_them_was_said():
    from storyline.extract.said_on import date_quotes
    from storyline.records import Sentence, TimeExpr

    text = "“They compare this to September 11th and then scream, ‘it is not presidential!’” the mayor wrote on Monday."
    outer = Quote(1, text.index("!’") + 2, text[1:text.index("!’") + 2], "direct", "Ion Radu", cue="wrote",
                  cue_start=text.index("wrote"), cue_end=text.index("wrote") + 5, sentence=0)
    inner_at = text.index("it is")
    inner = Quote(inner_at, text.index("!’") + 1, text[inner_at:text.index("!’") + 1], "direct", "Ion Radu",
                  sentence=0)
    days = [TimeExpr(text.index("September"), text.index("September") + 14, "September 11th", "DATE", "2025-09-11",
                     "day", "explicit", 0),
            TimeExpr(text.index("Monday"), text.index("Monday") + 6, "Monday", "DATE", "2025-10-27", "day", "weekday", 0)]
    dated = date_quotes([outer, inner], days, "2025-10-28", [Sentence(0, 0, len(text))])
    assert [q.said_on for q in dated] == ["2025-10-27", "2025-10-27"]   # not the September day it quotes


def test_a_bare_title_speaker_is_the_holder_named_without_a_country(nlp):
    text = ("President Ion Radu met Hungarian President Laszlo Varga on Monday.\n\n"
            "“The crossing stays open,” the president said.")
    assert one(run(nlp, text), "stays open").speaker_text == "Ion Radu"
    text = "Hungarian President Laszlo Varga met the mayor on Monday.\n\n“The crossing stays open,” the president said."
    assert one(run(nlp, text), "stays open").speaker_text == "Laszlo Varga"


def test_he_after_a_name_joined_to_a_title_in_the_subject_is_that_person(nlp):
    text = ("Victor Pop opened the harbour meeting on Monday.\n\n"
            "Former mayoral candidate and Harbour Gov. Ion Radu said the ferry must stay open.\n\n"
            "\"It is plain wrong to close it,\" he told the radio.")
    assert one(run(nlp, text), "plain wrong").speaker_text == "Ion Radu"


def test_a_statement_attributed_to_someone_is_theirs(nlp):
    text = ("\"We will not be driven into a corner,\" said the translated statement attributed to Ion Radu, the "
            "deputy foreign minister.")
    assert one(run(nlp, text), "driven into a corner").speaker_text == "Ion Radu"


@pytest.mark.parametrize("text,title", [
    ("\"It was a very difficult night,\" the mayor said on CNN's \"State of the Union.\"", "State of the Union."),
    ("Senator Ana Mirea told NBC\u2019s \u201cMeet the Press\u201d that the ferry would run.", "Meet the Press"),
    ("Mayor Ion Dobre said on CBS\u2019 \u201cFace the Nation\u201d that the levy stays.", "Face the Nation"),
])
def test_a_programme_named_after_its_networks_possessive_is_a_name_not_speech(nlp, text: str, title: str):
    q = one(run(nlp, text), title)
    assert q.kind == "term" and q.speaker_text is None
