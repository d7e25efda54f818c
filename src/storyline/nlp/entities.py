"""Entity mentions of one article, resolved inside it: surnames to full names, variant spellings to one
name, titles kept as roles, institutions and capital-city metonyms ("Moscow said") as the government
they speak for, distinct from the place."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span

from ..records import Mention, Sentence
from .names import Aliases, ascii_fold, load_aliases, name_key, place_name, strip_honorifics, surname_key

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
    if any(w.lower().strip("'s") in TITLE_WORDS for w in words):
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


def _is_actor(span: Span) -> bool:
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass"):
        return True
    head = root.head
    return root.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"


def _sentence_of(start: int, sentences: Sequence[Sentence]) -> int:
    for s in sentences:
        if s.start <= start < s.end:
            return s.index
    return -1


def find_mentions(doc: Doc, sentences: Sequence[Sentence] = (), aliases: Aliases | None = None) -> list[Mention]:
    """Named-entity mentions of ``doc`` with in-article resolution (see the module docstring)."""
    aliases = aliases or load_aliases()
    full_names: dict[str, str] = {}  # surname key -> fullest person name seen so far in the article
    out: list[Mention] = []
    for ent in doc.ents:
        label = ent.label_
        if label not in LABELS:
            continue
        text = ent.text
        folded = ascii_fold(text.removeprefix("the ").removeprefix("The "))
        if not folded:
            continue
        role = country = None
        actor = _is_actor(ent)
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
            clean = strip_honorifics(text)
            if not clean or not any(c.isalpha() for c in clean):
                continue
            skey = surname_key(clean, aliases)
            if len(clean.split()) >= 2:
                if len(clean) >= len(full_names.get(skey, "")):
                    full_names[skey] = clean
                name = clean
            else:
                name = full_names.get(skey, clean)
            key = name_key(name, "PERSON", aliases)
            role = _role_before(ent) or _role_appos(ent)
        else:
            name = text.removeprefix("the ").removeprefix("The ").strip()
            key = name_key(name, label, aliases)
        out.append(Mention(ent.start_char, ent.end_char, text, label, key, name,
                           _sentence_of(ent.start_char, sentences), role, country, actor))
    return out
