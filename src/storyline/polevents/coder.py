"""The PLOVER event coder: clauses of a dependency-parsed article to political events (who did what to whom).

For each sentence, each verb is tried in this order (a clause is coded once):

1. a framing verb with an action as its complement ("refused to meet", "urged Kyiv to withdraw",
   "threatened to cut aid", "agreed to talks", "denied attacking"): the framing verb gives the type, the
   framed action the mode; "deny"/"fail to" negate the framed action instead; an intent to do harm
   ("vowed to strike") is a threat; a pledge of aid is aid;
2. a speech verb whose reported clause binds someone ("Kyiv must revoke ...", "Russia should agree ...")
   is a request from the speaker to that someone; one announcing the speaker's own harmful action
   ("it will hold a rally ...", "we will respond with force") is a threat;
3. a verb of the pattern file ("attacked", "met", "accused", "called on"), or a light verb carrying an
   event noun ("launched an attack on", "held talks with", "approved sanctions against").

The source is the clause's subject (inherited along ``xcomp``/``conj``; the ``by`` agent of a passive),
the target its object or the object of a preposition; both must resolve to political actors
(``polevents.actors``), else the clause is not coded; a rejection or concession that names no target
answers the actor of the event before it; a joint action ("X and Y agreed") has the second as target.
Not coded (precision): a clause under a condition or question ("only if", "until", "whether"), a relative
clause or noun modifier ("the decree he signed"), a hypothetical ("would not agree", "would have to pull
out"; a "would" reported by a speech verb is the future of the past and stays), a reported obligation whose
clause binds no actor ("said any settlement must ..."), an action with no target unless its type is
one-sided (``one_sided`` in the pattern file: protests, deployments, threats), and a clause repeating one
already coded in the article (same type, negation, source and target).
Conjoined targets ("urged Ukraine and Russia to ...") are one event each.
Negation ("not", "never", "refused to") and hedging
("reportedly", "allegedly", "may", "claimed") are read from the clause and the verbs above it. The date
is a time expression of the clause (else of the sentence, else the publication date); the location a
place the clause is "in", "at" or "near".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from ..nlp.names import load_aliases
from ..records import Mention, PolEvent, TimeExpr
from .actors import ActorFinder, ActorRef
from .lexicon import Code, Lexicon, load_lexicon

#: The mode a framing verb takes from the kind of action it frames (PLOVER modes of REQUEST, REJECT, THREATEN).
MODE_OF = {"CONSULT": "meet", "AGREE": "meet", "AID": "assist", "COOPERATE": "assist", "SUPPORT": "assist",
           "RETREAT": "yield", "CONCEDE": "yield", "ASSAULT": "violence", "MOBILIZE": "violence",
           "COERCE": "restrict", "SANCTION": "relations", "PROTEST": "relations"}
#: Actions that, intended or announced by their own actor, are threats.
HARMFUL = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST", "THREATEN"})
#: Actions done together: with no target, a second subject ("X and Y agreed") is the target.
SYMMETRIC = frozenset({"AGREE", "CONSULT", "COOPERATE", "ASSAULT"})
#: Types whose target, when the clause names none, is whoever acted last ("rejected the request", "lifted
#: the blockade as a gesture").
ANSWERS = frozenset({"REJECT", "CONCEDE"})
TARGET_PREPS = ("against", "on", "with", "to", "at", "toward", "towards", "upon", "for", "into", "over", "from")
PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside"})
#: Words before "strike(s)" that make it military rather than a labour strike.
MILITARY_STRIKE = frozenset({"missile", "drone", "air", "rocket", "artillery", "military", "nuclear", "aerial",
                             "retaliatory", "pre-emptive", "preemptive", "precision"})
_DAY = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass
class _Clause:
    trigger: Token
    code: Code
    target_from: Token | None = None   # where the target is looked for (the event noun, else the verb)
    frame: Token | None = None          # the framing verb, when there is one
    negated: bool = False
    addressee: Token | None = None      # who a reported obligation binds ("said Kyiv must ..."): the only target


def code_events(doc: Doc, mentions: Sequence[Mention], times: Sequence[TimeExpr] = (), published: str | None = None,
                lexicon: Lexicon | None = None, fallback: bool = False) -> list[PolEvent]:
    """The political events of one parsed article (see the module docstring); sentences are numbered as
    ``doc.sents`` (the analysis's ``Sentence`` indices). With ``fallback`` (texts that are each one event
    report, such as coded event sentences or headlines), a sentence where no clause is coded gets the event
    of its governing pattern word between the nearest actors around it (``_fallback``)."""
    lex = lexicon or load_lexicon()
    finder = ActorFinder(doc, mentions, lex, load_aliases())
    out: list[PolEvent] = []
    history: list[PolEvent] = []   # every coded clause, kept or not: whom a later rejection answers
    seen: set[tuple] = set()
    for index, sent in enumerate(doc.sents):
        taken: set[int] = set()
        for tok in sent:
            if tok.dep_ in ("nsubj", "nsubjpass"):   # pronouns after it refer to it
                finder.remember(tok)
            if tok.i in taken or tok.pos_ not in ("VERB", "AUX"):
                continue
            clause = _clause(tok, lex, taken)
            if clause is None or _background(clause, lex) or _hypothetical(clause, lex):
                continue
            event = _event(clause, sent, index, finder, lex, times, published)
            if event is None:
                continue
            if event.target_text is None and event.event_type in ANSWERS:
                event = _answering(event, history)
            history.append(event)
            if event.target_text is None and event.event_type not in lex.words["one_sided"]:
                continue
            for each in [event, *_partners(event, sent, finder)]:
                key = (each.event_type, each.negated, each.source_name, each.target_name)
                if key not in seen:
                    seen.add(key)
                    out.append(each)
        if fallback and not any(e.sentence == index for e in out):
            event = _fallback(sent, index, finder, lex, times, published)
            if event is not None:
                out.append(event)
    return out


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


def _depth(tok: Token) -> int:
    n = 0
    while tok.dep_ != "ROOT" and tok.head != tok and n < 50:
        tok, n = tok.head, n + 1
    return n


def _fallback(sent: Span, index: int, finder: ActorFinder, lex: Lexicon, times: Sequence[TimeExpr],
              published: str | None) -> PolEvent | None:
    """The sentence's governing event word (a pattern verb, framing verb or event noun nearest the root of
    the parse) with the first actor before it as source and the first other actor after it as target."""
    def code_of(t: Token) -> Code | None:
        key = t.lemma_.lower()
        if t.pos_ in ("VERB", "AUX"):
            framed = next((lex.framing[k] for k in _phrasal(t) if k in lex.framing), None)
            if framed is not None and framed != "NEGATE":
                return Code(framed, None)
            return next((lex.verbs[k] for k in _phrasal(t) if k in lex.verbs), None)
        return lex.nouns.get(t.lower_) or lex.nouns.get(key) if t.pos_ == "NOUN" else None

    candidates = [(t, c) for t in sent if (c := code_of(t)) is not None]
    if not candidates:
        return None
    trigger, code = min(candidates, key=lambda tc: (_depth(tc[0]), tc[0].i))
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


# -- finding clauses ---------------------------------------------------------------------------------------

def _phrasal(tok: Token) -> list[str]:
    """Keys to look a verb up by: "call on", "turn down", "take control", then the lemma."""
    lemma = tok.lemma_.lower()
    keys = [f"{lemma} {c.lower_}" for c in tok.children if c.dep_ in ("prt", "prep", "dobj", "advmod")]
    return [*keys, lemma]


def _complement(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX"):
            return c
    for c in tok.children:   # "denied attacking", "refused talks", "called for a ceasefire"
        if c.dep_ in ("dobj", "pcomp"):
            return c
        if c.dep_ == "prep" and c.lower_ in ("for", "of", "to"):
            inner = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if inner is not None:
                return inner
    return None


def _direct(tok: Token, lex: Lexicon) -> _Clause | None:
    """A pattern verb, or a light verb carrying an event noun (searched two steps into its object)."""
    if tok.pos_ == "NOUN":
        return None
    if tok.lemma_.lower() in lex.light:   # the noun decides: "sent troops" (MOBILIZE), "sent aid" (AID)
        noun = _event_noun(tok, lex)
        if noun is not None:
            return _Clause(tok, _noun_code(noun, lex), target_from=noun)
    for key in _phrasal(tok):
        code = lex.verbs.get(key)
        if code is not None:
            if key.startswith("strike") and not any(c.dep_ == "dobj" for c in tok.children):
                subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                if subj is not None and lex.actor_heads.get(subj.lower_) == "civilian":
                    code = Code("PROTEST", "boycott")
            return _Clause(tok, code)
    return None


def _event_noun(tok: Token, lex: Lexicon) -> Token | None:
    objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
    objects += [g for c in objects for g in c.children if g.dep_ == "conj"]   # "a missile and drone attack"
    for c in [*objects, *(c for c in tok.children if c.dep_ == "prep")]:
        if c.dep_ != "prep":
            if c.lower_ in lex.nouns or c.lemma_.lower() in lex.nouns:
                return c
            for p in c.children:   # "$725m in military aid", "a package of sanctions"
                if p.dep_ == "prep" and p.lower_ in ("in", "of"):
                    g = next((g for g in p.children if g.dep_ == "pobj"), None)
                    if g is not None and (g.lower_ in lex.nouns or g.lemma_.lower() in lex.nouns):
                        return g
        if c.dep_ == "prep" and c.lower_ in ("on", "into"):   # "went on strike", "entered into talks"
            g = next((g for g in c.children if g.dep_ == "pobj"), None)
            if g is not None and g.lower_ in lex.nouns:
                return g
    return None


def _noun_code(noun: Token, lex: Lexicon) -> Code:
    code = lex.nouns.get(noun.lower_) or lex.nouns[noun.lemma_.lower()]
    if noun.lemma_.lower() == "strike":
        military = any(c.lower_ in MILITARY_STRIKE for c in noun.subtree if c.i < noun.i) or any(
            c.dep_ == "prep" and c.lower_ in ("on", "against") for c in noun.children)
        return Code("ASSAULT", None) if military else Code("PROTEST", "boycott")
    return code


def _clause(tok: Token, lex: Lexicon, taken: set[int]) -> _Clause | None:
    """The clause ``tok`` heads, trying framing, reported obligation or threat, then the patterns."""
    if tok.pos_ == "NOUN":
        return None
    framing = next((lex.framing[k] for k in _phrasal(tok) if k in lex.framing), None)
    if framing is not None:
        inner_tok = _complement(tok)
        inner = None
        if inner_tok is not None:
            inner = _direct(inner_tok, lex) if inner_tok.pos_ in ("VERB", "AUX") else None
            if inner is None and (inner_tok.lower_ in lex.nouns or inner_tok.lemma_.lower() in lex.nouns):
                inner = _Clause(inner_tok, _noun_code(inner_tok, lex), target_from=inner_tok)
        if inner is not None:
            taken.update(t.i for t in inner.trigger.subtree if t.pos_ in ("VERB", "AUX"))
            taken.add(inner.trigger.i)
            return _framed(tok, framing, inner)
        if framing == "THREATEN" and _announces_future(tok, lex):   # "warned that it would respond"
            return _Clause(tok, Code("THREATEN", None))
    if tok.lemma_.lower() in lex.words["speech"]:
        reported = _reported(tok, lex, taken)
        if reported is not None:
            return reported
    return _direct(tok, lex)


def _announces_future(tok: Token, lex: Lexicon) -> bool:
    return any(c.dep_ == "ccomp" and any(a.lower_ in lex.words["future"] for a in c.children if a.dep_ == "aux")
               for c in tok.children)


def _framed(tok: Token, framing: str, inner: _Clause) -> _Clause:
    kind = inner.code.type
    if framing == "NEGATE":
        return _Clause(inner.trigger, inner.code, inner.target_from, frame=tok, negated=True)
    if framing == "AGREE" and kind in HARMFUL:
        return _Clause(tok, Code("THREATEN", MODE_OF.get(kind)), inner.target_from or inner.trigger, frame=tok)
    if framing == "AGREE" and kind == "AID" and inner.trigger.pos_ == "NOUN":
        return _Clause(tok, inner.code, inner.target_from, frame=tok)
    mode = MODE_OF.get(kind) if framing in ("REQUEST", "REJECT", "THREATEN") else inner.code.mode
    return _Clause(tok, Code(framing, mode), inner.target_from or inner.trigger, frame=tok)


def _reported(tok: Token, lex: Lexicon, taken: set[int]) -> _Clause | None:
    """"X said Kyiv must revoke ..." (a request to Kyiv); "X said it will hold a rally" (a threat)."""
    inner = next((c for c in tok.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
    if inner is None:
        return None
    auxes = {c.lower_ for c in inner.children if c.dep_ in ("aux", "auxpass")}
    action = inner
    if inner.lemma_ in ("need", "have"):   # "Kyiv has to revoke ...", "Russia needs to withdraw"
        if auxes & lex.words["hypothetical"]:   # "X would have to accept ...": a prediction, not a demand
            return None
        action = next((c for c in inner.children if c.dep_ == "xcomp"), None)
        if action is None:
            return None
        auxes |= {"must"}
    code = _direct(action, lex)
    bound = next((c for c in inner.children if c.dep_ == "nsubj"), None)
    if auxes & lex.words["must"] and bound is not None:
        taken.update(t.i for t in inner.subtree if t.pos_ in ("VERB", "AUX"))
        return _Clause(tok, Code("REQUEST", MODE_OF.get(code.code.type) if code else None), target_from=action,
                       frame=inner, addressee=bound)
    if auxes & lex.words["future"] and code is not None and code.code.type in HARMFUL:
        subject = next((c for c in inner.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.pos_ == "PRON" and subject.lower_ in ("it", "we", "they", "i", "he", "she"):
            taken.update(t.i for t in inner.subtree if t.pos_ in ("VERB", "AUX"))
            return _Clause(tok, Code("THREATEN", MODE_OF.get(code.code.type)), code.target_from or inner)
    return None


# -- building the event ------------------------------------------------------------------------------------

def _subject(tok: Token) -> tuple[Token | None, bool]:
    """The clause's subject (inherited from the verb it hangs on) and whether the clause is passive."""
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
        if node.dep_ in ("xcomp", "conj", "advcl", "acl") and node.head != node:
            node = node.head
        else:
            break
    return None, False


def _target(clause: _Clause, source_tok: Token | None, finder: ActorFinder, passive: bool) -> ActorRef | None:
    noun = clause.target_from
    framed = clause.frame is not None and clause.frame == clause.trigger   # "urged Germany to ...": Germany first
    places = [clause.trigger if framed else None, noun, noun.head if noun is not None and noun.dep_ == "conj" else None,
              clause.trigger, clause.frame]
    if passive:
        subj = next((c for c in clause.trigger.children if c.dep_ == "nsubjpass"), None)
        if subj is not None:
            return finder.actor(subj)
    if clause.addressee is not None:   # "said Kyiv must revoke": Kyiv, or no request at all
        return finder.actor(clause.addressee) if clause.addressee != source_tok else None
    for node in (p for p in places if p is not None):
        objects = [c for c in node.children if c.dep_ in ("dobj", "iobj", "dative")]
        for c in objects:
            if c != source_tok and c != clause.target_from:
                found = finder.actor(c)
                if found is not None:
                    return found
        for c in [*node.children, *(g for o in objects for g in o.children)]:   # "shared intelligence with X"
            if c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None:
                    found = finder.actor(obj)
                    if found is not None:
                        return found
    return None


def _own(target: ActorRef, source: ActorRef) -> bool:
    """"withdrew its troops", "recalled their ambassador", "deployed troops": the source's own people are no
    target."""
    if target.country != source.country or target.mention is not None:
        return False
    return target.text.lower().startswith(("its ", "their ", "his ", "her ")) or target.sector == "military"


def _negated(clause: _Clause, lex: Lexicon) -> bool:
    if clause.negated:
        return True
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
    target = _target(clause, source_tok, finder, passive)
    if target is None and clause.code.type in SYMMETRIC:   # "Serbia and Kosovo signed an agreement"
        partner = next((c for c in source_tok.children if c.dep_ == "conj"), None)
        target = finder.actor(partner) if partner is not None else None
    if target is not None and (target.start == source.start or _own(target, source)):
        target = None
    date, basis = _date(clause, sent, times, published)
    return _record(clause, sent, index, source, target, lex, finder, date, basis)


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
