"""Stances stated by a judgement or a role rather than by a stance verb:

- a judging verb with an evaluative complement: "called the deal a disaster", "described the law as invalid",
  "deemed the plan reasonable" (the complement's polarity, ``extract.evaluation``, says oppose or support);
- an agent noun of a stance said of its holder: "X, a longtime critic of the law", "X was an early supporter
  of Y", "X, who is a major opponent of the bill";
- an "-ing" stance verb describing an actor: "26 states opposing the law", "groups backing the bill";
- a stance noun after "in" on the holder's verb: "came out in support of", "rallied in opposition to".

``JudgementCues`` is a part of the stance finder (``extract.stances``): it reads the finder's ``lex`` and its
parse helpers (``_negated``, ``_unreal``, ``_inside_other_stance``, ``_subject``, ``_actor``). Each method
returns ``(type, about token range, holder token)`` or ``None``; the finder makes the cue.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..records import Quote
from .evaluation import polarity
from .stance_actors import same_name
from .stance_bodies import Actor
from .stance_clauses import subtree
from .stance_lexicon import BACKING, JUDGE, NOT_DEEDS, OFFERS, WITHDRAW

Found = tuple[str, tuple[int, int], Token | None]

#: the dependencies of what a judging verb says its object is ("called it [a disaster]", "deemed it [fair]")
_COMPLEMENT_DEPS = frozenset({"oprd", "xcomp", "ccomp", "acomp", "attr", "dep", "npadvmod", "appos", "advcl"})
#: verbs of being that make their subject the one an agent noun describes ("X is a critic of")
_COPULAS = frozenset({"be", "become", "remain"})
_WH = frozenset({"what", "which", "whatever", "whichever"})


class JudgementCues:
    """Judgements, agent nouns and "-ing" descriptions (a mixin of the stance finder)."""

    def _judged(self, tok: Token, lemma: str) -> Found | None:
        """ "called the deal a disaster", "described the law as invalid", "deemed it fair"."""
        if lemma not in JUDGE or tok.dep_ in ("amod", "compound") or self._passive(tok):
            return None
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj")), None)
        if obj is None:
            return None
        parts = [c for c in tok.children if c.i > obj.i and (c.dep_ in _COMPLEMENT_DEPS
                                                                or c.dep_ == "prep" and c.lower_ == "as")]
        parts += [c for c in obj.children if c.i > obj.i and c.dep_ in ("appos", "oprd", "acl", "amod")]
        if not parts or any(p.pos_ in ("VERB", "AUX") and any(c.lower_ == "to" for c in p.children) for p in parts):
            return None   # "called senators to join the meeting": a summons, not a judgement
        if self._inside_other_stance(tok) or self._negated(tok) or self._unreal(tok):
            return None
        pol = polarity([t for p in parts for t in p.subtree])
        if pol.score == 0:
            return None
        end = max(subtree(p)[1] for p in parts)
        return ("oppose" if pol.score < 0 else "support"), (obj.left_edge.i, end), self._holder_token(tok)

    def _agent_noun(self, tok: Token, lemma: str) -> Found | None:
        """ "X, a critic of the law", "X was an early supporter of Y", "one of Y's fiercest opponents"."""
        entries = self.lex.agents.get(lemma)
        if not entries:
            return None
        kind, need = entries[0]
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in need), None)
        about = subtree(prep) if prep is not None else None
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if about is None and owner is not None and owner.tag_ != "PRP$":
            about = subtree(owner)      # "one of Moore's earliest supporters": a supporter of Moore
        if about is None:
            return None
        node = tok
        if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.lower_ in ("one", "among"):
            node = node.head.head          # "X was one of the earliest supporters of Y"
        if node.dep_ == "attr" and node.head.lemma_.lower() in _COPULAS:
            if self._negated(node.head) or self._unreal(node.head):
                return None
            holder = self._subject(node.head)
        elif node.dep_ == "appos":
            holder = node.head
        elif node.dep_ == "conj" and node.head.dep_ == "appos":
            holder = node.head.head
        else:
            return None
        return kind, about, holder

    def _describing(self, tok: Token, lemma: str) -> Found | None:
        """ "26 states opposing the law", "groups backing the bill": an "-ing" stance verb on its actor."""
        if tok.dep_ != "acl" or tok.tag_ != "VBG" or self._negated(tok):
            return None
        for kind, need in self.lex.verbs.get(lemma, []):
            if kind not in ("support", "oppose") or need and need[0].startswith("to"):
                continue
            if need and not any(c.lower_ == need[0] for c in tok.children if c.dep_ in ("prep", "prt")):
                continue
            if not need and not any(c.dep_ in ("dobj", "obj") for c in tok.children):
                continue
            if self._actor(tok.head, None) is None:
                return None
            return kind, (tok.i + 1, subtree(tok)[1]), tok.head
        return None

    def _in_stance(self, tok: Token, kinds: list[tuple[str, tuple[str, ...]]]) -> Found | None:
        """ "came out in support of the bill", "spoke in opposition to it": the verb's subject holds it."""
        prep = tok.head
        if tok.dep_ != "pobj" or prep.lower_ != "in" or prep.head.pos_ not in ("VERB", "AUX"):
            return None
        verb = prep.head
        kind = next((k for k, _ in kinds if k in ("support", "oppose")), None)
        about = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "to", "for")]
        if kind is None or not about or self._negated(verb) or self._unreal(verb):
            return None
        return kind, (tok.i, subtree(about[0])[1]), self._holder_token(verb)

    def _open_question(self, tok: Token) -> bool:
        """ "he has not said what measure he is willing to sign", "what he would support": a stance asked
        about, not stated (a "what"/"which" object of the cue or of its infinitive, outside a relative
        clause)."""
        if tok.dep_ == "relcl":
            return False
        verbs = [tok, *(c for c in tok.children if c.dep_ == "xcomp")]
        if tok.dep_ in ("acomp", "ccomp", "relcl") and tok.head is not tok:
            verbs.append(tok.head)   # "what measure [she is willing] to sign": the "what" hangs above
        for verb in verbs:
            for c in verb.children:
                if c.dep_ in ("dobj", "obj", "pobj", "attr") and (c.lower_ in _WH or any(
                        d.dep_ == "det" and d.lower_ in _WH for d in c.children)):
                    return True
        return False

    def _withdrawn(self, tok: Token, lemma: str) -> Found | None:
        """ "pulled his endorsement of X", "withdrew support for X": opposition to X now; "withdrew his offer", "pulled
        the wall offer": a refusal of what was offered."""
        if lemma not in BACKING | OFFERS or tok.dep_ not in ("dobj", "obj") \
                or tok.head.lemma_.lower() not in WITHDRAW:
            return None
        verb = tok.head
        if lemma in OFFERS:
            if self._negated(verb) or self._unreal(verb):
                return None
            return "reject", subtree(tok), self._holder_token(verb)
        about = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("for", "of", "from")]
        about += [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("for", "from")]
        if not about or self._negated(verb) or self._unreal(verb):
            return None
        holder = next((c for c in tok.children if c.dep_ == "poss"), None)
        if holder is None or holder.lower_ in ("his", "her", "their", "its", "my", "our"):
            holder = self._holder_token(verb)
        return "oppose", (min(c.left_edge.i for c in about), max(c.right_edge.i + 1 for c in about)), holder

    def _pledged_harm(self, about: list[Token]) -> bool:
        """What a pledge, promise or vow is to do undoes or fights something ("to repeal", "to block")."""
        for c in about:
            if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" and not self._negated(c):
                kids = sorted(k.lower_ for k in c.children if k.dep_ in ("prep", "prt"))
                if c.lemma_.lower() in self.lex.harm or " ".join([c.lemma_.lower(), *kids]) in self.lex.harm:
                    return True
        return False

    def _harm_within(self, frame: Token) -> bool:
        """An intended course that ends in undoing something: "vowed to redouble their campaign to repeal the
        law", "will work to make sure the law is repealed" (a harm verb at most four steps under the frame)."""
        frontier = [frame]
        for depth in range(4):
            frontier = [c for t in frontier for c in t.children
                        if c.dep_ in ("xcomp", "ccomp", "acl", "dobj")
                        or depth == 0 and c.dep_ == "advcl" and any(a.lower_ == "to" for a in c.children)]
            for t in frontier:
                if t.pos_ == "VERB" and t.lemma_.lower() in self.lex.harm and not self._negated(t):
                    return True
        return False

    def _named_members(self, tok: Token, group: Actor | None, quote: Quote | None) -> list[Actor]:
        """The named members of a group phrase holding a stance: "three senators -- Rand Paul, Ted Cruz and
        Marco Rubio -- came out against it", "several senators, including A and B", "hawks like A", "regional
        allies Japan and South Korea": each member holds it (``[]`` when the phrase names nobody or is itself a
        name)."""
        if group is None or group.label not in (None, "NORP"):
            return []   # a name ("Rand Paul", "the ACLU"); a party or people ("Republicans, including A") has members
        heads = [c for c in tok.children if c.dep_ == "appos"]
        heads += [p for c in tok.children if c.dep_ == "prep" and c.lower_ in ("including", "like", "as")
                  for p in c.children if p.dep_ == "pobj"]
        heads += [p for c in tok.children if c.dep_ == "amod" and c.lower_ == "such"
                  for a in c.children if a.lower_ == "as" for p in a.children if p.dep_ == "pobj"]
        if tok.dep_ == "nsubj" and tok.head.lemma_.lower() == "include":
            # "Conservative senators who have come out against it include Mitch McConnell ... and Rand Paul"
            heads += [t for c in tok.head.children if c.dep_ in ("dobj", "obj") for t in c.subtree
                      if t.dep_ in ("dobj", "obj", "conj") and t.pos_ == "PROPN"]
        out = []
        for head in heads:
            for member in (head, *head.conjuncts):
                actor = self._actor(member, quote)
                if actor is not None and actor.label in ("PERSON", "ORG", "GPE") and all(
                        a.name != actor.name for a in out):
                    out.append(actor)
        return out

    def _ongoing(self, tok: Token) -> bool:
        """A present course ("we're not expanding Medicaid", "he is not implementing the law"): a refusal when
        negated, as a future one is."""
        return tok.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ in ("are", "is", "am", "'re", "'s", "'m")
                                         for c in tok.children)

    def _own_course(self, tok: Token, lemma: str) -> Found | None:
        """ "he said he would maintain the ban", "we will keep the exchanges open": an own course of action the
        speaker announces, an offer (against something when it undoes it: "we will repeal this law")."""
        if lemma in NOT_DEEDS or lemma in self.lex.quiet or tok.pos_ != "VERB" or not self._announced(tok) \
                or self._negated(tok) or self._unreal(tok):
            return None
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        quote = self._in_quote(tok.idx)
        if subject is None or not (subject.lower_ in ("i", "we") and quote is not None
                                   or subject.lower_ in ("he", "she", "they", "it") and quote is None):
            return None   # "it" only as the body that said so ("Iran said it would download the data itself")
        if any(c.dep_ == "aux" and (c.lower_ == "have" or c.lower_ == "would" and quote is not None)
               for c in tok.children) or self._if_clause(tok):
            return None   # "we would lose", "would have allowed", "will fix it if ...": no course announced
        objects = [c for c in tok.children if c.dep_ in ("dobj", "obj")] or [
            c for c in tok.children if c.dep_ == "prep" and c.lower_ == "with" and lemma != "meet"
            and any(p.dep_ == "pobj" and p.pos_ != "PRON" for p in c.children)]   # "would cooperate with the probe"
        if not objects or any(o.lower_ in ("it", "that", "this", "anything", "something", "everything")
                              or o.pos_ == "NUM" for o in objects):
            return None
        actor = self._actor(subject, quote)
        if actor is None:
            return None
        if quote is None:   # reported after "said": only the speaker's own course ("Romney said he would ...")
            verb = self._reporter_verb(tok)
            said_by = self._subject(verb) if verb is not None and verb.lower_ != "according" else None
            speaker = self._actor(said_by, None) if said_by is not None else None
            if speaker is None or not same_name(speaker.name, actor.name):
                return None
        kind = "oppose" if lemma in self.lex.harm else "offer"
        return kind, (tok.i, max(o.right_edge.i + 1 for o in objects)), self._holder_token(tok)

    def _ruled_out(self, tok: Token, lemma: str) -> Found | None:
        """ "we will not expand Medicaid", "he is not going to implement the law": an own course of action
        announced as not taken, a refusal (saying, being and the like are no deeds; a negated past is a fact)."""
        deed = tok
        if lemma == "go" and tok.tag_ == "VBG":
            # "we're not going to expand Medicaid": the negation is on "going", the deed is its complement
            deed = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
            if deed is None:
                return None
            lemma = deed.lemma_.lower()
        elif not (self._announced(tok) or self._ongoing(tok)):
            return None
        if lemma in NOT_DEEDS or lemma in self.lex.quiet or deed.pos_ != "VERB" or any(
                kind == "reject" for kind, _ in self.lex.verbs.get(lemma, [])):
            return None   # "police have not ruled out terrorism", "did not refuse": a refusal not made
        auxes = {c.lower_ for c in tok.children if c.dep_ == "aux"}
        if "could" in auxes or "would" in auxes and ("have" in auxes or self._in_quote(tok.idx) is not None
                                                     or self._reporter_verb(tok) is None):
            # "would not have passed": a counterfactual; "we would not support a bill that ...": a supposition;
            # reported after a speech verb, "Iran said it would not hand over the recorders" is its refusal
            return None
        objects = [c for c in deed.children
                   if c.dep_ in ("dobj", "obj") or c.dep_ == "prep" and c.lower_ in ("with", "on")]
        if not objects or any(o.lower_ in ("it", "that", "this", "anything") for o in objects):
            return None
        holder = self._holder_token(tok)
        if holder is None or self._actor(holder, self._in_quote(tok.idx)) is None:
            return None
        return "reject", (tok.i, max(o.right_edge.i + 1 for o in objects)), holder
