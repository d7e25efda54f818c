"""The brief's summary: a few paragraphs an analyst reads in a minute, every sentence cited.

Extractive: every line quotes a sentence of an article, verbatim (``cite.usable_sentence``: never glued to a
headline or subhead, never cut inside a quotation, never boilerplate), with citations ``{article_id,
outlet, date, start, end, title, opinion}`` of the article sentences that say it (the first is the one it
was taken from; further ones are other independent sources saying the same: the same figures and at least
``SAME_WORDS`` of its content words). Each line has a ``lead`` saying what it is about, shown before it.
Paragraphs:

1. *what happened*: one line per main event, in time order, led by its date (the ``SUMMARY_EVENTS`` most
   reported events of a long storyline; an event only opinion pieces describe is left to the timeline);
2. *who said what*: the statements most outlets carried (``STATEMENT_WORDS`` words or more), named speakers
   and quoted words first among equals, one per speaker and, while others remain, one per article, led by
   the speaker, in the order said;
3. *where each side stands*: each main holder's positions, those other articles also report first (then
   those in the article's own words, then the latest), led by the holder and what they do ("Rand Paul
   opposes");
4. *what is corroborated*: claims asserted by at least two independent news sources (an opinion piece
   never corroborates), led by how many;
5. *what is disputed*: per conflict, what is disputed and each side's value with its citations (``sides``;
   the line's ``text`` names them, so every rendering shows every side).

A sentence already used is not repeated (another source's sentence saying the same is taken instead); a
paragraph with nothing to say is left out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from ..records import StoryMaterial
from .cite import Boilerplate, opinion, usable_sentence
from .content import content_words
from .numbers import quantities
from .positions import corroboration

SUMMARY_EVENTS = 6  # events in "what happened"
SUMMARY_STATEMENTS = 4  # statements in "who said what"
STATEMENT_WORDS = 6  # a shorter wording ("realities on the ground") is a catchphrase many speakers share
SUMMARY_HOLDERS = 5  # holders in "where each side stands"
POSITIONS_PER_HOLDER = 2  # positions shown per holder
HOLDER_POSITIONS = 200  # a holder's latest positions the shown ones are chosen from (the work stays bounded)
SUMMARY_CLAIMS = 4  # claims in "what is corroborated"
SUMMARY_CONFLICTS = 3  # conflicts in "what is disputed"
MAX_CITATIONS = 3  # citations per sentence (independent sources saying the same)
SAME_WORDS = 0.5  # share of a line's content words another source's sentence must carry to cite it
MIN_SOURCES = 2  # independent sources that make a claim corroborated
_PRONOUN_FIRST = re.compile(r"^\W*(?:he|she|they|it|this|that|these|those|his|her|their|its)\b", re.I)
VERBS = {"support": "supports", "oppose": "opposes", "demand": "demands", "offer": "offers", "reject": "rejects",
         "condition": "sets a condition"}
PLURAL_VERBS = {"condition": "set a condition", **{k: k for k in ("support", "oppose", "demand", "offer", "reject")}}


def _verb(holder: dict[str, Any], kind: str) -> str:
    """The type as a verb agreeing with its holder: a group described rather than named ("protesters", "Some
    defiant demonstrators") takes the plural."""
    words = (holder.get("name") or "").split()
    plural = holder.get("entity_id") is None and bool(words) and words[-1].endswith("s") and \
        not words[-1].endswith(("ss", "'s", "’s"))
    return (PLURAL_VERBS if plural else VERBS).get(kind, kind)


class _Writer:
    """Sentences of one summary, each source sentence used once."""

    def __init__(self, material: StoryMaterial) -> None:
        self.material = material
        self.boilerplate = Boilerplate(material)
        self.used: set[tuple[str, int]] = set()

    def pieces(self, spans: list[tuple[str, int]]) -> list[dict[str, Any]]:
        out = [usable_sentence(self.material, aid, offset, self.boilerplate) for aid, offset in spans]
        return [p for p in out if p]

    def sentence(self, spans: list[tuple[str, int]], of: str, ref: Any, lead: str | None = None
                 ) -> dict[str, Any] | None:
        """The sentence holding the first span not used yet, cited by it and by the sentences holding the
        other spans (one per outlet)."""
        pieces = self.pieces(spans)
        fresh = [p for p in pieces if (p["citation"]["article_id"], p["citation"]["start"]) not in self.used]
        if not fresh:
            return None
        main = fresh[0]
        first = main["citation"]
        self.used.add((first["article_id"], first["start"]))
        citations, outlets = [first], {first["outlet"] or first["article_id"]}
        figures, words = _figures(main["text"]), content_words(main["text"])
        for p in pieces:
            c = p["citation"]
            if c is first or (c["outlet"] or c["article_id"]) in outlets:
                continue
            if not figures <= _figures(p["text"]):
                continue  # another source's sentence cites the line only when it gives the line's figures
            if words and len(words & content_words(p["text"])) < SAME_WORDS * len(words):
                continue  # ... and most of its words: a sentence about the same thing that says something else
                # ("repeated a line Moscow has used for two years") does not cite it
            outlets.add(c["outlet"] or c["article_id"])
            citations.append(c)
            if len(citations) == MAX_CITATIONS:
                break
        return {"text": main["text"], "citations": citations, "of": of, "ref": ref, "lead": lead}


def _figures(text: str) -> set[tuple[float, float]]:
    """The figures a sentence gives, as ranges ("at least 12" is not "14")."""
    return {(q.low, q.high) for q in quantities(text)}


def paragraphs(sections: dict[str, Any], material: StoryMaterial) -> list[dict[str, Any]]:
    """``[{topic, sentences: [{text, citations, of, ref, lead}]}]`` from the built sections (a dispute line
    also has ``sides: [{value, citations}]``)."""
    writer = _Writer(material)
    out = []
    for topic, key, make in PARAGRAPHS:
        data = sections.get(key)
        if not data:
            continue
        sentences = [s for s in make(data, writer) if s]
        if sentences:
            out.append({"topic": topic, "sentences": sentences})
    return out


def _timeline(events: list[dict[str, Any]], w: _Writer) -> list[dict[str, Any] | None]:
    # an event only opinion pieces wrote about (described by one) is no happening: the timeline lists it, the
    # summary does not, unless the storyline has nothing else
    shown = [e for e in events if not (e.get("description") and opinion(
        w.material, e["description"]["citation"]["article_id"]))] or events
    if len(shown) > SUMMARY_EVENTS:
        keep = {e["id"] for e in sorted(shown, key=lambda e: (-e["n_sources"], -e["n_articles"], e["id"]))
                [:SUMMARY_EVENTS]}
        shown = [e for e in shown if e["id"] in keep]
    out = []
    for e in shown:
        if not e.get("description"):
            continue
        spans = [(e["description"]["citation"]["article_id"], e["description"]["citation"]["start"])]
        out.append(w.sentence(spans, "event", e["id"], e.get("date") or "undated"))
    return out


def _statements(speakers: list[dict[str, Any]], w: _Writer) -> list[dict[str, Any] | None]:
    """The statements most outlets carried; among equals (most statements of real news are carried by one
    article), a named speaker's words before a description's ("police", "his lawyers"), quoted words before
    a paraphrase, and the speakers most reported in the storyline first. One statement per speaker, and one
    per article while other articles have one to give, so four lines are not four quotes of one report."""
    ranked = sorted(((g, st) for g in speakers for st in g["statements"]
                     # (at most STATEMENT_WORDS splits: a 5,000-article storyline's 22,000 statements were
                     # split whole, 0.4 s)
                     if len(st["text"].split(None, STATEMENT_WORDS)) >= STATEMENT_WORDS
                     and (g.get("speaker") or {}).get("name")),
                    key=lambda x: (-x[1]["n_articles"], (x[0]["speaker"] or {}).get("entity_id") is None,
                                   not x[1].get("verbatim", True),
                                   -sum(s["n_articles"] for s in x[0]["statements"]), x[1]["id"]))
    chosen: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for one_per_article in (True, False):
        for g, st in ranked:
            if len(chosen) == SUMMARY_STATEMENTS:
                break
            article = st["variants"][0]["reports"][0]["article_id"]
            if any(c[0] is g for c in chosen) or (one_per_article and any(
                    c[1]["variants"][0]["reports"][0]["article_id"] == article for c in chosen)):
                continue
            chosen.append((g, st))
    chosen.sort(key=lambda x: (x[1]["said_on"] or "9999", x[1]["id"]))
    return [w.sentence([(r["article_id"], r["start"]) for r in st["variants"][0]["reports"]], "statement",
                       st["id"], g["speaker"]["name"]) for g, st in chosen]


def surest_first(positions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One holder's positions, the surest first: stated in other articles too, by a word that states it (not
    judged from speech: on the real labelled storylines held out, 0.57 of positions read from a cue are
    right against 0.38 of those judged), in the article's own words (not read from a quote) and by the holder
    (not reported by someone else); in the given order among equals."""
    support = dict(zip(map(id, positions), corroboration(positions)))
    return sorted(positions, key=lambda p: (-min(support[id(p)], 2), p.get("basis") == "judged",
                                            p.get("quote_id") is not None, p.get("reported_by") is not None))


def _positions(positions: list[dict[str, Any]], w: _Writer) -> list[dict[str, Any] | None]:
    by_holder: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for p in positions:
        holder = p.get("holder") or {}
        # one group per holder: an entity, or a name in any letter case ("Protesters" / "protesters")
        by_holder[(holder.get("name") or "").casefold() or holder.get("entity_id")].append(p)
    ranked = sorted(by_holder.values(), key=lambda ps: (-len({x["article_id"] for x in ps}), -len(ps),
                                                        (ps[0].get("holder") or {}).get("name") or ""))
    out = []
    for ps in ranked[:SUMMARY_HOLDERS]:
        latest = sorted(ps, key=lambda p: (p.get("date") or "", p["article_id"], p["start"]),
                        reverse=True)[:HOLDER_POSITIONS]
        latest = surest_first(latest)
        taken: set[str] = set()
        # one name per group: an entity's, else a capitalised form ("Protesters" over "protesters")
        holder = max((p.get("holder") or {} for p in latest),
                     key=lambda h: (h.get("entity_id") is not None, (h.get("name") or "")[:1].isupper()))
        for p in latest:
            if p["type"] in taken:
                continue
            # a stance judged from speech says so: the reader weighs a model's reading of "a disgrace" herself
            judged = " (judged from what was said)" if p.get("basis") == "judged" else ""
            line = w.sentence([(p["article_id"], p["start"])], "position", p.get("quote_id"),
                              f"{holder.get('name') or '?'} {_verb(holder, p['type'])}{judged}")
            if line:
                out.append({**line, "stance": {"type": p["type"], "holder": holder.get("name"),
                                               "start": p["start"], "end": p["end"], "basis": p.get("basis")}})
                taken.add(p["type"])
            if len(taken) == POSITIONS_PER_HOLDER:
                break
    return out


def _claims(claims: list[dict[str, Any]], w: _Writer) -> list[dict[str, Any] | None]:
    corroborated = [c for c in claims if (c.get("independent_sources") or 0) >= MIN_SOURCES and c["asserted_by"]]
    corroborated.sort(key=lambda c: -c["independent_sources"])
    out = []
    for c in corroborated[:SUMMARY_CLAIMS]:
        seen, spans = set(), []
        # a sentence that opens with a pronoun ("He then linked ...") says whom it is about only in its
        # article: another source's wording of the claim is shown first when there is one
        for a in sorted(c["asserted_by"], key=lambda a: bool(_PRONOUN_FIRST.match(a.get("text") or ""))):
            if a.get("source_id", a["article_id"]) not in seen:
                seen.add(a.get("source_id", a["article_id"]))
                spans.append((a["article_id"], a["start"]))
        out.append(w.sentence(spans, "claim", c["id"], f"{c['independent_sources']} independent sources"))
    return out


def _conflicts(conflicts: list[dict[str, Any]], w: _Writer) -> list[dict[str, Any] | None]:
    out = []
    for k, c in enumerate(conflicts[:SUMMARY_CONFLICTS]):
        by_value: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for side in c["sides"]:
            piece = (w.pieces([(side["article_id"], side["start"])]) or [None])[0]
            if piece is not None:
                by_value[str(side["value"])].append(piece["citation"])
        if len(by_value) < 2:
            continue
        sides = [{"value": v, "citations": cites[:MAX_CITATIONS]} for v, cites in by_value.items()]
        about = _about(c)
        out.append({"text": f"{about}: " + " vs ".join(s["value"] for s in sides), "lead": about,
                    "citations": [x for s in sides for x in s["citations"]], "of": "conflict",
                    "ref": c.get("id", k), "sides": sides, "kind": c["kind"], "update": c.get("update", False)})
    return out


def _about(conflict: dict[str, Any]) -> str:
    """What is disputed, in a few words ("how many (canadian): 63 vs 57" -> "how many canadian")."""
    about = conflict.get("about") or conflict["kind"]
    return about.split(":")[0].replace("(", "").replace(")", "").strip() or conflict["kind"]


PARAGRAPHS = (("What happened", "timeline", _timeline), ("Who said what", "statements", _statements),
              ("Where each side stands", "positions", _positions), ("What is corroborated", "claims", _claims),
              ("What is disputed", "conflicts", _conflicts))
