"""A storyline as analysts reviewed it, written as a gold file in the format of ``bench/data/real/storylines``.

What analysts corrected becomes labelled data: the storyline's articles (with their copy / rewrite
groups as ``source_group``), its positions, conflicts and claims as the analyses give them after every
correction in force (speakers fixed, entities merged, dismissed items left out), the dismissed items
apart under ``dismissed`` (negative labels), and the corrections themselves. ``notes`` says plainly that
items no analyst touched are the machine's.
"""

from __future__ import annotations

import re
from typing import Any

from ..analysis import claims as claims_mod
from ..analysis import conflicts as conflicts_mod
from ..analysis import positions as positions_mod
from ..analysis.material import load as load_material
from ..store.corrections import CorrectionRecords, audit
from .dismiss import Review

_SLUG = re.compile(r"[^a-z0-9]+")


def _span(side: dict[str, Any]) -> dict[str, Any]:
    """The words of a conflict side that state its value, when the sentence gives them verbatim."""
    text, value = side.get("text") or "", str(side.get("value") or "")
    at = text.find(value) if value else -1
    start = side["start"] + at if at >= 0 else side["start"]
    return {"start": start, "end": start + len(value) if at >= 0 else side["end"]}


def _position(p: dict[str, Any]) -> dict[str, Any]:
    sentence = p.get("sentence") or {"start": p["start"], "end": p["end"]}
    return {"article_id": p["article_id"], "start": p["start"], "end": p["end"],
            "sentence": {"start": sentence["start"], "end": sentence["end"]},
            "holder": (p.get("holder") or {}).get("name"), "reported_by": (p.get("reported_by") or {}).get("name"),
            "type": p["type"], "about": p.get("content"), "stance": p.get("id")}


def _conflict(c: dict[str, Any]) -> dict[str, Any]:
    return {"kind": c["kind"], "about": c.get("about"), "update": bool(c.get("update")),
            "sides": [{"article_id": s["article_id"], **_span(s), "sentence": {"start": s["start"], "end": s["end"]},
                       "value": s.get("value")} for s in c["sides"]]}


def _claim(c: dict[str, Any]) -> dict[str, Any]:
    return {"claim": c["text"], "asserted_by": [{"article_id": a["article_id"], "start": a["start"], "end": a["end"]}
                                                for a in c["asserted_by"]],
            "omitted_by": list(c.get("omitted_by") or []),
            "contradicted_by": [{"article_id": a["article_id"], "start": a["start"], "end": a["end"]}
                                for a in c.get("contradicted_by") or []]}


def gold(store: Any, story: dict[str, Any]) -> dict[str, Any]:
    """The gold file of one storyline (an ``api.story`` dict) from ``store`` with its corrections applied."""
    records = CorrectionRecords(store.conn)
    review = Review(records.active())
    built = {"positions": positions_mod.extract(store, story), "conflicts": conflicts_mod.find(store, story),
             "claims": claims_mod.extract(store, story)}
    sections, dismissed = review.sections(built)
    material = load_material(store, story)
    articles = [{"id": a["id"], "outlet": a.get("outlet"), "published": a.get("published"),
                 "opinion": bool(material.docs[a["id"]].opinion) if a["id"] in material.docs else False,
                 "source_group": a.get("source_id") or a["id"]} for a in story.get("articles", [])]
    ids = [a["id"] for a in story.get("articles", [])]
    touching = set().union(*[set(v) for v in records.marks("article", ids).values()],
                           *[set(v) for v in records.marks("storyline", [story["id"]]).values()])
    used = [audit(r) for r in records.listing() if r["id"] in touching]
    outlets = {a["id"]: a.get("outlet") for a in story.get("articles", [])}
    disagree = any(len({outlets.get(s["article_id"]) for s in c["sides"]}) > 1 for c in sections["conflicts"])
    by_kind: dict[str, list[dict[str, Any]]] = {"positions": [], "conflicts": [], "claims": []}
    shape = {"position": _position, "conflict": _conflict, "claim": _claim}
    for kind, key in (("position", "positions"), ("conflict", "conflicts"), ("claim", "claims")):
        for item in built[key]:
            d = next((x for x in dismissed if x["kind"] == kind and x["id"] == item.get("id")), None)
            if d is not None:
                by_kind[key].append({**shape[kind](item), "dismissed_by": d["correction"], "reason": d["reason"]})
    title = story.get("title") or f"storyline {story.get('id')}"
    return {
        "slug": f"storyline-{story.get('id')}-" + _SLUG.sub("-", title.casefold()).strip("-")[:60],
        "description": title, "topic": None, "outlets_agree": not disagree, "articles": articles,
        "positions": [_position(p) for p in sections["positions"]],
        "conflicts": [_conflict(c) for c in sections["conflicts"]],
        "claims": [_claim(c) for c in sections["claims"]],
        "notes": (f"Exported by storyline from storyline {story.get('id')} with {len(used)} analyst correction(s) "
                  "in force. Items are the analyses' output after those corrections; items no analyst reviewed "
                  "are the machine's and need reading before they count as gold. Dismissed items are listed "
                  "under `dismissed` (they are wrong, by an analyst's judgement). Offsets are into the text the store "
                  "holds (`storyline articles ID`), not the raw input."),
        "dismissed": by_kind,
        "corrections": used,
    }
