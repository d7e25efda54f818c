"""Framing: name variants and loaded terms per outlet with offsets (quoted words kept apart), weighted
log-odds with an informative Dirichlet prior, the editable lexicon, and coverage with blind spots."""

from __future__ import annotations

import math
from collections import Counter

from material_support import article, material, quote, story

from storyline.analysis.framing import LEXICON, coverage, load_lexicon, log_odds
from storyline.analysis.framing import build as framing


def test_the_shipped_lexicon_is_consistent():
    lex = load_lexicon()
    assert LEXICON.is_file() and lex.terms and lex.names
    for group in lex.names:
        assert len(group.variants) == len(group.sides) >= 2
    assert {"Kiev", "Kyiv", "Lugansk", "Luhansk", "Odessa", "Odesa", "Kharkov", "Kharkiv", "Vladimir",
            "Volodymyr"} <= {v for g in lex.names for v in g.variants}
    assert len({t.term.casefold() for t in lex.terms}) == len(lex.terms)


def _two_outlets():
    ru = article("r", "The Kiev regime refuses talks. Forces liberated a village near Lugansk. Kiev must lift the "
                      "ban, said Vladimir Kovalenko's critics, while Vladimir Putin stayed silent.",
                 "RusVesti Today", "2024-12-09")
    ua = article("u", 'Kyiv rejected what Moscow calls its "special military operation" after the full-scale '
                      'invasion. "The Kiev regime must go," Vorontsov said of Kyiv.', "Meridian Wire", "2024-12-09")
    mentions = {"r": [{"start": ru.text.index("Vladimir Kovalenko"), "end": ru.text.index("Vladimir Kovalenko") + 18,
                       "text": "Vladimir Kovalenko", "label": "PERSON", "entity_id": 5,
                       "entity": "Volodymyr Kovalenko"},
                      {"start": ru.text.index("Vladimir Putin"), "end": ru.text.index("Vladimir Putin") + 14,
                       "text": "Vladimir Putin", "label": "PERSON", "entity_id": 6, "entity": "Vladimir Putin"}]}
    quotes = [quote(ua, "The Kiev regime must go,", 1)]
    return material([ru, ua], quotes, mentions=mentions), story([ru, ua], {"r": 1, "u": 1})


def test_name_variants_and_loaded_terms_per_outlet_with_offsets():
    m, s = _two_outlets()
    rows = {o["outlet"]: o for o in framing(s, m)}
    ru, ua = rows["RusVesti Today"], rows["Meridian Wire"]
    names = {n["variant"]: n for n in ru["names"]}
    assert names["Kiev"]["count"] == 2 and names["Kiev"]["side"] == "pro-Russia" and names["Lugansk"]["count"] == 1
    assert names["Vladimir"]["count"] == 1  # Kovalenko's Ukrainian name in its Russian form; Putin's is his own
    for n in ru["names"]:
        for o in n["occurrences"]:
            assert m.articles[o["article_id"]].text[o["start"]:o["end"]] == n["variant"]
    terms = {t["term"]: t for t in ru["loaded_terms"]}
    assert terms["Kiev regime"]["count"] == 1 and terms["liberate"]["count"] == 1  # "liberated": an ending
    occ = terms["liberate"]["occurrences"][0]
    assert m.articles["r"].text[occ["start"]:occ["end"]] == "liberated"
    theirs = {t["term"]: t for t in ua["loaded_terms"]}
    assert theirs["full-scale invasion"]["count"] == 1
    # quoted words and scare quotes are not the outlet's own voice
    assert theirs["special military operation"] == {**theirs["special military operation"], "count": 0, "quoted": 1}
    assert theirs["Kiev regime"]["count"] == 0 and theirs["Kiev regime"]["quoted"] == 1
    assert {n["variant"] for n in ua["names"]} == {"Kyiv", "Kiev"}  # spellings count wherever they are


def test_an_edited_lexicon_is_used(tmp_path):
    path = tmp_path / "terms.toml"
    path.write_text('[[terms]]\nterm = "union boss"\nside = "anti-union"\n', encoding="utf-8")
    a = article("a", "The union bosses walked out again.", "NewsFlash24", "2024-10-14")
    rows = framing(story([a], {"a": 1}), material([a]), load_lexicon(str(path)))
    assert [(t["term"], t["count"]) for t in rows[0]["loaded_terms"]] == [("union boss", 1)]
    assert rows[0]["names"] == []


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
