"""Embedding ahead (storyline.engines.ahead): the story stage's texts embedded during ingest, beside the workers."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest

import storyline
from storyline import api
from storyline.engines import ahead as ahead_module
from storyline.engines.ahead import EmbedAhead, story_inputs
from storyline.engines.stories import LEAD_VECTORS
from storyline.records import Analysis, Article, Processed, Sentence
from storyline.stories.embed import embed, sentence_input, story_text

# written for these tests: three short reports, one opening with a dateline paragraph of its own
ARTICLES = [
    ("Ferry landing closes in Tulcea", "TULCEA, March 3 (Wire) -\nThe regional council voted on Tuesday to close "
     "the old ferry landing after engineers found cracks in its pilings. Councillor Ana Ilie said a temporary "
     "pontoon would open within three weeks. Ferry operators warned that queues of lorries would grow. The county "
     "prefect promised extra buses for foot passengers. Villagers in the delta said they had heard nothing. The "
     "council meets again on Friday."),
    ("Snow postpones two league matches", "The national football league postponed two matches because of heavy "
     "snow in the north of the country. The federation said the fixtures would be replayed in spring. Both clubs "
     "accepted the decision, their managers said on Sunday."),
    ("Port of Constanta reopens after storm", "The port of Constanta reopened on Monday after a storm closed it for "
     "two days. Shipping agents said about forty vessels had waited at anchor. The harbour master said the "
     "breakwater had held."),
]


def _article(title: str, text: str) -> Article:
    return Article(id=title[:8], content_hash=title, raw_hash="", origin="test", text=text, title=title, url=None,
                   outlet="test", outlet_domain=None, author=None, published="2021-03-03", date_source="json-field",
                   language="en")


def test_story_inputs_are_the_lead_and_first_sentences_without_a_bare_dateline():
    title, text = ARTICLES[0]
    cuts = [0, text.index("\n")] + [i + 2 for i in range(len(text)) if text.startswith(". ", i)]
    spans = [(a, b) for a, b in zip(cuts, cuts[1:] + [len(text)])]
    sentences = tuple(Sentence(i, a, b if text[b - 1] != " " else b - 1) for i, (a, b) in enumerate(spans))
    article = _article(title, text)
    inputs = story_inputs([Processed(article, Analysis(article.id, sentences))])
    assert inputs[0] == story_text(title, text)
    lead = [sentence_input(text[s.start:s.end]) for s in sentences[1:LEAD_VECTORS + 1]]
    assert inputs[1:] == lead   # the dateline sentence is not embedded; five of the first six are
    assert len(inputs) == 1 + LEAD_VECTORS
    assert story_inputs([Processed(article, None)]) == [story_text(title, text)]   # not analysed: the lead only


def test_embed_answers_from_what_was_embedded_ahead_and_embeds_the_rest():
    ahead = EmbedAhead()
    try:
        article = _article(*ARTICLES[1])
        ahead.add([Processed(article, None)])
        known, other = story_text(article.title, article.text), "A sentence nobody embedded ahead."
        vectors = ahead.embed([other, known, other])
        assert (ahead.hits, ahead.misses) == (1, 1)
        assert vectors.shape == (3, 384) and vectors.dtype == np.float32
        assert np.allclose(vectors[0], vectors[2])
        assert np.allclose(vectors, embed([other, known, other]), atol=1e-4)
    finally:
        ahead.close()


def test_limit_caps_what_is_embedded_ahead():
    ahead = EmbedAhead(limit=1)
    try:
        ahead.add([Processed(_article(*a), None) for a in ARTICLES])
        ahead.wait()
        assert len(ahead.cache) == 1 and ahead.queued == 1
    finally:
        ahead.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_ingest_embeds_every_story_text_ahead_and_stores_the_same_vectors(tmp_path, monkeypatch, workers):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"title": t, "text": x, "published": "2021-03-03", "outlet": "Test Wire"})
                              + "\n" for t, x in ARTICLES), encoding="utf-8")
    made: list[EmbedAhead] = []

    class Recorded(EmbedAhead):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(api, "EmbedAhead", Recorded)
    db = tmp_path / "s.db"
    report = storyline.ingest([str(source)], str(db), settings=storyline.Settings(workers=workers))
    assert report.new == 3 and report.stories["placed"] == 3
    assert len(made) == 1 and made[0].misses == 0 and made[0].hits >= 3 + 3 * 2
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT v.start, v.vector, a.text FROM sentence_vectors v JOIN articles a "
                            "ON a.id = v.article_id").fetchall()
        ends = dict(conn.execute("SELECT article_id || ':' || start, end FROM sentences").fetchall())
        ids = dict(conn.execute("SELECT text, id FROM articles").fetchall())
    assert len(rows) >= 3 * 2
    for start, blob, text in rows:
        sentence = text[start:ends[f"{ids[text]}:{start}"]]
        stored = np.frombuffer(blob, dtype="<f2").astype(np.float32)
        assert float(stored @ embed([sentence_input(sentence)])[0]) > 0.999


def test_off_leaves_the_story_stage_to_embed(tmp_path, monkeypatch):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"title": ARTICLES[2][0], "text": ARTICLES[2][1], "published": "2021-03-03"}) + "\n",
                      encoding="utf-8")
    monkeypatch.setattr(ahead_module.EmbedAhead, "add", lambda *a: pytest.fail("embedded ahead while off"))
    report = storyline.ingest([str(source)], str(tmp_path / "s.db"),
                              settings=storyline.Settings(workers=1, embed_ahead=False))
    assert report.new == 1 and report.stories["placed"] == 1


PRELOAD_PROBE = """
import os, sys, spacy, storyline
calls = sys.argv[3]
real = spacy.load
def counted(*args, **kwargs):
    with open(calls, "a") as fh:
        fh.write(f"{os.getpid()}\\n")
    return real(*args, **kwargs)
spacy.load = counted
settings = storyline.Settings(workers=2, batch_size=1, stories=False)
report = storyline.ingest([sys.argv[1]], sys.argv[2], settings=settings)
print(report.new, os.getpid())
"""


def test_workers_are_forked_with_the_spacy_pipeline_loaded_once(tmp_path):
    """Two workers, three batches: spaCy is loaded once, in the main process, before the workers are forked."""
    import subprocess
    import sys

    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"title": t, "text": x}) + "\n" for t, x in ARTICLES), encoding="utf-8")
    calls = tmp_path / "calls.txt"
    out = subprocess.run([sys.executable, "-c", PRELOAD_PROBE, str(source), str(tmp_path / "s.db"), str(calls)],
                         capture_output=True, text=True, check=True)
    new, main_pid = out.stdout.split()
    assert new == "3"
    assert calls.read_text().split() == [main_pid]
