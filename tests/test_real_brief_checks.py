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
