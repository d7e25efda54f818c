"""Bare text: headline, standfirst, byline and outlet signatures read from the text; folder conventions
(``source.txt``, sidecars); a record's own outlet kept whatever its URL's host."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import storyline
from storyline import Settings, Store
from storyline.clean.debris import filter_text
from storyline.clean.lead import byline_author, is_title
from storyline.clean.signatures import find_signature
from storyline.ingest import ReadOptions, read_inputs
from storyline.pipeline import process
from storyline.records import Article, RawDocument
from storyline.store import schema

LEAD = ("The harbour authority said on Tuesday that loading would resume within days, after a night of talks "
        "between the union and the ministry ended without a signed deal.")
BODY = ("Negotiators met for six hours in the capital, a union official said, and will meet again on Friday.\n"
        "The minister said a new offer would come within days, according to her office.")


def _clean(text: str, **kw):
    return filter_text(text, **kw)


@pytest.mark.parametrize("text", [
    f"Harbour talks stall again as union rejects offer\n\n{LEAD}\n\n{BODY}",
    f"Harbour talks stall again as union rejects offer\nHarbour talks stall again as union rejects offer\n{LEAD}\n{BODY}",
    f"December 10, 2024\nHarbour talks stall again as union rejects offer\n\n{LEAD}\n\n{BODY}",
    f"# Harbour talks stall again as union rejects offer\n\n{LEAD}\n\n{BODY}",
])
def test_headline_in_first_line_is_the_title_and_leaves_the_text(text):
    clean = _clean(text)
    assert clean.title == "Harbour talks stall again as union rejects offer"
    assert clean.text.startswith("The harbour authority said")
    assert "Harbour talks stall" not in clean.text


@pytest.mark.parametrize("line, kw, expected", [
    ("Will the harbour strike end before Christmas?", {}, True),
    ("HARBOUR TALKS STALL AGAIN AS UNION REJECTS OFFER", {}, True),
    ("Talks stall. Union digs in.", {"repeated": True}, True),
    ("Talks Stall Again. Union Digs In.", {}, True),
    ("Talks stall again, union says.", {}, False),        # a sentence: the lead, not a headline
    ("The authority said loading would resume:", {}, False),
    ("By Jane Doe and John Roe", {}, False),
    ("WASHINGTON (Reuters) - The harbour reopened", {}, False),
])
def test_what_reads_as_a_headline(line, kw, expected):
    assert is_title(line, **kw) is expected


def test_a_text_that_opens_with_its_lead_has_no_title():
    clean = _clean(f"{LEAD}\n{BODY}")
    assert clean.title is None and clean.text.startswith("The harbour authority")


def test_all_capitals_headline_is_the_title_not_a_teaser():
    clean = _clean(f"HARBOUR TALKS STALL AGAIN AS UNION REJECTS OFFER\n{LEAD}\n{BODY}")
    assert clean.title == "HARBOUR TALKS STALL AGAIN AS UNION REJECTS OFFER"


@pytest.mark.parametrize("standfirst, between", [
    ("Dockers to return to work on Monday after a 26-day stoppage; the government raises pay by 18 per cent",
     ""),                                                                     # long, no final stop
    ("Union leaders and the ministry failed to agree on Tuesday.", "repeat"),  # printed twice
    ("Union leaders and the ministry failed to agree on Tuesday.", "By Jane Doe"),  # above the byline
    ("*Union leaders and the ministry failed to agree on Tuesday.*", ""),      # emphasised
])
def test_standfirst_is_its_own_block_not_glued_to_the_lead(standfirst, between):
    lines = ["Harbour talks stall again", standfirst]
    if between == "repeat":
        lines.append(standfirst)
    elif between:
        lines.append(between)
    clean = _clean("\n".join([*lines, LEAD, BODY]))
    first = clean.blocks[0]
    assert first.kind == "standfirst"
    assert clean.text[first.start:first.end] == standfirst.strip("*")
    assert clean.blocks[1].kind == "paragraph" and clean.text[clean.blocks[1].start:].startswith("The harbour")
    if between.startswith("By"):
        assert clean.author == "Jane Doe" and "By Jane" not in clean.text


def test_standfirst_is_exposed_on_the_article():
    art = process(RawDocument("x.txt", f"Harbour talks stall\nUnion leaders and the ministry failed to agree.\n"
                                       f"Union leaders and the ministry failed to agree.\n{LEAD}\n{BODY}", "text"))
    assert isinstance(art, Article)
    assert art.title == "Harbour talks stall"
    assert art.standfirst == "Union leaders and the ministry failed to agree."


@pytest.mark.parametrize("line, author", [
    ("By Jane Doe", "Jane Doe"),
    ("By Hans M. Kristensen and Matt Korda", "Hans M. Kristensen and Matt Korda"),
    ("By day, the mayor is a lawyer, and by night a rock singer.", None),
    ("by the way, nobody asked", None),
])
def test_byline(line, author):
    assert byline_author(line) == author


@pytest.mark.parametrize("lines, outlet", [
    (["Text.", "Copyright © 2016 The Washington Times, LLC. Click here for reprint permission."],
     "The Washington Times"),
    (["Text.", "Copyright 2020 The Associated Press. All rights reserved. This material may not be published."],
     "The Associated Press"),
    (["WASHINGTON (Reuters) - The harbour reopened on Monday.", "(Reporting by Jane Doe; Editing by John Roe)"],
     "Reuters"),
    (["NEW YORK (AP) — The harbour reopened on Monday.", "More text."], "The Associated Press"),
    (["Washington (CNN) — The harbour reopened on Monday."], "CNN"),
    (["Text.", "© 2016 Tribune Content Agency, LLC"], None),           # a syndicate, not an outlet
    (["Text.", "Image copyright Getty Images"], None),                  # a picture credit
    (["He was arrested in Paris (AFP reported) on Monday."], None),     # not a dateline
])
def test_outlet_signatures(lines, outlet):
    found = find_signature(lines)
    assert (found[0] if found else None) == outlet


def test_signature_names_the_outlet_only_when_the_input_names_none():
    text = f"Harbour talks stall\n{LEAD}\n{BODY}\n© 2025 Danube Herald"
    assert _clean(text).outlet == "Danube Herald"
    assert _clean(text, outlet="Port News").outlet == "Port News"
    art = process(RawDocument("x.txt", text, "text"))
    assert art.outlet == "Danube Herald" and art.outlet_basis == "text"
    assert "©" not in art.text


# -- folder conventions -----------------------------------------------------------------------------

def _docs(inputs, **kw):
    return {Path(d.origin).name: d for d in read_inputs([str(i) for i in inputs], ReadOptions(**kw))}


def test_source_txt_names_the_outlet_of_its_folder_and_those_below(tmp_path):
    (tmp_path / "herald" / "2024").mkdir(parents=True)
    (tmp_path / "herald" / "source.txt").write_text("# the paper\nDanube Herald\n")
    (tmp_path / "herald" / "2024" / "a.txt").write_text(f"Harbour talks\n{LEAD}")
    (tmp_path / "loose.txt").write_text(f"Harbour talks\n{LEAD}")
    (tmp_path / "herald" / "fm.md").write_text(f"---\noutlet: Port News\n---\nHarbour talks\n{LEAD}")
    docs = _docs([tmp_path], outlet="Fallback Wire")
    assert set(docs) == {"a.txt", "loose.txt", "fm.md"}       # source.txt is metadata, not an article
    assert docs["a.txt"].outlet == "Danube Herald"
    assert docs["loose.txt"].outlet == "Fallback Wire"           # --outlet where no source.txt applies
    assert docs["fm.md"].outlet == "Port News"                   # the file's own front matter wins


def test_sidecar_json_fills_what_the_text_file_lacks(tmp_path):
    (tmp_path / "source.txt").write_text("outlet: Danube Herald\n")
    (tmp_path / "a.txt").write_text(f"Harbour talks\n{LEAD}")
    (tmp_path / "a.meta.json").write_text(json.dumps({"source": "Port News", "date": "2024-12-10",
                                                      "url": "https://port.example/a", "headline": "Talks"}))
    (tmp_path / "b.txt").write_text(f"---\ntitle: Own title\n---\n{LEAD}")
    (tmp_path / "b.meta.json").write_text(json.dumps({"title": "Sidecar title", "author": "Jane Doe"}))
    docs = _docs([tmp_path])
    assert set(docs) == {"a.txt", "b.txt"}
    a, b = docs["a.txt"], docs["b.txt"]
    assert (a.outlet, a.published, a.url, a.title) == ("Port News", "2024-12-10", "https://port.example/a", "Talks")
    assert (b.title, b.author, b.outlet) == ("Own title", "Jane Doe", "Danube Herald")


# -- the record's own outlet wins over its URL's host ----------------------------------------------------

def _jsonl(tmp_path: Path, records: list[dict]) -> Path:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_records_sharing_a_host_keep_their_own_outlets(tmp_path):
    records = [
        {"url": "https://news.example/a", "outlet": "Example Daily", "title": "A", "date": "2024-01-02",
         "text": f"{LEAD} One."},
        {"url": "https://news.example/b", "outlet": "Guest Writer", "title": "B", "date": "2024-01-03",
         "text": f"{LEAD} Two."},
        {"url": "https://news.example/c", "title": "C", "date": "2024-01-04", "text": f"{LEAD} Three."},
    ]
    db = tmp_path / "s.db"
    storyline.ingest([str(_jsonl(tmp_path, records))], db, settings=Settings(analyse=False, stories=False, workers=1))
    with Store(db) as store:
        outlets = {o["name"]: (o["domain"], o["articles"]) for o in store.outlets()}
        titles = {a.article.title: (a.article.outlet, a.article.published) for a in store.articles()}
    assert outlets == {"Example Daily": ("news.example", 1), "Guest Writer": ("news.example", 1),
                       "news.example": ("news.example", 1)}
    # no name of its own on a host two outlets share: the host's, never another record's outlet
    assert titles == {"A": ("Example Daily", "2024-01-02"), "B": ("Guest Writer", "2024-01-03"),
                      "C": ("news.example", "2024-01-04")}


def test_host_known_first_by_its_domain_takes_the_records_name(tmp_path):
    def art(outlet, basis, url, text):
        from storyline.clean.metadata import article_id, content_hash
        return Article(article_id(url, outlet, text), content_hash(text), "", "t", text, "T", url, outlet,
                       "news.example", None, None, None, "en", outlet_basis=basis)

    with Store(tmp_path / "s.db") as store:
        store.write_batch([art(None, None, "https://news.example/1", "first text of the host")])
        store.write_batch([art("Example Daily", "record", "https://news.example/2", "second text")])
        store.write_batch([art("ExampleDaily", "page", "https://news.example/3", "third text")])
        assert [(o["name"], o["articles"]) for o in store.outlets()] == [("Example Daily", 3)]


def test_migration_6_keeps_outlets_and_their_articles(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    newer = {v: f for v, f in schema.MIGRATIONS.items() if v > 4}
    for v in newer:
        monkeypatch.delitem(schema.MIGRATIONS, v)
    with Store(path) as store:
        assert store.schema_version == 4
        store.conn.execute("INSERT INTO outlets (id, name, domain) VALUES (7, 'Example Daily', 'news.example')")
        store.conn.execute("INSERT INTO articles (id, content_hash, outlet_id, text, origin, ingested_at) "
                           "VALUES ('a1', 'h', 7, 'text', 'o', 'now')")
    for v, f in newer.items():
        monkeypatch.setitem(schema.MIGRATIONS, v, f)
    with Store(path) as store:
        assert store.schema_version == schema.latest_version()
        assert store.article("a1").article.outlet == "Example Daily"
        store.conn.execute("INSERT INTO outlets (name, domain) VALUES ('Guest Writer', 'news.example')")
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute("INSERT INTO articles (id, content_hash, outlet_id, text, origin, ingested_at) "
                               "VALUES ('a2', 'h', 99, 'text', 'o', 'now')")
