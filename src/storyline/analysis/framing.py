"""Framing per outlet: the name variants it uses, the loaded terms it uses, the words most its own; and
the coverage matrix (which outlets reported which events) with its blind spots.

1. name variants (Kyiv/Kiev, Luhansk/Lugansk, Volodymyr/Vladimir ...) and loaded terms come from the
   editable lexicon ``data/loaded_terms.toml`` (each with the side whose usage it signals); every
   occurrence is kept with its article and character offsets (the first ``MAX_OCCURRENCES`` per outlet);
   a loaded term inside someone's quoted words or between quotation marks is counted apart (``quoted``):
   carrying a quote, or distancing oneself from a term, is not using it;
2. the most distinctive words and two-word phrases of each outlet against the other outlets of the
   storyline: weighted log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
   "Fightin' Words", eq. 16-22), the prior being the storyline's own counts (``PRIOR_SCALE`` times them);
   ranked by the z-score, only words the outlet used at least ``MIN_COUNT`` times and ``z >= Z_MIN``;
3. copies (exact and near duplicates) count once per outlet: the same text printed twice is one choice;
4. coverage: outlets (most articles first) x events (in timeline order); a blind spot is an event that at
   least half of the storyline's regular outlets (``MIN_OUTLET_ARTICLES`` articles or more) reported and
   one of them did not.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from ..records import StoryMaterial

LEXICON = Path(__file__).resolve().parent.parent / "data" / "loaded_terms.toml"
MAX_OCCURRENCES = 20  # occurrences kept (with offsets) per outlet and term; the count is always complete
DISTINCTIVE = 10  # distinctive terms listed per outlet
MIN_COUNT = 2  # a word used once by an outlet is not its vocabulary
Z_MIN = 1.96  # the log-odds z-score of a distinctive term (two-sided 5%)
PRIOR_SCALE = 1.0  # the prior's pseudo-counts, in units of the storyline's own counts
MIN_OUTLET_ARTICLES = 2  # an outlet with fewer articles in the storyline is not expected to cover every event
QUOTED_KINDS = ("direct", "partial", "scare", "term")  # quotes whose words are not the outlet's own
QUOTE_MARKS = set("\"'“”‘’«»")
_ENDINGS = r"(?:s|es|d|ed|ing)?"
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.U)


@dataclass(frozen=True)
class NameVariants:
    variants: tuple[str, ...]
    sides: tuple[str, ...]
    person: bool
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class LoadedTerm:
    term: str
    side: str
    keys: tuple[str, ...]  # its lower-case forms (hyphens as spaces and back): a text holding none is skipped
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Lexicon:
    names: tuple[NameVariants, ...]
    terms: tuple[LoadedTerm, ...]
    #: every place-name variant in one pattern, and the index in ``names`` of each variant's group
    place_pattern: re.Pattern[str] | None
    place_group: dict[str, int]


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """The lexicon at ``path`` (default: the one shipped in ``data/``), its patterns compiled."""
    with open(path or LEXICON, "rb") as fh:
        data = tomllib.load(fh)
    names = tuple(NameVariants(variants=tuple(n["variants"]), sides=tuple(n["sides"]), person=bool(n.get("person")),
                               pattern=re.compile(r"\b(" + "|".join(map(re.escape, n["variants"])) + r")\b"))
                  for n in data.get("names", []))
    terms = tuple(LoadedTerm(term=t["term"], side=t["side"], keys=_term_keys(t["term"]),
                             pattern=re.compile(r"(?<!\w)" + _term_body(t["term"]) + _ENDINGS + r"(?!\w)", re.I))
                  for t in data.get("terms", []))
    place_group = {v: gi for gi, g in enumerate(names) if not g.person for v in g.variants}
    places = "|".join(map(re.escape, sorted(place_group, key=len, reverse=True)))
    return Lexicon(names=names, terms=terms,
                   place_pattern=re.compile(r"\b(" + places + r")\b") if places else None, place_group=place_group)


def _term_keys(term: str) -> tuple[str, ...]:
    low = " ".join(term.lower().split())
    return tuple({low, low.replace("-", " "), low.replace(" ", "-")})


def _term_body(term: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s-]+", term.strip()) if w]
    return r"[\s-]+".join(words)


def build(story: dict[str, Any], material: StoryMaterial, lexicon: Lexicon | None = None) -> list[dict[str, Any]]:
    """Per outlet (most articles first): ``{outlet, n_articles, names, loaded_terms, distinctive}``."""
    lexicon = lexicon or load_lexicon()
    by_outlet = _articles_by_outlet(story, material)
    counts = {outlet: _term_counts(material, ids) for outlet, ids in by_outlet.items()}
    distinctive = log_odds(counts)
    quoted = _quoted_spans(material)
    out = []
    for outlet, ids in sorted(by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out.append({"outlet": outlet, "n_articles": len(ids), "names": _names(material, ids, lexicon),
                    "loaded_terms": _loaded_terms(material, ids, lexicon, quoted),
                    "distinctive": distinctive.get(outlet, [])})
    return out


def _articles_by_outlet(story: dict[str, Any], material: StoryMaterial) -> dict[str, list[str]]:
    """Article ids per outlet, one per copy group within an outlet."""
    out: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for a in story.get("articles", []):
        if a["id"] not in material.articles:
            continue
        outlet = a.get("outlet") or "(unknown outlet)"
        key = (outlet, a.get("canonical_id") or a["id"])
        if key not in seen:
            seen.add(key)
            out.setdefault(outlet, []).append(a["id"])
    return out


def _occurrence(article_id: str, start: int, end: int) -> dict[str, Any]:
    return {"article_id": article_id, "start": start, "end": end}


def _names(material: StoryMaterial, ids: list[str], lexicon: Lexicon) -> list[dict[str, Any]]:
    found: dict[tuple[int, str], dict[str, Any]] = {}
    for aid in ids:
        for gi, start, end, variant in _name_hits(lexicon, material.articles[aid].text, material.mentions.get(aid, [])):
            group = lexicon.names[gi]
            row = found.setdefault((gi, variant), {"group": group.variants[0], "variant": variant,
                                                   "side": group.sides[group.variants.index(variant)], "count": 0,
                                                   "occurrences": []})
            row["count"] += 1
            if len(row["occurrences"]) < MAX_OCCURRENCES:
                row["occurrences"].append(_occurrence(aid, start, end))
    return sorted(found.values(), key=lambda r: (r["group"], -r["count"], r["variant"]))


def _name_hits(lexicon: Lexicon, text: str, mentions: list[dict[str, Any]]) -> list[tuple[int, int, int, str]]:
    """``(group index, start, end, variant)`` of every name variant in a text: place names anywhere, first
    names inside a person mention whose canonical name uses the group's first variant."""
    hits = []
    if lexicon.place_pattern is not None and any(v in text for v in lexicon.place_group):
        hits = [(lexicon.place_group[m.group(1)], m.start(), m.end(), m.group(1))
                for m in lexicon.place_pattern.finditer(text)]
    for gi, group in enumerate(lexicon.names):
        if not group.person or not any(v in text for v in group.variants):
            continue
        canonical = re.compile(r"\b" + re.escape(group.variants[0]) + r"\b")
        for m in mentions:
            if m.get("label") == "PERSON" and canonical.search(m.get("entity") or ""):
                hits += [(gi, h.start(), h.end(), h.group(1)) for h in group.pattern.finditer(text, m["start"],
                                                                                             m["end"])]
    return hits


def _quoted_spans(material: StoryMaterial) -> dict[str, list[tuple[int, int]]]:
    """Per article, the spans of other people's words: direct and partial quotes, scare quotes, quoted terms."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for q in material.quotes:
        if q.kind in QUOTED_KINDS:
            spans.setdefault(q.article_id, []).append((q.start, q.end))
    return spans


def _in_quotes(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    if any(s <= start and end <= e for s, e in spans):
        return True
    return text[start - 1:start] in QUOTE_MARKS and text[end:end + 1] in QUOTE_MARKS


def _loaded_terms(material: StoryMaterial, ids: list[str], lexicon: Lexicon,
                  quoted: dict[str, list[tuple[int, int]]]) -> list[dict[str, Any]]:
    """Loaded terms in the outlet's own voice (``count``, with occurrences) and inside quotes (``quoted``)."""
    found: dict[str, dict[str, Any]] = {}
    for aid in ids:
        text = material.articles[aid].text
        for term, start, end in _term_hits(lexicon, text):
            row = found.setdefault(term.term, {"term": term.term, "side": term.side, "count": 0, "quoted": 0,
                                               "occurrences": []})
            if _in_quotes(text, start, end, quoted.get(aid, [])):
                row["quoted"] += 1
                continue
            row["count"] += 1
            if len(row["occurrences"]) < MAX_OCCURRENCES:
                row["occurrences"].append(_occurrence(aid, start, end))
    return sorted(found.values(), key=lambda r: (-r["count"], -r["quoted"], r["term"]))


def _term_hits(lexicon: Lexicon, text: str) -> list[tuple[LoadedTerm, int, int]]:
    """Loaded terms in a text; of overlapping ones the longest ("Donetsk and Lugansk People's Republics",
    not also "Lugansk People's Republic"). Only terms the lower-cased text holds verbatim are searched."""
    lower = text.lower()
    present = [t for t in lexicon.terms if any(k in lower for k in t.keys)]
    hits = sorted(((t, m.start(), m.end()) for t in present for m in t.pattern.finditer(text)),
                  key=lambda h: (h[1], -(h[2] - h[1])))
    out: list[tuple[LoadedTerm, int, int]] = []
    for hit in hits:
        if not out or hit[1] >= out[-1][2]:
            out.append(hit)
    return out


def _term_counts(material: StoryMaterial, ids: list[str]) -> Counter[str]:
    """Content words and two-word phrases of adjacent content words, lower-cased."""
    counts: Counter[str] = Counter()
    for aid in ids:
        words = _WORD.findall(material.articles[aid].text.casefold())
        keep = [len(w) > 2 and w not in STOP_WORDS for w in words]
        counts.update(w for w, k in zip(words, keep) if k)
        counts.update(f"{a} {b}" for a, b, ka, kb in zip(words, words[1:], keep, keep[1:]) if ka and kb)
    return counts


def log_odds(counts: dict[str, Counter[str]]) -> dict[str, list[dict[str, Any]]]:
    """Each group's most distinctive terms against all other groups (Monroe et al. 2008, informative
    Dirichlet prior from the pooled counts): ``{group: [{term, z, delta, count}]}``, best first."""
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    n_all = sum(total.values())
    if len(counts) < 2 or not n_all:
        return {}
    alpha0 = PRIOR_SCALE * n_all
    out = {}
    for group, mine in counts.items():
        n_i = sum(mine.values())
        n_j = n_all - n_i
        scored = []
        for term, y_i in mine.items():
            if y_i < MIN_COUNT:
                continue
            a_w = PRIOR_SCALE * total[term]
            y_j = total[term] - y_i
            delta = (math.log((y_i + a_w) / (n_i + alpha0 - y_i - a_w))
                     - math.log((y_j + a_w) / (n_j + alpha0 - y_j - a_w)))
            z = delta / math.sqrt(1 / (y_i + a_w) + 1 / (y_j + a_w))
            if z >= Z_MIN:
                scored.append({"term": term, "z": round(z, 3), "delta": round(delta, 4), "count": y_i})
        scored.sort(key=lambda s: (-s["z"], s["term"]))
        out[group] = scored[:DISTINCTIVE]
    return out


def coverage(story: dict[str, Any], timeline: list[dict[str, Any]]) -> dict[str, Any]:
    """``{events: [{id, date, title}], outlets: [{outlet, total, cells}], blind_spots: [{outlet, event_id}]}``:
    ``cells[k]`` is how many of the outlet's articles reported ``events[k]``."""
    events = [{"id": e["id"], "date": e["date"], "title": e.get("title")} for e in timeline]
    column = {e["id"]: k for k, e in enumerate(events)}
    cells: dict[str, list[int]] = {}
    totals: Counter[str] = Counter()
    for a in story.get("articles", []):
        outlet = a.get("outlet") or "(unknown outlet)"
        totals[outlet] += 1
        row = cells.setdefault(outlet, [0] * len(events))
        if a.get("event_id") in column:
            row[column[a["event_id"]]] += 1
    outlets = [{"outlet": o, "total": n, "cells": cells[o]} for o, n in sorted(totals.items(),
                                                                               key=lambda kv: (-kv[1], kv[0]))]
    regular = [r for r in outlets if r["total"] >= MIN_OUTLET_ARTICLES]
    blind = []
    for k, e in enumerate(events):
        reporting = sum(1 for r in regular if r["cells"][k])
        if len(regular) >= 2 and reporting * 2 >= len(regular):
            blind += [{"outlet": r["outlet"], "event_id": e["id"]} for r in regular if not r["cells"][k]]
    return {"events": events, "outlets": outlets, "blind_spots": blind}
