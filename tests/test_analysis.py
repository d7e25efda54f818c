"""The NLP stage end to end through the store: quotes with speakers and dates, statements across
outlets, time expressions, and bounded analysis of hostile or huge texts (real spaCy model)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli import app

WIRE = ("Kremlin spokesperson Dmitry Vorontsov said on Monday that Moscow remained open to talks. "
        "\u201cWhat bears reminding here is that Kyiv itself banned any negotiations,\u201d Vorontsov told reporters. "
        "He added that the ban was a presidential decree.")
REWRITE = ("Russia is still open to negotiations, the Kremlin said. Dmitry Vorontsov, the Kremlin's spokesman, "
           "told journalists: \u201cWhat bears reminding is that Kyiv itself banned any negotiations.\u201d "
           "The comments came days after a US call for a ceasefire.")
ARTICLES = [
    {"title": "Kremlin open to talks", "url": "https://wire.example/1", "outlet": "Wire", "published": "2024-12-10",
     "text": WIRE},
    {"title": "Russia still open", "url": "https://farm.example/1", "outlet": "Farm", "published": "2024-12-11",
     "text": REWRITE},
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("analysis") / "s.db"
    src = path.parent / "in.jsonl"
    src.write_text("\n".join(json.dumps(a) for a in ARTICLES))
    storyline.ingest([str(src)], path, settings=storyline.Settings(workers=1))
    return path


def test_quotes_have_speakers_dates_and_offsets(db):
    quotes = storyline.quotes(db)
    text = {a.article.id: a.article.text for a in storyline.articles(db)}
    direct = [q for q in quotes if q["kind"] == "direct"]
    assert len(direct) == 2
    for q in quotes:
        assert text[q["article_id"]][q["start"]:q["end"]] == q["text"]
        assert set(q) >= {"id", "article_id", "text", "kind", "speaker", "cue", "said_on", "start", "end"}
    wire = next(q for q in direct if "here" in q["text"])
    assert wire["speaker"]["name"] == "Dmitry Vorontsov" and wire["cue"] in ("told", "tell")
    assert wire["said_on"] == "2024-12-10" and wire["said_on_basis"] in ("publication", "relative", "explicit")
    monday = next(q for q in quotes if "open to talks" in q["text"])
    assert monday["kind"] == "indirect" and monday["said_on"] == "2024-12-09"  # "said on Monday" before the 10th
    assert monday["said_on_basis"] == "relative"


def test_same_statement_in_two_outlets_with_variant_wording(db):
    grouped = [s for s in storyline.statements(db) if s["articles"] == 2]
    assert len(grouped) >= 1
    st = next(s for s in grouped if "bears reminding" in s["text"])
    assert st["speaker"]["name"] == "Dmitry Vorontsov" and st["outlets"] == ["Farm", "Wire"]
    assert len(st["variants"]) == 2 and {tuple(v["outlets"]) for v in st["variants"]} == {("Wire",), ("Farm",)}
    assert st["said_on"] == "2024-12-10"


def test_time_expressions_stored_with_sentences(db):
    with storyline.open_store(db, readonly=True) as store:
        wire = next(a for a in store.articles() if a.article.outlet == "Wire")
        times = store.times(wire.article.id)
        sentences = store.sentences(wire.article.id)
    monday = next(t for t in times if t["text"].endswith("Monday"))
    assert monday["value"] == "2024-12-09" and monday["granularity"] == "day" and monday["basis"] == "relative"
    start, end = sentences[monday["sentence"]]
    assert start <= monday["start"] < end


def test_cli_json_contracts(db):
    runner = CliRunner()
    out = runner.invoke(app, ["quotes", "--db", str(db), "--format", "json", "--kind", "direct"]).stdout
    assert {q["kind"] for q in json.loads(out)} == {"direct"}
    out = runner.invoke(app, ["entities", "--db", str(db), "--format", "json", "--type", "PERSON"]).stdout
    people = json.loads(out)
    assert people[0]["name"] == "Dmitry Vorontsov" and set(people[0]) >= {"id", "name", "type", "aliases", "roles",
                                                                          "mentions"}
    out = runner.invoke(app, ["statements", "--db", str(db), "--format", "json", "--min-articles", "2"]).stdout
    assert all(s["articles"] >= 2 for s in json.loads(out))


def test_hostile_texts_are_bounded_and_noted(tmp_path):
    quotes = "\u201c" * 3000 + " unbalanced " + '"' * 2001
    long_text = ("The minister said the talks would resume. " * 6000)
    rows = [
        {"title": "q", "url": "https://h.example/q", "text": "Before the marks. " + quotes + " After the marks."},
        {"title": "l", "url": "https://h.example/l", "text": long_text},
        {"title": "m", "url": "https://h.example/m", "text": "Москва said «нет» to 北京 and Kyiv said “no” on Friday."},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows))
    db = tmp_path / "h.db"
    report = storyline.ingest([str(src)], db, settings=storyline.Settings(workers=1, nlp_max_chars=50_000))
    assert report.new == 3 and not report.skipped
    with storyline.open_store(db, readonly=True) as store:
        notes = dict(store.conn.execute("SELECT a.title, n.notes FROM analyses n JOIN articles a ON a.id = n.article_id"))
    assert "analysed the first 50,000" in notes["l"]


def test_a_quotes_speaker_is_the_person_its_phrase_names_not_a_place_before_the_title(tmp_path):
    text = ("\u201cWe must call the blockade of the port by its name,\u201d Colorado Republican Sen. Ana Mirea "
            "tweeted on Saturday. The harbour stayed closed for a third day. Speaking to reporters, the U.S. "
            "president said: \u201cWe will send ships if the port stays closed.\u201d")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"title": "Port blockade", "url": "https://wire.example/port", "outlet": "Wire",
                               "published": "2025-08-12", "text": text}))
    storyline.ingest([str(src)], tmp_path / "s.db", settings=storyline.Settings(workers=1))
    quotes = storyline.quotes(tmp_path / "s.db")
    (quote,) = [q for q in quotes if "blockade" in q["text"]]
    assert quote["speaker"]["name"] == "Ana Mirea"
    (ships,) = [q for q in quotes if "send ships" in q["text"]]   # a country modifying a title does not speak
    assert (ships["speaker"] or {}).get("name") != "United States"
