"""Framing: loaded language in each outlet's own voice with offsets (quoted words kept apart) from the shipped
models plus the editable lexicon, name variants of any entity, distinctive words that need enough articles,
weighted log-odds, coverage with blind spots, and the framing renderings."""

from __future__ import annotations

import math
from collections import Counter

from material_support import article, material, quote, story

from storyline import brief_framing
from storyline.analysis import loaded
from storyline.analysis.framing import LEXICON, coverage, load_lexicon, log_odds
from storyline.analysis.framing import build as framing
from storyline.analysis.naming import naming

# hand-written: the same event told in an evaluating voice and in a reporting one
OPINION = ("The reckless senator slammed the outrageous bill in a bizarre tirade. "
           "His radical allies cheered the shameful stunt.")
REPORT = "The Senate voted 52 to 48 on Tuesday to pass the bill. The measure now goes to the House."


def test_the_shipped_models_mark_evaluative_words_and_sentences():
    model = loaded.load_model()
    assert model.forms and model.sentence_words and 0 < model.sentence_threshold < 1
    opinion = [loaded.judge(OPINION, s, e) for s, e in [(0, OPINION.index("His") - 1), (OPINION.index("His"),
                                                                                        len(OPINION))]]
    report = [loaded.judge(REPORT, 0, REPORT.index("The measure") - 1), loaded.judge(REPORT, REPORT.index("The m"))]
    marked = {w.form for j in opinion for w in j.words}
    assert {"reckless", "outrageous", "bizarre", "shameful"} <= marked
    assert all(j.biased for j in opinion) and not any(j.biased for j in report)
    assert not [w.form for j in report for w in j.words]
    for j in opinion:
        for w in j.words:
            assert OPINION[w.start:w.end].casefold() == w.form and j.start <= w.start < w.end <= j.end


def test_adjacent_loaded_words_make_one_phrase():
    text = "a  far-left radical mob and a cruel, vicious plan"
    words = [loaded.LoadedWord(text.index(w), text.index(w) + len(w), w, 1.0)
             for w in ("far-left", "radical", "mob", "cruel", "vicious")]
    at = text.index
    assert loaded.phrases(text, words) == [(at("far"), at(" and"), "far-left radical mob"),
                                           (at("cruel"), at(","), "cruel"), (at("vicious"), at(" plan"), "vicious")]


def test_a_word_is_judged_in_its_sentence_by_its_logit_rank_neighbours_and_quotation_marks():
    model = loaded.load_model()
    assert model.context is not None and set(model.context) == set(loaded.CONTEXT) | {"bias"}
    text = 'They called it a "shameful" plan.'
    forms, caps = loaded._words(text, 0, len(text))
    spans = [m.span() for m in loaded._TOKEN.finditer(text)]
    quoted = loaded.quoted_flags(text, spans, 0)
    assert quoted == [False, False, False, False, True, False]
    logits = [-3.0, -1.0, -4.0, -5.0, 2.0, -2.0]
    rows = loaded.context_features(model, forms, caps, logits, quoted, 1.5)
    named = [dict(zip(loaded.CONTEXT, r)) for r in rows]
    top = named[4]  # "shameful": the sentence's most loaded word, inside quotation marks
    assert top["rank0"] == 1.0 and top["gap_top"] == 0.0 and top["gap_other"] == 3.0 and top["quoted"] == 1.0
    assert top["prev"] == -5.0 and top["next"] == -2.0 and top["logit_x_sentence"] == 3.0
    assert named[1]["rank1"] == 1.0 and named[1]["gap_top"] == -3.0 and named[0]["prev"] == loaded.EDGE
    assert named[5]["next"] == loaded.EDGE and named[0]["first"] == 1.0 and named[5]["position"] == 1.0
    assert named[0]["stop"] == 1.0 and named[4]["stop"] == 0.0  # "they" is a function word
    # the context decides: the same word and logit score lower beside a more loaded word in a report-like sentence
    alone = loaded.context_logits(model, [rows[4]])[0]
    beside = loaded.context_logits(model, loaded.context_features(
        model, forms, caps, [-3.0, -1.0, -4.0, 6.0, 2.0, -2.0], quoted, -3.0))[4]
    assert beside < alone


def test_a_words_neighbours_and_its_sentence_model_weight_enter_its_context_logit():
    import dataclasses

    model = loaded.load_model()
    assert model.context_prev and model.context_next and "sentence_word" in model.context
    text = "So-called experts backed the plan"
    forms, caps = loaded._words(text, 0, len(text))
    made_up = dataclasses.replace(model, context_prev={"so-called": 0.75, loaded.START: -0.5},
                                  context_next={"plan": 0.25, loaded.END: 0.125},
                                  sentence_words={"experts": 0.4, "plan": -0.2})
    # per word: its previous form's weight (START before the first) plus its next form's (END after the last)
    assert loaded.neighbour_weights(made_up, forms) == [-0.5, 0.75, 0.0, 0.25, 0.125]
    rows = loaded.context_features(made_up, forms, caps, [-1.0] * 5, [False] * 5, 0.0)
    at = loaded.CONTEXT.index("sentence_word")
    assert [r[at] for r in rows] == [0.0, 0.4, 0.0, 0.0, -0.2]
    plain = loaded.context_logits(made_up, rows)
    around = loaded.context_logits(made_up, rows, forms)
    assert [round(b - a, 6) for a, b in zip(plain, around)] == [-0.5, 0.75, 0.0, 0.25, 0.125]
    # judge adds them: the marked words' logits are the context logits with the neighbours
    verdict = loaded.judge(OPINION, 0, OPINION.index("His") - 1)
    forms, caps = loaded._words(OPINION, 0, OPINION.index("His") - 1)
    spans = [m.span() for m in loaded._TOKEN.finditer(OPINION, 0, OPINION.index("His") - 1)]
    logits = loaded._logits(model, forms, caps)
    sentence = loaded._sentence_logit(model, forms, logits, OPINION[:OPINION.index("His") - 1])
    ctx = loaded.context_logits(model, loaded.context_features(model, forms, caps, logits,
                                                               loaded.quoted_flags(OPINION, spans, 0), sentence), forms)
    assert {w.form: w.logit for w in verdict.words} == {forms[i]: round(x, 3) for i, x in enumerate(ctx)
                                                        if x >= model.context_threshold}


def test_a_model_file_without_the_context_step_marks_words_by_the_gate(tmp_path):
    import gzip
    import json

    with gzip.open(loaded.MODEL, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    data.pop("context")
    path = tmp_path / "old.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(data, fh)
    old = loaded.load_model(str(path))
    assert old.context is None
    verdict = loaded.judge(OPINION, 0, OPINION.index("His") - 1, old)
    floor = old.word_threshold - old.gate * math.log(verdict.score / (1 - verdict.score))
    assert verdict.words and all(w.logit >= floor - 1e-3 for w in verdict.words)


def _two_outlets():
    ru = article("r", "Officials of the Kiev regime refused talks. Forces liberated a village near Lugansk. The "
                      "reckless plan was a shameful disaster.", "RusVesti Today", "2024-12-09")
    ua = article("u", '"The reckless plan was a shameful disaster," Vorontsov said. Kyiv rejected what Moscow calls '
                      'its "special military operation" after the full-scale invasion.', "Meridian Wire", "2024-12-09")
    quotes = [quote(ua, "The reckless plan was a shameful disaster,", 1)]
    return material([ru, ua], quotes), story([ru, ua], {"r": 1, "u": 1})


def test_loaded_language_in_the_outlets_own_voice_with_offsets_and_sentences():
    m, s = _two_outlets()
    rows = {o["outlet"]: o for o in framing(s, m)}
    ru, ua = rows["RusVesti Today"], rows["Meridian Wire"]
    terms = {t["term"]: t for t in ru["loaded_terms"]}
    # the lexicon's terms keep their side; the model's words have none
    assert terms["Kiev regime"]["source"] == "lexicon" and terms["Kiev regime"]["side"] == "pro-Russia"
    assert terms["liberate"]["count"] == 1
    assert terms["reckless"]["source"] == "model" and terms["reckless"]["side"] is None
    for t in ru["loaded_terms"]:
        for occ in t["occurrences"]:
            text = m.articles[occ["article_id"]].text
            assert text[occ["start"]:occ["end"]].casefold().startswith(t["term"].casefold()[:5])
            assert occ["sentence"]["start"] <= occ["start"] < occ["end"] <= occ["sentence"]["end"]
    # the model never also reports a stretch the lexicon found ("regime" of "Kiev regime")
    assert not any(t["source"] == "model" and "regime" in t["term"] for t in ru["loaded_terms"])
    # the same words inside Vorontsov's quote are his, not Meridian Wire's
    theirs = {t["term"]: t for t in ua["loaded_terms"]}
    # (the model also weighs a word between quotation marks less: "reckless" is marked in RusVesti's voice only)
    assert theirs["shameful disaster"]["count"] == 0 and theirs["shameful disaster"]["quoted"] == 1
    assert "reckless" not in theirs or theirs["reckless"]["count"] == 0
    assert theirs["special military operation"]["count"] == 0 and theirs["special military operation"]["quoted"] == 1
    assert theirs["full-scale invasion"]["count"] == 1
    # sentences: the quoted one is not the outlet's own voice
    assert ua["sentences"]["own"] == 1 and ru["sentences"]["own"] == 3 and ru["sentences"]["biased"] >= 1
    assert ru["n_loaded_terms"] == len([t for t in ru["loaded_terms"] if t["count"]])


def test_an_edited_lexicon_is_used(tmp_path):
    path = tmp_path / "terms.toml"
    path.write_text('[[terms]]\nterm = "union boss"\nside = "anti-union"\n', encoding="utf-8")
    a = article("a", "The union bosses walked out again.", "NewsFlash24", "2024-10-14")
    rows = framing(story([a], {"a": 1}), material([a]), load_lexicon(str(path)))
    lexicon_terms = [(t["term"], t["count"], t["side"]) for t in rows[0]["loaded_terms"] if t["source"] == "lexicon"]
    assert lexicon_terms == [("union boss", 1, "anti-union")]
    assert load_lexicon().names and LEXICON.is_file()


def _mention(a, words, entity, eid, label="PERSON"):
    start = a.text.index(words)
    return {"start": start, "end": start + len(words), "text": words, "label": label, "entity_id": eid,
            "entity": entity}


def test_name_variants_of_any_entity_the_outlets_name_differently():
    a = article("a", "Vladimir Kovalenko met Dmitri Vorontsov in Kiev. Kovalenko left the U.S. delegation.",
                "RusVesti Today", "2024-12-09")
    b = article("b", "Volodymyr Kovalenko met Dmitri Vorontsov in Kyiv. President Kovalenko thanked the United "
                     "States.", "Meridian Wire", "2024-12-09")
    mentions = {"a": [_mention(a, "Vladimir Kovalenko", "Volodymyr Kovalenko", 1),
                      _mention(a, "Dmitri Vorontsov", "Dmitry Vorontsov", 2), _mention(a, "Kiev", "Kyiv", 3, "GPE"),
                      _mention(a, "Kovalenko", "Volodymyr Kovalenko", 1), _mention(a, "U.S.", "United States", 4, "GPE")],
                "b": [_mention(b, "Volodymyr Kovalenko", "Volodymyr Kovalenko", 1),
                      _mention(b, "Dmitri Vorontsov", "Dmitry Vorontsov", 2), _mention(b, "Kyiv", "Kyiv", 3, "GPE"),
                      _mention(b, "President Kovalenko", "Volodymyr Kovalenko", 1),
                      _mention(b, "United States", "United States", 4, "GPE")]}
    rows = {o["outlet"]: o for o in framing(story([a, b], {"a": 1, "b": 1}), material([a, b], mentions=mentions))}
    ru = {(n["entity"], n["variant"]): n for n in rows["RusVesti Today"]["names"]}
    ua = {(n["entity"], n["variant"]): n for n in rows["Meridian Wire"]["names"]}
    assert ru[("Kyiv", "Kiev")]["side"] == "pro-Russia" and ru[("Kyiv", "Kiev")]["others"] == ["Kyiv"]
    assert ua[("Kyiv", "Kyiv")]["canonical"] and ua[("Kyiv", "Kyiv")]["others"] == ["Kiev"]
    variant = ru[("Volodymyr Kovalenko", "Vladimir Kovalenko")]
    assert variant["count"] == 1 and not variant["canonical"] and variant["side"] == "pro-Russia"
    occ = variant["occurrences"][0]
    assert a.text[occ["start"]:occ["end"]] == "Vladimir Kovalenko"
    # "Kovalenko" and "President Kovalenko" are the canonical naming, counted with it
    assert ru[("Volodymyr Kovalenko", "Volodymyr Kovalenko")]["count"] == 1
    assert ua[("Volodymyr Kovalenko", "Volodymyr Kovalenko")]["count"] == 2
    # both outlets write "Dmitri": no choice between them; "U.S." is the initials of "United States"
    assert not any(n["entity"] in ("Dmitry Vorontsov", "United States") for o in rows.values() for n in o["names"])


def test_a_naming_is_a_spelling_or_a_listed_alias():
    assert naming("Kovalenko", "Volodymyr Kovalenko") == ""
    assert naming("Vladimir Kovalenko's", "Volodymyr Kovalenko") == "vladimir"
    assert naming("Donbass", "Donbas") == "donbass"
    assert naming("Kishinev", "Chișinău") == "kishinev"  # listed in aliases.toml, not a close spelling
    assert naming("US", "United States") is None and naming("Mr. Biden", "Joe Biden") == ""
    assert naming("Moscow", "Russia") is None  # a metonym is another word, not a spelling


def test_distinctive_words_need_enough_articles_and_leave_out_names():
    # a word must be in a dozen more of an outlet's articles than of the others' before it is significant
    texts = {"A": [f"The regime crackdown number {k} hit dissidents in Minsk." for k in range(14)],
             "B": [f"The government restored order {k} times in Minsk." for k in range(14)],
             "C": ["A single report on the regime."], "D": ["The regime acted.", "Order returned.", "Calm in Minsk."]}
    arts = [article(f"{o}{k}", t, o, "2024-10-14") for o, ts in texts.items() for k, t in enumerate(ts)]
    mentions = {a.id: [_mention(a, "Minsk", "Minsk", 9, "GPE")] for a in arts if "Minsk" in a.text}
    rows = {o["outlet"]: o for o in framing(story(arts, {a.id: 1 for a in arts}), material(arts, mentions=mentions))}
    assert [t["term"] for t in rows["A"]["distinctive"]][:2] == ["crackdown", "regime"] or \
        {"crackdown", "regime"} <= {t["term"] for t in rows["A"]["distinctive"]}
    assert "minsk" not in {t["term"] for o in rows.values() for t in o["distinctive"]}
    assert rows["C"]["distinctive"] == [] and "1 article" in rows["C"]["distinctive_note"]
    assert rows["A"]["distinctive_note"] is None
    assert rows["D"]["distinctive"] == [] and "no word" in rows["D"]["distinctive_note"]


def test_log_odds_follow_monroe_et_al_and_rank_an_outlets_own_words_first():
    counts = {"A": Counter({"regime": 12, "talks": 5, "ceasefire": 5}),
              "B": Counter({"government": 12, "talks": 5, "ceasefire": 5}),
              "C": Counter({"government": 6, "talks": 6, "ceasefire": 6})}
    out = log_odds(counts)
    assert out["A"][0]["term"] == "regime"
    assert "talks" not in {t["term"] for t in out["A"]}  # used alike by everyone
    # the z-score by hand: prior = pooled counts, alpha0 = all words
    total = sum(sum(c.values()) for c in counts.values())
    y_i, a_w, n_i = 12, 12, 22
    y_j, n_j = 0, total - n_i
    delta = math.log((y_i + a_w) / (n_i + total - y_i - a_w)) - math.log((y_j + a_w) / (n_j + total - y_j - a_w))
    z = delta / math.sqrt(1 / (y_i + a_w) + 1 / (y_j + a_w))
    assert out["A"][0]["z"] == round(z, 3) and out["A"][0]["count"] == 12
    assert log_odds({"A": Counter({"x": 3})}) == {}  # nothing to compare against


def test_coverage_marks_the_events_a_regular_outlet_missed():
    arts = [article(f"{o}{e}", "text", o, "2024-10-14") for o, e in
            [("A", 1), ("A", 2), ("B", 1), ("B", 2), ("C", 1), ("C", 3), ("D", 2)]]
    s = story(arts, {a.id: int(a.id[1]) for a in arts})
    timeline = [{"id": e, "date": f"2024-10-1{e}", "title": None} for e in (1, 2, 3)]
    cov = coverage(s, timeline)
    assert [r["outlet"] for r in cov["outlets"]] == ["A", "B", "C", "D"]
    assert cov["outlets"][0]["cells"] == [1, 1, 0]
    # A, B and C are regular (2+ articles); event 2 was reported by two of them, event 3 by one
    assert cov["blind_spots"] == [{"outlet": "C", "event_id": 2}]


def test_framing_renderings_link_each_term_to_its_sentence_and_escape_article_text():
    m, s = _two_outlets()
    rows = framing(s, m)
    rows[0]["outlet"] = "<b>Rus*Vesti*</b>"
    brief = {"framing": rows, "coverage": None}
    md = "\n".join(brief_framing.markdown(brief, "/x"))
    first = next(t for t in rows[0]["loaded_terms"] if t["count"])
    occ = first["occurrences"][0]
    assert f"(/x/articles/{occ['article_id']}#s-{occ['sentence']['start']})" in md
    assert "\\<b\\>Rus\\*Vesti\\*\\</b\\>" in md and "Kiev regime ×1 \\(pro-Russia\\)" in md
    html = "".join(map(str, brief_framing.html(brief)))
    assert "&lt;b&gt;Rus*Vesti*&lt;/b&gt;" in html and "<b>Rus" not in html
    text = "\n".join(brief_framing.text(brief))
    assert text.startswith("Framing") and "of 3 own-voice sentences read as biased" in text
    assert "loaded: " in text and "reckless" in text


def test_a_model_word_in_most_of_the_storylines_articles_is_its_subject_not_a_choice():
    arts = [article(f"a{k}", f"The reckless plan number {k} was debated today.", f"O{k % 2}", "2024-10-14")
            for k in range(4)]
    arts.append(article("a9", "The reckless plan was a shameful disaster.", "O0", "2024-10-14"))
    rows = framing(story(arts, {a.id: 1 for a in arts}), material(arts))
    terms = {t["term"] for o in rows for t in o["loaded_terms"] if t["source"] == "model"}
    assert "reckless" not in terms and "shameful disaster" in terms


def test_an_embedded_post_is_not_the_outlets_voice():
    text = ("Officials met in Veltra on Monday.\n\n"
            "Forces liberated a village near Lugansk today. — Ana Petrescu (@anapetrescu) March 3, 2025\n\n"
            "Forces liberated a second village, the ministry said.")
    a = article("p", text, "Harbour Ledger", "2025-03-03")
    rows = {o["outlet"]: o for o in framing(story([a], {"p": 1}), material([a]))}
    liberate = {t["term"]: t for t in rows["Harbour Ledger"]["loaded_terms"]}["liberate"]
    assert (liberate["count"], liberate["quoted"]) == (1, 1)
    assert liberate["occurrences"][0]["start"] > text.index("ministry") - 60


def test_words_of_a_name_are_no_loaded_language():
    a = article("a", "Sen. Jeff Flake said the reckless plan was a disaster. Flake voted against it.", "Delta Wire",
                "2024-10-14")
    mentions = {"a": [_mention(a, "Jeff Flake", "Jeff Flake", 1),
                      {**_mention(a, "Flake voted", "Jeff Flake", 1), "end": a.text.index("Flake voted") + 5}]}
    rows = framing(story([a], {"a": 1}), material([a], mentions=mentions))
    terms = {t["term"].casefold() for t in rows[0]["loaded_terms"]}
    assert "reckless" in terms and not any("flake" in t for t in terms)


def test_a_contests_sides_count_only_in_a_storyline_about_it():
    rally = article("a", "Neo-Nazis marched through the town on Saturday. The mayor said the rally had liberated "
                         "nobody.", "Delta Wire", "2024-10-14")
    rows = framing(story([rally], {"a": 1}), material([rally]))
    assert not [t for t in rows[0]["loaded_terms"] if t["source"] == "lexicon"]
    war = article("b", "Officials in Moscow said the forces were fighting neo-Nazis in Ukraine and had liberated a "
                       "village.", "RusVesti Today", "2024-10-14")
    rows = framing(story([war], {"b": 1}), material([war]))
    sides = {t["term"]: t["side"] for t in rows[0]["loaded_terms"] if t["source"] == "lexicon"}
    assert sides == {"neo-Nazis": "pro-Russia", "liberate": "pro-Russia"}
