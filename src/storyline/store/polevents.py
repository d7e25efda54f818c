"""Political events in the store: each article's coded clauses (table ``polevents``), and the events they
report, deduplicated at query time.

Writing (with an article's analysis): one row per coded clause, with the quote it lies in, if any.

Reading, for the rows the filters select (work grows with the rows selected, not with the store):

1. each report's actors are resolved to canonical entities (the mention the coder pointed at) and, where
   the article gave no country or sector, to the entity's country or the country and sector of the
   titles reported with it in any article ("US president-elect" -> USA, government);
2. reports are grouped into one real-world event: the same story event (``event_articles``; an article
   not yet placed is its own), the same type and negation, the same source and target (by country and
   sector when known, else by entity); a report with no target joins the one group of its event, type and
   source that has one; an event is hedged when every report of it is ("reportedly", "may");
3. each event counts its independent sources: copies and rewrites of one origin (``sources.source_id``)
   count once.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..nlp.names import ascii_fold
from ..records import Analysis

_COLUMNS = ("sentence", "start", "end", "trigger_start", "trigger_end", "action", "event_type", "mode", "negated",
            "hedged", "source_text", "source_start", "source_name", "source_country", "source_sector",
            "source_mention", "target_text", "target_start", "target_name", "target_country", "target_sector",
            "target_mention", "date", "date_basis", "location")
#: Columns of the flat (GDELT-like) table: one row per deduplicated event.
FLAT_COLUMNS = ("id", "date", "source", "source_entity_id", "source_country", "source_sector", "event_type", "mode",
                "negated", "target", "target_entity_id", "target_country", "target_sector", "location",
                "sources_count", "reports", "article_ids", "quote_ids")


def write_polevents(conn: sqlite3.Connection, article_id: str, analysis: Analysis, quote_ids: dict[tuple[int, int], str]
                    ) -> None:
    """Replace an article's coded clauses; ``quote_ids`` maps a quote's ``(start, end)`` to its id."""
    conn.execute("DELETE FROM polevents WHERE article_id = ?", (article_id,))
    rows = []
    for idx, e in enumerate(analysis.polevents):
        quote = next((q for (s, t), q in quote_ids.items() if s <= e.trigger_start < t), None)
        rows.append((article_id, idx, *(getattr(e, c) for c in _COLUMNS), quote))
    marks = ",".join("?" * (len(_COLUMNS) + 3))
    conn.executemany(f"INSERT INTO polevents (article_id, idx, {', '.join(_COLUMNS)}, quote_id) VALUES ({marks})",
                     rows)


@dataclass
class EventFilter:
    """What ``political_events`` selects: a storyline id, an actor (entity id, country code or name part),
    a PLOVER type, a date range (``YYYY-MM-DD``)."""

    storyline: int | None = None
    actor: str | None = None
    event_type: str | None = None
    since: str | None = None
    until: str | None = None


@dataclass
class _Entity:
    name: str
    country: str | None
    type: str
    roles: list[str] = field(default_factory=list)


def report_rows(conn: sqlite3.Connection, filters: EventFilter) -> list[dict[str, Any]]:
    """Every coded clause the filters select, its actors resolved (step 1), in date order."""
    where, args = [], []
    if filters.storyline is not None:
        where.append("p.article_id IN (SELECT ea.article_id FROM event_articles ea JOIN events e ON e.id = ea.event_id "
                     "WHERE e.storyline_id = ?)")
        args.append(filters.storyline)
    if filters.event_type:
        where.append("p.event_type = ?")
        args.append(filters.event_type.upper())
    if filters.since:
        where.append("p.date >= ?")
        args.append(filters.since)
    if filters.until:
        where.append("p.date <= ?")
        args.append(filters.until)
    actor = (filters.actor or "").strip()
    by_id = actor.isascii() and actor.isdigit()  # an entity id ("²" is a digit to str.isdigit, not to int)
    if by_id:
        if len(actor) > 18:  # past SQLite's integers: no such entity
            return []
        where.append("p.article_id IN (SELECT article_id FROM mentions WHERE entity_id = ?)")
        args.append(int(actor))
    sql = (f"SELECT p.article_id, {', '.join('p.' + c for c in _COLUMNS)}, p.quote_id, ea.event_id, "
           "COALESCE(s.source_id, p.article_id), ms.entity_id, mt.entity_id FROM polevents p "
           "LEFT JOIN event_articles ea ON ea.article_id = p.article_id "
           "LEFT JOIN sources s ON s.article_id = p.article_id "
           "LEFT JOIN mentions ms ON ms.article_id = p.article_id AND ms.start = p.source_mention "
           "LEFT JOIN mentions mt ON mt.article_id = p.article_id AND mt.start = p.target_mention "
           f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY p.date IS NULL, p.date, p.article_id, p.idx")
    rows = []
    names = ("article_id", *_COLUMNS, "quote_id", "story_event", "origin", "source_entity", "target_entity")
    for r in conn.execute(sql, args):
        rows.append(dict(zip(names, r)))
    entities = _entities(conn, {r[k] for r in rows for k in ("source_entity", "target_entity") if r[k] is not None})
    out = []
    for r in rows:
        r["source"] = _actor(r, "source", entities)
        r["target"] = _actor(r, "target", entities) if r["target_text"] is not None else None
        r["negated"], r["hedged"] = bool(r["negated"]), bool(r["hedged"])
        if actor and not by_id and not (_matches(r["source"], actor) or _matches(r["target"], actor)):
            continue
        out.append(r)
    return out


def _matches(actor: dict[str, Any] | None, wanted: str) -> bool:
    if actor is None:
        return False
    if wanted.isupper() and 2 <= len(wanted) <= 4:
        return actor["country"] == wanted
    return ascii_fold(wanted) in ascii_fold(actor["name"] or "")


def _entities(conn: sqlite3.Connection, ids: set[int]) -> dict[int, _Entity]:
    out: dict[int, _Entity] = {}
    chunk = sorted(ids)
    for i in range(0, len(chunk), 500):
        part = chunk[i:i + 500]
        marks = ",".join("?" * len(part))
        for eid, name, country, etype in conn.execute(
                f"SELECT id, name, country, type FROM entities WHERE id IN ({marks})", part):
            out[eid] = _Entity(name, country, etype)
        for eid, role in conn.execute(f"SELECT DISTINCT entity_id, role FROM entity_roles WHERE entity_id IN ({marks})",
                                      part):
            out[eid].roles.append(role)
    return out


@lru_cache(maxsize=4096)
def _role_country_sector(role: str) -> tuple[str | None, str | None]:
    """The country and sector a reported title speaks of ("Kremlin spokesperson" -> RUS, government)."""
    from ..nlp.names import load_aliases
    from ..polevents.actors import country_of_words, sector_of_words
    from ..polevents.lexicon import load_lexicon

    lex, aliases = load_lexicon(), load_aliases()
    return country_of_words(role, lex, aliases), sector_of_words(role, lex, aliases, None)


def _actor(r: dict[str, Any], side: str, entities: dict[int, _Entity]) -> dict[str, Any]:
    eid = r[f"{side}_entity"]
    entity = entities.get(eid) if eid is not None else None
    country, sector = r[f"{side}_country"], r[f"{side}_sector"]
    name = r[f"{side}_name"]
    if entity is not None:
        name = entity.name if entity.type in ("PERSON", "ORG") or not country else name
        country = entity.country or country
        titles = [_role_country_sector(role) for role in entity.roles]
        if entity.type == "PERSON":   # titles reported anywhere beat the article's home-country guess
            country = _most([c for c, _ in titles]) or country
        sector = sector or _most([s for _, s in titles])
    return {"entity_id": eid, "name": name, "country": country, "sector": sector}


# -- deduplication ---------------------------------------------------------------------------------------

def _actor_key(actor: dict[str, Any] | None) -> str:
    if actor is None:
        return "-"
    if actor["country"] and actor["sector"]:
        return f"{actor['country']}:{actor['sector']}"
    if actor["entity_id"] is not None:
        return f"entity:{actor['entity_id']}"
    return "name:" + ascii_fold(actor["name"] or "")


def deduplicate(reports: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per real-world event (steps 2 and 3 of the module docstring), in date order."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in reports:
        story = r["story_event"] if r["story_event"] is not None else f"a:{r['article_id']}"
        key = (story, r["event_type"], r["negated"], _actor_key(r["source"]), _actor_key(r["target"]))
        groups.setdefault(key, []).append(r)
    for key in [k for k in groups if k[4] == "-"]:
        with_target = [k for k in groups if k[:4] == key[:4] and k[4] != "-"]
        if len(with_target) == 1:
            groups[with_target[0]].extend(groups.pop(key))
    records = [_record(key, members) for key, members in groups.items()]
    records.sort(key=lambda e: (e["date"] or "9999", e["id"]))
    return records


def _most(values: list[Any]) -> Any:
    """The most frequent value (ties: the smallest), ``None`` ignored."""
    if len(values) == 1:
        return values[0]
    counts: dict[Any, int] = {}
    for v in values:
        if v is not None:
            counts[v] = counts.get(v, 0) + 1
    return min(counts, key=lambda v: (-counts[v], str(v))) if counts else None


def _best_actor(actors: list[dict[str, Any] | None]) -> dict[str, Any] | None:
    """The actor most reports name, a canonical entity before a generic phrase."""
    if len(actors) == 1:
        return actors[0]
    counts: dict[tuple, int] = {}
    for a in actors:
        if a is not None:
            k = (a["entity_id"], a["name"], a["country"], a["sector"])
            counts[k] = counts.get(k, 0) + 1
    if not counts:
        return None
    best = min(counts, key=lambda k: (k[0] is None, -counts[k], str(k[1])))
    return {"entity_id": best[0], "name": best[1], "country": best[2], "sector": best[3]}


def _record(key: tuple, members: list[dict[str, Any]]) -> dict[str, Any]:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=6).hexdigest()
    evidence = sorted({(m["article_id"], m["start"], m["end"]) for m in members})
    return {
        "id": f"pe-{digest}",
        "date": _most([m["date"] for m in members]),
        "source": _best_actor([m["source"] for m in members]),
        "event_type": key[1],
        "mode": _most([m["mode"] for m in members]),
        "negated": bool(key[2]),
        "hedged": all(m["hedged"] for m in members),
        "target": _best_actor([m["target"] for m in members]),
        "location": _most([m["location"] for m in members]),
        "sources_count": len({m["origin"] for m in members}),
        "article_ids": sorted({m["article_id"] for m in members}),
        "quote_ids": sorted({m["quote_id"] for m in members if m["quote_id"]}),
        "evidence": [{"article_id": a, "start": s, "end": e} for a, s, e in evidence],
    }


def flat_row(event: dict[str, Any]) -> dict[str, Any]:
    """One deduplicated event as a flat, GDELT-like row (CSV and Parquet)."""
    source, target = event["source"] or {}, event["target"] or {}
    return {"id": event["id"], "date": event["date"], "source": source.get("name"),
            "source_entity_id": source.get("entity_id"), "source_country": source.get("country"),
            "source_sector": source.get("sector"), "event_type": event["event_type"], "mode": event["mode"],
            "negated": event["negated"], "target": target.get("name"), "target_entity_id": target.get("entity_id"),
            "target_country": target.get("country"), "target_sector": target.get("sector"),
            "location": event["location"], "sources_count": event["sources_count"],
            "reports": len(event["evidence"]), "article_ids": ";".join(event["article_ids"]),
            "quote_ids": ";".join(event["quote_ids"])}


def report_json(r: dict[str, Any]) -> dict[str, Any]:
    """One coded clause before deduplication (``storyline events --reports``)."""
    return {"article_id": r["article_id"], "sentence": r["sentence"], "start": r["start"], "end": r["end"],
            "trigger": {"start": r["trigger_start"], "end": r["trigger_end"], "text": r["action"]},
            "event_type": r["event_type"], "mode": r["mode"], "negated": r["negated"], "hedged": r["hedged"],
            "source": {**r["source"], "text": r["source_text"]},
            "target": {**r["target"], "text": r["target_text"]} if r["target"] else None,
            "date": r["date"], "date_basis": r["date_basis"], "location": r["location"],
            "story_event_id": r["story_event"], "source_id": r["origin"], "quote_id": r["quote_id"]}
