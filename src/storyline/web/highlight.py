"""An article's text as HTML with its sentences, quotes, speakers, entities and dates marked up.

Every piece of text goes through ``markupsafe.escape``; only the tags built here are markup. Each
sentence is a ``<span id="s-START">`` (the anchor statements and briefs link to); quotes are
``<mark>`` elements with a link to their statement, entity mentions link to the entity page, time
expressions are ``<time>`` elements with their resolved value. Spans that cross each other are split
so that the tags always nest.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape


def _open(kind: str, span: dict[str, Any], speakers: set[int]) -> Markup:
    if kind == "quote":
        return Markup('<mark class="quote k-{}" data-quote="{}" title="{}">').format(
            span.get("kind") or "", span.get("id") or "", _quote_title(span))
    if kind == "mention":
        cls = "ent speaker" if span.get("entity_id") in speakers else "ent"
        if span.get("entity_id"):
            return Markup('<a class="{} l-{}" href="/entities/{}">').format(cls, span.get("label") or "",
                                                                            span["entity_id"])
        return Markup('<span class="{} l-{}">').format(cls, span.get("label") or "")
    return Markup('<time class="timex" datetime="{}" title="{}">').format(span.get("value") or "",
                                                                        span.get("value") or "")


def _close(kind: str, span: dict[str, Any]) -> Markup:
    if kind == "quote":
        return Markup("</mark>")
    if kind == "mention":
        return Markup("</a>") if span.get("entity_id") else Markup("</span>")
    return Markup("</time>")


def _quote_title(q: dict[str, Any]) -> str:
    who = (q.get("speaker") or {}).get("name") or "unattributed"
    said = f", said {q['said_on']}" if q.get("said_on") else ""
    return f"{q.get('kind')} quote: {who}{said}"


def _statement_link(q: dict[str, Any]) -> Markup:
    speaker = (q.get("speaker") or {}).get("entity_id")
    if not speaker or q.get("statement_id") is None:
        return Markup("")
    return Markup('<a class="qlink" href="/entities/{}#st-{}" title="this statement and its other wordings">'
                  "&#8599;</a>").format(speaker, q["statement_id"])


def article_html(text: str, sentences: list[tuple[int, int]], mentions: list[dict[str, Any]],
                 times: list[dict[str, Any]], quotes: list[dict[str, Any]]) -> Markup:
    """The whole text as safe HTML (to be shown with ``white-space: pre-wrap``)."""
    n = len(text)
    layers: list[tuple[str, list[dict[str, Any]]]] = [("quote", quotes), ("mention", mentions), ("time", times)]
    cuts = {0, n}
    for s, e in sentences:
        cuts.update((max(0, min(n, s)), max(0, min(n, e))))
    for _, spans in layers:
        for sp in spans:
            cuts.update((max(0, min(n, sp["start"])), max(0, min(n, sp["end"]))))
    points = sorted(cuts)
    speakers = {(q.get("speaker") or {}).get("entity_id") for q in quotes} - {None}
    sentence_at = {s: e for s, e in sentences if 0 <= s < e <= n}
    quote_ends: dict[int, list[dict[str, Any]]] = {}
    for q in quotes:
        quote_ends.setdefault(min(q["end"], n), []).append(q)

    out: list[Markup] = []
    stack: list[tuple[str, dict[str, Any]]] = []
    sentence_end: int | None = None

    def close_all() -> None:
        while stack:
            out.append(_close(*stack.pop()))

    for a, b in zip(points, points[1:]):
        if sentence_end is not None and a >= sentence_end:
            close_all()
            out.append(Markup("</span>"))
            sentence_end = None
        if sentence_end is None and a in sentence_at:
            close_all()
            sentence_end = sentence_at[a]
            out.append(Markup('<span class="s" id="s-{0}" data-start="{0}" data-end="{1}">').format(a, sentence_end))
        want = [(kind, sp) for kind, spans in layers
                for sp in [next((x for x in spans if x["start"] <= a and b <= x["end"]), None)] if sp is not None]
        keep = 0
        while keep < min(len(stack), len(want)) and stack[keep][1] is want[keep][1]:
            keep += 1
        while len(stack) > keep:
            out.append(_close(*stack.pop()))
        for kind, sp in want[keep:]:
            out.append(_open(kind, sp, speakers))
            stack.append((kind, sp))
        out.append(escape(text[a:b]))
        if b in quote_ends:
            # close the quote before its statement link so the link is not inside the <mark>
            while stack and any(k == "quote" for k, _ in stack):
                out.append(_close(*stack.pop()))
            out.extend(_statement_link(q) for q in quote_ends.pop(b))
    close_all()
    if sentence_end is not None:
        out.append(Markup("</span>"))
    return Markup("").join(out)
