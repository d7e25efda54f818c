"""What the dependency parse says around a stance cue (a mixin of ``stances._Finder``): whose stance it is
(the cue's subject, a passive's agent, the noun a "who" clause describes, the copula's subject; never a share of a
public in a poll), who reports it (the speech verb above it), what it is about, whether it is negated, unreal
(under "if"/"whether", predicted, possible, asked), the content of another stance, a complement that says
nothing, or a blame that only names who did a hostile act."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from .stance_clauses import subtree
from .stance_lexicon import (ABOUT_DEPS, BY_DOING, CLAUSE_DEPS, DOCUMENTS, MODALS_MAYBE, NEGATIONS, OBLIGATION,
                             PREDICTION, UNDO)


#: Passive forms that are their subject's state when "to" follows ("is opposed to", "is committed to").
STATE_PASSIVES = frozenset({"oppose", "commit", "dedicate", "devote"})
#: a share of a public a poll reports ("a majority of Democrats", "39% of Republicans")
SHARES = frozenset({"majority", "minority", "plurality", "percent", "%", "half", "third", "quarter", "fraction"})
_POLL = re.compile(r"\b(?:polls?|polled|polling|surveys?|surveyed|respondents)\b|\d\s?%|\bpercent\b"
                   r"|\b(?:in|of) (?:ten|five|four|three|10|5|4|3)\b", re.I)


def polled(subject: Token, sent: Span) -> bool:
    """A cue's subject is a share of a public in a sentence reporting a poll ("a majority of Democrats backed
    the proposal", "eight in ten Republicans disagreeing", "approval among independents ... to 53%"): an
    opinion measured, not a stance an actor takes."""
    if not _POLL.search(sent.text):
        return False
    if subject.dep_ == "pobj" and subject.head.lower_ == "among":
        return True
    if subject.dep_ == "pobj" and subject.head.lower_ == "of":
        subject = subject.head.head
    if subject.lemma_.lower() in SHARES or subject.lower_ in SHARES:
        return True
    return any(c.dep_ == "nummod" and any(q.lower_ == "in" for q in c.subtree) for c in subject.children)


def not_only(t: Token) -> bool:
    """``t`` is a word of "not only ... but also", which negates and limits nothing."""
    doc = t.doc
    return (t.lower_ == "not" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "only") or \
        (t.lower_ == "only" and t.i > 0 and doc[t.i - 1].lower_ == "not")


def state_of_noun(tok: Token) -> bool:
    """ "an advocacy group opposed to the federal law": a state participle describing the noun before it."""
    return tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.lemma_.lower() in STATE_PASSIVES \
        and tok.head.i < tok.i and any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.children)


def main_verb_as_acl(tok: Token) -> bool:
    """A finite past verb parsed as a clause describing the noun before it, after a comma ("China, North
    Korea's ally, called on ...", "The group, which represents 400 churches, called for ..."): no reduced
    relative is finite, so the verb is the sentence's and the noun its subject."""
    if tok.dep_ != "acl" or tok.head.i > tok.i or tok.head.pos_ not in ("PROPN", "NOUN") \
            or tok.i == tok.sent.start or tok.doc[tok.i - 1].text != "," \
            or any(c.dep_ in ("nsubj", "nsubjpass", "auxpass", "agent") for c in tok.children):
        return False
    if tok.tag_ == "VBD":
        return True
    # tagged a participle too ("The Harbour Front, the island's largest union, called on both sides to ..."):
    # after an aside about the noun, with no object ("The ferry, called the Aurora, sank" names it)
    return tok.tag_ == "VBN" and any(c.dep_ == "appos" for c in tok.head.children) \
        and not any(c.dep_ in ("dobj", "obj", "oprd", "attr") for c in tok.children) \
        and any(c.dep_ == "prep" for c in tok.children)


def relative_conjuncts(tok: Token) -> list[Token]:
    """ "Republicans and even some Democrats, who say that he should ...": a relative pronoun of a plural
    present-tense clause is about every conjunct of its noun, though the parse hangs it on the last (``[]``
    otherwise)."""
    if tok.tag_ not in ("WP", "WDT") or tok.head.dep_ != "relcl" or tok.head.tag_ != "VBP":
        return []
    noun = tok.head.head
    return sorted([noun, *noun.conjuncts], key=lambda t: t.i) if noun.conjuncts else []


def undoes(about: Span) -> bool:
    """What is demanded undoes something (its first verb or noun: "repeal", "overturn", "defund", "strike
    down"): a demand against it."""
    for t in about[:6]:
        if t.pos_ in ("VERB", "NOUN"):
            return t.lemma_.lower() in UNDO or (t.lemma_.lower() == "strike" and any(
                c.dep_ == "prt" and c.lower_ == "down" for c in t.children))
    return False


#: Marks of a clause that tells when or why something was said, not what ("as", "while", "after").
CIRCUMSTANCE = frozenset({"as", "while", "after", "before", "when", "since", "because", "although", "though",
                          "until", "whereas"})


class StanceSyntax:
    """Parse-reading helpers; the finder provides ``speech``, ``lex``, ``_open_question`` and ``_in_quote``."""

    def _singular_relative(self, tok: Token, last: Token) -> bool:
        """``tok`` is in a relative clause right after names joined by "and" whose verb is singular ("Saudi
        Arabia and Turkey, which has repeatedly accused"): the clause is about the last name (``last``) alone."""
        h = tok
        for _ in range(4):
            if h.dep_ == "relcl" or h.head is h:
                break
            h = h.head
        if h.dep_ != "relcl":
            return False
        relative = next((c for c in h.children if c.dep_ in ("nsubj", "nsubjpass") and c.tag_ in ("WDT", "WP")), None)
        if relative is None or not last.i < relative.i <= last.i + 2:
            return False
        return any(t.tag_ == "VBZ" for t in (h, *(c for c in h.children if c.dep_ in ("aux", "auxpass"))))

    def _holder_token(self, tok: Token) -> Token | None:
        if self._passive(tok):
            agent = self._agent(tok)
            if agent is None and tok.lemma_.lower() in STATE_PASSIVES and any(
                    c.dep_ == "prep" and c.lower_ == "to" for c in tok.children):
                # "Romney is opposed to a mandate", "he had been opposed to it": a state its subject is in
                # "a group opposed to the law": the noun the participle describes, or the name that noun is an
                # aside about ("Docs4PatientCare, an advocacy group opposed to the law")
                described = tok.head if tok.dep_ == "acl" else None
                if described is not None and described.dep_ == "appos" and described.head.pos_ == "PROPN":
                    described = described.head
                return next((c for c in tok.children if c.dep_ == "nsubjpass"), None) or self._subject(tok) \
                    or described
            return agent
        # a subject the parse hung elsewhere first: a comma-spliced name before a joined verb is its subject even
        # where the parse lends it the first verb's
        subject = self._misparsed_subject(tok) or self._subject(tok)
        if subject is not None and subject.tag_ in ("WP", "WDT") and tok.dep_ == "relcl":
            among = tok.head.head if tok.head.dep_ == "pobj" else None
            if among is not None and among.lower_ == "among" and among.head.lemma_.lower() in ("be", "remain"):
                # "Graham is among those who now support the call": the copula's subject is one of them
                return self._subject(among.head) or tok.head
            return tok.head
        if subject is None and tok.dep_ == "relcl":
            return tok.head
        if subject is None and tok.dep_ == "acl":
            agent = self._agent(tok)
            if agent is not None or tok.tag_ != "VBG":
                return agent
            # "X signed a letter urging Trump to keep the program": the letter's signer urges
            return self._subject(tok.head.head) if tok.head.dep_ in ("dobj", "obj") else None
        if subject is None and tok.dep_ == "acomp" and tok.head.lemma_.lower() in ("be", "remain", "seem", "appear"):
            return self._subject(tok.head)   # "he is opposed to the levy": the copula's subject
        if subject is None and tok.dep_ == "advcl" and tok.tag_ == "VBG":
            return self._subject(tok.head)   # "X rallied, urging ...": X urges
        if subject is None and tok.dep_ == "pcomp" and tok.tag_ == "VBG" and tok.head.lower_ in BY_DOING \
                and tok.head.head.pos_ in ("VERB", "AUX"):
            return self._subject(tok.head.head)   # "X defied his party by backing Y": X backs Y
        return subject

    def _misparsed_subject(self, tok: Token) -> Token | None:
        """The subject the small parser hung elsewhere when a name with an aside precedes a finite verb:
        "China, North Korea's ally, called on both sides ..." (the verb parsed as a clause describing China),
        "..., Sen. Marco Rubio, R-Fla., came out against it" (the name parsed as one more object of an earlier
        verb, the verb joined to that one). A finite past or present verb is no reduced relative, and a verb
        right after a comma-opened noun phrase, with no "and" between, is that phrase's."""
        if main_verb_as_acl(tok):
            return tok.head
        if tok.tag_ not in ("VBD", "VBZ", "VBP") or any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl")
                                                        for c in tok.children):
            return None
        doc, start = tok.doc, tok.sent.start
        if tok.dep_ != "conj" or tok.i - 1 <= start or doc[tok.i - 1].dep_ == "cc":
            return None
        ends = {tok.i - 1, tok.i - 2} if doc[tok.i - 1].text == "," else {tok.i - 1}
        for n in doc[start:tok.i - 1]:
            if n.pos_ not in ("PROPN", "NOUN") or n.right_edge.i not in ends:
                continue
            # "Sen. Ana Mirea, L-Constanta,": the name, not the aside about it
            while n.dep_ == "appos" and n.head.i < n.i and n.head.pos_ in ("PROPN", "NOUN") \
                    and n.head.right_edge.i in ends:
                n = n.head
            if n.dep_ in ("conj", "appos", "npadvmod") and n.head.i < n.i \
                    and (n.left_edge.i == start or doc[n.left_edge.i - 1].text == ",") \
                    and not any(t.dep_ == "cc" for t in doc[n.left_edge.i:n.i]):
                return n
        return None

    def _subject(self, tok: Token) -> Token | None:
        h = tok
        for _ in range(4):
            found = [c for c in h.children if c.dep_ in ("nsubj", "csubj") or (c.dep_ == "nsubjpass" and h is not tok)]
            # "he has long opposed Moore": the subject parsed under the auxiliary
            found = found or [g for c in h.children if c.dep_ == "aux" and c.i < h.i
                              for g in c.children if g.dep_ == "nsubj"]
            if found:
                # the subject nearest the verb: "MOSCOW, Dec 14 - Minister X said": not the dateline
                before = [c for c in found if c.i < h.i and not (c.text.isupper() and len(c.text) > 3)]
                return before[-1] if before else found[0]
            if h.dep_ == "xcomp" and h.tag_ != "VBG" and any(c.dep_ in ("dobj", "obj") for c in h.head.children):
                return None      # "urged lawmakers to ...": the lawmakers are not the urging subject
            # (a participle is its subject's: "X e-mailed the dean demanding that ...": X demands)
            if h.dep_ == "conj" and h.tag_ == "VBD" and h.head.tag_ == "VB" and h.head.dep_ == "ccomp" and any(
                    c.dep_ == "aux" and c.tag_ == "MD" for c in h.head.children):
                # "Graham said the US should sanction Riyadh and slammed the prince": a past verb joined to a
                # reported modal clause by the parse goes with the verb that reports it
                h = h.head.head
                continue
            if h.dep_ in ("xcomp", "conj") and h.head is not h:
                h = h.head
                continue
            if h.tag_ == "VBG" and (h.dep_ == "advcl" or h.dep_ == "acl" and h.head.lemma_.lower() in DOCUMENTS
                                    and h.head.dep_ in ("dobj", "obj")):
                # "Obama issued a statement ..., urging Congress to act", "he issued a video urging the military
                # to ...": the participle is the one who issued it
                h = h.head if h.dep_ == "advcl" else h.head.head
                continue
            if h.dep_ == "relcl":
                return h.head
            break
        return None

    def _passive(self, tok: Token) -> bool:
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) or (
                tok.dep_ == "acl" and tok.tag_ == "VBN" and not main_verb_as_acl(tok)):
            return True
        # "Johnson was arrested and accused of theft": a participle joined to a passive shares its subject and voice
        return tok.dep_ == "conj" and tok.tag_ == "VBN" and tok.head.tag_ == "VBN" \
            and not any(c.dep_ in ("nsubj", "aux") for c in tok.children) \
            and any(c.dep_ == "auxpass" for c in tok.head.children)

    def _agent(self, tok: Token) -> Token | None:
        for c in tok.children:
            if c.dep_ == "agent":
                return next((p for p in c.children if p.dep_ == "pobj"), None)
        return None

    def _complement(self, tok: Token) -> Token | None:
        for c in tok.children:
            if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX"):
                return c
        return None

    def _negated(self, tok: Token) -> bool:
        if any((c.dep_ in ("neg", "preconj", "cc") and c.lower_ in NEGATIONS or c.dep_ == "neg"
                or (c.lower_ in NEGATIONS and c.dep_ in ("advmod", "neg")))
               and not not_only(c) for c in tok.children):
            return True
        if any(c.lower_ == "longer" and any(n.lower_ == "no" for n in c.children) for c in tok.children):
            return True   # "can no longer endorse him"
        if tok.dep_ == "conj" and any(c.dep_ == "cc" and c.lower_ == "nor" for c in tok.head.children):
            return True   # "I cannot support X, nor can I support Y"
        if tok.dep_ == "conj" and any(c.dep_ == "cc" and c.lower_ == "or" for c in tok.head.children) \
                and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in tok.children) \
                and any(c.dep_ == "neg" for c in tok.head.children):
            return True   # "did not endorse or support the invasion": the negation covers both verbs
        # "it doesn't appear to be something I will support": a negation above, not across a speech verb
        h = tok
        for _ in range(3):
            if h.dep_ not in ("relcl", "xcomp", "attr", "acomp") or h.head is h:
                break
            h = h.head
            if h.lemma_.lower() in self.speech:
                break
            if h.lemma_.lower() in ("be", "appear", "seem", "think", "expect") and \
                    any(c.dep_ == "neg" for c in h.children):
                return True
        # "refused to support" is not a negation of support; "did not ... support" is
        return tok.dep_ == "xcomp" and any(c.dep_ == "neg" for c in tok.head.children) and \
            tok.head.lemma_.lower() in ("want", "plan", "intend", "go", "have", "need", "be")

    def _unreal(self, tok: Token, skip_marks: bool = False) -> bool:
        """Under "if"/"whether", a prediction ("is expected to"), a possibility ("may"), or a question."""
        if self._open_question(tok):
            return True
        h = tok
        for _ in range(6):
            for c in h.children:
                if not skip_marks and c.dep_ == "mark" and c.lower_ in ("if", "whether", "unless"):
                    return True
                if c.dep_ == "aux" and c.lower_ in MODALS_MAYBE and h is tok and not (
                        c.lower_ == "could" and any(n.dep_ == "neg" for n in tok.children)):
                    return True   # "may support" is a possibility; "couldn't vote for him" a refusal
            if h.lemma_.lower() in PREDICTION and h is not tok:
                return True
            if h.lower_ in ("whether",):
                return True
            if h.lemma_.lower() in self.speech or h.dep_ not in CLAUSE_DEPS or h.head is h:
                break
            h = h.head
        sent = tok.sent
        if sent.text.rstrip().endswith("?") and not self._in_quote(tok.idx):
            return True
        return False

    def _inside_other_stance(self, tok: Token) -> bool:
        """The content of another's stance ("urged lawmakers to oppose", "called for X to back") or of an
        intent frame ("vowed to oppose": the frame is the cue), or what a speaker says someone should do
        ("Congress should push for it", "it is essential that Congress push for it": the speaker's demand)."""
        duty = next((c for c in tok.children if c.dep_ == "aux" and c.lower_ in OBLIGATION), None)
        if duty is not None and not any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PRON" for c in tok.children) \
                and not any(kind in ("support", "oppose") and not need
                            for kind, need in self.lex.verbs.get(tok.lemma_.lower(), [])) \
                and self._obligation(duty, duty.lower_) is not None:
            # ("they must oppose it": their own stance; "X should back it": the speaker's side, taken as such)
            return True
        if tok.dep_ in ("ccomp", "advcl") and any(c.dep_ == "acomp" and self._necessary_clause(c) == tok
                                                  for c in tok.head.children):
            return True
        if tok.dep_ not in ("xcomp", "ccomp", "pcomp"):
            return False
        head = tok.head
        lemma = head.lemma_.lower()
        if tok.dep_ == "xcomp" and lemma in self.lex.frames:
            return True
        if tok.dep_ == "pcomp" and head.head is not head:
            lemma = head.head.lemma_.lower()
        entries = self.lex.verbs.get(lemma, []) + self.lex.nouns.get(lemma, [])
        return any(kind in ("demand", "offer") for kind, _ in entries) or lemma in ("ask", "urge", "want")

    def _about(self, tok: Token, need: tuple[str, ...]) -> tuple[int, int] | None:
        parts = []
        for c in tok.children:
            if c.dep_ in ABOUT_DEPS or (c.dep_ in ("prep", "prt") and (c.lower_ in need or c.dep_ == "prep"
                                                                         and c.lower_ in ("for", "on", "against",
                                                                                          "to", "of", "with"))):
                if c.dep_ == "prt" and not any(p.dep_ == "pobj" for p in c.children):
                    continue
                parts.append(subtree(c))
            elif c.dep_ == "advcl" and "for" in need and any(m.dep_ == "mark" and m.lower_ == "for"
                                                             for m in c.children):
                parts.append(subtree(c))
        if not parts:
            if self._passive(tok):
                subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
                if (subj is None and tok.dep_ == "acl" or subj is not None and subj.tag_ in ("WDT", "WP")
                        and tok.dep_ == "relcl") and tok.head.i < tok.i:
                    # "the measure, backed by the White House", "Moore, who was backed by Bannon": the noun
                    return tok.head.left_edge.i, tok.head.i + 1
                if subj is not None:
                    return subtree(subj)
            return None
        return min(p[0] for p in parts), max(p[1] for p in parts)

    def _attributed(self, tok: Token) -> bool:
        """What a blame or an accusation is for ("for the attacks", "of shooting down a drone") names a hostile act
        (``[oppose] attributed``)."""
        for c in tok.children:
            if c.dep_ != "prep" or c.lower_ not in ("for", "of"):
                continue
            for head in (p for p in c.children if p.dep_ in ("pobj", "pcomp")):
                # the act itself, or what a gerund does ("of shooting down a drone"); not words deeper in its clause
                # ("of spreading rumors that Pyongyang is behind the cyberattack" is an accusation of spreading)
                acts = [head] + [o for o in head.children if head.pos_ == "VERB" and o.dep_ in ("dobj", "obj", "conj")]
                if any(t.lemma_.lower() in self.lex.attributed for t in acts):
                    return True
        return False

    def _quiet(self, tok: Token, comp: Token, others: bool) -> bool:
        """A complement that says nothing ("declined to comment", "refused to say whether", "asked him to explain"):
        one of ``lex.quiet``, unless it has an object and is someone else's deed asked for (``others``: "wants Kim
        to give up his weapons", "asked a judge to release him") or refused ("refused to identify the officer";
        "declined to give details" stays quiet)."""
        if comp.lemma_.lower() not in self.lex.quiet:
            return False
        has_object = any(c.dep_ in ("dobj", "obj", "prt") and c.tag_ not in ("WP", "WDT") for c in comp.children)
        return not (has_object and (others or tok.lemma_.lower() == "refuse"))

    def _reporter_verb(self, tok: Token) -> Token | None:
        """The speech verb whose reported clause holds ``tok`` ("Peskov said [Ukraine refused talks]")."""
        h = tok
        for _ in range(8):
            if h.head is h:
                return None
            if h.dep_ == "relcl" or h.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CIRCUMSTANCE
                                                              for c in h.children):
                break   # "joining senators who have opposed him", "pledged hearings as senators pressed for": a
                #         clause beside the speech, not what is said
            dep, h = h.dep_, h.head
            if h.lemma_.lower() in self.speech and dep in ("ccomp", "xcomp", "parataxis", "advcl", "conj", "dobj",
                                                            "pcomp", "prep") and h.pos_ == "VERB":
                if dep in ("conj", "dobj") and h.lemma_.lower() not in ("say", "tell", "add", "write", "argue"):
                    continue
                return h
            if h.lower_ == "according":
                return h
        for c in tok.sent.root.children:   # "..., according to X, ..." hung on the sentence root
            if c.lower_ == "according":
                return c
        return None
