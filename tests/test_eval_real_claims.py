"""The real-news claims score (``bench.eval_real_analysis.score_claims``) and why a source count is wrong.

Gold and predicted claims are written here by hand: article ids and sentence offsets only, as the labels are.
"""

from bench.eval_real_analysis import score_claims


def _said(*spans):
    return [{"article_id": a, "start": s, "end": e} for a, s, e in spans]


def _claim(sources, *spans):
    return {"asserted_by": _said(*spans), "independent_sources": sources, "contradicted_by": []}


GROUPS = {"a": "a", "b": "b", "c": "c", "d": "d", "w1": "wire", "w2": "wire"}


def test_an_exact_count_has_no_error_class():
    gold = [{"claim": "the vote passed", "asserted_by": _said(("a", 0, 50), ("b", 10, 60)),
             "contradicted_by": []}]
    out = score_claims(gold, [_claim(2, ("a", 0, 50), ("b", 10, 60))], GROUPS, set())
    assert (out["found_n"], out["exact_n"], out["errors"]) == (1, 1, {})


def test_a_split_claim_and_a_lost_sentence_are_told_apart():
    gold = [{"claim": "the deal was signed", "contradicted_by": [],
             "asserted_by": _said(("a", 0, 50), ("b", 0, 50), ("c", 100, 150), ("d", 200, 250))}]
    predicted = [_claim(2, ("a", 0, 50), ("b", 0, 50)),
                 _claim(2, ("c", 100, 150), ("w1", 0, 40))]   # c's sentence went to another claim; d's to none
    out = score_claims(gold, predicted, GROUPS, set())
    assert out["found_n"] == 1 and out["exact_n"] == 0
    assert out["errors"] == {"under": 1, "under:missing_lost": 1, "under:missing_split": 1}


def test_an_omitting_article_and_a_second_copy_are_counted_as_overcounts():
    gold = [{"claim": "ten people were hurt", "contradicted_by": [],
             "asserted_by": _said(("a", 0, 50), ("w1", 0, 50))}]
    # the store counted the wire copy w2 as a source of its own, and c asserts it where the reader saw it omitted
    predicted = [_claim(4, ("a", 0, 50), ("w1", 0, 50), ("w2", 0, 50), ("c", 0, 50))]
    out = score_claims(gold, predicted, GROUPS, set())
    assert out["within_one_n"] == 0 and out["abs_error_sum"] == 2
    assert out["errors"] == {"over": 1, "over:extra_source": 1, "over:grouping": 1}


def test_opinion_articles_neither_count_nor_make_errors():
    gold = [{"claim": "the plant closed", "contradicted_by": [],
             "asserted_by": _said(("a", 0, 50), ("b", 0, 50), ("c", 0, 50))}]
    out = score_claims(gold, [_claim(2, ("a", 0, 50), ("b", 0, 50))], GROUPS, {"c"})
    assert out["exact_n"] == 1 and out["errors"] == {}


def test_one_actor_by_a_short_given_name_a_country_or_an_acronym_but_not_another_person():
    from bench.eval_real_analysis import same_actor

    countries = {"kremlin": "RU", "russia": "RU"}
    assert same_actor("Robert McCulloch", "Bob McCulloch", countries)
    assert same_actor("Charles Schumer", "Chuck Schumer", countries)
    assert same_actor("Kremlin", "Russia", countries)
    assert same_actor("ACLU", "American Civil Liberties Union", countries)
    assert not same_actor("Robert McCulloch", "Tom McCulloch", countries)
    assert not same_actor("Bob Corker", "Bob Casey", countries)
