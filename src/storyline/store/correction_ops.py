"""The reads and writes corrections make on the store's data: placements, entities, quotes, article fields.

:class:`CorrectionTables` extends the restructuring tables (moving articles and events, recomputing
profiles, retiring ids with redirects) with what the actions of :mod:`storyline.corrections` need.
Every method works inside the caller's transaction and touches rows by key.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from .corrections import CorrectionRecords
from .stories import RestructureTables, chunked


class CorrectionTables(RestructureTables):
    """Story tables, entities, quotes and articles as corrections read and change them."""

    def __init__(self, conn: sqlite3.Connection, now: str) -> None:
        super().__init__(conn, now)
        self.records = CorrectionRecords(conn)

    # -- placements ------------------------------------------------------------------------------------

    def placements(self, article_ids: Iterable[str]) -> dict[str, tuple[int, int]]:
        """``article_id -> (event_id, storyline_id)`` of the placed ones."""
        ids = list(dict.fromkeys(article_ids))
        out: dict[str, tuple[int, int]] = {}
        for chunk in chunked(ids):
            for aid, eid, sid in self.conn.execute(
                    "SELECT ea.article_id, ea.event_id, e.storyline_id FROM event_articles ea JOIN events e ON "
                    f"e.id = ea.event_id WHERE ea.article_id IN ({','.join('?' * len(chunk))})", list(chunk)):
                out[aid] = (int(eid), int(sid))
        return out

    def event_row(self, event_id: int) -> dict[str, Any] | None:
        r = self.conn.execute("SELECT id, storyline_id, title, n_articles, day FROM events WHERE id = ?",
                              (event_id,)).fetchone()
        return None if r is None else {"id": r[0], "storyline_id": r[1], "title": r[2], "n_articles": r[3],
                                       "date": r[4]}

    def storyline_row(self, storyline_id: int) -> dict[str, Any] | None:
        r = self.conn.execute("SELECT id, title, n_articles, n_events FROM storylines WHERE id = ?",
                              (storyline_id,)).fetchone()
        return None if r is None else {"id": r[0], "title": r[1], "n_articles": r[2], "n_events": r[3]}

    def event_members(self, event_id: int) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT article_id FROM event_articles WHERE event_id = ? "
                                                "ORDER BY article_id", (event_id,))]

    def storyline_members(self, storyline_id: int) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT ea.article_id FROM event_articles ea JOIN events e ON e.id = ea.event_id WHERE e.storyline_id = ? "
            "ORDER BY ea.article_id", (storyline_id,))]

    def live_events(self, storyline_id: int) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM events WHERE storyline_id = ? AND n_articles > 0 "
                                                "ORDER BY id", (storyline_id,))]

    def redirects(self, kind: str, ident: int) -> tuple[int, list[tuple[int, int, str]]]:
        """Follow ``story_redirects`` from ``ident``: the id it ends at and the hops ``(old, new, reason)``."""
        hops: list[tuple[int, int, str]] = []
        for _ in range(50):
            r = self.conn.execute("SELECT new_id, reason FROM story_redirects WHERE kind = ? AND old_id = ?",
                                  (kind, ident)).fetchone()
            if r is None or r[0] == ident:
                break
            hops.append((ident, int(r[0]), r[1]))
            ident = int(r[0])
        return ident, hops

    def drop_redirect(self, kind: str, old_id: int) -> None:
        self.conn.execute("DELETE FROM story_redirects WHERE kind = ? AND old_id = ?", (kind, old_id))

    def revive_event(self, event_id: int, storyline_id: int) -> None:
        """Make a retired (empty) event usable again in ``storyline_id``: its redirect goes."""
        self.drop_redirect("event", event_id)
        self.conn.execute("UPDATE events SET storyline_id = ? WHERE id = ?", (storyline_id, event_id))

    def requeue(self, article_ids: Iterable[str]) -> None:
        """Queue articles for the story stage to place again (the machine's answer)."""
        self.conn.executemany("INSERT OR IGNORE INTO story_queue (article_id) VALUES (?)",
                              [(a,) for a in article_ids])

    def settle(self, events: Iterable[int], storylines: Iterable[int] = ()) -> None:
        """Recompute events (and their storylines) after members moved; an emptied event or storyline is retired."""
        from ..stories.titles import refresh_titles

        events = {e for e in events if e is not None}
        lines = {s for s in storylines if s is not None}
        for e in sorted(events):
            self.recompute_event(e)
            row = self.event_row(e)
            if row is None:
                continue
            lines.add(row["storyline_id"])
            if row["n_articles"] == 0:
                self.retire("events", e)
        for s in sorted(lines):
            self.conn.execute("UPDATE storylines SET n_events = (SELECT COUNT(*) FROM events WHERE storyline_id = ? "
                              "AND n_articles > 0) WHERE id = ?", (s, s))
            first = self.live_events(s)[:1]
            if first:
                self.refresh_event(first[0])
                self.recompute_storyline(s)
            else:
                self.conn.execute("UPDATE storylines SET n_articles = 0, n_events = 0, n_outlets = 0, n_sources = 0 "
                                  "WHERE id = ?", (s,))
        refresh_titles(self, [e for e in events if (self.event_row(e) or {}).get("n_articles")],
                       [s for s in lines if (self.storyline_row(s) or {}).get("n_articles")])

    # -- articles ----------------------------------------------------------------------------------------

    def article_meta(self, article_id: str) -> dict[str, Any] | None:
        r = self.conn.execute("SELECT a.id, a.title, a.published, a.date_source, a.outlet_id, o.name FROM articles a "
                              "LEFT JOIN outlets o ON o.id = a.outlet_id WHERE a.id = ?", (article_id,)).fetchone()
        return None if r is None else {"id": r[0], "title": r[1], "published": r[2], "date_source": r[3],
                                       "outlet_id": r[4], "outlet": r[5]}

    def feature_day(self, article_id: str) -> tuple[str | None, str] | None:
        """``(day, day_basis)`` the story stage groups an article by (``None`` when it has no features)."""
        r = self.conn.execute("SELECT day, day_basis FROM story_features WHERE article_id = ?",
                              (article_id,)).fetchone()
        return None if r is None else (r[0], r[1])

    def set_feature_day(self, article_id: str, day: str | None, basis: str) -> None:
        """Group an article by another day: its month (and the months' counts) follow."""
        old = self.conn.execute("SELECT month FROM story_features WHERE article_id = ?", (article_id,)).fetchone()
        if old is None:
            return
        month = day[:7] if day else "undated"
        self.conn.execute("UPDATE story_features SET day = ?, day_basis = ?, month = ? WHERE article_id = ?",
                          (day, basis, month, article_id))
        if month != old[0]:
            self.conn.execute("UPDATE story_months SET n = n - 1 WHERE month = ?", (old[0],))
            self.conn.execute("INSERT INTO story_months (month, n) VALUES (?, 1) "
                              "ON CONFLICT (month) DO UPDATE SET n = n + 1", (month,))

    def set_published(self, article_id: str, day: str | None, source: str | None,
                      feature: tuple[str | None, str] | None = None) -> list[str]:
        """Set an article's date; its story day (``feature``: the ``(day, basis)`` to put back when the date is
        taken away), its event's dates and the quotes dated by publication follow. Returns the ids of the
        quotes whose date changed."""
        old = self.article_meta(article_id)
        self.conn.execute("UPDATE articles SET published = ?, date_source = ? WHERE id = ?", (day, source, article_id))
        if day:
            self.set_feature_day(article_id, day[:10], "published")
        else:
            self.set_feature_day(article_id, *(feature or (None, "none")))
        moved = []
        if old is not None:
            moved = [r[0] for r in self.conn.execute(
                "SELECT id FROM quotes WHERE article_id = ? AND said_on_basis = 'publication' "
                "AND said_on IS ?", (article_id, old["published"]))]
            self.conn.executemany("UPDATE quotes SET said_on = ? WHERE id = ?", [(day, q) for q in moved])
        placed = self.placements([article_id]).get(article_id)
        if placed:
            self.refresh_event(placed[0])
        return moved

    def outlet_named(self, name: str) -> int:
        r = self.conn.execute("SELECT id FROM outlets WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
        if r:
            return int(r[0])
        cur = self.conn.execute("INSERT INTO outlets (name, domain) VALUES (?, NULL)", (name,))
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def outlet_exists(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM outlets WHERE name = ? COLLATE NOCASE", (name,)).fetchone() is not None

    def drop_outlet_if_unused(self, outlet_id: int) -> None:
        if not self.conn.execute("SELECT 1 FROM articles WHERE outlet_id = ? LIMIT 1", (outlet_id,)).fetchone():
            self.conn.execute("DELETE FROM outlet_lines WHERE outlet_id = ?", (outlet_id,))
            self.conn.execute("DELETE FROM outlets WHERE id = ?", (outlet_id,))

    def set_outlet(self, article_id: str, outlet_id: int | None) -> None:
        self.conn.execute("UPDATE articles SET outlet_id = ? WHERE id = ?", (outlet_id, article_id))
        self.conn.execute("UPDATE story_features SET outlet_id = ? WHERE article_id = ?", (outlet_id, article_id))
        placed = self.placements([article_id]).get(article_id)
        if placed:
            self.refresh_event(placed[0])

    # -- quotes and statements ---------------------------------------------------------------------------

    _QUOTE = ("SELECT q.id, q.article_id, q.text, q.kind, q.speaker_entity_id, COALESCE(e.name, q.speaker_name), "
              "q.statement_id, q.start, q.end FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_entity_id ")

    @staticmethod
    def _quote_json(r: Any) -> dict[str, Any] | None:
        return None if r is None else {"id": r[0], "article_id": r[1], "text": r[2], "kind": r[3],
                                       "speaker_entity_id": r[4], "speaker": r[5], "statement_id": r[6],
                                       "start": r[7], "end": r[8]}

    def quote(self, quote_id: str) -> dict[str, Any] | None:
        return self._quote_json(self.conn.execute(self._QUOTE + "WHERE q.id = ?", (quote_id,)).fetchone())

    def quote_by_text(self, article_id: str, text: str) -> dict[str, Any] | None:
        """The one quote of an article with this text (its id moved with the offsets when the text changed)."""
        found = self.conn.execute(self._QUOTE + "WHERE q.article_id = ? AND q.text = ? LIMIT 2",
                                  (article_id, text)).fetchall()
        return self._quote_json(found[0]) if len(found) == 1 else None

    def set_quote(self, quote_id: str, speaker_entity_id: int | None, kind: str, statement_id: int | None) -> None:
        self.conn.execute("UPDATE quotes SET speaker_entity_id = ?, kind = ?, statement_id = ? WHERE id = ?",
                          (speaker_entity_id, kind, statement_id, quote_id))

    def statement_speaker(self, statement_id: int) -> int | None:
        r = self.conn.execute("SELECT speaker_entity_id FROM statements WHERE id = ?", (statement_id,)).fetchone()
        return r[0] if r else None

    def set_statement_speaker(self, statement_id: int, entity_id: int | None) -> None:
        self.conn.execute("UPDATE statements SET speaker_entity_id = ? WHERE id = ?", (entity_id, statement_id))

    def statement_majority(self, statement_id: int) -> int | None:
        """The speaker most of a statement's quotes are credited to (ties: the lowest id)."""
        r = self.conn.execute("SELECT speaker_entity_id FROM quotes WHERE statement_id = ? AND speaker_entity_id "
                              "IS NOT NULL GROUP BY speaker_entity_id ORDER BY COUNT(*) DESC, speaker_entity_id "
                              "LIMIT 1", (statement_id,)).fetchone()
        return r[0] if r else None

    # -- entities ------------------------------------------------------------------------------------------

    def entity(self, entity_id: int) -> dict[str, Any] | None:
        r = self.conn.execute("SELECT id, name, type, country, created_at FROM entities WHERE id = ?",
                              (entity_id,)).fetchone()
        if r is None:
            return None
        n = self.conn.execute("SELECT COUNT(*) FROM mentions WHERE entity_id = ?", (entity_id,)).fetchone()[0]
        return {"id": r[0], "name": r[1], "type": r[2], "country": r[3], "created_at": r[4], "mentions": n}

    def entity_keys(self, entity_id: int) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT key FROM entity_keys WHERE entity_id = ? ORDER BY key",
                                                (entity_id,))]

    def entity_of_key(self, key: str) -> int | None:
        r = self.conn.execute("SELECT entity_id FROM entity_keys WHERE key = ?", (key,)).fetchone()
        return r[0] if r else None

    def entity_names(self, entity_id: int) -> dict[str, int]:
        return dict(self.conn.execute("SELECT name, count FROM entity_names WHERE entity_id = ?", (entity_id,)))

    def merge_entities(self, keep: int, other: int) -> dict[str, Any]:
        """Fold ``other`` into ``keep`` and return everything that moved (for undo); ``other`` is deleted."""
        c = self.conn
        moved: dict[str, Any] = {
            "entity": self.entity(other),
            "keys": self.entity_keys(other),
            "surnames": [r[0] for r in c.execute("SELECT surname FROM entity_surnames WHERE entity_id = ?", (other,))],
            "names": self.entity_names(other),
            "roles": [list(r) for r in c.execute("SELECT role, article_id, reported_on FROM entity_roles "
                                                 "WHERE entity_id = ?", (other,))],
            "mentions": [list(r) for r in c.execute("SELECT article_id, start FROM mentions WHERE entity_id = ?",
                                                    (other,))],
            "quotes": [r[0] for r in c.execute("SELECT id FROM quotes WHERE speaker_entity_id = ?", (other,))],
            "statements": [r[0] for r in c.execute("SELECT id FROM statements WHERE speaker_entity_id = ?",
                                                   (other,))],
        }
        from .entities import merge

        merge(c, other, keep)
        return moved

    def unmerge_entities(self, keep: int, moved: dict[str, Any]) -> int:
        """Undo :meth:`merge_entities`: the folded entity comes back (with its id when it is free) and takes
        back what moved, as far as it is still on ``keep``; returns its id."""
        c = self.conn
        e = moved["entity"]
        taken = c.execute("SELECT 1 FROM entities WHERE id = ?", (e["id"],)).fetchone()
        if taken:
            cur = c.execute("INSERT INTO entities (name, type, country, created_at) VALUES (?,?,?,?)",
                            (e["name"], e["type"], e["country"], e["created_at"]))
            other = int(cur.lastrowid)  # type: ignore[arg-type]
        else:
            other = e["id"]
            c.execute("INSERT INTO entities (id, name, type, country, created_at) VALUES (?,?,?,?,?)",
                      (other, e["name"], e["type"], e["country"], e["created_at"]))
        c.executemany("UPDATE entity_keys SET entity_id = ? WHERE key = ? AND entity_id = ?",
                      [(other, k, keep) for k in moved["keys"]])
        c.executemany("INSERT OR IGNORE INTO entity_surnames (surname, entity_id) VALUES (?, ?)",
                      [(s, other) for s in moved["surnames"]])
        for name, n in moved["names"].items():
            c.execute("INSERT INTO entity_names (entity_id, name, count) VALUES (?,?,?) ON CONFLICT DO UPDATE "
                      "SET count = excluded.count", (other, name, n))
            if name in moved.get("keep_names", ()):
                c.execute("UPDATE entity_names SET count = MAX(0, count - ?) WHERE entity_id = ? AND name = ?",
                          (n, keep, name))
            else:
                c.execute("DELETE FROM entity_names WHERE entity_id = ? AND name = ?", (keep, name))
        for role, aid, day in moved["roles"]:
            c.execute("INSERT OR IGNORE INTO entity_roles (entity_id, role, article_id, reported_on) VALUES (?,?,?,?)",
                      (other, role, aid, day))
        c.executemany("UPDATE mentions SET entity_id = ? WHERE article_id = ? AND start = ? AND entity_id = ?",
                      [(other, a, s, keep) for a, s in moved["mentions"]])
        c.executemany("UPDATE quotes SET speaker_entity_id = ? WHERE id = ? AND speaker_entity_id = ?",
                      [(other, q, keep) for q in moved["quotes"]])
        c.executemany("UPDATE statements SET speaker_entity_id = ? WHERE id = ? AND speaker_entity_id = ?",
                      [(other, s, keep) for s in moved["statements"]])
        return other

    def new_entity(self, name: str, type_: str, country: str | None) -> int:
        return int(self.conn.execute("INSERT INTO entities (name, type, country, created_at) VALUES (?,?,?,?)",
                                     (name, type_, country, self.now)).lastrowid)  # type: ignore[arg-type]

    def drop_entity_if_unused(self, entity_id: int) -> bool:
        c = self.conn
        for sql in ("SELECT 1 FROM mentions WHERE entity_id = ?", "SELECT 1 FROM quotes WHERE speaker_entity_id = ?",
                    "SELECT 1 FROM entity_keys WHERE entity_id = ?"):
            if c.execute(sql + " LIMIT 1", (entity_id,)).fetchone():
                return False
        for table in ("entity_names", "entity_roles", "entity_surnames"):
            c.execute(f"DELETE FROM {table} WHERE entity_id = ?", (entity_id,))
        c.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
        return True

    def mention(self, article_id: str, start: int) -> dict[str, Any] | None:
        r = self.conn.execute("SELECT article_id, start, end, text, label, entity_id, role FROM mentions "
                              "WHERE article_id = ? AND start = ?", (article_id, start)).fetchone()
        return None if r is None else dict(zip(("article_id", "start", "end", "text", "label", "entity_id", "role"), r))

    def mentions_named(self, surfaces: Sequence[str], *, exact: bool = False) -> list[dict[str, Any]]:
        """Mentions whose text, less a leading role ("spokesman Dmitry Vorontsov"), is one of ``surfaces``
        (ignoring case unless ``exact``). Reads the whole mentions table: for making a correction, not for
        applying one again."""
        fold = (lambda x: x) if exact else str.casefold
        wanted = {fold(s) for s in surfaces}
        out: dict[tuple[str, int], dict[str, Any]] = {}
        for name in surfaces:
            for r in self.conn.execute("SELECT article_id, start, end, text, label, entity_id, role FROM mentions "
                                       "WHERE text = ? COLLATE NOCASE OR text LIKE ? COLLATE NOCASE",
                                       (name, f"% {name}")):
                m = dict(zip(("article_id", "start", "end", "text", "label", "entity_id", "role"), r))
                if fold(surface(m)) in wanted:
                    out[(m["article_id"], m["start"])] = m
        return list(out.values())

    def move_mentions(self, refs: Iterable[Sequence[Any]], entity_id: int | None) -> None:
        self.conn.executemany("UPDATE mentions SET entity_id = ? WHERE article_id = ? AND start = ?",
                              [(entity_id, a, s) for a, s in refs])

    def quotes_spoken_by_mentions(self, refs: Sequence[Sequence[Any]]) -> list[str]:
        """Quotes whose speaker is one of these mentions (``article_id, start``)."""
        out = []
        for aid, start in refs:
            m = self.mention(aid, start)
            if m is None:
                continue
            out += [r[0] for r in self.conn.execute(
                "SELECT id FROM quotes WHERE article_id = ? AND speaker_start IS NOT NULL AND speaker_start < ? "
                "AND COALESCE(speaker_end, speaker_start + 1) > ?", (aid, m["end"], m["start"]))]
        return out

    def set_quote_speakers(self, quote_ids: Iterable[str], entity_id: int | None, only_from: int | None = None) -> None:
        if only_from is None:
            self.conn.executemany("UPDATE quotes SET speaker_entity_id = ? WHERE id = ?",
                                  [(entity_id, q) for q in quote_ids])
        else:
            self.conn.executemany("UPDATE quotes SET speaker_entity_id = ? WHERE id = ? AND speaker_entity_id = ?",
                                  [(entity_id, q, only_from) for q in quote_ids])

    def add_name(self, entity_id: int, name: str, count: int) -> None:
        self.conn.execute("INSERT INTO entity_names (entity_id, name, count) VALUES (?,?,?) ON CONFLICT DO UPDATE "
                          "SET count = count + excluded.count", (entity_id, name, count))

    def remove_name(self, entity_id: int, name: str, count: int) -> None:
        self.conn.execute("UPDATE entity_names SET count = count - ? WHERE entity_id = ? AND name = ?",
                          (count, entity_id, name))
        self.conn.execute("DELETE FROM entity_names WHERE entity_id = ? AND name = ? AND count <= 0", (entity_id, name))

    def drop_name(self, entity_id: int, name: str) -> None:
        self.conn.execute("DELETE FROM entity_names WHERE entity_id = ? AND name = ?", (entity_id, name))

    def set_key(self, key: str, entity_id: int | None) -> None:
        if entity_id is None:
            self.conn.execute("DELETE FROM entity_keys WHERE key = ?", (key,))
        else:
            self.conn.execute("INSERT OR REPLACE INTO entity_keys (key, entity_id) VALUES (?, ?)", (key, entity_id))

    # -- reads for pages -----------------------------------------------------------------------------------

    def storyline_of_article(self, article_id: str) -> int | None:
        placed = self.placements([article_id]).get(article_id)
        return placed[1] if placed else None


def surface(mention: dict[str, Any]) -> str:
    """A mention's name as written, less a leading role ("Kremlin spokesman Dmitry Vorontsov" -> the name)."""
    text, role = mention.get("text") or "", mention.get("role")
    return text[len(role):].strip() if role and text.startswith(role) else text
