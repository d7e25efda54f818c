"""Time expressions: spans, TIMEX3 values, past/future readings, anaphora, sentences, bad input."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from storyline.extract.timex import find_times
from storyline.records import Sentence, TimeExpr

REF = date(2024, 12, 10)  # a Tuesday


def times(text: str, reference: date | None = REF, **kw) -> list[TimeExpr]:
    found = find_times(text, reference, **kw)
    for t in found:
        assert text[t.start:t.end] == t.text
    return found


def one(text: str, reference: date | None = REF) -> TimeExpr:
    found = times(text, reference)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, span, value, granularity", [
    ("The ceasefire was signed on November 7, 2024, in the capital.", "November 7, 2024", "2024-11-07", "day"),
    ("Grain exports fell in 2023.", "2023", "2023", "year"),
    ("Prices rose sharply in the fall of 2022.", "the fall of 2022", "2022-FA", "season"),
    ("Posted 2024-12-09 by the desk.", "2024-12-09", "2024-12-09", "day"),
    ("The harbour reopened in August 2021.", "August 2021", "2021-08", "month"),
    ("Shipping slowed in Q2 2023.", "Q2 2023", "2023-Q2", "quarter"),
    ("Few remember the 1990s fondly.", "the 1990s", "199", "decade"),
    ("Output peaked in the first half of 2019.", "the first half of 2019", "2019-H1", None),
])
def test_explicit_dates_need_no_reference(text, span, value, granularity):
    for reference in (REF, None):
        t = one(text, reference)
        assert (t.text, t.type, t.value, t.granularity, t.basis) == (span, "DATE", value, granularity, "explicit")


@pytest.mark.parametrize("text, span, value", [
    ("The spokesman said Monday that the offer stood.", "Monday", "2024-12-09"),
    ("Officials met on Tuesday to review the plan.", "Tuesday", "2024-12-10"),      # same weekday: that day
    ("On Friday, the minister rejected the proposal.", "Friday", "2024-12-06"),
    ("The ministers will meet on Friday in Geneva.", "Friday", "2024-12-13"),
    ("The vote is scheduled for Thursday.", "Thursday", "2024-12-12"),
    ("The two leaders talk again next Tuesday.", "next Tuesday", "2024-12-17"),
    ("The envoys meet next Friday.", "next Friday", "2024-12-20"),                 # the Friday of next week
    ("The convoy left last Friday.", "last Friday", "2024-12-06"),
])
def test_weekdays_read_as_news_reads_them(text, span, value):
    t = one(text)
    assert (t.text, t.value, t.granularity, t.basis) == (span, value, "day", "relative")


@pytest.mark.parametrize("text, span, value, granularity", [
    ("She visited the port earlier this month.", "earlier this month", "2024-12", "month"),
    ("Harvests were poor last year.", "last year", "2023", "year"),
    ("The fund grows next year.", "next year", "2025", "year"),
    ("Traffic doubled this week.", "this week", "2024-W50", "week"),
    ("Talks stalled last week.", "last week", "2024-W49", "week"),
    ("The accord was initialled November 7.", "November 7", "2024-11-07", "day"),
    ("He arrived on 10 December.", "10 December", "2024-12-10", "day"),
    ("The talks collapsed in June.", "June", "2024-06", "month"),
    ("She will visit the region in January.", "January", "2025-01", "month"),
    ("The inspectors left ten days ago.", "ten days ago", "2024-11-30", "day"),
    ("Exports grew in the third quarter.", "the third quarter", "2024-Q3", "quarter"),
    ("Crowds gathered over the weekend.", "the weekend", "2024-W49-WE", "week"),
    ("The mayor will speak on Christmas Eve.", "Christmas Eve", "2024-12-24", "day"),
    ("It rained yesterday.", "yesterday", "2024-12-09", "day"),
    ("Tenders open in the spring.", "the spring", "2025-SP", "season"),
    ("The offensive stalled in the spring of last year.", "the spring of last year", "2023-SP", "season"),
    ("Strikes on the grid grew ahead of winter.", "winter", "2024-WI", "season"),
    ("The ministry will publish figures later in the day.", "later in the day", "2024-12-10", "day"),
    ("The election is a month away.", "a month away", "2025-01", "month"),
    ("Parliament will sit again after the New Year.", "New Year", "2025-01-01", "day"),
])
def test_relative_expressions_resolve_against_the_reference(text, span, value, granularity):
    t = one(text)
    assert (t.text, t.value, t.granularity, t.basis) == (span, value, granularity, "relative")


@pytest.mark.parametrize("text", [
    "The spokesman said Monday that the offer stood.", "Harvests were poor last year.",
    "She visited the port earlier this month.", "The accord was initialled November 7.",
    "The inspectors left ten days ago.", "Crowds gathered over the weekend.", "The talks collapsed in June.",
])
def test_without_a_reference_relative_values_are_none(text):
    t = one(text, None)
    assert t.value is None and t.basis == "relative" and t.granularity is None


@pytest.mark.parametrize("text, span, value", [
    ("The blockade lasted three days.", "three days", "P3D"),
    ("Repairs took two weeks.", "two weeks", "P2W"),
    ("The mandate runs for six months.", "six months", "P6M"),
    ("He served a year in office.", "a year", "P1Y"),
    ("The siege lasted two and a half years.", "two and a half years", "P2Y6M"),
    ("The hearing ran for 5 1/2 hours.", "5 1/2 hours", "PT5H30M"),
    ("Envoys met for several days.", "several days", "PXD"),
    ("She waited for years.", "years", "PXY"),
])
def test_durations(text, span, value):
    t = one(text)
    assert (t.text, t.type, t.value, t.granularity, t.basis) == (span, "DURATION", value, "duration", "explicit")


def test_ages_are_not_durations():
    assert times("A 45-year-old farmer, who is 52 years old, was detained.") == []


@pytest.mark.parametrize("text, span, kind, value", [
    ("The strike began at 3:04 p.m. Monday.", "3:04 p.m. Monday", "TIME", "2024-12-09T15:04"),
    ("Sirens sounded at noon.", "noon", "TIME", "2024-12-10T12:00"),
    ("They spoke this morning.", "this morning", "TIME", "2024-12-10TMO"),
    ("The ferry sails every Monday.", "every Monday", "SET", "XXXX-WXX-1"),
    ("The council meets on Thursdays.", "Thursdays", "SET", "XXXX-WXX-4"),
    ("Bulletins are published daily.", "daily", "SET", "P1D"),
    ("The lease costs $5 million a year.", "a year", "SET", "P1Y"),
    ("Power is scarce now.", "now", "DATE", "PRESENT_REF"),
    ("The rules changed recently.", "recently", "DATE", "PAST_REF"),
    ("Fares may rise in the future.", "the future", "DATE", "FUTURE_REF"),
])
def test_times_sets_and_reference_words(text, span, kind, value):
    t = one(text)
    assert (t.text, t.type, t.value) == (span, kind, value)


def test_clock_time_takes_the_date_named_before_it_in_the_sentence():
    found = times("Filed 24 Dec, 2024 15:04 by the night desk.")
    assert [(t.text, t.value) for t in found] == [("24 Dec, 2024", "2024-12-24"), ("15:04", "2024-12-24T15:04")]


def test_anaphoric_expressions_count_from_the_last_date_mentioned():
    found = times("The talks opened on 3 March 2022. The next day, the delegations left.")
    assert [(t.text, t.value) for t in found] == [("3 March 2022", "2022-03-03"), ("The next day", "2022-03-04")]
    found = times("Sales rose to $6 million in the third quarter from $5 million a year earlier.")
    assert [(t.text, t.value) for t in found] == [("the third quarter", "2024-Q3"), ("a year earlier", "2023-Q3")]


def test_several_expressions_in_text_order_with_their_sentences():
    text = "Peskov spoke on Monday. Talks resume in June.\nThe envoy said last year was hard."
    sentences = [Sentence(0, 0, 23), Sentence(1, 24, 45), Sentence(2, 46, len(text))]
    found = times(text, sentences=sentences)
    assert [(t.text, t.sentence) for t in found] == [("Monday", 0), ("June", 1), ("last year", 2)]
    assert all(t.sentence == -1 for t in times(text))


def test_datetime_reference_is_taken_as_its_date():
    assert one("It rained yesterday.", datetime(2024, 12, 10, 23, 59)).value == "2024-12-09"


def test_words_that_only_look_like_dates_are_left_alone():
    assert times("Theresa May may march in the 2000 troops parade; I spent 2000 dollars.") == []


def test_pathological_input_returns():
    assert times("7" * 10_000) == []
    words = "the court said Monday that 12 May and the year 2000 a day of 3:04 in the fall ".split()
    text = " ".join(words[i % len(words)] for i in range(100_000))
    found = find_times(text, REF)
    assert len(found) > 1000 and all(text[t.start:t.end] == t.text for t in found[:50])
