"""The CLI and Python API end to end on small hand-written inputs: contracts, formats, exit codes, kill safety."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli import app

runner = CliRunner()

PAGE = """<!doctype html><html lang="en"><head><title>Dam inspection ordered</title>
<meta property="og:site_name" content="River Post"><meta property="article:published_time" content="2025-04-02">
<link rel="canonical" href="https://riverpost.example/2025/04/dam"></head><body><nav>Home | Rivers</nav>
<article><h1>Dam inspection ordered</h1><p>The regional governor ordered an inspection of the old dam on Tuesday
after engineers reported new cracks in its eastern wall.</p><p>Residents downstream were told no evacuation was
planned, according to the governor's office.</p></article><footer>Contact us</footer></body></html>"""
TEXT = """---
outlet: Valley Courier
url: https://valleycourier.example/dam-cracks
---
Engineers find cracks in dam
Engineers find cracks in dam
date 2025-04-01 Engineers inspecting the old dam found new cracks in its eastern wall, the water agency said.
Share this article
The agency said repairs would take at least a month.
"""
RECORDS = [
    {"title": "Governor visits dam", "text": "The governor visited the dam on Wednesday and met the engineers "
     "who found the cracks, her office said in a statement.", "url": "https://wire.example/a",
     "published": "2025-04-03T10:00:00Z", "outlet": "Wire"},
    {"headline": "Repairs begin", "content_original": "Repair crews began work on the eastern wall of the old dam, "
     "the water agency said on Friday.", "link": "https://wire.example/b", "pubDate": "N/A", "source": "Wire"},
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "page.html").write_text(PAGE)
    (root / "sub" / "scraped.txt").write_text(TEXT)
    (root / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n")
    return root


def cli(*args: str, db: Path) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--db", str(db)])
    return result.exit_code, result.stdout


def test_ingest_then_list_show_search_export(corpus, tmp_path):
    db = tmp_path / "s.db"
    code, _ = cli("ingest", str(corpus), "--workers", "1", "-q", db=db)
    assert code == 0
    code, out = cli("articles", "--format", "json", db=db)
    rows = json.loads(out)
    assert len(rows) == 4
    assert {"id", "title", "outlet", "url", "published", "date_source", "language", "text", "origin"} <= set(rows[0])
    by_title = {r["title"]: r for r in rows}
    assert by_title["Dam inspection ordered"]["published"] == "2025-04-02"
    assert by_title["Dam inspection ordered"]["date_source"] == "html-meta"
    assert by_title["Dam inspection ordered"]["outlet"] == "River Post"
    assert by_title["Engineers find cracks in dam"]["date_source"] == "text-field"
    assert by_title["Engineers find cracks in dam"]["published"] == "2025-04-01"
    assert "Share this article" not in by_title["Engineers find cracks in dam"]["text"]
    assert by_title["Governor visits dam"]["date_source"] == "json-field"
    assert by_title["Repairs begin"]["published"] is None and by_title["Repairs begin"]["date_source"] is None
    assert by_title["Repairs begin"]["origin"].endswith("wire.jsonl#L2")

    one = rows[0]["id"]
    code, out = cli("articles", one, "--format", "json", db=db)
    assert code == 0 and json.loads(out)["id"] == one
    code, _ = cli("articles", "does-not-exist", db=db)
    assert code == 1

    code, out = cli("search", "cracks", "--format", "json", db=db)
    assert {h["title"] for h in json.loads(out)} >= {"Dam inspection ordered", "Engineers find cracks in dam"}
    code, out = cli("search", "cracks", "--outlet", "Valley Courier", "--format", "json", db=db)
    assert [h["title"] for h in json.loads(out)] == ["Engineers find cracks in dam"]
    code, out = cli("search", "dam", "--since", "2025-04-02", "--until", "2025-04-02", "--format", "csv", db=db)
    assert [r["title"] for r in csv.DictReader(io.StringIO(out))] == ["Dam inspection ordered"]

    code, out = cli("export", "--format", "jsonl", db=db)
    assert len([json.loads(l) for l in out.splitlines()]) == 4
    pq_path = tmp_path / "out.parquet"
    code, _ = cli("export", "--format", "parquet", "--out", str(pq_path), db=db)
    assert code == 0 and pq.read_table(pq_path).num_rows == 4
    code, out = cli("export", "--format", "csv", db=db)
    assert len(list(csv.DictReader(io.StringIO(out)))) == 4


def test_reingest_adds_nothing_and_changed_text_is_an_update(corpus, tmp_path):
    db = tmp_path / "s.db"
    first = storyline.ingest([str(corpus)], db, settings=storyline.Settings(workers=1))
    again = storyline.ingest([str(corpus)], db, settings=storyline.Settings(workers=1))
    assert (first.new, again.new, again.unchanged, again.updated) == (4, 0, 4, 0)
    (corpus / "page.html").write_text(PAGE.replace("no evacuation was", "a partial evacuation was"))
    third = storyline.ingest([str(corpus)], db, settings=storyline.Settings(workers=1))
    assert (third.new, third.updated, third.unchanged) == (0, 1, 3)
    with storyline.open_store(db, readonly=True) as store:
        assert store.count_articles() == 4


def test_a_record_repeated_in_one_run_is_analysed_once_and_each_repeat_takes_its_outcome(tmp_path, monkeypatch):
    import storyline.engines.local as local
    analysed: list[str] = []
    real = local.process_batch

    def counting(docs, *args):
        analysed.extend(d.origin for d in docs)
        return real(docs, *args)

    monkeypatch.setattr(local, "process_batch", counting)
    long = {"title": "Ferry talks resume", "outlet": "Harbour Post",
            "text": "The ferry operator and the union resumed talks on Tuesday after a week of strikes. " * 4}
    other = {"title": "Tram line approved", "outlet": "Harbour Post",
             "text": "The city council approved the new tram line after a two-hour debate on Thursday. " * 4}
    short = {"title": "Brief", "text": "Too short."}
    lines = [long, short, long, long, other, short, long, short, long]
    src = tmp_path / "export.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in lines))
    db = tmp_path / "s.db"
    report = storyline.ingest([str(src)], db, settings=storyline.Settings(workers=1, batch_size=2, stories=False))
    assert len(analysed) == 3   # one of each record; lines 3, 4, 6, 7, 8, 9 wait for their first
    assert (report.new, report.unchanged) == (2, 4)
    assert [s.code for s in report.skipped] == ["too-short"] * 3
    assert all("repeats the record of" in s.reason for s in report.skipped[1:])
    with storyline.open_store(db, readonly=True) as store:
        assert store.count_articles() == 2
    analysed.clear()
    again = storyline.ingest([str(src)], db, settings=storyline.Settings(workers=1, stories=False))
    assert analysed == [] and (again.new, again.unchanged, len(again.skipped)) == (0, 6, 3)


def test_two_worker_processes_give_the_same_store_as_one(corpus, tmp_path):
    a = storyline.ingest([str(corpus)], tmp_path / "a.db", settings=storyline.Settings(workers=1, batch_size=1))
    b = storyline.ingest([str(corpus)], tmp_path / "b.db", settings=storyline.Settings(workers=2, batch_size=1))
    assert a.new == b.new == 4
    ids = [sorted(x.article.id for x in storyline.articles(db)) for db in (tmp_path / "a.db", tmp_path / "b.db")]
    assert ids[0] == ids[1]


def test_include_exclude_and_exit_codes(corpus, tmp_path):
    db = tmp_path / "s.db"
    code, out = cli("ingest", str(corpus), "--include", "*.txt", "--format", "json", "-q", db=db)
    assert code == 0 and json.loads(out)["ingested"] == 1
    code, out = cli("ingest", str(corpus), "--exclude", "sub/*", "--exclude", "*.jsonl", "--format", "json", "-q",
                    db=tmp_path / "t.db")
    assert code == 0 and json.loads(out)["ingested"] == 1
    (corpus / "blob.bin").write_bytes(b"\x00\x01binary\x00" * 10)
    code, out = cli("ingest", str(corpus), "--format", "json", "-q", db=tmp_path / "u.db")
    report = json.loads(out)
    assert code == 1 and report["ingested"] == 4 and report["skipped_by_reason"] == {"binary": 1}
    code, _ = cli("ingest", str(corpus), "--field", "nonsense", "-q", db=tmp_path / "v.db")
    assert code == 2
    code, _ = cli("articles", "--since", "yesterday", db=db)
    assert code == 2


def test_settings_are_documented_and_layered(tmp_path, monkeypatch):
    code, out = cli("settings", "--format", "json", db=tmp_path / "x.db")
    rows = {r["name"]: r for r in json.loads(out)}
    assert set(rows) == set(storyline.Settings.describe()) and all(r["help"] for r in rows.values())
    (tmp_path / "storyline.toml").write_text("batch_size = 7\nfetch_delay = 0.5\n")
    monkeypatch.setenv("STORYLINE_FETCH_DELAY", "0.25")
    s = storyline.Settings.load(tmp_path / "storyline.toml", workers=3)
    assert (s.batch_size, s.fetch_delay, s.workers) == (7, 0.25, 3)
    (tmp_path / "bad.toml").write_text("no_such_setting = 1\n")
    with pytest.raises(storyline.UsageError, match="no_such_setting"):
        storyline.Settings.load(tmp_path / "bad.toml")


def test_every_command_and_setting_is_in_the_readme():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert [c for c in commands if f"storyline {c}" not in readme] == []
    assert [s for s in storyline.Settings.describe() if f"`{s}`" not in readme] == []


def test_public_api_is_pinned():
    assert set(storyline.__all__) == {
        "Article", "Block", "DecodeError", "EmptyInput", "FetchError", "IngestReport", "InputError", "NotFound",
        "RawDocument", "RemovedLine", "SearchHit", "Settings", "Skip", "Store", "StoredArticle", "StoreError",
        "StorylineError", "TooLarge", "UnsupportedInput", "UsageError", "__version__", "article", "articles",
        "entities", "entity", "export", "ingest", "open_store", "process", "quotes", "sample_corpus", "search",
        "statements", "duplicates", "event", "restructure", "stories", "story", "update_stories",
    }


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_a_readable_store_and_a_rerun_completes(tmp_path):
    n = 1500
    src = tmp_path / "many.jsonl"
    with src.open("w") as fh:
        for i in range(n):
            fh.write(json.dumps({"title": f"Report {i}", "url": f"https://many.example/{i}", "outlet": "Many",
                                 "text": f"Report number {i} says the river rose by {i % 97} centimetres overnight "
                                         f"and that crews worked until dawn on section {i}."}) + "\n")
    db = tmp_path / "k.db"
    env = {**os.environ, "STORYLINE_BATCH_SIZE": "10", "STORYLINE_WORKERS": "1", "STORYLINE_STORIES": "false"}
    proc = subprocess.Popen([sys.executable, "-m", "storyline", "ingest", str(src), "--db", str(db), "-q"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.time() + 60
    while time.time() < deadline and stored < 50:
        time.sleep(0.05)
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
                stored = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < stored < n, "the ingest should have been killed part-way"
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        before = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        fts = c.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'river'").fetchone()[0]
        assert fts == before
    report = storyline.ingest([str(src)], db, settings=storyline.Settings(workers=1, stories=False))
    assert report.exit_code == 0 and report.new == n - before and report.unchanged == before
    with storyline.open_store(db, readonly=True) as store:
        assert store.count_articles() == n


def _dying_batch(batch, settings):
    from storyline.pipeline import process_batch

    if any("poison" in d.body for d in batch):
        os._exit(3)  # a worker killed mid-batch (as by the OOM killer)
    return process_batch(batch, settings)


def test_a_dead_worker_costs_its_batch_not_the_run(tmp_path, monkeypatch):
    import storyline.engines.local as local

    monkeypatch.setattr(local, "process_batch", _dying_batch)  # inherited by forked workers
    src = tmp_path / "in.jsonl"
    rows = [{"title": f"R{i}", "url": f"https://d.example/{i}",
             "text": ("poison " if i == 3 else "") + f"Report {i} on the river level, which rose overnight by {i} cm."}
            for i in range(8)]
    src.write_text("\n".join(json.dumps(r) for r in rows))
    report = storyline.ingest([str(src)], tmp_path / "s.db",
                              settings=storyline.Settings(workers=2, batch_size=1, analyse=False))
    assert report.new == 7
    assert [(s.origin.rsplit("#", 1)[1], s.code) for s in report.skipped] == [("L4", "worker-died")]


@pytest.mark.parametrize("module", ["storyline", "storyline.cli"])
def test_the_command_runs_as_a_module_either_way(module):
    # `python -m storyline.cli` once failed on a circular import between the command's modules
    done = subprocess.run([sys.executable, "-m", module, "correct", "--help"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Correct what the machine got wrong" in done.stdout
