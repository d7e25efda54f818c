"""What the pages show, assembled from the store and the brief: statement ledgers, coverage matrices, links.

Plain functions of a read-only ``Store`` and records/dicts; the templates only lay them out.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

from ..brief import event_order, sentence_of, source_link
from ..store import Store


class SourceLinks:
    """``/articles/ID#s-START`` of the sentence holding an offset, with each article's sentences read once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._sentences: dict[str, list[tuple[int, int]]] = {}

    def __call__(self, article_id: str, offset: int) -> str:
        sentences = self._sentences.get(article_id)
        if sentences is None:
            sentences = self._sentences[article_id] = self.store.sentences(article_id)
        found = sentence_of(sentences, offset)
        return f"/articles/{article_id}#s-{found[0] if found else offset}"


def citation_href(citation: dict[str, Any] | None) -> str | None:
    """The page address of a cited sentence (``/articles/ID#s-START``)."""
    return source_link(citation) if citation else None


def ledger_view(speakers: list[dict[str, Any]], limit: int = 300) -> list[dict[str, Any]]:
    """The brief's statement ledger for the page: the ``limit`` most reported statements, speakers with the
    most reported statements first, each wording with its diff against the main one and a link per report."""
    ranked = sorted((st["n_articles"], st["id"]) for g in speakers for st in g["statements"])
    keep = {sid for _, sid in sorted(ranked, key=lambda r: (-r[0], r[1]))[:limit]}
    out = []
    for g in speakers:
        statements = []
        for st in g["statements"]:
            if st["id"] not in keep:
                continue
            variants = [{**v, "sources": [{"outlet": r["outlet"], "href": citation_href(r["sentence"])}
                                          for r in v["reports"] if r.get("sentence")]} for v in st["variants"]]
            first = next((src["href"] for v in variants for src in v["sources"]), None)
            linked = [{**x, "href": next((citation_href(r["sentence"]) for v in x["variants"] for r in v["reports"]
                                          if r.get("sentence")), None)} for x in st["linked"]]
            statements.append({**st, "href": first, "variants": variants, "linked": linked})
        if statements:
            out.append({"speaker": g["speaker"], "statements": statements})
    return out


def coverage_view(coverage: dict[str, Any], max_events: int = 30, max_outlets: int = 25) -> dict[str, Any]:
    """The brief's outlets x events matrix cut for the page: the ``max_events`` most covered events (in
    timeline order) and the ``max_outlets`` busiest outlets (the page says so), blind spots marked."""
    events = coverage["events"]
    sums = [sum(r["cells"][k] for r in coverage["outlets"]) for k in range(len(events))]
    keep = sorted(sorted(range(len(events)), key=lambda k: (-sums[k], k))[:max_events])
    blind = {(b["outlet"], b["event_id"]) for b in coverage["blind_spots"]}
    rows = [{"outlet": r["outlet"], "total": r["total"],
             "cells": [{"n": r["cells"][k], "blind": (r["outlet"], events[k]["id"]) in blind} for k in keep]}
            for r in coverage["outlets"][:max_outlets]]
    return {"events": [events[k] for k in keep], "rows": rows, "n_events": len(events),
            "n_outlets": len(coverage["outlets"]), "n_blind": len(blind)}


def timeline_notes(timeline: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Per event id: its resolved date, how sure, and its cited one-line description."""
    return {e["id"]: {"date": e["date"], "date_basis": e["date_basis"], "description": e.get("description"),
                      "href": citation_href((e.get("description") or {}).get("citation"))} for e in timeline}


def top_events(story: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """All events in time order, or the ``limit`` most covered of them in time order."""
    events = sorted(story.get("events", []), key=event_order)
    if len(events) <= limit:
        return events
    keep = {e["id"] for e in sorted(events, key=lambda e: (-(e.get("n_articles") or 0), e["id"]))[:limit]}
    return [e for e in events if e["id"] in keep]


def entity_statements(store: Store, entity_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """The entity's statements in time order, each variant with links to its source sentences."""
    link = SourceLinks(store)
    out = []
    for st in store.statements(speaker=entity_id, limit=limit):
        variants = [{"text": v["text"], "kind": v["kind"], "outlets": v["outlets"],
                     "sources": [{"article_id": q["article_id"], "href": link(q["article_id"], q["start"])}
                                 for q in v["quotes"]]} for v in st["variants"]]
        first = next((s for v in variants for s in v["sources"]), None)
        out.append({**st, "variants": variants, "href": first["href"] if first else None})
    return out


def snippet_html(snippet: str) -> Markup:
    """An FTS snippet (matches in ``[...]``) as escaped text with the matches in ``<b>``."""
    out: list[Markup] = []
    for i, part in enumerate(re.split(r"[\[\]]", snippet or "")):
        out.append(Markup("<b>{}</b>").format(part) if i % 2 else escape(part))
    return Markup("").join(out)


def safe_href(url: str | None) -> str | None:
    """An article's original URL for a link only when it is http(s); anything else is shown as text."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def role_groups(roles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An entity's roles, one line per role: first and last date reported and the articles reporting it."""
    groups: dict[str, dict[str, Any]] = {}
    for r in roles:
        g = groups.setdefault(r["role"], {"role": r["role"], "dates": [], "article_ids": []})
        if r.get("reported_on"):
            g["dates"].append(r["reported_on"])
        if r.get("article_id") and r["article_id"] not in g["article_ids"]:
            g["article_ids"].append(r["article_id"])
    out = [{**g, "first": min(g["dates"], default=None), "last": max(g["dates"], default=None)}
           for g in groups.values()]
    return sorted(out, key=lambda g: (-len(g["article_ids"]), g["role"]))
