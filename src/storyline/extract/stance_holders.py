"""Holders of stances that the parse names only in part: the body a person's title makes them speak for, read
from an appositive ("Roy Beck, president of NumbersUSA, an organization that ...") however long it runs; the
person a bare title points to ("the president", "the speaker") when the article never writes the title with
the name, from the table of office holders (``data/offices.toml``); which bodies speak through their head.

The functions here are pure: ``extract.stance_actors`` calls them with the article's parse and mentions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from spacy.tokens import Doc, Token

from ..clean.dates import day_of
from ..records import Mention
from .stance_lexicon import BODIES, LEADER, PUBLIC, TITLE_REACH

#: Titles whose holder speaks for the body named with them ("spokeswoman for", "president of", "head of").
SPEAKS_FOR = re.compile(r"\b(?:spokes\w+|press secretary|president|co-president|ceo|chief executive|director"
                        r"|head|chair(?:man|woman|person)?|founder|leader|counsel)\b", re.I)
#: A party's committee ("Republican National Committee", "Democratic Congressional Campaign Committee",
#: "National Republican Senatorial Committee") is an organisation whose officers speak for it; a chamber's
#: committee ("House Budget Committee") is not.
PARTY_COMMITTEE = re.compile(r"(?i)\b(?:national|campaign|senatorial|congressional)\b.*\bcommittee$")
#: Acronyms that name a country, a chamber or a party, never a body a leader speaks for.
_NOT_BODY = frozenset({"US", "USA", "UK", "EU", "UN", "GOP", "DC", "NYC", "LA"})
#: Words of a title the tagger may take for an organisation ("Supreme Leader", "Majority Leader").
_QUALIFIERS = frozenset({"supreme", "majority", "minority", "deputy", "executive", "general", "chief"})
#: Days a title may still be used for the office's holder after a term ended (the table's own margin).
_GRACE = 10


def public(name: str) -> bool:
    """A chamber, a party or a government office, whose members speak for themselves ("the Senate", "Justice
    Department"); a party's committee is not one (its chairman speaks for it)."""
    folded = name.strip()
    return bool(PUBLIC.search(folded)) and not PARTY_COMMITTEE.search(folded)


def appositive_body(doc: Doc, person: Mention, mentions: Sequence[Mention]) -> tuple[str, Mention] | None:
    """ "Roy Beck, president of NumbersUSA, ...", "Katie Connell, spokeswoman for Airlines for America, a ...":
    the title and the organisation of an appositive after a person's name (its own words only, however long the
    appositive runs on), when the title is one that speaks for the organisation."""
    span = doc.char_span(person.start, person.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    for title in (c for c in span.root.children if c.dep_ == "appos" and c.i >= span.end):
        if not SPEAKS_FOR.search(title.text) and not any(SPEAKS_FOR.search(c.text) for c in title.children
                                                         if c.dep_ in ("compound", "amod")):
            continue
        for c in title.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "for", "at"):
                obj = next((p for p in c.children if p.dep_ == "pobj"), None)
                body = _mention_over(obj, mentions) if obj is not None else None
                if body is None and obj is not None and obj.lemma_.lower() in BODIES and any(
                        d.dep_ == "det" and d.lower_ == "the" for d in obj.children):
                    # "co-president of the nurses group": the organisation last named before it
                    kind = [d.lower_[:5] for d in obj.children if d.dep_ in ("compound", "amod")]
                    body = next((m for m in reversed(mentions) if m.label == "ORG" and m.end <= obj.idx
                                 and obj.idx - m.start <= TITLE_REACH and not public(m.text)
                                 and all(k in m.text.casefold() for k in kind)), None)
                if body is not None and body.label in ("ORG", "NORP", "GPE"):
                    return f"{title.text} {c.text} {body.text}", body
            elif c.dep_ in ("compound", "poss", "nmod"):
                body = _mention_over(c, mentions)
                if body is not None and body.label == "ORG":
                    return f"{body.text} {title.text}", body
    return None


def _mention_over(tok: Token, mentions: Sequence[Mention]) -> Mention | None:
    return next((m for m in mentions if m.start <= tok.idx < m.end), None)


def leader_body(role: str, mentions: Sequence[Mention]) -> Mention | str | None:
    """The organisation a leader's title names ("Club for Growth president", "Growth PAC President" when the
    tagger cut the name, "DCCC Chairman"): an organisation mention the title holds or ends with its words,
    else an acronym the title starts with; ``None`` for a chamber, party or government office."""
    if not LEADER.search(role.lower()):
        return None
    folded = role.casefold()
    held = [m for m in mentions if m.label == "ORG" and len(m.text.casefold().removeprefix("the ")) > 2
            and m.text.casefold() not in _QUALIFIERS
            and re.search(rf"(?<!\w){re.escape(m.text.casefold().removeprefix('the '))}(?!\w)", folded)]
    if held:   # the longest: "Senate Conservatives Fund", not the "Senate" inside it
        m = max(held, key=lambda m: len(m.text))
        return None if public(m.text) else m
    rest = re.sub(LEADER.pattern, " ", role, flags=re.I)
    words = [w for w in rest.replace("'s", " ").replace("’s", " ").split()
             if w.lower() not in ("the", "a", "an", "of", "for", "co-", "co", "deputy", "vice", "executive", "senior",
                                  "former", "acting", "interim", "national")]
    if not words:
        return None
    tail = " ".join(words).casefold()
    for m in mentions:
        if m.label == "ORG" and len(tail) > 3 and m.text.casefold().endswith(tail) and not public(m.text):
            return m
    if len(words) == 1 and words[0].isupper() and words[0].isalpha() and len(words[0]) >= 3 \
            and words[0] not in _NOT_BODY and not public(words[0]):
        return words[0]
    return None


def office_holder(title: str, at: int, mentions: Sequence[Mention], published: str | None) -> Mention | None:
    """ "the president", "the speaker": the person the article names who held the office so titled (the table
    of office holders), in office on the publication day when it is known, the most named of them otherwise;
    ``None`` when the article names none of them before ``at``."""
    from .offices import fold, load_world

    world = load_world()
    forms = world.forms.get(fold(title))
    if not forms:
        return None
    day = day_of(published)
    count: Counter = Counter()
    last: dict[str, Mention] = {}
    for m in mentions:
        if m.label != "PERSON" or m.start >= at:
            continue
        folded = fold(m.name).split()
        if not folded or "former" in (m.role or "").lower():
            continue
        # offices one person holds at a time ("the senator" is resolved by the title written with the name)
        terms = [t for t in forms.get(" ".join(folded)) or forms.get(folded[-1]) or [] if not t.shared]
        if day is not None:
            terms = [t for t in terms if t.start - timedelta(days=_GRACE) <= day
                     and (t.end is None or day <= t.end + timedelta(days=_GRACE))]
        if not terms:
            continue
        count[m.name] += 1
        last[m.name] = m
    if not count:
        return None
    best = max(count, key=lambda n: (count[n], last[n].start))
    return last[best]
