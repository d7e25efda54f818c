"""Political events: the PLOVER coder on hand-written sentences (real spaCy parse), actors with country and
sector, negation and hedging, deduplication across copies and rewrites in a real store, the CLI and API."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import storyline
from storyline.api import political_events
from storyline.cli import app
from storyline.pipeline import analyse_batch, process
from storyline.polevents import PLOVER_TYPES, load_lexicon
from storyline.records import RawDocument
from storyline.store.polevents import deduplicate

runner = CliRunner()
SHORT = storyline.Settings(min_text_chars=10)   # one sentence is an article here


def coded(text: str, published: str = "2024-12-09") -> list:
    """The events the per-article pipeline codes in ``text``."""
    article = process(RawDocument(origin="t.txt", body=text, fmt="text", published=published), SHORT)
    analysis = analyse_batch([article], storyline.Settings())[0]
    return list(analysis.polevents)


def one(text: str):
    events = coded(text)
    assert len(events) >= 1, text
    return events[0]


@pytest.mark.parametrize("text, kind, source, target", [
    ("Russian forces shelled the Ukrainian town of Kupiansk on Tuesday.", "ASSAULT", "RUS", "UKR"),
    ("Russia launched a large missile and drone attack on Ukraine's energy grid on Friday.", "ASSAULT", "RUS", "UKR"),
    ("The French president met Chinese leaders in Beijing to discuss trade.", "CONSULT", "FRA", "CHN"),
    ("Kyiv accused Moscow of deliberately targeting power stations.", "ACCUSE", "UKR", "RUS"),
    ("Poland urged Germany to send more tanks.", "REQUEST", "POL", "DEU"),
    ("Turkey refused to meet the Greek delegation.", "REJECT", "TUR", "GRC"),
    ("Egypt announced new humanitarian aid for Sudan.", "AID", "EGY", "SDN"),
    ("Police in Nigeria arrested dozens of protesters in Lagos.", "COERCE", "NGA", "NGA"),
    ("The European Union imposed sanctions against Belarus.", "SANCTION", "EU", "BLR"),
    ("Iran threatened to close the Strait of Hormuz.", "THREATEN", "IRN", None),
])
def test_coder_types_and_actor_countries(text, kind, source, target):
    events = [e for e in coded(text) if e.event_type == kind]
    assert events, f"{kind} not coded in {text!r}: {coded(text)}"
    e = events[0]
    assert e.source_country == source
    assert e.target_country == target
    assert text[e.start:e.end].strip() == text.strip()   # the sentence's offsets
    assert text[e.trigger_start:e.trigger_end] == e.action


def test_modes_from_framing_and_patterns():
    assert one("Ukraine refused to meet Russian negotiators in Istanbul.").mode == "meet"
    assert one("Police arrested the opposition leader in Minsk.").mode == "arrest"
    threat = one("Iran vowed to attack Israeli bases.")
    assert (threat.event_type, threat.mode) == ("THREATEN", "violence")


def test_negation_and_hedging():
    plain = one("Russian forces attacked Ukrainian positions near Kupiansk.")
    assert not plain.negated and not plain.hedged
    assert one("Russian forces did not attack Ukrainian positions near Kupiansk.").negated
    assert one("Russian forces never attacked Ukrainian positions near Kupiansk.").negated
    denied = one("The Russian army denied attacking Ukrainian positions near Kupiansk.")
    assert (denied.event_type, denied.negated) == ("ASSAULT", True)
    assert one("Russian forces reportedly attacked Ukrainian positions near Kupiansk.").hedged
    assert one("Russian forces allegedly attacked Ukrainian positions near Kupiansk.").hedged
    rejected = coded("Moscow demanded that Ukraine withdraw. Kyiv refused to withdraw its troops.")[-1]
    assert (rejected.event_type, rejected.negated, rejected.target_country) == ("REJECT", False, "RUS")


def test_actor_country_and_sector():
    e = one("Kremlin spokesperson Dmitry Peskov accused Kiev of sabotaging the talks.")
    assert (e.source_name, e.source_country, e.source_sector) == ("Dmitry Peskov", "RUS", "government")
    assert (e.target_country, e.target_sector) == ("UKR", "government")   # "Kiev" as an actor
    military = one("Ukrainian troops attacked Russian positions near Bakhmut.")
    assert (military.source_country, military.source_sector) == ("UKR", "military")
    rebels = one("Rebels ambushed a Malian army convoy.")
    assert rebels.source_sector == "rebel"
    union = one("Striking Romanian workers rallied outside the Transport Ministry in Bucharest.")
    assert (union.event_type, union.source_country, union.source_sector) == ("PROTEST", "ROU", "civilian")
    assert union.location == "Bucharest"


def test_date_is_resolved_from_the_clause_else_the_publication_date():
    dated = one("Russia launched a missile attack on Ukraine on Friday.")
    assert (dated.date, dated.date_basis) == ("2024-12-06", "text")
    undated = one("Russia launched a missile attack on Ukraine.")
    assert (undated.date, undated.date_basis) == ("2024-12-09", "publication")


def test_no_actor_no_event_and_odd_text_does_not_fail():
    assert coded("Flash floods killed at least twelve people in eastern Romania.") == []
    assert coded("The weather was mild and the markets were calm all week long.") == []
    odd = "\u202e" + "attack " * 400 + "\x00 ???"
    article = process(RawDocument(origin="x.txt", body=odd, fmt="text"), SHORT)
    analysis = analyse_batch([article], storyline.Settings())[0]
    assert not any("political events failed" in n for n in analysis.notes)


def test_pattern_file_holds_only_plover_types():
    lex = load_lexicon()
    assert {c.type for c in [*lex.verbs.values(), *lex.nouns.values()]} == set(PLOVER_TYPES)
    assert lex.countries["ukrainian"] == "UKR" and lex.capitals["kyiv"] == "UKR"


# -- the store: deduplication across copies and rewrites ---------------------------------------------------

ATTACK = ("Russia launched a large missile and drone attack on Ukraine's energy system on Friday, damaging "
          "power plants in several regions. Ukrainian officials said the strikes left thousands of homes without "
          "heating. Kyiv accused Moscow of trying to break the country's resolve before winter.")
REWRITE = ("Russia carried out a massive missile and drone attack on Ukraine's power grid on Friday, officials in "
           "Kyiv said, leaving thousands of households without heat. Kyiv accused Moscow of trying to break the "
           "country's resolve before winter.")


def _article(title: str, outlet: str, date: str, body: str) -> str:
    return f"---\ntitle: {title}\noutlet: {outlet}\npublished: {date}\n---\n{body}\n"


@pytest.fixture(scope="module")
def events_db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    (root / "a.txt").write_text(_article("Russia strikes Ukraine's energy system", "Northern Courier", "2024-12-07",
                                         ATTACK))
    (root / "b.txt").write_text(_article("Russia strikes Ukraine's energy system", "Harbour Daily", "2024-12-07",
                                         ATTACK))   # an exact copy in another outlet
    (root / "c.txt").write_text(_article("Russia hits Ukraine's power grid", "Valley Times", "2024-12-07", REWRITE))
    (root / "d.txt").write_text(_article("Dockers strike in Constanta", "Harbour Daily", "2024-10-14",
                                         "Romanian dockworkers walked off the job at the port of Constanta on "
                                         "Monday. The Romanian transport minister urged the union to suspend the "
                                         "strike."))
    db = tmp_path_factory.mktemp("db") / "events.db"
    storyline.ingest([str(root)], db, settings=storyline.Settings(workers=1))
    return db


def test_one_event_many_reports_copies_count_once(events_db):
    attack = [e for e in political_events(events_db) if e["event_type"] == "ASSAULT"]
    assert len(attack) == 1
    e = attack[0]
    assert set(e) == {"id", "date", "source", "event_type", "mode", "negated", "target", "location",
                      "sources_count", "article_ids", "quote_ids", "evidence", "hedged"}
    assert (e["source"]["country"], e["target"]["country"], e["date"]) == ("RUS", "UKR", "2024-12-06")
    assert len(e["article_ids"]) == 3
    assert e["sources_count"] == 2   # the exact copy is not an independent source
    assert all(set(x) == {"article_id", "start", "end"} for x in e["evidence"])
    stored = {a.article.id: a.article.text for a in storyline.articles(events_db)}
    for x in e["evidence"]:
        assert "attack" in stored[x["article_id"]][x["start"]:x["end"]]
    reports = political_events(events_db, reports=True)
    assert len(reports) > len(political_events(events_db))


def test_filters_type_actor_date_storyline(events_db):
    assert {e["event_type"] for e in political_events(events_db, event_type="accuse")} == {"ACCUSE"}
    rus = political_events(events_db, actor="RUS")
    assert rus and all("RUS" in (e["source"]["country"], (e["target"] or {}).get("country")) for e in rus)
    assert all(e["date"] >= "2024-12-01" for e in political_events(events_db, since="2024-12-01"))
    assert {e["event_type"] for e in political_events(events_db, until="2024-10-31")} >= {"PROTEST", "REQUEST"}
    strike = next(s for s in storyline.stories(events_db) if "Constanta" in (s["title"] or "") or "Dockers" in
                  (s["title"] or ""))
    assert {e["event_type"] for e in political_events(events_db, storyline=strike["id"])} <= {"PROTEST", "REQUEST"}
    named = political_events(events_db, actor="Moscow")
    assert named and all("Moscow" in (e["source"]["name"], (e["target"] or {}).get("name")) for e in named)
    with pytest.raises(storyline.UsageError, match="event type"):
        political_events(events_db, event_type="GOSSIP")


def test_cli_json_csv_parquet(events_db, tmp_path):
    def cli(*args: str):
        result = runner.invoke(app, ["events", *args, "--db", str(events_db)])
        return result.exit_code, result.stdout

    code, out = cli("--format", "json", "--type", "ASSAULT")
    assert code == 0 and json.loads(out)[0]["sources_count"] == 2
    code, out = cli("--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows and {"date", "source", "source_country", "event_type", "target", "target_country",
                                   "location", "sources_count", "article_ids", "quote_ids"} <= set(rows[0])
    code, _ = cli("--format", "parquet", "--out", str(tmp_path / "events.parquet"))
    table = pq.read_table(tmp_path / "events.parquet")
    assert code == 0 and table.num_rows == len(rows) and "source_country" in table.column_names
    code, out = cli("--format", "json", "--reports")
    assert code == 0 and {"hedged", "trigger", "date_basis"} <= set(json.loads(out)[0])
    assert cli("--type", "GOSSIP")[0] == 2
    assert cli("--format", "parquet")[0] == 2
    assert cli("--since", "yesterday")[0] == 2
    missing = runner.invoke(app, ["events", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1


def test_deduplicate_joins_reports_without_target_and_keeps_negation_apart():
    def report(article: str, origin: str, target: dict | None, negated: bool = False, hedged: bool = False) -> dict:
        return {"article_id": article, "story_event": 7, "event_type": "ASSAULT", "negated": negated, "hedged": hedged,
                "source": {"entity_id": 1, "name": "Russia", "country": "RUS", "sector": "government"},
                "target": target, "date": "2024-12-06", "mode": None, "location": None, "origin": origin,
                "quote_id": None, "start": 0, "end": 10}

    ukraine = {"entity_id": 2, "name": "Ukraine", "country": "UKR", "sector": "government"}
    records = deduplicate([report("a", "a", ukraine, hedged=True), report("b", "a", None), report("c", "c", ukraine),
                           report("d", "d", ukraine, negated=True, hedged=True)])
    assert sorted((r["negated"], r["sources_count"], len(r["article_ids"]), r["hedged"]) for r in records) == [
        (False, 2, 3, False), (True, 1, 1, True)]   # hedged only when every report is


def test_rest_endpoint_pages_and_filters(events_db):
    from fastapi.testclient import TestClient

    from storyline.web import create_app

    client = TestClient(create_app(events_db))
    first = client.get("/api/political-events", params={"limit": 1}).json()
    assert first["ok"] and len(first["items"]) == 1 and first["next"]
    attack = client.get("/api/political-events", params={"type": "ASSAULT"}).json()["items"]
    assert [e["sources_count"] for e in attack] == [2]
    bad = client.get("/api/political-events", params={"type": "GOSSIP"})
    assert bad.status_code == 422 and bad.json()["ok"] is False and "event type" in bad.json()["error"]


def test_dataset_export_and_load_carry_the_coded_clauses(events_db, tmp_path):
    storyline.export(tmp_path / "dataset", events_db, fmt="parquet")
    rows = pq.read_table(tmp_path / "dataset" / "polevents").to_pylist()
    before = political_events(events_db, reports=True)
    assert len(rows) == len(before) and {"event_type", "source_country", "trigger_start"} <= set(rows[0])
    copy = tmp_path / "copy.db"
    storyline.api.load(tmp_path / "dataset", copy, settings=storyline.Settings(workers=1))
    after = political_events(copy, reports=True)
    key = lambda r: (r["event_type"], r["start"], r["trigger"]["text"], r["source"]["country"])  # noqa: E731
    assert sorted(map(key, after)) == sorted(map(key, before))


@pytest.mark.parametrize("text", [
    "Lavrov said Moscow would negotiate only if Kyiv recognised the new borders.",
    "Moscow would not agree to a truce with Ukraine, the minister said.",
    "Ukraine would have to pull its troops out of four regions.",
    "Kovalenko said any settlement must include guarantees for Ukraine.",
    "The decree which Kovalenko signed against Russia remains in force.",
    "The union is demanding a pay rise.",
])
def test_no_event_for_conditions_hypotheticals_and_actions_without_target(text):
    assert coded(text) == [], coded(text)


def test_reported_meetings_and_one_clause_once_per_article():
    # a meeting announced for later is an intent to meet: PLOVER AGREE (CAMEO 036), not yet a CONSULT
    met = coded("The Kremlin confirmed that Foreign Minister Sergei Lavrenko would meet US Secretary of State Margaret Ellison in Istanbul.")
    assert [(e.event_type, e.source_country, e.target_country) for e in met] == [("AGREE", "RUS", "USA")]
    twice = coded("Russia attacked Ukraine on Friday. Officials said Russia attacked Ukraine again.")
    assert [(e.event_type, e.source_country, e.target_country) for e in twice] == [("ASSAULT", "RUS", "UKR")]


def test_sentence_fallback_codes_the_governing_event_word_between_the_nearest_actors():
    from storyline.nlp.model import load_nlp
    from storyline.nlp.entities import find_mentions
    from storyline.polevents import code_events
    from storyline.records import Sentence

    doc = load_nlp()("Fresh talks between Serbia and Albania in Brussels.")
    sentences = tuple(Sentence(i, s.start_char, s.end_char) for i, s in enumerate(doc.sents))
    mentions = find_mentions(doc, sentences)
    assert code_events(doc, mentions) == []
    [event] = code_events(doc, mentions, fallback=True)
    assert (event.event_type, event.source_country, event.target_country) == ("CONSULT", "SRB", "ALB")
    assert (event.start, event.end) == (0, len(doc.text))


def test_conjoined_targets_are_one_event_each_and_predictions_are_no_requests():
    both = coded("The European Union accused Russia and Belarus of sabotage.")
    assert sorted((e.event_type, e.target_country) for e in both) == [("ACCUSE", "BLR"), ("ACCUSE", "RUS")]
    assert coded("Lavrenko said Washington would have to accept the new borders.") == []


def test_country_in_a_possessive_institution_name():
    from storyline.nlp.names import load_aliases
    from storyline.polevents import load_lexicon
    from storyline.polevents.actors import country_of_words

    assert country_of_words("Ukraine's foreign ministry", load_lexicon(), load_aliases()) == "UKR"
