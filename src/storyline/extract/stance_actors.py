"""Who holds a stance: the actor a parse token names, resolved inside the article (names to their
fullest form, titles and pronouns to whom they point, a spokesperson to the body they speak for).

``ActorResolver`` is the half of the stance finder (``extract.stances``) that resolves actors; it reads
the finder's article state (``doc``, its ``text``, ``index``, ``lex``, ``mentions``) and its parse helpers.
The bodies and states actors speak for are ``stance_bodies.BodyResolver``'s."""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Token

from ..nlp.entities import titled_abroad
from ..records import Mention, Quote
from .stance_bodies import Actor, BodyResolver
from .stance_holders import office_holder
from .stance_lexicon import (BODIES, DOCUMENTS, FIRST_PERSON, NAME_DEPS, NEEDS_MODIFIER, PERSON_ROLES, POSSESSIVE,
                             SUBJECTS, THIRD_PERSON, TITLE_REACH, TITLES, country_name)


#: Characters back a "he"/"she" looks for the last person who was a clause's subject.
SALIENT_REACH = 600
#: What a person heads or runs, named by "his" or "her": "his office", "her government" are that person's voice.
OWN_OFFICES = frozenset({"office", "administration", "government"})
#: A party's adjective or member noun written alone as a holder, and the group it names.
PARTY_ADJECTIVES = {"republican": "Republicans", "democratic": "Democrats", "democrat": "Democrats"}
#: A party member's noun: "the Ohio Republican said" names the politician of the last sentences again.
PARTY_MEMBERS = frozenset({"republican", "democrat"})
#: Verbs of plain saying: their "he" is the speaker the quote finder attributed.
SAYING = frozenset({"say", "tell", "add", "write", "note", "explain", "continue", "tweet"})
#: Offices and trades a definite description ("the former chief prosecutor") names the person just written about
#: by: not a spokesperson, an official or an aide (most often someone unnamed), a kin word (someone else's) or a
#: title, which names the one so titled (``_titled``: "the president" after his spokeswoman is not she).
DESCRIBED_ROLES = PERSON_ROLES - set(TITLES) - frozenset("""spokesman spokeswoman spokesperson official aide adviser
advisor man woman father mother son daughter husband wife brother sister""".split())
#: Determiners of a phrase that names nobody the article identifies ("a governor", "another group", "one aide").
INDEFINITE = frozenset({"a", "an", "another", "one"})


class ActorResolver(BodyResolver):
    """Actor resolution for the stance finder (a mixin: the finder supplies ``doc``, ``index``, ``lex``,
    ``mentions``, ``mention_starts``, ``_subject`` and ``_reporter_verb``; ``published``, the article's day when
    known, dates the office holders a bare title points to)."""

    published: str | None = None

    def _actor(self, tok: Token, quote: Quote | None) -> Actor | None:
        """The actor named by ``tok``: a mention's resolved name, a pronoun's antecedent, "we" in a quote its
        speaker, a title's holder, or a group phrase ("House Republicans"); ``None`` for vague words and
        for phrases that name no actor ("the deal", "a new poll")."""
        low = tok.lower_
        if tok.tag_ in ("WP", "WDT") and tok.head.dep_ == "relcl" and tok.head.head is not tok.head:
            return self._actor(tok.head.head, quote)   # "Scott, who was an opponent of the bill": Scott
        if low in FIRST_PERSON:
            if quote is None or not quote.speaker_text:
                return None
            speaker = self._speaker(quote)
            if low in ("we", "us", "our"):
                return self._organisation_of(speaker) or self._state_of_official(speaker) or speaker
            return speaker
        m = self._mention_of(tok)
        named = self._named_appositive(tok) or self._titled_conjunct(tok) if m is None else None
        if named is not None:   # "One member of the team, Sen. John Thune, announced": the one named
            return self._actor(named, quote)
        if m is not None and m.label in ("PERSON", "ORG", "GPE", "NORP"):
            name = m.name
            if m.label == "NORP":
                name = self._group_name(tok, m)
                if name.casefold() in self.lex.vague:
                    return None   # "Americans support it": a poll's finding, nobody's stance
            elif m.label == "ORG" and m.country and m.key.startswith("gov:"):
                name = country_name(m.country) or name   # "Moscow said", "Kyiv rejected": the country
            elif m.label == "ORG":
                organ = self._organ_of(tok)
                if organ is not None:   # "Finland's Foreign Ministry said": Finland, the country's entity
                    return Actor(m.text, m.start, m.end, organ, "GPE", self._country_mention(tok), m.role)
                members = self.lex.nicknames.get(name.casefold(), "") or PARTY_ADJECTIVES.get(name.casefold(), "")
                name = members if members.endswith("s") else name   # "GOPers who oppose it": Republicans
            return Actor(m.text, m.start, m.end, name, m.label, m.start, m.role)
        lemma = tok.lemma_.lower()
        if lemma in BODIES:
            body = self._last_body(tok)
            if body is not None:
                return body
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            member = next((p for p in of.children if p.dep_ == "pobj"), None) if of is not None else None
            if member is not None and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children):
                return self._actor(member, quote)   # "a group of Iranian protesters": the protesters
        if lemma in self.lex.quantities or low in self.lex.quantities:
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            member = next((p for p in of.children if p.dep_ == "pobj"), None) if of is not None else None
            if member is not None:
                return self._actor(member, quote)
            if lemma not in self.lex.groups and low not in self.lex.groups:
                return None   # "most say", "a majority opposes": nobody named; "conservative groups" are a group
        if tok.pos_ == "PRON":
            if low == "it" and quote is None:
                return self._reported_it(tok)
            if low == "its" and tok.dep_ == "poss":   # "Romania signaled its willingness": the body's own
                bound = self._binder(tok)
                return Actor(tok.text, tok.idx, tok.idx + len(tok), bound.name, bound.label, bound.start,
                             bound.role) if bound is not None else None
            if POSSESSIVE.get(low, low) not in THIRD_PERSON:
                return None
            return self._pronoun(tok, quote)
        if tok.pos_ not in ("NOUN", "PROPN") or low in self.lex.vague or lemma in self.lex.vague:
            return None
        if lemma in DOCUMENTS:
            # "a White House statement said", "an Iranian military statement": the body that issued it
            inner = next((x for x in (self._mention_of(c) for c in tok.lefts if c.dep_ in NAME_DEPS)
                          if x is not None and x.label in ("ORG", "GPE", "PERSON")), None)
            return self._actor(self.doc.char_span(inner.start, inner.end, alignment_mode="expand")[-1], quote) \
                if inner is not None else None
        start, end = self.index.mention(tok)
        name = self.index.resolve(tok, (start, end)) or self.text[start:end]
        name = name.removeprefix("the ").removeprefix("The ")
        m = self._mention_named(name, tok.idx)
        if m is not None and m.label == "PERSON":
            return Actor(self.text[start:end], start, end, m.name, "PERSON", m.start, m.role)
        person = self._titled(tok, lemma) if lemma in TITLES else None
        if person is None and lemma in DESCRIBED_ROLES:
            person = self._described(tok)
        if person is not None:
            return Actor(self.text[start:end], start, end, person.name, "PERSON", person.start, person.role)
        if lemma in NEEDS_MODIFIER and not any(c.dep_ in ("compound", "amod", "poss") or c.dep_ == "prep"
                                                and c.lower_ == "of" for c in tok.children):
            return None   # "critics say": nobody in particular; "DACA supporters", "opponents of the bill"
        if lemma in NEEDS_MODIFIER:
            lemma = "groups"   # a modified one is a group like any other
        if lemma in self.lex.things:
            return None   # "Missouri law does not allow it", "the Singapore summit will not take place": no actor
        inner = [self._mention_of(c) for c in tok.lefts if c.dep_ in NAME_DEPS]
        if not (lemma in self.lex.groups or low in self.lex.groups or any(
                x is not None and x.label in ("ORG", "GPE", "NORP") for x in inner)) or len(name) < 2:
            return None
        if all(x is None for x in inner) and any(c.dep_ in ("det", "nummod") and c.lower_ in INDEFINITE
                                                 for c in tok.children):
            return None   # "why a governor would refuse", "another group said": nobody the article identifies
        if lemma in OWN_OFFICES:
            owner = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ in ("his", "her")), None)
            person = self._pronoun(owner, quote) if owner is not None else None
            if person is not None and person.label == "PERSON":
                # "Slatery said his office will not join the suit", "Trudeau said his government sought an inquiry"
                return Actor(self.text[start:end], start, end, person.name, "PERSON", person.mention, person.role)
        state = self._state_of(tok, lemma)
        if state is not None:   # "the North Korean government", "Kim's regime": the country
            return Actor(self.text[start:end], start, end, state, "GPE", None)
        owner = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ in ("its", "their")), None)
        if owner is not None and name.casefold().startswith(owner.lower_ + " "):
            # "its allies": the allies of the body or country "its" points to
            body = self._pronoun(owner, quote)
            subject = self._subject(tok.sent.root)
            if (body is None or body.label is None) and subject is not None and subject.i < owner.i:
                body = self._actor(subject, quote)   # "Saudi Arabia has faced backlash from its allies"
            if body is not None and body.label in ("ORG", "GPE", "NORP"):
                name = f"{body.name}'s {name[len(owner.text) + 1:]}"
        return Actor(self.text[start:end], start, end, self._tidy_group(name), None, None)

    def _party_word(self, word: str) -> bool:
        """ "Republican", "GOP": a party's adjective or nickname (``PARTY_ADJECTIVES``, ``lex.nicknames``)."""
        return word in PARTY_ADJECTIVES or word in self.lex.nicknames

    def _tidy_group(self, name: str) -> str:
        """A group's name without the words that narrow nothing ("several GOP governors": "Republican governors";
        "the very same senators": "senators"), a party's nickname as its name."""
        words = name.split()
        while len(words) > 1 and words[0].casefold() in self.lex.qualifiers:
            words.pop(0)
        out = []
        for w in words:
            stem = w[:-2] if w[-2:] in ("'s", "’s") else w
            party = self.lex.nicknames.get(stem.casefold())
            out.append(party if party is not None else w)   # "the GOP's base": the Republican base
        if len(out) == 1:
            return PARTY_ADJECTIVES.get(out[0].casefold(), out[0])
        return " ".join(out)

    def _unnamed(self, actor: Actor) -> bool:
        """An actor phrase that names nobody the article identifies: no mention, an indefinite determiner first and
        no name in it ("a poster said", "one protester's sign read", "another officer said")."""
        if actor.label is not None or actor.mention is not None:
            return False
        span = self.doc.char_span(actor.start, actor.end, alignment_mode="expand")
        return span is not None and len(span) > 0 and span[0].lower_ in INDEFINITE and not any(
            t.pos_ == "PROPN" or t.ent_type_ for t in span)

    def _named_appositive(self, tok: Token) -> Token | None:
        """The name in apposition to a noun that names nobody itself ("One member of the leadership team, Sen.
        John Thune", "one of them, Sen. Lindsey Graham", "its main ally, China")."""
        if tok.tag_ in ("NNS", "NNPS"):
            return None   # "three senators -- A, B and C --": each member holds it (``_named_members``)
        for c in tok.children:
            # (the parse may hang a name set off by commas as a modifier: "another liberal group, Credo, said")
            if (c.dep_ == "appos" or c.dep_ == "npadvmod" and c.pos_ == "PROPN" and c.i == tok.i + 2
                    and tok.nbor(1).text == ",") and c.i > tok.i and not c.conjuncts:
                m = self._mention_of(c)
                if m is not None and m.label in ("PERSON", "ORG", "GPE"):
                    return c   # also a country: "North Korea's main ally, China, urged"
        return None

    def _titled_conjunct(self, tok: Token) -> Token | None:
        """ "Former Republican presidential candidate and Florida Gov. Jeb Bush said": two titles of one person,
        the first without an article, then the name."""
        if tok.pos_ != "NOUN" or tok.tag_ == "NNS" or any(c.dep_ in ("det", "poss") for c in tok.children):
            return None
        conj = next((c for c in tok.children if c.dep_ == "conj"), None)
        m = self._mention_of(conj) if conj is not None else None
        return conj if m is not None and m.label == "PERSON" and not conj.conjuncts[1:] else None

    def _titled(self, tok: Token, lemma: str) -> Mention | None:
        """ "the former governor", "the president": the person last named with that title in the article
        ("Former Massachusetts Gov. Mitt Romney", "President Donald Trump"); ``None`` for a title narrowed
        to another body or country ("the Iranian president", "Russia's foreign minister")."""
        country = next((c for c in tok.children if c.dep_ in ("poss", "amod", "compound")
                        and c.ent_type_ in ("GPE", "NORP")), None)
        if country is not None and not any(c.dep_ == "poss" and c is not country for c in tok.children):
            # "Iran's foreign minister", "the Iranian president": the one named with that title and country, else
            # the one the article names who held the office so titled ("the American president": President Trump)
            return self._person_titled(lemma, tok.idx, country.text[:4].casefold()) or office_holder(
                f"{country.text} {lemma}", tok.idx, self.mentions, self.published)
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children) or any(
                c.dep_ == "poss" or c.ent_type_ in ("GPE", "NORP", "ORG") and not self._party_word(c.lower_)
                for c in tok.children):
            return None   # (a party's word narrows nothing: "the GOP presidential candidate" is the one so named)
        words = [c.lower_ for c in tok.lefts if c.dep_ in ("compound", "amod")]
        person = self._person_titled(lemma, tok.idx)
        if person is not None or "former" in words:   # a former holder is not in the table of the day
            return person
        return office_holder(" ".join([*words, lemma]), tok.idx, self.mentions, self.published)

    def _person_titled(self, title: str, at: int, country: str | None = None) -> Mention | None:
        """The person last named with ``title`` (or its abbreviation) before character ``at`` (with ``country``,
        the start of a country's name or adjective, named with it: "Iranian Foreign Minister X")."""
        words = (title, *TITLES[title])
        k = bisect_right(self.mention_starts, at)
        foreign = None
        for m in reversed(self.mentions[:k]):
            if at - m.start > TITLE_REACH:
                break
            if m.label != "PERSON":
                continue
            said = ((m.role or "") + " " + " ".join(self.text[max(0, m.start - 30):m.start].split()[-3:])).casefold()
            # "then-Gov. Mitt Romney", "ex-Sen. X": the title after its prefix
            if any(w in said.replace(",", " ").replace("-", " ").split() for w in words) \
                    and (country is None or country in said):
                if country is None and titled_abroad(w for w in (m.role or "").casefold().split() if w not in words):
                    # "the president" after "President Donald Trump" and "Turkish President Recep Tayyip Erdogan":
                    # a title bare in the article is its own country's; another's is written with the country
                    foreign = foreign or m
                    continue
                return m
        return foreign

    def _speaker(self, quote: Quote) -> Actor:
        start = quote.speaker_start if quote.speaker_start is not None else quote.start
        end = quote.speaker_end if quote.speaker_end is not None else quote.start
        m = self._mention_at(start, end) if quote.speaker_start is not None else None
        if isinstance(m, Mention) and m.label in ("GPE", "NORP"):
            # "Sen. Ted Cruz (R-Texas) said": the state is where he is from; the person just before speaks
            k = bisect_right(self.mention_starts, m.start) - 1
            person = next((p for p in reversed(self.mentions[max(0, k - 3):k])
                           if p.label == "PERSON" and 0 <= m.start - p.end <= 40), None)
            if person is not None:
                return Actor(person.text, person.start, person.end, person.name, "PERSON", person.start, person.role)
        said = self.doc.char_span(start, end, alignment_mode="expand") if end > start else None
        if said is not None and len(said) and said.root.dep_ == "appos":
            # "Sen. Lindsey Graham, a South Carolina Republican, said": the person the appositive describes
            person = self._mention_of(said.root.head)
            if person is not None and person.label == "PERSON":
                return Actor(person.text, person.start, person.end, person.name, "PERSON", person.start,
                             self._role_of(person.start, person.end))
        phrase = self._speaker_phrase(start, end)
        k = bisect_right(self.mention_starts, phrase[1])
        person = next((p for p in reversed(self.mentions[max(0, k - 8):k]) if p.label == "PERSON"
                       and phrase[0] <= p.start and p.end <= phrase[1]), None) \
            if isinstance(m, Mention) or phrase != (start, end) else None
        if person is not None and person is not m:
            # "Arizona Republican Sen. John McCain said": the person the speaker's words name, not the state
            return Actor(person.text, person.start, person.end, person.name, "PERSON", person.start,
                         self._role_of(person.start, person.end))
        words = self.text[start:end].casefold().split()
        said = self.doc.char_span(start, end, alignment_mode="expand") if end > start else None
        if said is not None and len(said) and said.root.dep_ == "poss":
            # "X called Trump's decision 'a grave mistake'": the speaker is X, not the one whose decision it is
            k = bisect_right(self.mention_starts, start) - 1
            before = [p for p in self.mentions[:max(0, k)] if p.label == "PERSON"
                      and p.start >= said.root.sent.start_char and p.name != quote.speaker_text]
            person = next((p for p in reversed(before) if p.actor), before[-1] if before else None)
            if person is not None:
                return Actor(person.text, person.start, person.end, person.name, "PERSON", person.start,
                             self._role_of(person.start, person.end))
        if words == ["it"]:   # "X later summoned the ambassador, it said": the body last acting before it
            k = bisect_right(self.mention_starts, start)
            body = next((b for b in reversed(self.mentions[:k]) if b.label in ("ORG", "GPE") and b.actor
                         and start - b.start <= SALIENT_REACH), None)
            if body is not None:
                return Actor(self.text[start:end], start, end, body.name, body.label, body.start)
        head = self.doc.char_span(start, end, alignment_mode="expand") if m is None and end > start else None
        if head is not None and len(head) and head.root.lemma_.lower() in BODIES and any(
                c.dep_ == "prep" and c.lower_ == "of" for c in head.root.children):
            group = self._actor(head.root, None)   # "..., a group of Iranian protesters shouted": the protesters
            if group is not None:
                return group
        root = said.root if said is not None and len(said) else None
        if root is not None and root.lower_ in PARTY_MEMBERS and len(list(root.subtree)) <= 5 and any(
                c.dep_ == "det" and c.lower_ == "the" for c in root.children) \
                and not (isinstance(m, Mention) and m.label == "PERSON"):
            # "..., the South Carolina Republican told reporters": a politician named again by state and party is
            # the person last named as the subject of a clause before it
            k = bisect_right(self.mention_starts, start)
            person = next((p for p in reversed(self.mentions[:k]) if p.label == "PERSON" and p.actor
                           and p.end <= start and start - p.start <= SALIENT_REACH), None)
            if person is not None:
                return Actor(self.text[start:end], start, end, person.name, "PERSON", person.start,
                             self._role_of(person.start, person.end))
        named = self._named_appositive(root) if root is not None and m is None else None
        if named is not None:
            # "Another Republican senator, Dan Sullivan, also said": the name beside the description
            person = self._mention_of(named)
            return Actor(person.text, person.start, person.end, person.name, person.label, person.start,
                         self._role_of(person.start, person.end))
        if m is None and 1 <= len(words) <= 4 and words[-1] in TITLES and words[0] not in INDEFINITE:
            # "..., the president said", "the former Massachusetts governor said", "the mayor said": the one named
            # so (a former holder is not in the table of the day)
            person = self._person_titled(words[-1], start) or (office_holder(
                " ".join(w for w in words if w != "the"), start, self.mentions, self.published)
                if "former" not in words else None)
            if person is not None:
                return Actor(self.text[start:end], start, end, person.name, "PERSON", person.start, person.role)
        mention = self._mention_at(start, end, start_only=True) if quote.speaker_start is not None else None
        if isinstance(m, Mention) and quote.speaker_text and not same_name(m.name, quote.speaker_text):
            # "Iran's foreign minister" resolved by the quote finder to the person: that person's mention
            named = self._mention_named(quote.speaker_text, start)
            if named is None or named.label != "PERSON":   # "Senate Minority Leader said": the office's holder
                named = office_holder(" ".join(w for w in words if w != "the"), end + 2, self.mentions,
                                      self.published)
            if (named is None or named.label != "PERSON") and m.label == "PERSON" and m.name != m.text:
                named = m   # "the mayor said", the mention resolved to the mayor named before: that person
            if named is not None and named.label == "PERSON":
                return Actor(self.text[start:end], start, end, named.name, "PERSON", named.start,
                             self._role_of(named.start, named.end))
            mention = None
        return Actor(self.text[start:end] or (quote.speaker_text or ""), start, end, quote.speaker_text or "",
                      None, mention, self._role_of(quote.speaker_start, quote.speaker_end))

    def _speaker_phrase(self, start: int, end: int) -> tuple[int, int]:
        """The whole noun phrase a speaker's words head, with its conjuncts ("Former Republican presidential
        candidate and Florida Gov. Jeb Bush said": the quote finder may keep only the first words)."""
        span = self.doc.char_span(start, end, alignment_mode="expand") if end > start else None
        if span is None or not len(span) or span.root.pos_ not in ("NOUN", "PROPN"):
            return start, end
        root = span.root
        last = max((c for c in root.conjuncts if c.i > root.i), key=lambda c: c.i, default=None)
        if last is None:
            return start, end
        return start, max(end, last.idx + len(last))

    def _pronoun(self, tok: Token, quote: Quote | None) -> Actor | None:
        """ "he"/"she"/"they" resolved to the last compatible antecedent; inside a quote never to its speaker
        ("He opposes increasing spending," the senator's adviser said: "he" is the senator)."""
        span = self.index.mention(tok)
        name = self.index.resolve(tok, span)
        word = POSSESSIVE.get(tok.lower_, tok.lower_)
        verb = self._reporter_verb(tok) if quote is None and word in ("he", "she", "they") else None
        subject = self._subject(verb) if verb is not None and verb.lower_ != "according" else None
        if word == "they" and subject is not None and subject.i < tok.i and subject.pos_ != "PRON":
            # "Perry and other governors say they reject it": they are who says so
            return self._actor(subject, None)
        if word in ("he", "she") and subject is not None and subject.i < tok.i and (
                subject.lemma_.lower() in OWN_OFFICES or subject.lemma_.lower() in self.lex.spokes):
            # "Schumer's office says he pulled the offer", "Radu's spokesman said she will": the one whose office
            owner = next((c for c in subject.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
            m = self._mention_of(owner) if owner is not None else None
            if m is not None and m.label == "PERSON":
                return Actor(tok.text, tok.idx, tok.idx + len(tok), m.name, "PERSON", m.start, m.role)
        if subject is not None and subject.pos_ != "PROPN" and self._mention_of(subject) is None:
            subject = self._named_appositive(subject) or subject   # "one of them, Sen. X, said he ..."
        if subject is not None and subject.i < tok.i and word in ("he", "she") and subject.tag_ == "NN" \
                and subject.lemma_.lower() in PERSON_ROLES:
            # "the top prosecutor announced he will seek ...": he is the one who announced it, not the last name
            # before; a role the article gives a name to is left to the name resolution below
            said_by = self._actor(subject, None)
            if said_by is not None and said_by.mention is None:
                return said_by
        if subject is not None and subject.i < tok.i and subject.pos_ == "PROPN":
            said = self._mention_of(subject)   # "Mayor Ion Dobre said he supports ...": he is Dobre
            if said is not None and said.label == "PERSON":
                name = said.name
            elif said is None:
                start, end = self.index.mention(subject)
                name = self.index.resolve(subject, (start, end)) or name
        bound = self._binder(tok) if tok.dep_ == "poss" else None
        if bound is not None:   # "Trump offered his endorsement": his is the one who offers it
            return Actor(tok.text, tok.idx, tok.idx + len(tok), bound.name, bound.label, bound.start, bound.role)
        if quote is None and word in ("he", "she") and not (subject is not None and subject.i < tok.i) \
                and tok.head.lemma_.lower() not in SAYING:   # "..., he said": the quote finder knows who
            salient = self._salient_person(tok, word)
            name = salient.name if salient is not None else name
        if name and word in ("he", "she", "him", "her"):
            named = self._mention_named(name, tok.idx)
            if named is None or named.label != "PERSON":   # the tagger's "Kyiv" as a person: not a "he"
                k = bisect_right(self.mention_starts, tok.idx)
                name = next((m.name for m in reversed(self.mentions[:k]) if m.label == "PERSON"
                             and tok.idx - m.start < 1500), None)
        if quote is not None and name and quote.speaker_text and same_name(name, quote.speaker_text):
            name = None
            k = bisect_right(self.mention_starts, tok.idx)
            group = word in ("they", "them")
            for m in reversed(self.mentions[:k]):
                if tok.idx - m.start > 1500:
                    break
                if (m.label in ("ORG", "NORP", "GPE") if group else m.label == "PERSON") \
                        and not same_name(m.name, quote.speaker_text):
                    name = m.name
                    break
        if not name:
            return None
        m = self._mention_named(name, tok.idx)
        return Actor(tok.text, tok.idx, tok.idx + len(tok), name, m.label if m else None,
                      m.start if m else None, m.role if m else None)

    def _reported_it(self, tok: Token) -> Actor | None:
        """ "The ministry said it would not attend", "North Korea says it is willing to talk": the "it" subject of a
        clause reported by a body (an organisation, a country, or a singular group phrase such as "the
        administration") is that body; any other "it" (the bill, "it is time to") holds nothing."""
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.lemma_.lower() in self.speech:
            return None
        if tok.head.lemma_.lower() in ("be", "seem", "appear", "take", "make") and any(
                c.dep_ in ("ccomp", "xcomp", "csubj") and c.i > tok.head.i for c in tok.head.children):
            return None   # "said it was necessary to act", "said it was time that": no one's "it"
        verb = self._reporter_verb(tok)
        if verb is None or verb.lower_ == "according" or verb.lemma_.lower() == "report":
            return None   # "The Washington Post reported that it would not include ...": the deal, not the paper
        subject = self._subject(verb)
        if subject is None or subject.i > tok.i or subject.pos_ == "PRON" or subject.tag_ in ("NNS", "NNPS"):
            return None
        body = self._actor(subject, None)
        if body is None or body.label not in ("ORG", "GPE", None) or (
                body.label is None and subject.lemma_.lower() in TITLES):
            return None
        return Actor(tok.text, tok.idx, tok.idx + len(tok), body.name, body.label, body.mention)

    def _they_conjoined(self, tok: Token) -> list[Token] | None:
        """ "Ryan and McConnell made clear that they would not allow the vote": a "they" whose antecedent is the
        subject of a verb above it, written as names joined by "and": those names (``None`` otherwise)."""
        if tok.lower_ != "they":
            return None
        h = tok.head
        for _ in range(6):
            if h.head is h:
                return None
            h = h.head
            if h.pos_ not in ("VERB", "AUX"):
                continue
            subject = self._subject(h)
            if subject is None or subject.i >= tok.i or subject.pos_ == "PRON":
                continue
            members = [subject, *(c for c in subject.conjuncts if c.i > subject.i)]
            if len(members) < 2 or any(self._mention_of(m) is None for m in members):
                return None
            return members
        return None

    def _binder(self, tok: Token) -> Mention | None:
        """ "X offered his endorsement", "X withdrew her support": the possessive of the subject's own object is
        the subject (a named person); "Romania signaled its willingness", "the union renewed their demand": a
        named body or country."""
        pronoun = {"its": "it"}.get(tok.lower_) or POSSESSIVE.get(tok.lower_, tok.lower_)
        if pronoun not in ("he", "she", "it", "they"):
            return None
        noun = tok.head
        if noun.dep_ not in ("dobj", "obj") or noun.head.pos_ not in ("VERB", "AUX"):
            return None
        subject = self._subject(noun.head)
        m = self._mention_of(subject) if subject is not None and subject.i < tok.i else None
        if m is not None and m.label == "ORG" and len(m.text.split()) == 1:
            # the tagger's "Trump" as an organisation: "his" is a person, the one so named if named elsewhere
            return next((p for p in self.mentions if p.label == "PERSON" and same_name(p.name, m.text)), m)
        if m is not None and pronoun in ("it", "they"):
            return m if m.label in ("ORG", "GPE", "NORP") else None
        return m if m is not None and m.label == "PERSON" else None

    def _described(self, tok: Token) -> Mention | None:
        """ "Col. Morris Davis said ... The former chief military prosecutor added": a definite description of
        an office or trade opening a clause, the last person the last sentences made a subject (as "he" would
        be); not one narrowed to a country, a body or a possessor ("the Iranian diplomat", "Trump's lawyer")."""
        if tok.dep_ not in SUBJECTS or tok.tag_ != "NN" or not any(
                c.dep_ == "det" and c.lower_ == "the" for c in tok.children) or any(
                c.dep_ in ("poss", "prep") or c.ent_type_ in ("GPE", "NORP", "ORG") for c in tok.children):
            return None
        return self._salient_person(tok, "")

    def _salient_person(self, tok: Token, word: str) -> Mention | None:
        """The person a "he"/"she" opening a clause most likely is: the last named person who was the subject of
        a clause (not one merely named in passing), of a compatible gender, in the last few sentences."""
        other = "f" if word == "he" else "m" if word == "she" else None
        k = bisect_right(self.mention_starts, tok.idx)
        for m in reversed(self.mentions[:k]):
            if tok.idx - m.start > SALIENT_REACH:
                break
            if m.label == "PERSON" and m.actor and m.start < tok.idx and (
                    other is None or self.index.gender.get(m.name) != other):
                return m
        return None

    def _group_name(self, tok: Token, m: Mention) -> str:
        """ "House Republicans", "Senate Democrats": the group with the words that narrow it."""
        start, end = self.index.mention(tok)
        text = self.text[start:end]
        if len(text) > len(m.text):
            return self._tidy_group(text.removeprefix("the ").removeprefix("The "))
        # "rejected Republican calls for a ban": a party's adjective alone holds as the party's members
        return self._tidy_group(m.name)

    def _mention_of(self, tok: Token) -> Mention | None:
        return self._mention_at(tok.idx, tok.idx + len(tok))

    def _mention_at(self, start: int, end: int, start_only: bool = False):  # -> Mention | int | None
        k = bisect_right(self.mention_starts, start) - 1
        for m in self.mentions[max(0, k - 3): k + 2]:
            if m.start <= start < m.end or (m.start < end <= m.end):
                return m.start if start_only else m
        return None

    def _mention_named(self, name: str, before: int) -> Mention | None:
        k = bisect_right(self.mention_starts, before)
        for m in reversed(self.mentions[:k]):
            if m.name == name:
                return m
        return next((m for m in self.mentions if m.name == name), None)

    def _role_of(self, start: int | None, end: int | None) -> str | None:
        """The title reported with the mention at ``start`` or, failing that, with the same person named
        elsewhere in the article ("Kremlin spokesman Dmitry Peskov ... Peskov said")."""
        if start is None:
            return None
        m = self._mention_at(start, end or start + 1)
        if not isinstance(m, Mention):
            return None
        return m.role or next((o.role for o in self.mentions if o.role and o.name == m.name), None)


def clip_actor(actor: Actor, text: str) -> Actor:
    """An actor phrase never reaches across a paragraph break ("Senate\n\nConservative senators")."""
    cut = text.rfind("\n", actor.start, actor.end)
    if cut < 0:
        return actor
    words = text[cut + 1:actor.end].strip()
    name = actor.name if actor.name != actor.text else words
    if actor.name == actor.text.removeprefix("the ").removeprefix("The "):
        name = words.removeprefix("the ").removeprefix("The ")
    return Actor(words, cut + 1, actor.end, name, actor.label, actor.mention, actor.role)


def holder_name(name: str) -> str:
    """The name a stance is filed under, without a possessive the phrase it came from kept ("the State
    Department's spokeswoman": the State Department)."""
    return name[:-2] if name.endswith(("'s", "’s")) and len(name) > 3 else name


def same_name(a: str, b: str) -> bool:
    """One actor named twice ("Victor Pop" / "Pop", "the Kremlin" / "Kremlin")."""
    fa, fb = (" ".join(x.casefold().removeprefix("the ").split()) for x in (a, b))
    return fa == fb or (min(len(fa), len(fb)) > 1 and (fa.endswith(" " + fb) or fb.endswith(" " + fa)))
