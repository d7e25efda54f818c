"""Conflicts across sources: hedged numbers as ranges, decree vs law, a negated quote variant, a speaker
conflict, an event date, a meeting place within one article, and what must not be a conflict (the same
figure worded differently, overlapping ranges)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.analysis import conflicts
from storyline.analysis.numbers import quantities
from storyline.analysis.words import fold
from storyline.store import Store

from analysis_support import check_provenance, ingest, story

FERRY = "Ferry tariffs on the Danube crossings will stay frozen until the end of the summer season"
LEAD = "The border crossing at Vama Veche was closed to freight traffic on Monday"
ARTICLES = {
    "north": {"outlet": "North Wire", "published": "2025-03-03", "title": "Lorries stranded at Vama Veche",
              "text": f"{LEAD}, and around 1,200 lorries were stuck in the queue at the crossing. "
                      "The closure was ordered by a presidential decree that bans freight traffic through the "
                      "crossing until the bridge repairs end. "
                      "\"We will not accept a closure that cuts our town off from the coast,\" Mayor Ion Radu said."},
    "south": {"outlet": "South Daily", "published": "2025-03-03", "title": "Queue of lorries grows at crossing",
              "text": f"{LEAD}, and more than 3,000 lorries were stuck in the queue at the crossing. "
                      "The closure was ordered by a law that bans freight traffic through the crossing until the "
                      "bridge repairs end. "
                      "\"We will accept a closure that cuts our town off from the coast,\" Mayor Ion Radu said."},
    "east": {"outlet": "East Herald", "published": "2025-03-03", "title": "Freight halted at Vama Veche",
             "text": f"{LEAD}, and some 1,250 lorries were stuck in the queue at the crossing. "
                     "Roughly 1,200 lorries were stuck in the queue at the crossing by the evening, officials said."},
    "west": {"outlet": "West Courier", "published": "2025-03-03", "title": "Mayor and governor on the closure",
             "text": f"{LEAD}. "
                     "\"We will not accept a closure that cuts our town off from the coast,\" Governor Maria Stan "
                     "said."},
    "deal-a": {"outlet": "North Wire", "published": "2025-04-02", "title": "Sulina dock strike ends",
               "text": "The port authority and the dockers' union signed an agreement on March 1 ending the strike "
                       "at the port of Sulina. Mayor Ion Radu met Governor Maria Stan in Constanta on Monday to "
                       "discuss the closure of the crossing. Ferries will resume next week. During their Tulcea "
                       "meeting, Radu pressed Stan on the date the crossing would reopen."},
    "deal-b": {"outlet": "South Daily", "published": "2025-04-02", "title": "Dockers return to work in Sulina",
               "text": "The port authority and the dockers' union signed an agreement on April 1 ending the strike "
                       "at the port of Sulina, and work resumed on the quays."},
    "sign-a": {"outlet": "North Wire", "published": "2025-05-06", "title": "Ferry tariffs frozen",
               "text": f"{FERRY}. The order freezing the ferry tariffs was signed by Transport Minister Dan Pavel "
                       "late on Monday evening in Bucharest."},
    "sign-b": {"outlet": "South Daily", "published": "2025-05-06", "title": "Ferry fares stay as they are",
               "text": f"{FERRY}. The order freezing the ferry tariffs was signed by Transport Minister Vlad Ionescu "
                       "late on Monday evening in Bucharest."},
    "sign-c": {"outlet": "East Herald", "published": "2025-05-06", "title": "Ministers freeze ferry fares",
               "text": f"{FERRY}. The order freezing the ferry tariffs was signed by Transport Minister Vlad Ionescu "
                       "late on Monday evening in Bucharest. Finance Minister Dan Pavel approved the cost."},
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    return ingest(tmp_path_factory.mktemp("conflicts"), ARTICLES)


def _find(corpus: tuple[str, dict[str, str]], keys: list[str]) -> list[dict]:
    db, ids = corpus
    with Store(db, readonly=True) as store:
        found = conflicts.find(store, story(ids, keys))
    check_provenance(db, [s for c in found for s in c["sides"]])
    return found


def _kinds(found: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for c in found:
        out.setdefault(c["kind"], []).append(c)
    return out


def test_hedges_read_as_ranges() -> None:
    (around,) = quantities("around 1,200 lorries")
    assert (around.low, around.high) == pytest.approx((1140, 1260))
    (upwards,) = quantities("upwards of 150,000 servicemen")
    assert upwards.low == 150000 and upwards.high == float("inf")
    (tens,) = quantities("tens of thousands of soldiers")
    assert (tens.low, tens.high) == (20000, 99999) and not tens.exact
    (least,) = quantities("at least 12 people")
    assert least.low == 12 and not least.overlaps(quantities("at most 10 people")[0])
    assert least.overlaps(quantities("14 people")[0])
    assert not quantities("in 2022 the council met") and quantities("a 25 per cent rise")[0].unit == "%"
    (wrapped,) = quantities("more  than\n1,500 troops killed each day")
    assert wrapped.low == 1500 and wrapped.high == float("inf") and wrapped.rate == "day"
    assert quantities("pledged €120 million")[0].low == 120_000_000


def test_number_decree_law_and_negated_quote(corpus: tuple[str, dict[str, str]]) -> None:
    kinds = _kinds(_find(corpus, ["north", "south"]))
    (number,) = kinds["number"]
    assert {s["value"] for s in number["sides"]} == {"around 1,200", "more than 3,000"}
    (instrument,) = kinds["instrument"]
    assert {s["value"] for s in instrument["sides"]} == {"presidential decree", "law"}
    (quote,) = kinds["quote"]
    assert "negation" in quote["about"] and len({s["article_id"] for s in quote["sides"]}) == 2
    assert "speaker" not in kinds  # one mayor, credited alike


def test_speaker_conflict(corpus: tuple[str, dict[str, str]]) -> None:
    kinds = _kinds(_find(corpus, ["north", "west"]))
    (speaker,) = kinds["speaker"]
    assert {s["value"] for s in speaker["sides"]} == {"Ion Radu", "Maria Stan"}
    assert 0 < speaker["confidence"] <= 1


def test_same_figure_other_wording_and_overlapping_ranges_are_no_conflict(
        corpus: tuple[str, dict[str, str]]) -> None:
    # "around 1,200" / "some 1,250" / "Roughly 1,200" overlap: no conflict, within or across articles
    assert "number" not in _kinds(_find(corpus, ["north", "east"]))


def test_event_date_and_meeting_place(corpus: tuple[str, dict[str, str]]) -> None:
    kinds = _kinds(_find(corpus, ["deal-a", "deal-b"]))
    (date,) = kinds["date"]
    assert sorted(s["value"] for s in date["sides"]) == ["April 1 (2025-04-01)", "March 1 (2025-03-01)"]
    (place,) = kinds["place"]  # one article with itself
    assert {fold(s["value"]) for s in place["sides"]} == {"constanta", "tulcea"}  # canonical names
    assert len({s["article_id"] for s in place["sides"]}) == 1


def test_sorted_by_confidence(corpus: tuple[str, dict[str, str]]) -> None:
    found = _find(corpus, ["north", "south", "east", "west"])
    assert found and [c["confidence"] for c in found] == sorted((c["confidence"] for c in found), reverse=True)
    assert all(len(c["sides"]) >= 2 and c["about"] for c in found)


def test_one_act_credited_to_two_people(corpus: tuple[str, dict[str, str]]) -> None:
    (person,) = _kinds(_find(corpus, ["sign-a", "sign-b"]))["person"]
    assert {s["value"] for s in person["sides"]} == {"Dan Pavel", "Vlad Ionescu"}
    # an article naming both people knows both took part: who signed is then not disputed by it
    assert "person" not in _kinds(_find(corpus, ["sign-a", "sign-c"]))
