"""Stances laid down by a clause of speech rather than by a stance verb: an obligation laid on someone else
("Congress must act": the speaker's demand; "any deal must include": the speaker's condition) and a
condition ("only if", "unless", "as long as", "provided that").

``ClauseCues`` is a part of the stance finder (``extract.stances``): it reads the finder's ``doc``, ``lex``
and its parse helpers (``_subject``, ``_negated``, ``_unreal``, ``_in_quote``, ``_reporter_verb``,
``_actor``, ``_passive``). ``Cue`` is what every cue reader of the finder returns."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from .stance_lexicon import FIRST_PERSON, MODALS_FUTURE, MODALS_MAYBE, NECESSITY, NOT_DEEDS, OBLIGATION


#: Verbs of asking and insisting whose that-clause in the bare form is what is wanted done ("insisted that he
#: resign", "recommended the plan be dropped").
MANDATIVE = frozenset({"insist", "suggest", "recommend", "propose", "ask", "demand", "urge", "request", "argue",
                       "stress", "require", "advise", "move"})


#: What one has "no" of to rule a course out ("no plans to", "no intention of").
NO_PLANS = frozenset({"plan", "plans", "intention", "intent"})


def subtree(tok: Token) -> tuple[int, int]:
    """The token range ``[i, j)`` of ``tok``'s subtree."""
    return tok.left_edge.i, tok.right_edge.i + 1


@dataclass(frozen=True)
class Cue:
    type: str
    cue: Token
    about: tuple[int, int] | None   # token range [i, j) of what the stance is about
    subject: Token | None            # the token naming the holder, before resolution
    speaker_holds: bool = False      # the holder is whoever says it (an obligation or condition laid down)


#: Verbs of stopping or holding back: "must not relent", "should not wait" demand the opposite, not oppose.
UNCEASING = frozenset({"relent", "wait", "delay", "hesitate", "stop", "give", "back", "rest", "stand", "falter",
                       "waver", "flinch", "retreat", "yield"})


class ClauseCues:
    """Obligations and conditions (a mixin of the stance finder)."""

    def _obligation(self, tok: Token, lemma: str) -> Cue | None:
        """In speech, an obligation laid on someone else ("Congress must act") is the speaker's demand; on a
        deal ("any deal must include") the speaker's condition."""
        if lemma in OBLIGATION:
            if tok.dep_ != "aux":
                return None
            verb = tok.head
        else:
            comp = next((c for c in tok.children if c.dep_ == "xcomp"), None)
            if comp is None or comp.pos_ not in ("VERB", "AUX") or tok.tag_ == "VBN" \
                    or tok.tag_ == "VBD" and not (lemma == "need" and self._backshifted(tok)) \
                    or not any(c.lower_ == "to" for c in comp.children):
                return None
            if any(c.dep_ == "aux" and (c.lower_ in MODALS_FUTURE or c.lower_ in OBLIGATION) for c in tok.children):
                return None   # "will have to explain": a consequence, not a demand
            if any(c.lower_ in ("until", "yet", "till") for c in tok.children):
                return None   # "lawmakers have until March to", "we have yet to reach": a deadline, a not-yet
            verb = comp
        if verb.dep_ == "relcl" or tok.head.dep_ == "relcl" or self._negated(verb) and lemma == "should" \
                and any(c.lemma_ == "have" for c in verb.children):
            return None
        subject = self._subject(tok if lemma in ("need", "have") else verb)
        if subject is None and lemma in ("need", "have"):   # "there needs to be", parsed with "there" as expletive
            subject = next((c for c in tok.children if c.dep_ == "expl" and c.lower_ == "there"), None)
        if subject is None and self._passive(verb):   # "those responsible must be held to account"
            subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subject is not None and subject.lower_ == "there" and lemma in ("need", "have") \
                and (self._in_quote(tok.idx) or self._reporter_verb(tok) is not None) and not self._unreal(tok):
            i, j = subtree(verb)   # "there needs to be a legislative solution" ("we need to" binds the speaker)
            return Cue("demand", tok, (i, j), None, speaker_holds=True)
        if subject is None or subject.lower_ in FIRST_PERSON or subject.lower_ in ("you", "it", "there", "one"):
            return None
        if subject.lemma_.lower() not in self.lex.bound and self._actor(subject, None) is None \
                and not self._passive(verb):
            return None   # "the issue should be dealt with separately": a passive obligation still binds
        if not (self._in_quote(tok.idx) or self._reporter_verb(tok) is not None) or self._unreal(verb):
            return None
        if subject.lower_ in ("he", "she") and not self._in_quote(tok.idx) and self._own_obligation(tok, subject):
            # "Obama suggested he might need to appoint a czar": his own course, offered ("Trump supporters
            # have said he should be considered": someone else's, as the group's "he" is)
            if self._negated(verb) or self._negated(tok):
                return None
            i, j = subtree(verb)
            return Cue("offer", tok, (min(i, subject.left_edge.i), j), None, speaker_holds=True)
        first = any(c.lower_ == "first" for c in verb.children) or any(c.lower_ == "first" for c in tok.children) \
            or any(t.lower_ == "before" and t.head == verb for t in verb.subtree)
        # "Kyiv must first revoke the decree": a precondition; "any deal must include": a condition on the deal
        kind = "condition" if subject.lemma_.lower() in self.lex.bound or first else "demand"
        if kind == "demand" and (self._negated(verb) or self._negated(tok)) and lemma not in ("need", "have") \
                and verb.lemma_.lower() not in UNCEASING and verb.lemma_.lower() not in self.lex.verbs:
            # "Muslims shouldn't serve in Congress", "they should not be punished": against it ("must not relent",
            # "must not support him", "shouldn't have to risk their lives": still what they must do)
            kind = "oppose"
        i, j = subtree(verb)
        return Cue(kind, tok, (min(i, subject.left_edge.i), j), None, speaker_holds=True)

    def _own_obligation(self, tok: Token, pronoun: Token) -> bool:
        """The reported clause holding ``tok`` is said by a named person, whom its "he" or "she" (``pronoun``)
        then is, unless the clause names another before it ("argued that while Obama couldn't cave, he ...")."""
        verb = self._reporter_verb(tok)
        said_by = self._subject(verb) if verb is not None else None
        if said_by is None or not (said_by.ent_type_ == "PERSON" or said_by.pos_ == "PROPN"):
            return False
        return verb.i < pronoun.i and not any(t.ent_type_ == "PERSON" or t.pos_ == "PROPN"
                                              for t in self.doc[verb.i + 1:pronoun.i])

    def _gladness(self, tok: Token) -> Cue | None:
        """ "glad to see the president get off the campaign trail", "pleased that the Justice Department is
        conducting its own inquiry": support of what another did, when a name or a group does it (``feelings``,
        ``witnessed`` in ``data/stances.toml``)."""
        if tok.dep_ not in ("acomp", "ROOT", "conj", "xcomp"):
            return None
        seen = next((c for c in tok.children if c.dep_ == "xcomp" and c.lemma_.lower() in self.lex.witnessed), None)
        what = next((c for c in (seen or tok).children if c.dep_ in ("ccomp", "dobj", "obj")), None)
        if what is None or what.dep_ != "ccomp" and seen is None:
            return None
        doer = next((c for c in what.subtree if c.dep_ in ("nsubj", "nsubjpass") and c.head.i == what.i),
                    what if what.dep_ != "ccomp" else None)
        if doer is None or not (doer.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or doer.pos_ == "PROPN"
                                or doer.pos_ == "NOUN" and self._actor(doer, None) is not None):
            return None   # "happy that nobody got hurt": a feeling about what happened
        subject_of = tok.head if tok.dep_ == "acomp" else tok
        if self._negated(subject_of if subject_of.pos_ in ("AUX", "VERB") else tok) or self._unreal(tok):
            return None
        return Cue("support", tok, subtree(what) if seen is None else subtree(seen), self._subject(subject_of))

    def _necessity(self, tok: Token) -> Cue | None:
        """In speech, "it is essential that Congress push harder", "it is important for Congress to act": the
        speaker's demand of the clause's subject (``None`` for a first person, "we must", and outside speech)."""
        comp = self._necessary_clause(tok)
        if comp is None or not (self._in_quote(tok.idx) or self._reporter_verb(tok) is not None) \
                or self._unreal(tok.head) or self._negated(tok.head):
            return None
        i, j = subtree(comp)
        return Cue("demand", tok, (i, j), None, speaker_holds=True)

    def _necessary_clause(self, tok: Token) -> Token | None:
        """The clause "it is essential" (``tok``) says must happen, when it has a subject other than the speaker."""
        if tok.lemma_.lower() not in NECESSITY or tok.dep_ != "acomp" or tok.head.lemma_.lower() != "be" \
                or not any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in tok.head.children):
            return None
        for comp in (*tok.head.children, *tok.children):
            if comp.dep_ not in ("ccomp", "advcl") or comp.i < tok.i or not any(
                    m.dep_ == "mark" and m.lower_ in ("that", "for") for m in comp.children):
                continue
            subject = next((c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and subject.lower_ not in FIRST_PERSON:
                return comp
        return None

    def _if_clause(self, *heads: Token) -> bool:
        """An "if"/"unless" clause on one of these verbs: what a threat is made on."""
        return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
                   for h in heads for c in h.children)

    def _if_on_others(self, *heads: Token) -> bool:
        """The "if"/"unless" clause on these verbs has a subject of its own ("if Congress fails to act"), not
        the holder's own prospect ("vowed to repeal it if elected": a pledge)."""
        return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
                   and any(s.dep_ in ("nsubj", "nsubjpass", "expl") for s in c.children)
                   for h in heads for c in h.children)

    def _warned(self, tok: Token, lemma: str) -> Cue | None:
        """ "warned of severe punishment if the kingdom was involved", "pledged to sue if the program went on",
        "will not vote for the bill without a deal": a move made on a condition."""
        if lemma not in ("warn", "threaten", "pledge", "vow", "promise") or self._negated(tok) or self._unreal(tok):
            return None
        comp = self._complement(tok)
        heads = [tok, *([comp] if comp is not None else []),
                 *(p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children)]
        if not self._if_clause(*heads):
            return None
        subject = self._holder_token(tok)
        return Cue("condition", tok, (tok.i, subtree(tok)[1]), subject) if subject is not None else None

    def _mandative(self, tok: Token, lemma: str) -> Cue | None:
        """ "insisted that the talks be about denuclearization", "suggested the administration label him a combatant":
        a that-clause in the bare form (the mandative subjunctive) after a verb of asking or insisting states
        what its subject wants done."""
        if lemma not in MANDATIVE or self._negated(tok) or self._unreal(tok):
            return None
        comp = next((c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i), None)
        if comp is None or any(c.dep_ == "aux" or c.dep_ == "auxpass" and c.lower_ != "be" for c in comp.children):
            return None
        subject = next((c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.lower_ in FIRST_PERSON | {"you", "it", "there"} or subject.tag_ == "PRP" \
                and subject.lower_ not in ("he", "she", "they"):
            return None
        single = subject.tag_ in ("NN", "NNP") or subject.lower_ in ("he", "she")
        passive = any(c.dep_ == "auxpass" for c in comp.children)
        if not (comp.tag_ == "VB" and not passive or comp.tag_ == "VBP" and single
                or comp.tag_ == "VBN" and passive):
            return None   # "insisted that the talks were held in public": a claim, not a demand
        holder = self._holder_token(tok)
        return Cue("demand", tok, (subject.left_edge.i, subtree(comp)[1]), holder) if holder is not None else None

    def _no_plans(self, tok: Token, lemma: str) -> Cue | None:
        """ "had no plans to take action", "has no intention of signing it", "does not have any plans for a visit":
        a course ruled out, its holder's refusal."""
        if lemma != "have" or self._unreal(tok) or self._if_clause(tok):
            return None
        for noun in (c for c in tok.children if c.dep_ in ("dobj", "obj") and c.lemma_.lower() in NO_PLANS):
            none = any(d.dep_ == "det" and d.lower_ == "no" for d in noun.children)
            if not (none or self._negated(tok) and any(d.lower_ == "any" for d in noun.children)):
                continue
            about = [c for c in noun.children if c.dep_ in ("acl", "prep", "relcl") and c.i > noun.i]
            if about and not self._if_clause(noun, *about):
                return Cue("reject", tok, (noun.i, max(subtree(c)[1] for c in about)), self._holder_token(tok))
        return None

    def _backshifted(self, tok: Token) -> bool:
        """A past tense reported after a past speech verb: "said the administration needed to do better" is
        what was said to be needed then ("needs to"), not a past need."""
        verb = self._reporter_verb(tok)
        return verb is not None and verb.tag_ == "VBD" and verb.lower_ != "according"

    def _condition(self, tok: Token, sent: Span) -> Cue | None:
        """ "we will talk only if ...", "unless Kyiv revokes ...", "as long as ...", "provided that ..."."""
        words = [t.lower_ for t in self.doc[tok.i: min(tok.i + 3, sent.end)]]
        mark = next((m for m in self.lex.marks if tuple(words[:len(m)]) == m), None)
        if mark is None:
            return None
        last = self.doc[tok.i + len(mark) - 1]
        clause = last.head if last.dep_ in ("mark", "advmod", "prep") else last
        while clause.dep_ not in ("advcl", "ROOT", "ccomp", "conj") and clause.head is not clause:
            clause = clause.head
        main = clause.head if clause.dep_ == "advcl" else None
        if main is None or main.i == clause.i:
            return None
        own = False
        if mark in (("if",), ("when",)):
            # "If the signals are serious, we will respond": only the speaker's own announced move is a condition
            subject = self._subject(main)
            modal = any(c.dep_ == "aux" and c.lower_ in MODALS_FUTURE | {"can"} for c in main.children)
            if mark == ("if",) and self._counterfactual(main, clause):
                return None
            own = mark == ("if",) and self._reported_move(main, subject)
            if not own and not (self._in_quote(tok.idx) and subject is not None and subject.lower_ in ("we", "i")
                                and modal):
                return None
        if not (self._in_quote(tok.idx) or self._reporter_verb(main) is not None):
            return None
        if not own and self._unreal(main, skip_marks=True):
            return None
        subject = self._subject(main)
        i, j = subtree(main)
        speaker = subject is None or subject.lower_ in ("it", "there", "this", "that") or \
            subject.lemma_.lower() in self.lex.bound or self._undergoes(main, subject)
        return Cue("condition", tok, (i, j), None if speaker else subject, speaker_holds=speaker)

    @staticmethod
    def _undergoes(main: Token, subject: Token) -> bool:
        """ "DACA recipients are not enforcement priorities unless ...", "the talks will be held only if ...": a
        clause whose subject does nothing (a copula or a passive) lays down the speaker's condition, not the
        subject's; "we are ready only if" is the speaker's own."""
        if subject.lower_ in FIRST_PERSON:
            return False
        return main.lemma_.lower() == "be" or any(c.dep_ in ("auxpass", "nsubjpass") for c in main.children)

    def _counterfactual(self, main: Token, clause: Token) -> bool:
        """ "I wouldn't do it if I thought it hurt us", "if we had known, we would have moved him": a supposition
        contrary to fact (an "if" clause of ``lex.counterfactual`` in the past, one in the past perfect, or a main
        clause in "would have"), no condition laid on anyone."""
        if clause.tag_ == "VBD" and clause.lemma_.lower() in self.lex.counterfactual:
            return True
        if any(c.dep_ == "aux" and c.lower_ == "had" for c in clause.children):
            return True
        auxes = {c.lower_ for c in main.children if c.dep_ == "aux"}
        return main.tag_ == "VBN" and "have" in auxes and bool(auxes & {"would", "could", "might", "should"})

    def _reported_move(self, main: Token, subject: Token | None) -> bool:
        """ "Iran said it could consider giving up its arsenal if ...", "they said they could support the bill if
        ...": a move of an actor's own (a deed under a modal, not "be" or "have"), reported after a speech verb,
        made on an "if" clause."""
        if subject is None or self._in_quote(main.idx) or self._reporter_verb(main) is None \
                or main.lemma_.lower() in NOT_DEEDS or main.pos_ != "VERB" or self._negated(main):
            return False
        if not any(c.dep_ == "aux" and c.lower_ in MODALS_MAYBE | {"can"} for c in main.children):
            return False   # a move open on a condition ("could support it if"); "would ... if" is mostly a
            # forecast or a pledge (on the labelled storylines it was a condition 1 time in 3)
        return subject.lower_ not in ("it", "there", "this", "that") or subject.tag_ == "PRP" and \
            self._actor(subject, None) is not None and self._actor(subject, None).label in ("ORG", "GPE", "NORP") \
            if subject.lower_ == "it" else self._actor(subject, None) is not None
