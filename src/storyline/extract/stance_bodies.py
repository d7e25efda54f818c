"""The bodies a stance's actor speaks for or belongs to: a spokesperson's or a leader's organisation ("Kremlin
spokesman Dmitry Peskov", "Chris Chocola, president of the Club for Growth"), the organisation "the group" points
back to, and the country a government or regime is ("the North Korean government", "Kim's regime", "the regime"
after its leader is named).

``BodyResolver`` is the part of the stance finder's actor resolution (``extract.stance_actors``) that finds
them; it reads the finder's article state (``doc``, ``text``, ``index``, ``lex``, ``mentions``,
``mention_starts``)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Token

from ..nlp.names import ascii_fold
from ..records import Mention
from .stance_holders import appositive_body, leader_body, public
from .stance_lexicon import PUBLIC, TITLE_REACH, country_name

#: Head nouns of a state's government named by its country's adjective or its leader ("the Iranian regime").
STATE_BODIES = frozenset({"government", "regime", "leadership", "authority", "authorities"})
#: Head nouns of a government organ that speaks for its country when the country is written with it ("Finland's
#: Foreign Ministry", "the Iranian foreign ministry").
STATE_ORGANS = frozenset({"ministry", "government", "cabinet", "presidency", "embassy"})
#: Head nouns of a body an unnamed official is written with ("a senior Trump administration official").
BODY_NOUNS = frozenset({"administration", "ministry", "department", "government", "agency", "office", "embassy",
                        "military", "police", "army", "campaign"})
#: Titles of a state's officials (not its head's), whose "we" is their country when it is written with the title.
STATE_TITLE = re.compile(r"(?i)minist|spokes|ambassador|envoy|diplomat|official"
                         r"|secretary|foreign")
#: Words of a person's own staff ("his press secretary", "her aide"), who state that person's positions.
PERSONAL_STAFF = ("spokes", "secretary", "aide", "adviser", "advisor")
#: Characters back "the regime" looks for the country (or its leader) it is.
REGIME_REACH = 400


@dataclass(frozen=True)
class Actor:
    text: str
    start: int
    end: int
    name: str
    label: str | None
    mention: int | None
    role: str | None = None


class BodyResolver:
    """Bodies and states for the stance finder's actors (a mixin of ``stance_actors.ActorResolver``)."""

    def _last_body(self, tok: Token) -> Actor | None:
        """ "the group", "the organization": the organisation last named before it (within ``TITLE_REACH``)."""
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children) or any(
                c.dep_ in ("poss", "compound", "amod", "prep") for c in tok.children):
            return None
        k = bisect_right(self.mention_starts, tok.idx)
        m = next((m for m in reversed(self.mentions[:k]) if m.label == "ORG" and not PUBLIC.search(m.text)), None)
        if m is None or tok.idx - m.start > TITLE_REACH:
            return None
        start, end = self.index.mention(tok)
        return Actor(self.text[start:end], start, end, m.name, "ORG", m.start)

    def _state_of(self, tok: Token, lemma: str) -> str | None:
        """The country whose government or regime a phrase names by an adjective or its leader ("the North Korean
        government", "Kim's regime", "the Iranian regime"); ``None`` for any other phrase."""
        if lemma not in STATE_BODIES:
            return None
        from ..polevents.lexicon import load_lexicon as load_countries

        countries = load_countries()
        code = self._country_named_with(tok, countries, leaders=True)
        if code:
            return country_name(code)
        if lemma == "regime" and [c.lower_ for c in tok.children] == ["the"]:
            return self._last_state(tok.idx, countries)
        return None

    def _organ_of(self, tok: Token) -> str | None:
        """ "Finland's Foreign Ministry", "the Iranian foreign ministry": the country a government organ named
        with its country belongs to (``None`` when no country is written with it)."""
        if tok.lemma_.lower() not in STATE_ORGANS:
            return None
        from ..polevents.lexicon import load_lexicon as load_countries

        code = self._country_named_with(tok, load_countries(), leaders=False)
        return country_name(code) if code else None

    def _country_mention(self, tok: Token) -> int | None:
        """The start of the country's mention among the words ``tok`` is named with ("Finland's" in "Finland's
        Foreign Ministry"), the holder's entity; ``None`` when the country is not a mention of its own."""
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss") and c.i < tok.i:
                m = self._mention_of(c)
                if m is not None and m.label == "GPE":   # not "Iranian": a people's entity is not the state
                    return m.start
        return None

    def _country_named_with(self, tok: Token, countries, leaders: bool) -> str | None:
        """The country code of a modifier of ``tok`` that names a country ("North Korean", "Iran's") or, with
        ``leaders``, its leader ("Putin's"; "Kim's" by the person the article's "Kim" is)."""
        for c in tok.children:
            if c.dep_ not in ("amod", "compound", "poss") or c.i > tok.i:
                continue
            words = " ".join(t.lower_ for t in c.subtree if not t.is_punct and t.dep_ != "case").replace("’s", "")
            words = words.removesuffix(" 's").strip()
            code = countries.countries.get(words)
            if code is None and leaders and c.dep_ in ("poss", "compound") and c.ent_type_ == "PERSON":
                m = self._mention_of(c)
                code = countries.leaders.get(words.split()[-1]) or (
                    countries.leaders.get(ascii_fold(m.name)) if m is not None else None)
            if code:
                return code
        return None

    def _last_state(self, at: int, countries) -> str | None:
        """ "while the regime favors a phased approach": the country last named before it, or whose leader was,
        within ``REGIME_REACH`` characters."""
        k = bisect_right(self.mention_starts, at)
        for m in reversed(self.mentions[:k]):
            if at - m.start > REGIME_REACH:
                break
            if m.label == "PERSON":
                code = countries.leaders.get(ascii_fold(m.name))
            elif m.label in ("GPE", "NORP") or m.country:
                code = m.country or countries.countries.get(ascii_fold(m.text).removeprefix("the "))
            else:
                code = None
            if code:
                return country_name(code)
        return None

    def _organisation_of(self, person: Actor) -> Actor | None:
        """The organisation a speaker's title names ("Club for Growth president", "Kremlin spokesman"): who
        their "we" is."""
        return self._body(person)

    def _body(self, actor: Actor) -> Actor | None:
        """The body a spokesperson speaks for: "Kremlin spokesman Dmitry Peskov", "Katie Connell, spokeswoman for
        Airlines for America" -> the body; the head of a group speaks for the group ("Club for Growth president
        Chris Chocola", "Roy Beck, president of NumbersUSA", "DCCC Chairman Steve Israel") unless it is a
        chamber, a party or a government office, whose members speak for themselves. The title may be written
        with another mention of the person ("... Peskov said")."""
        boss = self._principal(actor)
        if boss is not None:
            return boss
        named = self._appositive(actor)
        if named is not None:
            title, m = named
            if "spokes" in title.lower() or "press secretary" in title.lower() or not public(m.text):
                return Actor(m.text, actor.start, actor.end, m.name, m.label, m.start)
        written = actor.role or (self._role_of(actor.mention, actor.mention + 1) if actor.mention is not None
                                 and actor.label == "PERSON" else None) or ""
        if not written and actor.label in ("PERSON", None):   # "..., she said": her title given with her name
            written = next((o.role for o in self.mentions if o.role and o.label == "PERSON" and o.name == actor.name),
                           "")
        role = written.lower()
        if not role and actor.label is None and any(w in actor.text.lower()
                                                    for w in ("spokes", "press secretary", "official")):
            # "the North Korean spokesman", "a senior Trump administration official": the body named with them
            role = actor.text.lower()
            guessed = True
        else:
            guessed = False
        if not role:
            return None
        if not any(w in role for w in ("spokes", "press secretary")) and not guessed:
            leader = leader_body(written, self.mentions)
            if isinstance(leader, str):
                return Actor(leader, actor.start, actor.end, leader, "ORG", None)
            if leader is not None:
                return Actor(leader.text, actor.start, actor.end, leader.name, leader.label, leader.start)
            return None
        words = role
        for w in sorted(self.lex.spokes, key=len, reverse=True):
            words = words.replace(w, " ")
        words = " ".join(w for w in words.replace("'s", " ").replace("’s", " ").split()
                         if w not in ("the", "a", "an", "chief", "deputy", "senior", "top", "press", "official"))
        if not words:
            return None
        folded = words.casefold()
        if folded.split()[-1] in STATE_ORGANS:
            state = self._seat_of(actor)
            if state is not None:   # "foreign ministry spokesman Lu Kang told reporters in Beijing": China
                return state
        m = next((m for m in self.mentions if m.label in ("ORG", "GPE", "NORP") and m.text.casefold().endswith(folded)
                  or m.name.casefold() == folded), None)
        if m is not None:
            return Actor(m.text, actor.start, actor.end, m.name, m.label, m.start)
        if guessed:
            if words.split()[-1] not in BODY_NOUNS:
                return None
            # "a senior Trump administration official": the body as the text writes it
            written = {w.casefold(): w for w in actor.text.split()}
            name = " ".join(written.get(w, w) for w in words.split())
            return Actor(name, actor.start, actor.end, name, "ORG", None)
        name = " ".join(w.capitalize() if w.islower() else w for w in words.split())
        return Actor(name, actor.start, actor.end, name, "ORG", None)

    def _principal(self, actor: Actor) -> Actor | None:
        """ "his press secretary, Alyssa Farah", "Peskov, her spokesman": the person a spokesperson's possessive
        points to, whose position the spokesperson states (``None`` for any other actor)."""
        if actor.label not in ("PERSON", None) or actor.mention is None:
            return None
        span = self.doc.char_span(actor.mention, actor.mention + 1, alignment_mode="expand")
        if span is None or not len(span):
            return None
        name = span[0]
        while name.dep_ in ("compound", "flat") and name.head.i > name.i:
            name = name.head
        titles = [name.head] if name.dep_ == "appos" else []
        titles += [c for c in name.children if c.dep_ == "appos"]
        for title in titles:
            words = title.lower_ + " " + " ".join(c.lower_ for c in title.children if c.dep_ == "compound")
            owner = next((c for c in title.children if c.dep_ == "poss" and c.lower_ in ("his", "her")), None)
            if owner is None or not any(w in words for w in PERSONAL_STAFF):
                continue
            boss = self._pronoun(owner, None)
            if boss is not None and boss.label == "PERSON" and boss.name != actor.name:
                return Actor(boss.name, actor.start, actor.end, boss.name, "PERSON", boss.mention, boss.role)
        return None

    def _state_of_official(self, person: Actor) -> Actor | None:
        """ "Kim Kye Gwan, North Korea's first vice-minister of Foreign Affairs", "Iranian Foreign Minister X":
        the country a state's official is written with, which their "we" speaks for (``None`` when no title
        with a country is written with any mention of them)."""
        if person.label not in ("PERSON", None):
            return None
        from ..polevents.lexicon import load_lexicon as load_countries

        countries = load_countries()
        for m in self.mentions:
            if m.name != person.name or m.label != "PERSON":
                continue
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            name = span.root
            titles = [name] + ([name.head] if name.dep_ == "appos" else [])
            titles += [c for c in name.children if c.dep_ == "appos"]
            words = [x for title in titles for t in title.lefts if t.dep_ in ("compound", "amod", "poss", "nmod")
                     for x in t.subtree]
            words += [t for title in titles[1:] for t in (title, *title.children) if t.dep_ != "appos"]
            if not any(STATE_TITLE.search(t.text) for t in words + titles[1:]):
                continue
            for t in words:
                if t.ent_type_ in ("GPE", "NORP"):
                    folded = " ".join(x.lower_ for x in t.subtree if not x.is_punct and x.dep_ != "case")
                    code = countries.countries.get(folded.replace("’s", "").removesuffix(" 's").strip())
                    state = country_name(code) if code else None
                    if state:
                        return Actor(state, person.start, person.end, state, "GPE", None)
        return None

    def _seat_of(self, actor: Actor) -> Actor | None:
        """The country whose capital the sentence of ``actor`` names, which a ministry written without its country
        belongs to ("the foreign ministry's spokesman told reporters in Beijing"); ``None`` when it names no
        capital or two."""
        from ..polevents.lexicon import load_lexicon as load_countries

        sent = self.doc.char_span(actor.start, actor.end, alignment_mode="expand")
        if sent is None or not len(sent):
            return None
        sent = sent[0].sent
        capitals = load_countries().capitals
        seats = {capitals[ascii_fold(m.text)] for m in self.mentions
                 if sent.start_char <= m.start < sent.end_char and m.label == "GPE" and ascii_fold(m.text) in capitals}
        name = country_name(next(iter(seats))) if len(seats) == 1 else None
        return Actor(name, actor.start, actor.end, name, "GPE", None) if name else None

    def _appositive(self, actor: Actor) -> tuple[str, Mention] | None:
        """The title and organisation of an appositive written with any mention of this person."""
        if actor.label not in ("PERSON", None):
            return None
        for m in self.mentions:
            if m.name == actor.name and (m.label == "PERSON" or actor.label is None and m.label != "ORG"):
                found = appositive_body(self.doc, m, self.mentions)
                if found is not None:
                    return found
        return None
