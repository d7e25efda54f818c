"""A headline's names count as mentions for grouping: ingest reads a bare text's first line into the title and
the NLP stage reads the body only, so the story stage matches the title's name runs to the store's entity keys
itself (real store, written titles)."""

from __future__ import annotations

from pathlib import Path

from storyline.engines.stories import add_headline_entities
from storyline.nlp.names import name_key
from storyline.store import Store
from storyline.store.stories import StoryTables
from storyline.stories.headline import candidate_keys, headline_entities, repeats_title

NOW = "2026-01-01T00:00:00+00:00"


def test_name_runs_of_a_title() -> None:
    runs = candidate_keys("Coast guard rescues crew off Cape of Good Hope, says Maria Lopez")
    names = {(i, n) for i, n in runs}
    assert (5, 4) in names        # Cape of Good Hope: joined by 'of'
    assert (10, 2) in names       # Maria Lopez
    assert (0, 1) in names        # a headline's first word may be a name ('Coast')
    assert (1, 1) not in names    # 'guard' is lower case
    assert (4, 2) not in names    # a run never holds a lower-case word that joins no name ('off Cape')
    assert (6, 3) not in names    # nor starts on a joiner ('of Good Hope')
    assert candidate_keys(None) == {} and candidate_keys("") == {}


def test_the_longest_known_run_wins_left_to_right() -> None:
    title = "Pirates held in Gulf of Aden after Indian Navy raid"
    runs = candidate_keys(title)
    known = {name_key("Gulf of Aden", "GPE"): 1, name_key("Aden", "GPE"): 2, name_key("Indian Navy", "ORG"): 3,
             name_key("Indian", "NORP"): 4}
    assert headline_entities(runs, known) == {1, 3}
    assert headline_entities(runs, {}) == set()
    assert headline_entities({}, known) == set()


def test_a_title_the_text_opens_with_was_read_already() -> None:
    assert repeats_title("Storm hits coast", "Storm hits coast\n\nThe storm ...")
    assert not repeats_title("Storm hits coast", "The storm hit the coast on Monday.")
    assert not repeats_title(None, "Storm hits coast") and not repeats_title("  ", "text")


def _entity(store: Store, name: str, label: str) -> int:
    cur = store.conn.execute("INSERT INTO entities (name, type, created_at) VALUES (?, ?, ?)", (name, label, NOW))
    store.conn.execute("INSERT INTO entity_keys (key, entity_id) VALUES (?, ?)", (name_key(name, label), cur.lastrowid))
    return int(cur.lastrowid)


def test_queued_articles_gain_their_headline_entities(tmp_path: Path) -> None:
    with Store(str(tmp_path / "s.db")) as store:
        with store._transaction():
            navy, gulf = _entity(store, "Indian Navy", "ORG"), _entity(store, "Gulf of Aden", "LOC")
            rows = [("a", "Indian Navy foils attack in Gulf of Aden", "Sailors boarded two boats on Thursday."),
                    ("b", "Indian Navy foils attack", "Indian Navy foils attack\n\nSailors boarded two boats."),
                    ("c", "Rain expected on weekend", "Forecasters said rain would fall.")]
            store.conn.executemany("INSERT INTO articles (id, content_hash, title, text, origin, ingested_at) "
                                   "VALUES (?, ?, ?, ?, '', ?)", [(i, i, t, x, NOW) for i, t, x in rows])
            store.conn.executemany("INSERT OR IGNORE INTO story_queue (article_id) VALUES (?)", [(r[0],) for r in rows])
            store.conn.execute("INSERT INTO mentions (article_id, start, end, text, label, entity_id, sentence) "
                               "VALUES ('a', 0, 4, 'Navy', 'ORG', ?, 0)", (navy,))
            tables = StoryTables(store.conn, NOW)
            pending = {r["id"]: r for r in tables.pending(10)}
            add_headline_entities(tables, list(pending.values()))
    assert pending["a"]["entities"] == {navy: 2, gulf: 1}   # one mention in the body, one in the headline
    assert pending["b"]["entities"] == {}                    # the text repeats its headline: the NLP read it
    assert pending["c"]["entities"] == {}


def test_spark_reads_the_same_headline_keys() -> None:
    import pyarrow as pa

    from storyline.engines.spark_blocks import headline_candidates

    batch = pa.RecordBatch.from_pylist([
        {"id": "a", "title": "Indian Navy foils attack", "text": "Sailors boarded two boats."},
        {"id": "b", "title": "Indian Navy foils attack", "text": "Indian Navy foils attack\n\nSailors boarded."},
        {"id": "c", "title": None, "text": "No headline."}])
    out = [r for b in headline_candidates(iter([batch])) for r in b.to_pylist()]
    keys = {r["key"] for r in out}
    assert {r["article_id"] for r in out} == {"a"}
    assert name_key("Indian Navy", "ORG") in keys and name_key("Indian", "NORP") in keys
    assert keys == {k for ks in candidate_keys("Indian Navy foils attack").values() for k in ks}
