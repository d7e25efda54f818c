"""Post holders: one post given to two different people by two independent sources at the same time ("St.
Louis County Police Chief Jon Belmar" / "St. Louis County Police Chief Sam Dotson"): a ``person`` conflict.

A post is the title the entity stage reads before a person's name (``Mention.role``). Precision first, so only
titles that name one post held by one person count:

- the title ends in a single-holder head ("chief", "director", "mayor", "speaker", "attorney general",
  "chief of staff" ...): never "senator", "spokesman", "justice" or "officer", which many hold at once;
- it names whose post it is with a capitalised word that is not a portfolio or a rank ("St. Louis County",
  "FBI", "Boston", "White House", "Senate"): "Defense Secretary", "Police Chief" or "committee chairman" alone
  may be another country's, town's or committee's;
- it is not a post held before, after or in someone's stead ("former", "then-", "acting", "deputy",
  "-elect" ... in the title or just before it), nor a relative one ("the country's prime minister");
- the two reports are dated and come from independent sources within ``POST_DAYS`` days (an undated
  report may be from another year, when someone else held the post); the two names do not share a
  surname, however spelled (``SAME_NAME``: "Gaddafi" / "Gadhafi" is one man), and neither article names the
  other person anywhere (an article naming both knows both: a successor, a deputy, a predecessor).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from difflib import SequenceMatcher

from .align import near_in_time
from .facts import Fact
from .material import Material, Mention
from .words import fold

POST_DAYS = 14  # two reports of who holds a post are at most this many days apart
SAME_NAME = 0.75  # surnames at least this alike (difflib ratio) are one name spelled two ways
MAX_REPORTS = 60  # reports of one holder of one post compared (one per source and day)
#: the last words of a title held by one person at a time (a title of several words ends in one of these)
HEADS = ("chief of staff", "attorney general", "surgeon general", "secretary-general", "secretary general",
         "chief", "commissioner", "director", "secretary", "minister", "president", "premier", "chancellor",
         "speaker", "leader", "governor", "mayor", "chairman", "chairwoman", "chair", "administrator",
         "superintendent", "sheriff", "prosecutor", "coroner", "ceo", "king", "queen", "emperor", "pope")
#: title words that say what kind of post, not whose: a title needs another word to name one post
GENERIC = frozenset("""police fire county city state federal national top chief senior general press deputy
department agency ministry foreign defense defence interior justice treasury health finance economy economic
education transport transportation energy labor labour commerce trade home homeland security intelligence
committee subcommittee panel council board commission
military army navy air force executive public safety communications republican democratic democrat gop party
majority minority prime supreme district regional local of the and for""".split())
#: words that make a title someone else's, earlier, later or shared
NOT_HELD = frozenset("""former ex ex- acting interim deputy vice assistant associate late then outgoing incoming new
newly future would-be onetime one-time retired co co- elect designate nominee nominated presumptive disgraced
fired ousted
country's nation's state's city's company's agency's department's its his her their""".split())
LEAD = 30  # characters before a sentence cut without a full stop that may hold its first title's "former"
#: acts right before a title that make its holder a past one: "the decision to fire FBI director James Comey"
ENDED = frozenset("""fire firing oust ousting sack sacked sacking dismiss dismissed dismissing replace replaced
replacing succeed succeeded succeeding""".split())
_WORD = re.compile(r"[\w.'’-]+")


def post_of(role: str | None) -> str | None:
    """The post a title names, folded ("st. louis county police chief"), or ``None`` when it may name another
    post or be held by several people (see the module's rules)."""
    if not role:
        return None
    written = [w.replace("’", "'") for w in _WORD.findall(role)]
    words = [fold(w) for w in written]
    while words and words[0] in ("the", "a", "an"):
        words, written = words[1:], written[1:]
    while words and words[-1] in ("dr.", "dr", "mr.", "ms.", "mrs."):
        words, written = words[:-1], written[:-1]
    if len(words) < 2 or any(w in NOT_HELD or w.endswith("-elect") for w in words):
        return None
    text = " ".join(words)
    head = next((h for h in HEADS if text == h or text.endswith(" " + h)), None)
    if head is None:
        return None
    whose = [(w[:-2] if w.endswith("'s") else w).strip(".'") for w in written[:len(words) - len(head.split())]]
    return text if any(w[:1].isupper() and fold(w) not in GENERIC for w in whose) else None


def _with_lead(f: Fact) -> tuple[str, int]:
    """The sentence's text with the words before it when the sentence was cut without a full stop (a page's
    line break inside "the other two men on his list - former [break] House Speaker X"), and how many
    characters those are: a title's "former" is then still read."""
    before = f.doc.text[max(0, f.sentence.start - LEAD):f.sentence.start]
    if not before.strip() or before.rstrip()[-1:] in ".!?\"”’:;":
        return f.sentence.text, 0
    return before + f.sentence.text, len(before)


def _held_now(sentence: str, name_at: int, role: str) -> bool:
    """No "former", "then-", "acting" ... in the few words before the title (the entity stage reads the title
    without them: "then-FBI Director", "disgraced acting FBI Director"), nor an act that ended the holding
    ("to fire FBI director James Comey")."""
    at = sentence.rfind(role, 0, max(name_at, 0) + 1)
    before = sentence[max(0, (at if at >= 0 else name_at) - 30):at if at >= 0 else name_at]
    return not any(w in NOT_HELD or w.rstrip("-") in NOT_HELD or w in ENDED
                   for w in re.findall(r"[\w'’]+-?", fold(before))[-3:])


def _surname(name: str) -> str:
    words = [w for w in _WORD.findall(fold(name)) if w.rstrip(".") not in ("jr", "sr", "ii", "iii")]
    return words[-1].strip(".'") if words else ""


def _same_name(a: str, b: str) -> bool:
    return a == b or SequenceMatcher(None, a, b).ratio() >= SAME_NAME


def post_holders(facts: list[Fact], material: Material) -> Iterator[tuple[Fact, Fact, str, str, float, str]]:
    """``(fact_a, fact_b, name_a, name_b, confidence, about)`` for each post given two holders (module rules)."""
    by_post: dict[str, list[tuple[Fact, Mention]]] = defaultdict(list)
    for f in facts:
        if f.doc.opinion:
            continue
        if not (f.doc.day or f.doc.published):
            continue
        text, lead = _with_lead(f)
        for m in material.people(f.article_id, f.sentence.index):
            post = post_of(m.role)
            if post and _surname(m.name) and _held_now(text, m.start - f.sentence.start + lead, m.role or ""):
                by_post[post].append((f, m))
    surnames: dict[str, set[str]] = {}
    for post, found in by_post.items():
        # one report per holder, source and day (a long storyline names a speaker hundreds of times), at most
        # MAX_REPORTS per holder: the pairs below stay few however long the storyline
        kept: dict[tuple[str, str, str], tuple[Fact, Mention]] = {}
        for f, m in found:
            kept.setdefault((_surname(m.name), f.doc.source, f.doc.day or f.doc.published or ""), (f, m))
        per_name: dict[str, int] = defaultdict(int)
        items = []
        for (name, _, _), item in kept.items():
            if per_name[name] < MAX_REPORTS:
                per_name[name] += 1
                items.append(item)
        seen: set[tuple[str, str]] = set()
        for i, (a, ma) in enumerate(items):
            for b, mb in items[i + 1:]:
                sa, sb = _surname(ma.name), _surname(mb.name)
                if a.doc.source == b.doc.source or _same_name(sa, sb) or (sa, sb) in seen \
                        or not near_in_time(a, b, POST_DAYS):
                    continue
                if sb in _surnames(material, a.article_id, surnames) or sa in _surnames(material, b.article_id,
                                                                                      surnames):
                    continue
                seen.add((sa, sb))
                yield a, b, ma.text, mb.text, 0.6, f"who is the {ma.role}: {ma.text} vs {mb.text}"


def _surnames(material: Material, article_id: str, cache: dict[str, set[str]]) -> set[str]:
    """Every surname an article gives anyone (its people's and any capitalised word: "Belmar said")."""
    if article_id not in cache:
        text = material.docs[article_id].text
        cache[article_id] = {fold(w).strip(".'’") for w in re.findall(r"\b[A-Z][\w'’-]+", text)} | \
            {_surname(m.name) for m in material.mentions.get(article_id, []) if m.label == "PERSON"}
    return cache[article_id]
