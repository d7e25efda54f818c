"""Canonical entities, corpus-wide: one row per real person, organisation or place.

Each article's mentions arrive already resolved inside the article (full names, spelling variants,
roles). Here their keys are matched against the keys of every entity seen before, through index
look-ups only (work per mention does not grow with the store):

1. the mention's key (``person:dmitry peskov``, ``place:kyiv``, ``gov:rus:moscow``) -> its entity;
2. a surname-only person (``person:peskov``) -> the one person with that surname, if exactly one; so is a
   one word the tagger called an organisation or a place when its sentence may make it a surname
   (``Mention.surname``: "Trump said" tagged ORG, never "the House" or "in Ferguson") and it is no known
   place's name, tried before its key;
3. otherwise a new entity. A new full-name person absorbs an earlier surname-only entity of the
   same surname when it is the only full name with that surname (an organisation of that one word only when
   most of its mentions could be the surname and it is no known place: "Lavrenko said" yes, "the House" no,
   whoever Matt House is).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any

from ..nlp.names import person_key, surname_key
from ..records import Mention

_TYPE = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "LOC", "NORP": "NORP"}


class EntityResolver:
    """Resolves mention keys to entity ids inside one write transaction (with a per-batch cache)."""

    def __init__(self, conn: sqlite3.Connection, now: str) -> None:
        self.conn = conn
        self.now = now
        self.cache: dict[str, int] = {}
        self.merged: dict[int, int] = {}  # entity id folded into another during this batch -> that one

    def current(self, entity_id: int) -> int:
        """The id an entity has now (it may have been folded into another since it was resolved)."""
        while entity_id in self.merged:
            entity_id = self.merged[entity_id]
        return entity_id

    def resolve(self, m: Mention) -> int:
        word = m.key.split(":", 1)[1]
        one_word = " " not in word and not m.key.startswith(("gov:", "place:"))
        # a one word not tagged a person is looked up as a surname, or not, by its place in the sentence
        cached = m.key if m.label == "PERSON" or not one_word else f"{m.key}|{int(m.surname)}"
        if cached in self.cache:
            return self.cache[cached]
        if one_word and m.label != "PERSON" and m.surname and not self._place(word):
            # "Trump said" tagged ORG: the one known person of that surname, before any organisation "Trump" (a
            # known place's name is that place's: "Ferguson's police chief")
            found = self._unique("SELECT entity_id FROM entity_surnames WHERE surname = ? LIMIT 2", f"person:{word}")
            if found is not None:
                self.cache[cached] = found
                return found
        row = self.conn.execute("SELECT entity_id FROM entity_keys WHERE key = ?", (m.key,)).fetchone()
        if row:
            self.cache[cached] = row[0]
            return row[0]
        single = m.label == "PERSON" and " " not in word
        if m.label != "PERSON" and " " in word and not m.key.startswith(("gov:", "place:")):
            # an ORG-tagged name of a known person ("Dmitry Vorontsov", "Kremlin spokesperson Dmitry Vorontsov")
            words = m.name.split()
            for first in range(max(0, len(words) - 3), len(words) - 1):
                found = self._unique("SELECT entity_id FROM entity_keys WHERE key = ?",
                                     person_key(" ".join(words[first:])))
                if found is not None:
                    self.cache[m.key] = found
                    return found
        if one_word:
            # one word with no entity of its own: a known person's surname (tried above for a word the tagger
            # called an organisation or a place), else a known place (it calls datelines like "GALAȚI" PERSON)
            found = self._unique("SELECT entity_id FROM entity_surnames WHERE surname = ? LIMIT 2",
                                 f"person:{word}") if single else None
            if found is None and m.label != "GPE":
                found = self._unique("SELECT entity_id FROM entity_keys WHERE key = ?", f"place:{word}")
            if found is not None:
                self.cache[cached] = found
                return found
        entity_id = self._create(m)
        if m.label == "PERSON" and not single:
            self._absorb_surname_entity(m, entity_id)
        self.cache[cached] = entity_id
        return entity_id

    def _place(self, word: str) -> bool:
        return self.conn.execute("SELECT 1 FROM entity_keys WHERE key = ?", (f"place:{word}",)).fetchone() is not None

    def _unique(self, sql: str, key: str) -> int | None:
        ids = [r[0] for r in self.conn.execute(sql, (key,))]
        return ids[0] if len(ids) == 1 else None

    def _create(self, m: Mention) -> int:
        etype = _TYPE.get(m.label, m.label)
        # a place or person in capitals ("GALAȚI," in a dateline) is written as a name; an organisation's
        # capitals are its acronym ("ACLU", "NATO")
        name = m.name.title() if m.name.isupper() and len(m.name) > 3 and m.label != "ORG" else m.name
        cur = self.conn.execute("INSERT INTO entities (name, type, country, created_at) VALUES (?,?,?,?)",
                                (name, etype, m.country, self.now))
        entity_id = int(cur.lastrowid)
        self.conn.execute("INSERT INTO entity_keys (key, entity_id) VALUES (?, ?)", (m.key, entity_id))
        if m.label == "PERSON" and " " in m.key:
            self.conn.execute("INSERT OR IGNORE INTO entity_surnames (surname, entity_id) VALUES (?, ?)",
                              (surname_key(m.name), entity_id))
        return entity_id

    def _absorb_surname_entity(self, m: Mention, entity_id: int) -> None:
        skey = surname_key(m.name)
        holders = [r[0] for r in self.conn.execute(
            "SELECT entity_id FROM entity_surnames WHERE surname = ? LIMIT 2", (skey,))]
        # the surname-only entity: a person, or a surname the tagger called an organisation ("Lavrenko said")
        old = self.conn.execute(
            "SELECT k.entity_id FROM entity_keys k JOIN entities e ON e.id = k.entity_id "
            "WHERE k.key IN (?, ?) AND e.country IS NULL", (skey, "org:" + skey.split(":", 1)[1])).fetchone()
        if holders != [entity_id] or not old or old[0] == entity_id:
            return
        n, maybe = self.conn.execute("SELECT COUNT(*), SUM(COALESCE(surname, 1)) FROM mentions WHERE entity_id = ?",
                                     (old[0],)).fetchone()
        if n and 2 * maybe <= n or self._place(skey.split(":", 1)[1]):
            return   # "the House", "House Speaker", a town: a word mostly written as a thing is no one's surname
        merge(self.conn, old[0], entity_id)
        self.merged[old[0]] = entity_id
        self.cache = {k: (entity_id if v == old[0] else v) for k, v in self.cache.items()}


def merge(conn: sqlite3.Connection, old: int, new: int) -> None:
    """Fold entity ``old`` into ``new``: keys, names, roles and mentions move; ``old`` is deleted."""
    conn.execute("UPDATE entity_keys SET entity_id = ? WHERE entity_id = ?", (new, old))
    conn.execute("UPDATE OR IGNORE entity_surnames SET entity_id = ? WHERE entity_id = ?", (new, old))
    conn.execute("DELETE FROM entity_surnames WHERE entity_id = ?", (old,))
    for name, count in conn.execute("SELECT name, count FROM entity_names WHERE entity_id = ?", (old,)).fetchall():
        conn.execute("INSERT INTO entity_names (entity_id, name, count) VALUES (?,?,?) ON CONFLICT DO UPDATE "
                     "SET count = count + excluded.count", (new, name, count))
    conn.execute("DELETE FROM entity_names WHERE entity_id = ?", (old,))
    conn.execute("UPDATE OR IGNORE entity_roles SET entity_id = ? WHERE entity_id = ?", (new, old))
    conn.execute("DELETE FROM entity_roles WHERE entity_id = ?", (old,))
    conn.execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", (new, old))
    conn.execute("UPDATE quotes SET speaker_entity_id = ? WHERE speaker_entity_id = ?", (new, old))
    conn.execute("UPDATE statements SET speaker_entity_id = ? WHERE speaker_entity_id = ?", (new, old))
    conn.execute("DELETE FROM entities WHERE id = ?", (old,))


def write_mentions(conn: sqlite3.Connection, resolver: EntityResolver, article_id: str,
                   mentions: tuple[Mention, ...], published: str | None) -> dict[tuple[int, int], int]:
    """Replace an article's mentions; return ``(start, end) -> entity_id`` for later stages."""
    conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM entity_roles WHERE article_id = ?", (article_id,))
    spans: dict[tuple[int, int], int] = {}
    names: Counter = Counter()
    for m in mentions:
        entity_id = resolver.resolve(m)
        spans[(m.start, m.end)] = entity_id
        surface = m.text[len(m.role):].strip() if m.role and m.text.startswith(m.role) else m.text
        names[(entity_id, surface)] += 1
        conn.execute("INSERT OR REPLACE INTO mentions (article_id, start, end, text, label, entity_id, sentence, "
                     "role, actor, surname) VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (article_id, m.start, m.end, m.text, m.label, entity_id, m.sentence, m.role, int(m.actor),
                      int(m.surname)))
        if m.role:
            conn.execute("INSERT OR IGNORE INTO entity_roles (entity_id, role, article_id, reported_on) "
                         "VALUES (?,?,?,?)", (entity_id, m.role, article_id, published))
    # a later mention of this article may have folded an earlier mention's entity into another one
    spans = {span: resolver.current(e) for span, e in spans.items()}
    current: Counter = Counter()
    for (entity_id, text), n in names.items():
        current[(resolver.current(entity_id), text)] += n
    names = current
    for (entity_id, text), n in names.items():
        conn.execute("INSERT INTO entity_names (entity_id, name, count) VALUES (?,?,?) ON CONFLICT DO UPDATE "
                     "SET count = count + excluded.count", (entity_id, text, n))
    for entity_id in {e for e, _ in names}:
        _rename(conn, entity_id)
    return spans


def _rename(conn: sqlite3.Connection, entity_id: int) -> None:
    """Name an entity by its most used full form (a multi-word name beats a surname; no possessives)."""
    rows = conn.execute("SELECT name, count FROM entity_names WHERE entity_id = ?", (entity_id,)).fetchall()
    etype, current = conn.execute("SELECT type, name FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if etype in ("GPE", "LOC") and not current.isupper():
        return  # places keep their canonical spelling from the alias file
    candidates = [(len(n.split()) > 1, c, n) for n, c in rows
                  if not n.endswith(("'s", "’s")) and not n.isupper() and _name_like(n, etype)]
    if candidates:
        conn.execute("UPDATE entities SET name = ? WHERE id = ?", (max(candidates)[2], entity_id))


_NOT_NAMES = frozenset({"the", "this", "that", "these", "those", "a", "an", "our", "his", "her", "their", "its"})


def _name_like(name: str, etype: str) -> bool:
    """A form an entity may be named by: not a description the article gave it ("the president", "This
    president", "the former governor"); a person's every word capitalised."""
    words = name.split()
    if not words or words[0].casefold() in _NOT_NAMES:
        return False
    return etype != "PERSON" or all(w[:1].isupper() or not w[:1].isalpha() for w in words)


def entity_rows(conn: sqlite3.Connection, *, type_: str | None = None, query: str | None = None,
                limit: int | None = None, offset: int = 0, entity_id: int | None = None) -> list[dict[str, Any]]:
    """Entities with aliases, roles (with the date reported) and mention counts, most mentioned first."""
    where, args = [], []
    if type_:
        where.append("e.type = ?")
        args.append(type_.upper())
    if query:
        where.append("e.id IN (SELECT entity_id FROM entity_names WHERE name LIKE ?)")
        args.append(f"%{query}%")
    if entity_id is not None:
        where.append("e.id = ?")
        args.append(entity_id)
    sql = ("SELECT e.id, e.name, e.type, e.country, (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) AS n "
           f"FROM entities e {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY n DESC, e.name "
           "LIMIT ? OFFSET ?")
    out = []
    for eid, name, etype, country, n in conn.execute(sql, (*args, -1 if limit is None else limit, offset)).fetchall():
        aliases = [r[0] for r in conn.execute(
            "SELECT name FROM entity_names WHERE entity_id = ? ORDER BY count DESC, name", (eid,))]
        roles = [{"role": r, "reported_on": d, "article_id": a} for r, d, a in conn.execute(
            "SELECT role, reported_on, article_id FROM entity_roles WHERE entity_id = ? "
            "ORDER BY reported_on IS NULL, reported_on, role", (eid,))]
        out.append({"id": eid, "name": name, "type": etype, "country": country, "aliases": aliases,
                    "roles": roles, "mentions": n})
    return out
