"""Reported statements in a parsed article: direct, partial and indirect quotes with their speakers,
resolved inside the article ("he", "the spokesman", "Peskov" -> "Dmitry Peskov"); scare quotes and
quoted terms are kept apart as not speech."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.attrs import IDX, LEMMA, LOWER, POS, SENT_START
from spacy.symbols import VERB
from spacy.tokens import Doc, Token

from ..nlp.names import ascii_fold, strip_honorifics, translit_skeleton
from ..records import Quote

VERBS_FILE = Path(__file__).with_name("speech_verbs.txt")

_MARK = re.compile("''|[\"“”„«»‘’']")      # '' is a double mark in some outlets' plain text
_PARAGRAPH = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+")
_OPENERS = "“„«‘\"'"
_BEFORE_OPEN = "([{—–-/“„«‘\"'"
_CLAUSE_END = ",!?…—–-:;"
_DASHES = "―—–-"
#: A transcript's speaker label at the start of a quoted paragraph: "PENCE: Well, look, ..."
_LABEL = re.compile(r"([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}):\s")
#: A quote left open at a paragraph's end is cut there, or at its sentence's end when the paragraph runs on.
_MAX_UNCLOSED = 1500
_WINDOW_AFTER, _WINDOW_BEFORE = 12, 30

_PERSON_PRONOUNS = frozenset("he him she her".split())
_GROUP_PRONOUNS = frozenset("they them".split())
_POSSESSIVE = {"his": "he", "their": "they"}
_TITLES = frozenset("""
spokesman spokeswoman spokesperson minister president secretary senator governor mayor ambassador envoy
commissioner chancellor premier chief leader general commander adviser advisor aide chairman chairwoman chair
director ceo king queen pope prosecutor judge lawmaker congressman congresswoman representative speaker
negotiator diplomat candidate nominee manager strategist attorney official sheriff spokes colonel admiral
captain major sergeant lieutenant
""".split())
_FEMALE = frozenset("mrs mrs. ms ms. miss madam spokeswoman chairwoman congresswoman businesswoman actress queen "
                    "princess duchess wife mother daughter sister grandmother".split())
_MALE = frozenset("mr mr. sir spokesman chairman congressman businessman actor king prince duke husband father son "
                  "brother grandfather".split())
_TITLE_CLASS = {"spokesman": "spokes", "spokeswoman": "spokes", "spokesperson": "spokes", "spokespeople": "spokes"}
_TERM_CUES = frozenset("""
called so-called dubbed term termed word words phrase known as named titled entitled label labelled labeled
slogan the a an his her their its our my this that
""".split())
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_NAME_DEPS = frozenset("compound amod det poss nmod nummod flat".split())
_OBJ_DEPS = frozenset("dobj obj xcomp oprd attr ccomp".split())
_OBJ_PREPS = frozenset("of for about against over on as".split())
_CLIMB_DEPS = frozenset("conj xcomp advcl acl dobj pobj prep pcomp".split())


@lru_cache(maxsize=4)
def load_speech_verbs(path: str | None = None) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The speech-verb lemmas; those whose object is reported content ("+obj"); those that only
    introduce direct quotes ("=quote": “...,” he continued)."""
    verbs, obj, quote_only = set(), set(), set()
    for line in Path(path or VERBS_FILE).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].split()
        if line:
            verbs.add(line[0].lower())
            if "+obj" in line[1:]:
                obj.add(line[0].lower())
            if "=quote" in line[1:]:
                quote_only.add(line[0].lower())
    return frozenset(verbs), frozenset(obj), frozenset(quote_only)


@dataclass(slots=True)
class _Region:
    """A quoted stretch: content [start, end) between an opening mark at ``open`` and a closing one at
    ``close`` (the index after it; None when never closed); ``para`` is the opening mark's paragraph."""

    open: int
    start: int
    end: int
    close: int | None
    para: int


@dataclass(slots=True)
class _Found:
    """A statement before its speaker is resolved: content span, kind, the speaker mention's head
    token, the cue token, and the paragraphs where the content starts and ends."""

    start: int
    end: int
    kind: str
    speaker: Token | None = None
    cue: Token | None = None
    para: int = -1
    end_para: int = -1


# -- 1. quote marks -----------------------------------------------------------------------------------

def _role(text: str, p: int, n: int = 1) -> tuple[str, str] | None:
    """(family, role) of the mark at ``p`` (``n`` characters long): family "d" (double) or "s"
    (single); role "open", "close" or "either"; None for an apostrophe."""
    c = '"' if n == 2 else text[p]
    prev = text[p - 1] if p else "\n"
    nxt = text[p + n] if p + n < len(text) else "\n"
    prev_open = prev.isspace() or prev in _BEFORE_OPEN
    next_open = nxt.isspace() or nxt in ",.;:!?)]"
    if c in "“„«":
        return ("d", "close") if not prev_open and next_open else ("d", "open")
    if c in "”»":
        return ("d", "open") if prev_open and not next_open else ("d", "close")
    if c == '"':
        if prev_open and not next_open:
            return "d", "open"
        if not prev_open and (next_open or not nxt.isalnum()):
            return "d", "close"
        return "d", "either"
    if c == "‘":
        return ("s", "open") if prev_open and not nxt.isspace() else None
    if prev.isalnum() and nxt.isalnum():
        return None                                     # it's, don't
    if c == "'" and prev_open and nxt.isalpha():
        return "s", "open"
    if not prev_open and not nxt.isalnum():
        return "s", "close"
    return None


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if not m.group().isspace()]


def _opens_with_quote(text: str, start: int, end: int) -> bool:
    i = start
    while i < end and text[i].isspace():
        i += 1
    n = 2 if text[i:i + 2] == "''" else 1
    return i + n < end and text[i] in _OPENERS and not text[i + n].isspace() \
        and (_role(text, i, n) or ("", ""))[1] in ("open", "either") \
        and not _LABEL.match(text, i + n)          # a new speaker's turn in a transcript starts a new quote


def scan_quotes(text: str, sent_ends: list[int] | None = None) -> list[_Region]:
    """Top-level quoted regions of ``text``, paragraph by paragraph (linear in the number of marks).

    Nested single quotes stay inside their double quotes. A quote still open at a paragraph's end
    continues when the next paragraph opens with a quote mark (one region over both); otherwise it
    ends at the paragraph's end (or its sentence's end, in a run-on paragraph).
    """
    paras = _paragraphs(text)
    regions: list[_Region] = []
    chain: _Region | None = None          # a quote continued from the previous paragraph
    for pi, (ps, pe) in enumerate(paras):
        stack: list[tuple[str, int]] = []
        first = True
        for m in _MARK.finditer(text, ps, pe):
            p = m.start()
            role = _role(text, p, m.end() - p)
            if role is None:
                continue
            fam, how = role
            if fam == "d" and how != "open" and any(f == "d" for f, _ in stack):
                while stack[-1][0] != "d":
                    stack.pop()
                _, o = stack.pop()
                if not stack:
                    if chain is not None and first:
                        chain.end, chain.close = p, m.end()
                        regions.append(chain)
                        chain = None
                    else:
                        regions.append(_Region(o, o + 1 + (text[o:o + 2] == "''"), p, m.end(), pi))
                    first = False
            elif fam == "s" and how == "close" and stack and stack[-1][0] == "s":
                _, o = stack.pop()
                if not stack:
                    regions.append(_Region(o, o + 1, p, m.end(), pi))
                    first = False
            elif how in ("open", "either"):
                stack.append((fam, p))
        if chain is not None and (not stack or not first):
            chain.end = pe                # the continued quote was not reopened as expected: close it here
            regions.append(chain)
            chain = None
        if stack:
            fam, o = stack[0]
            nxt = paras[pi + 1] if pi + 1 < len(paras) else None
            region = chain or _Region(o, o + 1 + (text[o:o + 2] == "''"), pe, None, pi)
            if nxt is not None and _opens_with_quote(text, *nxt):
                region.end, chain = pe, region
            else:
                end = pe
                if pe - o > _MAX_UNCLOSED and sent_ends:
                    end = min(pe, sent_ends[min(bisect_right(sent_ends, o), len(sent_ends) - 1)])
                region.end, chain = end, None
                regions.append(region)
    if chain is not None:
        regions.append(chain)
    out = []
    for r in regions:                     # trim spaces; drop empty quotes
        while r.start < r.end and text[r.start].isspace():
            r.start += 1
        while r.end > r.start and text[r.end - 1].isspace():
            r.end -= 1
        if r.end > r.start:
            out.append(r)
    return out


# -- 2-5. cues, speakers, indirect speech -------------------------------------------------------------

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
        for ent in ents:
            if ent.label_ == "PERSON" and not self.in_quote[ent.start]:
                name = self.person_name(ent.text, ent.start_char)
                role = self._role_words(ent)
                self.persons.append((ent.start_char, name, role))
                near = {t.lower_ for t in doc[max(0, ent.start - 3): ent.start + 1]} | role
                if name not in self.gender and (near & _FEMALE or near & _MALE):
                    self.gender[name] = "f" if near & _FEMALE else "m"
                if ent.root.dep_ in _SUBJECT_DEPS:
                    self.antecedents.append((ent.start_char, "person", name))
            elif ent.label_ in ("ORG", "NORP", "GPE") and ent.root.dep_ in _SUBJECT_DEPS \
                    and not self.in_quote[ent.start]:
                self.antecedents.append((ent.start_char, "group", _strip_the(ent.text)))
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
        return self.doc[left].idx, head.idx + len(head)

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
            best = None
            for char, name, role in self.persons:
                if char >= span[0]:
                    break
                if title in role and (best is None or not mods or mods & role or not mods & best[1]):
                    best = (name, role)
            if best is not None:
                return best[0]
        return _strip_the(text)


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


class _Finder:
    """Steps 2-5 over one document."""

    def __init__(self, a: _Article) -> None:
        self.a = a
        self.doc, self.text, self.regions = a.doc, a.text, a.regions
        self.opens = [r.open for r in a.regions]

    def _after(self, r: _Region) -> Token | None:
        """A cue right after the closing mark: “...,” he said / “...,” said Peskov; “...,” according to X."""
        a, text = self.a, self.text
        inside_end = text[r.end - 1] if r.end > r.start else ""
        after = text[r.close: r.close + 1] if r.close is not None else ""
        if r.close is None or not (inside_end in _CLAUSE_END or inside_end == "." or after == ","):
            return None
        k = bisect_right(self.opens, r.close)
        nxt_open = self.opens[k] if k < len(self.opens) else len(text)
        i = a._tok(r.close)
        for t in self.doc[i: i + _WINDOW_AFTER]:
            if t.idx >= nxt_open or "\n" in t.text:
                break
            if a.is_verb(t) and not a.in_quote[t.i]:
                if inside_end == "." and any(c.dep_ in ("ccomp", "dobj") and c.i > t.i for c in t.children):
                    return None               # “...” Peskov said the talks ... : a new statement
                return t
            if t.text in ".!?":
                break
        return None

    def _before(self, r: _Region) -> tuple[Token | None, Token | None] | None:
        """A cue right before the opening mark: he said: “...” / he said, “...” / According to X, “...” /
        As X put it, “...”; after a colon with no speech verb, the clause's subject (X released a
        statement: “...”) or a name (Peskov: “...”). Returns (cue, speaker) or None."""
        a, text = self.a, self.text
        j = r.open - 1
        while j >= 0 and text[j] in " \t\xa0":
            j -= 1
        colon = j >= 0 and text[j] == ":"
        if j >= 0 and text[j] == "\n":               # a paragraph that opens with a quote: "X said:\n\n“...”"
            while j >= 0 and text[j].isspace():
                j -= 1
            if j < 0 or text[j] != ":":
                return None
            colon = True
        i = a._tok(j + 1) - 1
        if i < 0:
            return None
        introducing = colon or text[j] in ",—–-" or self.doc[i].lower_ == "that" or a.is_verb(self.doc[i])
        if not introducing:
            return None
        content = text[r.start:r.end]
        # after a colon or a dash, or a comma before a whole sentence, the clause before speaks
        clause = colon or text[j] in "—–-" or text[j] == "," and content[:1].isupper() and content[-1:] in ".!?"
        window = []
        for t in reversed(self.doc[max(0, i - _WINDOW_BEFORE): i + 1]):
            if t.text in ".!?" and t.i < i or (a.in_quote[t.i] and t.i < i) or a.para[t.i] != a.para[i]:
                break
            if a.is_verb(t) or t.lemma_ == "put" and any(c.lower_ == "it" for c in t.children):
                return t, a.subject(t)
            window.append(t)
        if not clause:
            return None
        for t in window[:3]:                         # a name right before the colon: Peskov: “...”
            if t.i in a.ent_of and a.ent_of[t.i][2] in ("PERSON", "ORG"):
                return None, t
            if t.text not in ")]":
                break
        for t in window:                             # the nearest clause before the colon
            if t.pos_ in ("VERB", "AUX"):
                subj = a.subject(t)
                if subj is not None:
                    return t, subj
        return None

    def _governor(self, r: _Region) -> Token | None:
        """A speech verb (or "according to") governing the quote: Peskov said Russia “remains open ...”."""
        a = self.a
        s, e = a._tok(r.start), a._tok(r.end)
        for t in self.doc[s: min(e, s + 60)]:
            if t.head.i < s or t.head.i >= e:
                h = t
                for _ in range(6):
                    if h.head is h or a.para[h.head.i] != a.para[t.i]:
                        break
                    h = h.head
                    if not (s <= h.i < e):
                        if a.is_verb(h):
                            return h
                        for c in h.children:
                            if c.lower_ == "according" and not (s <= c.i < e):
                                return c
                break
        return None

    def _kind(self, r: _Region, cue_before: bool, cue_after: bool) -> str:
        text = self.text
        content = text[r.start:r.end]
        j = r.open - 1
        while j >= 0 and text[j] in " \t\xa0":
            j -= 1
        prev = text[j] if j >= 0 else "\n"
        while j >= 0 and text[j] in "”\"’'":
            j -= 1
        prev2 = text[j] if j >= 0 else "\n"         # before a closing mark: “...,” “...”
        initial = prev in "\n.!?:" or (prev in "”\"’'" and prev2 in ".!?,") or cue_before
        words = _words(content)
        if _title_case(content) and not (cue_after and content[-1:] in _CLAUSE_END):
            return "term"
        if initial and (cue_after or words >= 4 or content[-1:] in ".!?"):
            return "direct"
        if words >= 4 or (cue_after and not initial and words >= 2):
            return "partial"
        if initial and cue_after:
            return "direct"
        prev_word = text[max(0, r.open - 16): r.open].lower().split()[-1:]
        if prev_word and prev_word[0].strip(",(") in _TERM_CUES:
            return "term"
        toks = [t for t in self.doc[self.a._tok(r.start): self.a._tok(r.end)] if not t.is_punct]
        return "term" if toks and toks[-1].pos_ in ("NOUN", "PROPN") and len(toks) > 1 else "scare"

    def quoted(self) -> list[_Found]:
        """Steps 2-3: the kind of each quoted region, its cue and speaker."""
        out: list[_Found] = []
        for r in self.regions:
            if not self.a.parsed:
                out.append(_Found(r.start, r.end, self._kind(r, False, False), para=r.para))
                continue
            label = _LABEL.match(self.text, r.start)
            if label:                                 # "PENCE: Well, look, ..."
                start = label.end()
                while start < r.end and self.text[start].isspace():
                    start += 1
                out.append(_Found(start, r.end, "direct", self.doc[self.a._tok(label.end(1)) - 1], None, r.para))
                continue
            dash = self._dash_name(r)
            if dash is not None:                      # “...” ― Carla Sanchez
                out.append(_Found(r.start, r.end, self._kind(r, False, True), dash, None, r.para))
                continue
            before = self._before(r)
            after = None if before is not None else self._after(r)
            kind = self._kind(r, before is not None, after is not None)
            if kind in ("scare", "term"):
                out.append(_Found(r.start, r.end, kind, para=r.para))
                continue
            cue, speaker = before or (after, None)
            if kind == "partial" or (cue is None and speaker is None):
                gov = self._governor(r)
                if gov is not None:
                    cue, speaker = gov, None
            if cue is not None and speaker is None:
                speaker = self.a.subject(cue)
                if r.close is not None and cue.idx >= r.close and (
                        speaker is None or not r.close <= speaker.idx < cue.idx):
                    speaker = self._named_between(r, cue) or speaker
            if cue is None and speaker is None:
                cue = self._sentence_cue(r) or (self._previous_sentence(r) if kind == "direct" else None)
                speaker = self.a.subject(cue) if cue is not None else None
            if speaker is None and kind == "partial":  # Russia “remains open to talks”: the sentence's subject
                speaker = self._partial_subject(r)
            out.append(_Found(r.start, r.end, kind, speaker, cue, r.para))
        return out

    def _dash_name(self, r: _Region) -> Token | None:
        """A name right after a dash after the quote: “...” ― Carla Sanchez, 34."""
        text, j = self.text, r.close
        if j is None:
            return None
        while j < len(text) and text[j] in " \t\xa0":
            j += 1
        if j >= len(text) or text[j] not in _DASHES:
            return None
        j += 1
        while j < len(text) and text[j] in " \t\xa0":
            j += 1
        i = self.a._tok(j)
        doc = self.doc
        if i >= len(doc) or not (doc[i].text[:1].isupper() and doc[i].is_alpha):
            return None
        while i + 1 < len(doc) and doc[i + 1].is_alpha and doc[i + 1].text[:1].isupper() \
                and doc[i + 1].idx - len(doc[i]) - doc[i].idx <= 1:
            i += 1
        return doc[i]

    def _named_between(self, r: _Region, v: Token) -> Token | None:
        """“...,” Nate Silver, who founded a website, tweeted: the first name between quote and cue."""
        a = self.a
        found: dict[str, Token] = {}
        for t in self.doc[a._tok(r.close or r.end): v.i]:
            label = a.ent_of.get(t.i, (0, 0, ""))[2]
            kind = "person" if label == "PERSON" else "pron" if t.lower_ in _PERSON_PRONOUNS or \
                t.lower_ in _GROUP_PRONOUNS else "group" if label in ("ORG", "NORP", "GPE") else None
            if kind and kind not in found and not a.in_quote[t.i]:
                found[kind] = t
        return found.get("person") or found.get("pron") or found.get("group")

    def _sentence_cue(self, r: _Region) -> Token | None:
        """A speech verb elsewhere in the quote's sentence: Perhaps, he said, this “town has grown”."""
        a = self.a
        i = a._tok(r.start)
        if i >= len(self.doc):
            return None
        s, e = a.sentence_tokens(i)
        best = None
        for t in self.doc[max(s, i - _WINDOW_BEFORE): min(e, i + _WINDOW_BEFORE)]:
            if not a.in_quote[t.i] and a.para[t.i] == a.para[i] and a.is_verb(t):
                if best is None or abs(t.i - i) < abs(best.i - i):
                    best = t
        return best

    def _previous_sentence(self, r: _Region) -> Token | None:
        """X said in a statement. “...”: a speech verb that reports nothing, in the sentence before."""
        a = self.a
        i = a._tok(r.open) - 1
        while i >= 0 and (self.doc[i].is_space or self.doc[i].is_punct and self.doc[i].text in ".:"):
            i -= 1
        for t in reversed(self.doc[max(0, i - _WINDOW_BEFORE): i + 1]):
            if t.text in ".!?" or a.in_quote[t.i] or a.para[t.i] < a.para[max(0, i)]:
                break
            if a.is_verb(t) and t.lower_ != "according":
                return t if self._content(t) is None else None
        return None

    def _partial_subject(self, r: _Region) -> Token | None:
        s = self.a._tok(r.start)
        if s >= len(self.doc):
            return None
        h = self.doc[s]
        for _ in range(6):
            for c in h.children:
                if c.dep_ == "nsubj" and c.i < s and self.a.para[c.i] == self.a.para[s] and (
                        c.lower_ in _PERSON_PRONOUNS or c.lower_ in _GROUP_PRONOUNS or c.i in self.a.ent_of
                        or c.pos_ in ("NOUN", "PROPN")):
                    return c
            if h.head is h:
                break
            h = h.head
        return None

    def indirect(self, taken: list[_Found]) -> list[_Found]:
        """Step 4: speech verbs outside quotes with a reported clause or object."""
        a, doc = self.a, self.doc
        spans = sorted((f.start, f.end, f.kind) for f in taken if f.kind in ("direct", "partial"))
        starts = [s for s, _, _ in spans]
        out: list[_Found] = []
        for i, verb in enumerate(a.verb_at):
            if not verb or a.in_quote[i]:
                continue
            t = doc[i]
            if t.lemma_.lower() in a.quote_verbs:
                continue
            content = self._content(t)
            if content is None:
                continue
            s, e = content
            if _words(self.text[s:e]) < 2:
                continue
            covered = 0                       # characters of the content inside direct/partial quotes
            for qs, qe, kind in spans[max(0, bisect_right(starts, s) - 1):]:
                if qs >= e:
                    break
                if kind == "direct" and qs - 1 <= s < qe:
                    covered = e - s           # it starts in a direct quote: that quote is the statement
                    break
                covered += max(0, min(e, qe) - max(s, qs))
            if covered >= 0.9 * (e - s):
                continue
            out.append(_Found(s, e, "indirect", self.a.subject(t), t, a.para_of(s)))
        return out

    def _content(self, v: Token) -> tuple[int, int] | None:
        """Character span of what cue ``v`` reports, or None."""
        para = self.a.para[v.i]
        if v.lower_ == "according" or v.dep_ == "parataxis" and v.head.i > v.i or v.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ == "as" for c in v.children):
            # S, according to X / As X said, S / The talks, the envoy said, had failed
            h = v.head
            if h is v:
                return None
            sub = [t for t in h.subtree if not (v.left_edge.i <= t.i <= v.right_edge.i)]
            return self._span(sub[0].i, sub[-1].i, para) if sub else None
        ccomp = [c for c in v.children if c.dep_ == "ccomp" and self.a.para[c.i] == para]
        if ccomp:
            right = [c for c in ccomp if c.i > v.i]
            if not right:                             # “...”, he said / Russia is ready, he said
                return self._span(ccomp[-1].left_edge.i, ccomp[-1].right_edge.i, para)
            last = right[-1]
            for c in v.rights:                        # said X, but that Y / said X, and Y had ...
                if c.i > last.i and c.dep_ == "conj" and not self.a.is_verb(c) and any(
                        g.dep_ in _SUBJECT_DEPS or g.dep_ == "mark" for g in c.children):
                    last = c
            return self._span(right[0].left_edge.i, last.right_edge.i, para)
        if v.dep_ in ("parataxis", "ccomp") and v.head.i < v.i and any(c.dep_ in _SUBJECT_DEPS for c in v.children):
            return self._span(v.head.left_edge.i, v.left_edge.i - 1, para)
        if v.lemma_.lower() not in self.a.obj_verbs:
            return None
        parts = [c for c in v.rights if c.dep_ in _OBJ_DEPS
                 or (c.dep_ == "prep" and c.lower_ in _OBJ_PREPS and not any(
                     g.ent_type_ in ("DATE", "TIME") for g in c.children))]
        if not parts:
            return None
        return self._span(parts[0].left_edge.i, parts[-1].right_edge.i, para)

    def _span(self, i: int, j: int, para: int) -> tuple[int, int] | None:
        """Characters of tokens i..j inside paragraph ``para``, without edge punctuation or "that"."""
        doc, paras = self.doc, self.a.para
        while i <= j and paras[i] < para:
            i += 1
        while j >= i and paras[j] > para:
            j -= 1
        while i <= j and (doc[i].is_punct or doc[i].is_space or doc[i].lower_ == "that" and doc[i].dep_ == "mark"):
            i += 1
        while j >= i and (doc[j].is_punct or doc[j].is_space):
            j -= 1
        if j < i:
            return None
        start, end = doc[i].idx, doc[j].idx + len(doc[j])
        inner = self.text[start:end]                  # keep quote marks balanced: the plan “interesting”
        if inner.count("“") > inner.count("”") or inner.count('"') % 2:
            for t in doc[j + 1: j + 4]:
                if t.text in '”"':
                    end = t.idx + 1
                    break
                if not t.is_punct:
                    break
        elif (inner.count("”") > inner.count("“") or inner.count('"') % 2) and i and doc[i - 1].text in '“"':
            start = doc[i - 1].idx
        return start, end


def find_quotes(doc: Doc) -> list[Quote]:
    """Every reported statement in ``doc`` and who made it, in text order.

    1. Pair quote marks paragraph by paragraph (``scan_quotes``).
    2. Classify each quoted span: ``direct`` (a sentence or more), ``partial`` (a fragment inside a
       sentence), ``scare``/``term`` (a few words or a title: not speech, no speaker).
    3. Find each quote's cue: a speech verb after it (“...,” he said), before it (he said: “...”;
       According to X, “...”) or governing it (X said Russia “...”); its subject is the speaker.
    4. Indirect speech: speech verbs outside quotes with a reported clause (X said (that) ...;
       ..., X said) or object (X accused Y of ...), and "according to X, ...".
    5. Quotes with no cue right after a statement with a speaker (a quote run) take that speaker.
    6. Resolve speakers in text order: names to the fullest form, titles ("the spokesman") to the
       last person introduced with that title, pronouns to the last compatible subject or speaker.
    """
    finder = _Finder(_Article(doc))
    found = finder.quoted()
    if finder.a.parsed:
        found += finder.indirect(found)
    a = finder.a
    for f in found:
        f.end_para = a.para_of(f.end)
    found.sort(key=lambda f: (f.start, f.end))
    # subjects inside reported clauses (Trump said Putin ...) are not what a later "he" points back to
    reported = [(f.start, f.end) for f in found if f.kind == "indirect"]
    starts = [s for s, _ in reported]
    a.antecedents = [x for x in a.antecedents
                     if not (k := bisect_right(starts, x[0])) or x[0] >= reported[k - 1][1]]
    return _resolve(a, found)


def make_article_index(doc: Doc) -> "_Article":
    """The per-document lookups quotes are found with (names, titles, pronoun antecedents), for other
    extractors that resolve the same mentions (``extract.stances``)."""
    return _Article(doc)


def mention_resolver(doc: Doc):  # -> Callable[[int, int], str | None]
    """A function naming the speaker mention at character span (start, end) of ``doc`` the way
    ``find_quotes`` does (pronouns and titles to the fullest name); for evaluations."""
    a = _Article(doc)

    def resolve(start: int, end: int) -> str | None:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        head = span.root
        return a.resolve(head, a.mention(head))

    return resolve


def _resolve(a: _Article, found: list[_Found]) -> list[Quote]:
    """Steps 5-6, in text order; each resolved speaker becomes an antecedent for later pronouns."""
    out: list[Quote] = []
    people = {name for _, name, _ in a.persons}
    last: tuple[int, int, str | None, int] | None = None   # speaker span and name, paragraph where it ended
    for f in found:
        s_start = s_end = name = None
        if f.kind in ("scare", "term"):
            pass
        elif f.speaker is not None:
            s_start, s_end = a.mention(f.speaker)
            name = a.resolve(f.speaker, (s_start, s_end))
            if name:
                if f.speaker.pos_ == "PRON":
                    kind = "person" if f.speaker.lower_ in _PERSON_PRONOUNS else "group"
                else:
                    label = a.ent_of.get(f.speaker.i, (0, 0, ""))[2]
                    kind = "person" if label == "PERSON" or name in people else "group"
                a.antecedents.insert(bisect_left(a.antecedents, (s_start,)), (s_start, kind, name))
        elif f.kind == "direct" and last is not None and f.para - last[3] <= 1:   # a quote run
            s_start, s_end, name = last[0], last[1], last[2]
        if s_start is not None:
            last = (s_start, s_end, name, f.end_para)
        cue = f.cue
        out.append(Quote(
            start=f.start, end=f.end, text=a.text[f.start:f.end], kind=f.kind,  # type: ignore[arg-type]
            speaker_text=name, speaker_start=s_start, speaker_end=s_end,
            cue=cue.text if cue is not None else None,
            cue_start=cue.idx if cue is not None else None,
            cue_end=cue.idx + len(cue) if cue is not None else None,
            sentence=a.sentence_of(f.start)))
    return out
