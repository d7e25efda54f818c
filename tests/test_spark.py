"""The Spark engine in ``local[2]`` against the local engine on the same inputs; the dataset, load and the guide.

One SparkSession for the session and one full Spark run (sample corpus plus bad inputs, NLP on) for the
module keep the added time to a few minutes.
"""

from __future__ import annotations

import gzip
import json
import re
import shlex
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import storyline
from storyline import api, dataset
from storyline.cli import app
from storyline.engines.stories import update_stories
from storyline.errors import UsageError

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]  # the module run: a local and a Spark ingest
ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
GOOD = {"title": "Dam inspection ordered", "url": "https://wire.example/dam", "outlet": "Wire",
        "published": "2025-04-02", "text": "The regional governor ordered an inspection of the old dam on Tuesday "
        "after engineers reported new cracks in its eastern wall, her office said."}


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark")
    from storyline.engines.spark import spark_session

    session = spark_session("local[2]", {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "4"})
    yield session
    session.stop()


def _bad_inputs(root: Path) -> Path:
    bad = root / "bad"
    bad.mkdir()
    lines = [json.dumps(GOOD), '{"title": "cut", "text": "a line that ends mid-', json.dumps({**GOOD, "url": None,
             "title": "Second", "text": GOOD["text"].replace("Tuesday", "Wednesday")})]
    (bad / "broken.jsonl").write_text("\n".join(lines) + "\n")
    (bad / "picture.dat").write_bytes(PNG)
    (bad / "empty.txt").write_bytes(b"")
    whole = gzip.compress(("\n".join(json.dumps({**GOOD, "url": f"https://wire.example/{i}"})
                                     for i in range(50)) + "\n").encode())
    (bad / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    return bad


@pytest.fixture(scope="module")
def runs(spark, tmp_path_factory):
    root = tmp_path_factory.mktemp("spark")
    inputs = [storyline.sample_corpus(), str(_bad_inputs(root))]
    local_db = root / "local.db"
    local = api.ingest(inputs, local_db, settings=storyline.Settings(workers=2, db=str(local_db)))
    with storyline.open_store(local_db) as store:  # the local story stage (a no-op when ingest ran it)
        update_stories(store, storyline.Settings())
    out = root / "dataset"
    report = api.ingest_spark(inputs, str(out), spark=spark, settings=storyline.Settings())
    return SimpleNamespace(root=root, local=local, local_db=local_db, report=report, out=out)


def _table(out: Path, name: str) -> list[dict]:
    return [r for f in dataset.table_files(out, name) for r in pq.read_table(f).to_pylist()]


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute(sql).fetchall(), key=repr)


def test_spark_gives_the_local_articles_quotes_and_dates(runs):
    articles = _table(runs.out, "articles")
    local_ids = [r[0] for r in _rows(runs.local_db, "SELECT id FROM articles")]
    assert sorted({a["id"] for a in articles}) == local_ids and len(local_ids) > 34
    assert all(a["analysed"] for a in articles)
    quotes = sorted(((q["article_id"], q["start"], q["end"], q["text"], q["kind"], q["speaker_text"], q["said_on"])
                     for q in _table(runs.out, "quotes")), key=repr)
    assert len(quotes) > 400
    assert quotes == _rows(runs.local_db, "SELECT article_id, start, end, text, kind, speaker_name, said_on FROM quotes")
    times = sorted(((t["article_id"], t["start"], t["end"], t["text"], t["type"], t["value"], t["basis"])
                    for t in _table(runs.out, "times")), key=repr)
    assert len(times) > 300
    assert times == _rows(runs.local_db, "SELECT article_id, start, end, text, type, value, basis FROM time_exprs")
    # (with whether each may be a surname, which the store's entity resolution reads)
    mentions = {(m["article_id"], m["start"], m["text"], m["surname"]) for m in _table(runs.out, "mentions")}
    assert mentions == {(a, s, t, bool(x)) for a, s, t, x in
                        _rows(runs.local_db, "SELECT article_id, start, text, surname FROM mentions")}
    assert [a["id"] for a in articles] == [i for _, i in sorted(_rows(runs.local_db, "SELECT rowid, id FROM articles"))]


def test_bad_input_is_recorded_in_the_skipped_table_and_the_job_goes_on(runs):
    skipped = {(s["origin"].rsplit("/", 1)[-1], s["code"]) for s in _table(runs.out, "skipped")}
    assert {("broken.jsonl#L2", "bad-json"), ("picture.dat", "binary"), ("empty.txt", "empty")} <= skipped
    assert any(o.startswith("cut.jsonl.gz") and c == "truncated" for o, c in skipped)
    assert skipped == {(s.origin.rsplit("/", 1)[-1], s.code) for s in runs.local.skipped}
    assert runs.report.exit_code == 1 and runs.report.skip_counts()["binary"] == 1
    titles = {a["title"] for a in _table(runs.out, "articles")}
    assert {"Dam inspection ordered", "Second"} <= titles  # the lines around the broken one went in


def test_duplicate_groups_match_the_local_story_stage_and_the_gold_labels(runs):
    dups = _table(runs.out, "duplicates")
    spark_groups = {a["article_id"]: a["canonical_id"] for a in dups}
    assert {d["kind"] for d in dups} <= {"canonical", "exact", "near"}
    local = dict(_rows(runs.local_db, "SELECT article_id, canonical_id FROM duplicates"))
    assert spark_groups == local  # the same members, the same canonical article
    origin_of = {a["id"]: a["origin"].split("/corpus/")[-1] for a in _table(runs.out, "articles")}
    gold = json.loads((Path(storyline.sample_corpus()).parent / "gold.json").read_text())
    key_of = {a["origin"]: a["key"] for a in gold["articles"]}
    found: dict[str, set[str]] = {}
    for d in dups:
        found.setdefault(d["canonical_id"], set()).add(key_of.get(origin_of[d["article_id"]], "?"))
    copies = {frozenset(g["members"]) for g in gold["duplicates"] if g["kind"] in ("exact", "near")}
    assert {frozenset(m) for m in found.values() if "?" not in m} == copies


def test_load_gives_the_local_store_and_a_second_load_changes_nothing(runs, tmp_path):
    db = tmp_path / "loaded.db"
    first = api.load(runs.out, db)
    assert first.new == runs.report.articles and first.skipped == len(runs.report.skipped)
    article_sql = "SELECT id, title, published, date_source, text FROM articles"
    assert _rows(db, article_sql) == _rows(runs.local_db, article_sql)
    quote_sql = "SELECT article_id, start, end, text, kind, speaker_name, said_on FROM quotes"
    assert _rows(db, quote_sql) == _rows(runs.local_db, quote_sql)
    assert _rows(db, "SELECT origin, code FROM ingest_errors") == _rows(runs.local_db, "SELECT origin, code FROM ingest_errors")
    local_speakers = {q["speaker"]["name"] for q in api.quotes(runs.local_db) if q["speaker"]}
    assert local_speakers == {q["speaker"]["name"] for q in api.quotes(db) if q["speaker"]}
    # loaded in the local engine's order: the same canonical entities and statements
    entity_sql = "SELECT name, type, country, (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) FROM entities e"
    assert _rows(db, entity_sql) == _rows(runs.local_db, entity_sql)
    def statements(path: Path) -> list[tuple]:
        return sorted((s["text"], s["articles"], tuple(s["outlets"])) for s in api.statements(path))

    assert statements(db) == statements(runs.local_db)

    duplicates_sql = "SELECT article_id, canonical_id FROM duplicates"
    assert first.stories and _rows(db, duplicates_sql) == _rows(runs.local_db, duplicates_sql)

    def snapshot() -> dict[str, list[tuple]]:
        tables = ("articles", "quotes", "mentions", "entities", "entity_names", "statements", "ingest_errors",
                  "seen_inputs", "time_exprs", "sentences", "analyses", "duplicates", "event_articles", "events",
                  "storylines", "story_queue")
        return {t: _rows(db, f"SELECT * FROM {t}") for t in tables}

    before = snapshot()
    again = api.load(runs.out, db)
    assert (again.new, again.updated, again.unchanged, again.skipped_new) == (0, 0, first.new, 0)
    assert snapshot() == before


def _groups(member_of: dict[str, int]) -> set[frozenset[str]]:
    found: dict[int, set[str]] = {}
    for article, group in member_of.items():
        found.setdefault(group, set()).add(article)
    return {frozenset(g) for g in found.values()}


def bcubed_f1(a: dict[str, int], b: dict[str, int]) -> float:
    """B-cubed F1 of two clusterings of the same items (1.0 when they group the items identically)."""
    group_a, group_b = {}, {}
    for mine, other in ((a, group_a), (b, group_b)):
        for g in _groups(mine):
            other.update({i: g for i in g})
    p = sum(len(group_a[i] & group_b[i]) / len(group_a[i]) for i in a) / len(a)
    r = sum(len(group_a[i] & group_b[i]) / len(group_b[i]) for i in a) / len(a)
    return 2 * p * r / (p + r)


def test_bcubed_scores_a_split_below_one():
    assert bcubed_f1({"a": 1, "b": 1, "c": 2}, {"a": 5, "b": 5, "c": 6}) == 1.0
    assert round(bcubed_f1({"a": 1, "b": 1, "c": 1, "d": 2}, {"a": 1, "b": 1, "c": 3, "d": 2}), 3) == 0.8


def test_spark_events_and_storylines_are_the_local_stages(runs):
    """Events and storylines from the blocked Spark placement group the articles as the local stage does, up to
    a borderline article: the rarity weights of topic terms and entities are counted per block (a month's
    articles) on Spark, over the whole store as placed locally (on the sample corpus one opinion piece of 36
    stays an event of its own on Spark)."""
    spark_event = {r["article_id"]: r["event_id"] for r in _table(runs.out, "event_articles")}
    line_of = {r["id"]: r["storyline_id"] for r in _table(runs.out, "events")}
    spark_line = {a: line_of[e] for a, e in spark_event.items()}
    local_event = dict(_rows(runs.local_db, "SELECT article_id, event_id FROM event_articles"))
    local_line = dict(_rows(runs.local_db, "SELECT ea.article_id, e.storyline_id FROM event_articles ea "
                                           "JOIN events e ON e.id = ea.event_id"))
    assert sorted(spark_event) == sorted(local_event) == sorted(a["id"] for a in _table(runs.out, "articles"))
    assert len(_groups(local_event)) > 10 and len(_groups(local_line)) > 5
    assert bcubed_f1(spark_event, local_event) >= 0.97 and bcubed_f1(spark_line, local_line) >= 0.97
    differ = {a for a in local_event if {b for b in local_event if local_event[b] == local_event[a]}
              != {b for b in spark_event if spark_event[b] == spark_event[a]}}
    assert len(differ) <= 3, differ   # the borderline article and the event it leaves
    features = _table(runs.out, "story_features")
    assert [f["article_id"] for f in features] == [r["article_id"] for r in _table(runs.out, "event_articles")]
    assert all(len(f["embedding"]) == 2 * 384 for f in features)
    assert all((f["signature"] is not None) == (f["shingles"] >= 25) for f in features)
    events, storylines = _table(runs.out, "events"), _table(runs.out, "storylines")
    assert sum(e["n_articles"] for e in events) == len(features)
    assert sum(s["n_events"] for s in storylines) == len(events) and all(e["title"] for e in events)
    copies = {d["article_id"]: d["canonical_id"] for d in _table(runs.out, "duplicates")}
    assert all(spark_event[a] == spark_event[c] for a, c in copies.items())  # a copy is in its original's event


RALLY_FOLLOW_UP = {
    "title": "Constanta dockers turn down 12% offer after talks with transport minister",
    "url": "https://harbour-gazette.example/2024/10/24/dockers-turn-down-offer", "outlet": "Harbour Gazette",
    "published": "2024-10-24",
    "text": "The union of striking Constanta dockworkers on Thursday rejected the 12% pay rise that Transport "
            "Minister Elena Vasilescu offered at the ministry in Bucharest, a day after thousands of dockers "
            "rallied outside her office with whistles and mock coffins. Union leader Mihai Dragomir said the "
            "strike at the Black Sea port would go on until the government met the demand for 25% and an "
            "inspection of the terminals. More than 70 grain ships were waiting to load off Constanta, "
            "ship-tracking data showed, and traders said buyers were turning to other ports.",
}


def test_load_takes_the_spark_stories_and_a_local_ingest_continues_them(runs, tmp_path):
    db = tmp_path / "stories.db"
    report = api.load(runs.out, db)
    assert report.placed == runs.report.articles and report.stories["placed"] == 0
    result = CliRunner().invoke(app, ["stories", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    local = json.loads(CliRunner().invoke(app, ["stories", "--db", str(runs.local_db), "--format", "json"]).stdout)
    def shape(rows: list[dict]) -> list[tuple]:
        return [(s["start"], s["end"], s["n_events"], s["n_articles"], s["n_outlets"],
                 [(e["start"], e["end"], sorted(e["article_ids"])) for e in s["events"]]) for s in rows]

    assert all(s["title"] for s in listed)
    # the loaded stories are the dataset's (which are the local stage's up to a borderline article: see
    # test_spark_events_and_storylines_are_the_local_stages)
    spark_event = {r["article_id"]: r["event_id"] for r in _table(runs.out, "event_articles")}
    line_of = {r["id"]: r["storyline_id"] for r in _table(runs.out, "events")}
    assert {frozenset(e["article_ids"]) for s in listed for e in s["events"]} == _groups(spark_event)
    assert {frozenset(s["article_ids"]) for s in listed} == _groups({a: line_of[e] for a, e in spark_event.items()})
    same = [x for x in shape(listed) if x in shape(local)]
    assert len(same) >= len(local) - 1 and len(listed) <= len(local) + 1
    # copies and rewrites: Spark finds a subset of the local stage's (see docs/spark.md)
    source_sql = "SELECT article_id, source_id FROM sources"
    assert set(_rows(db, source_sql)) <= set(_rows(runs.local_db, source_sql))
    assert {r[0] for r in _rows(db, "SELECT article_id FROM sources WHERE kind IN ('exact', 'near')")} == \
        {r[0] for r in _rows(runs.local_db, "SELECT article_id FROM sources WHERE kind IN ('exact', 'near')")}
    rally = next(e for s in listed for e in s["events"] if e["start"] == "2024-10-23")
    follow_up = tmp_path / "follow-up.json"
    follow_up.write_text(json.dumps(RALLY_FOLLOW_UP))
    later = api.ingest([str(follow_up)], db, settings=storyline.Settings(workers=1, db=str(db)))
    assert later.new == 1 and later.stories["placed"] == 1 and later.stories["new_events"] == 0
    assert later.stories["rebuilt_indexes"]  # the loaded embeddings, indexed on first use
    (article_id,) = _rows(db, "SELECT id FROM articles WHERE url = '" + RALLY_FOLLOW_UP["url"] + "'")[0]
    assert _rows(db, f"SELECT event_id FROM event_articles WHERE article_id = '{article_id}'") == [(rally["id"],)]
    assert _rows(db, f"SELECT n_articles FROM events WHERE id = {rally['id']}") == [(rally["n_articles"] + 1,)]


def test_export_writes_the_same_dataset_layout_and_schema(runs, tmp_path):
    out = tmp_path / "exported"
    assert api.export(out, runs.local_db, fmt="parquet") == runs.local.new
    def schema(root: Path, table: str) -> list[tuple[str, str]]:
        s = pq.read_schema(dataset.table_files(root, table)[0])
        return [(f.name, str(f.type).replace("element:", "item:")) for f in s]

    for table, expected in dataset.TABLES.items():
        want = [(f.name, str(f.type).replace("element:", "item:")) for f in expected]
        assert schema(out, table) == want == schema(runs.out, table), table
    single = tmp_path / "articles.parquet"
    api.export(single, runs.local_db, fmt="parquet")
    assert pq.read_table(single).column_names == dataset.TABLES["articles"].names
    again = tmp_path / "again.db"  # an export loads too: same articles and quotes
    api.load(out, again)
    assert _rows(again, "SELECT id, text FROM articles") == _rows(runs.local_db, "SELECT id, text FROM articles")
    assert _rows(again, "SELECT article_id, start, text FROM quotes") == \
        _rows(runs.local_db, "SELECT article_id, start, text FROM quotes")


def test_parquet_input_include_exclude_and_the_cli(spark, tmp_path, monkeypatch):
    import pyarrow as pa

    records = [GOOD, {**GOOD, "url": "https://wire.example/2", "title": "Other"}, {"title": "no text"}]
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "records.parquet")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "keep.txt").write_text("---\ntitle: Kept\n---\n" + GOOD["text"])
    (folder / "drop.txt").write_text("---\ntitle: Dropped\n---\n" + GOOD["text"] + " More.")
    copy = {**GOOD, "title": "Wire copy", "url": "https://wire.example/copy"}  # one URL twice: the later text wins
    (folder / "wire.jsonl").write_text(json.dumps(copy) + "\n" + json.dumps({**copy, "text": copy["text"] + " Updated."}))
    report = api.ingest_spark([str(tmp_path / "records.parquet"), str(folder)], str(tmp_path / "ds"), spark=spark,
                              settings=storyline.Settings(analyse=False, stories=False), exclude=["drop*"])
    articles = _table(tmp_path / "ds", "articles")
    assert sorted(a["title"] for a in articles) == ["Dam inspection ordered", "Kept", "Other", "Wire copy"]
    assert [a["text"] for a in articles if a["title"] == "Wire copy"][0].endswith("Updated.")
    assert [(s.origin.rsplit("/", 1)[-1], s.code) for s in report.skipped] == [("records.parquet#R3", "no-text")]
    assert not any(a["analysed"] for a in _table(tmp_path / "ds", "articles"))
    # the CLI: ingest --engine spark (the session above is reused), then load, twice
    monkeypatch.setenv("STORYLINE_ANALYSE", "false")
    monkeypatch.setenv("STORYLINE_STORIES", "false")  # the story stage is tested on the full run above
    result = CliRunner().invoke(app, ["ingest", "--engine", "spark", "--master", "local[2]", "--out",
                                      str(tmp_path / "cli"), str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles"] == 3
    for _ in range(2):
        result = CliRunner().invoke(app, ["load", str(tmp_path / "cli"), "--db", str(tmp_path / "c.db"), "-f", "json"])
        assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["new"], summary["unchanged"], summary["skipped_new"]) == (0, 3, 0)


def test_readers_give_the_same_from_bytes_as_from_files(tmp_path):
    """What executors do with a file's bytes (``read_blob``) is what the local engine does with the file."""
    from storyline.ingest import ReadOptions
    from storyline.ingest.directory import read_blob, read_file

    text = GOOD["text"]
    warc = (Path(storyline.sample_corpus()) / "warc" / "crawl-2024-12.warc.gz").read_bytes()
    files = {
        "arr.json": json.dumps([{"title": "a", "text": text}, {"title": "b"}]).encode(),
        "obj.json": json.dumps({"articles": [{"title": "a", "text": text}]}).encode(),
        "multi.json": (json.dumps({"title": "a", "text": text}) + "\n" + json.dumps({"text": text + " x"})).encode(),
        "page.html.gz": gzip.compress(f"<html><body><article><p>{text}</p><p>{text}</p></article></body></html>".encode()),
        "u16.txt": ("---\ntitle: U\n---\n" + text).encode("utf-16"),
        "noext": b"<!doctype html><html><body><p>" + text.encode() + b"</p></body></html>",
        "weird.xyz": b"hello there", "nul.txt": b"abc\x00def", "bad.jsonl.gz": b"\x1f\x8bnot gzip",
        "cut.warc.gz": warc[: len(warc) // 2], "cut.warc": gzip.decompress(warc)[: len(gzip.decompress(warc)) // 2],
    }
    options = ReadOptions()
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        from_file = list(read_file(tmp_path / name, options))
        assert from_file and from_file == list(read_blob(str(tmp_path / name), data, options)), name


def test_spark_refuses_what_executors_cannot_read(tmp_path):
    for spec, words in (("-", "standard input"), ("https://news.example/feed.xml", "does not fetch URLs")):
        with pytest.raises(UsageError, match=words):
            api.ingest_spark([spec], "/nonexistent/out")
    result = CliRunner().invoke(app, ["ingest", "x", "--out", "y"])
    assert result.exit_code == 2 and "--engine spark" in result.output
    result = CliRunner().invoke(app, ["load", "/nonexistent/dataset", "--db", str(tmp_path / "never.db")])
    assert result.exit_code == 2 and "not a storyline dataset" in result.output


def _guide_commands(guide: str) -> list[list[str]]:
    """Every command line in the guide's ``bash`` blocks (continuation lines joined), split into words."""
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", guide, re.S):
        lines += [line.strip() for line in block.replace("\\\n", " ").splitlines()]
    return [shlex.split(line, comments=True) for line in lines if line and not line.startswith("#")]


def test_the_spark_guide_names_only_options_that_exist():
    from storyline.engines.spark import submit_command

    guide = (ROOT / "docs" / "spark.md").read_text()
    commands = _guide_commands(guide)
    runs_storyline = [c[c.index("storyline"):] for c in commands if "storyline" in c]
    assert len(runs_storyline) >= 3
    for words in runs_storyline:
        help_text = CliRunner().invoke(app, [words[1], "--help"]).output
        for opt in (w.split("=")[0] for w in words[2:] if w.startswith("-")):
            assert opt in help_text, f"{opt} of `storyline {words[1]}` is not an option"
    built = submit_command(["hdfs:///news/2024/"], "hdfs:///datasets/news-2024")
    assert built in commands, "the guide shows the command submit_command builds"
    assert any(c[:3] == ["python", "-m", "pip"] and "wheel" in c for c in commands)
    assert any(c[0] == "venv-pack" for c in commands)
    for words in (built, *runs_storyline):  # options of the job itself exist
        job = words[words.index("ingest"):] if "ingest" in words else []
        help_text = CliRunner().invoke(app, ["ingest", "--help"]).output
        assert all(w in help_text for w in job if w.startswith("--"))
    for name in re.findall(r"STORYLINE_([A-Z_]+)", guide):
        assert name.lower() in storyline.Settings.describe() or name in ("CONFIG",), name
    for setting in ("spark.python.worker.reuse", "spark.executor.pyspark.memory",
                    "spark.sql.execution.arrow.maxRecordsPerBatch", "spark.sql.shuffle.partitions"):
        assert setting in guide
