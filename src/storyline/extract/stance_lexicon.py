"""The stance lexicon (``data/stances.toml``) and the word classes the stance finder reads a parse with."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


SUBJECTS = ("nsubj", "nsubjpass", "csubj")
#: What one seeks for oneself (an office, a term, votes, help, answers): no demand made of anyone.
SOUGHT_OFFICE = frozenset({"election", "re-election", "reelection", "nomination", "office", "seat", "term",
                           "presidency", "vote", "votes", "support", "help", "advice", "comment", "refuge", "asylum", "shelter",
                           "treatment", "care", "answer", "answers", "information", "clarity", "way", "ways"})
MODALS_FUTURE = frozenset({"will", "would", "'ll", "shall", "wo"})
MODALS_MAYBE = frozenset({"may", "might", "could"})
NEGATIONS = frozenset({"not", "n't", "never", "no", "nor", "neither"})
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})
THIRD_PERSON = frozenset({"he", "she", "they", "him", "her", "them"})  # "it" is most often the bill
POSSESSIVE = {"his": "he", "their": "they"}  # a possessive holder ("his support for") is whom the pronoun is
PREDICTION = frozenset({"expect", "likely", "unlikely", "poised", "seem", "appear", "set", "bound", "sure",
                         "certain", "predict", "forecast"})
#: Prepositions over a verb's "-ing" that the verb's own subject does ("by backing", "after criticising"; not
#: "for backing": "criticised him for backing it" is his backing).
BY_DOING = frozenset({"by", "after", "before", "while", "since", "in", "when"})
OBLIGATION = frozenset({"must", "should", "ought"})
#: "it is essential that X act", "it is important for X to act": in speech, the speaker's demand of X.
NECESSITY = frozenset({"essential", "important", "imperative", "vital", "crucial", "necessary", "critical",
                       "urgent"})
LIGHT = frozenset({"voice", "express", "announce", "make", "issue", "give", "offer", "throw", "lend", "signal",
                    "reiterate", "register", "state", "declare", "pledge", "renew", "repeat", "restate",
                    "reaffirm", "indicate", "have", "tweet", "unleash", "level", "direct", "add", "show", "reassert",
                    "emphasize", "emphasise", "stress", "raise", "echo", "air", "lodge"})
#: Verbs that judge their object by a complement ("called the deal a disaster", "described it as a mistake").
JUDGE = frozenset({"call", "describe", "label", "brand", "deem", "term", "dub", "characterize", "characterise",
                    "consider", "view", "denounce"})
#: Nouns of support that, withdrawn, state opposition ("pulled his endorsement", "withdrew support").
BACKING = frozenset({"support", "endorsement", "backing", "vote"})
#: Nouns of an offer that, withdrawn, refuse it now ("pulled the wall offer", "withdrew his proposal").
OFFERS = frozenset({"offer", "proposal"})
WITHDRAW = frozenset({"withdraw", "pull", "rescind", "revoke", "retract", "drop", "cut", "end"})
#: What an announced deed of the speaker's is not: saying, thinking, being ("said he would be there").
NOT_DEEDS = frozenset({"be", "have", "say", "tell", "think", "know", "see", "feel", "believe", "happen", "become",
                        "get", "seem", "appear", "look", "want", "like", "need", "go", "come", "remain", "stay",
                        "continue", "keep", "try", "hope", "expect", "wait", "win", "lose", "run", "die", "live",
                        "speak", "talk", "ask", "add", "comment", "explain", "note"})
#: What is asserted rather than proposed: rejecting one is denying a fact ("rejected suggestions that ...", "rejected
#: the assessments"), not refusing a proposal, request or course of action.
#: (An accusation or a charge rejected is a stance of the accused: "the government rejected the accusations".)
CLAIMS = frozenset({"claim", "suggestion", "assessment", "report", "assertion", "speculation", "rumor", "rumour",
                    "conclusion", "finding", "account", "theory", "notion", "characterization", "characterisation",
                    "narrative", "story", "version"})
#: What someone said or announced: standing by it keeps to one's word, no stance on a course of action.
STATEMENTS = frozenset({"statement", "statements", "announcement", "position", "remarks", "comments", "words",
                        "testimony", "account", "estimate", "reporting"})
#: What critics say: opposing it answers them ("pushed back against the criticism"), no stance on a course of action.
REBUKES = frozenset({"criticism", "critique", "attack", "attacks", "complaint", "insinuation"})
#: Complements a refusal says nothing with ("declined to be specific", "refused to go into detail", "declined
#: to get into the details"); with a particle they still refuse something ("refused to go along").
VAGUE_REFUSALS = frozenset({"be", "get", "go"})
UNDO = frozenset({"repeal", "overturn", "defund", "scrap", "dismantle", "abolish", "reverse", "undo", "block",
                  "rollback", "eliminate", "rescind", "revoke", "nullify", "gut", "kill", "ax", "axe"})  # lemmas: a demand to do these is against the thing
DOCUMENTS = frozenset({"statement", "report", "poster", "letter", "poll", "survey", "study", "memo", "tweet",
                       "release", "filing", "editorial", "article", "document", "video", "ad", "advertisement"})
#: Group nouns that name somebody only with a modifier ("DACA supporters", "opponents of the program")
NEEDS_MODIFIER = frozenset({"supporter", "opponent", "proponent", "advocate", "critic", "detractor", "backer",
                             "defender", "foe", "ally"})
#: Titles of those who speak for their organisation ("president", "executive director", "founder") ...
LEADER = re.compile(r"\b(?:president|ceo|chief executive|director|head|chair(?:man|woman)?|founder|counsel"
                     r"|spokes\w+|leader)\b")
#: ... unless the organisation is a chamber, a party or a government office (its members speak for themselves):
#: its head noun says so ("the Senate", "Justice Department", "Department of Justice"; not "Senate Leadership
#: Fund", a political action committee whose president speaks for it)
_PUBLIC_HEADS = (r"house|senate|congress|committee|caucus|party|gop|department|ministry|court|administration"
                 r"|pentagon|kremlin|government|council|parliament|assembly|cabinet|agency|bureau|office"
                 r"|commission|fbi|cia|army|navy|police|state|conference|republicans|democrats")
PUBLIC = re.compile(rf"(?i)\b(?:{_PUBLIC_HEADS})\W*$|^(?:the\s+)?(?:u\.?s\.?\s+)?(?:{_PUBLIC_HEADS})\s+(?:of|on|for)\b"
                    # a chamber's committee named without "Committee" ("House Armed Services Chairman Buck McKeon"),
                    # not a group named after a chamber ("Senate Leadership Fund", "House Majority PAC")
                    r"|^(?:the\s+)?(?:house|senate)\s+(?!.*\b(?:fund|pac|action|network|project)\b)")
#: Nouns that point back to the organisation last named ("the group said", "the organization opposes").
BODIES = frozenset({"group", "organization", "organisation", "company", "firm", "nonprofit"})
#: Titles one person holds at a time, with their abbreviations: "the governor" is the person last named
#: "Gov." in the article (within ``TITLE_REACH`` characters).
TITLES = {"president": ("pres.",), "governor": ("gov.",), "senator": ("sen.",), "speaker": (),
          "secretary": ("sec.",), "minister": (), "chancellor": (), "mayor": (), "chairman": (), "chairwoman": (),
          "premier": (), "representative": ("rep.",), "congressman": ("rep.",), "congresswoman": ("rep.",),
          "candidate": (), "nominee": ()}
TITLE_REACH = 10_000
#: nouns of one person: "the top prosecutor announced he will seek ...": "he" is the prosecutor
PERSON_ROLES = frozenset("""
prosecutor spokesman spokeswoman spokesperson official minister president senator governor mayor secretary
lawyer attorney judge justice chief director leader chairman chairwoman chair ambassador envoy aide adviser
advisor commander general officer sheriff commissioner congressman congresswoman lawmaker legislator candidate
nominee negotiator diplomat premier chancellor king queen prince pope founder executive ceo manager owner
man woman father mother son daughter husband wife brother sister
""".split())
NAME_DEPS = frozenset({"compound", "amod", "poss", "nmod", "flat"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "parataxis", "conj", "relcl", "acl", "pcomp"})
ABOUT_DEPS = frozenset({"dobj", "obj", "xcomp", "ccomp", "attr", "oprd", "acomp"})


@dataclass(frozen=True)
class Lexicon:
    """The cues of ``data/stances.toml``, indexed by lemma."""

    verbs: dict[str, list[tuple[str, tuple[str, ...]]]]
    nouns: dict[str, list[tuple[str, tuple[str, ...]]]]
    agents: dict[str, list[tuple[str, tuple[str, ...]]]]
    adjectives: dict[str, list[tuple[str, tuple[str, ...]]]]
    negated: dict[str, list[tuple[str, tuple[str, ...]]]]
    offer_objects: frozenset[str]
    loyalty: frozenset[str]
    marks: tuple[tuple[str, ...], ...]
    bound: frozenset[str]
    counterfactual: frozenset[str]
    frames: frozenset[str]
    pledge: frozenset[str]
    harm: frozenset[str]
    announced: frozenset[str]
    acts: dict[str, list[tuple[str, tuple[str, ...]]]]
    quiet: frozenset[str]
    vague: frozenset[str]
    spokes: frozenset[str]
    groups: frozenset[str]
    quantities: frozenset[str]
    qualifiers: frozenset[str]
    nicknames: dict[str, str]
    types: tuple[str, ...]
    feelings: frozenset[str] = frozenset()
    witnessed: frozenset[str] = frozenset()
    capability: frozenset[str] = frozenset()
    attributed: frozenset[str] = frozenset()
    things: frozenset[str] = frozenset()


def _entries(items: list[str], kind: str) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for item in items:
        words = item.lower().split()
        # most specific first: "call for" is tried before a bare "call"
        out.setdefault(words[0], []).append((kind, tuple(words[1:])))
    for entries in out.values():
        entries.sort(key=lambda e: -len(e[1]))
    return out


def _merge(*maps: dict[str, list]) -> dict[str, list]:
    out: dict[str, list] = {}
    for m in maps:
        for k, v in m.items():
            out.setdefault(k, []).extend(v)
    for entries in out.values():
        entries.sort(key=lambda e: -len(e[1]))
    return out


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    if path:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    else:
        with resources.files("storyline").joinpath("data/stances.toml").open("rb") as fh:
            raw = tomllib.load(fh)
    special = {"intent", "acts", "quiet", "holders"}
    types = tuple(k for k in raw if k not in special)
    verbs = _merge(*(_entries(raw[t].get("verbs", []), t) for t in types))
    nouns = _merge(*(_entries(raw[t].get("nouns", []), t) for t in types))
    agents = _merge(*(_entries(raw[t].get("agents", []), t) for t in types))
    adjectives = _merge(*(_entries(raw[t].get("adjectives", []), t) for t in types))
    negated = _merge(*(_entries(raw[t].get("negated", []), t) for t in types))
    acts = _merge(*(_entries([k], v) for k, v in raw.get("acts", {}).items()))
    cond = raw.get("condition", {})
    return Lexicon(
        verbs=verbs, nouns=nouns, agents=agents, adjectives=adjectives, negated=negated,
        offer_objects=frozenset(raw.get("offer", {}).get("objects", [])),
        loyalty=frozenset(raw.get("offer", {}).get("loyalty", [])),
        marks=tuple(tuple(m.split()) for m in cond.get("marks", [])),
        bound=frozenset(cond.get("bound", [])), counterfactual=frozenset(cond.get("counterfactual", [])),
        frames=frozenset(raw["intent"]["frames"]), pledge=frozenset(raw["intent"]["pledge"]),
        harm=frozenset(raw["intent"]["harm"]), announced=frozenset(raw["intent"].get("announced", [])), acts=acts,
        quiet=frozenset(raw["quiet"]["complements"]), vague=frozenset(raw["holders"]["vague"]),
        spokes=frozenset(raw["holders"]["spokes"]), groups=frozenset(raw["holders"]["groups"]),
        quantities=frozenset(raw["holders"]["quantities"]),
        qualifiers=frozenset(raw["holders"].get("qualifiers", [])),
        nicknames={k.casefold(): v for k, v in raw["holders"].get("nicknames", {}).items()}, types=types,
        feelings=frozenset(raw.get("support", {}).get("feelings", [])),
        witnessed=frozenset(raw.get("support", {}).get("witnessed", [])),
        capability=frozenset(raw.get("offer", {}).get("capability", [])),
        attributed=frozenset(raw.get("oppose", {}).get("attributed", [])),
        things=frozenset(raw["holders"].get("things", [])))


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from ..polevents.lexicon import load_lexicon as load_countries

    return load_countries().country_names


def country_name(code: str) -> str | None:
    return _country_names().get(code)
