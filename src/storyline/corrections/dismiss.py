"""Dismissals: a conflict, position, claim or political event the analyst says is wrong, left out wherever shown.

The analyses are not told: a dismissal is a filter on what they built (:class:`Review`, applied to the
brief's sections and to ``political_events``). An item is found by its stable id
(:mod:`storyline.analysis.ids`); when new articles change what an item rests on (a conflict gains a
side), it is still the dismissed item when it is of the same kind and its sentences contain, or are
contained in, the dismissed one's.
"""

from __future__ import annotations

from typing import Any

from ..analysis import ids
from ..store.correction_ops import CorrectionTables
from ..store.corrections import CorrectionRecords
from .base import Outcome, Plan, need, refuse

SECTION_OF = {"position": "positions", "conflict": "conflicts", "claim": "claims"}


def _summary(kind: str, item: dict[str, Any]) -> str:
    if kind == "conflict":
        return f"{item.get('kind')}: {item.get('about')}"
    if kind == "event":
        source, target = (item.get("source") or {}).get("name"), (item.get("target") or {}).get("name")
        return f"{item.get('event_type')}: {source or '?'} -> {target or '-'} ({item.get('date') or 'undated'})"
    if kind == "position":
        return f"{(item.get('holder') or {}).get('name')}: {item.get('type')}: {str(item.get('text'))[:160]}"
    return str(item.get("text") or "")[:200]


def items_of(db: CorrectionTables, kind: str, article_id: str) -> tuple[int | None, list[dict[str, Any]]]:
    """The storyline holding ``article_id`` and its items of ``kind``, each with its stable id."""
    from ..store import story_queries

    placed = db.placements([article_id]).get(article_id)
    storyline = placed[1] if placed else None
    if kind == "event":
        from ..store import polevents as pe

        rows = pe.report_rows(db.conn, pe.EventFilter(storyline=storyline))
        items = [e for e in pe.deduplicate(rows) if any(x["article_id"] == article_id for x in e["evidence"])]
        return storyline, ids.assign(kind, items)
    story = (story_queries.get_storyline(db.conn, storyline) if storyline is not None else None) or \
        {"id": None, "articles": [{"id": article_id}], "events": []}
    from ..analysis import claims, conflicts, positions

    build = {"position": positions.extract, "conflict": conflicts.find, "claim": claims.extract}[kind]
    return storyline, ids.assign(kind, build(db, story))


class Dismiss:
    """``dismiss conflict|position|claim|event ID --reason TEXT``."""

    name = "dismiss"
    stories = False

    def plan(self, db: CorrectionTables, args: dict[str, Any]) -> Plan:
        kind = str(need(args, "kind", "what to dismiss (conflict, position, claim or event)"))
        if kind not in ids.KINDS:
            raise refuse(f"dismiss takes conflict, position, claim or event, not {kind!r}")
        ident = str(need(args, "id", f"the {kind} id"))
        reason = " ".join(str(args.get("reason") or "").split())
        if not reason:
            raise refuse("dismiss needs --reason TEXT (why the item is wrong; it is kept in the audit trail)")
        parsed = ids.parse(ident)
        if parsed is None or parsed[0] != kind:
            raise refuse(f"{ident!r} is not a {kind} id ({kind} ids look like "
                         f"{ids.PREFIX[kind]}-ARTICLE_ID-OFFSET-DIGEST; the brief's JSON gives them)")
        if db.article_meta(parsed[1]) is None:
            raise refuse(f"no {kind} {ident}: article {parsed[1]} is not in the store")
        storyline, items = items_of(db, kind, parsed[1])
        item = next((it for it in items if it.get("id") == ident), None)
        if item is None:
            where = f"storyline {storyline}" if storyline is not None else f"article {parsed[1]}"
            raise refuse(f"no {kind} {ident} in {where} (`storyline brief {storyline or 'ID'} --format json` lists "
                         "them with their ids)")
        spec = {"kind": kind, "id": ident, "label": ids.label(kind, item),
                "keys": [list(k) for k in ids.keys(kind, item)], "reason": reason,
                "plain": ids.plain_label(kind, item), "texts": [list(t) for t in ids.texts(kind, item)]}
        for other in Review(CorrectionRecords(db.conn).active()).dismissals:
            if _same(other, kind, ident, spec["label"], {tuple(k) for k in spec["keys"]},
                     spec["plain"], {tuple(t) for t in spec["texts"]}):
                raise refuse(f"that {kind} is already dismissed by correction {other['correction']}")
        return Plan({"kind": kind, "id": ident, "storyline_id": storyline},
                    {"shown": True, "summary": _summary(kind, item)}, spec, {"storyline": storyline})

    def slots(self, spec: dict[str, Any]) -> set[str]:
        return {f"item:{spec['kind']}:{spec['id']}"}

    def apply(self, db: CorrectionTables, rec: dict[str, Any]) -> Outcome:
        spec, state = rec["spec"], dict(rec["state"])
        anchor = spec["keys"][0][0] if spec["keys"] else None
        placed = db.placements([anchor]).get(anchor) if anchor else None
        if placed:
            state["storyline"] = placed[1]
        marks = [("item", spec["id"]), ("storyline", state.get("storyline"))]
        return Outcome("applied", state, marks, {"shown": False, "reason": spec["reason"]}, False)

    def undo(self, db: CorrectionTables, rec: dict[str, Any]) -> list[str]:
        return []


def _same(d: dict[str, Any], kind: str, ident: str | None, label: str, keys: set[tuple[str, int]],
          plain: str | None = None, texts: set[tuple[str, str]] | None = None) -> bool:
    """Whether dismissal ``d`` covers an item: the same id; else the same label and sentences (one set of
    ``(article_id, start)`` inside the other); else, when the offsets moved (a re-cleaned text), the same
    label without offsets and sentence texts (one set inside the other)."""
    if d["kind"] != kind:
        return False
    if ident is not None and d["id"] == ident:
        return True
    if d["label"] == label and keys and d["keys"] and (keys <= d["keys"] or d["keys"] <= keys):
        return True
    return bool(texts and d["texts"] and d["plain"] == plain and (texts <= d["texts"] or d["texts"] <= texts))


class Review:
    """The dismissals in force, as a filter on built items."""

    def __init__(self, active: list[dict[str, Any]]) -> None:
        self.dismissals = [{"correction": r["id"], "kind": r["spec"]["kind"], "id": r["spec"]["id"],
                            "label": r["spec"].get("label"), "keys": {tuple(k) for k in r["spec"].get("keys", [])},
                            "plain": r["spec"].get("plain"), "texts": {tuple(t) for t in r["spec"].get("texts", [])},
                            "reason": r["spec"].get("reason"), "by": r["by"], "at": r["at"]}
                           for r in active if r["action"] == "dismiss"]

    @classmethod
    def load(cls, conn: Any) -> "Review":
        return cls(CorrectionRecords(conn).active())

    def match(self, kind: str, item: dict[str, Any]) -> dict[str, Any] | None:
        """The dismissal that covers ``item`` (given its stable id), if any."""
        if not self.dismissals:
            return None
        keys, texts = set(ids.keys(kind, item)), set(ids.texts(kind, item))
        label, plain = ids.label(kind, item), ids.plain_label(kind, item)
        return next((d for d in self.dismissals if _same(d, kind, item.get("id"), label, keys, plain, texts)), None)

    def filter(self, kind: str, items: list[dict[str, Any]] | None
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """``(kept, dismissed)``; every item gets its stable id; a dismissed one carries ``dismissed`` (the
        correction id, who, when, why)."""
        kept, gone = [], []
        for it in ids.assign(kind, list(items or [])):
            d = self.match(kind, it)
            if d is None:
                kept.append(it)
            else:
                gone.append({**it, "dismissed": {k: d[k] for k in ("correction", "reason", "by", "at")}})
        return kept, gone

    def sections(self, sections: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The brief's sections with stable ids and without dismissed items; claims no longer cite as
        contradicting a sentence that only a dismissed conflict disputed. Returns the dismissed items too."""
        out = dict(sections)
        dismissed: list[dict[str, Any]] = []
        for kind, key in SECTION_OF.items():
            if out.get(key) is None:
                continue
            kept, gone = self.filter(kind, out[key])
            out[key] = kept
            dismissed += [{"kind": kind, "id": g.get("id"), "summary": _summary(kind, g), **g["dismissed"]}
                          for g in gone]
        gone_sides = {(s["article_id"], s["start"]) for d in dismissed if d["kind"] == "conflict"
                      for s in next((g for g in sections.get("conflicts") or [] if g.get("id") == d["id"]),
                                    {}).get("sides", [])}
        if gone_sides and out.get("claims"):
            shown = {(s["article_id"], s["start"]) for c in out.get("conflicts") or [] for s in c.get("sides", [])}
            for claim in out["claims"]:
                if claim.get("contradicted_by"):
                    claim["contradicted_by"] = [a for a in claim["contradicted_by"]
                                                if (a["article_id"], a["start"]) not in gone_sides - shown]
        return out, dismissed
