"""Stated positions in a parsed article: who demands, offers, rejects, conditions, supports or opposes
what, and who reports it when that is someone else.

``find_stances(doc, mentions, quotes)`` reads each sentence's dependency parse (cues in
``data/stances.toml``):

1. a **cue**: a stance verb with what it needs ("called for", "urged X to", "opposes", "rejected"), a
   negated verb that states its opposite ("will not support" -> oppose, "would not accept" -> reject),
   an intent frame over an action ("vowed to block" -> oppose, "threatened to veto", "pledged to help"
   -> offer), an announced act ("will vote against", "said he would sign"; a vote or a signature done
   is an action, not a stance), a stance noun of a holder ("Obama's support for", "opposition from
   Democrats", "voiced support for"), a predicate ("is opposed to", "is willing to", "is open to");
   in what someone says, a condition ("only if", "unless", "any deal must include") or an obligation
   laid on someone else ("Congress must act", and after a past "said", "needed to") is that speaker's
   condition or demand; a threat made on an "if"/"unless" clause is a condition; a pledge or vow to undo
   something ("his pledge to repeal the law") is opposition, a pledge not to act a refusal, a pledge or a move
   that could be made on what others do ("pledged to sue if the program went on", "said they could support it
   if it changed") a condition; the speaker's own course announced ("he said he would restore the ferries",
   "we're not expanding Medicaid") is an offer, or a
   refusal when negated; a withdrawn offer is a rejection; a quote or reported clause no cue covers that judges
   ("a shameful betrayal"), as the learned evaluator of ``extract.stance_judge`` reads it, is its speaker's
   support or opposition (``extract.stance_speech``);
2. not stances: a cue under "if"/"whether", a prediction ("is expected to oppose"), a possibility
   ("may support"; "couldn't vote for him" is a refusal), a question; the content of another stance ("urged
   lawmakers to oppose": the lawmakers oppose nothing yet); a refusal to comment or to be specific; rejecting
   a claim ("rejected suggestions that ...") or pushing back against criticism (a denial, an answer); a promise,
   demand or backing named in passing inside a prepositional phrase ("despite his promise to"); a stance on any
   such thing ("a bill that most members do not support");
3. the **holder** is the cue's subject (the "by" agent of a passive, the noun a "who" clause describes,
   the subject of the verb above an infinitive), resolved inside the article: names to the fullest
   form, titles ("the president") and pronouns to whom they point, "I"/"we" in a quote to its speaker;
   a spokesperson's stance, and the "we" of one, is the body they speak for. Vague subjects ("critics",
   "some") hold nothing;
4. **reported by**: the speaker of the speech verb the cue is reported under ("Peskov said Ukraine
   refused talks": Ukraine's refusal, reported by Peskov), or of the quote it lies in, when that is not
   the holder.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from spacy.tokens import Doc, Span, Token

from ..records import Mention, Quote, Stance
from .quote_marks import load_speech_verbs
from .quotes import make_article_index
from .stance_actors import ActorResolver, clip_actor, holder_name, same_name
from .stance_bodies import Actor
from .stance_clauses import ClauseCues, subtree
from .stance_clauses import Cue as _Cue
from .stance_judge import Judge, PendingSpeech, judge_many, load_model
from .stance_judgements import JudgementCues
from .stance_lexicon import (CLAIMS, DOCUMENTS, FIRST_PERSON, LIGHT, MODALS_FUTURE, MODALS_MAYBE, NECESSITY,
                             NOT_DEEDS, OBLIGATION, REBUKES, SOUGHT_OFFICE, STATEMENTS, SUBJECTS, VAGUE_REFUSALS,
                             Lexicon, load_lexicon)
from .stance_speech import SpeechStances
from .stance_syntax import (StanceSyntax, main_verb_as_acl, not_only, polled, relative_conjuncts,
                            state_of_noun, undoes)


def find_stances(doc: Doc, mentions: Sequence[Mention], quotes: Sequence[Quote],
                 lexicon: Lexicon | None = None, judge: Judge | None = None,
                 published: str | None = None) -> list[Stance]:
    """The stated positions of one parsed article, in text order (see the module docstring). ``judge``
    decides what speech that judges states (``extract.stance_judge``; the shipped model by default);
    ``published``, the article's day, tells who held an office a bare title names ("the president")."""
    return find_stances_and_pending(doc, mentions, quotes, lexicon, judge, published)[0]


def find_stances_and_pending(doc: Doc, mentions: Sequence[Mention], quotes: Sequence[Quote],
                             lexicon: Lexicon | None = None, judge: Judge | None = None,
                             published: str | None = None, defer: bool = False
                             ) -> tuple[list[Stance], list[PendingSpeech]]:
    """``find_stances``; with ``defer`` (in ingest's worker processes, ``stance_judge.deferring``), the speech
    whose judgement needs its sentence vector is left pending, as provisional stances of basis ``pending`` and
    their ``PendingSpeech``, for ``stance_judge.resolve_pending`` in the main process."""
    if not len(doc) or not doc.has_annotation("DEP"):
        return [], []
    finder = _Finder(doc, mentions, quotes, lexicon or load_lexicon(), judge or load_model())
    finder.published, finder.defer = published, defer
    return finder.find(), finder.pending


class _Finder(SpeechStances, ClauseCues, JudgementCues, ActorResolver, StanceSyntax):
    def __init__(self, doc: Doc, mentions: Sequence[Mention], quotes: Sequence[Quote], lex: Lexicon,
                 judge: Judge) -> None:
        self.doc, self.lex, self.judge = doc, lex, judge
        self.pending: list[PendingSpeech] = []   # speech judged later (``find_stances_and_pending``)
        self.defer = False
        self.text = doc.text   # spaCy joins every token again on each ``doc.text``: read it once
        self.index = make_article_index(doc)
        self.speech = load_speech_verbs()[0]
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        spoken = [q for q in quotes if q.kind in ("direct", "partial")]
        self.quotes = sorted(spoken, key=lambda q: q.start)
        self.quote_starts = [q.start for q in self.quotes]
        self.reported = sorted((q for q in quotes if q.kind == "indirect"), key=lambda q: q.start)
        self.all_quotes = sorted(self.quotes + self.reported, key=lambda q: q.start)
        self.all_quote_starts = [q.start for q in self.all_quotes]
        #: how far the quotes up to each one reach: those before a sentence are passed over without a look
        self.all_quote_reach = list(accumulate((q.end for q in self.all_quotes), max))

    # -- the walk -------------------------------------------------------------------------------------

    def find(self) -> list[Stance]:
        out: list[Stance] = []
        seen: set[tuple] = set()
        plan = []
        for index, sent in enumerate(self.doc.sents):
            here: list[Stance] = []
            for tok in sent:
                for cue in self._cues(tok, sent):
                    here += self._stances(cue, sent, index)
            plan.append((index, here, self._speech_spans(sent, here)))
        # the article's speech judged in one batch (the judge may embed what it reads)
        verdicts = iter(judge_many(self.judge, [(span, q.kind, q.cue) for _, _, spans in plan
                                                for q, _, _, span in spans], self.defer))
        for index, here, spans in plan:
            here += self._evaluations(index, [(*item, next(verdicts)) for item in spans])
            for stance in here:
                key = (stance.holder_name.casefold(), stance.type, stance.cue_start)
                if key not in seen:
                    seen.add(key)
                    out.append(stance)
        return sorted(out, key=lambda s: (s.start, s.cue_start))

    def _cues(self, tok: Token, sent: Span) -> list[_Cue]:
        lemma = tok.lemma_.lower()
        if lemma in self.lex.pledge and self._loyalty(tok):
            return []   # "pledged allegiance to the group": loyalty declared, nothing offered
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            cue = self._verb(tok, lemma)
            if cue is not None:
                return [cue]
            if lemma in OBLIGATION or lemma in ("need", "have"):
                cue = self._obligation(tok, lemma) or self._no_plans(tok, lemma)
                return [cue] if cue is not None else []
            warned = self._warned(tok, lemma) or self._mandative(tok, lemma)
            if warned is not None:
                return [warned]
            found = self._judged(tok, lemma) or self._describing(tok, lemma) or self._own_course(tok, lemma)
            if found is None and tok.tag_ == "VBN" and tok.dep_ in ("acomp", "ROOT", "ccomp", "conj") \
                    and tok.lower_ in self.lex.adjectives and not any(
                        c.dep_ == "aux" and c.lower_ in OBLIGATION for c in (*tok.children, *tok.head.children)):
                # "he was committed to collaborate": a participle as the adjective it is ("opened himself to": not)
                cue = self._predicate(tok, lemma)
                return [cue] if cue is not None else []
            return [_Cue(found[0], tok, found[1], found[2])] if found is not None else []
        if tok.pos_ in ("NOUN", "PROPN") and lemma in self.lex.nouns:
            found = self._withdrawn(tok, lemma)
            if found is not None:
                return [_Cue(found[0], tok, found[1], found[2])]
            cue = self._noun(tok, lemma)
            if cue is None:
                found = self._in_stance(tok, self.lex.nouns[lemma])
                cue = _Cue(found[0], tok, found[1], found[2]) if found is not None else None
            return [cue] if cue is not None else []
        if tok.pos_ == "NOUN" and lemma in self.lex.agents:
            found = self._agent_noun(tok, lemma)
            return [_Cue(found[0], tok, found[1], found[2])] if found is not None else []
        if tok.pos_ == "ADJ" and lemma in NECESSITY:
            cue = self._necessity(tok)
            if cue is not None:
                return [cue]
        if tok.pos_ in ("ADJ", "ADP", "VERB", "NOUN") or tok.lower_ in ("against", "in"):
            cue = self._predicate(tok, lemma)
            if cue is not None:
                return [cue]
        if tok.dep_ == "mark" or tok.lower_ in ("unless", "provided", "providing", "as", "so", "on", "only", "if"):
            cue = self._condition(tok, sent)
            return [cue] if cue is not None else []
        return []

    def _loyalty(self, tok: Token) -> bool:
        """ "pledged allegiance to the group", "a pledge of allegiance", "her pledge to the movement": a pledge of
        ``lex.loyalty``, or a pledge noun made "to" someone with nothing promised, declares loyalty."""
        for c in tok.children:
            if c.dep_ in ("dobj", "obj") and c.lemma_.lower() in self.lex.loyalty:
                return True
            if c.dep_ == "prep" and c.lower_ in ("of", "to"):
                objects = [p for p in c.children if p.dep_ == "pobj"]
                if any(p.lemma_.lower() in self.lex.loyalty for p in objects):
                    return True
                if c.lower_ == "to" and objects and tok.pos_ in ("NOUN", "PROPN") and not any(
                        x.dep_ in ("acl", "xcomp", "ccomp", "relcl") for x in tok.children):
                    return True
        return False

    # -- verbs ------------------------------------------------------------------------------------------

    def _verb(self, tok: Token, lemma: str) -> _Cue | None:
        if tok.dep_ in ("amod", "compound") or (tok.dep_ == "acl" and not self._agent(tok) and not (
                tok.tag_ == "VBG" and tok.head.lemma_.lower() in DOCUMENTS) and not main_verb_as_acl(tok)
                                                          and not state_of_noun(tok)):
            return None   # a participle qualifying a noun, except one of a statement's ("a video urging X to ...")
        if self._inside_other_stance(tok):
            return None
        negated = self._negated(tok)
        if self._unreal(tok):
            return None
        # the verb's own particles and prepositions: not a day's ("On Friday, X called ...", "signed it on Monday")
        children = {c.lower_ for c in tok.children if c.dep_ in ("prep", "prt", "advmod", "agent")
                    and not (c.dep_ == "prep" and (c.i < tok.i or any(p.ent_type_ in ("DATE", "TIME")
                                                                      for p in c.children)))}
        # "took issue with", "took aim at": the object noun is part of the phrase
        children |= {c.lower_ for c in tok.children if c.dep_ in ("dobj", "obj") and c.pos_ == "NOUN"}
        # "called for Moore to drop out": "for" marks the clause
        children |= {m.lower_ for c in tok.children if c.dep_ in ("advcl", "ccomp") for m in c.children
                     if m.dep_ == "mark" and m.lower_ == "for"}
        if lemma in self.lex.frames and (lemma not in self.lex.announced or self._announced(tok)):
            framed = self._framed(tok, negated)
            if framed is not None:
                return framed
        if negated and any(c.dep_ == "prep" and c.lower_ == "without" for c in tok.children) and (
                lemma in self.lex.acts or lemma in self.lex.negated or lemma in self.lex.verbs):
            return self._cue("condition", tok, (tok.i, subtree(tok)[1]))   # "will not vote for it without a deal"
        if negated:
            if lemma in self.lex.acts and not self._announced(tok) and not any(
                    c.dep_ == "aux" and c.lower_ in ("can", "could", "ca") for c in tok.children):
                return None   # "did not vote for him": a vote not cast is an action too
            for kind, need in self.lex.negated.get(lemma, []):
                if set(need) <= children:
                    return self._cue(kind, tok, self._about(tok, need))
            found = self._ruled_out(tok, lemma)
            return _Cue(found[0], tok, found[1], found[2]) if found is not None else None
        if lemma in self.lex.acts and self._announced(tok):
            for kind, need in self.lex.acts[lemma]:
                if set(need) <= children:
                    return self._cue(kind, tok, self._about(tok, need))
        for kind, need in self.lex.verbs.get(lemma, []):
            if not self._satisfied(tok, lemma, kind, need, children):
                continue
            if any(c.lower_ in MODALS_MAYBE for c in tok.children if c.dep_ == "aux"):
                return None
            if kind in ("support", "offer") and any(c.dep_ == "advmod" and c.lower_ == "only" and c.i < tok.i
                                                    and not not_only(c) for c in tok.children):
                kind = "condition"   # "his party will only support an extension through Jan. 30": only so far
            return self._cue(kind, tok, self._about(tok, need))
        return None

    def _satisfied(self, tok: Token, lemma: str, kind: str, need: tuple[str, ...], children: set[str]) -> bool:
        if need == ("to",) and kind in ("support", "oppose") and any(
                c.dep_ == "prep" and c.lower_ == "to" and any(p.dep_ in ("pobj", "pcomp") for p in c.children)
                for c in tok.children):
            return True   # "object to the plan": "to" a preposition, not an infinitive
        if need and need[0] in ("to", "to+"):
            comp = self._complement(tok)
            if comp is not None and any(c.dep_ == "mark" or c.tag_ in ("WRB", "WP", "WDT") and c.i < comp.i
                                        for c in comp.children):
                return False   # "asked if he had followed the news", "asked why": a question, no call to act
            if comp is None or self._quiet(tok, comp, need[0] == "to+") or kind == "reject" and \
                    comp.lemma_.lower() in VAGUE_REFUSALS and not any(c.dep_ == "prt" for c in comp.children):
                return False
            if need[0] == "to+":   # someone else's action: "urged Congress to", "wants Kyiv to"
                others = [c for c in tok.children if c.dep_ in ("dobj", "obj")] + \
                    [c for c in comp.children if c.dep_ in SUBJECTS]
                return any(self._actor(o, None) is not None or lemma != "want" and o.pos_ == "NOUN"
                           and o.tag_ == "NNS" for o in others) or lemma == "want" and any(
                    c.dep_ == "auxpass" for c in comp.children) and any(o.dep_ == "nsubjpass" for o in others)
                # "wants the suspects to be extradited": a thing done by others, wanted
                # "urged voters to", "encouraged his followers to": people, if no named actor (what someone wants
                # others to do is a demand of an actor only: "wants Americans to know" is no demand)
            return True
        if not set(need) <= children:
            return False
        comp = self._complement(tok)
        if kind == "reject" and comp is not None and (self._quiet(tok, comp, False) or comp.lemma_.lower()
                                                      in VAGUE_REFUSALS and not any(c.dep_ == "prt"
                                                                                    for c in comp.children)):
            return False   # "refused to say whether": no refusal of anything
        if lemma == "agree" and any(c.dep_ in ("ccomp", "xcomp") or c.dep_ == "prep" and c.lower_ in ("on", "to")
                                    for c in tok.children):
            return False   # "agreed with Iran on joint work", "agrees with him that ...": an agreement, not backing
        if lemma == "complain" and "about" not in children and not any(c.dep_ == "ccomp" for c in tok.children):
            return False   # "complained to a scholar": about nothing said
        objects = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
        if lemma == "seek":   # "seeking the extradition of"; "seeking to" is an aim, "seeking him" a search
            return bool(objects) and self._complement(tok) is None and not any(
                o.ent_type_ == "PERSON" or o.tag_ == "PRP" or o.lemma_.lower() in SOUGHT_OFFICE for o in objects)
        if lemma == "stand" and need:   # "stood by its conclusion", "standing by", "standing in the garden with X"
            objects_of = [p for c in tok.children if c.lower_ == need[0] for p in c.children if p.dep_ == "pobj"]
            said = CLAIMS | STATEMENTS
            return bool(objects_of) and not any(o.lemma_.lower() in said for o in objects_of) and not any(
                c.dep_ == "prep" and c.lower_ in ("in", "at", "on", "outside", "inside", "beside", "behind")
                for c in tok.children)
        if lemma == "ask" and need == ("for",):   # "asked Turkey for the recording", not "asked for comment"
            return not any(p.lemma_.lower() in self.lex.quiet | SOUGHT_OFFICE for c in tok.children
                           if c.dep_ == "prep" and c.lower_ == "for" for p in c.children if p.dep_ == "pobj")
        if lemma == "offer" and not need:
            return any(o.lemma_.lower() in self.lex.offer_objects for o in objects)
        targets = objects + [p for c in tok.children if c.dep_ == "prep" and c.lower_ in need for p in c.children
                             if p.dep_ == "pobj"]
        if kind in ("reject", "oppose") and any(o.lemma_.lower() in CLAIMS | REBUKES for o in targets):
            return False   # "rejected suggestions that its missile downed the jet", "pushed back against criticism":
            # a denial of a claim or an answer to critics, no stance on a course of action
        if lemma == "sign" and need:   # "signed on to the letter", not "signed [it] on Monday" nor "signed off on"
            return any(c.lower_ == need[0] and (c.dep_ == "prt" or not any(
                p.ent_type_ in ("DATE", "TIME") for p in c.children)) for c in tok.children) \
                and not any(c.dep_ == "prt" and c.lower_ == "off" for c in tok.children)
        if tok.dep_ == "relcl" and any(c.dep_ in ("dobj", "obj") and c.tag_ in ("WDT", "WP") for c in tok.children) \
                and any(d.dep_ == "det" and d.lower_ in ("a", "an", "any", "no", "every") or d.lower_ == "single"
                        for d in tok.head.children):
            return False   # "a bill that most members do not support": any such bill, no stance on one
        if lemma == "resist":   # "will resist implementing the exchanges": a refusal; "resists the law": opposition
            return (kind == "reject") == any(c.dep_ == "xcomp" and c.tag_ == "VBG" for c in tok.children)
        if lemma in ("blame", "accuse") and self._attributed(tok):
            return False   # "blamed Iran for the attacks", "accused Iran of shooting down a drone": who did a hostile
            # act, an attribution, not a stance on a course of action ("blamed Democrats for the shutdown" is one)
        if lemma == "blame":   # "blamed the prior administration for": an actor blamed; "blamed the crash on": a cause
            return any(self._actor(o, None) is not None for o in objects) and "on" not in children
        if lemma in ("dismiss", "defend", "welcome", "question") and objects:
            return not any(o.ent_type_ == "PERSON" or o.tag_ == "PRP" for o in objects) or lemma == "defend" \
                and not any(o.lower_.endswith("self") or o.lower_.endswith("selves") for o in objects)
        if lemma == "back" and not need and (objects or self._passive(tok) and self._agent(tok) is not None) \
                and not any(c.dep_ == "prt" for c in tok.children):
            return True   # "backed the bill", "Moore, who was backed by Bannon"; not "backed down" or "backed off"
        if lemma in ("back", "stand", "side", "sign", "push", "come", "speak", "rail", "vote") and not need:
            return False   # "back down", "stand", "sign": only with what they need
        if kind in ("support", "oppose", "reject", "offer") and not need:
            # a stance verb needs what it is about: "opposes the bill", not "opposed" alone
            return bool(objects) or any(c.dep_ in ("ccomp", "xcomp", "prep") for c in tok.children) \
                or tok.dep_ == "relcl" or self._passive(tok)
        return True

    def _framed(self, tok: Token, negated: bool) -> _Cue | None:
        """ "vowed to block", "threatened to veto", "plans to vote against", "pledged to help"."""
        comp = self._complement(tok)
        if comp is None and not negated and self._harm_within(tok):
            return self._cue("oppose", tok, self._about(tok, ()) or subtree(tok))   # "work hard to make sure ..."
        if comp is None or comp.lemma_.lower() in self.lex.quiet:
            return None
        if tok.lemma_.lower() == "mean" and comp.dep_ == "ccomp":
            return None   # "which means it could be rescinded": an implication, not an intent ("means to repeal it")
        if tok.lemma_.lower() in ("threaten", "pledge", "vow", "promise") and self._if_clause(tok, comp) \
                and not negated and self._if_on_others(tok, comp):
            return self._cue("condition", tok, subtree(comp))   # "threatened to sue if it continued the program"
        lemma = comp.lemma_.lower()
        kids = {c.lower_ for c in comp.children if c.dep_ in ("prep", "prt", "advmod")}
        if self._negated(comp) or negated:
            for kind, need in self.lex.negated.get(lemma, []):
                if set(need) <= kids:   # "not going to participate in any exchanges": the clause refused
                    return self._cue(kind, tok, self._about(comp, need) or subtree(comp))
            if self._negated(comp) and not negated and tok.lemma_.lower() in self.lex.pledge \
                    and lemma not in NOT_DEEDS:
                return self._cue("reject", tok, self._about(comp, ()) or subtree(comp))   # "vowed not to implement"
            return None
        for table in (self.lex.verbs, self.lex.acts):
            for kind, need in table.get(lemma, []):
                if set(need) <= kids and not (need and need[0].startswith("to")):
                    return self._cue(kind, tok, self._about(comp, need))
        objects = {c.lemma_.lower() for c in comp.children if c.dep_ in ("dobj", "obj")}
        if lemma == "vote" and any(c.lower_ == "no" for c in comp.children):
            return self._cue("oppose", tok, subtree(comp))   # "pledged to vote no"
        if lemma in self.lex.harm or " ".join([lemma, *sorted(kids)]) in self.lex.harm or objects & self.lex.harm \
                or self._harm_within(tok):
            return self._cue("oppose", tok, self._about(comp, ()))
        if tok.lemma_.lower() in self.lex.pledge:
            # "committed to collaborate": the pledged act is what is offered when it has no object of its own
            about = self._about(comp, ()) or (None if lemma in NOT_DEEDS or any(c.dep_ == "prep" for c in comp.children)
                                              else subtree(comp))
            return self._cue("offer", tok, about)
        return None

    def _announced(self, tok: Token) -> bool:
        """An act stated as intended, not done: "will vote against", "would sign", "is going to veto"."""
        aux = {c.lower_ for c in tok.children if c.dep_ == "aux"}
        if aux & MODALS_FUTURE:
            return True
        head = tok.head
        return tok.dep_ == "xcomp" and head.lemma_.lower() in ("go", "plan", "intend") and head.tag_ != "VBD"

    # -- nouns and predicates -------------------------------------------------------------------------------

    def _noun(self, tok: Token, lemma: str) -> _Cue | None:
        if any(c.dep_ in ("det", "neg") and c.lower_ == "no" for c in tok.children):
            return None   # "offered no endorsement of the law", "voiced no opposition to it": none stated
        children = {c.lower_ for c in tok.children if c.dep_ == "prep"}
        # "Romney's vow to repeal the law": the infinitive hangs on the noun as a clause, not as a preposition
        infinitives = [c for c in tok.children if c.dep_ in ("acl", "relcl") and c.i > tok.i and any(
            a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
        children |= {"to"} if infinitives else set()
        for kind, need in self.lex.nouns.get(lemma, []):
            if not set(need) <= children:
                continue
            holder = next((c for c in tok.children if c.dep_ == "poss"), None)
            if holder is None:
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ in ("from", "by", "among"):
                        holder = next((p for p in c.children if p.dep_ == "pobj"), None)
                    elif c.dep_ in ("compound", "amod") and c.ent_type_ in ("NORP", "ORG", "GPE", "PERSON"):
                        holder = c
            if holder is None and tok.dep_ in ("dobj", "obj") and tok.head.lemma_.lower() in LIGHT:
                if self._negated(tok.head) or self._unreal(tok.head):
                    return None
                holder = self._subject(tok.head)
            if holder is None or self._unreal(tok):
                return None
            about = [c for c in tok.children if (c.dep_ in ("prep", "acl") or c in infinitives)
                     and c.lower_ not in ("from", "by", "among")]
            if not about and tok.dep_ in ("dobj", "obj") and tok.head.lemma_.lower() in LIGHT:
                # "threw his support behind the bill": what it is about hangs on the light verb
                about = [c for c in tok.head.children if c.dep_ == "prep" and c.i > tok.i
                         and c.lower_ in ("behind", "for", "to", "against", "of", "toward", "towards")]
            if not about and tok.dep_ in ("dobj", "obj"):
                # "renewed his call for the CDC to direct ...", the clause parsed as the verb's: what is called for
                about = [c for c in tok.head.children if c.dep_ == "advcl" and c.left_edge.i == tok.i + 1
                         and c.left_edge.lower_ == "for"]
            if not about and kind not in ("demand",):
                return None
            span = (min(subtree(c)[0] for c in about), max(subtree(c)[1] for c in about)) if about else None
            if kind == "offer" and self._pledged_harm(about):
                kind = "oppose"   # "his pledge to repeal the law", "Romney's vow to undo it": against it
            if kind in ("offer", "demand", "support") and tok.dep_ == "pobj" \
                    and tok.head.lower_ not in ("from", "by", "of", "in", "over"):
                return None   # "despite the president's promise to", "relented on their demands": named in
                # passing (opposition is stated by being named: "over the objections of conservatives"; so is a
                # demand fought over: "threatened to hold up the bill over their demand for ...")
            return _Cue(kind, tok, span, holder)
        return None

    def _predicate(self, tok: Token, lemma: str) -> _Cue | None:
        """ "X is opposed to", "X is willing to", "X is open to", "X is against", "X is in favor of"."""
        low = tok.lower_
        if low == "in" and tok.i + 2 < len(self.doc) and self.doc[tok.i + 1].lower_ in ("favor", "favour") \
                and self.doc[tok.i + 2].lower_ == "of":
            entries = [("support", ())]
            lemma, head, about_from = "in", tok.head, self.doc[tok.i + 2]
        else:
            if low in self.lex.feelings:
                glad = self._gladness(tok)
                if glad is not None or any(c.dep_ == "xcomp" and c.lemma_.lower() in self.lex.witnessed
                                           for c in tok.children):
                    return glad   # "happy to see the bill fail" offers nothing
            entries = self.lex.adjectives.get(low, []) or self.lex.adjectives.get(lemma, [])
            head, about_from = tok.head, tok
        if not entries:
            return None
        if low == "against" and not (tok.dep_ == "prep" and head.lemma_ == "be"):
            return None
        if low != "against" and lemma != "in" and tok.dep_ not in ("acomp", "amod", "attr", "xcomp", "ROOT", "conj"):
            return None
        if tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN"):
            subject_of = tok.head      # "Republicans opposed to the bill"
        else:
            subject_of = head if tok.dep_ != "ROOT" else tok
        for kind, need in entries:
            if need and need[0] == "to":
                comp = self._complement(tok)
                if comp is not None and kind == "offer" and any(c.dep_ == "auxpass" for c in comp.children):
                    return None   # "ready to be transported": a state, not an offer
                if kind == "offer" and any(c.dep_ == "advmod" and c.lower_ in self.lex.capability
                                           for c in tok.children):
                    return None   # "fully prepared to treat a patient": able to, not offering to
                if comp is None or comp.lemma_.lower() in self.lex.quiet:
                    if not any(c.lower_ == "to" and c.dep_ == "prep" for c in tok.children):
                        continue
                    comp = next(c for c in tok.children if c.lower_ == "to")
                about = subtree(comp)
                # "committed to repealing the law": the gerund after "to" is what is pledged
                done = next((c for c in comp.children if c.dep_ == "pcomp"), comp) if comp.lower_ == "to" else comp
                clemma = done.lemma_.lower()
                if kind == "offer" and (clemma in self.lex.harm or any(k == "oppose" for k, _ in
                                                                       self.lex.verbs.get(clemma, []))):
                    kind = "oppose"   # "willing to kill it", "ready to block"
                elif kind == "offer" and self._if_on_others(comp):
                    kind = "condition"   # "Congress is prepared to move quickly if Trump fails to respond"
            elif need:
                prep = next((c for c in about_from.children if c.dep_ == "prep" and c.lower_ == need[0]), None)
                if prep is None:
                    continue
                about = subtree(prep)
            else:
                about = (tok.i + 1, subtree(tok)[1]) if low == "against" else subtree(tok)
            if self._negated(subject_of if subject_of.pos_ in ("AUX", "VERB") else tok) or self._unreal(tok):
                return None
            subject = subject_of if tok.dep_ == "amod" else self._subject(subject_of)
            if subject is None and subject_of is tok:   # "he is opposed to the levy", parsed as a passive
                subject = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            return _Cue(kind, tok, about, subject)
        return None

    # -- helpers ------------------------------------------------------------------------------------------

    def _cue(self, kind: str, tok: Token, about: tuple[int, int] | None) -> _Cue:
        return _Cue(kind, tok, about, self._holder_token(tok))

    def _in_quote(self, char: int) -> Quote | None:
        k = bisect_right(self.quote_starts, char) - 1
        while k >= 0:
            q = self.quotes[k]
            if q.start <= char < q.end:
                return q
            if q.end < char - 3000:
                break
            k -= 1
        return None

    # -- actors -------------------------------------------------------------------------------------------

    def _stances(self, cue: _Cue, sent: Span, index: int) -> list[Stance]:
        tok = cue.cue
        quote = self._in_quote(tok.idx)
        reporter_verb = self._reporter_verb(tok)
        reporter = None
        reporters: list[Actor] = []   # a plural relative clause's reporters ("A and B, who say that ...")
        if reporter_verb is not None:
            if reporter_verb.lower_ == "according":
                obj = next((p for c in reporter_verb.children for p in c.children if p.dep_ == "pobj"), None)
                reporter = self._actor(obj, quote) if obj is not None else None
            else:
                subj = self._subject(reporter_verb)
                reporter = self._actor(subj, self._in_quote(subj.idx) if subj is not None else None) \
                    if subj is not None else None
                if subj is not None:
                    reporters = [a for a in (self._actor(t, None) for t in relative_conjuncts(subj)) if a is not None]
        if reporter is None and quote is not None and quote.speaker_text:
            reporter = self._speaker(quote)
        if cue.speaker_holds or reporter is not None and cue.type in ("support", "oppose") and any(
                c.dep_ == "aux" and c.lower_ in ("should", "must", "ought") for c in tok.children):
            # an obligation laid down ("Congress must act"); one to take a side is the speaker's side too
            # ("Graham said the United States should sanction Saudi Arabia": Graham against Saudi Arabia)
            holders = reporters or ([reporter] if reporter is not None else [])
            reporter = None
        elif cue.subject is not None and polled(cue.subject, sent):
            holders = []   # "a majority of Democrats backed it, the survey found": an opinion measured, no stance
        else:
            subjects = [cue.subject] if cue.subject is not None else []
            they = None
            if cue.subject is not None and (relatives := relative_conjuncts(cue.subject)):
                subjects = relatives
            elif cue.subject is not None:
                later = [c for c in cue.subject.conjuncts if c.i > cue.subject.i]
                # "Saudi Arabia and Turkey, which has accused ...": a singular relative clause is the last one's
                subjects = [later[-1]] if later and self._singular_relative(cue.cue, later[-1]) else subjects + later
                # "Republicans, led by Romney, call for ...": whoever leads them says so too
                led = [c for c in cue.subject.children if c.dep_ == "acl"] + [
                    c for c in cue.subject.head.children if c.dep_ == "advcl" and c.i < cue.subject.head.i]
                subjects += [a for c in led if c.lemma_.lower() == "lead" and c.tag_ == "VBN"
                             if (a := self._agent(c)) is not None]
                they = self._they_conjoined(cue.subject) if quote is None else None
                if they is not None:   # "Ryan and McConnell made clear that they wouldn't allow it": each of them
                    subjects = they
            holders = [self._actor(s, quote) for s in subjects]
            if they is not None and reporter is not None and any(h is not None and same_name(reporter.name, h.name)
                                                                 for h in holders):
                reporter = None   # "A and B said they will resist it": each says so of their own
            holders = [m for s, h in zip(subjects, holders) for m in (self._named_members(s, h, quote) or [h])]
        out = []
        for holder in holders:
            if holder is None:
                continue
            reported = reporter
            if holder.label == "PERSON" or cue.speaker_holds or holder.text.lower() in FIRST_PERSON:
                body = self._body(holder)
                if body is not None:          # a spokesperson states the body's position
                    holder, reported = body, holder
            if reported is not None and same_name(reported.name, holder.name):
                reported = None
            if reported is not None and holder.text.lower() in FIRST_PERSON and reported.name == holder.name:
                reported = None
            start, end = tok.idx, tok.idx + len(tok)
            text = self.text
            para = (text.rfind("\n", 0, start) + 1, text.find("\n", end) % (len(text) + 1))
            para = (para[0], para[1] or len(text))
            about = None
            if cue.about is not None:
                i, j = max(cue.about[0], sent.start), min(cue.about[1], sent.end)
                if j > i:
                    about = (max(para[0], self.doc[i].idx), min(para[1], self.doc[j - 1].idx + len(self.doc[j - 1])))
                    start, end = min(start, about[0]), max(end, about[1])
            if about is None and tok.pos_ == "VERB" and not cue.speaker_holds:
                continue   # "Democrats pushed for" with nothing after it: a stance on nothing
            holder = clip_actor(holder, text)
            kind = cue.type
            if kind == "demand" and cue.about is not None and undoes(self.doc[cue.about[0]:cue.about[1]]):
                kind = "oppose"   # "called for repealing the law", "urged them to overturn it": against it
            out.append(Stance(
                sentence=index, start=start, end=end, cue_start=tok.idx, cue_end=tok.idx + len(tok),
                type=kind, holder_text=holder.text, holder_start=holder.start, holder_end=holder.end,
                holder_name=holder_name(holder.name), holder_label=holder.label, holder_mention=holder.mention,
                reported_by_text=reported.text if reported else None,
                reported_by_start=reported.start if reported else None,
                reported_by_name=reported.name if reported else None,
                reported_by_mention=reported.mention if reported else None,
                about_start=about[0] if about else None, about_end=about[1] if about else None,
                in_quote=quote is not None))
        return out

