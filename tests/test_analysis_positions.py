"""Positions: demands, offers, rejections, conditions, support and opposition credited to their holder (and to
who reported them, when that is someone else), dated; actions are not positions; changes of a holder's
position across dates, each citing both positions."""

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
                      "\"We will lift the blockade only if the ministry signs the agreement,\" Pop said. "
                      "Mayor Ion Dobre said he supports the new timetable for the ferries. "
                      "Senator Ana Mirea said she will vote against the port budget."},
}


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    db, ids = ingest(tmp_path_factory.mktemp("positions"), ARTICLES)
    with Store(db, readonly=True) as store:
        out = positions.extract(store, story(ids, list(ARTICLES)))
    check_provenance(db, [{**p, "text": p["text"]} for p in out])
    return out


@pytest.mark.parametrize("kind,holder,words", [
    ("demand", "Pop", "raise wages"),
    ("reject", "Stan", "rejected the demand"),
    ("offer", "Stan", "ready to open talks"),
    ("condition", "Pop", "only if the ministry signs"),
    ("support", "Dobre", "supports the new timetable"),
    ("oppose", "Mirea", "vote against the port budget"),
])
def test_each_type_with_its_holder(found: list[dict], kind: str, holder: str, words: str) -> None:
    hits = [p for p in found if p["type"] == kind and words in p["text"]]
    assert hits, f"no {kind} with {words!r} in {[(p['type'], p['text']) for p in found]}"
    assert holder in hits[0]["holder"]["name"] and hits[0]["reported_by"] is None
    assert hits[0]["date"] and hits[0]["date_basis"] and hits[0]["outlet"] == "Port Wire"
    assert hits[0]["sentence"]["start"] <= hits[0]["start"] < hits[0]["end"] <= hits[0]["sentence"]["end"]
    assert hits[0]["content"]


def test_sorted_by_holder_then_date(found: list[dict]) -> None:
    keys = [(p["holder"]["name"].casefold(), p["date"] or "") for p in found]
    assert keys == sorted(keys)


def _position(kind: str, text: str, date: str, start: int, holder: str = "Elena Stan") -> dict:
    return {"holder": {"entity_id": 7 if holder == "Elena Stan" else 8, "name": holder}, "reported_by": None,
            "type": kind, "text": text, "content": text, "date": date, "date_basis": "said", "article_id": f"a{start}",
            "start": start, "end": start + len(text), "sentence": {"start": start, "end": start + len(text)},
            "outlet": "Port Wire", "quote_id": None}


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


def test_changes_compare_one_holder_never_another() -> None:
    history = [_position("reject", "we will not negotiate under the pressure of a blockade", "2025-09-01", 0),
               _position("offer", "we are ready to negotiate despite the blockade", "2025-09-08", 200, "Victor Pop")]
    assert positions.changes(history) == []


# written for these tests: a spokesman reporting the other side's refusal, a spokesman's "we", a holder reported
# by someone else, who "she" is, a role as the subject, actions that are no positions
CREDIT = {
    "credit": {"outlet": "Harbour Daily", "published": "2025-09-03", "title": "Ferry talks stall",
               "text": "Kremlin spokesman Dmitry Peskov said on Tuesday that Ukraine refused to hold talks. "
                       "\"We remain open to negotiations,\" Peskov said. "
                       "\"We are ready to meet the crews on Friday,\" Transport Minister Elena Stan said on Tuesday. "
                       "She said the ministry would not accept a blockade of the ferry terminals. "
                       "The union turned down the offer of talks. "
                       "The Senate voted down the port budget on Wednesday. "
                       "President Maria Lungu signed the ferry bill into law. "
                       "The ministry offered no details about the new timetable. "
                       "Union leader Victor Pop said on Tuesday that the ministry must publish the safety report. "
                       "Stan said the ministry would not sign a deal while the terminals were blocked. "
                       "\"This plan is a disaster for the islands,\" Mayor Ion Dobre said. "
                       "Stan said the union must first end the blockade. "
                       "Pop urged the Senate to repeal the ferry levy. "
                       "A Harbour Council statement rejected any delay to the dredging. "
                       "\"If the union lifts the blockade, we will reopen the talks,\" Stan said. "
                       "Former Harbour Gov. Radu Marin toured the docks on Monday. "
                       "The former governor vowed to scrap the ferry levy. "
                       "The union will vote to overturn the port budget, Pop said. "
                       "The Senate voted to abolish the harbour tax in May. "
                       "Stan said the ministry will not implement the new fishing quotas. "
                       "Anna Ross, director of the Islands Ferry Alliance, said the group supports the timetable. "
                       "\"We will not accept the new pier,\" said Daniel Moore, executive director of the Harbour Trust. "
                       "\"I back the dredging plan,\" the former governor said. "
                       "\"We need to find out what happened first,\" Stan said. "
                       "Pop said the council has until Friday to decide on the levy. "
                       "\"The levy is a disgrace and a betrayal,\" said Carl Webb, president of the Senate Harbour Fund."},
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
    assert len(hits) == 1, f"{words!r}: {[(p['type'], p['holder']['name'], p['text']) for p in found]}"
    return hits[0]


def test_a_spokesman_reporting_the_other_side_credits_the_other_side(credited: list[dict]) -> None:
    p = _one(credited, "refused to hold talks")
    assert p["type"] == "reject" and p["holder"]["name"] == "Ukraine"
    assert "Peskov" in (p["reported_by"] or {}).get("name", "")


def test_a_spokesmans_we_is_his_body(credited: list[dict]) -> None:
    p = _one(credited, "open to negotiations")
    assert p["type"] == "offer" and p["holder"]["name"] == "Kremlin"
    assert "Peskov" in (p["reported_by"] or {}).get("name", "")


def test_she_said_is_the_latest_speaker(credited: list[dict]) -> None:
    p = _one(credited, "accept a blockade")
    assert p["type"] == "reject" and "ministry" in p["holder"]["name"]
    assert "Stan" in (p["reported_by"] or {}).get("name", "")


def test_a_role_subject_is_the_holder(credited: list[dict]) -> None:
    p = _one(credited, "the offer of talks")
    assert p["type"] == "reject" and p["holder"]["name"] == "union"


def test_actions_are_no_positions(credited: list[dict]) -> None:
    assert not [p for p in credited if "voted down" in p["text"] or "signed" in p["text"]
                or "no details" in p["text"]], [(p["type"], p["text"]) for p in credited]


def test_an_obligation_laid_on_someone_else_is_the_speakers_demand(credited: list[dict]) -> None:
    p = _one(credited, "safety report")
    assert p["type"] == "demand" and "Pop" in p["holder"]["name"]


def test_would_not_sign_is_a_refusal_of_the_body_reported_by_its_minister(credited: list[dict]) -> None:
    p = _one(credited, "sign a deal")
    assert p["type"] == "reject" and "ministry" in p["holder"]["name"]
    assert "Stan" in (p["reported_by"] or {}).get("name", "")


def test_judging_speech_is_its_speakers_opposition(credited: list[dict]) -> None:
    p = _one(credited, "disaster for the islands")
    assert p["type"] == "oppose" and "Dobre" in p["holder"]["name"]


def test_must_first_is_a_precondition_not_a_demand(credited: list[dict]) -> None:
    p = _one(credited, "end the blockade")
    assert p["type"] == "condition" and "Stan" in p["holder"]["name"] + str(p["reported_by"])


def test_an_if_clause_before_the_speakers_own_move_is_a_condition(credited: list[dict]) -> None:
    p = _one(credited, "reopen the talks")
    assert p["type"] == "condition" and ("Stan" in p["holder"]["name"] or "inist" in p["holder"]["name"])


def test_a_demand_to_repeal_is_opposition(credited: list[dict]) -> None:
    p = _one(credited, "repeal the ferry levy")
    assert p["type"] == "oppose" and "Pop" in p["holder"]["name"]


def test_a_statement_speaks_for_its_issuer(credited: list[dict]) -> None:
    p = _one(credited, "delay to the dredging")
    assert p["type"] == "reject" and p["holder"]["name"] == "Harbour Council"   # not "a ... statement"


def test_the_former_governor_is_the_person_named_with_that_title(credited: list[dict]) -> None:
    p = _one(credited, "scrap the ferry levy")
    assert p["type"] == "oppose" and p["holder"]["name"] == "Radu Marin"


def test_a_vote_announced_to_undo_something_is_opposition_a_vote_cast_is_an_action(credited: list[dict]) -> None:
    p = _one(credited, "overturn the port budget")
    assert p["type"] == "oppose" and "union" in p["holder"]["name"]
    assert not [p for p in credited if "harbour tax" in p["text"]]


def test_will_not_implement_is_a_refusal(credited: list[dict]) -> None:
    p = _one(credited, "fishing quotas")
    assert p["type"] == "reject" and "ministry" in p["holder"]["name"]


def test_the_group_is_the_organisation_last_named(credited: list[dict]) -> None:
    p = _one(credited, "supports the timetable")
    assert p["type"] == "support" and p["holder"]["name"] == "Islands Ferry Alliance"
    assert "Ross" in (p["reported_by"] or {}).get("name", "")


def test_an_officers_we_is_the_organisation_in_his_title(credited: list[dict]) -> None:
    p = _one(credited, "the new pier")
    assert p["type"] == "reject" and p["holder"]["name"] == "Harbour Trust"


def test_the_former_governor_said_is_the_person_so_titled(credited: list[dict]) -> None:
    p = _one(credited, "the dredging plan")
    assert p["type"] == "support" and p["holder"]["name"] == "Radu Marin"


def test_we_need_to_and_a_deadline_are_no_demands(credited: list[dict]) -> None:
    assert not [p for p in credited if "find out what happened" in p["text"] or "until Friday" in p["text"]
                or "decide on the levy" in p["text"]], [(p["type"], p["text"]) for p in credited]


def test_the_president_of_a_fund_named_after_a_chamber_speaks_for_the_fund(credited: list[dict]) -> None:
    p = _one(credited, "a disgrace and a betrayal")
    assert p["type"] == "oppose" and p["holder"]["name"] == "Senate Harbour Fund"
    assert "Webb" in (p["reported_by"] or {}).get("name", "")
