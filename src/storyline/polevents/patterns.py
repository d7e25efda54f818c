"""What a verb does, read from the parse: the PLOVER type and mode of the clause a verb heads.

A verb is tried in this order (``clause_at``):

1. a framing verb with an action as its complement ("refused to meet", "urged Kyiv to withdraw",
   "threatened to cut aid", "agreed to talks", "denied attacking"): the framing verb gives the type, the framed
   action the mode; "deny"/"fail to" negate the framed action instead; an intent to do harm ("vowed to
   strike") is a threat, readiness for it ("prepared to resume shelling") a mobilisation; a pledge of aid
   is aid; a call on others to back or oppose someone ("urged the EU to support the PLO", "called on Arabs
   to mobilise against X") is support for, or disapproval of, that someone;
2. a speech verb whose reported clause binds someone ("Kyiv must revoke ...") is a request to that someone;
3. a verb of the pattern file in the sense its object and particles give ("withdrew its inspectors" is a
   sanction, "withdrew its troops" a retreat; "lifted the curfew" a concession; "cut aid" a sanction), or a
   light verb carrying an event noun ("launched an attack on", "held talks with", "imposed sanctions on");
   a verb of motion with an event as its purpose ("returned to Geneva for talks") is that event.

An action announced for the future ("will give", "said they would boycott", "is willing to withdraw") is an
intent: to cooperate (AGREE) when the action cooperates, a threat (THREATEN) when it harms, a refusal
(REJECT) when a cooperation is announced as not going to happen ("will not accept").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Token

from .lexicon import Code, Lexicon

#: The mode a framing verb takes from the kind of action it frames (PLOVER modes of REQUEST, REJECT, THREATEN).
MODE_OF = {"CONSULT": "meet", "AGREE": "meet", "AID": "assist", "COOPERATE": "assist", "SUPPORT": "assist",
           "RETREAT": "yield", "CONCEDE": "yield", "ASSAULT": "violence", "MOBILIZE": "violence",
           "COERCE": "restrict", "SANCTION": "relations", "PROTEST": "relations"}
#: Actions that, intended or announced by their own actor, are threats.
HARMFUL = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST", "THREATEN"})
#: Actions that, intended or announced, are an agreement (PLOVER AGREE: intent to cooperate or yield).
COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
#: Adjectives of readiness that make their complement an intent ("willing to", "prepared to").
READY = frozenset({"willing", "ready", "prepared", "determined", "committed", "poised", "eager", "keen", "set",
                   "happy", "open"})
#: Verbs of motion whose purpose ("for talks", "to mediate") is the event.
MOTION = frozenset({"return", "go", "travel", "fly", "arrive", "come", "head", "leave"})
#: Words before "strike(s)" that make it military rather than a labour strike.
MILITARY_STRIKE = frozenset({"missile", "drone", "air", "rocket", "artillery", "military", "nuclear", "aerial",
                             "retaliatory", "pre-emptive", "preemptive", "precision"})


@dataclass
class Clause:
    """A coded clause: the word carrying the action, its code, where its target is looked for (the event
    noun, else the verb), the framing verb if any, whether the frame negates it, and who a reported
    obligation binds ("said Kyiv must ...")."""

    trigger: Token
    code: Code
    target_from: Token | None = None
    frame: Token | None = None
    negated: bool = False
    addressee: Token | None = None
    intent: bool = False      # announced or intended, not done (the framing or the future made it so)
    beneficiary: Token | None = None   # "urged the EU to support the PLO": the PLO
    settled: bool = False     # its negation is already in its type ("will not accept": REJECT)


_KNOWN: set[str] = set()


def lemma_of(tok: Token) -> str:
    """The verb's lemma, mended where the lemmatiser cuts a past form wrongly ("staged" -> "stag")."""
    lemma = tok.lemma_.lower()
    lower = tok.lower_
    if tok.tag_ in ("VBD", "VBN") and lower.endswith("ed") and lemma not in _KNOWN:
        for guess in (lower[:-1], lower[:-2]):
            if guess in _KNOWN:
                return guess
    return lemma


def know(lex: Lexicon) -> None:
    """Register the verbs the lexicon knows (for ``lemma_of``)."""
    if not _KNOWN:
        _KNOWN.update(k.split()[0] for k in [*lex.verbs, *lex.senses, *lex.framing])
        _KNOWN.update(lex.light)


def phrasal(tok: Token) -> list[str]:
    """Keys to look a verb up by: "call on", "turn down", "take control", then the lemma."""
    lemma = lemma_of(tok)
    keys = [f"{lemma} {c.lower_}" for c in tok.children if c.dep_ in ("prt", "prep", "dobj", "advmod")]
    keys += [f"{lemma} {c.lemma_.lower()}" for c in tok.children if c.dep_ == "dobj"]
    return [*keys, lemma]


def _object_words(tok: Token) -> set[str]:
    """The words of a verb's object phrase (head and modifiers, and the object of its "of"): what its sense
    is read from."""
    words: set[str] = set()
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass", "attr", "dative") or (c.dep_ == "prep" and c.lower_ in ("on", "of")):
            heads = [c] if c.dep_ != "prep" else [g for g in c.children if g.dep_ == "pobj"]
            for h in heads:
                for t in h.subtree:
                    if t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") and t.i - h.i <= 6:
                        words.update((t.lower_, t.lemma_.lower()))
    return words


def sense(tok: Token, lex: Lexicon) -> Code | None:
    """The code of a verb in the sense its object gives, from ``[senses]`` of the pattern file."""
    options = lex.senses.get(lemma_of(tok))
    if not options:
        for key in phrasal(tok)[:-1]:
            options = lex.senses.get(key)
            if options:
                break
    if not options:
        return None
    words = _object_words(tok)
    for cls, code in options:
        if cls == "*" or words & lex.classes.get(cls, frozenset({cls})):
            return code
    return None


def through_aspect(tok: Token, lex: Lexicon) -> Token:
    """"resume shelling", "continue to attack", "decided to allow": the action the aspect verb carries."""
    for _ in range(3):
        if lemma_of(tok) not in lex.words["aspect"]:
            return tok
        inner = next((c for c in tok.children if c.dep_ in ("xcomp",) and c.pos_ in ("VERB", "AUX")), None)
        if inner is None:
            return tok
        tok = inner
    return tok


def complement(tok: Token, lex: Lexicon) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX"):
            return through_aspect(c, lex)
    for c in tok.children:   # "denied attacking", "refused talks", "called for a ceasefire"
        if c.dep_ in ("dobj", "pcomp"):
            return c
        if c.dep_ == "prep" and c.lower_ in ("for", "of", "to"):
            inner = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if inner is not None:
                return inner
    return None


def event_noun(tok: Token, lex: Lexicon) -> Token | None:
    objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
    objects += [g for c in objects for g in c.children if g.dep_ == "conj"]   # "a missile and drone attack"
    for c in [*objects, *(c for c in tok.children if c.dep_ == "prep")]:
        if c.dep_ != "prep":
            if c.lower_ in lex.nouns or c.lemma_.lower() in lex.nouns:
                return c
            for p in c.children:   # "$725m in military aid", "a package of sanctions", "10 days of war games"
                if p.dep_ == "prep" and p.lower_ in ("in", "of"):
                    g = next((g for g in p.children if g.dep_ == "pobj"), None)
                    if g is not None and (g.lower_ in lex.nouns or g.lemma_.lower() in lex.nouns):
                        return g
        if c.dep_ == "prep" and c.lower_ in ("on", "into", "in", "under"):   # "went on strike", "put under investigation"
            g = next((g for g in c.children if g.dep_ == "pobj"), None)
            if g is not None and g.lower_ in lex.nouns:
                return g
    return None


def noun_code(noun: Token, lex: Lexicon) -> Code:
    code = lex.nouns.get(noun.lower_) or lex.nouns[noun.lemma_.lower()]
    lemma = noun.lemma_.lower()
    if lemma == "strike":
        if any(c.lower_ == "hunger" for c in noun.children):
            return Code("PROTEST", "hunger")
        military = any(c.lower_ in MILITARY_STRIKE for c in noun.subtree if c.i < noun.i) or any(
            c.dep_ == "prep" and c.lower_ in ("on", "against") for c in noun.children)
        return Code("ASSAULT", None) if military else Code("PROTEST", "boycott")
    if lemma == "protest" and noun.head.lemma_.lower() in ("lodge", "file", "send", "deliver", "submit"):
        return Code("ACCUSE", "allege")   # an official protest is a complaint
    if code.type == "MOBILIZE" and any(c.lower_ in ("peacekeeping", "peacekeepers") for c in noun.subtree):
        return Code("AID", "peacekeeping")
    return code


def direct(tok: Token, lex: Lexicon) -> Clause | None:
    """A pattern verb in its sense, a light verb carrying an event noun (searched two steps into its object),
    or a verb of motion with an event as its purpose."""
    if tok.pos_ == "NOUN":
        return None
    lemma = lemma_of(tok)
    found = sense(tok, lex)
    if found is not None:
        return Clause(tok, found)
    if lemma in lex.light or lemma in lex.verbs:   # the noun decides: "sent troops" (MOBILIZE), "sent aid" (AID)
        noun = event_noun(tok, lex)
        if noun is not None and (lemma in lex.light or lex.verbs[lemma].type == noun_code(noun, lex).type):
            return Clause(tok, noun_code(noun, lex), target_from=noun)
    for key in phrasal(tok):
        code = lex.verbs.get(key)
        if code is not None:
            if key.startswith("strike") and not any(c.dep_ == "dobj" for c in tok.children):
                subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                if subj is not None and lex.actor_heads.get(subj.lower_) == "civilian":
                    code = Code("PROTEST", "boycott")
            return Clause(tok, code)
    if lemma in MOTION:   # "returned to Geneva for talks"
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "for":
                g = next((g for g in c.children if g.dep_ == "pobj"), None)
                if g is not None and (g.lower_ in lex.nouns or g.lemma_.lower() in lex.nouns):
                    return Clause(tok, noun_code(g, lex), target_from=g)
            if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB":
                inner = direct(c, lex)
                if inner is not None:
                    return inner
    return None


def _framed(tok: Token, framing: str, inner: Clause, lex: Lexicon) -> Clause:
    kind = inner.code.type
    lemma = lemma_of(tok)
    if framing == "NEGATE" and lemma in lex.words["fail"] and (kind in COOPERATIVE or kind == "AGREE"):
        return Clause(tok, Code("REJECT", MODE_OF.get(kind)), inner.target_from or inner.trigger, frame=tok)
    if framing == "NEGATE":
        return Clause(inner.trigger, inner.code, inner.target_from, frame=tok, negated=True)
    if framing == "AGREE" and lemma in lex.words["prepare"] and kind in ("ASSAULT", "MOBILIZE"):
        return Clause(tok, Code("MOBILIZE", "troops"), inner.target_from or inner.trigger, frame=tok)
    if framing == "AGREE" and kind in HARMFUL:
        return Clause(tok, Code("THREATEN", MODE_OF.get(kind)), inner.target_from or inner.trigger, frame=tok,
                      intent=True)
    if framing == "AGREE" and kind == "AID" and inner.trigger.pos_ == "NOUN":
        return Clause(tok, inner.code, inner.target_from, frame=tok)
    if framing == "REQUEST" and kind == "SUPPORT" and inner.trigger.pos_ == "VERB":   # rallying support for
        return Clause(tok, Code("SUPPORT", None), inner.trigger, frame=tok, beneficiary=inner.trigger)
    if framing == "REQUEST" and kind in ("MOBILIZE", "PROTEST", "ASSAULT") and any(
            c.dep_ == "prep" and c.lower_ == "against" for c in inner.trigger.children):   # rallying opposition
        return Clause(tok, Code("ACCUSE", "disapprove"), inner.trigger, frame=tok, beneficiary=inner.trigger)
    mode = MODE_OF.get(kind) if framing in ("REQUEST", "REJECT", "THREATEN") else inner.code.mode
    return Clause(tok, Code(framing, mode), inner.target_from or inner.trigger, frame=tok,
                  intent=framing in ("AGREE", "THREATEN"))


def _announces_future(tok: Token, lex: Lexicon) -> bool:
    return any(c.dep_ == "ccomp" and any(a.lower_ in lex.words["future"] for a in c.children if a.dep_ == "aux")
               for c in tok.children)


def reported_under(tok: Token, lex: Lexicon) -> Token | None:
    """The speech verb ``tok``'s clause is reported by ("said they would ..."), if any."""
    node = tok
    for _ in range(3):
        if node.dep_ in ("ccomp", "parataxis") and node.head.lemma_.lower() in lex.words["speech"]:
            return node.head
        if node.dep_ in ("conj", "xcomp") or (node.dep_ == "ccomp" and node.head.pos_ == "AUX"):
            node = node.head
            continue
        return None
    return None


def future(tok: Token, lex: Lexicon) -> bool:
    """An action announced for later: "will give", "is willing to withdraw", "said they would boycott"."""
    node = tok
    for _ in range(3):
        auxes = {c.lower_ for c in node.children if c.dep_ in ("aux", "auxpass")}
        if auxes & {"will", "'ll", "shall", "wo"} or ("going" in auxes):
            return True
        if "would" in auxes and reported_under(node, lex) is not None:
            return True
        if node.dep_ == "xcomp" and node.head.lower_ in READY:
            return True
        if node.dep_ in ("xcomp", "conj"):
            node = node.head
            continue
        return False
    return False


def as_intent(clause: Clause, negated: bool) -> Clause:
    """An action announced, not done: an agreement when it cooperates, a threat when it harms, a refusal when
    a cooperation is announced as not going to happen."""
    kind = clause.code.type
    if kind in COOPERATIVE or kind == "AGREE":
        if negated:
            return replace(clause, code=Code("REJECT", MODE_OF.get(kind)), intent=True, negated=False, settled=True)
        return replace(clause, code=Code("AGREE", clause.code.mode), intent=True)
    if kind in HARMFUL and kind != "THREATEN" and not negated:
        return replace(clause, code=Code("THREATEN", MODE_OF.get(kind)), intent=True)
    return clause


def reported(tok: Token, lex: Lexicon, taken: set[int]) -> Clause | None:
    """"X said Kyiv must revoke ..." (a request to Kyiv); "X said it will hold a rally" (a threat)."""
    inner = next((c for c in tok.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
    if inner is None:
        return None
    auxes = {c.lower_ for c in inner.children if c.dep_ == "aux" and c.tag_ == "MD"}
    action = inner
    if inner.lemma_ in ("need", "have"):   # "Kyiv has to revoke ...", "Russia needs to withdraw"
        if auxes & lex.words["hypothetical"]:   # "X would have to accept ...": a prediction, not a demand
            return None
        action = next((c for c in inner.children if c.dep_ == "xcomp"), None)
        if action is None:
            return None
        auxes |= {"must"}
    code = direct(action, lex)
    bound = next((c for c in inner.children if c.dep_ == "nsubj"), None)
    if auxes & lex.words["must"] and bound is not None:
        taken.update(t.i for t in inner.subtree if t.pos_ in ("VERB", "AUX"))
        return Clause(tok, Code("REQUEST", MODE_OF.get(code.code.type) if code else None), target_from=action,
                      frame=inner, addressee=bound)
    return None


def clause_at(tok: Token, lex: Lexicon, taken: set[int]) -> Clause | None:
    """The clause ``tok`` heads, trying framing, reported obligation, then the patterns (module docstring)."""
    if tok.pos_ == "NOUN":
        return None
    know(lex)
    if lemma_of(tok) in lex.words["aspect"] and through_aspect(tok, lex) is not tok:
        return None   # "resumed shelling": the shelling is the clause
    framing = next((lex.framing[k] for k in phrasal(tok) if k in lex.framing), None)
    if framing is not None and not any(c.dep_ in ("xcomp", "ccomp") for c in tok.children):
        found = sense(tok, lex)   # "ordered patrols": the object decides, there is no framed action
        if found is not None:
            return Clause(tok, found)
    if framing is not None:
        inner_tok = complement(tok, lex)
        inner = None
        if inner_tok is not None:
            inner = clause_at(inner_tok, lex, taken) if inner_tok.pos_ in ("VERB", "AUX") else None
            if inner is not None and inner.frame is not None and inner.code.type in ("REQUEST", "REJECT", "AGREE",
                                                                                     "THREATEN"):
                inner = None   # "agreed to refuse ...": keep to one level of framing
            if inner is None and inner_tok.pos_ in ("VERB", "AUX"):
                inner = direct(inner_tok, lex)
            if inner is None and (inner_tok.lower_ in lex.nouns or inner_tok.lemma_.lower() in lex.nouns):
                inner = Clause(inner_tok, noun_code(inner_tok, lex), target_from=inner_tok)
        if inner is not None:
            taken.update(t.i for t in inner.trigger.subtree if t.pos_ in ("VERB", "AUX"))
            taken.add(inner.trigger.i)
            return _framed(tok, framing, inner, lex)
        if framing == "THREATEN" and _announces_future(tok, lex):   # "warned that it would respond"
            return Clause(tok, Code("THREATEN", None))
        if framing in ("REQUEST", "REJECT", "THREATEN", "AGREE") and lemma_of(tok) in lex.verbs:
            return Clause(tok, lex.verbs[lemma_of(tok)], target_from=inner_tok, frame=tok if inner_tok else None)
    if lemma_of(tok) in lex.words["speech"]:
        said = reported(tok, lex, taken)
        if said is not None:
            return said
    return direct(tok, lex)
