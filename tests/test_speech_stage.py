"""The speech judge's sentence stage in ingest: the worker processes leave the speech it must read to the main
process (a process forked from one that has loaded torch must not use it), and the stances stored are those of
an ingest in one process (articles written for this test)."""

from __future__ import annotations

import json
import sqlite3

import storyline
from storyline.extract.stance_judge import load_model

ARTICLES = [
    ("Senator attacks ferry levy", "Senator Ana Mirea attacked the ferry levy on Monday. \"This levy is a "
     "disgrace and a betrayal of every family on the island,\" Mirea said. \"It is an insult to the people who "
     "keep this port running.\" Transport Minister Elena Stan said the levy would fund new berths."),
    ("Mayor praises harbour deal", "Mayor Ion Dobre praised the harbour agreement on Tuesday. \"This is a "
     "wonderful day for the harbour and a fine, fair agreement for the workers,\" Dobre said. Union leader "
     "Victor Pop said the talks had been hard. \"It is a shameful surrender to the shipping lines,\" Pop said."),
    ("Ferry talks resume", "Talks on the ferry levy resume on Thursday. \"We will meet the operators in the "
     "port,\" Elena Stan said. \"The timetable is unchanged,\" a ministry spokesman said."),
]


def _stances(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT a.title, s.type, s.holder_name, s.basis, s.start, s.end FROM stances s "
                                   "JOIN articles a ON a.id = s.article_id").fetchall())


def test_workers_leave_speech_to_the_main_process_and_store_what_one_process_would(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps({"title": t, "text": x, "outlet": f"Outlet {i}", "published": "2024-05-0"
                                       f"{i + 1}"}) + "\n" for i, (t, x) in enumerate(ARTICLES)))
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    storyline.ingest([str(src)], one, settings=storyline.Settings(workers=1, stories=False))
    storyline.ingest([str(src)], two, settings=storyline.Settings(workers=2, batch_size=1, stories=False))
    alone, forked = _stances(one), _stances(two)
    assert forked == alone
    assert not any(s[3] == "pending" for s in forked)
    assert load_model().second is not None   # the shipped judge reads speech in context: some of it is judged
    assert any(s[3] == "judged" for s in forked)


def test_an_embedder_failing_in_the_main_process_costs_those_stances_not_the_batch(tmp_path, monkeypatch):
    from storyline.extract import stance_judge

    def broken(texts):
        raise RuntimeError("no embedder here")

    monkeypatch.setattr(stance_judge, "_embed", broken)
    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps({"title": t, "text": x, "outlet": f"Outlet {i}", "published": "2024-05-0"
                                       f"{i + 1}"}) + "\n" for i, (t, x) in enumerate(ARTICLES)))
    db = tmp_path / "two.db"
    report = storyline.ingest([str(src)], db, settings=storyline.Settings(workers=2, batch_size=1, stories=False))
    assert report.new == len(ARTICLES) and not report.skipped
    stances = _stances(db)
    assert stances and not any(s[3] in ("pending", "judged") for s in stances)   # the cues' stances are kept
