"""The store: migrations, idempotent writes, updates as versions, outlets, search, WAL readers."""

from __future__ import annotations

import sqlite3

import pytest

from storyline import Article, NotFound, Skip, Store, StoreError, UsageError
from storyline.clean.metadata import article_id, content_hash
from storyline.store import schema


def make_article(text: str = "The council approved the new budget on Monday after a long debate.",
                 url: str | None = "https://example.org/news/budget", outlet: str | None = "Example Daily",
                 domain: str | None = "example.org", published: str | None = "2024-12-10",
                 raw_hash: str = "r1", title: str = "Budget approved") -> Article:
    return Article(id=article_id(url, outlet, text), content_hash=content_hash(text), raw_hash=raw_hash,
                   origin="test", text=text, title=title, url=url, outlet=outlet, outlet_domain=domain,
                   author=None, published=published, date_source="html-meta" if published else None,
                   language="en")


def test_new_store_is_at_latest_schema_in_wal_mode(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store.schema_version == schema.latest_version()
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_older_store_is_upgraded_and_newer_refused(tmp_path, monkeypatch):
    path = tmp_path / "s.db"
    with Store(path):
        pass
    calls = []
    monkeypatch.setitem(schema.MIGRATIONS, 999, lambda conn: calls.append(conn.execute("SELECT 1").fetchone()))
    with Store(path) as store:
        assert store.schema_version == 999 and calls
    monkeypatch.delitem(schema.MIGRATIONS, 999)
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_a_migration_numbered_below_the_stores_version_is_still_applied(tmp_path, monkeypatch):
    # numbers are reserved per feature: a store made with migration 12 meets migration 8 after a merge
    path = tmp_path / "s.db"
    with Store(path):
        pass
    have = schema.latest_version()
    gap = next(v for v in range(1, have) if v not in schema.MIGRATIONS) if len(schema.MIGRATIONS) < have else None
    if gap is None:   # no gap in this build: make one above, then fill it
        monkeypatch.setitem(schema.MIGRATIONS, have + 2, lambda conn: None)
        with Store(path):
            pass
        gap = have + 1
    calls = []
    monkeypatch.setitem(schema.MIGRATIONS, gap, lambda conn: calls.append(conn.execute("SELECT 1").fetchone()))
    with Store(path):
        pass
    with Store(path):
        pass
    assert calls == [(1,)]   # applied once, and recorded
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM schema_version WHERE version = ?", (gap,)).fetchone()[0] == 1


def test_a_migration_numbered_below_the_stores_highest_is_still_applied(tmp_path, monkeypatch):
    path = tmp_path / "s.db"
    monkeypatch.setitem(schema.MIGRATIONS, 999, lambda conn: conn.execute("CREATE TABLE later (x)"))
    with Store(path) as store:
        assert store.schema_version == 999
    # a migration merged after 999 was applied, under a lower number
    monkeypatch.setitem(schema.MIGRATIONS, 998, lambda conn: conn.execute("CREATE TABLE merged_late (x)"))
    with pytest.raises(StoreError, match="older schema"):
        Store(path, readonly=True)
    with Store(path) as store:
        assert store.conn.execute("SELECT name FROM sqlite_master WHERE name='merged_late'").fetchone()
        assert schema.missing_versions(store.conn) == []
    # code that lacks a migration the store has refuses it, even below its own highest
    monkeypatch.delitem(schema.MIGRATIONS, 998)
    with pytest.raises(StoreError, match="998"):
        Store(path)


def test_stances_stored_before_their_basis_was_recorded_have_none(tmp_path, monkeypatch):
    from storyline.store.migrations import _stance_basis
    from storyline.store.stances import stance_rows

    path = tmp_path / "s.db"
    version = next(v for v, f in schema.MIGRATIONS.items() if f is _stance_basis)
    monkeypatch.delitem(schema.MIGRATIONS, version)
    with Store(path) as store:
        store.conn.execute("INSERT INTO stances (article_id, idx, sentence, start, end, cue_start, cue_end, type, "
                           "holder_text, holder_start, holder_end, holder_name) "
                           "VALUES ('a1', 0, 0, 0, 9, 0, 3, 'oppose', 'Ana', 0, 3, 'Ana')")
        store.conn.commit()
    monkeypatch.undo()
    with Store(path) as store:
        assert [r["basis"] for r in stance_rows(store.conn, ["a1"])] == [None]


def test_failed_migration_leaves_store_at_previous_version(tmp_path, monkeypatch):
    path = tmp_path / "s.db"
    with Store(path):
        pass
    before = schema.latest_version()

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setitem(schema.MIGRATIONS, 999, broken)
    with pytest.raises(RuntimeError):
        Store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == before
    assert conn.execute("SELECT name FROM sqlite_master WHERE name='half_done'").fetchone() is None


def test_same_article_twice_is_unchanged_and_changed_text_is_an_update(tmp_path):
    with Store(tmp_path / "s.db") as store:
        first = make_article()
        assert store.write_batch([first]).new == [first.id]
        assert store.write_batch([first]).unchanged == [first.id]
        edited = make_article(text="The council approved the amended budget on Monday after a long debate.",
                              raw_hash="r2")
        assert edited.id == first.id  # same URL: same article
        assert store.write_batch([edited]).updated == [first.id]
        assert store.count_articles() == 1
        assert "amended" in store.article(first.id).article.text
        assert [v["content_hash"] for v in store.versions(first.id)] == [first.content_hash]
        # the old version coming again is not a new update
        assert store.write_batch([first]).unchanged == [first.id]


def test_identical_text_from_two_outlets_without_url_stays_two_articles(tmp_path):
    text = "A syndicated report about the harbour strike that many outlets carried word for word."
    a = make_article(text=text, url=None, outlet="One", domain=None, raw_hash="a")
    b = make_article(text=text, url=None, outlet="Two", domain=None, raw_hash="b")
    with Store(tmp_path / "s.db") as store:
        store.write_batch([a, b])
        assert store.count_articles() == 2


def test_outlet_is_canonical_per_domain(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.write_batch([make_article(outlet=None, raw_hash="x")])  # only the domain known
        store.write_batch([make_article(url="https://example.org/b", outlet="Example Daily", raw_hash="y",
                                        text="Another report from the same outlet about the weather.")])
        outlets = store.outlets()
        assert [(o["name"], o["domain"], o["articles"]) for o in outlets] == [("Example Daily", "example.org", 2)]


def test_seen_inputs_and_errors_are_recorded_once(tmp_path):
    with Store(tmp_path / "s.db") as store:
        art = make_article()
        store.write_batch([art], [Skip("bad.bin", "binary", "bad.bin is binary")], {"rawskip": "too-short"})
        store.write_batch([], [Skip("bad.bin", "binary", "bad.bin is binary")])
        assert store.seen(["r1", "rawskip", "other"]) == {"r1": (art.id, None), "rawskip": (None, "too-short")}
        errors = store.errors()
        assert len(errors) == 1 and errors[0]["count"] == 2 and errors[0]["code"] == "binary"


def test_search_filters_and_odd_queries(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.write_batch([
            make_article(),
            make_article(text="Dockworkers in Constanța walked out over pay; the port stood still.",
                         url="https://port.example/strike", outlet="Port News", domain="port.example",
                         published="2024-10-14", raw_hash="p", title="Port strike"),
        ])
        hits = store.search("constanta")  # diacritics folded
        assert [h.article.article.title for h in hits] == ["Port strike"]
        assert "[" in hits[0].snippet
        assert store.search("budget", outlet="port.example") == []
        assert len(store.search("budget OR port", since="2024-10-01", until="2024-12-31")) == 2
        assert store.search('"unbalanced') == []  # not valid FTS5: read as plain words, no crash
        assert store.search("NEAR(") == []
        with pytest.raises(UsageError):
            store.search("   ")
        with pytest.raises(UsageError, match="YYYY-MM-DD"):
            store.search("budget", since="last week")


def test_search_ranks_within_windows_of_the_newest_matches_and_pages_on(tmp_path):
    # ten articles that all say "harbour"; the later ones (stored last) say it more often
    articles = [make_article(text=f"Report {k}: " + "the harbour reopened. " * (1 + k % 4) + f"Item {k} of ten.",
                             url=f"https://harbour.example/{k}", raw_hash=f"h{k}", title=f"Harbour {k}")
                for k in range(10)]
    with Store(tmp_path / "s.db") as store:
        store.write_batch(articles)
        every = store.search("harbour", limit=50, scan=1000)      # one window: plain BM25 order over all ten
        assert len(every) == 10
        assert [h.score for h in every] == sorted((h.score for h in every), reverse=True)
        windowed = store.search("harbour", limit=50, scan=4)       # windows of 4, newest stored first
        titles = [h.article.article.title for h in windowed]
        assert sorted(titles) == sorted(h.article.article.title for h in every)   # nothing lost, nothing twice
        assert set(titles[:4]) == {"Harbour 9", "Harbour 8", "Harbour 7", "Harbour 6"}
        assert set(titles[4:8]) == {"Harbour 5", "Harbour 4", "Harbour 3", "Harbour 2"}
        first = [h.score for h in windowed[:4]]
        assert first == sorted(first, reverse=True)                 # best first inside a window
        # pages of 3 walk the same order, across window boundaries
        paged = [h.article.article.title for off in range(0, 12, 3)
                 for h in store.search("harbour", limit=3, offset=off, scan=4)]
        assert paged == titles
        assert store.search("harbour", offset=10, scan=4) == []
        assert store.count_search("harbour") == 10 and store.count_search("harbour", cap=3) == 3
        with pytest.raises(UsageError):
            store.search("harbour", scan=0)


def test_readers_do_not_block_the_writer(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as writer:
        writer.write_batch([make_article()])
        reader = Store(path, readonly=True)
        reader.conn.execute("BEGIN")
        assert reader.count_articles() == 1  # a read transaction is open
        writer.write_batch([make_article(url="https://example.org/2", raw_hash="2",
                                         text="A second story written while a reader holds a snapshot.")])
        assert reader.count_articles() == 1  # the snapshot is stable
        reader.conn.execute("COMMIT")
        assert reader.count_articles() == 2
        reader.close()


def test_unknown_ids_and_missing_store(tmp_path):
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(NotFound):
            store.article("nope")
    with pytest.raises(StoreError, match="no store"):
        Store(tmp_path / "missing.db", readonly=True)


def test_a_dataset_row_without_the_speaker_mention_gets_the_quote_stages_choice():
    from storyline import dataset
    from storyline.records import Article, Analysis, Mention, Quote, Sentence, Processed

    text = "“The port stays open,” Sen. Ion Radu said."
    article = Article(id="a1", content_hash="h", raw_hash="r", origin="o", text=text, title="t", url=None,
                      outlet="Wire", outlet_domain=None, author=None, published="2025-06-10", date_source="record",
                      language="en")
    start = text.index("Ion Radu")
    mention = Mention(start, start + 8, "Ion Radu", "PERSON", "person:ion radu", "Ion Radu", 0)
    quote = Quote(1, 21, text[1:21], "direct", "Ion Radu", text.index("Sen."), start + 8, "said", start + 9,
                  start + 13, 0, speaker_mention=start)
    rows = dataset.item_rows(Processed(article, Analysis("a1", (Sentence(0, 0, len(text)),), (mention,), (quote,))))
    (article_row,) = rows["articles"]
    children = {k: v for k, v in rows.items() if k != "articles"}
    assert dataset.to_processed(article_row, children).analysis.quotes == (quote,)
    # exported before quotes carried it: chosen again, as the quote stage chooses it
    children["quotes"] = [{k: v for k, v in q.items() if k != "speaker_mention"} for q in children["quotes"]]
    assert dataset.to_processed(article_row, children).analysis.quotes[0].speaker_mention == start
