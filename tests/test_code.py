"""``storyline code`` and ``storyline.api.code``: any text coded as political events without a store (real
spaCy parse), and the coder behaviours it exposes: the main event first through reporting frames, intents,
joint sources, passives with an agent, places as targets, the organisations and leaders tables."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from storyline import api
from storyline.cli import app
from storyline.errors import DecodeError, UsageError
from storyline.polevents import SECTORS, load_lexicon

runner = CliRunner()
KEYS = {"event_type", "mode", "negated", "hedged", "source", "target", "trigger", "start", "end"}


def main(text: str) -> dict:
    [row] = api.code([text])
    assert row["events"], f"nothing coded in {text!r}"
    return row["events"][0]


def triple(text: str) -> tuple:
    e = main(text)
    return e["event_type"], e["source"]["country"], (e["target"] or {}).get("country")


def test_api_code_returns_one_object_per_text_with_the_contract_keys():
    texts = ["Russian forces shelled the Ukrainian town of Kupiansk on Tuesday.",
             {"id": "x-1", "text": "The weather was mild all week.", "date": "2024-03-01"}]
    rows = api.code(texts, date="2024-02-01")
    assert [r["id"] for r in rows] == [1, "x-1"]
    assert set(rows[0]) == {"id", "events"} and rows[1]["events"] == []
    event = rows[0]["events"][0]
    assert set(event) == KEYS
    assert set(event["source"]) == {"name", "country", "sector"}
    assert texts[0][event["start"]:event["end"]] == event["trigger"] == "shelled"
    assert (event["event_type"], event["source"]["country"], event["target"]["country"]) == ("ASSAULT", "RUS", "UKR")
    with pytest.raises(UsageError):
        api.code(["x"], date="March 1st")
    with pytest.raises(DecodeError):
        api.code([{"id": 1}])


def test_cli_code_reads_json_lines_and_plain_lines_and_skips_bad_lines(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "Poland urged Germany to send more tanks."}\n'
                   "\n"
                   "Turkey refused to meet the Greek delegation.\n"
                   '{"id": "b", "text": 7}\n'
                   "{not json\n"
                   '{"id": "c", "text": "Egypt sent humanitarian aid to Sudan.", "date": "2024-13-01"}\n', encoding="utf-8")
    result = runner.invoke(app, ["code", str(src)])
    assert result.exit_code == 1   # some lines were skipped
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", 3]
    assert rows[0]["events"][0]["event_type"] == "REQUEST" and rows[1]["events"][0]["event_type"] == "REJECT"
    for message in ("line 4", "line 5", "line 6"):
        assert message in result.stderr
    whole = runner.invoke(app, ["code", "-", "--format", "json", "--date", "2024-05-01"],
                          input="Iran threatened to close the Strait of Hormuz.\n")
    assert whole.exit_code == 0
    [row] = json.loads(whole.stdout)
    assert row["id"] == 1 and row["events"][0]["event_type"] == "THREATEN"
    assert runner.invoke(app, ["code", str(tmp_path / "missing.jsonl")]).exit_code == 2
    assert runner.invoke(app, ["code", "-", "--date", "soon"], input="x\n").exit_code == 2


@pytest.mark.parametrize("text, expected", [
    # the reporting frame is looked through: the reported event is the main one
    ("Kenya and Somalia have agreed to reopen their border, a foreign ministry spokesman said on Monday.",
     ("AGREE", "KEN", None)),
    ("The Chilean navy attacked a fishing fleet off the coast of Peru, officials in Lima reported.",
     ("ASSAULT", "CHL", "PER")),
    # an intent: cooperation announced is AGREE, harm announced THREATEN, cooperation refused REJECT
    ("Norway will give Malawi a loan of 40 million dollars, the ministry said.", ("AGREE", "NOR", "MWI")),
    ("Bolivian farmers said they would block the roads to La Paz.", ("THREATEN", "BOL", None)),
    ("Jordan says it will not accept any more refugees from Syria.", ("REJECT", "JOR", "SYR")),
    # the object decides the sense: inspectors withdrawn is a sanction, troops withdrawn a retreat
    ("Canada withdrew its election observers from Haiti.", ("SANCTION", "CAN", "HTI")),
    ("Armenia withdrew its troops from the disputed village.", ("RETREAT", "ARM", None)),
    ("The Thai government lifted the curfew in Bangkok.", ("CONCEDE", "THA", "THA")),
    # a passive with an agent: the agent acts, the subject suffers
    ("A Nigerian army convoy was ambushed by Boko Haram fighters near Maiduguri.", ("ASSAULT", "NGA", "NGA")),
    ("Colombian soldiers were attacked by FARC rebels.", ("ASSAULT", "COL", "COL")),
    # organisations and leaders from the shipped tables; a place where an action falls is its target
    ("Hezbollah fired rockets at Israeli towns.", ("ASSAULT", "LBN", "ISR")),
    ("Amnesty International accused Egypt of torturing detainees.", ("ACCUSE", "NGO", "EGY")),
    ("Putin offered to negotiate with Ukrainian leaders.", ("AGREE", "RUS", "UKR")),
    ("Police imposed a curfew in Islamabad after the riots.", ("COERCE", "PAK", "PAK")),
])
def test_main_event_type_and_actor_countries(text, expected):
    assert triple(text) == expected


def test_conjoined_subjects_are_one_joint_source_and_other_clauses_come_after_the_main_one():
    joint = main("Peru and Ecuador signed a border agreement in Brasilia.")
    assert joint["source"]["name"] == "Peru and Ecuador" and joint["target"] is None
    [row] = api.code(["Syrian troops shelled Idlib on Monday. The United Nations condemned the attack, "
                      "a spokesman said."])
    types = [e["event_type"] for e in row["events"]]
    assert types[0] == "ASSAULT" and "ACCUSE" in types


def test_places_are_locations_not_actors_of_meetings_and_a_refusal_is_no_negated_act():
    talks = main("Serbian and Kosovar negotiators held talks in Brussels on Friday.")
    assert talks["event_type"] == "CONSULT" and (talks["target"] or {}).get("country") != "EU"
    refused = main("Hungary refused to release the detained journalists.")
    assert (refused["event_type"], refused["negated"]) == ("REJECT", False)
    denied = main("The Russian army denied attacking Ukrainian positions.")
    assert (denied["event_type"], denied["negated"]) == ("ASSAULT", True)


def test_organisations_and_leaders_tables_load_with_codes_and_sectors():
    lex = load_lexicon()
    for name, code, sector in lex.organisations.values():
        assert code and sector in SECTORS, name
    assert lex.organisations["hamas"][1:] == ("PSE", "rebel")
    assert lex.organisations["the united nations"][1] == "UN"
    assert lex.leaders["vladimir putin"] == "RUS" and lex.leaders["putin"] == "RUS"
    assert "bush" in lex.leaders and lex.leaders["bush"] == "USA"
    assert "abdullah" not in lex.leaders   # a surname borne by leaders of several countries is no match alone
