"""Framing per outlet: the loaded language in its own voice, the names it gives entities, the words most its
own; and the coverage matrix (which outlets reported which events) with its blind spots.

1. loaded language, on any topic (:mod:`storyline.analysis.loaded`): every sentence of the outlet's articles
   is judged by the shipped models; a sentence in the outlet's own voice (less than half of it inside quoted
   speech) counts towards ``sentences`` (own, biased); its loaded words, adjacent ones joined into phrases,
   are counted with the occurrences' article, offsets and sentence (``source: model``); the editable topic
   lexicon ``data/loaded_terms.toml`` adds its terms with the side that uses them (``source: lexicon``;
   where both find a phrase, the lexicon's term is kept; a contest's sides only in a storyline about it,
   ``in_play``); words of a named entity are no loaded language ("Flake" in "Jeff Flake"); a word or term
   inside someone's quoted words or
   between quotation marks is counted apart (``quoted``): carrying a quote is not using it; a model word in
   at least ``TOPIC_SHARE`` of the storyline's articles is its subject ("grain" in a story about grain), not a
   choice, and is left out;
2. name variants of any entity the storyline's outlets name differently (:mod:`storyline.analysis.naming`);
3. the most distinctive words of each outlet against the other outlets of the storyline: weighted log-odds
   ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 16-22)
   over *article* counts (a word counts once per article, so one long article does not make a vocabulary),
   leaving out words of entity names and the outlet's own name; ranked by the z-score, only words in at
   least ``MIN_COUNT`` of the outlet's articles and ``z >= Z_MIN``; an outlet with fewer than
   ``MIN_DISTINCTIVE_ARTICLES`` articles gets none, and ``distinctive_note`` says why;
4. copies (exact and near duplicates) count once per outlet: the same text printed twice is one choice; a
   storyline of more than ``MAX_READ`` articles is read for steps 1 and 3 as a sample, the outlets in turn
   giving their next article (``n_read`` says how many of an outlet's were read; counts are in those);
5. coverage: outlets (most articles first) x events (in timeline order); a blind spot is an event that at
   least half of the storyline's regular outlets (``MIN_OUTLET_ARTICLES`` articles or more) reported and
   one of them did not.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..nlp.names import ascii_fold
from . import loaded as loaded_language
from .cite import embedded_posts
from .naming import variants as name_variants
from .words import english_stop_words
from ..records import StoryMaterial

LEXICON = Path(__file__).resolve().parent.parent / "data" / "loaded_terms.toml"
MAX_OCCURRENCES = 20  # occurrences kept (with offsets) per outlet and term; the count is always complete
MAX_TERMS = 25  # loaded terms listed per outlet (the most used); ``n_loaded_terms`` counts them all
DISTINCTIVE = 10  # distinctive terms listed per outlet
MIN_COUNT = 2  # a word in only one of an outlet's articles is not its vocabulary
MIN_DISTINCTIVE_ARTICLES = 3  # fewer articles cannot tell an outlet's words from the storyline's
MAX_READ = 300  # articles read for loaded language and distinctive words; beyond, a sample spread over outlets
TOPIC_SHARE = 0.5  # a model word in at least this share of the storyline's articles read is its subject, not a choice
OWN_VOICE = 0.5  # a sentence with at least this share of its characters inside quoted speech is not the outlet's
Z_MIN = 1.96  # the log-odds z-score of a distinctive term (two-sided 5%)
CONTEST_SHARE = 1 / 3  # articles using a contest's words for its sides' lexicon to apply to a storyline
NAMED = ("PERSON", "ORG", "GPE", "LOC", "FAC")  # mentions whose words are a name, never loaded language
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


@dataclass(frozen=True)
class LoadedTerm:
    term: str
    side: str
    keys: tuple[str, ...]  # its lower-case forms (hyphens as spaces and back): a text holding none is skipped
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Contest:
    sides: tuple[str, ...]
    about: re.Pattern[str]  # any of the words or phrases of the storylines it is about, whole, any case


@dataclass(frozen=True)
class Lexicon:
    names: tuple[NameVariants, ...]  # spellings and the side each signals (the names themselves: ``naming``)
    terms: tuple[LoadedTerm, ...]
    contests: tuple[Contest, ...] = ()


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """The lexicon at ``path`` (default: the one shipped in ``data/``), its patterns compiled."""
    with open(path or LEXICON, "rb") as fh:
        data = tomllib.load(fh)
    names = tuple(NameVariants(variants=tuple(n["variants"]), sides=tuple(n["sides"]), person=bool(n.get("person")))
                  for n in data.get("names", []))
    terms = tuple(LoadedTerm(term=t["term"], side=t["side"], keys=_term_keys(t["term"]),
                             pattern=re.compile(r"(?<!\w)" + _term_body(t["term"]) + _ENDINGS + r"(?!\w)", re.I))
                  for t in data.get("terms", []))
    contests = tuple(Contest(sides=tuple(c["sides"]), about=re.compile(
        r"(?<!\w)(?:" + "|".join(_term_body(x) for x in c["about"]) + r")(?!\w)", re.I))
        for c in data.get("contests", []))
    return Lexicon(names=names, terms=terms, contests=contests)


def in_play(lexicon: Lexicon, material: StoryMaterial) -> Lexicon:
    """The lexicon as it applies to one storyline: the sides of a contest count only where the storyline is
    about it, that is where at least ``CONTEST_SHARE`` of its articles use one of the contest's words
    ("neo-Nazis" is a side's word about Ukraine, not about a rally in Virginia); sides of no contest always."""
    if not lexicon.contests or not material.articles:
        return lexicon
    ids = list(material.articles)
    ids = ids[::max(1, len(ids) // MAX_READ)]   # a long storyline read as an even sample, as for the rest
    named: Counter[int] = Counter()
    for aid in ids:
        text = material.articles[aid].text
        named.update(k for k, c in enumerate(lexicon.contests) if c.about.search(text))
    idle = {side for k, c in enumerate(lexicon.contests) if named[k] < CONTEST_SHARE * len(ids) for side in c.sides}
    if not idle:
        return lexicon
    return Lexicon(names=tuple(n for n in lexicon.names if not idle & set(n.sides)),
                   terms=tuple(t for t in lexicon.terms if t.side not in idle), contests=lexicon.contests)


def _term_keys(term: str) -> tuple[str, ...]:
    low = " ".join(term.lower().split())
    return tuple({low, low.replace("-", " "), low.replace(" ", "-")})


def _term_body(term: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s-]+", term.strip()) if w]
    return r"[\s-]+".join(words)


def build(story: dict[str, Any], material: StoryMaterial, lexicon: Lexicon | None = None,
          model: loaded_language.LoadedModel | None = None) -> list[dict[str, Any]]:
    """Per outlet (most articles first): ``{outlet, n_articles, n_read, sentences: {own, biased, share},
    loaded_terms, n_loaded_terms, names, distinctive, distinctive_note}``."""
    lexicon = in_play(lexicon or load_lexicon(), material)
    model = model or loaded_language.load_model()
    by_outlet = _articles_by_outlet(story, material)
    read = _sample(by_outlet)
    quoted = _quoted_spans(material)
    sides = {ascii_fold(v): side for g in lexicon.names for v, side in zip(g.variants, g.sides)}
    names = name_variants(by_outlet, material.mentions, sides)
    distinctive = log_odds({o: _term_counts(material, read[o], o) for o, ids in by_outlet.items()
                            if len(ids) >= MIN_DISTINCTIVE_ARTICLES})
    found: dict[str, tuple[int, int, dict[str, dict[str, Any]]]] = {}
    in_articles: Counter[str] = Counter()  # in how many articles read each model word is
    for outlet, ids in by_outlet.items():
        own = biased = 0
        terms: dict[str, dict[str, Any]] = {}
        for aid in read[outlet]:
            n_own, n_biased, model_terms = _article_language(material, aid, quoted.get(aid, []), lexicon, model,
                                                             terms)
            own, biased = own + n_own, biased + n_biased
            in_articles.update(model_terms)
        found[outlet] = (own, biased, terms)
    n_read = sum(map(len, read.values()))
    subject = {t for t, n in in_articles.items() if n_read >= 4 and n >= TOPIC_SHARE * n_read}
    out = []
    for outlet, ids in sorted(by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        own, biased, terms = found[outlet]
        ranked = sorted((r for key, r in terms.items() if not (r["source"] == "model" and key in subject)),
                        key=lambda r: (-r["count"], -r["quoted"], r["term"]))
        note = None
        if len(ids) < MIN_DISTINCTIVE_ARTICLES:
            note = (f"{len(ids)} article{'s' if len(ids) != 1 else ''}: too few to tell the outlet's own words from "
                    f"the storyline's (distinctive words need {MIN_DISTINCTIVE_ARTICLES} or more)")
        elif len(distinctive) < 2:
            note = "no other outlet with enough articles to compare with"
        elif not distinctive.get(outlet):
            note = (f"no word in significantly more of its articles than of the other outlets' (z >= {Z_MIN}; with "
                    "few articles only a word in most of them can be)")
        out.append({"outlet": outlet, "n_articles": len(ids), "n_read": len(read[outlet]),
                    "sentences": {"own": own, "biased": biased, "share": round(biased / own, 3) if own else 0.0},
                    "loaded_terms": [r for r in ranked if r["count"]][:MAX_TERMS]
                    + [r for r in ranked if not r["count"]][:MAX_TERMS],
                    "n_loaded_terms": sum(1 for r in ranked if r["count"]),
                    "names": names.get(outlet, []), "distinctive": distinctive.get(outlet, []),
                    "distinctive_note": note})
    return out


def _sample(by_outlet: dict[str, list[str]]) -> dict[str, list[str]]:
    """The articles read per outlet: all of them, or for more than ``MAX_READ`` in all, the outlets in turn
    give their next article (so an outlet with few articles is read whole)."""
    if sum(map(len, by_outlet.values())) <= MAX_READ:
        return by_outlet
    read: dict[str, list[str]] = {o: [] for o in by_outlet}
    n, depth = 0, 0
    while n < MAX_READ:
        for outlet, ids in by_outlet.items():
            if depth < len(ids) and n < MAX_READ:
                read[outlet].append(ids[depth])
                n += 1
        depth += 1
    return read


def _sentence_of(sentences: list[tuple[int, int]], start: int) -> tuple[int, int]:
    k = bisect_right(sentences, (start, math.inf)) - 1
    return sentences[k] if k >= 0 else sentences[0]


def _quoted_share(start: int, end: int, spans: list[tuple[int, int]]) -> float:
    inside = sum(max(0, min(end, e) - max(start, s)) for s, e in spans)
    return inside / (end - start) if end > start else 0.0


def _article_language(material: StoryMaterial, aid: str, spans: list[tuple[int, int]], lexicon: Lexicon,
                      model: loaded_language.LoadedModel, terms: dict[str, dict[str, Any]]) -> tuple[int, int, set[str]]:
    """Add the article's loaded terms to ``terms``; return its sentences in its own voice, the biased ones, and
    the (lower-cased) words the model found in it."""
    text = material.articles[aid].text
    sentences = material.sentences.get(aid) or [(0, len(text))]
    own = biased = 0
    hits: list[tuple[str, str | None, str, int, int]] = [(t.term, t.side, "lexicon", s, e)
                                                         for t, s, e in _term_hits(lexicon, text)]
    # a name is no loaded word ("Flake" in "Jeff Flake", "Liberty" in "Liberty University"): the model's words
    # inside a named entity are left out (the lexicon's terms may be names: "Donetsk People's Republic")
    taken = [(s, e) for _t, _side, _src, s, e in hits] + [(m["start"], m["end"]) for m in material.mentions.get(aid, ())
                                                          if m["label"] in NAMED]
    for s, e in sentences:
        verdict = loaded_language.judge(text, s, e, model)
        if _quoted_share(s, e, spans) < OWN_VOICE:
            own += 1
            biased += verdict.biased
        for ps, pe, phrase in loaded_language.phrases(text, verdict.words):
            if not any(ts < pe and ps < te for ts, te in taken):
                hits.append((phrase, None, "model", ps, pe))
    model_terms = {term.casefold() for term, _side, source, _s, _e in hits if source == "model"}
    for term, side, source, s, e in hits:
        row = terms.setdefault(term.casefold(), {"term": term, "source": source, "side": side, "count": 0,
                                                 "quoted": 0, "occurrences": []})
        if _in_quotes(text, s, e, spans):
            row["quoted"] += 1
            continue
        row["count"] += 1
        if len(row["occurrences"]) < MAX_OCCURRENCES:
            ss, se = _sentence_of(sentences, s)
            row["occurrences"].append({"article_id": aid, "start": s, "end": e,
                                       "sentence": {"start": ss, "end": se}})
    return own, biased, model_terms


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


def _quoted_spans(material: StoryMaterial) -> dict[str, list[tuple[int, int]]]:
    """Per article, the spans of other people's words: direct and partial quotes, scare quotes, quoted terms,
    embedded social-media posts."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for q in material.quotes:
        if q.kind in QUOTED_KINDS:
            spans.setdefault(q.article_id, []).append((q.start, q.end))
    for aid, article in material.articles.items():
        posts = embedded_posts(article.text)
        if posts:
            spans[aid] = sorted([*spans.get(aid, []), *posts])
    return spans


def _in_quotes(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    if any(s <= start and end <= e for s, e in spans):
        return True
    return text[start - 1:start] in QUOTE_MARKS and text[end:end + 1] in QUOTE_MARKS


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


def _term_counts(material: StoryMaterial, ids: list[str], outlet: str) -> Counter[str]:
    """In how many of the outlet's articles each content word is used: lower-cased, no function words, no
    words of entity names (mentions), none of the outlet's own name."""
    counts: Counter[str] = Counter()
    banned = set(_WORD.findall(outlet.casefold()))
    stop = english_stop_words()
    for aid in ids:
        low = material.articles[aid].text.casefold()
        names = set()
        for m in material.mentions.get(aid, ()):
            names.update(_WORD.findall(low, m["start"], m["end"]))
        counts.update({w for w in _WORD.findall(low) if len(w) > 2 and w not in stop} - names - banned)
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
