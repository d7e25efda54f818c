"""Time windows of placement, on a real store and real vector indexes with hand-made vectors (no models): an
undated event stays within its storyline's days, and a storyline's quiet time is measured to its nearest event."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from storyline.engines.stories import open_index
from storyline.records import StoryArticle
from storyline.store import Store
from storyline.store.stories import StoryTables
from storyline.stories.assign import Assigner

DIM = 384
NOW = "2026-01-01T00:00:00+00:00"


def unit(*pairs: tuple[int, float]) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    for i, x in pairs:
        v[i] = x
    return v / np.linalg.norm(v)


def grams(tag: str) -> set[bytes]:
    """Shingles no other article shares (so no copy or rewrite is found)."""
    return {f"{tag} word {i}".encode() for i in range(40)}


def article(aid: str, day: str | None, day_from: str | None = None, day_to: str | None = None) -> StoryArticle:
    basis = "published" if day else "range"
    return StoryArticle(article_id=aid, content_hash=aid, title=aid, day=day, day_basis=basis,
                        month=day[:7] if day else "undated", outlet_id=None, shingles=40, day_from=day_from,
                        day_to=day_to)


def place(store: Store, items: list[tuple[StoryArticle, np.ndarray]]) -> dict[str, tuple[int, int]]:
    """Place articles in this order; article id -> (event, storyline)."""
    tables = StoryTables(store.conn, NOW)
    index = open_index(store, tables)
    assigner = Assigner(tables, index)
    with store._transaction():
        store.conn.executemany("INSERT INTO articles (id, content_hash, title, published, text, origin, ingested_at) "
                               "VALUES (?,?,?,?,?,'',?)", [(a.article_id, a.content_hash, a.title, a.day, "", NOW)
                                                           for a, _ in items])
        out = {}
        for a, v in items:
            done = assigner.assign(a, grams(a.article_id), v)
            out[a.article_id] = (done.event_id, done.storyline_id)
    return {a: tuple(r) for a, *r in store.conn.execute(  # type: ignore[misc]
        "SELECT ea.article_id, ea.event_id, e.storyline_id FROM event_articles ea JOIN events e ON e.id = ea.event_id")}


def test_a_dated_article_does_not_stretch_an_undated_event_beyond_its_storyline(tmp_path: Path) -> None:
    """A 2020 storyline holds an undated event whose text bounds it only to 2015-2020. A 2016 report of the same
    content used to join that event (the range allowed it) and stretch the storyline back four years; the undated
    event lies within its storyline's days, so the 2016 report opens a storyline of its own."""
    story = unit((0, 1.0))
    aside = unit((0, 0.42), (1, np.sqrt(1 - 0.42 ** 2)))   # the same story told another way: cosine 0.42
    with Store(str(tmp_path / "w.db")) as store:
        placed = place(store, [
            (article("dated-2020", "2020-03-01"), story),
            (article("undated", None, "2015-01-01", "2020-12-31"), aside),
            (article("dated-2016", "2016-05-01"), aside),
        ])
        spans = dict(store.conn.execute("SELECT id, start || '..' || end FROM storylines WHERE n_articles > 0"))
    assert placed["undated"][1] == placed["dated-2020"][1]           # continues the storyline, its own event
    assert placed["undated"][0] != placed["dated-2020"][0]
    assert placed["dated-2016"][1] != placed["dated-2020"][1]        # not pulled four years back
    assert spans[placed["dated-2020"][1]] == "2020-03-01..2020-03-01"


def test_storyline_quiet_gaps_measure_to_the_nearest_event(tmp_path: Path) -> None:
    with Store(str(tmp_path / "q.db")) as store:
        t = StoryTables(store.conn, NOW)
        with store._transaction():
            line, other, empty = t.new_storyline(), t.new_storyline(), t.new_storyline()
            for sid, start, end in ((line, "2024-01-01", "2024-01-03"), (line, "2024-10-01", "2024-10-02"),
                                    (other, "2024-06-20", "2024-06-25")):
                e = t.new_event(sid)
                store.conn.execute("UPDATE events SET start = ?, end = ?, n_articles = 1 WHERE id = ?", (start, end, e))
            t.new_event(empty)
        gaps = t.storyline_quiet_gaps([line, other, empty], "2024-07-01", "2024-07-01")
        assert gaps == {line: 92, other: 6}    # July: 92 days before October's event; none dated in the third
        assert t.storyline_quiet_gaps([other], "2024-06-01", "2024-06-30") == {other: 0}


def test_of_two_storylines_that_fit_the_one_its_neighbours_are_in_is_taken(tmp_path: Path) -> None:
    """Two storylines of the same weeks both fit a new report about as well as wholes: it goes where its nearest
    articles are (six reports of an ongoing story), not to the one-article storyline that scores a hair higher;
    without that preference it would go to the latter and split the story."""
    from dataclasses import replace

    from storyline.stories.assign import StoryParams

    new = unit((0, 1.0))
    ongoing = unit((0, 0.60), (1, 0.80))                      # cosine 0.60 with the new report
    aside = unit((0, 0.61), (2, np.sqrt(1 - 0.61 ** 2)))      # cosine 0.61
    items = [(article(f"ongoing-{i}", "2024-03-01"), ongoing) for i in range(6)]
    items += [(article("aside", "2024-03-02"), aside), (article("new", "2024-03-12"), new)]
    for support, home in ((0.0, "aside"), (StoryParams().storyline_support, "ongoing-0")):
        with Store(str(tmp_path / f"s{support}.db")) as store:
            tables = StoryTables(store.conn, NOW)
            assigner = Assigner(tables, open_index(store, tables), replace(StoryParams(), storyline_support=support))
            with store._transaction():
                store.conn.executemany("INSERT INTO articles (id, content_hash, title, published, text, origin, "
                                       "ingested_at) VALUES (?,?,?,?,?,'',?)",
                                       [(a.article_id, a.content_hash, a.title, a.day, "", NOW) for a, _ in items])
                done = {a.article_id: assigner.assign(a, grams(a.article_id), v) for a, v in items}
        assert done["new"].basis == "storyline"
        assert done["new"].storyline_id == done[home].storyline_id


def test_content_alone_never_puts_an_undated_article_into_an_event_outside_its_inferred_range(tmp_path: Path) -> None:
    """A March 2025 event; undated articles with the event's very content (the same vector, entities and terms) and
    an inferred range: the one whose range holds March 2025 joins the event; the one whose text bounds it to 2019
    opens an event of its own, and so does an exact copy of the event's text whose range is 2019 (a copy joins its
    original's event only within its range), while an exact copy with no range joins as a copy."""
    from dataclasses import replace

    v = unit((0, 1.0))
    ents, words = {1: 3, 2: 2}, {10: 2, 11: 1}
    dated = replace(article("dated", "2025-03-04"), entities=ents, terms=words)
    same = [replace(article(aid, None, lo, hi), entities=ents, terms=words)
            for aid, lo, hi in (("within", "2025-01-01", "2025-12-31"), ("outside", "2019-01-01", "2019-06-30"))]
    copy_out = replace(article("copy-outside", None, "2019-01-01", "2019-06-30"), content_hash="dated",
                       entities=ents, terms=words)
    copy_none = replace(article("copy-undated", None), day_basis="none", content_hash="dated", entities=ents,
                        terms=words)
    with Store(str(tmp_path / "u.db")) as store:
        tables = StoryTables(store.conn, NOW)
        assigner = Assigner(tables, open_index(store, tables))
        items = [dated, *same, copy_out, copy_none]
        with store._transaction():
            store.conn.executemany("INSERT INTO articles (id, content_hash, title, published, text, origin, "
                                   "ingested_at) VALUES (?,?,?,?,?,'',?)",
                                   [(a.article_id, a.content_hash, a.title, a.day, "", NOW) for a in items])
            done = {a.article_id: assigner.assign(a, grams("dated" if a.content_hash == "dated" else a.article_id), v)
                    for a in items}
    event = done["dated"].event_id
    assert done["within"].event_id == event and done["within"].duplicate_of is None   # by content, as an event
    assert done["outside"].event_id != event and done["outside"].new_event
    assert done["copy-outside"].event_id != event and done["copy-outside"].duplicate_of is None
    assert done["copy-undated"].event_id == event and done["copy-undated"].duplicate_kind == "exact"
