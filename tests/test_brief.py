"""The brief: its JSON keys, a summary whose every sentence is cited to the article sentence it came from
(positions, claims and conflicts in their contract shape included), escaping in every rendering, the
optional rewrite through a local chat-completions server that must keep every citation, and the CLI."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from material_support import article, material, quote, story
from typer.testing import CliRunner

import storyline
from storyline import brief
from storyline.analysis import framing, ledger, timeline
from storyline.cli import app
from web_support import web_db  # noqa: F401 (fixture)

KEYS = {"timeline", "statements", "positions", "claims", "conflicts", "framing", "coverage", "summary"}
OFF = storyline.Settings(llm_base_url="", llm_model="")


def _corpus():
    a = article("a", "MOSCOW, Dec 9 - The Kremlin said on Monday that Russia remains open to talks. Kyiv must "
                     "first revoke its ban, spokesman Dmitry Vorontsov said. Upwards of 150,000 troops are massed, "
                     "officials said.", "Meridian Wire", "2024-12-09", title="Kremlin open to talks")
    b = article("b", "The Kremlin said on Monday that Moscow is open to talks if Kyiv lifts its ban. Tens of "
                     "thousands of troops are massed, a source said. Any settlement must include the new regions, "
                     "Vorontsov said.", "RusVesti Today", "2024-12-09")
    c = article("c", 'Talks <script>alert(1)</script> resumed in *Istanbul* [on](javascript:x) Wednesday. "This is '
                     'not the start of negotiations," Vorontsov said.', "Danube Herald", "2025-01-08")
    quotes = [quote(c, "This is not the start of negotiations,", 1)]
    return [a, b, c], material([a, b, c], quotes)


def _sections(arts, m):
    """Real timeline, ledger, framing and coverage; positions, claims, conflicts written in their contract shape."""
    a, b, c = (x.text for x in arts)
    s = story(arts, {"a": 1, "b": 1, "c": 2})
    tl = timeline.build(s, m)
    span = lambda text, words: (text.index(words), text.index(words) + len(words))  # noqa: E731
    demand, settle = span(a, "Kyiv must first revoke its ban"), span(b, "Any settlement must include the new regions")
    positions = [
        {"holder": {"entity_id": 1, "name": "Dmitry Vorontsov"}, "reported_by": None, "type": "demand",
         "text": a[demand[0]:demand[1]], "content": a[demand[0]:demand[1]],
         "date": "2024-12-09", "date_basis": "published", "article_id": "a", "start": demand[0], "end": demand[1],
         "sentence": {"start": a.index("Kyiv must"), "end": a.index("Upwards") - 1}, "outlet": "Meridian Wire",
         "quote_id": None},
        {"holder": {"entity_id": 1, "name": "Dmitry Vorontsov"}, "reported_by": None, "type": "condition",
         "text": b[settle[0]:settle[1]], "content": b[settle[0]:settle[1]],
         "date": "2024-12-09", "date_basis": "published", "article_id": "b", "start": settle[0], "end": settle[1],
         "sentence": {"start": settle[0], "end": len(b)}, "outlet": "RusVesti Today", "quote_id": None}]
    open_a, open_b = span(a, "Russia remains open to talks"), span(b, "Moscow is open to talks")
    claims = [
        {"id": "c1", "text": "Russia is open to talks", "kind": "statement", "asserted_by": [
            {"article_id": "a", "outlet": "Meridian Wire", "source_id": "a", "start": open_a[0], "end": open_a[1],
             "text": a[open_a[0]:open_a[1]]},
            {"article_id": "b", "outlet": "RusVesti Today", "source_id": "b", "start": open_b[0], "end": open_b[1],
             "text": b[open_b[0]:open_b[1]]}], "independent_sources": 2, "omitted_by": [], "contradicted_by": []},
        {"id": "c2", "text": "talks resumed", "kind": "event", "asserted_by": [
            {"article_id": "c", "outlet": "Danube Herald", "source_id": "c", "start": 0, "end": 10, "text": c[:10]}],
         "independent_sources": 1, "omitted_by": [], "contradicted_by": []}]
    up, tens = span(a, "Upwards of 150,000"), span(b, "Tens of thousands")
    conflicts = [{"kind": "number", "about": "troops massed", "confidence": 0.8, "sides": [
        {"article_id": "a", "outlet": "Meridian Wire", "start": up[0], "end": up[1], "text": a[up[0]:up[1]],
         "value": [150000, None]},
        {"article_id": "b", "outlet": "RusVesti Today", "start": tens[0], "end": tens[1], "text": b[tens[0]:tens[1]],
         "value": [20000, 90000]}]}]
    return s, {"timeline": tl, "statements": ledger.build(m), "positions": positions, "claims": claims,
               "conflicts": conflicts, "framing": framing.build(s, m), "coverage": framing.coverage(s, tl)}


def test_every_summary_sentence_is_an_article_sentence_with_its_citations():
    arts, m = _corpus()
    s, sections = _sections(arts, m)
    b = brief.compose(s, sections, m, OFF)
    assert set(b) == KEYS and b["summary"]["kind"] == "extractive"
    topics = {p["topic"]: p["sentences"] for p in b["summary"]["paragraphs"]}
    assert list(topics) == ["What happened", "Who said what", "Where each side stands", "What is corroborated",
                            "What is disputed"]
    for sentences in topics.values():
        for x in sentences:
            c = x["citations"][0]
            assert {"article_id", "outlet", "date", "start", "end", "title", "opinion"} == set(c)
            if x.get("sides"):   # a dispute: what is disputed, each side's value with its own citations
                assert x["lead"] and all(sd["value"] in x["text"] and sd["citations"] for sd in x["sides"])
                continue
            assert m.articles[c["article_id"]].text[c["start"]:c["end"]] == x["text"] and x["lead"]
    assert [x["text"][:14] for x in topics["What happened"]] == ["MOSCOW, Dec 9 ", 'Talks <script>']
    corroborated = topics["What is corroborated"]  # the claim of two sources, cited by both; c2 (one) left out
    # its first source's sentence already told what happened: the other source's sentence says it, both cited
    assert len(corroborated) == 1 and [c["article_id"] for c in corroborated[0]["citations"]] == ["b", "a"]
    (dispute,) = topics["What is disputed"]   # one line per conflict: each side's value with its citations
    assert [sd["citations"][0]["article_id"] for sd in dispute["sides"]] == ["a", "b"]
    assert [x["text"][:4] for x in topics["Where each side stands"]] == ["Any ", "Kyiv"]  # the latest first
    assert json.loads(json.dumps(b)) == b


def test_renderings_escape_article_text():
    arts, m = _corpus()
    s, sections = _sections(arts, m)
    b = brief.compose(s, sections, m, OFF)
    md = brief.to_markdown(b)
    assert not re.search(r"(?<!\\)[<>]", md) and "](javascript:" not in md and r"\<script\>" in md
    assert r"\*Istanbul\*" in md and r"\[on\]\(javascript:x\)" in md and "(/articles/a#s-0)" in md
    html = brief.to_html(b)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="/articles/c#s-0"' in html
    for heading in ("## Positions", "## Claims", "## Conflicts"):
        assert heading in md
    assert "(/articles/a#s-" in md.split("## Conflicts")[1]
    assert '<section id="conflicts">' in html and "Upwards of 150,000" in html
    text = brief.to_text(b).replace("\u00a0", " ")
    assert "[Meridian Wire, 2024-12-09]" in text and "\x1b" not in text


class _Chat(BaseHTTPRequestHandler):
    """A chat-completions endpoint: answers with ``server.answer(user text)``; records the requests."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        content = self.server.answer(body["messages"][-1]["content"])
        data = json.dumps({"id": "x", "object": "chat.completion", "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def chat() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Chat)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _with_endpoint(chat, answer, monkeypatch):
    monkeypatch.setenv("STORYLINE_LLM_API_KEY", "k-123")
    chat.answer = answer
    arts, m = _corpus()
    s, sections = _sections(arts, m)
    settings = storyline.Settings(llm_base_url=f"http://127.0.0.1:{chat.server_address[1]}/v1", llm_model="m")
    return brief.compose(s, sections, m, settings), brief.compose(s, sections, m, OFF)


def test_a_rewrite_that_keeps_every_citation_is_used(chat, monkeypatch):
    rewritten, extractive = _with_endpoint(chat, lambda text: text.replace("said", "stated"), monkeypatch)
    assert rewritten["summary"]["kind"] == "rewritten" and rewritten["summary"]["rewritten_by"] == "m"
    assert chat.seen[0]["path"] == "/v1/chat/completions" and chat.seen[0]["auth"] == "Bearer k-123"
    assert chat.seen[0]["body"]["model"] == "m" and "[c1]" in chat.seen[0]["body"]["messages"][-1]["content"]
    cites = lambda b: [c for p in b["summary"]["paragraphs"] for x in p["sentences"] for c in x["citations"]]  # noqa
    assert cites(rewritten) == cites(extractive)
    assert any("stated" in x["text"] for p in rewritten["summary"]["paragraphs"] for x in p["sentences"])
    assert all(x["citations"] for p in rewritten["summary"]["paragraphs"] for x in p["sentences"])


@pytest.mark.parametrize("answer", [
    lambda text: text.replace("[c1]", ""),  # a citation lost
    lambda text: text + " And a claim nobody made.",  # a sentence without a citation
    lambda text: text + " Again [c1].",  # a citation repeated
])
def test_a_rewrite_that_loses_a_citation_falls_back_to_the_extractive_paragraph(chat, monkeypatch, answer):
    rewritten, extractive = _with_endpoint(chat, answer, monkeypatch)
    assert rewritten["summary"]["paragraphs"] == extractive["summary"]["paragraphs"]
    assert rewritten["summary"]["kind"] == "extractive" and rewritten["summary"]["rewrite_refused"]


def test_an_unreachable_endpoint_leaves_the_extractive_brief(monkeypatch):
    arts, m = _corpus()
    s, sections = _sections(arts, m)
    with ThreadingHTTPServer(("127.0.0.1", 0), _Chat) as closed:
        port = closed.server_address[1]
    settings = storyline.Settings(llm_base_url=f"http://127.0.0.1:{port}/v1", llm_model="m")
    b = brief.compose(s, sections, m, settings)
    assert b["summary"]["kind"] == "extractive" and len(b["summary"]["rewrite_refused"]) == len(
        b["summary"]["paragraphs"])


def test_the_brief_of_every_sample_storyline_resolves_and_reads_in_time_order(web_db):  # noqa: F811
    for s in storyline.stories(web_db):
        b = storyline.api.brief(s["id"], web_db, settings=OFF)
        assert set(b) == KEYS
        dates = [e["date"] for e in b["timeline"] if e["date"]]
        assert dates == sorted(dates) and {e["date_basis"] for e in b["timeline"]} <= {
            "explicit", "resolved", "published", "inferred", "none"}
        for p in b["summary"]["paragraphs"]:
            for x in p["sentences"]:
                for c in x["citations"]:
                    text = storyline.article(c["article_id"], web_db).article.text
                    assert text[c["start"]:c["end"]].strip() and "outlet" in c
                first = x["citations"][0]
                if not x.get("sides"):
                    assert storyline.article(first["article_id"], web_db).article.text[first["start"]:first["end"]] \
                        == x["text"]


def test_brief_command_in_every_format(web_db):  # noqa: F811
    sid = storyline.stories(web_db, limit=1)[0]["id"]
    runner = CliRunner()
    md = runner.invoke(app, ["brief", str(sid), "--db", str(web_db)])
    assert md.exit_code == 0 and md.output.startswith("# ") and "## Timeline" in md.output
    data = json.loads(runner.invoke(app, ["brief", str(sid), "--db", str(web_db), "--format", "json"]).output)
    assert set(data) == KEYS
    html = runner.invoke(app, ["brief", str(sid), "--db", str(web_db), "--format", "html"]).output
    assert html.startswith("<!doctype html>")
    missing = runner.invoke(app, ["brief", "424242", "--db", str(web_db)])
    assert missing.exit_code == 1 and "no storyline" in missing.output


def test_run_ends_with_the_brief_of_the_largest_storyline(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i, outlet in enumerate(["Meridian Wire", "Danube Herald"]):
        (corpus / f"{i}.md").write_text(
            f"---\ntitle: Dockworkers strike at Constanta\noutlet: {outlet}\npublished: 2024-10-14\n---\n"
            "Around 3,000 dockworkers walked off the job at the Black Sea port of Constanta on Monday, union "
            "officials said. \"We have asked for talks for eight months,\" union leader Ion Barbu said. The "
            "transport ministry said it would meet the union on Wednesday.\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["run", str(corpus), "--db", str(tmp_path / "s.db"), "--quiet"])
    assert out.exit_code == 0, out.output
    tail = out.output[out.output.index("Brief: "):].replace("\u00a0", " ")
    assert "What happened" in tail and re.search(r"\[(Meridian Wire|Danube Herald), 2024-10-14\]", tail)


def test_the_brief_carries_the_real_positions_claims_and_conflicts(web_db):  # noqa: F811
    sid = storyline.stories(web_db, limit=1)[0]["id"]
    b = storyline.api.brief(sid, web_db, settings=OFF)
    assert b["positions"] and b["claims"] and b["conflicts"]
    for p in b["positions"]:
        text = storyline.article(p["article_id"], web_db).article.text
        assert p["text"] in text[p["sentence"]["start"]:p["sentence"]["end"]]
    changed = [p for p in b["positions"] if p.get("changes")]
    assert changed, "an actor's stated position changes across the largest sample storyline"
    for p in changed:
        for ch in p["changes"]:
            assert ch["after"]["article_id"] == p["article_id"] and ch["before"]["article_id"]
    assert all(c["sides"] and all("start" in s and "article_id" in s for s in c["sides"]) for c in b["conflicts"])
    md = storyline.api.brief(sid, web_db, "md", settings=OFF)
    assert "## Positions" in md and " · since " in md and "## Conflicts" in md


def _copy_store(src, dst):
    import sqlite3

    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


def _count_embeds(monkeypatch) -> list[str]:
    """The texts MiniLM embeds from now on (the brief and the story stage call ``stories.embed.embed``)."""
    import importlib

    embed_module = importlib.import_module("storyline.stories.embed")
    real, embedded = embed_module.embed, []

    def counting(texts, *args, **kwargs):
        embedded.extend(texts)
        return real(texts, *args, **kwargs)

    monkeypatch.setattr(embed_module, "embed", counting)
    return embedded


def test_a_briefs_sentence_vectors_are_stored_and_the_next_brief_embeds_none(web_db, tmp_path, monkeypatch):  # noqa: F811
    import sqlite3

    db = _copy_store(web_db, tmp_path / "s.db")
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM sentence_vectors")   # an earlier brief of the shared store kept some
    sid = storyline.stories(db, limit=1)[0]["id"]
    first = storyline.api.brief(sid, db, settings=OFF)
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT COUNT(*) FROM sentence_vectors").fetchone()[0]
    assert stored > 0 and first["claims"]
    embedded = _count_embeds(monkeypatch)
    assert storyline.api.brief(sid, db, settings=OFF) == first and embedded == []
    # a vector of an article's earlier text is not used: that sentence is embedded again
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sentence_vectors SET content_hash = 'earlier' WHERE article_id = "
                     "(SELECT article_id FROM sentence_vectors LIMIT 1)")
    assert storyline.api.brief(sid, db, settings=OFF) == first and embedded


def test_a_brief_whose_vectors_cannot_be_stored_is_the_same_brief(web_db, tmp_path):  # noqa: F811
    import sqlite3

    db = _copy_store(web_db, tmp_path / "s.db")
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM sentence_vectors")   # an earlier brief of the shared store kept some
    sid = storyline.stories(db, limit=1)[0]["id"]
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")   # a busy writer holds the store for the whole brief
    try:
        held = storyline.api.brief(sid, db, settings=OFF)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sentence_vectors").fetchone()[0] == 0
    assert storyline.api.brief(sid, db, settings=OFF) == held


def test_the_collector_is_paused_while_a_brief_is_built_and_runs_again_after(web_db, monkeypatch):  # noqa: F811
    import gc

    seen = []
    coverage = brief.SECTIONS["coverage"]

    def watching(ctx):
        seen.append(gc.isenabled())
        return coverage(ctx)

    monkeypatch.setitem(brief.SECTIONS, "coverage", watching)
    sid = storyline.stories(web_db, limit=1)[0]["id"]
    assert gc.isenabled()
    storyline.api.brief(sid, web_db, settings=OFF)
    assert seen == [False] and gc.isenabled()

    def failing(ctx):
        raise RuntimeError("a section fails")

    monkeypatch.setitem(brief.SECTIONS, "coverage", failing)
    with pytest.raises(RuntimeError):
        storyline.api.brief(sid, web_db, settings=OFF)
    assert gc.isenabled()


def test_the_story_stage_stores_each_articles_lead_vectors_as_a_brief_would_embed_them(tmp_path, monkeypatch):
    import sqlite3

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.md").write_text(
        "---\ntitle: Dockworkers strike at Constanta\noutlet: Harbour Post\npublished: 2024-10-14\n---\n"
        "CONSTANTA, Romania, Oct 14 (Harbour Post) - Around 3,000 dockworkers walked off the job at the Black "
        "Sea port on Monday, union officials said. The transport ministry said it would meet the union on "
        "Wednesday.\n", encoding="utf-8")
    (corpus / "b.md").write_text(
        "---\ntitle: Port strike halts grain loading\noutlet: Danube Herald\npublished: 2024-10-14\n---\n"
        "A strike by dockworkers halted grain loading at Constanta on Monday. Union leader Ion Barbu said talks "
        "had stalled for eight months.\n", encoding="utf-8")
    db = tmp_path / "s.db"
    storyline.ingest([str(corpus)], db, settings=storyline.Settings(workers=1))
    with sqlite3.connect(db) as conn:
        stored = set(conn.execute("SELECT article_id, start FROM sentence_vectors"))
        firsts = {}
        for aid, start, end in conn.execute("SELECT article_id, start, end FROM sentences ORDER BY article_id, idx"):
            text = conn.execute("SELECT substr(text, ?, ?) FROM articles WHERE id = ?",
                                (start + 1, end - start, aid)).fetchone()[0]
            firsts.setdefault(aid, []).append((start, text))
    assert len(firsts) == 2   # every sentence of both but the bare dateline (fewer than LEAD_VECTORS here)
    assert stored == {(aid, start) for aid, sentences in firsts.items() for start, text in sentences
                      if not text.startswith("CONSTANTA")}
    embedded = _count_embeds(monkeypatch)
    sid = storyline.stories(db, limit=1)[0]["id"]
    storyline.api.brief(sid, db, settings=OFF)
    assert not any("walked off the job" in t or "halted grain loading" in t for t in embedded)


def test_a_corroborated_line_is_cited_only_by_sources_giving_its_figures():
    """A claim asserted by three sources: the one writing "at least 12" where the line says 14 does not cite it
    (its figure is not the line's); the one writing 14 in other words does."""
    from storyline.analysis import summary

    a = article("a", "The floods killed 14 people in Romania and Moldova, officials said on Sunday.", "Delta Wire",
                "2025-04-27")
    b = article("b", "Officials said flash floods killed at least 12 people in Romania and Moldova.", "River Times",
                "2025-04-27")
    c = article("c", "Fourteen people died in the floods in Romania and Moldova, officials said.", "Harbour Daily",
                "2025-04-27")
    m = material([a, b, c], [])
    writer = summary._Writer(m)
    line = writer.sentence([("a", 0), ("b", 0), ("c", 0)], "claim", "c1", "3 independent sources")
    assert line["text"] == a.text
    assert [x["article_id"] for x in line["citations"]] == ["a", "c"]


def test_a_line_is_cited_only_by_sources_saying_most_of_it():
    """Another source's sentence on the same subject that says something else does not cite the line."""
    from storyline.analysis import summary

    a = article("a", "Mayor Ion Dobre said the ferry levy would be scrapped in June.", "Delta Wire", "2025-04-27")
    b = article("b", "The ferry levy will be scrapped in June, Mayor Ion Dobre said.", "River Times", "2025-04-27")
    c = article("c", "Mayor Ion Dobre spoke to reporters at the harbour on Monday.", "Harbour Daily",
                "2025-04-27")
    line = summary._Writer(material([a, b, c], [])).sentence([("a", 0), ("b", 0), ("c", 0)], "claim", "c1")
    assert [x["article_id"] for x in line["citations"]] == ["a", "b"]


def test_where_each_side_stands_groups_a_holder_in_any_letter_case_and_words_a_group_in_the_plural():
    from storyline.analysis import summary

    a = article("a", "Protesters demanded the release of the port report. The minister rejected the demand.",
                "Delta Wire", "2025-04-27")
    b = article("b", "The marchers said protesters oppose the new curfew.", "River Times", "2025-04-28")
    m = material([a, b], [])

    def position(art, holder, kind, words, eid=None):
        start = art.text.index(words)
        return {"holder": {"entity_id": eid, "name": holder}, "type": kind, "article_id": art.id, "start": start,
                "end": start + len(words), "date": art.published, "quote_id": None}

    lines = summary._positions([position(a, "Protesters", "demand", "Protesters demanded"),
                                position(b, "protesters", "oppose", "protesters oppose"),
                                position(a, "Ion Dobre", "reject", "The minister rejected", eid=7)], summary._Writer(m))
    assert [x["lead"] for x in lines] == ["Protesters oppose", "Protesters demand", "Ion Dobre rejects"]
    assert lines[2]["stance"] == {"type": "reject", "holder": "Ion Dobre", "start": a.text.index("The minister"),
                                  "end": a.text.index("The minister") + len("The minister rejected"),
                                  "basis": None}


def test_a_position_judged_from_speech_says_so_in_the_summary_and_the_sections():
    from storyline import brief
    from storyline.analysis import summary

    a = article("a", "\"The levy is a disgrace to every islander,\" Ion Dobre said.", "Delta Wire", "2025-04-27")
    m = material([a], [])
    start = a.text.index("The levy")
    judged = {"holder": {"entity_id": 7, "name": "Ion Dobre"}, "type": "oppose", "article_id": a.id, "start": start,
              "end": start + 30, "date": a.published, "quote_id": None, "basis": "judged", "content": "levy",
              "text": "The levy is a disgrace", "outlet": "Delta Wire"}
    lines = summary._positions([judged], summary._Writer(m))
    assert [x["lead"] for x in lines] == ["Ion Dobre opposes (judged from what was said)"]
    assert lines[0]["stance"]["basis"] == "judged"
    assert "(oppose, judged, 2025-04-27)" in "\n".join(brief._md_analyses({"positions": [judged]}, ""))
    assert "(oppose, 2025-04-27)" in "\n".join(brief._md_analyses({"positions": [{**judged, "basis": "cue"}]}, ""))


def test_where_each_side_stands_shows_a_stance_other_articles_report_before_a_later_single_one():
    from storyline.analysis import summary

    a = article("a", "Ion Dobre opposes the port levy on grain barges.", "Delta Wire", "2025-04-27")
    b = article("b", "Ion Dobre spoke against the port levy on grain barges.", "River Times", "2025-04-28")
    c = article("c", "Ion Dobre opposes the night curfew, an aide of his told reporters.", "Harbour Daily",
                "2025-04-29")
    m = material([a, b, c], [])

    def position(art, words, quote=None, reporter=None):
        start = art.text.index(words)
        return {"holder": {"entity_id": 7, "name": "Ion Dobre"}, "type": "oppose", "article_id": art.id,
                "start": start, "end": start + len(words), "date": art.published, "quote_id": quote,
                "reported_by": reporter, "content": words}

    lines = summary._positions([position(a, "opposes the port levy on grain barges"),
                                position(b, "spoke against the port levy on grain barges"),
                                position(c, "opposes the night curfew", reporter={"name": "an aide"})],
                               summary._Writer(m))
    # one line per type: the stance two outlets report, not the later one a single aide reported
    assert [x["citations"][0]["article_id"] for x in lines] == ["b"]


def test_who_said_what_takes_one_statement_per_speaker_named_speakers_first(monkeypatch):
    from storyline.analysis import summary

    a = article("a", "Ion Dobre said the port levy would ruin every grain trader on the coast. Dobre added that the "
                     "ferries would stop running in May. Police said the harbour gates would stay shut until "
                     "the inquiry ends.", "Delta Wire", "2025-04-27")
    b = article("b", "Elena Stan said the ministry would publish the full safety report next week.", "River Times",
                "2025-04-28")
    m = material([a, b], [])

    def statement(art, sid, words, day):
        start = art.text.index(words)
        report = {"article_id": art.id, "start": start, "end": start + len(words)}
        return {"id": sid, "text": words, "n_articles": 1, "said_on": day, "verbatim": True,
                "variants": [{"reports": [report]}]}

    dobre = {"speaker": {"entity_id": 1, "name": "Ion Dobre"},
             "statements": [statement(a, 1, "the port levy would ruin every grain trader on the coast", "2025-04-27"),
                            statement(a, 2, "the ferries would stop running in May", "2025-04-27")]}
    police = {"speaker": {"entity_id": None, "name": "Police"},
              "statements": [statement(a, 3, "the harbour gates would stay shut until the inquiry ends", "2025-04-26")]}
    stan = {"speaker": {"entity_id": 2, "name": "Elena Stan"},
            "statements": [statement(b, 4, "the ministry would publish the full safety report next week",
                                     "2025-04-28")]}
    lines = summary._statements([dobre, police, stan], summary._Writer(m))
    # one line per speaker, in the order said; the second article's speaker before a second line of article a
    assert [x["lead"] for x in lines] == ["Police", "Ion Dobre", "Elena Stan"]
    monkeypatch.setattr(summary, "SUMMARY_STATEMENTS", 2)
    lines = summary._statements([dobre, police, stan], summary._Writer(m))
    assert [x["lead"] for x in lines] == ["Ion Dobre", "Elena Stan"]   # named speakers before a description


def test_what_happened_leaves_an_event_only_opinion_pieces_describe_to_the_timeline():
    from storyline.analysis import summary, timeline

    news = article("n", "The port of Galati reopened on Monday after a three-day blockade by grain traders.",
                   "Delta Wire", "2025-04-28")
    column = article("c", "The best thing to do about the blockade is to wait it out, and here is why.",
                     "River Times", "2025-04-29", title="Opinion: Let the blockade end itself")
    mixed = article("m", "The opening of the port is a win for everyone, and here is why.", "Harbour Daily",
                    "2025-04-28", title="Opinion: A win for the port")
    m = material([news, column, mixed], [])
    events = timeline.build(story([news, column, mixed], {"n": 1, "m": 1, "c": 2}), m)
    # an event a report and a column share is described by the report
    assert {e["id"]: e["description"]["citation"]["article_id"] for e in events} == {1: "n", 2: "c"}
    lines = [x for x in summary._timeline(events, summary._Writer(m)) if x]
    assert [x["ref"] for x in lines] == [1]
    only_columns = [e for e in events if e["id"] == 2]
    assert [x["ref"] for x in summary._timeline(only_columns, summary._Writer(m)) if x] == [2]   # nothing else


def test_what_is_corroborated_shows_a_wording_that_names_its_subject_first():
    from storyline.analysis import summary

    a = article("a", "He then linked the harbour fees to the closure of the grain quay.", "Delta Wire", "2025-04-27")
    b = article("b", "Mayor Ion Dobre linked the harbour fees to the closure of the grain quay.", "River Times",
                "2025-04-28")
    m = material([a, b], [])

    def said(art):
        return {"article_id": art.id, "source_id": art.id, "start": 0, "end": len(art.text), "text": art.text}

    claim = {"id": "c1", "independent_sources": 2, "asserted_by": [said(a), said(b)]}
    (line,) = summary._claims([claim], summary._Writer(m))
    assert line["text"] == b.text and [c["article_id"] for c in line["citations"]][0] == "b"


def test_an_event_is_dated_by_the_day_each_report_opens_with_not_by_background_days():
    def at(text: str, words: str, value: str) -> dict:
        start = text.index(words)
        return {"start": start, "end": start + len(words), "text": words, "value": value, "granularity": "day",
                "basis": "relative"}

    one = "The harbour minister warned Thursday of a full closure, days after Saturday's blast at the grain pier."
    two = "Port unions on Thursday backed the minister's warning. The blast on Saturday killed two dockers."
    a = article("a", one, "Delta Wire", "2025-04-17")
    b = article("b", two, "River Times", "2025-04-17")
    times = {"a": [at(one, "Thursday", "2025-04-17"), at(one, "Saturday", "2025-04-12")],
             "b": [at(two, "Thursday", "2025-04-17"), at(two, "Saturday", "2025-04-12")]}
    events = timeline.build(story([a, b], {"a": 1, "b": 1}), material([a, b], [], times=times))
    # both reports name both days; each opens with Thursday, its news: the blast is background
    assert [(e["date"], e["date_basis"], e["date_named"]["text"]) for e in events] == [
        ("2025-04-17", "resolved", "Thursday")]
    # a report that opens on a day five days back recalls it: its own news is of the day it is published
    three = "Saturday's blast at the grain pier has left the port half empty, dockers said."
    c = article("c", three, "Delta Wire", "2025-04-17")
    events = timeline.build(story([c], {"c": 1}), material([c], [], times={"c": [at(three, "Saturday", "2025-04-12")]}))
    assert [(e["date"], e["date_basis"]) for e in events] == [("2025-04-17", "published")]
