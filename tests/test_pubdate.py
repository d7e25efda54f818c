"""Publication-date ranges inferred for undated articles from the dates their text names."""

from __future__ import annotations

from datetime import date

from storyline.extract.pubdate import infer_published, period
from storyline.records import Sentence, TimeExpr


def t(text: str, start: int, value: str, basis: str = "explicit") -> TimeExpr:
    return TimeExpr(start, start + len(text), text, "DATE", value, None, basis)


def test_periods():
    assert period("2024-12-09") == (date(2024, 12, 9), date(2024, 12, 9))
    assert period("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert period("2022-FA") == (date(2022, 9, 1), date(2022, 11, 30))
    assert period("2024-WI") == (date(2024, 12, 1), date(2025, 2, 28))
    assert period("2024-W50") == (date(2024, 12, 9), date(2024, 12, 15))
    assert period("2023") == (date(2023, 1, 1), date(2023, 12, 31))
    assert period("PRESENT_REF") is None and period(None) is None


def test_range_starts_at_the_latest_past_date_and_ends_before_an_announced_one():
    text = "Talks collapsed on 3 March 2024. The envoy will visit on 20 May 2024 to try again."
    times = [t("3 March 2024", 19, "2024-03-03"), t("20 May 2024", 57, "2024-05-20")]
    sentences = [Sentence(0, 0, 32), Sentence(1, 33, len(text))]
    r = infer_published(text, times, sentences, today=date(2026, 1, 1))
    assert (r.start, r.end, r.basis) == ("2024-03-03", "2024-05-19", "inferred")


def test_no_explicit_date_no_range_and_never_after_today():
    text = "The mayor said on Monday that the work would finish soon."
    assert infer_published(text, [t("Monday", 17, None, basis="relative")], today=date(2026, 1, 1)) is None
    r = infer_published("It began in 2025.", [t("2025", 12, "2025")], today=date(2025, 6, 1))
    assert (r.start, r.end) == ("2025-01-01", "2025-06-01")
