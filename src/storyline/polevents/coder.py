"""The PLOVER event coder: clauses of a dependency-parsed article to political events (who did what to whom).

For each sentence:

1. each verb heads at most one clause, coded by ``patterns.clause_at`` (framing, reported obligation, verb
   sense, light verb with an event noun); an action announced for later is an intent (``patterns.as_intent``);
2. not coded (precision): a clause under a condition or question ("only if", "until", "whether"), a relative
   clause or noun modifier ("the decree he signed"), a hypothetical ("would not agree", "would have to pull
   out"; a "would" reported by a speech verb is the future of the past and stays), a reported obligation whose
   clause binds no actor ("said any settlement must ..."), an action with no target unless its type is
   one-sided (``one_sided`` in the pattern file: protests, deployments, threats), and a clause repeating one
   already coded in the article (same type, negation, source and target);
3. the source is the clause's subject (inherited along ``xcomp``/``conj``; the ``by`` agent of a passive,
   whose subject is then the target); conjoined subjects ("Serbia and Kosovo signed ...") are one joint
   source, named in full, with the first one's country and sector; the target is the object, the object of
   a preposition, or, for an action that falls on a place (an attack, a curfew, a protest, an aid delivery),
   the place, as its country's civilians; a place is otherwise the event's location, never an actor unless it
   stands for a government ("Moscow said"); a rejection or concession that names no target answers the
   actor of the event before it; conjoined targets ("urged Ukraine and Russia to ...") are one event each;
4. the sentence's main event comes first: the clause highest in the parse once reporting frames ("...,
   a port official said", "X announced that ...", "according to") are looked through.

Negation ("not", "never", "refused to", "denied") and hedging ("reportedly", "allegedly", "may", "claimed")
are read from the clause and the verbs above it. The date is a time expression of the clause (else of the
sentence, else the publication date); the location a place the clause is "in", "at" or "near".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..nlp.names import load_aliases
from ..records import Mention, PolEvent, TimeExpr
from .actors import ActorFinder, ActorRef
from .lexicon import Code, Lexicon, load_lexicon
from .patterns import Clause as _Clause
from .patterns import as_intent, clause_at, future, phrasal

#: Types whose target, when the clause names none, is whoever acted last ("rejected the request", "lifted
#: the blockade as a gesture").
ANSWERS = frozenset({"REJECT", "CONCEDE"})
#: Types whose action falls on a place: with no other target, the place's people are the target.
ON_PLACES = frozenset({"ASSAULT", "COERCE", "CONCEDE", "RETREAT", "PROTEST", "AID", "SANCTION", "THREATEN"})
TARGET_PREPS = ("against", "on", "with", "to", "at", "toward", "towards", "upon", "for", "into", "over", "from",
                "between", "by")
#: Prepositions after which a city is where something happens, not who it happens to ("talks at Geneva").
_VENUE_PREPS = frozenset({"at", "from", "into", "over", "toward", "towards", "to", "on"})
PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "into", "on"})
_DAY = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def code_events(doc: Doc, mentions: Sequence[Mention], times: Sequence[TimeExpr] = (), published: str | None = None,
                lexicon: Lexicon | None = None, fallback: bool = False) -> list[PolEvent]:
    """The political events of one parsed article (see the module docstring), in sentence order, each
    sentence's main event first; sentences are numbered as ``doc.sents`` (the analysis's ``Sentence``
    indices). With ``fallback`` (texts that are each one event report, such as coded event sentences or
    headlines), a sentence where no clause is coded gets the event of its governing pattern word between the
    nearest actors around it (``_fallback``)."""
    lex = lexicon or load_lexicon()
    finder = ActorFinder(doc, mentions, lex, load_aliases())
    out: list[PolEvent] = []
    history: list[PolEvent] = []   # every coded clause, kept or not: whom a later rejection answers
    seen: set[tuple] = set()
    for index, sent in enumerate(doc.sents):
        taken: set[int] = set()
        found: list[tuple[int, int, PolEvent]] = []
        untargeted: list[tuple[int, int, PolEvent]] = []   # coded clauses that name no target
        for tok in sent:
            if tok.dep_ in ("nsubj", "nsubjpass"):   # pronouns after it refer to it
                finder.remember(tok)
            if tok.i in taken or tok.pos_ not in ("VERB", "AUX"):
                continue
            clause = clause_at(tok, lex, taken)
            if clause is None or _background(clause, lex) or _hypothetical(clause, lex):
                continue
            if not clause.intent and clause.addressee is None and future(clause.trigger, lex) \
                    and not _scheduled(clause, times):
                clause = as_intent(clause, _negated(clause, lex))
            event = _event(clause, sent, index, finder, lex, times, published)
            if event is None:
                continue
            if event.target_text is None and event.event_type in ANSWERS:
                event = _answering(event, history)
            history.append(event)
            anchor = clause.frame if clause.negated and clause.frame is not None else clause.trigger
            rank = _rank(anchor, lex)
            joint = " and " in event.source_name   # a joint source acting together needs no target
            if event.target_text is None and event.event_type not in lex.words["one_sided"] and not joint:
                untargeted.append((rank, len(untargeted), event))
                continue
            for each in [event, *_partners(event, sent, finder)]:
                key = (each.event_type, each.negated, each.source_name, each.target_name)
                if key not in seen:
                    seen.add(key)
                    found.append((rank, len(found), each))
        out.extend(e for _, _, e in sorted(found, key=lambda f: (f[0], f[1])))
        if fallback and not found:
            event = _nearest_target(min(untargeted)[2], sent, finder) if untargeted else \
                _fallback(sent, index, finder, lex, times, published)
            if event is not None:
                out.append(event)
    return out


def _scheduled(clause: _Clause, times: Sequence[TimeExpr]) -> bool:
    """A meeting announced with its day ("will meet ... in Istanbul next Thursday") is the meeting, not an
    intent to meet."""
    if clause.code.type != "CONSULT":
        return False
    own = {t.idx for t in clause.trigger.subtree} - {t.idx for c in clause.trigger.children if c.dep_ in
                                                      ("advcl", "relcl", "acl", "ccomp") for t in c.subtree}
    return any(t.start in own and t.type == "DATE" for t in times)   # not a day of a clause under it


def _rank(tok: Token, lex: Lexicon) -> int:
    """How deep a clause lies in its sentence, reporting frames looked through: "X said (that) ...",
    "..., officials said", "according to ..."."""
    n = 0
    node = tok
    while node.dep_ != "ROOT" and node.head != node and n < 50:
        head = node.head
        if not (head.lemma_.lower() in lex.words["speech"] and node.dep_ in ("ccomp", "parataxis", "conj")):
            n += 1
        node = head
    if tok.lemma_.lower() in lex.words["speech"]:
        n += 0
    return n


def _partners(event: PolEvent, sent: Span, finder: ActorFinder) -> list[PolEvent]:
    """"urged Ukraine and Russia to agree", "accused Washington and Brussels": one event per conjoined
    target."""
    head = next((t for t in sent if t.idx == event.target_start), None)
    while head is not None and head.dep_ in ("amod", "compound", "poss", "det", "nmod") and head.head != head:
        head = head.head
    if head is None:
        return []
    out = []
    for c in head.children:
        partner = finder.actor(c) if c.dep_ == "conj" else None
        if partner is not None and partner.start != event.source_start:
            out.append(replace(event, target_text=partner.text, target_start=partner.start, target_name=partner.name,
                               target_country=partner.country, target_sector=partner.sector,
                               target_mention=partner.mention))
    return out


def _code_of(t: Token, lex: Lexicon) -> Code | None:
    if t.pos_ in ("VERB", "AUX"):
        framed = next((lex.framing[k] for k in phrasal(t) if k in lex.framing), None)
        if framed is not None and framed != "NEGATE":
            return Code(framed, None)
        return next((lex.verbs[k] for k in phrasal(t) if k in lex.verbs), None)
    return lex.nouns.get(t.lower_) or lex.nouns.get(t.lemma_.lower()) if t.pos_ == "NOUN" else None


def _nearest_target(event: PolEvent, sent: Span, finder: ActorFinder) -> PolEvent:
    """A coded clause that names no target, given the first other actor after its trigger as target."""
    for t in sent:
        if t.idx <= event.trigger_start or t.pos_ not in ("PROPN", "NOUN") or t.dep_ == "compound":
            continue
        a = finder.actor(t) or finder.place(t)
        if a is None or a.start == event.source_start or a.name == event.source_name:
            continue
        if event.source_text and a.text in event.source_text:
            continue
        return replace(event, target_text=a.text, target_start=a.start, target_name=a.name,
                       target_country=a.country, target_sector=a.sector, target_mention=a.mention)
    return event


def _fallback(sent: Span, index: int, finder: ActorFinder, lex: Lexicon, times: Sequence[TimeExpr],
              published: str | None) -> PolEvent | None:
    """The sentence's governing event word (a pattern verb, framing verb or event noun nearest the root of
    the parse) with the first actor before it as source and the first other actor after it as target."""
    candidates = [(t, c) for t in sent if (c := _code_of(t, lex)) is not None]
    if not candidates:
        return None
    trigger, code = min(candidates, key=lambda tc: (_rank(tc[0], lex), tc[0].i))
    if trigger.pos_ in ("VERB", "AUX") and _subject(trigger)[0] is not None:   # the parse says who did it
        event = _event(_Clause(trigger, code), sent, index, finder, lex, times, published)
        if event is not None:
            return event
    actors = [(t, a) for t in sent if t.pos_ in ("PROPN", "NOUN", "PRON") and (a := finder.actor(t)) is not None]
    source = next((a for t, a in reversed(actors) if t.i < trigger.i), None) or next(
        (a for t, a in actors if t.i > trigger.i), None)
    if source is None:
        return None
    target = next((a for t, a in actors if t.i > trigger.i and a.start != source.start
                   and (a.country, a.name) != (source.country, source.name)), None)
    clause = _Clause(trigger, code)
    date, basis = _date(clause, sent, times, published)
    return _record(clause, sent, index, source, target, lex, finder, date, basis)


def _background(clause: _Clause, lex: Lexicon) -> bool:
    """A clause that is a condition, a question or a description, not a reported action: under "if",
    "until", "whether" ("only if Kyiv recognised ..."), or a relative clause or modifier of a noun ("the
    decree he signed", "a decree declaring talks impossible")."""
    node = clause.frame if clause.negated and clause.frame is not None else clause.trigger
    if clause.frame is None and (node.dep_ in ("pcomp", "pobj") or node.head.lemma_.lower() in lex.words["likeness"]):
        return True   # "saying they amount to surrender": a description, not an action
    for _ in range(8):
        if node.dep_ == "acl" or (node.dep_ == "relcl" and not any(c.lower_ in ("where", "when") for c in node.children)):
            return True
        if any(c.dep_ == "mark" and c.lower_ in lex.words["condition"] for c in node.children):
            return True
        if node.dep_ == "ROOT" or node.head == node:
            return False
        node = node.head
    return False


def _hypothetical(clause: _Clause, lex: Lexicon) -> bool:
    """An action only supposed ("Moscow would not agree to a truce", "Ukraine would have to pull out"): a
    hypothetical modal on the verb or on the verbs it complements (a reported obligation is a request);
    "would" reported by a speech verb is the future of the past ("confirmed that X would meet Y") unless
    negated, which is a stance ("said Moscow would not agree")."""
    node = clause.trigger
    for _ in range(4):
        modals = {c.lower_ for c in node.children if c.dep_ == "aux"} & lex.words["hypothetical"]
        reported = node.dep_ == "ccomp" and node.head.lemma_.lower() in lex.words["speech"]
        if modals and not (modals == {"would"} and reported and not any(c.dep_ == "neg" for c in node.children)):
            return True
        if node.dep_ != "xcomp":
            return False
        node = node.head
    return False


def _answering(event: PolEvent, earlier: list[PolEvent]) -> PolEvent:
    """"The union rejected that request": the target is the actor of the last event before it by another."""
    prior = next((e for e in reversed(earlier) if (e.source_name, e.source_country) != (event.source_name,
                                                                                       event.source_country)), None)
    if prior is None:
        return event
    return replace(event, target_text=prior.source_text, target_start=prior.source_start,
                   target_name=prior.source_name, target_country=prior.source_country,
                   target_sector=prior.source_sector, target_mention=prior.source_mention)


# -- building the event ------------------------------------------------------------------------------------

def _subject(tok: Token) -> tuple[Token | None, bool]:
    """The clause's subject (inherited from the verb it hangs on) and whether the clause is passive (its
    subject is then the ``by`` agent, or none)."""
    node = tok
    for _ in range(6):
        for c in node.children:
            if c.dep_ == "nsubj":
                return c, False
            if c.dep_ == "nsubjpass" and node is not tok:   # "X is expected to approve ...": X approves
                return c, False
            if c.dep_ == "nsubjpass":
                agent = next((g for a in node.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"),
                             None)
                return agent, True
        if node.dep_ in ("xcomp", "conj", "advcl", "acl", "acomp") and node.head != node:
            node = node.head
        else:
            break
    return None, False


def _place(tok: Token, finder: ActorFinder) -> ActorRef | None:
    """A place in the phrase under ``tok`` ("in the town of Cizre in southeastern Turkey"), as its people."""
    for t in tok.subtree:
        found = finder.place(t)
        if found is not None:
            return found
    return None


def _target(clause: _Clause, source_tok: Token | None, finder: ActorFinder, passive: bool,
            source: ActorRef | None = None) -> ActorRef | None:
    """The clause's target (module docstring, step 3); the source's own people ("withdrew its troops") are
    passed over."""
    def other(found: ActorRef | None) -> ActorRef | None:
        if found is None or source is None:
            return found
        return None if found.start == source.start or _own(found, source) else found

    noun = clause.target_from
    if clause.beneficiary is not None:   # "urged the EU to support the PLO": the PLO
        clause = _Clause(clause.beneficiary, clause.code, target_from=None)
        noun = None
    framed = clause.frame is not None and clause.frame == clause.trigger   # "urged Germany to ...": Germany first
    nodes = [clause.trigger if framed else None, noun, noun.head if noun is not None and noun.dep_ == "conj" else None,
             clause.trigger, clause.frame]
    nodes = [n for i, n in enumerate(nodes) if n is not None and n not in nodes[:i]]
    if passive:
        subj = next((c for c in clause.trigger.children if c.dep_ == "nsubjpass"), None)
        if subj is not None:
            return finder.actor(subj) or (_place(subj, finder) if clause.code.type in ON_PLACES else None)
    if clause.addressee is not None:   # "said Kyiv must revoke": Kyiv, or no request at all
        return finder.actor(clause.addressee) if clause.addressee != source_tok else None
    if clause.code.type == "REQUEST" and noun is not None and noun.pos_ in ("VERB", "AUX"):
        bound = next((c for c in noun.children if c.dep_ in ("nsubj", "nsubjpass")), None)   # "demanded that X ..."
        found = other(finder.actor(bound)) if bound is not None and bound != source_tok else None
        if found is not None:
            return found
    for node in nodes:
        objects = [c for c in node.children if c.dep_ in ("dobj", "iobj", "dative")]
        for c in objects:
            if c != source_tok and c != clause.target_from:
                found = other(finder.actor(c))
                if found is not None:
                    return found
        for c in [*node.children, *(g for o in objects for g in o.children)]:   # "shared intelligence with X"
            if c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None and obj != source_tok:
                    found = other(finder.actor(obj))
                    if found is not None and not (c.lower_ in _VENUE_PREPS and finder.is_place(obj)):
                        return found
    if clause.code.type in ON_PLACES:   # "imposed a curfew in Cizre", "shelled Kupiansk", "demonstrated in Serbia"
        for node in nodes:
            for c in node.children:
                if c.dep_ in ("dobj", "nsubjpass") or (c.dep_ == "prep" and c.lower_ in PLACE_PREPS | {"against"}):
                    found = other(_place(c, finder))
                    if found is not None:
                        return found
    return None


def _own(target: ActorRef, source: ActorRef) -> bool:
    """"withdrew its troops", "recalled their ambassador", "deployed troops": the source's own people are no
    target."""
    if target.country != source.country or target.mention is not None:
        return False
    return target.text.lower().startswith(("its ", "their ", "his ", "her ")) or (
        target.sector == "military" and source.sector in ("government", "military"))


def _negated(clause: _Clause, lex: Lexicon) -> bool:
    if clause.negated or clause.settled:
        return clause.negated
    for node in (clause.trigger, clause.frame):
        if node is not None and any(c.dep_ == "neg" or c.lower_ in lex.words["negation"] and c.dep_ in ("neg", "advmod")
                                    for c in node.children):
            return True
    noun = clause.target_from
    return noun is not None and any(c.lower_ == "no" and c.dep_ == "det" for c in noun.children)


def _hedged(clause: _Clause, lex: Lexicon) -> bool:
    node: Token | None = clause.trigger
    for _ in range(4):
        if node is None:
            break
        for c in node.children:
            if c.lower_ in lex.words["hedges"] and c.dep_ in ("advmod", "aux", "amod"):
                return True
        if node.lemma_.lower() in lex.words["hedge_verbs"] and node != clause.trigger:
            return True
        if node.dep_ == "ROOT":
            break
        node = node.head
    return False


def _date(clause: _Clause, sent: Span, times: Sequence[TimeExpr], published: str | None
          ) -> tuple[str | None, str | None]:
    """A day (or month) the clause names, else one its sentence names, else the publication date."""
    clause_tokens = list(clause.trigger.subtree)
    lo, hi = clause_tokens[0].idx, clause_tokens[-1].idx + len(clause_tokens[-1].text)
    in_sentence = [t for t in times if sent.start_char <= t.start < sent.end_char and t.type == "DATE"
                   and t.value and _DAY.match(t.value)]
    inside = [t for t in in_sentence if lo <= t.start < hi]
    chosen = (inside or in_sentence or [None])[0]
    if chosen is not None:
        return chosen.value, "text"
    return (published, "publication") if published else (None, None)


def _location(clause: _Clause, finder: ActorFinder) -> str | None:
    for node in (clause.trigger, clause.target_from):
        if node is None:
            continue
        for c in node.children:
            if c.dep_ == "prep" and c.lower_ in PLACE_PREPS:
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                m = finder.by_token.get(obj.i) if obj is not None else None
                if m is not None and m.label in ("GPE", "LOC", "FAC"):
                    return m.name
    return None


def _event(clause: _Clause, sent: Span, index: int, finder: ActorFinder, lex: Lexicon,
           times: Sequence[TimeExpr], published: str | None) -> PolEvent | None:
    # "denied attacking": the framed action's actor is the subject of the verb that denies it
    anchor = clause.frame if clause.negated and clause.frame is not None else clause.trigger
    source_tok, passive = _subject(anchor)
    if source_tok is None:
        return None
    source = finder.actor(source_tok)
    if source is None:
        return None
    source, partners = _joint(source_tok, source, finder)
    target = _target(clause, source_tok, finder, passive, source)
    if target is not None and (target.start == source.start or _own(target, source)
                               or any(target.start == p.start for p in partners)):
        target = None
    if clause.code == Code("RETREAT", "ease") and source.sector != "military":   # a protest's blockade lifted
        clause = replace(clause, code=Code("CONCEDE", None))
    date, basis = _date(clause, sent, times, published)
    return _record(clause, sent, index, source, target, lex, finder, date, basis)


def _joint(tok: Token, source: ActorRef, finder: ActorFinder) -> tuple[ActorRef, list[ActorRef]]:
    """Conjoined subjects ("the United States and Jordan", "Hungarian and Romanian officials") as one joint
    source: named in full, with the first one's country and sector."""
    partners = [a for c in tok.children if c.dep_ == "conj" and (a := finder.actor(c)) is not None]
    for m in tok.children:   # "Turkish and Greek sides", "U.S. and Russian negotiators"
        if m.dep_ in ("amod", "compound", "nmod"):
            partners += [a for c in m.children if c.dep_ == "conj" and (a := finder.actor_modifier(c)) is not None]
    if tok.dep_ == "compound" or not partners:
        return source, []
    names = [source.name] + [p.name for p in partners if p.name != source.name and p.text not in source.text]
    if len(names) == 1:
        return source, partners
    joint = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 2 else " and ".join(names)
    last = max(partners, key=lambda p: p.start)
    end = max(t.idx + len(t.text) for t in tok.subtree if t.idx <= last.start + len(last.text))
    text = finder.text[min(source.start, last.start):max(end, source.start + len(source.text))]
    return replace(source, text=text, name=joint), partners


def _record(clause: _Clause, sent: Span, index: int, source: ActorRef, target: ActorRef | None, lex: Lexicon,
            finder: ActorFinder, date: str | None, basis: str | None) -> PolEvent:
    trig = clause.trigger
    return PolEvent(
        sentence=index, start=sent.start_char, end=sent.end_char, trigger_start=trig.idx,
        trigger_end=trig.idx + len(trig.text), action=trig.text, event_type=clause.code.type,
        mode=clause.code.mode, negated=_negated(clause, lex), hedged=_hedged(clause, lex),
        source_text=source.text, source_start=source.start, source_name=source.name,
        source_country=source.country, source_sector=source.sector, source_mention=source.mention,
        target_text=target.text if target else None, target_start=target.start if target else None,
        target_name=target.name if target else None, target_country=target.country if target else None,
        target_sector=target.sector if target else None, target_mention=target.mention if target else None,
        date=date, date_basis=basis, location=_location(clause, finder),
    )
