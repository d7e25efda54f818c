"""Positions: per actor, what they demand, offer, reject or make conditional, and how that changed.

``extract(store, story)`` reads the storyline's sentences and quotes (``material.load``) and:

1. cuts each sentence into clauses (a paragraph break, ", but", ";", a dash, ", and that", ", while", ", including", a
   trailing ", the ministry said"); a quote that runs on into the next sentence covers it too;
2. types a clause by the first cue that matches, in the order condition, reject, offer, demand (cues
   are regular expressions in ``data/positions.toml``): *stance* cues name the act ("rejected",
   "called on", "pledged") and stand alone; *modal* cues ("must", "will not", "only if", "if ..., we
   will") count only in speech: inside a quote, or in a sentence that reports someone saying it. A cue
   after a negation ("never refused") or in background ("a day after X called for", "X, who had
   urged", narrative past perfect) states nothing;
3. credits the clause to the speaker of the quote it lies in (or of the sentence's quote; the person
   named before the speech verb rather than the country of a title: "Russia's foreign minister, X,
   said"), else to "he"/"she"'s referent (the article's latest speaker), else to the person,
   organisation or country named before the speech verb or the cue, else to a role subject ("the
   union turned down"); a seat of government stands for its country ("Kyiv has rejected" -> Ukraine);
4. keeps as the position's text the content: from a stance verb on ("pledged 120 million ..."), or for
   a modal from its subject on, after the last "said that";
5. dates it by when it was said: the quote's ``said_on``, else a day right after a speech verb in the
   sentence ("said on Sunday"), else the publication day (``date_basis`` says which).

``changes(positions)`` compares each actor's positions from one occasion to the next (dates at most two
days apart are one occasion): a topic (shared content words) whose type changed ("reject" -> "offer"),
a condition or demand no longer stated, or a new one; every change cites the position before and the
position after.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from .facts import ACTOR_LABELS
from .material import Material, Mention, Quote, Sentence, Time, load, sentence_json
from .words import content_stems, lexicon, phrase_pattern

TYPES = ("condition", "reject", "offer", "demand")
SPEECH_GAP = 30  # characters between a speech verb and the day that dates the saying
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MIN_CLAUSE_WORDS = 3  # shorter clauses ("he said") state no position
MIN_STANCE_WORDS = 2  # a stance verb and what it is about ("rejected that"); a bare verb states nothing
SAME_TOPIC = 0.3  # shared content words / words of the shorter position, for one topic ...
MIN_TOPIC_WORDS = 2  # ... and at least this many shared
OCCASION_DAYS = 2  # days between reports that still belong to one occasion
_CLAUSE_BREAK = re.compile(
    r"\s*\n\s*\n\s*|,?\s+but\s+(?:that\s+)?|;\s+|\s+[—–]\s+|\s+-\s+|:\s+(?=[A-Z\"“])|(?<=[.,!?])[\"”]\s*,?\s*"
    r"|,\s+(?=(?:responding|according|saying|adding|writing|citing|a day|days|weeks|which|a position|as)\b)"
    r"|,\s+(?=(?:including|although|though|while|whose|the same)\b)"
    r"|,\s+(?=(?:he|she|they|the\s+[\w-]+|[A-Z][\w-]+)\s+(?:said|says|added|told)\b)"
    r"|,?\s+and\s+that\s+|,\s+and\s+(?=(?:he|she|they|we|it)\s)"
    r"|,\s+and\s+(?=(?:reiterated|repeated|added|said|insisted|warned|stressed)\b)")
# a speaker known only by a phrase is an actor unless the phrase is a description ("two people", "its second")
_NAMED = re.compile(r"^(?!(?:his|her|their|its|those|these|this|that|some|two|three|any|a|an|no|latest)\b)\w",
                    re.I)
# a role as the subject right before the cue ("The union has turned down", "the ministry would not")
_ROLE_SUBJECT = re.compile(r"(?:^|[,;:]\s+|\bthat\s+)the\s+(\w+)\s+(?:(?:has|have|had|also|again|would|will)\s+)*$",
                           re.I)
# "he said (that) ...": the subject of the speech verb is a pronoun, nobody named in between
_PRONOUN = re.compile(r"(?:^|[,;]\s+|\band\s+)(?:he|she)\s+(?:also\s+|again\s+|later\s+)?$", re.I)
_SAID_PRONOUN = re.compile(r"[,\"”]\s+(?:he|she)\s+(?:said|says|added|told|insisted|warned)\b|\bsaid (?:he|she)\b",
                           re.I)
# before a cue: a negation ("never refused", "not Moscow that refuses") or "whether" (nothing stated), or
# an article (a participle: "the promised funds"), or "which" (a thing as the subject: "a decree which rules out")
_UNSTATED = re.compile(r"\b(?:not|never)\s+(?:\w+\s+)?$|\bnot\s+\w+\s+(?:that|who)\s+$|\bwhether\b"
                       r"|\b(?:the|a|an|its|his|her|their)\s+$|\bwhich\s+$", re.I)
_FRAMING = re.compile(r"^[^\"“”]{0,120}?\b(?:said|says|stated|added|insisted|told [\w ]+?|warned|stressed|noted"
                      r"|reiterated|repeated)(?:\s+(?:on\s+\w+|last\s+\w+|this\s+\w+|\w+day))?(?:\s+that)?\s+(?=\w)",
                      re.I)
_SAID_THAT = re.compile(r"\b(?:said|says|stated|added|insisted|insisting|warned|warning|stressed|noted|repeated"
                        r"|reiterated|saying|argued|announced|confirmed|told|promised|made clear)"
                        r"\s+(?:\w+\s+){0,3}?that\s+", re.I)
# a position the article recalls as background to its news ("a day after X called for", "X, who had urged",
# "the remarks came two weeks after the Kremlin said", "had answered ... by insisting"): its own report
# elsewhere is the one that counts; so is a sentence that opens on an earlier time ("Two weeks ago, ...",
# "In December 2023 ..."; not "Last week": a weekly's news)
_RECALLED = re.compile(r"\W*(?:(?:\w+\s+){1,2}(?:ago|earlier)\b"
                       r"|in\s+(?:(?:january|february|march|april|may|june|july|august|september|october|november"
                       r"|december)\s+)?\d{4}\b)", re.I)
_BACKGROUND = re.compile(r"\b(?:after|since|following)\s+(?:[\w'’.-]+\s+){0,5}$|\bwho\s+(?:had\s+|has\s+)?"
                         r"(?:[\w'’.-]+\s+){0,3}$|\bcame\s+(?:[\w'’.-]+\s+){0,4}after\b"
                         r"|\bhad\s+(?!to\b)(?:\w+\s+)?\w+(?:ed|en|ten)\b(?!.*\bthat\s)", re.I | re.S)


@lru_cache(maxsize=1)
def _cues() -> dict[str, dict[str, re.Pattern[str] | None]]:
    """Per type, one pattern of its stance cues and one of its modal cues (``None`` when there are none)."""
    with resources.files("storyline").joinpath("data/positions.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    return {t: {k: re.compile("|".join(f"(?:{p})" for p in raw[t][k]), re.I) if raw[t].get(k) else None
                for k in ("modal", "stance")} for t in TYPES}


@lru_cache(maxsize=1)
def _any_cue() -> re.Pattern[str]:
    """Every cue in one pattern: most clauses state no position and are passed over in one search."""
    return re.compile("|".join(f"(?:{p.pattern})" for c in _cues().values() for p in c.values() if p), re.I)


@lru_cache(maxsize=1)
def _speech() -> re.Pattern[str]:
    return phrase_pattern(lexicon()["conflicts"]["speech"]["words"])


def extract(store: Any, story: dict[str, Any]) -> list[dict[str, Any]]:
    """Stated positions of the storyline's actors, sorted by actor then date."""
    return from_material(load(store, story))


def from_material(material: Material) -> list[dict[str, Any]]:
    out = []
    for aid, doc in material.docs.items():
        quotes: dict[int, list[Quote]] = defaultdict(list)
        for q in material.quotes.get(aid, []):
            if q.kind in ("direct", "partial", "indirect"):
                quotes[q.sentence].append(q)
        mentions: dict[int, list[Mention]] = defaultdict(list)
        for m in material.mentions.get(aid, []):
            mentions[m.sentence].append(m)
        said_on: dict[int, str] = {}
        for t in material.times.get(aid, []):
            if t.sentence not in said_on and _said_on(doc.text, t):
                said_on[t.sentence] = t.value
        last: dict | None = None  # the article's latest speaker: who "he" or "she" said is
        spoken = [q for q in material.quotes.get(aid, []) if q.kind in ("direct", "partial", "indirect")]
        for s in material.sentences.get(aid, []):
            # a quote runs on into the next sentences ("... days," she said): it covers them too
            for q in spoken:
                if q.sentence < s.index and q.end > s.start and q not in quotes[s.index]:
                    quotes[s.index].append(q)
            found = _sentence_positions(s, doc, quotes.get(s.index, []), mentions.get(s.index, []),
                                        said_on.get(s.index), last)
            out += found
            last = _latest_speaker(quotes.get(s.index, []), found, mentions.get(s.index, []), s.text, s.start, last)
    return sorted(out, key=lambda p: (p["actor"]["name"].casefold(), p["date"] or "", p["article_id"], p["start"]))


def _said_on(text: str, t: Time) -> bool:
    """A day given right after a speech verb ("said on Sunday", "told reporters Monday")."""
    return bool(t.value and _DAY.match(t.value)) and bool(_speech().search(text[max(0, t.start - SPEECH_GAP):t.start]))


def _latest_speaker(quotes: list[Quote], found: list[dict], mentions: list[Mention], text: str, offset: int,
                    last: dict | None) -> dict | None:
    """The speaker a later "he said" most likely refers to: the sentence's last credited quote or position."""
    people = [{"entity_id": q.speaker_id, "name": q.speaker} for q in quotes if _credible(q)]
    people += [p["actor"] for p in found]
    speech = _speech().search(text)
    # "Brandt posted on Sunday that ...": the person who speaks in this sentence
    people += [_entity_actor(m) for m in mentions if m.label == "PERSON" and m.entity_id is not None
               and speech and m.start - offset < speech.start()][-1:]
    return people[-1] if people else last


def _sentence_positions(s: Sentence, doc: Any, quotes: list[Quote], mentions: list[Mention],
                        reported_on: str | None, last: dict | None) -> list[dict]:
    out = []
    if _RECALLED.match(s.text):
        return []
    reported = bool(quotes) or bool(_speech().search(s.text)) or bool(_SAID_THAT.search(s.text))
    for start, end in _clauses(s.text):
        clause = s.text[start:end]
        if len(clause.split()) < MIN_CLAUSE_WORDS:
            continue
        abs_start, abs_end = s.start + start, s.start + end
        quote = _quote_at(quotes, abs_start, abs_end)
        typed = _type(clause, spoken=reported or quote is not None)
        if typed is None:
            continue
        kind, cue_at, stance = typed
        actor = _actor(quote, quotes, mentions, s.start + start + cue_at, s.text, s.start, last, s.start + start)
        if actor is None:
            continue
        # a stance verb ("X pledged ...", "Y rejected ...") heads the content; a modal keeps its subject,
        # after the last "said that" before it
        content_start = start + cue_at if stance else _after_saying(s.text, start, start + cue_at)
        text_start, text_end = _trim(s.text, content_start, end)
        if len(s.text[text_start:text_end].split()) < (MIN_STANCE_WORDS if stance else MIN_CLAUSE_WORDS):
            continue
        said = quote.said_on if quote and quote.said_on else None
        basis = (quote.said_on_basis or "said") if said else "published"
        if said is None and reported_on:
            said, basis = reported_on, "said"
        out.append({
            "actor": actor, "type": kind, "text": s.text[text_start:text_end],
            "date": said or doc.published, "date_basis": basis,
            "article_id": doc.id, "start": s.start + text_start, "end": s.start + text_end,
            "sentence": sentence_json(s), "outlet": doc.outlet, "quote_id": quote.id if quote else None,
        })
    return out


def _after_saying(text: str, start: int, cue_at: int) -> int:
    """Where the clause's reported content starts: after the last "said that" ahead of the cue."""
    ends = [m.end() for m in _SAID_THAT.finditer(text, start, cue_at)]
    return ends[-1] if ends else start


def _clauses(text: str) -> list[tuple[int, int]]:
    cuts = [0]
    for m in _CLAUSE_BREAK.finditer(text):
        cuts += [m.start(), m.end()]
    cuts.append(len(text))
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2) if cuts[i + 1] > cuts[i]]


def _type(clause: str, spoken: bool) -> tuple[str, int, bool] | None:
    """The clause's type, where its cue starts, and whether the cue names the act ("rejected")."""
    if not _any_cue().search(clause):
        return None
    for kind in TYPES:
        cues = _cues()[kind]
        for pat in (cues["stance"], cues["modal"] if spoken else None):
            m = pat.search(clause) if pat is not None else None
            if m and not _UNSTATED.search(clause[:m.start()]) and not _BACKGROUND.search(clause[:m.start()]):
                return kind, m.start(), pat is cues["stance"]
    return None


def _quote_at(quotes: list[Quote], start: int, end: int) -> Quote | None:
    """The quote covering most of the clause, if any."""
    best, best_cover = None, 0
    for q in quotes:
        cover = min(end, q.end) - max(start, q.start)
        if cover > best_cover:
            best, best_cover = q, cover
    return best


def _actor(quote: Quote | None, quotes: list[Quote], mentions: list[Mention], cue_at: int, text: str,
           sentence_start: int, last: dict | None = None, clause_at: int | None = None) -> dict | None:
    """Who holds the clause's position, the first found of:

    1. the speaker of the quote the clause lies in (the person named before the speech verb rather than
       the country of a title: "Russia's foreign minister, X, said");
    2. the name before a speech verb inside the clause ("...; Moscow continues to say it must ...");
    3. the speaker of another quote of the sentence;
    4. "he"/"she" before the speech verb: ``last``, the article's latest speaker;
    5. the name before the sentence's speech verb ("X said (on Monday) that ... <cue>"), else the
       nearest before the cue; else a role subject ("the union").

    Nationalities, descriptions ("two people"), datelines ("MOSCOW, Dec 9") and names inside a longer
    name ("Kremlin" in "the Kremlin spokesman") are no actors."""
    named = _outer([m for m in mentions if m.label in ACTOR_LABELS and m.label != "NORP" and m.entity_id is not None
                    and not m.text.isupper()])
    speech = [m.start() for m in _speech().finditer(text, 0, max(0, cue_at - sentence_start))]
    if quote is not None and _credible(quote):
        return _quote_actor(quote, named, speech, sentence_start)
    clause_at = sentence_start if clause_at is None else clause_at
    inner = [at for at in speech if sentence_start + at > clause_at]
    subject = [m for m in named if clause_at <= m.start and inner and m.start < sentence_start + inner[-1]]
    if subject:
        return _entity_actor(subject[-1])
    for q in quotes:
        if _credible(q):
            return _quote_actor(q, named, speech, sentence_start)
    if last is not None and (speech and _PRONOUN.search(text[:speech[-1]]) or _SAID_PRONOUN.search(text)):
        return last
    for limit in ([sentence_start + speech[-1]] if speech else []) + [cue_at]:
        before = [m for m in named if m.start < limit]
        if before:
            return _entity_actor(before[-1])
    return _role_actor(text[:max(0, cue_at - sentence_start)])


def _quote_actor(q: Quote, named: list[Mention], speech: list[int], sentence_start: int) -> dict:
    person = [m for m in named if m.label == "PERSON" and speech and m.start < sentence_start + speech[0]]
    if q.speaker_type not in (None, "PERSON") and person:
        return _entity_actor(person[-1])
    return _actor_named(q.speaker_id, q.speaker, q.speaker_type)


def _outer(mentions: list[Mention]) -> list[Mention]:
    """Mentions not inside a longer one ("Kremlin" inside "The Kremlin spokesman")."""
    return [m for m in mentions if not any(o is not m and o.start <= m.start and m.end <= o.end
                                           and o.end - o.start > m.end - m.start for o in mentions)]


def _role_actor(before: str) -> dict | None:
    """ "The union turned down ...", "The Free Dockers' Union (SLDC), the main union of ..., wants": the
    role itself (an actor without an entity), only for the roles listed in ``data/positions.toml``."""
    m = _ROLE_SUBJECT.search(before)
    if m is not None and m.group(1).casefold() in _roles():
        return {"entity_id": None, "name": m.group(1).casefold()}
    m = _role_opening().match(before)
    return {"entity_id": None, "name": m.group(1).casefold()} if m else None


@lru_cache(maxsize=1)
def _role_opening() -> re.Pattern[str]:
    """A sentence that opens on a role: "The union's demands", "The Free Dockers' Union"."""
    roles = "|".join(sorted(_roles()))
    return re.compile(rf"\W*the\s+(?:[\w'’-]+\s+){{0,3}}?({roles})\b", re.I)


@lru_cache(maxsize=1)
def _roles() -> frozenset[str]:
    with resources.files("storyline").joinpath("data/positions.toml").open("rb") as fh:
        return frozenset(tomllib.load(fh).get("actors", {}).get("roles", []))


def _entity_actor(m: Mention) -> dict:
    """A named mention as an actor; a seat of government ("Kyiv has rejected ...") stands for its country."""
    return _actor_named(m.entity_id, m.name, m.label)


def _actor_named(entity_id: int | None, name: str, label: str | None) -> dict:
    country = _seats().get(name.casefold()) if label != "PERSON" else None
    return {"entity_id": None, "name": country} if country else {"entity_id": entity_id, "name": name}


@lru_cache(maxsize=1)
def _seats() -> dict[str, str]:
    with resources.files("storyline").joinpath("data/positions.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    return {k.casefold(): v for k, v in raw.get("actors", {}).get("seats", {}).items()}


def _credible(q: Quote) -> bool:
    """A speaker that can hold a position: not a nationality, not a description ("two people"), and not
    the city of a dateline ("MOSCOW, Dec 9 - The Kremlin said ..." credited to Moscow)."""
    if not q.speaker or q.speaker_type == "NORP" or (q.speaker_text or "").isupper():
        return False
    return q.speaker_id is not None or bool(_NAMED.match(q.speaker))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause without "X said that" in front and without surrounding spaces and punctuation."""
    m = _FRAMING.match(text[start:end])
    if m and end - start - m.end() >= MIN_CLAUSE_WORDS * 3:
        start += m.end()
    while start < end and text[start] in " \t\n,;:\"“”'‘’(":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:.\"“”'‘’)":
        end -= 1
    return start, end


# -- changes -----------------------------------------------------------------------------------------

def changes(positions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How each actor's stated positions changed from one date to the next; each change cites both.

    A position reported by several articles on one date is taken once (the first report of each type and
    topic); topics are content words without the actor's own name, two or more of them shared."""
    by_actor: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for p in positions:
        by_actor[p["actor"].get("entity_id") or p["actor"]["name"]].append(p)
    out = []
    for items in by_actor.values():
        occasions = _occasions(sorted({p["date"] for p in items if p["date"]}))
        by_occasion: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for p in sorted(items, key=lambda p: p["date"] or ""):
            if not p["date"]:
                continue
            taken = by_occasion[occasions[p["date"]]]
            if not any(q["type"] == p["type"] and _same_topic(p, q) for q in taken):
                taken.append(p)
        keys = sorted(by_occasion)
        for before, after in zip(keys, keys[1:]):
            out += _compare(by_occasion[before], by_occasion[after])
    return sorted(out, key=lambda c: (c["actor"]["name"].casefold(), c["to_date"], c["change"]))


def _occasions(days: list[str]) -> dict[str, str]:
    """Each day -> the first day of its occasion: days at most ``OCCASION_DAYS`` apart are one occasion
    (a statement reported the next day is not a new position)."""
    out: dict[str, str] = {}
    first = previous = None
    for day in days:
        try:
            gap = (date.fromisoformat(day[:10]) - date.fromisoformat(previous[:10])).days if previous else None
        except ValueError:
            gap = None
        if gap is None or gap > OCCASION_DAYS:
            first = day
        out[day] = first
        previous = day
    return out


def _topic(p: dict[str, Any]) -> frozenset[str]:
    return frozenset(content_stems(p["text"])) - frozenset(content_stems(p["actor"]["name"]))


def _same_topic(a: dict[str, Any], b: dict[str, Any]) -> bool:
    ta, tb = _topic(a), _topic(b)
    shared = len(ta & tb)
    return shared >= MIN_TOPIC_WORDS and shared / min(len(ta), len(tb)) >= SAME_TOPIC


def _compare(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for b in before:
        match = [a for a in after if _same_topic(a, b)]
        if any(a["type"] == b["type"] for a in match):
            continue
        if match:
            out.append(_change("changed", b, match[0], f"{b['type']} became {match[0]['type']}"))
        elif b["type"] in ("condition", "demand"):
            out.append(_change("dropped", b, after[0], f"{b['type']} no longer stated"))
    for a in after:
        if a["type"] in ("condition", "demand") and not any(_same_topic(a, b) for b in before):
            out.append(_change("added", before[-1], a, f"new {a['type']}"))
    return out


def _change(kind: str, before: dict[str, Any], after: dict[str, Any], summary: str) -> dict[str, Any]:
    cite = ("article_id", "outlet", "start", "end", "sentence", "type", "text", "date", "quote_id")
    return {"actor": before["actor"], "change": kind, "summary": summary, "from_date": before["date"],
            "to_date": after["date"], "before": {k: before[k] for k in cite}, "after": {k: after[k] for k in cite}}
