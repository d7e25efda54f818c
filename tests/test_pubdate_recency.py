"""The upper bounds added to publication-date inference: the recency table, office holders told as history, a
holder called "-elect" in the same text (issue 15)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from storyline.errors import UsageError
from storyline.extract.pubdate import date_cues, infer_published
from storyline.extract.recency import kind_of, load_recency, recency_cues, years_named
from storyline.extract.timex import find_times

TODAY = date(2026, 6, 1)
TABLE = {"quantile": 0.9, "weight": 1.5, "days_after": {"1-1": 3000, "3-3": 365}}


def cues(text: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in date_cues(text, find_times(text, None), today=TODAY):
        out.setdefault(c.kind, []).append(c)
    return out


def test_the_kind_of_text_is_how_many_years_it_names_and_how_many_are_recent():
    text = "The law passed in 2014, was amended in 2015 and challenged in March 2016; its author was born in 1950."
    years, first = years_named(text, find_times(text, None))
    assert sorted(years) == [1950, 2014, 2015, 2016] and first[2016].text.startswith("March 2016")
    assert kind_of(years) == "3-3"
    assert kind_of(years_named("It was built in 1950.", find_times("It was built in 1950.", None))[0]) == "1-1"
    assert kind_of(years_named("Nothing dated here.", [])[0]) is None


def test_the_recency_cue_bounds_from_above_only():
    text = "The law passed in 2014, was amended in 2015 and challenged in March 2016."
    times = find_times(text, None)
    floor = date(2014, 1, 1).toordinal()
    (c,) = recency_cues(text, times, TODAY, floor, TABLE)
    assert c.kind == "recency" and c.spans == ((floor, date(2016, 12, 31).toordinal() + 365),)
    assert text[c.start:c.end] == c.text == "March 2016" and "365 days" in c.note
    # no other cue, no floor: the cue makes no range of its own
    assert recency_cues(text, times, TODAY, None, TABLE) == []
    # a kind the table has too few articles of gives no cue
    assert recency_cues("It was built in 1950 and 1990.", find_times("It was built in 1950 and 1990.", None),
                        TODAY, floor, TABLE) == []


def test_the_shipped_table_is_read_and_a_broken_one_is_a_clear_error(tmp_path):
    table = load_recency()
    assert 0 < table["quantile"] < 1 and table["days_after"]["3-3"] < table["days_after"]["1-1"]
    bad = tmp_path / "recency.json"
    bad.write_text(json.dumps({"quantile": 0.9}), encoding="utf-8")
    with pytest.raises(UsageError, match="recency table"):
        load_recency(str(bad))


def test_the_recency_cue_narrows_with_an_agreeing_upper_cue_not_alone():
    text = "The talks began in 2014 and resumed in 2015. The envoy will return in March 2016."
    r = infer_published(text, find_times(text, None), today=TODAY)
    # the announced month (weight 1) and the recency cue (below 1) bound it together, not one alone
    days = load_recency()["days_after"]["3-3"]
    assert r.start <= "2015-01-01" and r.end == date.fromordinal(date(2016, 12, 31).toordinal() + days).isoformat()
    assert {e.kind for e in r.evidence if e.kept} >= {"recency", "named-date"}
    alone = "The talks began in 2014 and resumed in 2015."
    assert infer_published(alone, find_times(alone, None), today=TODAY).end == TODAY.isoformat()


def test_a_holder_told_as_history_gives_no_upper_bound():
    now = cues("Mexican President Felipe Calderon met the envoy.")
    assert "in-office" in now
    for history in ("Hackers read Mexican President Felipe Calderon's emails in 2010.",
                    "Mexican President Felipe Calderon, at the time, met the envoy.",
                    "Critics faulted President Obama's foreign policy."):
        c = cues(history)
        assert "in-office" not in c and "took-office" in c, history


def test_a_holder_also_called_elect_may_carry_the_title_from_the_election_on():
    text = ("President-elect Donald Trump has invited him to Washington. \u201cI would like to congratulate "
            "President Trump,\u201d he said the day after the election.")
    c = cues(text)
    (took,) = c["took-office"]
    assert date.fromordinal(took.lower).isoformat() == "2016-11-06"
    alone = cues("\u201cI would like to congratulate President Trump,\u201d he said.")
    assert date.fromordinal(alone["took-office"][0].lower).isoformat() == "2017-01-06"


def test_incoming_and_nominees_give_no_cue():
    assert "incoming" not in cues("The incoming Secretary of State Mike Pompeo spoke.")


def test_a_states_another_races_or_a_deputys_title_is_not_the_tables_office():
    assert "took-office" in cues("Attorney General Pam Bondi sued the company.")
    assert not cues("Florida Attorney General Pam Bondi sued the company.")
    assert not cues("Senate candidate Beto O'Rourke spoke in El Paso.")
    assert "former" not in cues("The list includes former Deputy Secretary of Defense Ash Carter.")
    # shared offices are named with the state: "Texas Gov. Greg Abbott" is the table's governor
    assert "took-office" in cues("Texas Gov. Greg Abbott signed the bill.")


def test_a_schedule_told_in_the_present_is_not_history():
    for text in ("The current aid deal expires in 2017, officials said.",
                 "There is a transition period that ends in December 2020.",
                 "In a letter to the class of 2020, the dean wrote about free speech."):
        (c,) = cues(text)["named-date"]
        assert c.weight <= 1.0 and date.fromordinal(c.lower).year <= 2017, text
