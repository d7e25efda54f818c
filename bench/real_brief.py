"""The brief checks of ``eval_real_analysis``: on a real storyline's brief, summary sentences glued across a
line break, cut inside a quotation or taken from boilerplate (labelled lines, and lines an outlet repeats
across three or more of its articles); titles within ``MAX_TITLE`` characters; disputed points shown with
every side in each rendering; and the positions the summary shows ("where each side stands"), scored against
the reader's positions of the same article (``shown_positions``)."""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from bench.scoring import overlap as _overlap

MAX_TITLE = 90
MAX_EXAMPLES = 5  # wrong lines named per storyline (where, never what)
_QUOTES = re.compile(r"[\"“”]")


def brief_checks(brief: dict[str, Any], renderings: dict[str, str], texts: dict[str, str],
                 blocks: dict[str, list[tuple[int, int]]], titles: dict[str, str | None],
                 boilerplate: dict[str, list[tuple[int, int]]], repeated: dict[str, set[str]],
                 story_title: str | None = None) -> dict[str, Any]:
    n = glued = cut = boiler = 0
    examples: dict[str, list[str]] = defaultdict(list)
    for para in (brief.get("summary") or {}).get("paragraphs", []):
        for s in para.get("sentences", []):
            c = (s.get("citations") or [{}])[0]
            aid, start, end = c.get("article_id"), c.get("start"), c.get("end")
            if aid not in texts or start is None:
                continue
            n += 1
            text = texts[aid][start:end]
            inside = [b for b in blocks.get(aid, []) if b[0] <= start < b[1]]
            title = (titles.get(aid) or "").strip()
            if "\n" in text.strip() or (inside and end > inside[0][1]) or (title and text.startswith(title)
                                                                         and len(text) > len(title) + 5):
                glued += 1
                examples["glued"].append(_where(aid, start, end))
            if len(_QUOTES.findall(text.replace("''", '"'))) % 2:
                cut += 1
                examples["cut"].append(_where(aid, start, end))
            line = text.strip().casefold()
            if any(_overlap((start, end), span) > 0 for span in boilerplate.get(aid, [])) or \
                    line in repeated.get(aid, set()):
                boiler += 1
                examples["boilerplate"].append(_where(aid, start, end))
    titles_ok = [len(story_title or brief.get("title") or "") <= MAX_TITLE] + [len(e.get("title") or "") <= MAX_TITLE
                                                                 for e in brief.get("timeline", [])]
    disputed = shown = 0
    seen = {kind: _as_read(kind, r) for kind, r in renderings.items()}
    for c in brief.get("conflicts", [])[:3]:
        values = {" ".join(str(s.get("value")).split()) for s in c["sides"] if s.get("value")}
        if not values:
            continue
        disputed += 1
        shown += all(all(v in r for v in values) for r in seen.values())
    return {"sentences": n, "glued": glued, "cut": cut, "boilerplate": boiler,
            "titles": len(titles_ok), "titles_ok": sum(titles_ok), "disputed": disputed, "disputed_shown": shown,
            "examples": {k: v[:5] for k, v in examples.items()}}


def shown_positions(brief: dict[str, Any], gold: list[dict[str, Any]], labelled: set[str],
                    same_actor: Callable[[str | None, str | None], bool]) -> dict[str, Any]:
    """The summary's "where each side stands" lines against the reader's positions: a line is right when a
    position the reader marked in its article overlaps the line's position (``stance``: its span) with the
    same type and holder; ``right_type`` counts the type alone. Lines citing an article outside the labelled
    storyline (the system storyline may hold others) are ``outside``, not scored; ``wrong`` says where."""
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g in gold:
        by_article[g["article_id"]].append(g)
    out: dict[str, Any] = {"shown": 0, "right": 0, "right_type": 0, "outside": 0, "wrong": []}
    for para in (brief.get("summary") or {}).get("paragraphs", []):
        for s in para.get("sentences", []):
            stance = s.get("stance")
            if s.get("of") != "position" or not stance:
                continue
            aid = (s.get("citations") or [{}])[0].get("article_id")
            if aid not in labelled:
                out["outside"] += 1
                continue
            out["shown"] += 1
            span = (stance["start"], stance["end"])
            near = [g for g in by_article.get(aid, [])
                    if g["type"] == stance["type"] and _overlap(span, (g["start"], g["end"])) > 0]
            out["right_type"] += bool(near)
            if any(same_actor(stance["holder"], g["holder"]) for g in near):
                out["right"] += 1
            elif len(out["wrong"]) < MAX_EXAMPLES:
                out["wrong"].append({**_where(aid, stance["start"], stance["end"]), "type": stance["type"],
                                     "holder": stance["holder"]})
    return out


def shown_claims(brief: dict[str, Any], gold: list[dict[str, Any]], labelled: set[str], groups: dict[str, str],
                 min_f1: float) -> dict[str, Any]:
    """The summary's "what is corroborated" lines against the reader's central claims: a line is ``central``
    when its claim (the brief's ``claims`` entry it cites) asserts one of them, by the rule that finds claims
    (a shared asserting sentence and an article-set F1 of at least ``min_f1``); ``exact`` when it then counts
    the reader's independent sources (``over`` / ``under`` when it counts more / fewer). Lines whose claim
    cites no labelled article are ``outside``."""
    by_id = {c["id"]: c for c in brief.get("claims", [])}
    out: dict[str, Any] = {"shown": 0, "central": 0, "exact": 0, "over": 0, "under": 0, "outside": 0}
    for para in (brief.get("summary") or {}).get("paragraphs", []):
        for s in para.get("sentences", []):
            claim = by_id.get(s.get("ref")) if s.get("of") == "claim" else None
            if claim is None:
                continue
            mine = {a["article_id"] for a in claim["asserted_by"]}
            if not mine & labelled:
                out["outside"] += 1
                continue
            out["shown"] += 1
            best = None
            for g in gold:
                theirs = {a["article_id"] for a in g["asserted_by"]}
                if not any(a["article_id"] == b["article_id"] and _overlap((a["start"], a["end"]),
                                                                           (b["start"], b["end"])) > 0
                           for a in claim["asserted_by"] for b in g["asserted_by"]):
                    continue
                f1 = 2 * len(mine & theirs) / (len(mine) + len(theirs))
                if f1 >= min_f1 and (best is None or f1 > best[0]):
                    best = (f1, g)
            if best is not None:
                out["central"] += 1
                sources = len({groups.get(a["article_id"], a["article_id"]) for a in best[1]["asserted_by"]})
                out["exact"] += sources == claim["independent_sources"]
                out["over"] += claim["independent_sources"] > sources
                out["under"] += claim["independent_sources"] < sources
    return out


def shown_events(brief: dict[str, Any], gold: list[dict[str, Any]], labelled: set[str]) -> dict[str, Any]:
    """The summary's "what happened" lines against the reader's central claims: a line is ``central`` when the
    sentence it quotes is one the reader marked asserting a central claim (same article, overlapping span).
    The claims were labelled as what the storyline is about, not as event descriptions, so this is a floor:
    a line can describe a happening well and state no labelled claim. Lines quoting an unlabelled article
    are ``outside``."""
    out: dict[str, Any] = {"shown": 0, "central": 0, "outside": 0}
    for para in (brief.get("summary") or {}).get("paragraphs", []):
        for s in para.get("sentences", []):
            if s.get("of") != "event" or not s.get("citations"):
                continue
            c = s["citations"][0]
            if c["article_id"] not in labelled:
                out["outside"] += 1
                continue
            out["shown"] += 1
            out["central"] += any(a["article_id"] == c["article_id"] and _overlap((a["start"], a["end"]),
                                                                                  (c["start"], c["end"])) > 0
                                  for g in gold for a in g["asserted_by"])
    return out


def _as_read(kind: str, rendering: str) -> str:
    """A rendering as its reader sees it: HTML's entities decoded, Markdown's escapes dropped, lines wrapped by
    the terminal rendering joined (a long side's value is shown, if on two lines)."""
    if kind == "html":
        rendering = html.unescape(rendering)
    elif kind == "md":
        rendering = re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|~])", r"\1", rendering)
    return " ".join(rendering.split())


def _where(article_id: str, start: int, end: int) -> dict[str, Any]:
    """An example's place, never its words: results files carry no article text."""
    return {"article_id": article_id, "start": start, "end": end}


def repeated_lines(store: Any, corpus_id: dict[str, str]) -> dict[str, set[str]]:
    """Per article, its lines that three or more articles of its outlet also carry (boilerplate by repetition)."""
    by_outlet: dict[Any, Counter] = defaultdict(Counter)
    lines_of: dict[str, tuple[Any, set[str]]] = {}
    for a in store.articles():
        lines = {ln.strip().casefold() for ln in a.article.text.split("\n") if len(ln.strip()) > 3}
        lines_of[corpus_id.get(a.article.id, a.article.id)] = (a.article.outlet, lines)
        by_outlet[a.article.outlet].update(lines)
    return {aid: {ln for ln in lines if by_outlet[outlet][ln] >= 3} for aid, (outlet, lines) in lines_of.items()}
