"""An extractive brief of a storyline: for each event in time order, its lead sentences and who said what.

Every sentence of the brief is taken verbatim from an article and carries ``{article_id, start, end}``
of the article sentence it came from, so a reader can always go back to the source. Nothing is
paraphrased or generated; the analytic brief (claims, conflicts, framing) comes later.

1. take the storyline (``api.story`` contract: events with their article ids, articles with duplicates);
2. per event, pick its most representative article: the non-duplicate whose opening shares the most
   words with the other articles' openings (ties: the earliest);
3. take one or two lead sentences of that article, skipping a repeated headline and datelines;
4. gather the event's statements (quotes grouped across articles) by speaker, each with its source sentence;
5. render as JSON (``build``), Markdown (``to_markdown``) or HTML (``to_html``, everything escaped).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from typing import Any, Protocol

from markupsafe import Markup, escape

MAX_ARTICLES_COMPARED = 30  # articles of one event compared to pick the representative
MAX_STATEMENTS = 8  # statements shown per event
LEAD_CHARS = 220  # a first sentence shorter than this gets a second one
_WORD = re.compile(r"\w+", re.U)
_FALLBACK_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’]?|$)")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()<>#!|{}])")


class _Reader(Protocol):
    """What the brief reads from a store (``storyline.store.Store`` has it)."""

    def article(self, article_id: str) -> Any: ...
    def sentences(self, article_id: str) -> list[tuple[int, int]]: ...
    def statement_quotes(self, article_ids: list[str]) -> list[dict[str, Any]]: ...


def build(story: dict[str, Any], store: _Reader) -> dict[str, Any]:
    """The brief of ``story`` as JSON-ready data; every sentence has ``source: {article_id, start, end}``."""
    articles = {a["id"]: a for a in story.get("articles", [])}
    events = sorted(story.get("events", []), key=event_order)
    out_events = []
    for event in events:
        ids = [i for i in event.get("article_ids", []) if i in articles] or list(event.get("article_ids", []))
        texts = _texts(store, ids[:MAX_ARTICLES_COMPARED])
        rep = _representative(ids[:MAX_ARTICLES_COMPARED], texts, articles)
        lead = _lead(store, rep, texts[rep]) if rep else []
        out_events.append({
            "id": event["id"], "title": event.get("title"), "date": event.get("date"),
            "n_articles": event.get("n_articles", len(ids)), "n_outlets": event.get("n_outlets"),
            "article_id": rep, "lead": lead, "speakers": _speakers(store, ids, rep, articles),
        })
    return {
        "storyline": {k: story.get(k) for k in ("id", "title", "start", "end", "n_articles", "n_outlets",
                                               "n_sources")},
        "kind": "extractive",
        "note": "Every sentence is quoted verbatim from an article; source gives its offsets.",
        "events": out_events,
    }


def event_order(event: dict[str, Any]) -> tuple[bool, str, int]:
    """Dated events in time order, then the undated ones."""
    day = event.get("date") or event.get("start")
    return (day is None, day or "", event["id"])


def _texts(store: _Reader, ids: list[str]) -> dict[str, tuple[str, str | None]]:
    out = {}
    for aid in ids:
        a = store.article(aid).article
        out[aid] = (a.text, a.title)
    return out


def _representative(ids: list[str], texts: dict[str, tuple[str, str | None]],
                    articles: dict[str, dict[str, Any]]) -> str | None:
    if not ids:
        return None
    originals = [i for i in ids if (articles.get(i, {}).get("canonical_id") or i) == i] or ids
    words = {i: set(_WORD.findall(texts[i][0][:800].casefold())) for i in ids}

    def score(aid: str) -> tuple[float, str, str]:
        mine = words[aid]
        sims = [len(mine & words[o]) / (len(mine | words[o]) or 1) for o in ids if o != aid]
        published = articles.get(aid, {}).get("published") or "9999"
        return (-(sum(sims) / len(sims) if sims else 0.0), published, aid)

    return min(originals, key=score)


def _sentences(store: _Reader, article_id: str, text: str) -> list[tuple[int, int]]:
    found = store.sentences(article_id)
    if found:
        return found
    # no NLP analysis stored: split the opening on sentence punctuation (offsets still exact)
    return [(m.start(), m.end()) for m in _FALLBACK_SENTENCE.finditer(text[:2000]) if m.group().strip()]


def _piece(article_id: str, text: str, start: int, end: int) -> dict[str, Any]:
    """A verbatim sentence with its offsets trimmed to the visible text."""
    raw = text[start:end]
    lead = len(raw) - len(raw.lstrip())
    body = raw.strip()
    return {"text": body, "source": {"article_id": article_id, "start": start + lead,
                                     "end": start + lead + len(body)}}


def _lead(store: _Reader, article_id: str, text_title: tuple[str, str | None]) -> list[dict[str, Any]]:
    text, title = text_title
    norm_title = " ".join(_WORD.findall((title or "").casefold()))
    lead: list[dict[str, Any]] = []
    for start, end in _sentences(store, article_id, text)[:8]:
        piece = _piece(article_id, text, start, end)
        words = _WORD.findall(piece["text"].casefold())
        if len(words) < 5 or " ".join(words) == norm_title:
            continue  # a dateline, a byline or the headline printed again
        lead.append(piece)
        if len(lead) == 2 or len(lead[0]["text"]) >= LEAD_CHARS:
            break
    return lead


def _speakers(store: _Reader, ids: list[str], rep: str | None,
              articles: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Statements made in the event's articles, grouped by speaker; each from one source sentence."""
    by_statement: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for q in store.statement_quotes(ids):
        by_statement[q["statement_id"]].append(q)
    ranked = sorted(by_statement.items(), key=lambda kv: (-len({q["article_id"] for q in kv[1]}), kv[0]))
    sentence_cache: dict[str, list[tuple[int, int]]] = {}
    groups: dict[str, dict[str, Any]] = {}
    for sid, quotes in ranked[:MAX_STATEMENTS]:
        q = next((q for q in quotes if q["article_id"] == rep), None) or min(
            quotes, key=lambda q: (articles.get(q["article_id"], {}).get("published") or "9999", q["article_id"]))
        sentences = sentence_cache.setdefault(q["article_id"], store.sentences(q["article_id"]))
        start, end = sentence_of(sentences, q["start"]) or (q["start"], q["end"])
        speaker = q.get("speaker") or {"entity_id": None, "name": None}
        key = speaker.get("name") or ""
        group = groups.setdefault(key, {"speaker": q.get("speaker"), "statements": []})
        outlets = sorted({articles.get(x["article_id"], {}).get("outlet") or "" for x in quotes} - {""})
        group["statements"].append({
            "statement_id": sid, "text": q["text"], "kind": q["kind"], "said_on": q.get("said_on"),
            "n_articles": len({x["article_id"] for x in quotes}), "outlets": outlets,
            "quote": {"article_id": q["article_id"], "start": q["start"], "end": q["end"]},
            "source": {"article_id": q["article_id"], "start": start, "end": end},
        })
    return sorted(groups.values(), key=lambda g: (g["speaker"] is None, -len(g["statements"]), g["speaker"] and
                                                  g["speaker"]["name"] or ""))


def sentence_of(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The ``(start, end)`` of the sentence holding character ``offset`` (sentences sorted by start)."""
    i = bisect_right([s for s, _ in sentences], offset) - 1
    if i >= 0 and sentences[i][0] <= offset < max(sentences[i][1], sentences[i][0] + 1):
        return sentences[i]
    return None


def source_link(source: dict[str, Any], base: str = "") -> str:
    """The page address of a source sentence: ``/articles/ID#s-START``."""
    return f"{base}/articles/{source['article_id']}#s-{source['start']}"


# -- rendering ------------------------------------------------------------------------------------

def _md(text: Any) -> str:
    """Article text as inert Markdown: one line, every Markdown/HTML special character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


def to_markdown(brief: dict[str, Any], base: str = "") -> str:
    s = brief["storyline"]
    lines = [f"# {_md(s.get('title') or 'Storyline ' + str(s.get('id')))}", "",
             f"{s.get('start') or '?'} to {s.get('end') or '?'} · {s.get('n_articles') or 0} articles · "
             f"{s.get('n_outlets') or 0} outlets", "", f"_{brief['note']}_", ""]
    for e in brief["events"]:
        lines += [f"## {e.get('date') or 'undated'}: {_md(e.get('title'))}", ""]
        for p in e["lead"]:
            lines += [f"> {_md(p['text'])} [source]({source_link(p['source'], base)})", ""]
        for g in e["speakers"]:
            lines.append(f"**{_md((g['speaker'] or {}).get('name') or 'Unattributed')}**")
            lines.append("")
            for st in g["statements"]:
                said = f" (said {st['said_on']})" if st.get("said_on") else ""
                lines.append(f"- “{_md(st['text'])}”{said}, {st['n_articles']} article(s) "
                             f"[source]({source_link(st['source'], base)})")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_html(brief: dict[str, Any], base: str = "") -> str:
    """A standalone HTML document; every piece of article text is escaped."""
    s = brief["storyline"]
    title = escape(s.get("title") or f"Storyline {s.get('id')}")
    parts = [Markup("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Brief: {0}</title>"
                    "</head><body><article class=\"brief\"><h1>{0}</h1>").format(title),
             Markup("<p>{} to {} · {} articles · {} outlets</p><p><em>{}</em></p>").format(
                 s.get("start") or "?", s.get("end") or "?", s.get("n_articles") or 0, s.get("n_outlets") or 0,
                 brief["note"])]
    for e in brief["events"]:
        parts.append(Markup("<section class=\"event\" id=\"e-{}\"><h2><time>{}</time> {}</h2>").format(
            e["id"], e.get("date") or "undated", e.get("title") or ""))
        for p in e["lead"]:
            parts.append(Markup("<blockquote><p>{} <a href=\"{}\">source</a></p></blockquote>").format(
                p["text"], source_link(p["source"], base)))
        for g in e["speakers"]:
            parts.append(Markup("<h3>{}</h3><ul>").format((g["speaker"] or {}).get("name") or "Unattributed"))
            for st in g["statements"]:
                parts.append(Markup("<li>“{}”{} <a href=\"{}\">source</a></li>").format(
                    st["text"], f" (said {st['said_on']})" if st.get("said_on") else "",
                    source_link(st["source"], base)))
            parts.append(Markup("</ul>"))
        parts.append(Markup("</section>"))
    parts.append(Markup("</article></body></html>"))
    return str(Markup("").join(parts))
