"""The statement ledger: who said what, grouped by speaker (canonical entity), in time order.

1. statements come from the store (quotes grouped across articles, ``store/statements.py``); each
   statement's quotes are split into variant wordings (same words, ignoring case and punctuation);
2. the main wording is the one most articles carried (ties: the longest), a quoted one before a paraphrase;
   every other wording is shown beside it as a word-level diff (``[{op: equal|insert|delete, text}]`` from ``difflib`` over word and
   punctuation tokens), with the outlets that carried it and the cited sentence of every report;
3. an indirect report ("Vorontsov said Kyiv had banned itself from talks") that the store kept as a
   statement of its own is linked to a direct statement of the same speaker said within
   ``LINK_DAYS`` days when they share at least ``LINK_OVERLAP`` of the shorter one's content words;
4. speakers with the most reported statements first; each speaker's statements in the order said;
5. a statement every outlet reported in its own words (indirect speech: "Trump denied any financial tie")
   is not ``verbatim``: renderings show it after its reporting verb (``cue``), never inside quotation marks;
6. one speaker per person: a statement credited to a person under another name ("Obama", "Baltimore Mayor
   Stephanie Rawlings-Blake") is credited to the person (``speakers``), the name as written kept as
   ``named_as``.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from ..clean.dates import day_of
from ..records import MaterialQuote, StoryMaterial
from . import speakers
from .cite import cited_sentence
from .content import content_words
from .words import days_apart

LINK_DAYS = 2  # an indirect report said within this many days of a direct statement may be linked to it
LINK_OVERLAP = 0.5  # share of the shorter statement's content words both must share to be linked
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.U)
_WORD = re.compile(r"\w+", re.U)


def build(material: StoryMaterial, limit: int | None = None) -> list[dict[str, Any]]:
    """Speakers ``{speaker: {entity_id, name} | None, statements: [...]}``, most reported first."""
    by_statement: dict[int, list[MaterialQuote]] = {}
    for q in material.quotes:
        if q.statement_id is not None and q.article_id in material.articles:
            by_statement.setdefault(q.statement_id, []).append(q)
    statements = [_statement(sid, quotes, material) for sid, quotes in by_statement.items()]
    statements.sort(key=lambda s: (-s["n_articles"], s["id"]))
    if limit is not None:
        statements = statements[:limit]
    _one_speaker_per_person(statements, material)
    statements = _link_indirect(statements)
    groups: dict[Any, dict[str, Any]] = {}
    for st in statements:
        speaker = st.pop("speaker")
        key = speakers.key(speaker) if speaker else ""
        group = groups.setdefault(key, {"speaker": speaker, "statements": []})
        group["statements"].append(st)
    for g in groups.values():
        g["statements"].sort(key=lambda s: (s["said_on"] or "9999", s["id"]))
    return sorted(groups.values(), key=lambda g: (g["speaker"] is None,
                                                  -sum(s["n_articles"] for s in g["statements"]),
                                                  (g["speaker"] or {}).get("name") or ""))


def _statement(sid: int, quotes: list[MaterialQuote], material: StoryMaterial) -> dict[str, Any]:
    quotes = sorted(quotes, key=lambda q: (material.articles[q.article_id].published or "9999", q.article_id,
                                           q.start))
    variants: dict[str, dict[str, Any]] = {}
    for q in quotes:
        key = " ".join(_WORD.findall(q.text.casefold()))
        v = variants.setdefault(key, {"text": q.text, "kinds": [], "outlets": [], "reports": []})
        outlet = material.articles[q.article_id].outlet
        if outlet and outlet not in v["outlets"]:
            v["outlets"].append(outlet)
        if q.kind not in v["kinds"]:
            v["kinds"].append(q.kind)
        sentence = cited_sentence(material, q.article_id, q.start)
        v["reports"].append({"quote_id": q.id, "article_id": q.article_id, "outlet": outlet,
                             "date": material.articles[q.article_id].published, "start": q.start, "end": q.end,
                             "sentence": sentence["citation"] if sentence else None})
    # the main wording is the one most articles carried; a statement someone quoted is shown in a quoted
    # wording, never in a paraphrase around the quoted words ("it he was "comfortable with ..."")
    ranked = sorted(variants.values(), key=lambda v: (v["kinds"] == ["indirect"],
                                                      -len({r["article_id"] for r in v["reports"]}),
                                                      -len(v["text"])))
    main = ranked[0]
    for v in ranked:
        v["diff"] = word_diff(main["text"], v["text"])
    said = min((q for q in quotes if q.said_on), key=lambda q: q.said_on or "", default=None)
    speakers: dict[tuple[Any, str], int] = {}   # (a plain dict: a Counter per statement costs 0.3 s at 20,000)
    for q in quotes:
        if q.speaker:
            speakers[(q.speaker_id, q.speaker)] = speakers.get((q.speaker_id, q.speaker), 0) + 1
    speaker = None
    if speakers:
        (eid, name), _ = max(speakers.items(), key=lambda kv: (kv[1], kv[0][0] is not None))
        speaker = {"entity_id": eid, "name": name}
    verbatim = any(q.kind != "indirect" for q in quotes)
    cues: dict[str, int] = {}
    for q in quotes:
        if q.cue and q.kind == "indirect":
            cues[q.cue.casefold()] = cues.get(q.cue.casefold(), 0) + 1
    cue = max(cues.items(), key=lambda kv: (kv[1], kv[0]))[0] if cues and not verbatim else None
    return {"id": sid, "speaker": speaker, "text": main["text"], "verbatim": verbatim, "cue": cue,
            "said_on": said.said_on if said else None,
            "said_on_basis": said.said_on_basis if said else None,
            "kinds": sorted({q.kind for q in quotes}), "n_articles": len({q.article_id for q in quotes}),
            "outlets": sorted({o for v in ranked for o in v["outlets"]}), "variants": ranked, "linked": []}


def word_diff(main: str, other: str) -> list[dict[str, str]]:
    """``other`` against ``main`` word by word: ``[{op: equal|insert|delete, text}]`` (case-insensitive)."""
    if main == other:
        return [{"op": "equal", "text": other}] if other else []
    a, b = list(_TOKEN.finditer(main)), list(_TOKEN.finditer(other))
    matcher = SequenceMatcher(None, [m.group().casefold() for m in a], [m.group().casefold() for m in b],
                              autojunk=False)
    out: list[dict[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            out.append({"op": "delete", "text": main[a[i1].start():a[i2 - 1].end()]})
        if op in ("insert", "replace"):
            out.append({"op": "insert", "text": other[b[j1].start():b[j2 - 1].end()]})
        if op == "equal":
            out.append({"op": "equal", "text": other[b[j1].start():b[j2 - 1].end()]})
    return out


def _one_speaker_per_person(statements: list[dict[str, Any]], material: StoryMaterial) -> None:
    """Statements credited to a person under another name ("Obama", "Baltimore Mayor Stephanie
    Rawlings-Blake") credited to the person (``speakers.canonical``), the name as written kept as ``named_as``."""
    # a speaker that is a place or a government keeps its name: "Washington said" is not George Washington
    places = speakers.written_as_places({aid: [(m["entity_id"], m["start"]) for m in ms]
                                         for aid, ms in material.mentions.items()},
                                        {aid: a.text for aid, a in material.articles.items()})
    bodies = {m["entity_id"] for ms in material.mentions.values() for m in ms
              if speakers.is_body(m.get("entity_type"), m.get("country"), m["entity_id"], places)}
    remap = speakers.canonical((s["speaker"] for s in statements if s["speaker"]
                                and s["speaker"].get("entity_id") not in bodies),
                               speakers.full_names(material.mentions), speakers.titles(material.mentions))
    for st in statements:
        target = remap.get(speakers.key(st["speaker"])) if st["speaker"] else None
        if target is not None:
            st["named_as"] = st["speaker"]["name"]
            st["speaker"] = {"entity_id": target.get("entity_id"), "name": target.get("name")}


def _day(value: str | None) -> int | None:
    """The day number of an ISO date (``None`` for none or a malformed one)."""
    day = day_of(value)
    return day.toordinal() if day else None


def _link_indirect(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Indirect-only statements folded into the direct statement of the same speaker they report."""
    # direct statements per speaker and day (with their order), so an indirect one looks only at the few said
    # within LINK_DAYS of it, not at all its speaker's: a storyline's main speaker can have thousands
    direct: dict[Any, dict[int, list[tuple[int, dict[str, Any]]]]] = {}
    for k, s in enumerate(statements):
        day = _day(s["said_on"])
        if s["speaker"] and set(s["kinds"]) - {"indirect"} and day is not None:
            direct.setdefault(speakers.key(s["speaker"]), {}).setdefault(day, []).append((k, s))
    words = _Words()
    keep = []
    for st in statements:
        target = None
        day = _day(st["said_on"])
        if st["kinds"] == ["indirect"] and st["speaker"] and day is not None:
            days = direct.get(speakers.key(st["speaker"]), {})
            near = sorted((x for d in range(day - LINK_DAYS, day + LINK_DAYS + 1) for x in days.get(d, ())),
                          key=lambda x: x[0])
            target = _best_target(st, [s for _, s in near], words)
        if target is None:
            keep.append(st)
        else:
            target["linked"].append({k: st[k] for k in ("id", "text", "said_on", "n_articles", "outlets",
                                                        "variants")})
    return keep


class _Words:
    """Statements' content words (of all their wordings), worked out when a statement is first compared: most
    statements of a long storyline never are."""

    def __init__(self) -> None:
        self._by_id: dict[int, set[str]] = {}

    def of(self, st: dict[str, Any]) -> set[str]:
        found = self._by_id.get(st["id"])
        if found is None:
            found = self._by_id[st["id"]] = content_words(" ".join(v["text"] for v in st["variants"]))
        return found


def _best_target(st: dict[str, Any], direct: list[dict[str, Any]], words: _Words) -> dict[str, Any] | None:
    """The direct statement of the same speaker (``direct``, in the statements' order) this indirect one
    reports, if any: said within ``LINK_DAYS`` days, sharing the most content words (``LINK_OVERLAP`` at least)."""
    best, best_overlap = None, LINK_OVERLAP
    mine = words.of(st)
    for d in direct:
        apart = days_apart(st["said_on"], d["said_on"])
        if apart is None or apart > LINK_DAYS:
            continue
        theirs = words.of(d)
        overlap = len(mine & theirs) / (min(len(mine), len(theirs)) or 1)
        if overlap >= best_overlap:
            best, best_overlap = d, overlap
    return best
