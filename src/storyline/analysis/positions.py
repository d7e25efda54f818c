"""Positions: per holder, what they demand, offer, reject, make conditional, support or oppose, and how that
changed.

The stances are found per article at ingest, over the dependency parse (``extract.stances``: the cue, its
holder and who reports it). ``extract(store, story)`` reads those of the storyline's articles and:

1. resolves the holder and the reporter to canonical entities (a named mention's entity; a group phrase
   such as "House Republicans" keeps its words), leaves out positions held by the article's own outlet (its own
   voice holds none: "CNN asked the FBI" in a CNN article), and keeps one of a stance found twice in one sentence (a
   span inside another's of the same holder and type);
2. dates each position by when it was said: the quote's ``said_on``, else a day right after a speech verb
   in its sentence ("said on Sunday"), else the publication day (``date_basis`` says which);
3. returns ``{holder: {entity_id, name}, reported_by: {entity_id, name} | null, type, content, text, date,
   date_basis, article_id, outlet, start, end, sentence: {start, end}, quote_id, basis}``, by holder then date;
   ``basis`` is how the stance was read: ``cue`` (a word that states it) or ``judged`` (speech the learned
   evaluator read as support or opposition), ``null`` for stances stored before it was recorded.

``changes(positions)`` compares each holder's positions (never a reporter's) from one occasion to the next
(dates at most two days apart are one occasion): a topic (shared content words) whose type changed ("reject" ->
"offer", "demand" -> "condition"), a condition or demand left out when the holder takes a
position on the same matter again (a content word of the topic shared), or one added on a matter it had a
position on; every change cites the position before and the position after. A stance merely not reported
again is no change.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from functools import lru_cache
from typing import Any

from ..extract.stance_holders import public
from . import speakers
from .material import Material, Time, load, sentence_json
from .words import content_stems, lexicon, phrase_pattern

SPEECH_GAP = 30  # characters between a speech verb and the day that dates the saying
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SAME_TOPIC = 0.3  # shared content words / words of the shorter position, for one topic ...
MIN_TOPIC_WORDS = 2  # ... and at least this many shared
OCCASION_DAYS = 2  # days between reports that still belong to one occasion


@lru_cache(maxsize=1)
def _speech() -> re.Pattern[str]:
    return phrase_pattern(lexicon()["conflicts"]["speech"]["words"])


def extract(store: Any, story: dict[str, Any]) -> list[dict[str, Any]]:
    """Stated positions of the storyline's holders, sorted by holder then date."""
    return from_material(load(store, story))


def from_material(material: Material) -> list[dict[str, Any]]:
    out = []
    bodies: set[Any] = set()   # holders that are a place or a government ("Moscow said"), never a person
    for aid, doc in material.docs.items():
        rows = material.stances.get(aid, [])
        if not rows:
            continue
        sentences = {s.index: s for s in material.sentences.get(aid, [])}
        quotes = {q.id: q for q in material.quotes.get(aid, [])}
        said_on: dict[int, str] = {}
        for t in material.times.get(aid, []):
            if t.sentence not in said_on and _said_on(doc.text, t):
                said_on[t.sentence] = t.value  # type: ignore[assignment]
        own = _outlet_names(doc.outlet)
        for r in rows:
            if r.get("holder_entity_type") != "PERSON" and _fold(r["holder_entity"] or r["holder_name"]) in own:
                continue   # "CNN has asked the FBI" in CNN's article: the article's own voice
            sentence = sentences.get(r["sentence"])
            quote = quotes.get(r["quote_id"]) if r["quote_id"] else None
            if quote is not None and quote.said_on:
                day, basis = quote.said_on, quote.said_on_basis or "said"
            elif r["sentence"] in said_on:
                day, basis = said_on[r["sentence"]], "said"
            else:
                day, basis = doc.published, "published"
            about = doc.text[r["about_start"]:r["about_end"]] if r["about_start"] is not None else None
            chamber = r.get("holder_label") == "ORG" and public(r["holder_name"])
            if r.get("holder_entity_type") == "NORP":
                # a people's word names the group the stance finder read ("House Republicans", "Republican calls":
                # Republicans)
                holder = _actor(None, None, r["holder_name"])
            else:
                holder = _actor(r["holder_entity_id"], r["holder_entity"], r["holder_name"])
            if chamber or speakers.is_body(r.get("holder_entity_type"), r.get("holder_country"),
                                           r["holder_entity_id"], _places(material)):
                bodies.add(speakers.key(holder))
            out.append({
                "holder": holder,
                "reported_by": _actor(r["reported_by_entity_id"], r["reported_by_entity"], r["reported_by_name"])
                if r["reported_by_name"] else None,
                "type": r["type"], "content": about or doc.text[r["start"]:r["end"]],
                "text": doc.text[r["start"]:r["end"]], "date": day or doc.published, "date_basis": basis,
                "article_id": aid, "outlet": doc.outlet, "start": r["start"], "end": r["end"],
                "sentence": sentence_json(sentence) if sentence else {"start": r["start"], "end": r["end"]},
                "quote_id": r["quote_id"], "in_quote": r["in_quote"], "basis": r.get("basis"),
            })
    _one_actor_per_person(out, material, bodies)
    out = _without_nested(out)
    return sorted(out, key=lambda p: (p["holder"]["name"].casefold(), p["date"] or "", p["article_id"], p["start"]))


def _places(material: Material) -> set[Any]:
    """The storyline's entities some article writes as a place (``speakers.written_as_places``), read once."""
    if "places" not in material.cache:
        material.cache["places"] = speakers.written_as_places(
            {aid: [(m.entity_id, m.start) for m in ms] for aid, ms in material.mentions.items()},
            {aid: d.text for aid, d in material.docs.items()})
    return material.cache["places"]


def _one_actor_per_person(positions: list[dict[str, Any]], material: Material,
                          bodies: "set[Any] | frozenset[Any]" = frozenset()) -> None:
    """Holders and reporters written another way than the person's full name within the storyline ("Obama",
    "Baltimore Mayor Stephanie Rawlings-Blake") credited to the person, as the ledger credits speakers
    (``speakers.canonical``); the name as written is kept as ``named_as``. One holder's positions are then
    compared over time under one name."""
    actors = [a for p in positions for a in (p["holder"], p["reported_by"]) if a]
    if not actors:
        return
    people = {aid: [{"label": m.label, "entity_id": m.entity_id, "entity": m.name, "text": m.text} for m in ms
                    if m.label == "PERSON"] for aid, ms in material.mentions.items()}
    # a holder that is a body keeps its name: "Washington has blamed Iran" is not George Washington's stance
    remap = speakers.canonical([a for a in actors if speakers.key(a) not in bodies], speakers.full_names(people),
                               speakers.titles(people))
    for p in positions:
        for role in ("holder", "reported_by"):
            actor = p[role]
            target = remap.get(speakers.key(actor)) if actor else None
            if target is not None:
                p[role] = {"entity_id": target.get("entity_id"), "name": target.get("name"), "named_as": actor["name"]}


def _fold(name: str) -> str:
    return " ".join(re.findall(r"\w+", name.casefold()))


@lru_cache(maxsize=256)
def _outlet_names(outlet: str | None) -> frozenset[str]:
    """The names an outlet goes by in its own text: "CNN (Web News)" -> cnn, cnn news; "Fox Online News" -> fox
    online news, fox, fox news; "New York Times - News" -> new york times (the name before a bracket or a dash,
    with and without the words of ``[positions.outlet]``)."""
    if not outlet:
        return frozenset()
    stem = _fold(re.split(r"\s[(\-–—]", outlet)[0])
    generic = set(lexicon()["positions"]["outlet"]["words"])
    core = " ".join(w for w in stem.split() if w not in generic)
    return frozenset(n for n in (stem, core, f"{core} news" if core else "") if n)


def _without_nested(positions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One stance stated once: a position whose span lies inside another's of the same sentence, holder and type
    (a quote judged on its own and the reported clause around it, "vowed to end it unless ..." and the condition
    inside it) is dropped for the wider one, which holds the cue and what it is about."""
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for p in positions:
        groups[(p["article_id"], p["sentence"]["start"], p["type"], holder_key(p))].append(p)
    out = []
    for items in groups.values():
        items.sort(key=lambda p: (p["start"], -p["end"]))
        kept: list[dict[str, Any]] = []
        for p in items:
            if not any(k["start"] <= p["start"] and p["end"] <= k["end"] for k in kept):
                kept.append(p)
        out += kept
    return out


def _actor(entity_id: int | None, entity_name: str | None, name: str) -> dict[str, Any]:
    return {"entity_id": entity_id, "name": entity_name or name}


def _said_on(text: str, t: Time) -> bool:
    """A day given right after a speech verb ("said on Sunday", "told reporters Monday")."""
    return bool(t.value and _DAY.match(t.value)) and bool(_speech().search(text[max(0, t.start - SPEECH_GAP):t.start]))


def holder_key(p: dict[str, Any]) -> Any:
    """What groups one holder's positions: the canonical entity, else the folded name."""
    return p["holder"].get("entity_id") or p["holder"]["name"].casefold()


# -- changes -----------------------------------------------------------------------------------------

def changes(positions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How each holder's stated positions changed from one date to the next; each change cites both.

    A position reported by several articles on one date is taken once (the first report of each type and
    topic); topics are content words without the holder's own name, two or more of them shared."""
    by_holder: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for p in positions:
        by_holder[holder_key(p)].append(p)
    out = []
    for items in by_holder.values():
        occasions = _occasions(sorted({p["date"] for p in items if p["date"]}))
        by_occasion: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for p in sorted(items, key=lambda p: p["date"] or ""):
            if not p["date"]:
                continue
            taken = by_occasion[occasions[p["date"]]]
            if not any(q["type"] == p["type"] and _same_topic(p, q) for q in taken):
                taken.append(p)
        keys = sorted(by_occasion)
        for before, after in zip(keys, keys[1:]):
            out += _compare(by_occasion[before], by_occasion[after])
    return sorted(out, key=lambda c: (c["holder"]["name"].casefold(), c["to_date"], c["change"]))


def _occasions(days: list[str]) -> dict[str, str]:
    """Each day -> the first day of its occasion: days at most ``OCCASION_DAYS`` apart are one occasion
    (a statement reported the next day is not a new position)."""
    out: dict[str, str] = {}
    first = previous = None
    for day in days:
        try:
            gap = (date.fromisoformat(day[:10]) - date.fromisoformat(previous[:10])).days if previous else None
        except ValueError:
            gap = None
        if gap is None or gap > OCCASION_DAYS:
            first = day
        out[day] = first
        previous = day
    return out


def corroboration(positions: list[dict[str, Any]]) -> list[int]:
    """For each of one holder's positions, how many other articles state it too (the same type and topic):
    a stance several articles report is more often a stance the holder took than one read from a single
    sentence (on the real labelled storylines, 0.78 of such positions are right against 0.55 of the rest)."""
    topics = [_topic(p) for p in positions]
    out = []
    for i, p in enumerate(positions):
        others = {q["article_id"] for j, q in enumerate(positions)
                  if q["article_id"] != p["article_id"] and q["type"] == p["type"]
                  and _shares_topic(topics[i], topics[j])}
        out.append(len(others))
    return out


def _topic(p: dict[str, Any]) -> frozenset[str]:
    return frozenset(content_stems(p.get("content") or "")) - frozenset(content_stems(p["holder"].get("name") or ""))


def _same_topic(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return _shares_topic(_topic(a), _topic(b))


def _shares_topic(ta: frozenset[str], tb: frozenset[str]) -> bool:
    shared = len(ta & tb)
    return shared >= MIN_TOPIC_WORDS and shared / max(1, min(len(ta), len(tb))) >= SAME_TOPIC


_OPPOSITE = {"support": "oppose", "oppose": "support", "offer": "reject", "reject": "offer"}


def _compare(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The changes from one occasion to the next: another stance on one topic ("changed", its opposite first);
    a demand or condition left out when the holder states a position on the same matter again ("dropped"),
    or one set out on a matter it had stated a position on before ("added"). A stance that is simply not
    reported on the later occasion has not changed: most occasions report a few of a holder's positions."""
    out = []
    for b in before:
        match = [a for a in after if _same_topic(a, b)]
        if any(a["type"] == b["type"] for a in match):
            continue
        flipped = [a for a in match if _OPPOSITE.get(b["type"]) == a["type"]] or match
        again = [a for a in after if _related(a, b)]
        if flipped:
            out.append(_change("changed", b, flipped[0], f"{b['type']} became {flipped[0]['type']}"))
        elif b["type"] in ("condition", "demand") and again:
            out.append(_change("dropped", b, again[0], f"{b['type']} no longer stated"))
    for a in after:
        earlier = [b for b in before if _related(a, b)]
        if a["type"] in ("condition", "demand") and earlier and not any(_same_topic(a, b) for b in before):
            out.append(_change("added", earlier[0], a, f"new {a['type']}"))
    return out


def _related(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two positions on one matter: at least one content word of their topics shared."""
    return bool(_topic(a) & _topic(b))


def _change(kind: str, before: dict[str, Any], after: dict[str, Any], summary: str) -> dict[str, Any]:
    cite = ("article_id", "outlet", "start", "end", "sentence", "type", "text", "content", "date", "quote_id")
    return {"holder": before["holder"], "change": kind, "summary": summary, "from_date": before["date"],
            "to_date": after["date"], "before": {k: before[k] for k in cite}, "after": {k: after[k] for k in cite}}
