"""Positions: demands, offers, rejections and conditions credited to their actor and dated; changes of
an actor's position across dates, each citing both positions."""

from __future__ import annotations

import pytest
from analysis_support import check_provenance, ingest, story

from storyline.analysis import positions
from storyline.store import Store

ARTICLES = {
    "talks": {"outlet": "Port Wire", "published": "2025-09-01", "title": "Dockers and ministry trade terms",
              "text": "Union leader Victor Pop called on the government to raise wages by 20 per cent. "
                      "Transport Minister Elena Stan rejected the demand on Monday. "
                      "\"We are ready to open talks with the union this week,\" Stan said. "
                      "\"We will lift the blockade only if the ministry signs the agreement,\" Pop said."},
}


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    db, ids = ingest(tmp_path_factory.mktemp("positions"), ARTICLES)
    with Store(db, readonly=True) as store:
        out = positions.extract(store, story(ids, list(ARTICLES)))
    check_provenance(db, [{**p, "text": p["text"]} for p in out])
    return out


@pytest.mark.parametrize("kind,actor,words", [
    ("demand", "Pop", "raise wages"),
    ("reject", "Stan", "rejected the demand"),
    ("offer", "Stan", "ready to open talks"),
    ("condition", "Pop", "only if the ministry signs"),
])
def test_each_type_with_its_actor(found: list[dict], kind: str, actor: str, words: str) -> None:
    hits = [p for p in found if p["type"] == kind and words in p["text"]]
    assert hits, f"no {kind} with {words!r} in {[(p['type'], p['text']) for p in found]}"
    assert actor in hits[0]["actor"]["name"]
    assert hits[0]["date"] and hits[0]["date_basis"] and hits[0]["outlet"] == "Port Wire"
    assert hits[0]["sentence"]["start"] <= hits[0]["start"] < hits[0]["end"] <= hits[0]["sentence"]["end"]


def test_sorted_by_actor_then_date(found: list[dict]) -> None:
    keys = [(p["actor"]["name"].casefold(), p["date"] or "") for p in found]
    assert keys == sorted(keys)


def _position(kind: str, text: str, date: str, start: int) -> dict:
    return {"actor": {"entity_id": 7, "name": "Elena Stan"}, "type": kind, "text": text, "date": date,
            "date_basis": "said", "article_id": f"a{start}", "start": start, "end": start + len(text),
            "sentence": {"start": start, "end": start + len(text)}, "outlet": "Port Wire", "quote_id": None}


def test_changes_cite_both_positions() -> None:
    history = [
        _position("reject", "we will not negotiate under the pressure of a blockade", "2025-09-01", 0),
        _position("condition", "talks only once the union lifts the blockade of the grain berths", "2025-09-01", 100),
        _position("offer", "we are ready to negotiate despite the blockade", "2025-09-08", 200),
    ]
    found = {c["change"]: c for c in positions.changes(history)}
    assert found["changed"]["before"]["type"] == "reject" and found["changed"]["after"]["type"] == "offer"
    assert found["dropped"]["before"]["text"].startswith("talks only once")
    assert found["dropped"]["after"]["date"] == "2025-09-08"
    assert all(c["from_date"] < c["to_date"] for c in found.values())
    assert positions.changes(history[:2]) == []  # one date: nothing to compare


# written for these tests: who "she" is, a role as the subject, a capital standing for its country, a
# demand recalled as background, and a modal after "said that"
CREDIT = {
    "credit": {"outlet": "Harbour Daily", "published": "2025-09-03", "title": "Ferry talks stall",
               "text": "\"We are ready to meet the crews on Friday,\" Transport Minister Elena Stan said on Tuesday. "
                       "She said the ministry would not accept a blockade of the ferry terminals. "
                       "The union turned down the offer of talks. "
                       "Athens has rejected the new fishing quotas as unfair to island ports. "
                       "The talks began a day after Mayor Ion Dobre called for a new timetable for the ferries. "
                       "Union leader Victor Pop said on Tuesday that the ministry must publish the safety report. "
                       "Stan said the ministry would not sign a deal while the terminals were blocked."},
}


@pytest.fixture(scope="module")
def credited(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    db, ids = ingest(tmp_path_factory.mktemp("credit"), CREDIT)
    with Store(db, readonly=True) as store:
        out = positions.extract(store, story(ids, list(CREDIT)))
    check_provenance(db, out)
    return out


def _one(found: list[dict], words: str) -> dict:
    hits = [p for p in found if words in p["text"]]
    assert len(hits) == 1, f"{words!r}: {[(p['type'], p['actor']['name'], p['text']) for p in found]}"
    return hits[0]


def test_she_said_is_the_latest_speaker(credited: list[dict]) -> None:
    p = _one(credited, "would not accept a blockade")
    assert p["type"] == "reject" and "Stan" in p["actor"]["name"]


def test_a_role_subject_is_the_actor_and_a_stance_verb_heads_the_text(credited: list[dict]) -> None:
    p = _one(credited, "the offer of talks")
    assert p["type"] == "reject" and p["actor"] == {"entity_id": None, "name": "union"}
    assert p["text"].startswith("turned down")


def test_a_capital_stands_for_its_country(credited: list[dict]) -> None:
    p = _one(credited, "fishing quotas")
    assert p["type"] == "reject" and p["actor"]["name"] == "Greece"


def test_background_demands_and_framing(credited: list[dict]) -> None:
    assert not [p for p in credited if "timetable" in p["text"]]  # recalled: "a day after X called for"
    p = _one(credited, "safety report")
    assert p["type"] == "demand" and "Pop" in p["actor"]["name"]
    assert p["text"] == "the ministry must publish the safety report"


def test_a_refusal_under_circumstances_is_a_condition(credited: list[dict]) -> None:
    p = _one(credited, "while the terminals were blocked")
    assert p["type"] == "condition" and "Stan" in p["actor"]["name"]
