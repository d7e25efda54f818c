"""The statement ledger: variants side by side as word diffs, grouped by speaker in time order, indirect
reports linked to the statement they report, every report cited to its sentence."""

from __future__ import annotations

from material_support import article, material, quote

from storyline.analysis.ledger import build, word_diff


def test_word_diff_marks_changed_words_and_rebuilds_both_wordings():
    main = "Our position is well known and has been stated many times"
    other = "Our position is well known and it has been repeated many times"
    diff = word_diff(main, other)
    assert {"op": "delete", "text": "stated"} in diff and {"op": "insert", "text": "repeated"} in diff
    assert {"op": "insert", "text": "it"} in diff
    assert " ".join(d["text"] for d in diff if d["op"] != "insert") == main
    assert " ".join(d["text"] for d in diff if d["op"] != "delete") == other
    assert word_diff(main, main) == [{"op": "equal", "text": main}]


def test_a_negation_dropped_by_one_outlet_shows_as_a_deletion():
    diff = word_diff("This is not the start of negotiations.", "This is the start of negotiations.")
    assert [d for d in diff if d["op"] != "equal"] == [{"op": "delete", "text": "not"}]


def _corpus():
    a = article("a", 'The Kremlin spoke on Monday. "Our position is well known and has been stated many times," '
                     'Vorontsov said.', "Meridian Wire", "2024-12-09")
    b = article("b", 'Moscow repeated its line. "Our position is well known and has been stated many times," '
                     'the spokesman said.', "Danube Herald", "2024-12-09")
    c = article("c", 'A third report. "Our position is well known and has been repeated many times," he said. '
                     'Vorontsov said Moscow would respond if the signals were serious.', "NewsFlash24", "2024-12-10")
    d = article("d", 'Later, Vorontsov said: "If the signals are serious, we will respond." The mayor said the '
                     'port would reopen soon.', "RusVesti Today", "2024-12-23")
    quotes = [quote(a, "Our position is well known and has been stated many times,", 1),
              quote(b, "Our position is well known and has been stated many times,", 1),
              quote(c, "Our position is well known and has been repeated many times,", 1),
              quote(c, "Moscow would respond if the signals were serious", 2, kind="indirect", said_on="2024-12-23"),
              quote(d, "If the signals are serious, we will respond.", 3),
              quote(d, "the port would reopen soon", 4, kind="indirect", speaker=(9, "Elena Rusu"))]
    return material([a, b, c, d], quotes)


def test_variants_carry_outlets_diffs_and_cited_sentences():
    m = _corpus()
    speakers = build(m)
    vorontsov = next(g for g in speakers if g["speaker"]["name"] == "Dmitry Vorontsov")
    position = next(s for s in vorontsov["statements"] if s["id"] == 1)
    assert position["n_articles"] == 3 and position["outlets"] == ["Danube Herald", "Meridian Wire", "NewsFlash24"]
    main, other = position["variants"]
    assert main["outlets"] == ["Meridian Wire", "Danube Herald"] and other["outlets"] == ["NewsFlash24"]
    assert main["diff"] == [{"op": "equal", "text": main["text"]}]
    assert {"op": "insert", "text": "repeated"} in other["diff"]
    for v in position["variants"]:
        for r in v["reports"]:
            text = m.articles[r["article_id"]].text
            assert text[r["start"]:r["end"]] == v["text"]
            s = r["sentence"]
            assert s["start"] <= r["start"] and r["end"] <= s["end"] + 1 and text[s["start"]:s["end"]].strip()


def test_an_indirect_report_is_linked_to_the_statement_it_reports_and_speakers_stay_apart():
    speakers = build(_corpus())
    names = [g["speaker"]["name"] for g in speakers]
    assert names == ["Dmitry Vorontsov", "Elena Rusu"]  # the most reported speaker first
    vorontsov = speakers[0]["statements"]
    assert [s["id"] for s in vorontsov] == [1, 3]  # in the order said; statement 2 folded into 3
    signals = vorontsov[1]
    assert [x["id"] for x in signals["linked"]] == [2] and signals["linked"][0]["outlets"] == ["NewsFlash24"]
    assert speakers[1]["statements"][0]["linked"] == []  # another speaker's words are never linked


def test_an_indirect_report_said_weeks_apart_is_not_linked():
    m = _corpus()
    far = [q if q.statement_id != 2 else type(q)(**{**q.__dict__, "said_on": "2024-11-01"}) for q in m.quotes]
    speakers = build(type(m)(**{**m.__dict__, "quotes": far}))
    assert sorted(s["id"] for s in speakers[0]["statements"]) == [1, 2, 3]


def test_a_statement_only_reported_in_outlets_own_words_is_not_shown_as_a_quotation():
    from storyline import brief

    a = article("a", "The mayor denied any financial tie to the shipping firm. He spoke briefly.", "Meridian Wire",
                "2024-12-09")
    b = article("b", "Mayor Rusu denied any financial tie to the shipping firm on Monday.", "Danube Herald",
                "2024-12-09")
    c = article("c", '"We have nothing to hide," the mayor said.', "NewsFlash24", "2024-12-09")
    rusu = (9, "Elena Rusu")
    m = material([a, b, c], [quote(a, "any financial tie to the shipping firm", 1, "indirect", rusu, cue="denied"),
                             quote(b, "any financial tie to the shipping firm", 1, "indirect", rusu, cue="denied"),
                             quote(c, "We have nothing to hide,", 2, "direct", rusu, cue="said")])
    statements = {s["id"]: s for s in build(m)[0]["statements"]}
    assert (statements[1]["verbatim"], statements[1]["cue"]) == (False, "denied")
    assert (statements[2]["verbatim"], statements[2]["cue"]) == (True, None)
    # every rendering (Markdown, HTML) words a statement through these two
    assert brief._reported(statements[1]) + ": " + brief._worded(statements[1]) == \
        " (reported, denied): any financial tie to the shipping firm"
    assert (brief._reported(statements[2]), brief._worded(statements[2])) == ("", "“We have nothing to hide,”")


def _person(a, name: str, eid: int) -> dict:
    start = a.text.index(name)
    return {"start": start, "end": start + len(name), "text": name, "label": "PERSON", "entity_id": eid,
            "entity": name}


def test_one_speaker_per_person_however_the_articles_wrote_the_name():
    a = article("a", 'Mayor Elena Rusu-Costa opened the bridge. "It is ours," said Baltimore Mayor Elena Rusu-Costa. '
                'Andrei Popa and Mihai Popa watched.', "Meridian Wire", "2024-12-09")
    b = article("b", '"We waited long enough," Rusu-Costa said. "Not me," said Popa.', "Danube Herald", "2024-12-09")
    c = article("c", '"A fine day," President Rusu-Costa said. "Too late," police said. "Agreed," Police said.',
                "NewsFlash24", "2024-12-10")
    m = material([a, b, c],
                 [quote(a, "It is ours,", 1, speaker=(None, "Baltimore Mayor Elena Rusu-Costa")),
                  quote(b, "We waited long enough,", 2, speaker=(31, "Rusu-Costa")),      # typed ORG, its own entity
                  quote(c, "A fine day,", 3, speaker=(None, "President Rusu-Costa")),
                  quote(b, "Not me,", 4, speaker=(40, "Popa")),              # two Popas named equally often
                  quote(c, "Too late,", 5, speaker=(None, "police")), quote(c, "Agreed,", 6, speaker=(None, "Police"))],
                 mentions={"a": [_person(a, "Elena Rusu-Costa", 9), _person(a, "Andrei Popa", 11),
                                 _person(a, "Mihai Popa", 12)]})
    built = build(m)
    groups = {(g["speaker"] or {}).get("name"): g["statements"] for g in built}
    assert built[0]["speaker"] == {"entity_id": 9, "name": "Elena Rusu-Costa"}
    rusu = groups["Elena Rusu-Costa"]
    assert [s["id"] for s in rusu] == [1, 2, 3]
    assert [s.get("named_as") for s in rusu] == ["Baltimore Mayor Elena Rusu-Costa", "Rusu-Costa",
                                                 "President Rusu-Costa"]
    assert "Popa" in groups and "Andrei Popa" not in groups    # which Popa: not guessed
    assert sorted(s["id"] for s in groups["police"]) == [5, 6]


def test_a_quoted_statement_is_shown_in_a_quoted_wording_not_the_paraphrase_around_it():
    a = article("a", 'Asked if he minded the flags, Radu said that it he was "fine with free speech."',
                "Meridian Wire", "2024-12-09")
    b = article("b", 'Radu said that he was fine with free speech, aides added.', "Danube Herald", "2024-12-09")
    c = article("c", 'Radu told the interviewer that he was fine with free speech.', "NewsFlash24", "2024-12-09")
    d = article("d", 'Radu said he was "fine with free speech."', "RusVesti Today", "2024-12-09")
    quotes = [quote(b, "he was fine with free speech", 1, kind="indirect", speaker=(5, "Ion Radu")),
              quote(c, "he was fine with free speech", 1, kind="indirect", speaker=(5, "Ion Radu")),
              quote(a, "fine with free speech.", 1, kind="partial", speaker=(5, "Ion Radu")),
              quote(d, "fine with free speech.", 1, kind="partial", speaker=(5, "Ion Radu"))]
    (radu,) = build(material([a, b, c, d], quotes))
    (statement,) = radu["statements"]
    assert statement["verbatim"] and statement["text"] == "fine with free speech."


def test_a_capital_speaking_for_its_government_is_not_the_person_of_its_name():
    a = article("a", "The bridge is named for George Washington. Washington said the raids must stop.", "Port Wire",
                "2025-09-03")
    start = a.text.index("Washington said")
    mentions = {"a": [{"start": 25, "end": 42, "text": "George Washington", "label": "PERSON", "entity_id": 1,
                       "entity": "George Washington"},
                      {"start": start, "end": start + 10, "text": "Washington", "label": "ORG", "entity_id": 2,
                       "entity": "Washington", "entity_type": "ORG", "country": "USA"}]}
    quotes = [quote(a, "the raids must stop", 1, kind="indirect", speaker=(2, "Washington"))]
    (group,) = build(material([a], quotes, mentions=mentions))
    assert group["speaker"]["name"] == "Washington"


def test_a_surname_typed_as_a_place_that_no_article_writes_as_a_place_is_the_person():
    a = article("a", "Senator Ada Brennick spoke on Monday. Mihai Galati, a farmer, listened.", "Port Wire",
                "2025-09-03")
    b = article("b", "Brennick said the raids must stop. Voters met in Galati. Galati said the port must open.",
                "Danube Herald", "2025-09-03")

    def at(art, words: str, label: str, eid: int, entity: str, entity_type: str | None = None) -> dict:
        start = art.text.index(words)
        return {"start": start, "end": start + len(words), "text": words, "label": label, "entity_id": eid,
                "entity": entity, "entity_type": entity_type or label, "country": None}

    gpe = "Voters met in Galati. Galati said"
    galati_at = b.text.index(gpe) + gpe.index("Galati said")
    mentions = {"a": [at(a, "Ada Brennick", "PERSON", 1, "Ada Brennick"),
                      at(a, "Mihai Galati", "PERSON", 3, "Mihai Galati")],
                "b": [at(b, "Brennick", "GPE", 2, "Brennick"), at(b, "in Galati", "GPE", 4, "Galati"),
                      {**at(b, "Galati said", "GPE", 4, "Galati"), "start": galati_at, "end": galati_at + 6}]}
    mentions["b"][1]["start"] += 3   # the mention is the name after "in"
    quotes = [quote(b, "the raids must stop", 1, kind="indirect", speaker=(2, "Brennick")),
              quote(b, "the port must open", 2, kind="indirect", speaker=(4, "Galati"))]
    names = {g["speaker"]["name"] for g in build(material([a, b], quotes, mentions=mentions))}
    # "Brennick" is never a place in the storyline: the senator; "Galati", written "in Galati", stays the place
    assert names == {"Ada Brennick", "Galati"}


def test_a_bare_title_speaker_is_the_one_person_the_storylines_articles_gave_that_title():
    from storyline.analysis import speakers

    def m(text, eid, name):
        return {"label": "PERSON", "text": text, "entity_id": eid, "entity": name}

    mentions = {"a": [m("Mayor Elena Rusu", 1, "Elena Rusu"), m("the mayor", 1, "Elena Rusu"),
                      m("the governor", 2, "Ion Dobre")],
                "b": [m("the governor", 3, "Victor Pop"), m("the former mayor", 4, "Ana Mirea")]}
    titled = speakers.titles(mentions)
    assert titled[("mayor",)][:2] == (1, "Elena Rusu")
    assert ("governor",) not in titled and ("former", "mayor") not in titled   # two people; another office
    remap = speakers.canonical([{"entity_id": None, "name": "the mayor"}, {"entity_id": None, "name": "governor"},
                                {"entity_id": None, "name": "former mayor"}],
                               speakers.full_names(mentions), titled)
    assert remap == {"the mayor": {"entity_id": 1, "name": "Elena Rusu"}}
