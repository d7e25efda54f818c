"""Undated articles dated by their story neighbours (issue 15): a dated copy, rewrite or same-event article
gives its date as inferred, with that basis, whichever of the two is ingested first."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import storyline

REPORT = ("The regional council of Tulcea voted on Monday, March 4, 2019, to close the old ferry landing on the "
          "Danube after engineers found cracks in its concrete pilings. Councillor Ana Ilie said the landing had "
          "served the town for forty years and that a temporary pontoon would open within three weeks. Ferry "
          "operators warned that queues of lorries would grow during the harvest season, while the county "
          "prefect promised extra buses for foot passengers crossing to the villages of the delta.")
OTHER_REPORT = ("Tulcea's regional council has decided to shut the old ferry landing on the Danube because "
                "engineers found cracked concrete pilings, the town hall said. Councillor Ana Ilie told reporters "
                "the landing had been in use for four decades and promised a temporary pontoon within three weeks, "
                "while ferry operators feared longer lorry queues at harvest time and the county prefect pledged "
                "extra buses for passengers on foot heading to the delta villages.")


ONE = storyline.Settings(workers=1)


def _ingest(db: str, path: Path, rows: list[dict]):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return storyline.ingest([str(path)], db=db, settings=ONE)


def _by_outlet(db: str) -> dict[str, storyline.StoredArticle]:
    return {a.article.outlet: a for a in storyline.articles(db)}


def test_an_undated_copy_takes_the_date_of_the_dated_one(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    rows = [{"title": "Ferry landing to close", "outlet": "Danube Herald", "published": "2019-03-05", "text": REPORT},
            {"title": "Ferry landing to close", "outlet": "Delta Wire", "text": REPORT}]
    report = _ingest(db, tmp_path / "in.jsonl", rows)
    assert report.stories["dated_by_neighbours"] >= 1
    copy = _by_outlet(db)["Delta Wire"]
    assert copy.article.published is None   # inferred, never shown as the article's own date
    assert copy.published_inferred == ("2019-03-04", "2019-03-12") and copy.published_basis == "copy"
    dated = _by_outlet(db)["Danube Herald"].article.id
    shown = copy.to_json()["published_inferred"]
    assert shown["basis"] == "copy" and any(e.get("article_id") == dated for e in shown["evidence"])
    told = next(e for e in shown["evidence"] if e["kind"] == "named-date")
    assert REPORT[told["start"]:told["end"]] == told["text"] and "March 4, 2019" in told["text"]


def test_a_dated_copy_arriving_later_dates_the_undated_one(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    _ingest(db, tmp_path / "a.jsonl", [{"title": "Ferry landing to close", "outlet": "Delta Wire", "text": REPORT}])
    before = _by_outlet(db)["Delta Wire"]
    assert before.published_basis == "text" and before.published_inferred[0] == "2019-03-02"   # told, two days' slack
    assert before.published_inferred[1] > "2019-12-31"   # the text alone says little about the end
    _ingest(db, tmp_path / "b.jsonl", [{"title": "Ferry landing to close", "outlet": "Danube Herald",
                                        "published": "2019-03-05", "text": REPORT}])
    after = _by_outlet(db)["Delta Wire"]
    assert after.published_inferred == ("2019-03-04", "2019-03-12") and after.published_basis == "copy"


def test_an_undated_report_of_the_same_event(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    rows = [{"title": "Ferry landing to close", "outlet": "Danube Herald", "published": "2019-03-05", "text": REPORT},
            {"title": "Tulcea shuts ageing ferry landing", "outlet": "Delta Wire", "text": OTHER_REPORT}]
    _ingest(db, tmp_path / "in.jsonl", rows)
    other = _by_outlet(db)["Delta Wire"]
    story = storyline.stories(db)
    assert len(story) == 1 and len(story[0]["events"]) == 1   # the two were placed in one event
    assert other.published_basis == "event"
    assert other.published_inferred == ("2019-02-13", "2019-03-25")   # 20 days either side of its fellow


def test_a_neighbour_outweighs_a_weaker_text_cue_and_the_loser_is_reported(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    text = REPORT + " Former President Barack Obama sent a message of support."
    rows = [{"title": "Ferry landing to close", "outlet": "Danube Herald", "published": "2019-03-05", "text": text},
            {"title": "Ferry landing to close", "outlet": "Delta Wire", "text": text}]
    _ingest(db, tmp_path / "in.jsonl", rows)
    copy = _by_outlet(db)["Delta Wire"]
    assert copy.published_basis == "copy"
    assert {(e.kind, e.kept) for e in copy.published_evidence} >= {("copy", True), ("former", True)}
    # and one that contradicts the copy's day loses: a date announced for before it
    text = REPORT + " The minister will decide by February 2019."
    rows = [{"title": "Landing", "outlet": "Danube Herald", "published": "2019-03-05", "text": text},
            {"title": "Landing", "outlet": "Delta Wire", "text": text}]
    db2 = str(tmp_path / "s2.db")
    _ingest(db2, tmp_path / "in2.jsonl", rows)
    copy = _by_outlet(db2)["Delta Wire"]
    assert copy.published_inferred == ("2019-03-04", "2019-03-12")
    assert ("future-date", False) in {(e.kind, e.kept) for e in copy.published_evidence}


def test_a_store_from_before_version_7_keeps_its_ranges_as_text_based(tmp_path: Path) -> None:
    import sqlite3

    from storyline.store import Store, schema

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    for version in (1, 2, 3, 4):   # the store as storyline left it before issue 15, with one inferred range
        schema.MIGRATIONS[version](conn)
        conn.execute("INSERT INTO schema_version VALUES (?, 'then')", (version,))
    conn.execute("INSERT INTO articles (id, content_hash, text, origin, ingested_at) "
                 "VALUES ('a1', 'h1', 'It began in 2020.', 'old.txt', 'then')")
    conn.execute("INSERT INTO analyses (article_id, analysed_chars, published_from, published_to, analysed_at) "
                 "VALUES ('a1', 17, '2020-01-01', '2023-01-01', 'then')")
    conn.close()
    with Store(path) as store:   # upgraded on open
        assert store.schema_version == schema.latest_version()
        shown = store.article("a1").to_json()["published_inferred"]
    assert shown == {"from": "2020-01-01", "to": "2023-01-01", "basis": "text", "evidence": []}


def test_only_a_fellow_member_close_enough_shares_the_days() -> None:
    import numpy as np

    from storyline.stories.dating import neighbour_cue, same_event

    def unit(*xs: float) -> np.ndarray:
        v = np.array(xs, dtype=np.float32)
        return v / np.linalg.norm(v)

    idf = {1: 3.0, 2: 3.0, 3: 0.5}
    a = (unit(1, 0, 0), {1: 2, 2: 1})
    assert same_event(a, (unit(1, 0.05, 0), {}), idf) is not None            # nearly the same text
    assert same_event(a, (unit(1, 0.6, 0), {1: 1, 2: 3}), idf) is not None   # close, the same rare names
    assert same_event(a, (unit(1, 0.6, 0), {3: 5}), idf) is None             # close, other names
    assert same_event(a, (unit(1, 1.2, 0), {1: 1, 2: 1}), idf) is None       # same names, another story
    c = neighbour_cue("event-member", "2019-03-05", "2019-03-05", "x", "")
    assert c.spans == ((date(2019, 2, 13).toordinal(), date(2019, 3, 25).toordinal()),) and c.source == "x"


def test_an_undated_article_finds_the_dated_report_of_its_days_in_the_months_its_range_allows(tmp_path: Path) -> None:
    """The story stage searches an undated article's neighbours among undated articles and event centroids;
    ``nearest_dated`` also looks in the month indexes its inferred range covers, and only there."""
    from storyline.engines.stories import nearest_dated, open_index
    from storyline.records import StoryArticle
    from storyline.store import Store
    from storyline.store.stories import StoryTables
    from storyline.stories.embed import embed, story_text

    db = str(tmp_path / "s.db")
    _ingest(db, tmp_path / "in.jsonl", [
        {"title": "Ferry landing to close", "outlet": "Danube Herald", "published": "2019-03-05", "text": REPORT},
        {"title": "Harbour dues rise", "outlet": "Port Gazette", "published": "2019-03-06",
         "text": "Constanta's port authority raised harbour dues by four percent on Wednesday, citing the cost of "
                 "dredging the southern channel, and shipping agents said the rise would be passed on to "
                 "grain exporters before the summer season."}])
    dated = _by_outlet(db)["Danube Herald"].article.id
    vector = embed([story_text("Tulcea shuts ageing ferry landing", OTHER_REPORT)])[0]

    def article(lo: str, hi: str) -> StoryArticle:
        return StoryArticle(article_id="undated-one", content_hash="x", title="Tulcea shuts ageing ferry landing",
                            day=None, day_basis="range", month="undated", outlet_id=None, shingles=0,
                            day_from=lo, day_to=hi)

    with Store(db) as store:
        tables = StoryTables(store.conn, "2026-01-01T00:00:00+00:00")
        index = open_index(store, tables)
        found = nearest_dated(index, tables, article("2019-01-01", "2020-12-31"), vector)
        assert found[0][:2] == (dated, "2019-03-05") and found[0][2] > 0.8
        assert nearest_dated(index, tables, article("2020-01-01", "2024-12-31"), vector) == []   # other months
        assert nearest_dated(index, tables, article("2000-01-01", "2024-12-31"), vector) == []   # too wide to search
