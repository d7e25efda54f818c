"""Entity mentions of one article, resolved inside it: surnames to full names, variant spellings to one
name, titles kept as roles, institutions and capital-city metonyms ("Moscow said") as the government
they speak for, distinct from the place."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span, Token

from ..records import Mention, Sentence
from .names import (Aliases, ascii_fold, family_first_key, first_name_skeleton, given_name_gender, given_names,
                    load_aliases, name_key, place_name, strip_honorifics, surname_key)

LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
TITLE_WORDS = frozenset("""
president vice-president premier minister secretary spokesperson spokesman spokeswoman chancellor senator
governor mayor ambassador envoy commissioner chief leader general commander official adviser advisor aide head
chairman chairwoman chair director ceo king queen pope prosecutor judge lawmaker deputy representative speaker
negotiator diplomat foreign defence defense interior finance economy justice prime press spokesperson
""".split())
_SPEECH_LEMMAS = frozenset("say tell state add warn claim insist stress emphasise emphasize accuse deny announce "
                           "argue note explain suggest reject call urge demand confirm declare respond reply".split())


def _role_before(span: Span) -> str | None:
    """A title written right before a name: "Kremlin spokesperson Dmitry Peskov" -> "Kremlin spokesperson"."""
    doc = span.doc
    i = span.start - 1
    words: list[str] = []
    while i >= 0 and span.start - i <= 6:
        tok = doc[i]
        if tok.is_space or "\n" in tok.whitespace_ or tok.is_sent_end or tok.is_punct or tok.pos_ in ("DET", "VERB", "AUX", "PRON", "CCONJ", "SCONJ", "NUM") \
                or (tok.pos_ == "ADP" and tok.lower_ != "of"):
            break
        words.insert(0, tok.text)
        i -= 1
    while words and words[0].lower() == "of":
        words.pop(0)
    if any(w.lower().removesuffix("'s").removesuffix("’s") in TITLE_WORDS for w in words):
        return " ".join(words).replace(" 's", "'s")
    return None


def _role_appos(span: Span) -> str | None:
    """An appositive title: "Dmitry Peskov, the Kremlin's spokesman," -> "Kremlin's spokesman"."""
    for child in span.root.children:
        if child.dep_ == "appos" and child.i > span.end - 1:
            sub = [t for t in child.subtree if t.dep_ != "det" and not t.is_punct]
            text = " ".join(t.text for t in sub).replace(" 's", "'s")
            if sub and len(sub) <= 8 and any(t.lower_ in TITLE_WORDS for t in sub):
                return text
    return None


def _titled_appos(span: Span) -> bool:
    """A name with a title in apposition ("Hadi Ghaemi, the executive director of ...") is a person's, whatever
    the tagger called it."""
    return any(c.dep_ == "appos" and c.i >= span.end and c.lower_ in TITLE_WORDS for c in span.root.children)


def before_subjectless_verb(span: Span) -> bool:
    """A name just before a verb the parse left without a subject ("... and the country's Prime Minister Justin
    Trudeau described the crash", the name hung on another noun): that verb's subject in fact."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return after is not None and after.pos_ == "VERB" and after.tag_ in ("VBD", "VBZ") and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in after.children)


def _is_actor(span: Span) -> bool:
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass") or before_subjectless_verb(span):
        return True
    head = root.head
    return root.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"


def _sentence_of(start: int, sentences: Sequence[Sentence]) -> int:
    for s in sentences:
        if s.start <= start < s.end:
            return s.index
    return -1


def _ending(text: str, full: dict[str, str], rank: dict[str, int], whole: bool = False) -> str | None:
    """The full name ``text`` ends with (after a space; or is, with ``whole``), the first of ``full`` when several
    do: its word-final tails looked up, not every name tried (quadratic in an article's names)."""
    tails = [text[j + 1:] for j, c in enumerate(text) if c == " "] + ([text] if whole else [])
    found = [t for t in tails if t in full]
    return full[min(found, key=rank.__getitem__)] if found else None


def find_mentions(doc: Doc, sentences: Sequence[Sentence] = (), aliases: Aliases | None = None) -> list[Mention]:
    """Named-entity mentions of ``doc`` with in-article resolution (see the module docstring)."""
    aliases = aliases or load_aliases()
    ents = [e for e in doc.ents if e.label_ in LABELS]
    # pass 1: the article's full person names (a headline may say "Peskov" before the text says
    # "Dmitry Peskov"), and the label each surface form carries most often (the tagger is not
    # consistent: "Galați" may be GPE three times and PERSON once)
    written: dict[str, Counter] = defaultdict(Counter)   # surname key -> the full names written with it
    family_first: dict[str, Counter] = defaultdict(Counter)   # the same for names written family name first
    votes: dict[str, Counter] = defaultdict(Counter)
    names = given_names()
    for ent in ents:
        votes[ascii_fold(ent.text)][ent.label_] += 1
        words = strip_honorifics(ent.text).split()
        if ent.label_ == "PERSON" or (2 <= len(words) <= 3 and first_name_skeleton(words[0]) in names
                                      and all(w[:1].isupper() for w in words)):
            clean = strip_honorifics(ent.text)
            if len(clean.split()) >= 2:
                written[surname_key(clean, aliases)][clean] += 1
                if (fkey := family_first_key(clean)) is not None:
                    family_first[fkey][clean] += 1
    people = {skey: _people(counts) for skey, counts in written.items()}
    for fkey, counts in family_first.items():
        # "Kim" after "Kim Jong Un" (and before "Sung Kim" is named): the person written most of those the
        # bare word can name, family name first or last
        ranked = people.get(fkey, []) + [n for n in counts if n not in people.get(fkey, [])]
        people[fkey] = sorted(ranked, key=lambda n: -(counts[n] + sum(v for w, v in written[fkey].items()
                                                                      if w == n or n.endswith(" " + w))))
    full_names = {skey: ps[0] for skey, ps in people.items()}   # a bare surname's person, unless told otherwise
    full_folded = {ascii_fold(n): n for ps in people.values() for n in ps}
    rank = {f: k for k, f in enumerate(full_folded)}
    surnames = set(full_names)
    # surnames the tagger missed ("Vorontsov told reporters ...") when the article names the person in full
    covered = {i for e in ents for i in range(e.start, e.end)}
    # and places of the alias file it missed ("said in Kyiv")
    extra = []
    for t in doc:
        if t.i in covered or not t.text[:1].isupper() or len(t.text) <= 2:
            continue
        if t.pos_ in ("PROPN", "NOUN", "ADJ", "VERB") and surname_key(t.text, aliases) in full_names \
                and not _after_the(t):
            extra.append(Span(doc, t.i, t.i + 1, label="PERSON"))
        elif t.pos_ == "PROPN" and ascii_fold(t.text) in aliases.places:
            extra.append(Span(doc, t.i, t.i + 1, label="GPE"))
    ents = sorted([*ents, *extra], key=lambda e: e.start)
    out: list[Mention] = []
    for ent in ents:
        label = (votes[ascii_fold(ent.text)].most_common(1) or [(ent.label_, 0)])[0][0]
        folded_text = ascii_fold(ent.text)
        dateline = ent.text.isupper() and len(ent.text) > 3 and ent.end < len(doc) and doc[ent.end].text in (",", "(")
        if dateline:  # "CHIȘINĂU, May 6 (Meridian Wire) -": a place, and no actor
            label = "GPE"
        if label != "PERSON" and folded_text not in aliases.institutions and folded_text not in aliases.places:
            # the tagger often calls a surname an ORG or GPE ("Brandt said"), or tags a titled name as one
            # ORG ("Kremlin spokesperson Dmitry Vorontsov"): a span that is, or ends with, one of the
            # article's people is that person
            ending = _ending(folded_text, full_folded, rank, whole=True)
            words = strip_honorifics(ent.text).split()
            if ending or (len(words) == 1 and surname_key(ent.text, aliases) in surnames
                          and not _after_the(doc[ent.start])) or (
                    2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)
                    and (first_name_skeleton(words[0]) in given_names() or _titled_appos(ent))):
                label = "PERSON"
        if label == "PERSON" and len(ent.text.split()) == 1 and surname_key(ent.text, aliases) not in full_names \
                and (votes[folded_text]["GPE"] or folded_text in aliases.metonyms):
            label = "GPE"   # "Washington has blamed Iran": a capital (no one of the article's people), never a person
        text = ent.text
        folded = ascii_fold(text.removeprefix("the ").removeprefix("The "))
        if not folded:
            continue
        role = country = None
        actor = _is_actor(ent) and not dateline
        if folded in aliases.institutions:
            name, country, _ = aliases.institutions[folded]
            label, key = "ORG", name_key(name, "ORG", aliases)
        elif folded in aliases.places and label in ("PERSON", "ORG", "GPE", "LOC", "FAC"):
            name = place_name(text, aliases)
            if actor and ascii_fold(name) in aliases.metonyms:
                country = aliases.metonyms[ascii_fold(name)]
                label, key = "ORG", f"gov:{country.lower()}:{ascii_fold(name)}"
            else:
                label, key = "GPE", name_key(name, "GPE", aliases)
        elif label in ("GPE", "LOC", "FAC"):
            name = place_name(text, aliases)
            if actor and ascii_fold(name) in aliases.metonyms:
                country = aliases.metonyms[ascii_fold(name)]
                label, key = "ORG", f"gov:{country.lower()}:{ascii_fold(name)}"
            else:
                key = name_key(name, label, aliases)
        elif label == "PERSON":
            ending = _ending(folded, full_folded, rank)
            if ending:  # "Kremlin spokesperson Dmitry Vorontsov" tagged as one span: the name and its title
                role = text[: len(text) - len(ending)].strip() or None
                text_name = ending
            else:
                text_name = text
            clean = strip_honorifics(text_name)
            if not clean or not any(c.isalpha() for c in clean):
                continue
            skey = surname_key(clean, aliases)
            if len(clean.split()) == 1 and skey not in people:
                skey = _misspelt(skey, people) or skey
            name = _surname_person(ent, people.get(skey, []), clean) if len(clean.split()) == 1 else clean
            key = name_key(name, "PERSON", aliases)
            role = role or _role_before(ent) or _role_appos(ent)
        else:
            name = text.removeprefix("the ").removeprefix("The ").strip()
            key = name_key(name, label, aliases)
        out.append(Mention(ent.start_char, ent.end_char, text, label, key, name,
                           _sentence_of(ent.start_char, sentences), role, country, actor,
                           label == "PERSON" or _surname_like(ent)))
    return _with_title_mentions(doc, out, sentences)


#: Letters of a surname from which one typed letter wrong is still that surname ("McColloch" for "McCulloch").
MISSPELT_MIN = 7


def _misspelt(skey: str, people: dict[str, list[str]]) -> str | None:
    """The one surname of the article's people that ``skey`` (a surname key with no full name) is a typing
    slip of: as long (at least ``MISSPELT_MIN`` letters), the same first letter, one letter different."""
    word = skey.removeprefix("person:")
    if len(word) < MISSPELT_MIN:
        return None
    near = [k for k in people if len(k) == len(skey) and k[7:8] == word[:1]
            and sum(x != y for x, y in zip(k[7:], word)) == 1]
    return near[0] if len(near) == 1 else None


def _people(written: Counter) -> list[str]:
    """The people one surname names in an article, most written first: each by its fullest form ("Donald J.
    Trump" over "Donald Trump"); a phrase that ends with another of the names is that name with words before
    it ("Help Donald Trump" in a headline run into the text), not another person."""
    names = [n for n in written if not any(o != n and n.endswith(" " + o) for o in written)]
    by_first: dict[str, list[str]] = defaultdict(list)
    for n in names:
        by_first[first_name_skeleton(n.split()[0])].append(n)
    ranked = sorted(by_first.values(), key=lambda ns: -sum(written[n] for n in ns))
    return [max(ns, key=len) for ns in ranked]


_HONORIFIC_SEX = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}


#: Prepositions of place: a one-word name they govern is a place ("protests in Ferguson"), never a surname.
_LOCATIVE = frozenset({"in", "at", "near", "outside", "across", "around", "throughout", "inside", "within", "into"})


def _surname_like(span: Span) -> bool:
    """Whether a name the tagger did not call a person can still be a person's surname for the store (a
    tagger's "Trump said", "President Trump's", "talks with Trump" as ORG): one word, not after a determiner
    ("the House", "the Trump administration"), not a modifier of another noun ("House Speaker", "Ferguson
    police") and not a place a preposition of place governs ("in Ferguson")."""
    words = [t for t in span if t.is_alpha]
    if len(words) != 1:
        return False   # ("Cameron &" in a tweet is one word)
    tok = words[0]
    if tok.i > 0 and tok.nbor(-1).pos_ == "DET" or tok.dep_ in ("compound", "amod"):
        return False
    return not (tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE)


def _after_the(tok: Token) -> bool:
    """ "the House", "the Kremlin": a word after "the" is never a person's surname, whoever shares it."""
    return tok.i > 0 and tok.nbor(-1).lower_ == "the"


def _surname_person(ent: Span, people: list[str], surname: str) -> str:
    """A surname's full name in the article: one its honorific agrees with, a name of that sex before a name
    of neither ("Mr. Trump" is never the article's Ivanka Trump: with no other Trump the surname stays as
    written), else the one written most."""
    before = ent.doc[ent.start - 1].lower_.rstrip(".") if ent.start else ""
    sex = _HONORIFIC_SEX.get(ascii_fold(ent.text.split()[0]).rstrip(".")) or _HONORIFIC_SEX.get(before)
    if sex is not None:
        sexes = [given_name_gender(p) for p in people]
        people = [p for p, x in zip(people, sexes) if x == sex] or [p for p, x in zip(people, sexes) if x is None]
    return people[0] if people else surname


_SAME_TITLE = {"spokesman": "spokesperson", "spokeswoman": "spokesperson", "defense": "defence",
               "chairwoman": "chairman", "chair": "chairman", "advisor": "adviser"}


#: Characters after a bare title ("The mayor called on ...") within which the first person named with that title
#: is the one it names, when no holder was named before it.
CATAPHORA_REACH = 1500

#: words that make a title another office than the bare title ("vice president" is not "the president")
LESSER_TITLE_WORDS = frozenset({"vice", "deputy", "assistant", "associate", "under", "acting", "former", "ex"})


def titled_abroad(words: Iterable[str]) -> bool:
    """Some of a title's words name a country or a nationality ("turkish", "france", "u.s."): the holder of
    that country's office, not the one a bare title names."""
    from ..polevents.lexicon import load_lexicon

    countries = load_lexicon().countries
    return any(w.strip(".").replace(".", "") in countries or w in countries for w in words)


def _title_words(role: str) -> set[str]:
    return {_SAME_TITLE.get(w, w) for w in role.lower().replace("'s", "").replace("’s", "").split()}


def _with_title_mentions(doc: Doc, mentions: list[Mention], sentences: Sequence[Sentence]) -> list[Mention]:
    """Add "the spokesman" / "the foreign minister" as mentions of the person last introduced with that title."""
    people = [m for m in mentions if m.label == "PERSON" and m.role]
    if not people:
        return mentions
    added = []
    text = doc.text   # spaCy joins every token again on each ``doc.text``: read it once
    taken = {(m.start, m.end) for m in mentions}
    for tok in doc:
        if tok.lower_ not in TITLE_WORDS or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        first = tok.left_edge
        if first.lower_ not in ("the", "this") or tok.i - first.i > 3 or (tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN"):
            continue  # "the spokesman", not "the spokesman Dmitry Peskov" (already a mention)
        start, end = first.idx, tok.idx + len(tok.text)
        words = {_SAME_TITLE.get(w.lower_, w.lower_) for w in doc[first.i + 1: tok.i + 1]}
        head = _SAME_TITLE.get(tok.lower_, tok.lower_)
        titled = [p for p in people if head in _title_words(p.role) and words <= _title_words(p.role)]
        # "the president" is not the vice president
        titled = [p for p in titled if not (_title_words(p.role) - words) & LESSER_TITLE_WORDS]
        before = [p for p in titled if p.end <= start]
        after = [p for p in titled if end <= p.start <= end + CATAPHORA_REACH]
        if not titled_abroad(words | {w.lower_ for w in tok.subtree if w.i > tok.i}):
            # "the president" after "President Donald Trump" and "Turkish President Recep Tayyip Erdogan": a title
            # left bare is the article's own country's; another country's holder is written with the country
            before = [p for p in before if not titled_abroad(_title_words(p.role) - words)] or before
            after = [p for p in after if not titled_abroad(_title_words(p.role) - words)]
        if not before and first.lower_ == "the":
            # a lede's "The mayor called on ..." before the text names "Mayor Stephanie Rawlings-Blake": the first
            # holder of the title named soon after, when none was named before
            before = after[:1]
        if before and (start, end) not in taken:
            p = before[-1]
            added.append(Mention(start, end, text[start:end], "PERSON", p.key, p.name,
                                 _sentence_of(start, sentences), None, None, _is_actor(doc[first.i: tok.i + 1])))
    return sorted([*mentions, *added], key=lambda m: m.start)
