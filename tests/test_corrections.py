"""Analyst corrections on the sample corpus, through the CLI: the issue's done-when test end to end (four
corrections hold after re-ingest, ``stories --rebuild`` and ``restructure``, are listed with who / when /
before / after, are shown marked in the web UI, and undo restores the machine's answer), then every
action, the refusals (unknown ids, conflicts; exit 2, nothing changed) and redirects followed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import storyline
from corrections_support import cli, cli_json, corrections_store, db, event_mates, event_of, rows, snapshot  # noqa: F401
from storyline import api
from storyline.store import Store
from storyline.store.stories import RestructureTables
from web_support import LiveServer, browser, page  # noqa: F401 (fixtures)


def _targets(db: Path) -> dict:
    """What the done-when test corrects, chosen from what the machine made of the sample corpus."""
    stories = api.stories(db)
    line = next(s for s in stories if len(s["events"]) >= 3)
    first, second = line["events"][0], line["events"][1]
    article = first["article_ids"][0]
    quote = next(q for q in api.quotes(db, kind="direct") if q["speaker"] and q["speaker"]["entity_id"])
    people = [e for e in api.entities(db, type_="PERSON") if e["id"] != quote["speaker"]["entity_id"]]
    by_name: dict[str, list[dict]] = {}
    for e in api.entities(db):
        by_name.setdefault(e["name"], []).append(e)
    twins = next(v for v in by_name.values() if len(v) == 2)   # one name, two entities (a place and its government)
    keep, other = sorted(twins, key=lambda e: -e["mentions"])
    conflicted = next(s for s in stories if api.brief(s["id"], db)["conflicts"])
    conflict = api.brief(conflicted["id"], db)["conflicts"][0]
    return {"storyline": line["id"], "article": article, "from_event": first["id"], "to_event": second["id"],
            "mates": event_mates(db, article),
            "quote": quote, "speaker": people[0], "keep": keep, "other": other, "conflict": conflict,
            "conflict_storyline": conflicted["id"]}


def _holds(db: Path, t: dict, to_mates: set[str]) -> None:
    assert event_mates(db, t["article"]) >= to_mates, "the article is with the event it was moved to"
    assert rows(db, "SELECT speaker_entity_id FROM quotes WHERE id = ?", t["quote"]["id"]) == [(t["speaker"]["id"],)]
    assert rows(db, "SELECT COUNT(*) FROM entities WHERE id = ?", t["other"]["id"]) == [(0,)]
    assert rows(db, "SELECT COUNT(*) FROM mentions WHERE entity_id = ?", t["keep"]["id"]) == \
        [(t["keep"]["mentions"] + t["other"]["mentions"],)]
    placed = rows(db, "SELECT e.storyline_id FROM event_articles ea JOIN events e ON e.id = ea.event_id "
                      "WHERE ea.article_id = ?", t["conflict"]["sides"][0]["article_id"])[0][0]
    brief = api.brief(placed, db)
    assert t["conflict"]["id"] not in {c["id"] for c in brief["conflicts"]}
    assert t["conflict"]["id"] in {d["id"] for d in brief["summary"]["dismissed"]}


@pytest.mark.slow
@pytest.mark.timeout(1500)   # re-ingest, rebuild, restructure, briefs and Chromium on a machine shared by many
def test_four_corrections_hold_through_reingest_rebuild_restructure_show_in_the_ui_and_undo(db, browser):  # noqa: F811
    t = _targets(db)
    to_mates = {a for a in api.event(t["to_event"], db)["article_ids"] if a != t["article"]}
    made = [
        cli_json("correct", "move-article", t["article"], "--to-event", str(t["to_event"]), "--by", "ana",
                 "--note", "same press conference", db=db),
        cli_json("correct", "speaker", t["quote"]["id"], "--entity", str(t["speaker"]["id"]), "--by", "ben", db=db),
        cli_json("correct", "merge-entities", str(t["keep"]["id"]), str(t["other"]["id"]), "--by", "ana", db=db),
        cli_json("correct", "dismiss", "conflict", t["conflict"]["id"], "--reason", "two different meetings",
                 "--by", "cy", db=db),
    ]
    assert [m["action"] for m in made] == ["move-article", "speaker", "merge-entities", "dismiss"]
    _holds(db, t, to_mates)

    # the machine runs again: re-ingest, regroup from scratch (new ids), restructure
    code, _, err = cli("ingest", storyline.sample_corpus(), "--workers", "1", "-q", db=db)
    assert code == 0, err
    _holds(db, t, to_mates)
    code, _, err = cli("stories", "--rebuild", db=db)
    assert code == 0, err
    _holds(db, t, to_mates)
    code, _, err = cli("restructure", "--days", "5000", db=db)
    assert code == 0, err
    _holds(db, t, to_mates)

    listed = cli_json("corrections", db=db)
    assert [r["id"] for r in listed] == [m["id"] for m in made]
    for r in listed:
        assert set(r) == {"id", "at", "by", "action", "target", "before", "after", "note", "undone_at"}
        assert r["at"] and r["before"] and r["after"] and r["undone_at"] is None
    assert [r["by"] for r in listed] == ["ana", "ben", "ana", "cy"]
    move, speaker, merge, dismiss = listed
    assert move["note"] == "same press conference" and move["target"]["id"] == t["article"]
    assert move["before"]["event_id"] == t["from_event"] and move["after"]["event_id"] == t["to_event"]
    assert speaker["before"]["speaker"]["entity_id"] == t["quote"]["speaker"]["entity_id"]
    assert speaker["after"]["speaker"]["entity_id"] == t["speaker"]["id"]
    assert {e["id"] for e in merge["before"]["entities"]} == {t["keep"]["id"], t["other"]["id"]}
    assert dismiss["before"]["shown"] is True and dismiss["after"] == {"shown": False,
                                                                         "reason": "two different meetings"}

    # the web UI marks what was corrected, each mark one click from its audit entry
    server = LiveServer(db)
    try:
        story_now = next(s for s in api.stories(db) if t["article"] in s["article_ids"])
        pg = browser.new_page()
        pg.set_default_timeout(300_000)   # a page after a correction rebuilds its brief; the test machine is shared
        pg.goto(server.url(f"/stories/{story_now['id']}"))
        moved = pg.locator(f'li[data-article="{t["article"]}"] a.corrected[href="/corrections/{move["id"]}"]')
        assert moved.count() == 1
        moved.click()
        pg.wait_for_url(f"**/corrections/{move['id']}")
        entry = pg.locator(f"#c-{move['id']}")
        assert entry.locator(".by").inner_text() == "ana"
        assert json.loads(entry.locator("pre.before").inner_text())["event_id"] == move["before"]["event_id"]
        assert entry.locator("time.at").inner_text() == move["at"]
        pg.goto(server.url(f"/articles/{t['quote']['article_id']}"))
        quote = pg.locator(f'li[data-quote="{t["quote"]["id"]}"]')
        assert quote.locator(f'a.corrected[href="/corrections/{speaker["id"]}"]').count() == 1
        assert quote.locator("a.speaker").inner_text() == t["speaker"]["name"]
        pg.goto(server.url(f"/entities/{t['other']['id']}"))   # merged away: the page it became
        pg.wait_for_url(f"**/entities/{t['keep']['id']}")
        assert pg.locator(f'h1 a.corrected[href="/corrections/{merge["id"]}"]').count() == 1
        placed = next(s for s in api.stories(db) if t["conflict"]["sides"][0]["article_id"] in s["article_ids"])
        pg.goto(server.url(f"/stories/{placed['id']}"))
        gone = pg.locator(f'#dismissed li[data-id="{t["conflict"]["id"]}"]')
        assert gone.count() == 1 and "two different meetings" in gone.inner_text()
        assert pg.locator(f'#conflicts li[data-id="{t["conflict"]["id"]}"]').count() == 0
        gone.locator("a.corrected").click()
        pg.wait_for_url(f"**/corrections/{dismiss['id']}")
        assert pg.locator(f"#c-{dismiss['id']} .by").inner_text() == "cy"
        pg.close()
    finally:
        server.stop()

    # undo brings the machine's answer back
    for m in reversed(made):
        undone = cli_json("correct", "undo", str(m["id"]), "--by", "dee", db=db)
        assert undone["action"] == "undo" and undone["target"]["id"] == m["id"] and undone["by"] == "dee"
    assert event_mates(db, t["article"]) == t["mates"]
    assert rows(db, "SELECT speaker_entity_id FROM quotes WHERE id = ?", t["quote"]["id"]) == \
        [(t["quote"]["speaker"]["entity_id"],)]
    other = t["other"]
    assert rows(db, "SELECT COUNT(*) FROM mentions WHERE entity_id = ?", other["id"]) == [(other["mentions"],)]
    assert rows(db, "SELECT COUNT(*) FROM mentions WHERE entity_id = ?", t["keep"]["id"]) == [(t["keep"]["mentions"],)]
    placed = next(s for s in api.stories(db) if t["conflict"]["sides"][0]["article_id"] in s["article_ids"])
    assert t["conflict"]["id"] in {c["id"] for c in api.brief(placed["id"], db)["conflicts"]}
    after = cli_json("corrections", db=db)
    assert all(r["undone_at"] for r in after if r["action"] != "undo") and len(after) == 8


def test_refusals_exit_2_and_change_nothing(db):  # noqa: F811
    before = snapshot(db)
    line = next(s for s in api.stories(db) if len(s["events"]) >= 2)
    article = line["events"][0]["article_ids"][0]
    refused = [
        ("correct", "move-article", "no-such-article", "--to-event", str(line["events"][1]["id"])),
        ("correct", "move-article", article, "--to-event", "999999"),
        ("correct", "move-article", article),
        ("correct", "merge-events", str(line["events"][0]["id"]), "999999"),
        ("correct", "merge-stories", str(line["id"]), str(line["id"])),
        ("correct", "split-story", str(line["id"]), "--events", ",".join(str(e["id"]) for e in line["events"])),
        ("correct", "speaker", "no-such-quote", "--none"),
        ("correct", "merge-entities", "1", "999999"),
        ("correct", "split-entity", "1", "--mentions", "no-such-article:0"),
        ("correct", "alias", "999999", "Someone"),
        ("correct", "dismiss", "conflict", "x-nope-1-aaaaaaaaaaaa", "--reason", "wrong"),
        ("correct", "dismiss", "claim", "not-an-id", "--reason", "wrong"),
        ("correct", "date", article, "2024-13-45"),
        ("correct", "outlet", "no-such-article", "Somewhere"),
        ("correct", "undo", "424242"),
    ]
    for args in refused:
        code, out, err = cli(*args, db=db)
        assert code == 2, (args, out, err)
        assert err.startswith("error: ") and "nothing was changed" in " ".join(err.split()), (args, err)
    assert snapshot(db) == before


def test_a_conflicting_correction_is_refused_and_machine_redirects_are_followed(db):  # noqa: F811
    line = next(s for s in api.stories(db) if len(s["events"]) >= 3)
    a, b, c = line["events"][:3]
    merged = cli_json("correct", "merge-events", str(a["id"]), str(b["id"]), db=db)
    mover = c["article_ids"][0]
    before = snapshot(db)
    code, _, err = cli("correct", "move-article", mover, "--to-event", str(b["id"]), db=db)
    assert code == 2
    assert f"merged into event {a['id']} by correction {merged['id']}" in " ".join(err.split())
    assert snapshot(db) == before
    code, _, err = cli("correct", "merge-events", str(b["id"]), str(c["id"]), db=db)   # B is gone: a conflict too
    assert code == 2 and f"correction {merged['id']}" in err
    # an event the machine merged away (as restructure does) is followed to the one it became
    with Store(db) as store, store._transaction():
        t = RestructureTables(store.conn, "2025-01-01T00:00:00+00:00")
        keep = a["id"]
        other = api.stories(db)[-1]["events"][0]
        t.move_articles([m for m, _ in t.event_vectors(other["id"])], keep, "merged")
        t.retire("events", other["id"])
        t.redirect("event", other["id"], keep, "merged")
        t.recompute_event(keep)
    moved = cli_json("correct", "move-article", mover, "--to-event", str(other["id"]), db=db)
    assert moved["target"]["to_event"] == other["id"] and moved["target"]["event_id"] == keep
    assert event_of(db, mover) == keep
    # a second correction of the same thing conflicts with the first
    code, _, err = cli("correct", "move-article", mover, "--new-event", db=db)
    assert code == 2 and f"correction {moved['id']}" in err


@pytest.mark.timeout(900)   # eleven corrections, their undos and the story stage placing articles again
def test_every_action_applies_holds_when_applied_again_and_undoes(db):  # noqa: F811
    from storyline.corrections import reapply

    stories = api.stories(db)
    line = next(s for s in stories if len(s["events"]) >= 3)
    small = next(s for s in stories if s["id"] != line["id"])
    article = line["events"][0]["article_ids"][0]
    person = next(e for e in api.entities(db, type_="PERSON") if e["mentions"] >= 4)
    mentions = rows(db, "SELECT article_id, start FROM mentions WHERE entity_id = ? ORDER BY article_id, start",
                    person["id"])
    brief = api.brief(line["id"], db)
    position = brief["positions"][0]
    pevent = api.political_events(db, storyline=line["id"])[0]
    quote = next(q for q in api.quotes(db, kind="direct"))
    day_sql = "SELECT day, day_basis, month FROM story_features WHERE article_id = ?"
    machine_day = rows(db, day_sql, article)
    months = rows(db, "SELECT month, n FROM story_months WHERE n > 0 ORDER BY month")
    made = {
        "merge-stories": cli_json("correct", "merge-stories", str(line["id"]), str(small["id"]), db=db),
        "split-story": None,
        "split-entity": cli_json("correct", "split-entity", str(person["id"]), "--mentions",
                                 f"{mentions[0][0]}:{mentions[0][1]}", "--name", "Someone Else", db=db),
        "alias": cli_json("correct", "alias", str(person["id"]), "The Spokesman", db=db),
        "date": cli_json("correct", "date", article, "2020-02-02", db=db),
        "outlet": cli_json("correct", "outlet", article, "Corrected Courier", db=db),
        "speaker-none": cli_json("correct", "speaker", quote["id"], "--none", db=db),
        "position": cli_json("correct", "dismiss", "position", position["id"], "--reason", "not a stance", db=db),
        # a claim of the storyline as the merge left it (its asserting set, and so its id, can grow with it)
        "claim": cli_json("correct", "dismiss", "claim", (claim := api.brief(line["id"], db)["claims"][0])["id"],
                          "--reason", "not central", db=db),
        "event": cli_json("correct", "dismiss", "event", pevent["id"], "--reason", "a description", db=db),
        "new-event": cli_json("correct", "move-article", article, "--new-event", db=db),
    }
    leaving = [e["id"] for e in api.story(line["id"], db)["events"]][-1:]
    made["split-story"] = cli_json("correct", "split-story", str(line["id"]), "--events",
                                   ",".join(map(str, leaving)), db=db)

    def check() -> None:
        merged = api.story(line["id"], db)
        assert set(small["article_ids"]) - set(merged["article_ids"]) <= \
            set(a for e in leaving for a in api.event(e, db)["article_ids"])
        split_to = made["split-story"]["after"]["new_storyline"]["storyline_id"]
        assert {e["id"] for e in api.story(split_to, db)["events"]} == set(leaving)
        new = rows(db, "SELECT entity_id FROM mentions WHERE article_id = ? AND start = ?", *mentions[0])[0][0]
        assert new != person["id"] and rows(db, "SELECT name FROM entities WHERE id = ?", new) == [("Someone Else",)]
        assert "The Spokesman" in api.entity(person["id"], db)["aliases"]
        got = api.article(article, db)
        assert (got.article.published, got.article.date_source, got.article.outlet) == \
            ("2020-02-02", "corrected", "Corrected Courier")
        assert rows(db, day_sql, article) == [("2020-02-02", "published", "2020-02")]
        assert rows(db, "SELECT kind, speaker_entity_id FROM quotes WHERE id = ?", quote["id"]) == [("term", None)]
        b = api.brief(line["id"], db)
        assert position["id"] not in {p["id"] for p in b["positions"]}
        assert claim["id"] not in {c["id"] for c in b["claims"]}
        assert pevent["id"] not in {e["id"] for e in api.political_events(db)}
        assert event_mates(db, article) == set()

    check()
    with Store(db) as store:
        assert reapply(store).changed == 0   # everything already holds
    check()
    for key in ("split-story", "new-event", "event", "claim", "position", "speaker-none", "outlet", "date", "alias",
                "split-entity", "merge-stories"):
        cli_json("correct", "undo", str(made[key]["id"]), db=db)
    assert api.story(line["id"], db)["article_ids"] and len(api.stories(db)) == len(stories)
    got = api.article(article, db)
    assert got.article.date_source != "corrected" and got.article.outlet != "Corrected Courier"
    assert rows(db, day_sql, article) == machine_day   # the day the story stage grouped it by, as before
    assert rows(db, "SELECT month, n FROM story_months WHERE n > 0 ORDER BY month") == months
    assert rows(db, "SELECT COUNT(*) FROM mentions WHERE entity_id = ?", person["id"]) == [(person["mentions"],)]
    assert "The Spokesman" not in api.entity(person["id"], db)["aliases"]
    assert rows(db, "SELECT kind FROM quotes WHERE id = ?", quote["id"]) == [(quote["kind"],)]
    assert pevent["id"] in {e["id"] for e in api.political_events(db)}
    assert rows(db, "SELECT COUNT(*) FROM outlets WHERE name = 'Corrected Courier'") == [(0,)]


def test_stable_ids_survive_a_rebuild(db):  # noqa: F811
    from storyline.analysis import ids

    line = api.stories(db)[0]
    brief = api.brief(line["id"], db)
    before = {k: [x["id"] for x in brief[k]] for k in ("positions", "claims", "conflicts")}
    for k, kind in (("positions", "position"), ("claims", "claim"), ("conflicts", "conflict")):
        for item_id in before[k]:
            assert ids.parse(item_id)[0] == kind
    code, _, err = cli("stories", "--rebuild", db=db)
    assert code == 0, err
    again = next(s for s in api.stories(db) if set(s["article_ids"]) == set(line["article_ids"]))
    brief = api.brief(again["id"], db)
    assert {k: [x["id"] for x in brief[k]] for k in before} == before


def test_a_speaker_correction_follows_its_quote_when_the_article_text_moves(db):  # noqa: F811
    from storyline.corrections import reapply

    quote = next(q for q in api.quotes(db, kind="direct") if q["speaker"] and q["speaker"]["entity_id"])
    person = next(e for e in api.entities(db, type_="PERSON") if e["id"] != quote["speaker"]["entity_id"])
    fix = cli_json("correct", "speaker", quote["id"], "--entity", str(person["id"]), db=db)
    # the article re-cleaned (a learned line removed before the quote): the machine stores the quote again,
    # seven characters on, under the id its new offsets give, with its own speaker
    with Store(db) as store, store._transaction():
        store.conn.execute("UPDATE quotes SET id = ?, start = start - 7, end = end - 7, speaker_entity_id = ? "
                           "WHERE id = ?", (quote["id"] + "-moved", quote["speaker"]["entity_id"], quote["id"]))
    with Store(db) as store:
        assert reapply(store).changed == 1
    assert rows(db, "SELECT speaker_entity_id FROM quotes WHERE id = ?", quote["id"] + "-moved") == [(person["id"],)]
    code, _, err = cli("correct", "speaker", quote["id"] + "-moved", "--none", db=db)   # still corrected: a conflict
    assert code == 2 and f"correction {fix['id']}" in err
    cli_json("correct", "undo", str(fix["id"]), db=db)
    assert rows(db, "SELECT speaker_entity_id FROM quotes WHERE id = ?", quote["id"] + "-moved") == \
        [(quote["speaker"]["entity_id"],)]
