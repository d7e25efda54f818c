"""The brief's summary: a few paragraphs an analyst reads in a minute, every sentence cited.

Extractive: every sentence is a sentence of an article, verbatim, and carries citations
``{article_id, outlet, date, start, end}`` of the article sentences that say it (the first is the one it
was taken from; further ones are other independent sources' sentences saying the same). Paragraphs:

1. *what happened*: each event's description from the timeline, in time order (the
   ``SUMMARY_EVENTS`` most reported events of a long storyline);
2. *who said what*: the source sentences of the statements most outlets carried (``STATEMENT_WORDS`` words
   or more), in the order said;
3. *where each side stands*: each actor's latest stated positions (demand, offer, reject, condition);
4. *what is corroborated*: claims asserted by at least two independent sources, the most sources first;
5. *what is disputed*: the surest conflicts, each side's sentence.

A sentence already used is not repeated (another source's sentence saying the same is taken instead); a
paragraph with nothing to say is left out.
"""

from __future__ import annotations

from typing import Any

from ..records import StoryMaterial
from .cite import cited_sentence

SUMMARY_EVENTS = 6  # events in "what happened"
SUMMARY_STATEMENTS = 4  # statements in "who said what"
STATEMENT_WORDS = 6  # a shorter wording ("realities on the ground") is a catchphrase many speakers share
SUMMARY_ACTORS = 4  # actors in "where each side stands"
POSITIONS_PER_ACTOR = 2  # latest positions per actor
SUMMARY_CLAIMS = 4  # claims in "what is corroborated"
SUMMARY_CONFLICTS = 3  # conflicts in "what is disputed"
MAX_CITATIONS = 3  # citations per sentence (independent sources saying the same)
MIN_SOURCES = 2  # independent sources that make a claim corroborated


class _Writer:
    """Sentences of one summary, each source sentence used once."""

    def __init__(self, material: StoryMaterial) -> None:
        self.material = material
        self.used: set[tuple[str, int]] = set()

    def sentence(self, spans: list[tuple[str, int]], of: str, ref: Any) -> dict[str, Any] | None:
        """The sentence holding the first span not used yet, cited by it and by the sentences holding the
        other spans (one per outlet)."""
        pieces = [p for p in (cited_sentence(self.material, aid, offset) for aid, offset in spans) if p]
        fresh = [p for p in pieces if (p["citation"]["article_id"], p["citation"]["start"]) not in self.used]
        if not fresh:
            return None
        main = fresh[0]
        first = main["citation"]
        self.used.add((first["article_id"], first["start"]))
        pieces = [main] + [p for p in pieces if p is not main]
        citations, outlets = [], set()
        for p in pieces:
            c = p["citation"]
            if c["outlet"] in outlets and c is not first:
                continue
            outlets.add(c["outlet"])
            citations.append(c)
            if len(citations) == MAX_CITATIONS:
                break
        return {"text": main["text"], "citations": citations, "of": of, "ref": ref}


def paragraphs(sections: dict[str, Any], material: StoryMaterial) -> list[dict[str, Any]]:
    """``[{topic, sentences: [{text, citations, of, ref}]}]`` from the built sections."""
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
    shown = events
    if len(events) > SUMMARY_EVENTS:
        keep = {e["id"] for e in sorted(events, key=lambda e: (-e["n_sources"], -e["n_articles"], e["id"]))
                [:SUMMARY_EVENTS]}
        shown = [e for e in events if e["id"] in keep]
    return [w.sentence([(e["description"]["citation"]["article_id"], e["description"]["citation"]["start"])],
                       "event", e["id"]) for e in shown if e.get("description")]


def _statements(speakers: list[dict[str, Any]], w: _Writer) -> list[dict[str, Any] | None]:
    ranked = sorted((st for g in speakers for st in g["statements"] if len(st["text"].split()) >= STATEMENT_WORDS),
                    key=lambda s: (-s["n_articles"], s["id"]))
    chosen = sorted(ranked[:SUMMARY_STATEMENTS], key=lambda s: (s["said_on"] or "9999", s["id"]))
    return [w.sentence([(r["article_id"], r["start"]) for r in st["variants"][0]["reports"]], "statement",
                       st["id"]) for st in chosen]


def _positions(positions: list[dict[str, Any]], w: _Writer) -> list[dict[str, Any] | None]:
    by_actor: dict[Any, list[dict[str, Any]]] = {}
    for p in positions:
        actor = p.get("holder") or {}
        by_actor.setdefault(actor.get("entity_id") or actor.get("name"), []).append(p)
    ranked = sorted(by_actor.values(), key=lambda ps: (-len(ps), (ps[0].get("holder") or {}).get("name") or ""))
    out = []
    for ps in ranked[:SUMMARY_ACTORS]:
        latest = sorted(ps, key=lambda p: (p.get("date") or "", p["article_id"]), reverse=True)
        for p in latest[:POSITIONS_PER_ACTOR]:
            start = (p.get("sentence") or {}).get("start", p["start"])
            out.append(w.sentence([(p["article_id"], start)], "position", p.get("quote_id")))
    return out


def _claims(claims: list[dict[str, Any]], w: _Writer) -> list[dict[str, Any] | None]:
    corroborated = [c for c in claims if (c.get("independent_sources") or 0) >= MIN_SOURCES and c["asserted_by"]]
    corroborated.sort(key=lambda c: -c["independent_sources"])
    out = []
    for c in corroborated[:SUMMARY_CLAIMS]:
        seen, spans = set(), []
        for a in c["asserted_by"]:
            if a.get("source_id", a["article_id"]) not in seen:
                seen.add(a.get("source_id", a["article_id"]))
                spans.append((a["article_id"], a["start"]))
        out.append(w.sentence(spans, "claim", c["id"]))
    return out


def _conflicts(conflicts: list[dict[str, Any]], w: _Writer) -> list[dict[str, Any] | None]:
    out = []
    for k, c in enumerate(conflicts[:SUMMARY_CONFLICTS]):
        for side in c["sides"][:2]:
            out.append(w.sentence([(side["article_id"], side["start"])], "conflict", k))
    return out


PARAGRAPHS = (("What happened", "timeline", _timeline), ("Who said what", "statements", _statements),
              ("Where each side stands", "positions", _positions), ("What is corroborated", "claims", _claims),
              ("What is disputed", "conflicts", _conflicts))
