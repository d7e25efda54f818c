"""Corrections of story grouping: move an article, merge two events or two storylines, split a storyline.

Each holds on to article ids (anchors), never to event or storyline ids alone: after ``stories
--rebuild`` renumbers everything, the event of a correction is the one holding most of its anchors,
so applying it again puts the same articles together again. Undo puts articles back where the
machine had them when the recorded placement still stands, and else queues them for the story stage
to place again (the machine's answer).
"""

from __future__ import annotations

from typing import Any

from ..store.correction_ops import CorrectionTables
from .base import Outcome, Plan, anchors, as_int, plurality, refuse, require_article, resolve_story


def _event_json(db: CorrectionTables, event_id: int | None) -> dict[str, Any] | None:
    row = db.event_row(event_id) if event_id is not None else None
    return None if row is None else {"event_id": row["id"], "event_title": row["title"],
                                     "storyline_id": row["storyline_id"], "n_articles": row["n_articles"]}


def _storyline_json(db: CorrectionTables, storyline_id: int | None) -> dict[str, Any] | None:
    row = db.storyline_row(storyline_id) if storyline_id is not None else None
    return None if row is None else {"storyline_id": row["id"], "title": row["title"], "n_articles": row["n_articles"],
                                     "n_events": row["n_events"]}


def _reuse_event(db: CorrectionTables, event_id: Any, storyline_id: int) -> int:
    """A retired event a correction made before (same id again), else a new event in ``storyline_id``."""
    row = db.event_row(int(event_id)) if event_id is not None else None
    if row is not None and not row["n_articles"]:
        db.revive_event(row["id"], storyline_id)
        return row["id"]
    return db.new_event(storyline_id)


class MoveArticle:
    """``move-article ARTICLE_ID (--to-event EVENT_ID | --new-event)``."""

    name = "move-article"
    stories = True

    def plan(self, db: CorrectionTables, args: dict[str, Any]) -> Plan:
        meta = require_article(db, args.get("article_id"))
        aid = meta["id"]
        placed = db.placements([aid]).get(aid)
        if placed is None:
            raise refuse(f"article {aid} is not in a story yet (run `storyline stories --update`)")
        new = bool(args.get("new_event"))
        if new == (args.get("to_event") is not None):
            raise refuse("move-article takes exactly one of --to-event EVENT_ID and --new-event")
        before = {**(_event_json(db, placed[0]) or {})}
        target = {"kind": "article", "id": aid, "title": meta["title"]}
        # the machine's answer, for undo: the articles it was placed with (ids of events change in a rebuild)
        was_with = anchors(a for a in db.event_members(placed[0]) if a != aid)
        if new:
            if db.event_members(placed[0]) == [aid]:
                raise refuse(f"article {aid} is already alone in event {placed[0]}")
            return Plan({**target, "new_event": True}, before, {"article_id": aid, "to": "new"},
                        {"was_with": was_with})
        given = as_int(args["to_event"], "--to-event")
        event = resolve_story(db, "event", given)
        if event == placed[0]:
            raise refuse(f"article {aid} is already in event {event}")
        return Plan({**target, "to_event": given, "event_id": event}, before,
                    {"article_id": aid, "to": "event", "with": anchors(a for a in db.event_members(event) if a != aid)},
                    {"event": event, "was_with": was_with})

    def slots(self, spec: dict[str, Any]) -> set[str]:
        return {f"article-event:{spec['article_id']}"}

    def apply(self, db: CorrectionTables, rec: dict[str, Any]) -> Outcome:
        spec, state = rec["spec"], dict(rec["state"])
        aid = spec["article_id"]
        placed = db.placements([aid]).get(aid)
        if placed is None:
            return Outcome.waiting(state, f"article {aid} is not in a story")
        here = placed[0]
        if spec["to"] == "event":
            target = plurality(db, spec["with"], 0, exclude=[aid])
            if target is None:
                return Outcome.waiting(state, "none of the event's articles is in a story")
        elif db.event_members(here) == [aid]:
            target = here
        else:
            target = _reuse_event(db, state.get("to"), placed[1])
        changed = target != here
        if changed:
            db.move_articles([aid], target, "corrected")
            db.settle({here, target})
            state.update({"from": here, "to": target})
        state.pop("waiting", None)
        state.setdefault("to", target)
        row = db.event_row(target) or {}
        return Outcome("applied", state, [("article", aid), ("event", target), ("storyline", row.get("storyline_id"))],
                       _event_json(db, target) or {}, changed, changed)

    def undo(self, db: CorrectionTables, rec: dict[str, Any]) -> list[str]:
        state, aid = rec["state"], rec["spec"]["article_id"]
        placed = db.placements([aid]).get(aid)
        back = db.event_row(state["from"]) if state.get("from") is not None else None
        if placed is not None and state.get("was_with"):
            # back with the articles the machine had placed it with when the analyst moved it (event ids change
            # in a rebuild or a restructure; a rebuild placing it anew may judge it alone, order matters)
            home = plurality(db, state["was_with"], 0, exclude=[aid])
            if home is not None:
                if home != placed[0]:
                    db.move_articles([aid], home, "undone")
                    db.settle({home, placed[0]})
                return []
        if placed is None or placed[0] != state.get("to") or back is None:
            return [aid]   # regrouped since, placed alone before: the story stage places it again
        if not back["n_articles"]:
            db.revive_event(back["id"], back["storyline_id"])
        db.move_articles([aid], back["id"], "undone")
        db.settle({back["id"], placed[0]})
        return []


class MergeEvents:
    """``merge-events A B``: B's articles join A; B is retired and redirects to A."""

    name = "merge-events"
    stories = True

    def plan(self, db: CorrectionTables, args: dict[str, Any]) -> Plan:
        given = (as_int(args.get("keep"), "event A"), as_int(args.get("other"), "event B"))
        keep, other = (resolve_story(db, "event", g) for g in given)
        if keep == other:
            raise refuse(f"events {given[0]} and {given[1]} are already one event ({keep})")
        return Plan({"kind": "event", "id": given[0], "other": given[1]},
                    {"events": [_event_json(db, keep), _event_json(db, other)]},
                    {"keep": anchors(db.event_members(keep)), "other": anchors(db.event_members(other))},
                    {"keep": keep, "other": other})

    def slots(self, spec: dict[str, Any]) -> set[str]:
        return set()

    def apply(self, db: CorrectionTables, rec: dict[str, Any]) -> Outcome:
        spec, state = rec["spec"], dict(rec["state"])
        keep = plurality(db, spec["keep"], 0)
        if keep is None:
            return Outcome.waiting(state, "none of event A's articles is in a story")
        placed = db.placements(spec["other"])
        move = {a: p[0] for a, p in placed.items() if p[0] != keep and a not in spec["keep"]}
        if move:
            db.move_articles(list(move), keep, "corrected")
            sources = set(move.values())
            db.settle(sources | {keep})
            retired = [e for e in sources if not (db.event_row(e) or {}).get("n_articles")]
            for e in retired:
                db.redirect("event", e, keep, f"correction {rec['id']}")
            state["moved"] = {**state.get("moved", {}), **move}
            state["retired"] = sorted(set(state.get("retired", [])) | set(retired))
        state.pop("waiting", None)
        state["keep"] = keep
        row = db.event_row(keep) or {}
        marks = [("event", keep), ("storyline", row.get("storyline_id"))]
        marks += [("event", e) for e in state.get("retired", [])]
        marks += [("article", a) for a in placed]
        return Outcome("applied", state, marks, _event_json(db, keep) or {}, bool(move), bool(move))

    def undo(self, db: CorrectionTables, rec: dict[str, Any]) -> list[str]:
        state = rec["state"]
        keep = state.get("keep")
        moved = state.get("moved", {})
        placed = db.placements(moved)
        back = {a: e for a, e in moved.items() if placed.get(a, (None,))[0] == keep and db.event_row(e) is not None}
        if not back:
            return list(rec["spec"]["other"])
        for e in set(back.values()):
            row = db.event_row(e)
            if row is not None and not row["n_articles"]:
                db.revive_event(e, row["storyline_id"])
        for e in set(back.values()):
            db.move_articles([a for a, x in back.items() if x == e], e, "undone")
        db.settle(set(back.values()) | {keep})
        return [a for a in moved if a not in back]


class MergeStories:
    """``merge-stories A B``: B's events join storyline A; B is retired and redirects to A."""

    name = "merge-stories"
    stories = True

    def plan(self, db: CorrectionTables, args: dict[str, Any]) -> Plan:
        given = (as_int(args.get("keep"), "storyline A"), as_int(args.get("other"), "storyline B"))
        keep, other = (resolve_story(db, "storyline", g) for g in given)
        if keep == other:
            raise refuse(f"storylines {given[0]} and {given[1]} are already one storyline ({keep})")
        return Plan({"kind": "storyline", "id": given[0], "other": given[1]},
                    {"storylines": [_storyline_json(db, keep), _storyline_json(db, other)]},
                    {"keep": anchors(db.storyline_members(keep)), "other": anchors(db.storyline_members(other))},
                    {"keep": keep, "other": other})

    def slots(self, spec: dict[str, Any]) -> set[str]:
        return set()

    def apply(self, db: CorrectionTables, rec: dict[str, Any]) -> Outcome:
        spec, state = rec["spec"], dict(rec["state"])
        keep = plurality(db, spec["keep"], 1)
        if keep is None:
            return Outcome.waiting(state, "none of storyline A's articles is in a story")
        placed = db.placements(spec["other"])
        move = {p[0]: p[1] for a, p in placed.items() if p[1] != keep}
        if move:
            for event in move:
                db.move_event(event, keep)
            sources = set(move.values())
            db.settle(set(move), sources | {keep})
            retired = [s for s in sources if not (db.storyline_row(s) or {}).get("n_articles")]
            for s in retired:
                db.redirect("storyline", s, keep, f"correction {rec['id']}")
            state["moved"] = {**state.get("moved", {}), **{str(k): v for k, v in move.items()}}
            state["retired"] = sorted(set(state.get("retired", [])) | set(retired))
        state.pop("waiting", None)
        state["keep"] = keep
        marks = [("storyline", keep)] + [("storyline", s) for s in state.get("retired", [])]
        return Outcome("applied", state, marks, _storyline_json(db, keep) or {}, bool(move), bool(move))

    def undo(self, db: CorrectionTables, rec: dict[str, Any]) -> list[str]:
        state = rec["state"]
        keep = state.get("keep")
        back = {int(e): s for e, s in state.get("moved", {}).items()
                if (db.event_row(int(e)) or {}).get("storyline_id") == keep and db.storyline_row(s) is not None}
        if not back:
            return list(rec["spec"]["other"])
        for event, line in back.items():
            db.drop_redirect("storyline", line)
            db.move_event(event, line)
        db.settle(set(back), set(back.values()) | {keep})
        return []


class SplitStory:
    """``split-story ID --events E1,E2,...``: those events leave storyline ID for a storyline of their own."""

    name = "split-story"
    stories = True

    def plan(self, db: CorrectionTables, args: dict[str, Any]) -> Plan:
        given = as_int(args.get("storyline_id"), "storyline ID")
        line = resolve_story(db, "storyline", given)
        raw = args.get("events") or []
        if isinstance(raw, str):
            raw = [x for x in raw.replace(" ", "").split(",") if x]
        if not raw:
            raise refuse("split-story needs --events E1,E2,... (events of the storyline that leave it)")
        events = sorted({resolve_story(db, "event", as_int(e, "an event id")) for e in raw})
        for e in events:
            if (db.event_row(e) or {}).get("storyline_id") != line:
                raise refuse(f"event {e} is not in storyline {given}; `storyline story {given}` lists its events")
        rest = [e for e in db.live_events(line) if e not in events]
        if not rest:
            raise refuse(f"those are all the events of storyline {given}: nothing would be left in it")
        leave = [a for e in events for a in db.event_members(e)]
        stay = [a for e in rest for a in db.event_members(e)]
        return Plan({"kind": "storyline", "id": given, "events": [int(e) for e in raw]},
                    {**(_storyline_json(db, line) or {}), "events": [_event_json(db, e) for e in db.live_events(line)]},
                    {"leave": anchors(leave), "stay": anchors(stay)}, {"from": line})

    def slots(self, spec: dict[str, Any]) -> set[str]:
        return set()

    def apply(self, db: CorrectionTables, rec: dict[str, Any]) -> Outcome:
        spec, state = rec["spec"], dict(rec["state"])
        line = plurality(db, spec["stay"], 1)
        if line is None:
            return Outcome.waiting(state, "none of the storyline's remaining articles is in a story")
        stay = set(spec["stay"])
        placed = db.placements(spec["leave"])
        inside: dict[int, list[str]] = {}
        for a, (e, s) in placed.items():
            if s == line:
                inside.setdefault(e, []).append(a)
        changed = bool(inside)
        if changed:
            own = db.storyline_row(state["storyline"]) if state.get("storyline") is not None else None
            if own is not None and own["id"] != line and all(p[1] != own["id"] for p in db.placements(stay).values()):
                target = own["id"]
                db.drop_redirect("storyline", target)
            else:
                target = db.new_storyline()
            split: dict[str, int] = dict(state.get("split", {}))
            moved: list[int] = list(state.get("moved_events", []))
            for event, members in inside.items():
                if any(a in stay for a in db.event_members(event)):
                    new = db.new_event(target)
                    db.move_articles(members, new, "corrected")
                    split[str(new)] = event
                else:
                    db.move_event(event, target)
                    moved.append(event)
            db.settle(set(inside) | {int(e) for e in split}, {line, target})
            state.update({"storyline": target, "from": line, "moved_events": sorted(set(moved)), "split": split})
        state.pop("waiting", None)
        target = state.get("storyline")
        marks = [("storyline", line), ("storyline", target)] + [("event", e) for e in state.get("moved_events", [])]
        return Outcome("applied", state, marks, {"storyline_id": line, "new_storyline": _storyline_json(db, target)},
                       changed, changed)

    def undo(self, db: CorrectionTables, rec: dict[str, Any]) -> list[str]:
        state = rec["state"]
        target, line = state.get("storyline"), state.get("from")
        if target is None or line is None or db.storyline_row(line) is None:
            return list(rec["spec"]["leave"])
        events = [e for e in state.get("moved_events", []) if (db.event_row(e) or {}).get("storyline_id") == target]
        for e in events:
            db.move_event(e, line)
        split = {int(n): e for n, e in state.get("split", {}).items()}
        for new, old in split.items():
            row = db.event_row(old)
            if row is None:
                continue
            if not row["n_articles"]:
                db.revive_event(old, line)
            db.move_articles(db.event_members(new), old, "undone")
        if not events and not split:
            return list(rec["spec"]["leave"])
        db.drop_redirect("storyline", line)
        db.settle(set(events) | set(split) | set(split.values()), {line, target})
        return []
