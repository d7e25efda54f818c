"""The brief checks of eval_real_analysis read each rendering as its reader sees it."""

from __future__ import annotations

from bench.real_brief import brief_checks


def _checks(renderings: dict[str, str]) -> dict:
    brief = {"summary": {"paragraphs": []}, "timeline": [], "title": "Ferry toll",
             "conflicts": [{"sides": [{"value": "the mayor's office (Radu)"}, {"value": "neither office"}]}]}
    return brief_checks(brief, renderings, {}, {}, {}, {}, {})


def test_a_disputed_point_is_shown_when_every_rendering_gives_both_values() -> None:
    shown = {"md": "where: the mayor's office \\(Radu\\) vs neither office",
             "html": "<li>the mayor&#x27;s office (Radu) vs neither office</li>",
             "text": "who: the mayor's office\n    (Radu) vs neither office"}
    assert _checks(shown)["disputed_shown"] == 1
    missing = {**shown, "text": "who: the mayor's office (Radu)"}
    assert _checks(missing)["disputed_shown"] == 0


def test_shown_positions_are_right_with_the_readers_type_span_and_holder() -> None:
    from bench.real_brief import shown_positions

    def line(aid: str, kind: str, holder: str, start: int, end: int) -> dict:
        return {"of": "position", "citations": [{"article_id": aid}],
                "stance": {"type": kind, "holder": holder, "start": start, "end": end}}

    brief = {"summary": {"paragraphs": [{"sentences": [
        line("a", "oppose", "Ion Dobre", 10, 40),     # right
        line("a", "oppose", "Elena Stan", 50, 80),    # the reader's type and span, another holder
        line("a", "support", "Ion Dobre", 90, 120),   # the reader marked no support there
        line("z", "oppose", "Ion Dobre", 0, 10),      # an article outside the labelled storyline
        {"of": "claim", "citations": [{"article_id": "a"}]}]}]}}
    gold = [{"article_id": "a", "type": "oppose", "holder": "Ion Dobre", "start": 20, "end": 35},
            {"article_id": "a", "type": "oppose", "holder": "Ion Dobre", "start": 60, "end": 70}]
    out = shown_positions(brief, gold, {"a"}, lambda x, y: x == y)
    assert (out["shown"], out["right"], out["right_type"], out["outside"]) == (3, 1, 2, 1)
    assert [w["holder"] for w in out["wrong"]] == ["Elena Stan", "Ion Dobre"]   # where, for a reader to look


def test_shown_claims_are_central_when_they_assert_a_readers_claim() -> None:
    from bench.real_brief import shown_claims

    def said(aid: str, start: int) -> dict:
        return {"article_id": aid, "start": start, "end": start + 20}

    brief = {"claims": [{"id": "c1", "independent_sources": 3,
                         "asserted_by": [said("a", 0), said("b", 0), said("c", 0)]},
                        {"id": "c2", "independent_sources": 2, "asserted_by": [said("a", 100), said("b", 100)]}],
             "summary": {"paragraphs": [{"sentences": [{"of": "claim", "ref": "c1"}, {"of": "claim", "ref": "c2"}]}]}}
    gold = [{"asserted_by": [said("a", 5), said("b", 5), said("c", 5)]}]   # b and c copies of one source
    out = shown_claims(brief, gold, {"a", "b", "c"}, {"b": "g", "c": "g"}, 0.5)
    assert (out["shown"], out["central"], out["exact"], out["over"]) == (2, 1, 0, 1)


def test_timeline_dates_are_scored_against_the_day_most_labelled_articles_report() -> None:
    from bench.real_timeline import event_days, overall, timeline_dates

    days = {"a": "2025-04-17", "b": "2025-04-17", "c": "2025-04-12", "d": None, "e": "2025-04-20"}
    brief = {"timeline": [
        # most report the 17th (the opinion piece "d" reports no day): right, though first published the 12th
        {"date": "2025-04-17", "articles": [{"article_id": x, "published": p} for x, p in
                                             (("a", "2025-04-17"), ("b", "2025-04-18"), ("c", "2025-04-12"),
                                              ("d", "2025-04-19"))]},
        {"date": "2025-04-19", "articles": [{"article_id": "e", "published": "2025-04-20"}]},   # a day off
        {"date": "2025-04-19", "articles": [{"article_id": "d", "published": "2025-04-19"}]},   # nothing labelled
    ]}
    scored = timeline_dates(brief, days)
    # the naive date (first publication) is wrong for the first event, right for the second
    assert (scored["events"], scored["right"], scored["within_one"], scored["published"]) == (2, 1, 2, 1)
    assert (scored["one_happening"], scored["articles"], scored["articles_right"]) == (1, 4, 2)
    assert overall([scored])["timeline_date_accuracy"] == 0.5
    # events against news days: "c" (the 12th) shares an event with two articles of the 17th
    stored = [{"id": "a", "event_id": 1}, {"id": "b", "event_id": 1}, {"id": "c", "event_id": 1},
              {"id": "e", "event_id": 2}]
    sums = event_days(stored, days)
    assert sums["articles"] == 4 and round(sums["precision_sum"], 3) == round(2 / 3 + 2 / 3 + 1 / 3 + 1, 3)
    assert sums["recall_sum"] == 4.0
