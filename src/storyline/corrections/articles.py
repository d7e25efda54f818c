"""Corrections of an article's metadata: its publication date (basis ``corrected``) and its outlet.

An ingest that stores a new version of the article writes the machine's date and outlet again; the
correction, applied after it, sets them back. The article's story day, its event's dates, the quotes
dated by its publication, and outlet counts follow.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..store.correction_ops import CorrectionTables
from .base import Outcome, Plan, need, refuse, require_article

CORRECTED = "corrected"


def _marks(db: CorrectionTables, article_id: str) -> list[tuple[str, Any]]:
    placed = db.placements([article_id]).get(article_id)
    return [("article", article_id)] + ([("event", placed[0]), ("storyline", placed[1])] if placed else [])


class Date:
    """``date ARTICLE_ID YYYY-MM-DD``."""

    name = "date"
    stories = True

    def plan(self, db: CorrectionTables, args: dict[str, Any]) -> Plan:
        meta = require_article(db, args.get("article_id"))
        raw = str(need(args, "date", "the date (YYYY-MM-DD)")).strip()
        try:
            day = date.fromisoformat(raw[:10]).isoformat() if len(raw) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise refuse(f"the date must be YYYY-MM-DD, not {raw!r}")
        if meta["published"] == day and meta["date_source"] == CORRECTED:
            raise refuse(f"article {meta['id']} is already dated {day} by a correction")
        return Plan({"kind": "article", "id": meta["id"], "title": meta["title"], "date": day},
                    {"published": meta["published"], "date_source": meta["date_source"]},
                    {"article_id": meta["id"], "date": day})

    def slots(self, spec: dict[str, Any]) -> set[str]:
        return {f"article-date:{spec['article_id']}"}

    def apply(self, db: CorrectionTables, rec: dict[str, Any]) -> Outcome:
        spec, state = rec["spec"], dict(rec["state"])
        meta = db.article_meta(spec["article_id"])
        if meta is None:
            return Outcome.waiting(state, "the article is not in the store")
        changed = (meta["published"], meta["date_source"]) != (spec["date"], CORRECTED)
        if changed:
            state["before"] = {"published": meta["published"], "date_source": meta["date_source"]}
            state["feature"] = db.feature_day(meta["id"])
            state["quotes"] = db.set_published(meta["id"], spec["date"], CORRECTED)
        state.pop("waiting", None)
        return Outcome("applied", state, _marks(db, meta["id"]), {"published": spec["date"], "date_source": CORRECTED},
                       changed, changed)

    def undo(self, db: CorrectionTables, rec: dict[str, Any]) -> list[str]:
        spec, state = rec["spec"], rec["state"]
        meta = db.article_meta(spec["article_id"])
        before = state.get("before")
        if meta is not None and before and (meta["published"], meta["date_source"]) == (spec["date"], CORRECTED):
            feature = state.get("feature")
            db.set_published(meta["id"], before["published"], before["date_source"],
                             tuple(feature) if feature else None)
        return []


class Outlet:
    """``outlet ARTICLE_ID NAME``."""

    name = "outlet"
    stories = False

    def plan(self, db: CorrectionTables, args: dict[str, Any]) -> Plan:
        meta = require_article(db, args.get("article_id"))
        name = " ".join(str(need(args, "outlet", "the outlet name")).split())
        if (meta["outlet"] or "").casefold() == name.casefold():
            raise refuse(f"article {meta['id']} is already from {meta['outlet']}")
        return Plan({"kind": "article", "id": meta["id"], "title": meta["title"], "outlet": name},
                    {"outlet": meta["outlet"]}, {"article_id": meta["id"], "outlet": name})

    def slots(self, spec: dict[str, Any]) -> set[str]:
        return {f"article-outlet:{spec['article_id']}"}

    def apply(self, db: CorrectionTables, rec: dict[str, Any]) -> Outcome:
        spec, state = rec["spec"], dict(rec["state"])
        meta = db.article_meta(spec["article_id"])
        if meta is None:
            return Outcome.waiting(state, "the article is not in the store")
        existed = db.outlet_exists(spec["outlet"])
        outlet = db.outlet_named(spec["outlet"])
        changed = meta["outlet_id"] != outlet
        if changed:
            state["before"] = {"outlet_id": meta["outlet_id"], "outlet": meta["outlet"]}
            state["created"] = state.get("created") or (outlet if not existed else None)
            db.set_outlet(meta["id"], outlet)
        state.pop("waiting", None)
        return Outcome("applied", state, _marks(db, meta["id"]), {"outlet": spec["outlet"]}, changed)

    def undo(self, db: CorrectionTables, rec: dict[str, Any]) -> list[str]:
        spec, state = rec["spec"], rec["state"]
        meta = db.article_meta(spec["article_id"])
        before = state.get("before")
        if meta is None or not before or (meta["outlet"] or "").casefold() != spec["outlet"].casefold():
            return []
        db.set_outlet(meta["id"], before["outlet_id"])
        if state.get("created") is not None:
            db.drop_outlet_if_unused(state["created"])
        return []
