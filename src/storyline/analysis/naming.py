"""Name variants per outlet, for any entity: where outlets call one canonical entity by different names.

1. every entity mention of the storyline's articles is reduced to a *naming*: its words (honorifics, a
   leading "the" and a possessive dropped, lower case, accents folded) less the words of the entity's
   canonical name; a mention whose words are all in the canonical name ("Kovalenko" of "Volodymyr
   Kovalenko") is the canonical naming;
2. the remaining words make a variant only when each is a spelling of a canonical word (similarity at least
   ``SIMILAR``: "Vladimir"/"Volodymyr", "Kiev"/"Kyiv", "Zelenskyy"/"Zelensky") or the mention is listed for
   the entity in the alias file (``data/aliases.toml``: "Donbass", "Kishinev"); initials of the canonical
   name ("US" of "United States") and words of other kinds (titles, "President") are not a naming choice;
3. an entity is reported when at least two namings are in use and not every outlet uses the same ones;
   each outlet then gets each naming it used (the canonical naming labelled with the canonical name, a variant
   with its most used form), with its count, the namings the other outlets used, the side
   the framing lexicon gives that spelling (``loaded_terms.toml [[names]]``, else ``null``) and the first
   ``MAX_OCCURRENCES`` occurrences with offsets.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from ..nlp.names import ascii_fold, load_aliases, strip_honorifics

SIMILAR = 0.5  # SequenceMatcher ratio of a variant word and the canonical word it spells differently
MAX_OCCURRENCES = 20
LABELS = ("PERSON", "GPE", "LOC", "ORG", "NORP", "FAC")


@lru_cache(maxsize=65536)
def _words(name: str) -> tuple[str, ...]:
    name = strip_honorifics(name)
    words = ascii_fold(name).replace("'", " ").replace("-", " ").split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return tuple(w.strip(".,") for w in words if w.strip(".,"))


def _initials(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w not in ("of", "and", "the"))


@lru_cache(maxsize=65536)
def naming(text: str, canonical: str) -> str | None:
    """The naming a mention ``text`` of the entity ``canonical`` is: ``""`` for the canonical naming, the
    variant's extra words for a variant, ``None`` for a mention that is no naming choice."""
    mine, theirs = _words(text), _words(canonical)
    if not mine:
        return None
    extra = [w for w in mine if w not in theirs]
    if not extra:
        return ""
    joined = "".join(mine).replace(".", "")
    if joined in (_initials(theirs), "".join(theirs)):
        return None
    aliases = load_aliases()
    folded = ascii_fold(strip_honorifics(text))
    listed = aliases.places.get(folded) == canonical or aliases.people.get(folded) == canonical
    if listed or all(max((SequenceMatcher(None, w, c).ratio() for c in theirs), default=0) >= SIMILAR
                     for w in extra):
        return " ".join(extra)
    return None


def _side(label: str, sides: dict[str, str]) -> str | None:
    """The side the lexicon gives a spelling (``sides``: folded spelling -> side), or one of its words."""
    folded = ascii_fold(label)
    return sides.get(folded) or next((sides[w] for w in folded.split() if w in sides), None)


def variants(by_outlet: dict[str, list[str]], mentions: dict[str, list[dict[str, Any]]],
             sides: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Per outlet: ``[{entity_id, entity, variant, canonical, side, count, others, occurrences}]`` for every
    entity the storyline's outlets name differently (see the module docstring)."""
    outlet_of = {aid: o for o, ids in by_outlet.items() for aid in ids}
    # entities are keyed by canonical name: a place and its government ("Kyiv" said) are one naming choice
    used: dict[str, dict[str, dict[str, list]]] = defaultdict(lambda: defaultdict(dict))
    forms: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    ids: dict[str, int] = {}
    for aid, outlet in outlet_of.items():
        for m in mentions.get(aid, ()):
            eid, canonical = m.get("entity_id"), m.get("entity")
            if eid is None or not canonical or m.get("label") not in LABELS:
                continue
            key = naming(m["text"], canonical)
            if key is None:
                continue
            ids.setdefault(canonical, eid)
            forms[(canonical, key)][m["text"]] += 1
            used[canonical][key].setdefault(outlet, []).append((aid, m["start"], m["end"]))
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for name, by_key in used.items():
        if len(by_key) < 2:
            continue
        outlets = {o for per in by_key.values() for o in per}
        if all(len(per) == len(outlets) for per in by_key.values()):
            continue  # every outlet uses every naming: no choice between them
        label = {key: name if key == "" else forms[(name, key)].most_common(1)[0][0] for key in by_key}
        for key, per in by_key.items():
            for outlet, occ in per.items():
                others = sorted({label[k] for k, p in by_key.items() if k != key and set(p) - {outlet}})
                out[outlet].append({
                    "entity_id": ids[name], "entity": name, "variant": label[key], "canonical": key == "",
                    "side": _side(label[key], sides), "count": len(occ), "others": others,
                    "occurrences": [{"article_id": a, "start": s, "end": e} for a, s, e in occ[:MAX_OCCURRENCES]]})
    for rows in out.values():
        rows.sort(key=lambda r: (r["entity"], -r["count"], r["variant"]))
    return dict(out)
