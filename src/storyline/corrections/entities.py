"""Corrections of who is who: a quote's speaker, two entities that are one, one entity that is two, an alias.

Entities are named in a correction's spec by their keys (``person:dmitry vorontsov``), which a store
loaded from an export shares, and in its state by the local id. A merge moves the other entity's keys
to the kept one, so later ingests resolve its names to the kept entity by themselves; applying the
correction again folds in any entity that took one of those keys meanwhile.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..nlp.names import name_key
from ..store.correction_ops import CorrectionTables, surface
from .base import (Outcome, Plan, as_int, current_entity, entity_json, need, refuse, resolve_entity)

SPEECH = ("direct", "partial", "indirect")
NOT_SPEECH = "term"   # the kind a quote the analyst says is not speech takes (as quoted terms have)
_LABEL = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP"}


def _speaker(db: CorrectionTables, entity_id: int | None, name: str | None) -> dict[str, Any] | None:
    e = db.entity(entity_id) if entity_id is not None else None
    if e is not None:
        return {"entity_id": e["id"], "name": e["name"]}
    return {"entity_id": None, "name": name} if name else None


class Speaker:
    """``speaker QUOTE_ID --entity ENTITY_ID`` (or ``--none``: not speech)."""

    name = "speaker"
    stories = False

    def plan(self, db: CorrectionTables, args: dict[str, Any]) -> Plan:
        qid = str(need(args, "quote_id", "the quote id"))
        q = db.quote(qid)
        if q is None:
            raise refuse(f"no quote {qid!r}; `storyline quotes --format json` gives their ids")
        none = bool(args.get("none"))
        if none == (args.get("entity_id") is not None):
            raise refuse("speaker takes exactly one of --entity ENTITY_ID and --none")
        before = {"speaker": _speaker(db, q["speaker_entity_id"], q["speaker"]), "kind": q["kind"]}
        target = {"kind": "quote", "id": qid, "article_id": q["article_id"], "text": q["text"][:160]}
        found = {"quote_id": qid, "article_id": q["article_id"], "text": q["text"]}   # the text finds it again
        if none:
            if q["kind"] not in SPEECH:
                raise refuse(f"quote {qid} is already not counted as speech (kind {q['kind']})")
            return Plan({**target, "none": True}, before, {**found, "none": True})
        entity = resolve_entity(db, as_int(args["entity_id"], "--entity"))
        if q["speaker_entity_id"] == entity and q["kind"] in SPEECH:
            raise refuse(f"quote {qid} is already credited to entity {entity}")
        e = db.entity(entity) or {}
        return Plan({**target, "entity_id": entity}, before,
                    {**found, "entity_keys": db.entity_keys(entity)[:8], "entity_name": e.get("name")},
                    {"entity": entity})

    def slots(self, spec: dict[str, Any]) -> set[str]:
        slots = {f"quote-speaker:{spec['quote_id']}"}
        if spec.get("article_id") and spec.get("text"):
            digest = hashlib.blake2b(spec["text"].encode(), digest_size=8).hexdigest()
            slots.add(f"quote-text:{spec['article_id']}:{digest}")
        return slots

    def apply(self, db: CorrectionTables, rec: dict[str, Any]) -> Outcome:
        spec, state = rec["spec"], dict(rec["state"])
        q = _find(db, spec, state)
        if q is None:
            return Outcome.waiting(state, "the quote is not in the store (its article changed)")
        state["quote"] = q["id"]
        if spec.get("none"):
            want = (None, NOT_SPEECH, None)
        else:
            entity = current_entity(db, state.get("entity"), spec.get("entity_keys", []))
            if entity is None:
                return Outcome.waiting(state, f"entity {spec.get('entity_name')!r} is not in the store")
            state["entity"] = entity
            kind = q["kind"] if q["kind"] in SPEECH else "partial"
            want = (entity, kind, q["statement_id"])
        have = (q["speaker_entity_id"], q["kind"], q["statement_id"])
        changed = have != want
        if changed:
            state["before"] = {"speaker_entity_id": have[0], "kind": have[1], "statement_id": have[2]}
            db.set_quote(q["id"], *want)
            statement = have[2]
            if statement is not None:
                state["statement_before"] = [statement, db.statement_speaker(statement)]
                db.set_statement_speaker(statement, db.statement_majority(statement))
        state.pop("waiting", None)
        marks = [("quote", q["id"]), ("article", q["article_id"]), ("entity", want[0]),
                 ("statement", q["statement_id"])]
        after = {"speaker": _speaker(db, want[0], None), "kind": want[1]}
        return Outcome("applied", state, marks, after, changed)

    def undo(self, db: CorrectionTables, rec: dict[str, Any]) -> list[str]:
        spec, state = rec["spec"], rec["state"]
        q = _find(db, spec, state)
        before = state.get("before")
        if q is None or before is None:
            return []
        holds = q["kind"] == NOT_SPEECH if spec.get("none") else q["speaker_entity_id"] == state.get("entity")
        if holds:
            db.set_quote(q["id"], before["speaker_entity_id"], before["kind"], before["statement_id"])
            if state.get("statement_before"):
                statement, speaker = state["statement_before"]
                db.set_statement_speaker(statement, speaker)
        return []


def _find(db: CorrectionTables, spec: dict[str, Any], state: dict[str, Any]) -> dict[str, Any] | None:
    """The corrected quote now: by its id (as last applied, else as named), else by its text in its article
    (a re-cleaned or edited text moves the offsets its id is made of)."""
    for qid in dict.fromkeys((state.get("quote"), spec["quote_id"])):
        q = db.quote(qid) if qid else None
        if q is not None:
            return q
    return db.quote_by_text(spec["article_id"], spec["text"]) if spec.get("article_id") and spec.get("text") else None


class MergeEntities:
    """``merge-entities KEEP_ID OTHER_ID``: OTHER's names, keys, mentions and quotes move to KEEP."""

    name = "merge-entities"
    stories = False

    def plan(self, db: CorrectionTables, args: dict[str, Any]) -> Plan:
        keep = resolve_entity(db, as_int(args.get("keep"), "KEEP_ID"))
        other = resolve_entity(db, as_int(args.get("other"), "OTHER_ID"), follow=False)
        if keep == other:
            raise refuse(f"entities {args.get('keep')} and {args.get('other')} are already one entity ({keep})")
        names = db.entity_names(other)
        return Plan({"kind": "entity", "id": int(args["keep"]), "other": other},
                    {"entities": [entity_json(db, keep), entity_json(db, other)]},
                    {"keep_keys": db.entity_keys(keep)[:8], "other_keys": db.entity_keys(other),
                     "other_names": sorted(names)}, {"keep": keep, "other": other})

    def slots(self, spec: dict[str, Any]) -> set[str]:
        return set()

    def apply(self, db: CorrectionTables, rec: dict[str, Any]) -> Outcome:
        spec, state = rec["spec"], dict(rec["state"])
        keep = current_entity(db, state.get("keep"), spec["keep_keys"])
        if keep is None:
            return Outcome.waiting(state, "the kept entity is not in the store")
        state["keep"] = keep
        others = {db.entity_of_key(k) for k in spec["other_keys"]}
        if state.get("other") is not None and db.entity(state["other"]) is not None \
                and db.records.entity_redirect(state["other"]) is None:
            others.add(state["other"])
        others -= {None, keep}
        merges = list(state.get("merges", []))
        for other in sorted(others):   # type: ignore[type-var]
            own = sorted(db.entity_names(keep))
            moved = db.merge_entities(keep, other)
            moved["keep_names"] = own
            merges.append(moved)
            db.records.set_entity_redirect(other, keep, rec["id"], db.now)
        state["merges"] = merges
        state.pop("waiting", None)
        marks = [("entity", keep)] + [("entity", m["entity"]["id"]) for m in merges]
        return Outcome("applied", state, marks, {"entity": entity_json(db, keep)}, bool(others))

    def undo(self, db: CorrectionTables, rec: dict[str, Any]) -> list[str]:
        state = rec["state"]
        keep = state.get("keep")
        if keep is None or db.entity(keep) is None:
            return []
        for moved in reversed(state.get("merges", [])):
            other = db.unmerge_entities(keep, moved)
            db.records.drop_entity_redirect(moved["entity"]["id"])
            # mentions ingested after the merge resolved to the kept entity by the moved keys: those named
            # only as the other entity was named go back with it
            own = set(moved.get("keep_names", []))
            later = [m for m in db.mentions_named(sorted(set(moved["names"]) - own), exact=True)
                     if m["entity_id"] == keep and [m["article_id"], m["start"]] not in moved["mentions"]]
            db.move_mentions([(m["article_id"], m["start"]) for m in later], other)
        return []


class SplitEntity:
    """``split-entity ID --mentions ARTICLE:START,...``: those mentions become an entity of their own."""

    name = "split-entity"
    stories = False

    def plan(self, db: CorrectionTables, args: dict[str, Any]) -> Plan:
        entity = resolve_entity(db, as_int(args.get("entity_id"), "ENTITY_ID"))
        raw = need(args, "mentions", "--mentions ARTICLE_ID:START,...")
        if isinstance(raw, str):
            raw = [x for x in raw.replace(" ", "").split(",") if x]
        refs = []
        for item in raw:
            aid, start = (item[0], item[1]) if isinstance(item, (list, tuple)) else str(item).rpartition(":")[::2]
            m = db.mention(str(aid), as_int(start, f"the offset in {item!r}")) if aid else None
            if m is None:
                raise refuse(f"no mention at {item!r} (mentions are ARTICLE_ID:START, from `storyline articles ID "
                             "--format json` or the article page)")
            if m["entity_id"] != entity:
                raise refuse(f"the mention at {item} is of entity {m['entity_id']}, not entity {entity}")
            refs.append([m["article_id"], m["start"]])
        total = db.entity(entity)["mentions"]  # type: ignore[index]
        if len({tuple(r) for r in refs}) >= total:
            raise refuse(f"those are all the mentions of entity {entity}: rename it with `alias`, or merge it")
        name = str(args.get("name") or surface(db.mention(*refs[0]) or {}))
        spec = {"entity_keys": db.entity_keys(entity)[:8], "mentions": sorted(refs), "name": name}
        spec["key"] = "split:" + hashlib.blake2b(json.dumps(spec, sort_keys=True).encode(), digest_size=8).hexdigest()
        return Plan({"kind": "entity", "id": entity, "mentions": [f"{a}:{s}" for a, s in refs]},
                    {"entity": entity_json(db, entity)}, spec, {"entity": entity})

    def slots(self, spec: dict[str, Any]) -> set[str]:
        return {f"mention:{a}:{s}" for a, s in spec["mentions"]}

    def apply(self, db: CorrectionTables, rec: dict[str, Any]) -> Outcome:
        spec, state = rec["spec"], dict(rec["state"])
        entity = current_entity(db, state.get("entity"), spec["entity_keys"])
        new = db.entity_of_key(spec["key"])
        if new is None and entity is None:
            return Outcome.waiting(state, "the entity is not in the store")
        found = [m for m in (db.mention(a, s) for a, s in spec["mentions"]) if m is not None]
        if not found:
            return Outcome.waiting(state, "none of the mentions is in the store (their articles changed)")
        if new is None:
            base = db.entity(entity) or {}  # type: ignore[arg-type]
            new = db.new_entity(spec["name"], base.get("type") or found[0]["label"], base.get("country"))
            db.set_key(spec["key"], new)
        move = [m for m in found if m["entity_id"] != new]
        if move:
            refs = [(m["article_id"], m["start"]) for m in move]
            db.move_mentions(refs, new)
            for m in move:
                db.add_name(new, surface(m), 1)
                if m["entity_id"] is not None:
                    db.remove_name(m["entity_id"], surface(m), 1)
            quotes = db.quotes_spoken_by_mentions(refs)
            for m in move:
                db.set_quote_speakers(quotes, new, only_from=m["entity_id"])
            state["quotes"] = sorted(set(state.get("quotes", [])) | set(quotes))
            state["from"] = {f"{m['article_id']}:{m['start']}": m["entity_id"] for m in move} | state.get("from", {})
        state.update({"entity": entity, "new": new})
        state.pop("waiting", None)
        return Outcome("applied", state, [("entity", entity), ("entity", new)],
                       {"entities": [entity_json(db, entity), entity_json(db, new)]}, bool(move))

    def undo(self, db: CorrectionTables, rec: dict[str, Any]) -> list[str]:
        state, spec = rec["state"], rec["spec"]
        new, entity = state.get("new"), state.get("entity")
        if new is None or db.entity(new) is None:
            return []
        back = current_entity(db, entity, spec["entity_keys"])
        refs = [(a, s) for a, s in spec["mentions"] if (db.mention(a, s) or {}).get("entity_id") == new]
        for a, s in refs:
            name = surface(db.mention(a, s) or {})
            db.remove_name(new, name, 1)
            if back is not None:
                db.add_name(back, name, 1)
        db.move_mentions(refs, back)
        db.set_quote_speakers(state.get("quotes", []), back, only_from=new)
        db.set_key(spec["key"], None)
        db.drop_entity_if_unused(new)
        return []


class Alias:
    """``alias ENTITY_ID "Name"``: the name belongs to the entity, in every article, now and later."""

    name = "alias"
    stories = False

    def plan(self, db: CorrectionTables, args: dict[str, Any]) -> Plan:
        entity = resolve_entity(db, as_int(args.get("entity_id"), "ENTITY_ID"))
        name = " ".join(str(need(args, "name", "the name")).split())
        e = db.entity(entity) or {}
        key = name_key(name, _LABEL.get(e.get("type") or "", "ORG"))
        if db.entity_of_key(key) == entity and name in db.entity_names(entity):
            raise refuse(f"{name!r} is already a name of entity {entity}")
        return Plan({"kind": "entity", "id": entity, "name": name},
                    {"aliases": sorted(db.entity_names(entity)), "key_owner": db.entity_of_key(key)},
                    {"entity_keys": db.entity_keys(entity)[:8], "name": name, "key": key}, {"entity": entity})

    def slots(self, spec: dict[str, Any]) -> set[str]:
        return {f"alias:{spec['key']}"}

    def apply(self, db: CorrectionTables, rec: dict[str, Any]) -> Outcome:
        spec, state = rec["spec"], dict(rec["state"])
        entity = current_entity(db, state.get("entity"), spec["entity_keys"])
        if entity is None:
            return Outcome.waiting(state, "the entity is not in the store")
        state["entity"] = entity
        changed = False
        owner = db.entity_of_key(spec["key"])
        if owner != entity:
            state.setdefault("key_owner", owner)
            db.set_key(spec["key"], entity)
            changed = True
        # the mentions written so far that carry the name; later ingests resolve it by the key alone
        moved = [] if state.get("scanned") else [m for m in db.mentions_named([spec["name"]])
                                                 if m["entity_id"] != entity]
        state["scanned"] = True
        if moved:
            refs = [(m["article_id"], m["start"]) for m in moved]
            db.move_mentions(refs, entity)
            for m in moved:
                db.set_quote_speakers(db.quotes_spoken_by_mentions([(m["article_id"], m["start"])]), entity,
                                      only_from=m["entity_id"])
                if m["entity_id"] is not None:
                    db.remove_name(m["entity_id"], spec["name"], 1)
            state["moved"] = state.get("moved", []) + [[m["article_id"], m["start"], m["entity_id"]] for m in moved]
            changed = True
        if spec["name"] not in db.entity_names(entity):
            state["name_new"] = True
        if moved or state.get("name_new") and spec["name"] not in db.entity_names(entity):
            db.add_name(entity, spec["name"], len(moved))
            state["name_added"] = state.get("name_added", 0) + len(moved)
            changed = True
        state.pop("waiting", None)
        marks = [("entity", entity)] + [("article", m[0]) for m in state.get("moved", [])]
        return Outcome("applied", state, marks, {"aliases": sorted(db.entity_names(entity))}, changed)

    def undo(self, db: CorrectionTables, rec: dict[str, Any]) -> list[str]:
        spec, state = rec["spec"], rec["state"]
        entity = state.get("entity")
        if entity is None:
            return []
        if db.entity_of_key(spec["key"]) == entity:
            owner = state.get("key_owner")
            db.set_key(spec["key"], owner if owner is not None and db.entity(owner) is not None else None)
        for aid, start, old in state.get("moved", []):
            if (db.mention(aid, start) or {}).get("entity_id") == entity and (old is None or db.entity(old)):
                db.move_mentions([(aid, start)], old)
                db.set_quote_speakers(db.quotes_spoken_by_mentions([(aid, start)]), old, only_from=entity)
                if old is not None:
                    db.add_name(old, spec["name"], 1)
        if state.get("name_new"):
            db.drop_name(entity, spec["name"])
        elif state.get("name_added"):
            db.remove_name(entity, spec["name"], state["name_added"])
        return []
