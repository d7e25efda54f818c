"""Reported statements in a parsed article: direct, partial and indirect quotes with their speakers,
resolved inside the article ("he", "the spokesman", "Peskov" -> "Dmitry Peskov"); scare quotes and
quoted terms are kept apart as not speech."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from ..records import Mention, Quote
from .quote_article import _Article, _name_in_quotes, _show_title, _title_case, _words
from .quote_marks import (_CLAUSE_END, _DASHES, _Found, _GROUP_PRONOUNS, _LABEL, _OBJ_DEPS, _OBJ_PREPS,
                          _PERSON_PRONOUNS, _Region, _SUBJECT_DEPS, _TERM_CUES, _WINDOW_AFTER, _WINDOW_BEFORE)
from .stance_lexicon import DOCUMENTS


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
        if _title_case(content) and not (cue_after and content[-1:] in _CLAUSE_END) or (
                not cue_before and not cue_after and _name_in_quotes(content)) or _show_title(
                content, text[max(0, r.open - 24):r.open]):
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
            subject = self.a.subject(t)
            if subject is not None and _nobody(subject):
                continue   # "No nation or group claimed responsibility": no one said anything
            # a passive cue's subject said nothing ("police were called over reports that"): no speaker
            out.append(_Found(s, e, "indirect", None if _passive(t) else subject, t, a.para_of(s)))
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


def _nobody(subject: Token) -> bool:
    """A subject that names no one ("no group", "nobody", "none of them", "neither side")."""
    return subject.lower_ in ("nobody", "none", "neither", "nothing", "noone") or any(
        c.dep_ == "det" and c.lower_ in ("no", "neither") for c in subject.children)


def _passive(v: Token) -> bool:
    """A speech verb in the passive with no reported clause ("police were called over reports that ...", "he
    was accused of ..."): its subject was summoned, named or accused; it said nothing ("he was told that ..."
    keeps its clause)."""
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children) and not any(c.dep_ == "ccomp"
                                                                                 for c in v.children)


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


#: The verbs that name who wrote a document (``stance_lexicon.DOCUMENTS``: "a statement attributed to X").
_ISSUING = frozenset({"attribute", "issue", "sign", "release", "send", "write", "credit", "post"})


def _named_beside(a: _Article, head: Token) -> Token:
    """A description's speaker is the person named in apposition to it ("Another Republican senator, Dan
    Sullivan, said"), not whoever was last given its title; any other speaker stays as found."""
    if head.pos_ != "NOUN" or head.tag_ == "NNS":
        return head
    named = next((c for c in head.children if c.dep_ == "appos" and c.i > head.i and not c.conjuncts
                  and a.ent_of.get(c.i, (0, 0, ""))[2] == "PERSON"), None)
    if named is None and head.lemma_ in DOCUMENTS:
        # "said the translated statement attributed to Kim Kye Gwan", "a statement issued by the ministry": its author
        named = next((p for c in head.children if c.dep_ == "acl" and c.lemma_ in _ISSUING
                      for prep in c.children if prep.dep_ in ("prep", "agent") and prep.lower_ in ("to", "by")
                      for p in prep.children if p.dep_ == "pobj"
                      and a.ent_of.get(p.i, (0, 0, ""))[2] in ("PERSON", "ORG", "GPE")), None)
    return named if named is not None else head


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
            head = _named_beside(a, f.speaker)
            s_start, s_end = a.mention(head)
            name = a.resolve(head, (s_start, s_end))
            if name:
                if head.pos_ == "PRON":
                    kind = "person" if head.lower_ in _PERSON_PRONOUNS else "group"
                else:
                    label = a.ent_of.get(head.i, (0, 0, ""))[2]
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


def speaker_mentions(quotes: Sequence[Quote], mentions: Sequence[Mention]) -> list[Quote]:
    """Each quote with the named-entity mention that is its speaker (``speaker_mention``, the mention's start):
    the person the speaker's phrase names, not a place or party before the title ("Colorado Republican Sen. Cory
    Gardner"); with no person in it, a name that ends the phrase (its head: "the Kremlin"), never a modifier of a
    title ("the U.S. president" is not the United States); with no phrase in the text (a quote run carrying an
    earlier speaker), the first mention named as the speaker is."""
    by_name: dict[str, int] = {}
    for m in mentions:
        by_name.setdefault(m.name, m.start)
    out = []
    for q in quotes:
        at = None
        if q.speaker_start is not None:
            end = q.speaker_end or 0
            inside = [m for m in mentions if m.start < end and q.speaker_start < m.end
                      and (m.label == "PERSON" or m.end >= end - 1)]
            if inside:
                at = max(inside, key=lambda m: (m.label == "PERSON", m.end)).start
        if at is None and q.speaker_text:
            at = by_name.get(q.speaker_text)
        out.append(replace(q, speaker_mention=at) if at != q.speaker_mention else q)
    return out
