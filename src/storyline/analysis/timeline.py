"""The timeline of a storyline: its events in time order, each dated (and how surely), described in one
cited sentence, with the articles and outlets that reported it.

1. per event, the representative article: the original (not a copy; a news report before an opinion piece)
   whose opening shares the most words with the other members' openings (ties: the earliest published);
2. the event's date: the day most independent sources give as their news, each source's the first day its
   opening sentences name (a day-precise time expression at most ``LOOKBACK_DAYS`` before publication:
   ``explicit`` when the text names the date, ``resolved`` when a relative expression such as "on Monday" was
   resolved against the publication date; a later day named is background: "warned Thursday ..., after
   Saturday's strike"), ties to the earliest; else the first report's publication day (``published``); else
   the middle of an undated article's inferred publication range (``inferred``); else none (``none``);
3. the description: the representative's first lead sentence (no headline printed again, no dateline),
   verbatim, with its citation;
4. events sorted by that date, undated ones last.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from typing import Any

from ..records import StoryMaterial
from .cite import cited_sentence, furniture, opinion, sentences_of, trimmed

MAX_COMPARED = 30  # member articles of one event compared to pick its representative
OPENING_CHARS = 800  # characters of an article's opening compared between members
LEAD_SENTENCES = 3  # opening sentences searched for the event's date
LOOKBACK_DAYS = 3  # a day named in the lead up to three days before publication can be the event's day (a
# Friday in a Monday paper); an earlier one is background: readers of 201 real articles put every news day within
# two days of publication
MIN_LEAD_WORDS = 3  # an opening line with fewer lower-case words is a dateline, byline or heading
_WORD = re.compile(r"\w+", re.U)


def build(story: dict[str, Any], material: StoryMaterial) -> list[dict[str, Any]]:
    """The storyline's events in time order (see the module docstring for each field's method)."""
    members: dict[Any, list[dict[str, Any]]] = {}
    for a in story.get("articles", []):
        if a["id"] in material.articles:
            members.setdefault(a.get("event_id"), []).append(a)
    out = [_event(e, members.get(e["id"], []), material) for e in story.get("events", [])]
    return sorted(out, key=lambda e: (e["date"] is None, e["date"] or "", e["id"]))


def _event(event: dict[str, Any], members: list[dict[str, Any]], material: StoryMaterial) -> dict[str, Any]:
    members = sorted(members, key=lambda a: (a.get("published") or "9999", a["id"]))
    day, basis, named = _date(members, material)
    rep = _representative(members[:MAX_COMPARED], material)
    articles = [{"article_id": a["id"], "outlet": a.get("outlet"), "published": a.get("published"),
                 "copy": a.get("duplicate_kind") or ("rewrite" if a.get("rewrite") else None)} for a in members]
    return {
        "id": event["id"], "title": event.get("title"), "date": day, "date_basis": basis, "date_named": named,
        "description": _lead(rep, material) if rep else None,
        "articles": articles, "outlets": sorted({a["outlet"] for a in articles if a["outlet"]}),
        "n_articles": len(members), "n_sources": len({a.get("source_id") or a["id"] for a in members}),
    }


def _date(members: list[dict[str, Any]], material: StoryMaterial) -> tuple[str | None, str, dict | None]:
    """The event's day, how sure it is, and the time expression that named it (cited) if one did."""
    votes: Counter[str] = Counter()
    first_named: dict[str, tuple[str, dict[str, Any]]] = {}
    voted_sources: set[tuple[str, str]] = set()
    for a in members:
        published = a.get("published")
        if not published:
            continue
        source = a.get("source_id") or a["id"]
        # the first day an article's opening names is the day of its news; a later one is background ("Iran
        # warned Thursday ..., raising the stakes after Saturday's strike on the kingdom's oil industry")
        for t, value in _lead_days(a["id"], published, material)[:1]:
            if (source, value) not in voted_sources:
                voted_sources.add((source, value))
                votes[value] += 1
            first_named.setdefault(value, (a["id"], t))
    if votes:
        value = min(votes, key=lambda v: (-votes[v], v))
        aid, t = first_named[value]
        basis = "explicit" if t["basis"] == "explicit" else "resolved"
        named = {"text": t["text"], "article_id": aid, "start": t["start"], "end": t["end"]}
        return value, basis, named
    published = [a["published"] for a in members if a.get("published")]
    if published:
        return min(published)[:10], "published", None
    inferred = [a["day"] for a in members if a.get("day") and a.get("day_basis") == "inferred"]
    if inferred:
        return min(inferred), "inferred", None
    return None, "none", None


def _lead_days(article_id: str, published: str, material: StoryMaterial) -> list[tuple[dict[str, Any], str]]:
    """Day-precise dates named in an article's opening sentences, at most ``LOOKBACK_DAYS`` before publication,
    in the order the text names them."""
    sentences = sentences_of(material, article_id)[:LEAD_SENTENCES]
    if not sentences:
        return []
    lead_end = sentences[-1][1]
    try:
        pub = date.fromisoformat(published[:10])
    except ValueError:
        return []
    out = []
    for t in material.times.get(article_id, []):
        value = t.get("value") or ""
        if t["start"] >= lead_end or t.get("granularity") != "day" or len(value) != 10:
            continue
        try:
            day = date.fromisoformat(value)
        except ValueError:
            continue
        if pub - timedelta(days=LOOKBACK_DAYS) <= day <= pub:
            out.append((t, value))
    return sorted(out, key=lambda x: x[0]["start"])


def _representative(members: list[dict[str, Any]], material: StoryMaterial) -> str | None:
    if not members:
        return None
    originals = [a for a in members if (a.get("canonical_id") or a["id"]) == a["id"]] or members
    # an event is described by a report of it, not by a column about it, when it has one
    originals = [a for a in originals if not opinion(material, a["id"])] or originals
    words = {a["id"]: set(_WORD.findall(material.articles[a["id"]].text[:OPENING_CHARS].casefold()))
             for a in members}

    def score(a: dict[str, Any]) -> tuple[float, str, str]:
        mine = words[a["id"]]
        sims = [len(mine & words[o]) / (len(mine | words[o]) or 1) for o in words if o != a["id"]]
        return (-(sum(sims) / len(sims) if sims else 0.0), a.get("published") or "9999", a["id"])

    return min(originals, key=score)["id"]


def _lead(article_id: str, material: StoryMaterial) -> dict[str, Any] | None:
    """The article's first sentence that is not a dateline, a byline, the headline printed again or a newsroom's
    note ("This post was updated at 5 p.m. ET.")."""
    article = material.articles[article_id]
    title = " ".join(_WORD.findall((article.title or "").casefold()))
    for start, end in sentences_of(material, article_id)[:8]:
        s, e = trimmed(article.text, start, end)
        words = _WORD.findall(article.text[s:e])
        lower = [w for w in words if w[0].islower()]
        if len(lower) < MIN_LEAD_WORDS or " ".join(words).casefold() == title or furniture(article.text[s:e]):
            continue  # a dateline or byline (no running text), the headline printed again, a newsroom's note
        return cited_sentence(material, article_id, s)
    return None
