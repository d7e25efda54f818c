"""What the pages show, assembled from the store: statement ledgers, coverage matrices, source links.

Plain functions of a read-only ``Store`` and records/dicts; the templates only lay them out.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from markupsafe import Markup, escape

from ..brief import event_order, sentence_of
from ..store import Store

_WORD = re.compile(r"\w+", re.U)


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


def statement_ledger(store: Store, article_ids: list[str], outlets: dict[str, str | None],
                     limit: int = 300) -> list[dict[str, Any]]:
    """Statements made in these articles, grouped by speaker (most statements first), each with its
    variant wordings, the outlets that carried each and a link to every source sentence."""
    link = SourceLinks(store)
    by_statement: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for q in store.statement_quotes(article_ids):
        by_statement[q["statement_id"]].append(q)
    speakers: dict[str, dict[str, Any]] = {}
    ranked = sorted(by_statement.items(), key=lambda kv: (-len({q["article_id"] for q in kv[1]}), kv[0]))[:limit]
    for sid, quotes in ranked:
        variants: dict[str, dict[str, Any]] = {}
        for q in quotes:
            key = " ".join(_WORD.findall(q["text"].casefold()))
            v = variants.setdefault(key, {"text": q["text"], "kind": q["kind"], "outlets": [], "sources": []})
            outlet = outlets.get(q["article_id"])
            if outlet and outlet not in v["outlets"]:
                v["outlets"].append(outlet)
            v["sources"].append({"article_id": q["article_id"], "outlet": outlet,
                                 "href": link(q["article_id"], q["start"])})
        main = max(variants.values(), key=lambda v: (len(v["sources"]), len(v["text"])))
        said = min((q["said_on"] for q in quotes if q.get("said_on")), default=None)
        speaker = next((q["speaker"] for q in quotes if q.get("speaker")), None)
        group = speakers.setdefault((speaker or {}).get("name") or "", {"speaker": speaker, "statements": []})
        group["statements"].append({"id": sid, "text": main["text"], "said_on": said,
                                    "n_articles": len({q["article_id"] for q in quotes}),
                                    "href": main["sources"][0]["href"],
                                    "variants": sorted(variants.values(), key=lambda v: -len(v["sources"]))})
    for g in speakers.values():
        g["statements"].sort(key=lambda s: (s["said_on"] or "9999", s["id"]))
    return sorted(speakers.values(), key=lambda g: (g["speaker"] is None, -len(g["statements"])))


def coverage_matrix(story: dict[str, Any], max_events: int = 30, max_outlets: int = 25) -> dict[str, Any]:
    """Outlets (rows, most articles first) × events (columns, in time order): articles per cell.

    A long storyline keeps its ``max_events`` most covered events and ``max_outlets`` busiest outlets
    (the page says so), so the table stays readable and the page small.
    """
    events = sorted(story.get("events", []), key=event_order)
    if len(events) > max_events:
        keep = {e["id"] for e in sorted(events, key=lambda e: (-(e.get("n_articles") or 0), e["id"]))[:max_events]}
        shown = [e for e in events if e["id"] in keep]
    else:
        shown = events
    cells: Counter[tuple[str, int]] = Counter()
    per_outlet: Counter[str] = Counter()
    for a in story.get("articles", []):
        outlet = a.get("outlet") or "(unknown outlet)"
        per_outlet[outlet] += 1
        if a.get("event_id") is not None:
            cells[(outlet, a["event_id"])] += 1
    ranked = sorted(per_outlet.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = [{"outlet": o, "total": n, "cells": [cells.get((o, e["id"]), 0) for e in shown]}
            for o, n in ranked[:max_outlets]]
    return {"events": shown, "rows": rows, "n_events": len(events), "n_outlets": len(ranked)}


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
