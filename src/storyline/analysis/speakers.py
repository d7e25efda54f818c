"""One speaker per person within a storyline, however each article wrote the name.

Entity resolution works article by article and across the store; a storyline still ends up with one person
under several speakers when an article gave only the surname and the store could not tell which person it
meant ("Obama" when two Obamas are known), when the name came with the article's title words ("Baltimore
Mayor Stephanie Rawlings-Blake") or when the entity recogniser typed a surname as an organisation. Within
one storyline the question is narrower, so it is settled here, for the ledger ("Who said what") only; the
stored entities are left as they are.

A speaker is read as the full name ``F`` (a PERSON of at least two words mentioned in the storyline) when:

1. its name, less honorifics, ends with ``F``'s words ("Baltimore Mayor Stephanie Rawlings-Blake",
   "former President Barack Obama");
2. it is ``F``'s surname alone, or the surname after title words only ("Obama", "President Obama",
   "Mayor Rawlings-Blake"), and ``F`` is the only full name in the storyline with that surname, or is
   mentioned at least ``DOMINANT`` times as often as the next one ("Clinton" in a storyline of Hillary
   Clinton's campaign that names Bill Clinton twice);
3. names differing only in case or a leading "the" are one speaker ("Police" / "police");
4. a bare title with no name ("the mayor", when that article never named her) is the one person the
   storyline's articles resolved that title to (``titles``; a title two people were given stays as written,
   and "former mayor" or "vice president" is another office).

Never across persons: a name holding a given name other than ``F``'s ("Michelle Obama", "John Kowalczyk" /
"Eric Kowalczyk") is not a title, so rule 2 does not apply to it; a description ("a senior Obama
administration official") is not a surname and is left alone.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from ..nlp.names import ascii_fold, strip_honorifics

DOMINANT = 3
#: words that may stand before a surname as a title ("President Obama", "Baltimore's Mayor" is not one)
TITLE_WORDS = frozenset("""
president vice prime minister mayor governor gov lt lieutenant senator sen rep representative congressman
congresswoman speaker leader majority minority secretary state defense attorney general chief police
commissioner judge justice director deputy ambassador chairman chairwoman chair ceo sheriff officer sgt
sergeant capt captain col colonel gen lt. adm admiral pope king queen prince princess first lady former
acting then president-elect candidate councilman councilwoman council member spokesman spokeswoman
special counsel assistant press us u.s. white house republican democratic democrat gop
""".split())


#: words that make a title another office than the bare one ("former governor", "vice president")
_OTHER_OFFICE = frozenset({"former", "vice", "deputy", "acting", "assistant", "lt", "lieutenant", "then"})


@lru_cache(maxsize=65536)
def _words(name: str) -> tuple[str, ...]:
    # a hyphenated surname is one word ("Rawlings-Blake"), as ascii_fold would split it
    words = ascii_fold(strip_honorifics(name).replace("-", "")).casefold().replace("’", "'").split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return tuple(w.strip(".,") for w in words if w.strip(".,"))


def is_body(entity_type: str | None, country: str | None, entity_id: Any = None,
            places: "set[Any] | None" = None) -> bool:
    """Whether an entity is a place or a government ("Washington" speaking for the United States): never a
    person, so ``canonical`` is not given it ("Washington has blamed Iran" is not George Washington). With
    ``places`` (``written_as_places``), a GPE of no known country counts only when some article writes it as a
    place: "Franken said", never "in Franken", with "Al Franken" named elsewhere, is a person's surname the entity
    recogniser typed as a place."""
    if entity_type == "GPE" and not country and places is not None:
        return entity_id in places
    return entity_type in ("GPE", "LOC", "NORP") or bool(country)


#: a place is written after these: "in Washington", "from Moscow", "across Ohio"
_LOCATIVE = re.compile(r"\b(?:in|at|from|to|near|across|outside|around|throughout|into|of)\s+(?:the\s+)?$", re.I)


def written_as_places(spans: Mapping[str, Iterable[tuple[Any, int]]], texts: Mapping[str, str]) -> set[Any]:
    """The entities some article of a storyline writes as a place, after "in", "from", "at" ...: ``spans`` is,
    per article, each mention's ``(entity_id, start)``."""
    out: set[Any] = set()
    for aid, found in spans.items():
        text = texts.get(aid, "")
        out.update(eid for eid, start in found
                   if eid is not None and eid not in out and _LOCATIVE.search(text[max(0, start - 12):start]))
    return out


def key(actor: Mapping[str, Any]) -> Any:
    """What ``canonical`` keys a speaker or holder by: its entity, else its name."""
    return actor.get("entity_id") or actor.get("name")


def full_names(mentions: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[tuple[str, ...], tuple[int, str, int]]:
    """The storyline's persons of two or more words: words -> (entity id, name, mentions)."""
    count: Counter[tuple[int, str]] = Counter()
    for ms in mentions.values():
        for m in ms:
            if m.get("label") == "PERSON" and m.get("entity_id") is not None and m.get("entity"):
                count[(m["entity_id"], m["entity"])] += 1
    out: dict[tuple[str, ...], tuple[int, str, int]] = {}
    for (eid, name), n in count.most_common():
        words = _words(name)
        if len(words) >= 2 and words not in out:
            out[words] = (eid, name, n)
    return out


def titles(mentions: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[tuple[str, ...], tuple[int, str, int]]:
    """Bare titles the storyline's articles resolved to one person each ("the mayor" -> Stephanie
    Rawlings-Blake): title words -> (entity id, name, mentions); a title resolved to two people is left out."""
    found: dict[tuple[str, ...], Counter[tuple[int, str]]] = defaultdict(Counter)
    for ms in mentions.values():
        for m in ms:
            if m.get("label") != "PERSON" or m.get("entity_id") is None or not m.get("entity"):
                continue
            words = _words(m.get("text") or "")
            if words and all(w in TITLE_WORDS for w in words) and not set(words) & _OTHER_OFFICE:
                found[words][(m["entity_id"], m["entity"])] += 1
    return {words: (*people.most_common(1)[0][0], sum(people.values()))
            for words, people in found.items() if len(people) == 1}


def canonical(speakers: Iterable[dict[str, Any]], persons: Mapping[tuple[str, ...], tuple[int, str, int]],
              titled: Mapping[tuple[str, ...], tuple[int, str, int]] | None = None) -> dict[Any, dict[str, Any]]:
    """For each speaker ``{entity_id, name}`` that is another's person, its key (entity id, else name) ->
    the speaker it is read as. Speakers left alone are absent. With ``titled`` (``titles``), a speaker that is a
    bare title no article named ("the mayor" where the text gave no name) is the one person the storyline's
    other articles resolved that title to."""
    by_surname: dict[str, list[tuple[tuple[str, ...], tuple[int, str, int]]]] = defaultdict(list)
    for words, person in persons.items():
        by_surname[words[-1]].append((words, person))
    out: dict[Any, dict[str, Any]] = {}
    plain: dict[tuple[str, ...], dict[str, Any]] = {}
    seen: set[Any] = set()   # a storyline's 20,000 statements have a few thousand speakers: each looked at once
    for sp in speakers:
        k = key(sp)
        if k in seen:
            continue
        seen.add(k)
        words = _words(sp.get("name") or "")
        if not words:
            continue
        target = _person_of(words, by_surname)
        if target is None and titled and sp.get("entity_id") is None:
            target = titled.get(words)
        if target is not None and target[0] != sp.get("entity_id"):
            out[k] = {"entity_id": target[0], "name": target[1]}
        elif target is None and sp.get("entity_id") is None:
            first = plain.setdefault(words, sp)
            if first.get("name") != sp.get("name"):
                out[k] = first
    return out


def _person_of(words: tuple[str, ...], by_surname: Mapping[str, list]) -> tuple[int, str, int] | None:
    candidates = by_surname.get(words[-1], [])
    if not candidates:
        return None
    for full, person in candidates:   # rule 1: the name ends with the full name
        if len(words) >= len(full) and words[-len(full):] == full:
            return person
    if any(w not in TITLE_WORDS for w in words[:-1]):
        return None
    ranked = sorted((p for _, p in candidates), key=lambda p: -p[2])
    if len(ranked) == 1 or ranked[0][2] >= DOMINANT * ranked[1][2]:
        return ranked[0]
    return None
