"""Political actors inside one article: the phrase that stands as an event's source or target, resolved to
a name, a country and a sector.

1. a named mention (``nlp.entities``): an institution or a capital used as actor speaks for its country's
   government ("the Kremlin", "Kiev said"); a country is its government; a person takes the country and
   sector of the title reported with them ("Kremlin spokesperson" -> RUS government, "Ukrainian
   President" -> UKR government); an organisation's name may say both ("Romanian Ministry of Transport");
2. a generic actor ("Ukrainian officials", "Russia's army", "the union", "police"): the sector from its
   head noun, the country from a modifier ("Ukrainian", "Russia's", "of Romania", "US");
3. a pronoun (he/she, it/they): the last person, or the last other actor, named before it;
4. a phrase that is no actor but names one ("Ukraine's energy system") stands for that one;
5. with no country given, a generic actor, an organisation or a person with a government title is of the
   article's home country (the one its places and institutions name most, the first named on a tie); the
   store prefers a person's titles in other articles to this guess.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from ..nlp.names import Aliases, ascii_fold
from ..records import Mention
from .lexicon import Lexicon

#: Titles of military and armed-group leaders (the others in a person's role are government titles).
_MILITARY_TITLES = frozenset("general commander colonel admiral marshal major captain lieutenant sergeant "
                             "brigadier chief-of-staff troops army military".split())
_OTHER_SECTOR_WORDS = {"rebel": "rebel", "militant": "rebel", "insurgent": "rebel", "guerrilla": "rebel",
                       "union": "civilian", "activist": "civilian", "protest": "civilian", "worker": "civilian",
                       "editor": "media", "journalist": "media", "correspondent": "media", "reporter": "media"}
_GOVERNMENT_TITLES = frozenset("""president vice-president president-elect premier minister secretary spokesperson
spokesman spokeswoman chancellor senator governor mayor ambassador envoy commissioner leader official adviser
advisor aide king queen prime prosecutor judge lawmaker deputy representative negotiator diplomat head
chairman chairwoman""".split())
_PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
_PRONOUNS_GROUP = frozenset({"it", "they", "them"})
#: What a dateline ("CONSTANȚA, Oct 14 -") weighs in the article's home country: it says where the story is.
DATELINE_VOTES = 3
#: Heads that count members of an actor ("dozens of protesters", "thousands of workers").
_QUANTITIES = frozenset({"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "score", "scores",
                         "number", "group", "crowd", "unit", "units", "members"})
#: What a generic actor's name keeps of its phrase: "Ukrainian officials", "Kovalenko's office" (no
#: counts or determiners).
_NAME_DEPS = frozenset({"amod", "compound", "poss", "nmod"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "npadvmod"})


def country_of_words(text: str, lex: Lexicon, aliases: Aliases) -> str | None:
    """The country a name or title speaks of: a country, demonym, capital or institution in it."""
    folded = ascii_fold(text)
    whole = (lex.countries.get(folded) or (lex.organisations.get(folded) or (None, None))[1]
             or lex.capitals.get(folded))
    if whole:
        return whole
    inst = aliases.institutions.get(folded)
    if inst:
        return inst[1]
    words = folded.split()
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            part = " ".join(words[i:i + size])
            code = (lex.countries.get(part) or (lex.organisations.get(part) or (None, None))[1]
                    or (lex.country_names_folded.get(part[:-1]) if size == 1 and part.endswith("s") else None)
                    or (aliases.institutions.get(part) or (None, None))[1])
            if code:
                return code
    return None


def sector_of_words(text: str, lex: Lexicon, aliases: Aliases, default: str | None) -> str | None:
    """The sector a name or title speaks of: military and armed-group words first, then the head noun."""
    words = [w.rstrip("s") if w.endswith("s") and w not in ("forces", "news") else w
             for w in ascii_fold(text).replace("-", " ").split()]
    joined = ascii_fold(text)
    if joined in lex.organisations:
        return lex.organisations[joined][2]
    if aliases.institutions.get(joined, ("", "", ""))[2] == "international":
        return "international"
    for w in words:
        if w in _MILITARY_TITLES or lex.actor_heads.get(w) == "military" or w == "force":
            return "military"
        if w in _OTHER_SECTOR_WORDS:
            return _OTHER_SECTOR_WORDS[w]
    for w in reversed(words):
        sector = lex.actor_heads.get(w) or lex.actor_heads.get(w + "s")
        if sector:
            return sector
    return "government" if any(w in _GOVERNMENT_TITLES for w in words) else default


@dataclass(frozen=True)
class ActorRef:
    """An actor found in the text: the phrase (``text`` at ``start``), its name, country and sector, and the
    start of the named mention it is (``None`` for a generic actor)."""

    text: str
    start: int
    name: str
    country: str | None
    sector: str | None
    mention: int | None = None
    person: bool = False


class ActorFinder:
    """Resolves noun phrases of one parsed article to actors (see the module docstring)."""

    def __init__(self, doc: Doc, mentions: Sequence[Mention], lexicon: Lexicon, aliases: Aliases) -> None:
        self.doc, self.lex, self.aliases = doc, lexicon, aliases
        self.text = doc.text   # spaCy joins every token again on each ``doc.text``: read it once
        self.by_token: dict[int, Mention] = {}
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for t in span:
                    self.by_token.setdefault(t.i, m)
        #: the tokens each mention holds (by ``id``): looked up, not gathered from ``by_token`` per name (that was
        #: quadratic in an article's mentions: 12 s of CPU for fuzz input 1756's thousands of names)
        self.tokens_of: dict[int, set[int]] = defaultdict(set)
        for i, m in self.by_token.items():
            self.tokens_of[id(m)].add(i)
        self.text_start = len(self.text) - len(self.text.lstrip())
        self.home = self._home_country(mentions)
        #: a person's title anywhere in the article, for the mentions that give none ("Vasilescu said")
        self.titles: dict[str, str] = {}
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand") if m.label == "PERSON" else None
            title = (m.role or self._title_words(span.root, m)) if span is not None else ""
            if title and (m.key not in self.titles or country_of_words(title, lexicon, aliases)):
                self.titles[m.key] = title
        self.last_person: ActorRef | None = None
        self.last_group: ActorRef | None = None

    # -- countries and sectors -----------------------------------------------------------------------------

    def _home_country(self, mentions: Sequence[Mention]) -> str | None:
        """The country the article's places and institutions name most (a dateline counts more; adjectives
        such as "Ukrainian grain" are left out); a tie goes to the one named first."""
        named = [(c, m.start) for m in mentions if m.label in ("GPE", "ORG", "LOC", "FAC")
                 and (c := self.lex.cities.get(ascii_fold(m.name)) or self.country_of_words(m.name))]
        if not named:
            return None
        votes = Counter(c for c, _ in named)
        for c, start in named[:1]:
            if start <= self.text_start + 1:
                votes[c] += DATELINE_VOTES
        first = [c for c, _ in named]
        return max(votes, key=lambda c: (votes[c], -first.index(c)))

    def country_of_words(self, text: str) -> str | None:
        return country_of_words(text, self.lex, self.aliases)

    def sector_of_words(self, text: str, default: str | None) -> str | None:
        return sector_of_words(text, self.lex, self.aliases, default)

    # -- actors --------------------------------------------------------------------------------------------

    def actor(self, tok: Token) -> ActorRef | None:
        """The actor the phrase headed by ``tok`` stands for, or ``None``."""
        return self._actor(tok)

    def remember(self, tok: Token) -> None:
        """A subject named in the text: what later pronouns ("he", "it", "they") refer to."""
        if tok.pos_ == "PRON":
            return
        found = self._actor(tok)
        if found is not None:
            if found.person:
                self.last_person = found
            else:
                self.last_group = found

    def place(self, tok: Token) -> ActorRef | None:
        """The people of a place named at ``tok`` (a country, a capital, a known city), or ``None``."""
        m = self.by_token.get(tok.i)
        if m is None or m.label not in ("GPE", "LOC", "FAC") or self._dateline(m):
            return None
        name = re.sub(r"(?:'s|’s)$", "", m.name)
        folded = ascii_fold(name)
        country = (self.lex.country_names_folded.get(folded) or self.lex.cities.get(folded) or m.country
                   or self.country_of_words(name))
        if country is None:
            return None
        sector = "government" if folded in self.lex.country_names_folded else "civilian"
        return ActorRef(m.text, m.start, name, country, sector, m.start)

    def is_place(self, tok: Token) -> bool:
        """Whether ``tok`` names a city or capital (a place that acts only as a metonym: "Moscow said")."""
        m = self.by_token.get(tok.i)
        if m is None or m.label not in ("GPE", "LOC", "FAC"):
            return False
        return ascii_fold(re.sub(r"(?:'s|’s)$", "", m.name)) not in self.lex.country_names_folded

    def actor_modifier(self, tok: Token) -> ActorRef | None:
        """An actor named by a modifier ("Romanian" in "Hungarian and Romanian officials")."""
        return self._actor_no_memory(tok)

    def _actor(self, tok: Token) -> ActorRef | None:
        lower = tok.lower_
        if tok.pos_ == "PRON":
            if lower in _PRONOUNS_PERSON:
                return self.last_person
            return self.last_group if lower in _PRONOUNS_GROUP else None
        mention = self.by_token.get(tok.i)
        if mention is not None:
            return self._from_mention(tok, mention)
        head_sector = self.lex.actor_heads.get(lower) or self.lex.actor_heads.get(tok.lemma_.lower())
        if head_sector:
            return self._generic(tok, head_sector)
        return self._named_inside(tok)

    def _from_mention(self, tok: Token, m: Mention) -> ActorRef | None:
        if self._dateline(m):
            return None
        name = re.sub(r"(?:'s|’s)$", "", m.name)
        folded = ascii_fold(name)
        country = self.lex.country_names_folded.get(folded) or self.lex.capitals.get(folded)
        if country and not m.country and m.label != "NORP":   # a country or capital, whatever the tagger said
            return ActorRef(m.text, m.start, name, country, "government", m.start)
        org = self.lex.organisations.get(folded) or self.lex.organisations.get(ascii_fold(m.text))
        if org and (m.label != "PERSON" or folded not in self.lex.leaders):   # the tagger may call a group a person
            return ActorRef(m.text, m.start, org[0], org[1], org[2], m.start)
        if m.label == "PERSON":
            title = " ".join([m.role or self.titles.get(m.key, ""), self._title_words(tok, m)]).strip()
            country = self.country_of_words(title) if title else None
            sector = self.sector_of_words(title, None) if title else None
            folded_name = ascii_fold(name)   # a full name, or a surname alone ("Putin said")
            known = self.lex.leaders.get(folded_name) if " " in folded_name or folded_name in self.lex.leaders else None
            if country is None and known:   # "Putin", "President Bouteflika": a leader of a known country
                country = known
                sector = sector or ("rebel" if known == "IMG" else "international" if len(known) != 3
                                    else "government")
            if country is None and sector == "government":   # "Transport Minister Elena Vasilescu"
                country = self.home
            return ActorRef(m.text, m.start, name, country, sector, m.start, person=True)
        if folded in self.aliases.institutions:
            inst_name, country, sector = self.aliases.institutions[folded]
            return ActorRef(m.text, m.start, inst_name, country, sector, m.start)
        if m.country:   # a capital or seat of government acting for its country
            return ActorRef(m.text, m.start, name, m.country, "government", m.start)
        if m.label in ("GPE", "LOC"):
            country = self.lex.countries.get(folded) or self.lex.capitals.get(folded)
            return ActorRef(m.text, m.start, name, country, "government", m.start) if country else None
        if m.label == "NORP":
            country = self.lex.countries.get(folded)
            sector = "government" if folded in self.lex.country_names_folded else "civilian"
            return ActorRef(m.text, m.start, name, country, sector, m.start) if country else None
        if m.label == "ORG":
            country = self.country_of_words(name) or self.home
            return ActorRef(m.text, m.start, name, country, self.sector_of_words(name, "civilian"), m.start)
        return None

    def _dateline(self, m: Mention) -> bool:
        """"BUCHAREST, Oct 23 -" opening the text or a paragraph: a place the parser may make a subject."""
        after = self.text[m.end:m.end + 2].lstrip()[:1]
        opens = m.start <= self.text_start or self.text[m.start - 1] == "\n"
        shouted = m.text.isupper() and len(m.text) > 3
        return m.label != "PERSON" and (opens or shouted) and after in (",", "(", "-", "—", "–")

    def _title_words(self, tok: Token, m: Mention) -> str:
        """Words around a person's name that may say whom they act for: "US President-elect Thomas Brandt",
        "the US president-elect, Thomas Brandt", "Brandt, the US president-elect"."""
        own = self.tokens_of.get(id(m), set())
        words = [t.text for t in tok.subtree if t.i not in own and t.idx < m.start and t.dep_ != "det"]
        if tok.dep_ == "appos":
            words += [t.text for t in tok.head.subtree if t.i < tok.i and t.i not in own]
        words += [t.text for c in tok.children if c.dep_ == "appos" for t in c.subtree]
        return " ".join(words[-12:])

    def _generic(self, tok: Token, sector: str) -> ActorRef:
        """A generic actor: its country from a modifier, a named owner ("Kovalenko's office"), or the home."""
        country = owner = None
        for child in tok.children:
            if child.dep_ in _MODIFIER_DEPS or (child.dep_ == "prep" and child.lower_ in ("of", "in")):
                target = next((g for g in child.children if g.dep_ == "pobj"), None) if child.dep_ == "prep" else child
                if target is None:
                    continue
                inner = self._actor_no_memory(target)
                if inner is not None:
                    owner = owner or inner
                    country = country or inner.country
                else:
                    country = country or self.country_of_words(target.text)
        if sector == "government" and owner is not None and owner.sector in ("military", "international"):
            sector = owner.sector
        words = [t for t in tok.subtree if t.i <= tok.i and (t.i == tok.i or (t.dep_ in _NAME_DEPS and t.head == tok)
                                                            or (t.dep_ == "case" and t.head.head == tok))]
        start = words[0].idx if words else tok.idx
        text = self.text[start: tok.idx + len(tok.text)]
        return ActorRef(text, start, text, country or self.home, sector, None)

    def _actor_no_memory(self, tok: Token) -> ActorRef | None:
        mention = self.by_token.get(tok.i)
        if mention is not None:
            return self._from_mention(tok, mention)
        if tok.lower_ in ("his", "her") and self.last_person is not None:
            return self.last_person
        if tok.lower_ in ("its", "their") and self.last_group is not None:
            return self.last_group
        code = self.lex.countries.get(ascii_fold(tok.text))
        if code:
            return ActorRef(tok.text, tok.idx, self.lex.country_names.get(code, code), code, "government", None)
        return None

    def _named_inside(self, tok: Token) -> ActorRef | None:
        """A phrase that is no actor but names one: "Ukraine's energy system", "Russian missiles",
        "dozens of protesters", "rebel positions"."""
        if tok.pos_ == "NOUN":   # "a camp for Congolese refugees", "the homes of Palestinians"
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("for", "of")):
                obj = next((g for g in prep.children if g.dep_ == "pobj"), None)
                inner = self._actor(obj) if obj is not None and obj.pos_ != "PRON" else None
                if inner is not None:
                    return inner
        if tok.like_num or tok.lemma_.lower() in _QUANTITIES:
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
                obj = next((g for g in prep.children if g.dep_ == "pobj"), None)
                if obj is not None:
                    return self._actor(obj)
        for child in tok.children:
            if child.dep_ in ("poss", "compound", "amod") and child.lower_ in self.lex.actor_heads:
                return self._generic(child, self.lex.actor_heads[child.lower_])
            if child.dep_ in ("poss", "compound", "amod"):
                inner = self._actor_no_memory(child)
                if inner is not None and inner.country:
                    if child.dep_ == "amod" and not inner.person:
                        sector = self.lex.actor_heads.get(tok.lower_) or "government"
                        return replace(inner, sector=sector)
                    return inner
        return None
