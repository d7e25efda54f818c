"""The per-article index quotes and stances are resolved with: token offsets, sentences, paragraphs, quoted
regions, speech verbs, names, titles and pronoun antecedents, and the resolution of a speaker mention to the
fullest name ("he", "the spokesman", "Peskov" -> "Dmitry Peskov")."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from spacy.attrs import IDX, LEMMA, LOWER, POS, SENT_START
from spacy.symbols import VERB
from spacy.tokens import Doc, Span, Token

from ..nlp.entities import LESSER_TITLE_WORDS, before_subjectless_verb, titled_abroad
from ..nlp.names import ascii_fold, family_first_key, given_name_gender, strip_honorifics, translit_skeleton

from .quote_marks import (_CLIMB_DEPS, _FEMALE, _GROUP_PRONOUNS, _MALE, _NAME_DEPS, _PERSON_PRONOUNS, _POSSESSIVE,
                          _SUBJECT_DEPS, _TITLES, _TITLE_CLASS, _WINDOW_BEFORE, _WORD, _paragraphs,
                          load_speech_verbs, scan_quotes)


class _Article:
    """Per-document lookups built once: token offsets (read as arrays, not Token objects, for speed),
    sentences, paragraphs, quoted regions, speech verbs, names, titles, antecedents."""

    def __init__(self, doc: Doc) -> None:
        self.doc, self.text = doc, doc.text
        self.verbs, self.obj_verbs, self.quote_verbs = load_speech_verbs()
        self.parsed = doc.has_annotation("DEP")
        cols = doc.to_array([IDX, SENT_START, POS, LEMMA, LOWER]).tolist() if len(doc) else []
        self.idx = [c[0] for c in cols]
        self.sent_toks = [i for i, c in enumerate(cols) if c[1] == 1 or i == 0] if self.parsed else [0]
        self.sent_starts = [self.idx[i] for i in self.sent_toks] if cols else [0]
        strings = doc.vocab.strings
        lemmas, according = {strings[v] for v in self.verbs}, strings["according"]
        self.verb_at = [c[2] == VERB and c[3] in lemmas or c[4] == according for c in cols]
        self.regions = scan_quotes(self.text, self.sent_starts[1:] + [len(self.text)] if self.parsed else None)
        self.para_starts = [s for s, _ in _paragraphs(self.text)]
        self.in_quote = [False] * len(doc)
        self.para = [0] * len(doc)                   # paragraph index per token
        pi, starts = 0, self.para_starts[1:] + [len(self.text) + 1]
        for i, c in enumerate(self.idx):
            while c >= starts[pi]:
                pi += 1
            self.para[i] = pi
        for r in self.regions:
            for i in range(self._tok(r.open), self._tok(r.end if r.close is None else r.close)):
                self.in_quote[i] = True
        self.ent_of: dict[int, tuple[int, int, str]] = {}
        self.persons: list[tuple[int, str, frozenset[str]]] = []     # (char, full name, role words)
        self.antecedents: list[tuple[int, str, str]] = []            # (char, "person"/"group", name)
        self.full: dict[str, list[tuple[int, str]]] = {}             # surname key -> (char, full name)
        self.gender: dict[str, str] = {}                             # full name -> "m"/"f" (Mr., spokeswoman)
        ents = doc.ents
        for ent in ents:
            for i in range(ent.start, ent.end):
                self.ent_of[i] = (ent.start, ent.end, ent.label_)
            if ent.label_ == "PERSON":
                name = strip_honorifics(ent.text)
                if len(name.split()) >= 2:
                    self.full.setdefault(_surname(name), []).append((ent.start_char, name))
                    if (first := family_first_key(name)) is not None:   # "Kim Jong Un": "Kim" too
                        self.full.setdefault(first.removeprefix("person:"), []).append((ent.start_char, name))
        for ent in ents:
            if ent.label_ == "PERSON" and not self.in_quote[ent.start]:
                name = self.person_name(ent.text, ent.start_char)
                role = self._role_words(ent)
                self.persons.append((ent.start_char, name, role))
                near = _title_before(doc, ent.start) | role
                if name not in self.gender and (near & _FEMALE or near & _MALE):
                    self.gender[name] = "f" if near & _FEMALE else "m"
                if _subject_like(ent):
                    self.antecedents.append((ent.start_char, "person", name))
            elif ent.label_ in ("ORG", "NORP", "GPE") and ent.root.dep_ in _SUBJECT_DEPS \
                    and not self.in_quote[ent.start]:
                self.antecedents.append((ent.start_char, "group", _strip_the(ent.text)))
                if " " not in ent.text.strip() and _surname(ent.text) in self.full:
                    # a surname the tagger called an organisation ("Earlier, Rawlings-Blake toured the damage."):
                    # also the person the article names in full, for a "he" or "she" after it
                    self.antecedents.append((ent.start_char, "person", self.person_name(ent.text, ent.start_char)))
        for _, name, _ in self.persons:   # a first name says the sex where no word near any mention did
            if name not in self.gender and (given := given_name_gender(name)):
                self.gender[name] = given
        self.antecedents.sort()

    def _tok(self, char: int) -> int:
        return bisect_left(self.idx, char)

    def para_of(self, char: int) -> int:
        return bisect_right(self.para_starts, char) - 1

    def sentence_of(self, char: int) -> int:
        return bisect_right(self.sent_starts, char) - 1

    def is_verb(self, t: Token) -> bool:
        """A speech verb of the list, or "according" (to)."""
        return self.verb_at[t.i]

    def sentence_tokens(self, i: int) -> tuple[int, int]:
        """Token range of the sentence holding token ``i``."""
        k = bisect_right(self.sent_toks, i) - 1
        return self.sent_toks[k], self.sent_toks[k + 1] if k + 1 < len(self.sent_toks) else len(self.doc)

    # speakers

    def subject(self, v: Token) -> Token | None:
        """The speaker of cue ``v``: its subject, the object of "according to", or a climbing guess."""
        if v.lower_ == "according":
            for to in v.children:
                for obj in to.children:
                    if obj.dep_ == "pobj":
                        return obj
            nxt = v.i + 2
            return self.doc[nxt] if nxt < len(self.doc) and self.doc[nxt - 1].lower_ == "to" else None
        h, para, doc = v, self.para[v.i], self.doc
        for _ in range(5):
            for c in h.children:
                if c.dep_ in _SUBJECT_DEPS and self.para[c.i] == para and not self.in_quote[c.i]:
                    if c.tag_ in ("WP", "WDT"):
                        if h.dep_ == "relcl":
                            return h.head
                        continue
                    for t in doc[max(0, c.i - 4): c.i]:   # Sen. Ann Lee (D-Ore.) said: not "Ore."
                        if t.text == "(" and t.i and doc[t.i - 1].ent_type_ == "PERSON":
                            return doc[t.i - 1]
                    return c
            if h.dep_ == "relcl":
                return h.head
            if h.dep_ not in _CLIMB_DEPS or h.head is h or self.para[h.head.i] != para:
                break
            h = h.head
        prev = doc[v.i - 1] if v.i else None
        if prev is not None and prev.is_alpha and prev.text[0].isupper() and not prev.is_stop \
                and prev.pos_ in ("PROPN", "NOUN", "ADV") and self.para[prev.i] == para:
            return prev                              # "Skelly said", the name mis-tagged
        if v.tag_ == "VBG" or v.dep_ == "conj":    # X shared the news, writing “...” / X said A but said B
            for t in reversed(doc[max(0, v.i - _WINDOW_BEFORE): v.i]):
                if t.text in ".!?" or self.para[t.i] != para:
                    break
                subj = [c for c in t.children if c.dep_ in _SUBJECT_DEPS and not self.in_quote[c.i]]
                if subj and (self.is_verb(t) if v.dep_ == "conj" else t.pos_ in ("VERB", "AUX")):
                    return subj[0]
        elif v.i and doc[v.i - 1].text[-1] in "”\"’',":   # “...,” said Peskov, parsed without a subject
            for t in doc[v.i + 1: v.i + 4]:
                if t.pos_ in ("PROPN", "PRON") or t.is_alpha and t.text[0].isupper() \
                        or t.pos_ == "NOUN" and doc[t.i - 1].pos_ == "DET":
                    while t.i + 1 < len(doc) and doc[t.i + 1].is_alpha and doc[t.i + 1].text[0].isupper():
                        t = doc[t.i + 1]
                    return t
                if t.is_punct:
                    break
        return None

    def mention(self, head: Token) -> tuple[int, int]:
        """Character span of the speaker mention headed by ``head``."""
        if head.i in self.ent_of and self.ent_of[head.i][2] in ("PERSON", "ORG", "GPE", "NORP"):
            s, e, label = self.ent_of[head.i]
            while label == "PERSON" and s and self.doc[s - 1].pos_ == "PROPN" and self.doc[s - 1].dep_ == "compound" \
                    and self.doc[s - 1].lower_ not in _TITLES and self.doc[s - 1].text.istitle():
                s -= 1                                # Colonel [Anders] Holm: a first name the NER left out
            return self.doc[s].idx, self.doc[e - 1].idx + len(self.doc[e - 1])
        left = head.i
        for c in head.lefts:
            if c.dep_ in _NAME_DEPS:
                left = min(left, c.left_edge.i)
        last = head
        if head.i + 1 < len(self.doc) and self.doc[head.i + 1].lower_ == "general" and head.tag_ == "NNS":
            last = self.doc[head.i + 1]   # "state attorneys general": a title's plural
        return self.doc[left].idx, last.idx + len(last)

    def _role_words(self, ent) -> frozenset[str]:
        """Words of a title given with a name ("Kremlin spokesperson Dmitry Peskov", "Peskov, the
        Kremlin's spokesman"), spokes* folded together; empty when there is no title word."""
        words: list[str] = []
        i = ent.start - 1
        while i >= 0 and ent.start - i <= 6 and self.doc[i].pos_ in ("NOUN", "PROPN", "ADJ", "PART"):
            words.append(self.doc[i].lower_)
            i -= 1
        root = ent.root
        for c in root.children:
            if c.dep_ == "appos" and c.i >= ent.end:
                words += [t.lower_ for t in c.subtree][:10]
        if root.dep_ == "appos" and root.head.i < ent.start:
            words += [t.lower_ for t in root.head.subtree if t.i < ent.start][-10:]
        words = [_TITLE_CLASS.get(w, w) for w in words]
        return frozenset(words) if any(w in _TITLES for w in words) else frozenset()

    def person_name(self, text: str, char: int) -> str:
        """The fullest form of a person's name: a surname alone becomes the full name given earlier
        (or, failing that, later) in the article."""
        name = strip_honorifics(text)
        if len(name.split()) >= 2:
            return name
        options = self.full.get(_surname(name))
        if not options:
            return name
        # "Mrs. Clinton" is not the Bill Clinton named last; "Mr. Cruz" not Heidi Cruz
        before = (self.text[max(0, char - 12):char] + " " + text).split()[:-1]   # the words before the surname
        title = before[-1].casefold() if before else ""
        sex = "f" if title in _FEMALE else "m" if title in _MALE else None
        if sex:
            options = [o for o in options if given_name_gender(o[1]) in (sex, None)] or options
        before = [n for c, n in options if c <= char]
        return before[-1] if before else options[0][1]

    def resolve(self, head: Token, span: tuple[int, int]) -> str | None:
        """Who the mention headed by ``head`` is: a name, a title's holder, a pronoun's antecedent."""
        text = self.text[span[0]:span[1]]
        label = self.ent_of.get(head.i, (0, 0, ""))[2]
        if label == "PERSON" or label and " " not in text and _surname(text) in self.full:  # "Volkova" read as ORG
            return self.person_name(text, span[0])
        if label in ("ORG", "GPE", "NORP"):
            return _strip_the(text)
        low = _POSSESSIVE.get(head.lower_, head.lower_)   # "his support": whom "he" would be
        if head.pos_ == "PRON":
            kind = "person" if low in _PERSON_PRONOUNS else "group" if low in _GROUP_PRONOUNS or low == "it" else None
            if kind is None:
                return None
            other = "f" if low in ("he", "him") else "m" if low in ("she", "her") else None
            for char, k, name in reversed(self.antecedents[:bisect_left(self.antecedents, (span[0],))]):
                if span[0] - char > 3000:
                    break
                if k == kind and (other is None or self.gender.get(name) != other):
                    return name
            return None
        if head.pos_ == "PROPN" or text.isupper() and len(text) > 1:   # an unlabelled name, a transcript label
            name = text.title() if text.isupper() else text
            return self.person_name(name, span[0]) if _surname(name) in self.full else _strip_the(name)
        title = _TITLE_CLASS.get(low, low)
        if title in _TITLES:
            mods = {_TITLE_CLASS.get(w, w) for w in ascii_fold(text).split()} - {"the", "a", "an", title}
            best = abroad = None
            for char, name, role in self.persons:
                if char >= span[0]:
                    break
                if title not in role or not mods and role & LESSER_TITLE_WORDS:
                    continue   # "the president" is not the vice president
                if not mods and titled_abroad(role - {title}):
                    abroad = (name, role)   # "Turkish President Recep Tayyip Erdogan": "the president" only when
                    continue                # no holder of the bare title was named (as ``nlp.entities`` reads it)
                if best is None or not mods or mods & role or not mods & best[1]:
                    best = (name, role)
            best = best or abroad
            if best is not None:
                return best[0]
        return _strip_the(text)


def _subject_like(ent: Span) -> bool:
    """A person mention a later "he" or "she" can point back to: a clause's subject (or the name just before a
    verb the parse left without one, ``before_subjectless_verb``), the name after a title joined to it ("Former
    candidate and Florida Gov. Jeb Bush said": the name is parsed as a conjunct of the subject noun), or a name
    opening its sentence that the parser made the root ("McConnell in his own floor speech castigated ...")."""
    root = ent.root
    if root.dep_ in _SUBJECT_DEPS or before_subjectless_verb(ent):
        return True
    if root.dep_ == "conj":
        head = root.head
        return head.dep_ in _SUBJECT_DEPS and head.pos_ == "NOUN" and not head.ent_type_
    return root.dep_ == "ROOT" and ent.start == ent.sent.start


def _title_before(doc: Doc, start: int) -> set[str]:
    """The words of the name's own phrase before it ("Mrs.", "spokeswoman", "New York businessman"), at most
    three, never across a verb or a preposition ("The businessman says of Clinton": not Clinton's title; "A
    spokeswoman for Hillary Clinton": not hers)."""
    out = {doc[start].lower_}
    for tok in reversed(doc[max(0, start - 3):start]):
        if tok.pos_ not in ("PROPN", "NOUN", "ADJ") and not (tok.is_punct and tok.text == "."):
            break
        out.add(tok.lower_)
    return out


def _surname(name: str) -> str:
    words = ascii_fold(name).split()
    return translit_skeleton(words[-1]) if words else ""


def _strip_the(text: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", text).strip()


def _words(text: str) -> int:
    return len(_WORD.findall(text[:400]))


def _title_case(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    caps = sum(1 for w in words if w[0].isupper())
    return len(words) >= 2 and caps >= 0.6 * len(words) and text.rstrip()[-1:] not in ".,!?"


#: Words a title leaves in lower case ("State of the Union", "Meet the Press").
_TITLE_SMALL = frozenset({"of", "the", "and", "for", "in", "on", "a", "an", "to", "at", "with"})


def _show_title(text: str, before: str) -> bool:
    """A programme's or a paper's name after its network's or owner's possessive ("said on CNN's “State of the
    Union.”", "told NBC's “Meet the Press”"): a name, whoever is said to speak."""
    if not re.search(r"[A-Z][\w.&-]*(?:'s|’s|[sS]'|[sS]’)\s*$", before):
        return False
    words = [w.strip(".,!?") for w in text.split() if w[:1].isalpha()]
    return 1 <= len(words) <= 6 and words[0][:1].isupper() and words[-1][:1].isupper() and all(
        w[:1].isupper() or w.lower() in _TITLE_SMALL for w in words)


def _name_in_quotes(text: str) -> bool:
    """A short run of capitalised words with the full stop or comma American style puts inside the marks
    ("They named it the “Capitol Hill Autonomous Zone.”"): a name, when no one is said to say it."""
    words = [w for w in text.split() if w[:1].isalpha()]
    return 2 <= len(words) <= 6 and all(w[0].isupper() for w in words) and text.rstrip()[-1:] in ".,"