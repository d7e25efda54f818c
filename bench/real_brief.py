"""The brief checks of ``eval_real_analysis``: on a real storyline's brief, summary sentences glued across a
line break, cut inside a quotation or taken from boilerplate (labelled lines, and lines an outlet repeats
across three or more of its articles); titles within ``MAX_TITLE`` characters; disputed points shown with
every side in each rendering."""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from typing import Any

from bench.scoring import overlap as _overlap

MAX_TITLE = 90
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
