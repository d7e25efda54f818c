"""The store's schema, one migration per version (registered with ``schema.migration``; applied in order by
``schema.upgrade``). A released migration never changes: a new version adds what a new piece of work needs."""

from __future__ import annotations

import sqlite3

from .schema import migration, run_script


@migration(1)
def _articles_and_errors(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE outlets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            domain TEXT UNIQUE
        );
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL,
            url TEXT,
            outlet_id INTEGER REFERENCES outlets(id),
            title TEXT,
            author TEXT,
            published TEXT,
            date_source TEXT,
            language TEXT,
            text TEXT NOT NULL,
            blocks TEXT NOT NULL DEFAULT '[]',
            origin TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            updated_at TEXT
        );
        CREATE INDEX articles_url ON articles(url);
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_outlet ON articles(outlet_id);
        CREATE INDEX articles_content ON articles(content_hash);
        CREATE TABLE article_versions (
            article_id TEXT NOT NULL REFERENCES articles(id),
            content_hash TEXT NOT NULL,
            title TEXT,
            text TEXT NOT NULL,
            replaced_at TEXT NOT NULL
        );
        CREATE INDEX article_versions_article ON article_versions(article_id);
        CREATE TABLE seen_inputs (
            raw_hash TEXT PRIMARY KEY,
            article_id TEXT,
            code TEXT
        );
        CREATE TABLE ingest_errors (
            id INTEGER PRIMARY KEY,
            origin TEXT NOT NULL,
            code TEXT NOT NULL,
            reason TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 1,
            UNIQUE (origin, code)
        );
        CREATE TABLE ingest_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            inputs TEXT NOT NULL,
            summary TEXT
        );
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        """
    )


@migration(2)
def _analysis(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE analyses (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            analysed_chars INTEGER NOT NULL,
            notes TEXT NOT NULL DEFAULT '[]',
            published_from TEXT,
            published_to TEXT,
            analysed_at TEXT NOT NULL
        );
        CREATE TABLE sentences (
            article_id TEXT NOT NULL,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx)
        ) WITHOUT ROWID;
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            country TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE entity_keys (
            key TEXT PRIMARY KEY,
            entity_id INTEGER NOT NULL REFERENCES entities(id)
        ) WITHOUT ROWID;
        CREATE TABLE entity_surnames (
            surname TEXT NOT NULL,
            entity_id INTEGER NOT NULL REFERENCES entities(id),
            PRIMARY KEY (surname, entity_id)
        ) WITHOUT ROWID;
        CREATE TABLE entity_names (
            entity_id INTEGER NOT NULL REFERENCES entities(id),
            name TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (entity_id, name)
        ) WITHOUT ROWID;
        CREATE TABLE entity_roles (
            entity_id INTEGER NOT NULL REFERENCES entities(id),
            role TEXT NOT NULL,
            article_id TEXT NOT NULL,
            reported_on TEXT,
            PRIMARY KEY (entity_id, role, article_id)
        ) WITHOUT ROWID;
        CREATE TABLE mentions (
            article_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            label TEXT NOT NULL,
            entity_id INTEGER REFERENCES entities(id),
            sentence INTEGER NOT NULL,
            role TEXT,
            actor INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (article_id, start)
        ) WITHOUT ROWID;
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE TABLE quotes (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            speaker_entity_id INTEGER REFERENCES entities(id),
            speaker_name TEXT,
            speaker_start INTEGER,
            speaker_end INTEGER,
            cue TEXT,
            cue_start INTEGER,
            cue_end INTEGER,
            said_on TEXT,
            said_on_basis TEXT,
            sentence INTEGER NOT NULL,
            statement_id INTEGER
        );
        CREATE INDEX quotes_article ON quotes(article_id);
        CREATE INDEX quotes_speaker ON quotes(speaker_entity_id);
        CREATE INDEX quotes_statement ON quotes(statement_id);
        CREATE TABLE statements (
            id INTEGER PRIMARY KEY,
            speaker_entity_id INTEGER REFERENCES entities(id),
            text TEXT NOT NULL,
            said_on TEXT,
            shingles INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE statement_shingles (
            shingle INTEGER NOT NULL,
            statement_id INTEGER NOT NULL,
            PRIMARY KEY (shingle, statement_id)
        ) WITHOUT ROWID;
        CREATE TABLE shingle_counts (
            shingle INTEGER PRIMARY KEY,
            n INTEGER NOT NULL
        );
        CREATE TABLE statement_texts (
            norm TEXT PRIMARY KEY,
            statement_id INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE time_exprs (
            article_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            value TEXT,
            granularity TEXT,
            basis TEXT NOT NULL,
            sentence INTEGER NOT NULL,
            PRIMARY KEY (article_id, start)
        ) WITHOUT ROWID;
        """,
    )


@migration(3)
def _stories(conn: sqlite3.Connection) -> None:
    """Duplicates, events and storylines, with the features and LSH buckets that keep them incremental."""
    run_script(
        conn,
        """
        CREATE TABLE story_queue (
            article_id TEXT PRIMARY KEY
        ) WITHOUT ROWID;
        INSERT INTO story_queue (article_id) SELECT id FROM articles;
        CREATE TABLE story_features (
            key INTEGER PRIMARY KEY AUTOINCREMENT,
            article_id TEXT NOT NULL UNIQUE,
            content_hash TEXT NOT NULL,
            day TEXT,
            day_basis TEXT NOT NULL,
            month TEXT NOT NULL,
            shingles INTEGER NOT NULL,
            signature BLOB,
            embedding BLOB NOT NULL,
            entities TEXT NOT NULL DEFAULT '{}',
            statements TEXT NOT NULL DEFAULT '[]',
            outlet_id INTEGER
        );
        CREATE INDEX story_features_hash ON story_features(content_hash);
        CREATE INDEX story_features_month ON story_features(month);
        CREATE TABLE story_months (
            month TEXT PRIMARY KEY,
            n INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE story_index (
            bucket TEXT PRIMARY KEY,
            n INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE story_entity_df (
            entity_id INTEGER PRIMARY KEY,
            n INTEGER NOT NULL
        );
        CREATE TABLE story_members (
            owner TEXT NOT NULL,
            owner_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (owner, owner_id, kind, value)
        ) WITHOUT ROWID;
        CREATE TABLE lsh_buckets (
            bucket INTEGER NOT NULL,
            key INTEGER NOT NULL,
            PRIMARY KEY (bucket, key)
        ) WITHOUT ROWID;
        CREATE TABLE duplicates (
            article_id TEXT PRIMARY KEY,
            group_id TEXT NOT NULL,
            canonical_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            score REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX duplicates_group ON duplicates(group_id);
        CREATE TABLE sources (
            article_id TEXT PRIMARY KEY,
            source_id TEXT NOT NULL,
            kind TEXT,
            score REAL
        ) WITHOUT ROWID;
        CREATE INDEX sources_source ON sources(source_id);
        CREATE TABLE storylines (
            id INTEGER PRIMARY KEY,
            title TEXT,
            start TEXT,
            end TEXT,
            n_events INTEGER NOT NULL DEFAULT 0,
            n_articles INTEGER NOT NULL DEFAULT 0,
            n_outlets INTEGER NOT NULL DEFAULT 0,
            n_sources INTEGER NOT NULL DEFAULT 0,
            centroid BLOB,
            entities TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            storyline_id INTEGER NOT NULL REFERENCES storylines(id),
            title TEXT,
            day TEXT,
            start TEXT,
            end TEXT,
            n_articles INTEGER NOT NULL DEFAULT 0,
            n_outlets INTEGER NOT NULL DEFAULT 0,
            n_sources INTEGER NOT NULL DEFAULT 0,
            centroid BLOB,
            entities TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX events_storyline ON events(storyline_id);
        CREATE INDEX events_day ON events(day);
        CREATE TABLE event_articles (
            article_id TEXT PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id),
            score REAL,
            basis TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX event_articles_event ON event_articles(event_id);
        CREATE TABLE story_redirects (
            kind TEXT NOT NULL,
            old_id INTEGER NOT NULL,
            new_id INTEGER NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (kind, old_id)
        ) WITHOUT ROWID;
        """,
    )


@migration(4)
def _political_events(conn: sqlite3.Connection) -> None:
    """Political events (PLOVER): one row per coded clause of an article; deduplicated when read."""
    run_script(
        conn,
        """
        CREATE TABLE polevents (
            article_id TEXT NOT NULL,
            idx INTEGER NOT NULL,
            sentence INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            trigger_start INTEGER NOT NULL,
            trigger_end INTEGER NOT NULL,
            action TEXT NOT NULL,
            event_type TEXT NOT NULL,
            mode TEXT,
            negated INTEGER NOT NULL DEFAULT 0,
            hedged INTEGER NOT NULL DEFAULT 0,
            source_text TEXT NOT NULL,
            source_start INTEGER NOT NULL,
            source_name TEXT NOT NULL,
            source_country TEXT,
            source_sector TEXT,
            source_mention INTEGER,
            target_text TEXT,
            target_start INTEGER,
            target_name TEXT,
            target_country TEXT,
            target_sector TEXT,
            target_mention INTEGER,
            date TEXT,
            date_basis TEXT,
            location TEXT,
            quote_id TEXT,
            PRIMARY KEY (article_id, idx)
        ) WITHOUT ROWID;
        CREATE INDEX polevents_type_date ON polevents(event_type, date);
        CREATE INDEX polevents_date ON polevents(date);
        """,
    )


@migration(5)
def _stances(conn: sqlite3.Connection) -> None:
    """Stated positions: one row per stance found in an article, holder and reporter as the text names them
    (their named-entity mentions resolve to canonical entities when read)."""
    run_script(
        conn,
        """
        CREATE TABLE stances (
            article_id TEXT NOT NULL,
            idx INTEGER NOT NULL,
            sentence INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            cue_start INTEGER NOT NULL,
            cue_end INTEGER NOT NULL,
            type TEXT NOT NULL,
            holder_text TEXT NOT NULL,
            holder_start INTEGER NOT NULL,
            holder_end INTEGER NOT NULL,
            holder_name TEXT NOT NULL,
            holder_label TEXT,
            holder_mention INTEGER,
            reported_by_text TEXT,
            reported_by_start INTEGER,
            reported_by_name TEXT,
            reported_by_mention INTEGER,
            about_start INTEGER,
            about_end INTEGER,
            in_quote INTEGER NOT NULL DEFAULT 0,
            quote_id TEXT,
            PRIMARY KEY (article_id, idx)
        ) WITHOUT ROWID;
        CREATE INDEX stances_holder ON stances(holder_name);
        """,
    )


@migration(6)
def _outlets_by_name_and_learned_lines(conn: sqlite3.Connection) -> None:
    """Outlets keyed by name (several outlets may share a host: a record's own outlet field wins over its
    URL's host), and the lines each outlet repeats across its articles (learned boilerplate)."""
    conn.execute("PRAGMA defer_foreign_keys = ON")  # articles point at outlets while the table is rebuilt
    run_script(
        conn,
        """
        CREATE TEMP TABLE outlets_copy AS SELECT id, name, domain FROM outlets;
        DROP TABLE outlets;
        CREATE TABLE outlets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            domain TEXT,
            counted INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO outlets (id, name, domain) SELECT id, name, domain FROM outlets_copy;
        DROP TABLE outlets_copy;
        CREATE INDEX outlets_domain ON outlets(domain);
        CREATE TABLE outlet_lines (
            outlet_id INTEGER NOT NULL REFERENCES outlets(id),
            fingerprint INTEGER NOT NULL,
            articles INTEGER NOT NULL DEFAULT 0,
            line TEXT,
            learned_at TEXT,
            PRIMARY KEY (outlet_id, fingerprint)
        ) WITHOUT ROWID;
        CREATE INDEX outlet_lines_learned ON outlet_lines(outlet_id) WHERE learned_at IS NOT NULL;
        CREATE TABLE reclean_queue (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
        ) WITHOUT ROWID;
        """,
    )


@migration(7)
def _inferred_date_basis(conn: sqlite3.Connection) -> None:
    """Why an undated article's inferred publication range is what it is: its basis (``text``, ``copy``,
    ``rewrite``, ``event``) and every cue, with offsets (issue 15). Ranges inferred before are from text."""
    run_script(
        conn,
        """
        ALTER TABLE analyses ADD COLUMN published_basis TEXT;
        ALTER TABLE analyses ADD COLUMN published_evidence TEXT NOT NULL DEFAULT '[]';
        UPDATE analyses SET published_basis = 'text' WHERE published_from IS NOT NULL;
        """,
    )


@migration(10)
def _coherent_stories(conn: sqlite3.Connection) -> None:
    """What the story rules judge a group as a whole by: an event's core (the members closest to its centroid:
    unit vectors, float16, and their days), the topic terms of articles, events and storylines (term id ->
    count, JSON) and the terms' document frequencies, the inferred publication range of undated articles and
    the range an event of undated articles lies in (``day_from``, ``day_to``). Events and storylines stored before get their core
    when next read and their terms as articles join them."""
    run_script(
        conn,
        """
        ALTER TABLE events ADD COLUMN core BLOB;
        ALTER TABLE events ADD COLUMN core_days TEXT;
        ALTER TABLE events ADD COLUMN terms TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE storylines ADD COLUMN terms TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE story_features ADD COLUMN terms TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE story_features ADD COLUMN day_from TEXT;
        ALTER TABLE story_features ADD COLUMN day_to TEXT;
        ALTER TABLE events ADD COLUMN day_from TEXT;
        ALTER TABLE events ADD COLUMN day_to TEXT;
        CREATE TABLE story_term_df (
            term INTEGER PRIMARY KEY,
            n INTEGER NOT NULL
        );
        """,
    )


@migration(12)
def _corrections(conn: sqlite3.Connection) -> None:
    """Analyst corrections: one row per correction (the audit trail, never deleted), what each one touches
    now (for marking pages), and entity ids retired by a correction's merge (followed like story redirects)."""
    run_script(
        conn,
        """
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            by TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            before TEXT NOT NULL DEFAULT '{}',
            after TEXT NOT NULL DEFAULT '{}',
            note TEXT,
            undone_at TEXT,
            spec TEXT NOT NULL DEFAULT '{}',
            state TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'applied',
            applied_at TEXT
        );
        CREATE INDEX corrections_action ON corrections(action);
        CREATE TABLE correction_marks (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            correction_id INTEGER NOT NULL,
            PRIMARY KEY (kind, key, correction_id)
        ) WITHOUT ROWID;
        CREATE INDEX correction_marks_correction ON correction_marks(correction_id);
        CREATE TABLE entity_redirects (
            old_id INTEGER PRIMARY KEY,
            new_id INTEGER NOT NULL,
            correction_id INTEGER,
            at TEXT NOT NULL
        );
        """,
    )


@migration(13)
def _sentence_vectors(conn: sqlite3.Connection) -> None:
    """Meaning vectors of sentences the analysis compared, kept so a storyline's next brief, in any process,
    does not embed them again; a vector counts only while its article's text is the one it was made from."""
    run_script(
        conn,
        """
        CREATE TABLE sentence_vectors (
            article_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (article_id, start)
        ) WITHOUT ROWID;
        """,
    )


@migration(14)
def _quote_speaker_mentions(conn: sqlite3.Connection) -> None:
    """The mention the quote stage chose as a quote's speaker (``Quote.speaker_mention``), kept so an export
    carries it and an import credits the same entity."""
    run_script(conn, "ALTER TABLE quotes ADD COLUMN speaker_mention INTEGER;")


@migration(15)
def _stance_basis(conn: sqlite3.Connection) -> None:
    """How a stance was read (``Stance.basis``: ``cue`` or ``judged``); stances stored before it have none."""
    run_script(conn, "ALTER TABLE stances ADD COLUMN basis TEXT;")


@migration(16)
def _mention_surname(conn: sqlite3.Connection) -> None:
    """Whether a mention may be a person's surname (``Mention.surname``), so a person named in full later
    absorbs an organisation of that word only when its mentions read as the surname; ``NULL`` before."""
    run_script(conn, "ALTER TABLE mentions ADD COLUMN surname INTEGER;")
