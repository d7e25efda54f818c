"""The coder's editable data, read once per process: event patterns (``patterns.toml``) and countries
(``countries.txt``: codes, names, demonyms and capitals)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import UsageError
from ..nlp.names import ascii_fold

HERE = Path(__file__).resolve().parent

#: The sixteen PLOVER (2021) event categories.
PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT")
SECTORS = ("government", "military", "rebel", "civilian", "international", "media")


@dataclass(frozen=True)
class Code:
    """An event type with its mode (``None`` when the pattern gives none)."""

    type: str
    mode: str | None


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, Code]            # lemma or "lemma particle" -> code
    senses: dict[str, tuple[tuple[str, Code], ...]]   # verb -> (object class or word or "*", code), in order
    classes: dict[str, frozenset[str]]  # object class -> its words
    nouns: dict[str, Code]            # event noun (lower case) -> code
    light: frozenset[str]             # light verbs that carry an event noun
    framing: dict[str, str]           # framing verb -> type (or NEGATE)
    words: dict[str, frozenset[str]]  # negation, hedges, hedge_verbs, must, future, speech
    actor_heads: dict[str, str]       # generic actor head noun -> sector
    organisations: dict[str, str]     # folded name -> code
    countries: dict[str, str]         # folded country name or demonym -> code
    capitals: dict[str, str]          # folded capital (or seat of government) -> code
    country_names: dict[str, str]     # code -> its first name
    country_names_folded: dict[str, str]  # folded country name (not demonym) -> code
    cities: dict[str, str]            # folded city (capitals too) -> code


def _code(value: str, where: str) -> Code:
    parts = value.split()
    if not parts or parts[0] not in PLOVER_TYPES + ("NEGATE",):
        raise UsageError(f"{where}: {value!r} is not a PLOVER type (one of {', '.join(PLOVER_TYPES)}); "
                         f"fix {HERE / 'patterns.toml'}")
    return Code(parts[0], parts[1] if len(parts) > 1 else None)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The patterns and the country table (cached per process)."""
    try:
        data = tomllib.loads((HERE / "patterns.toml").read_text(encoding="utf-8"))
        country_lines = (HERE / "countries.txt").read_text(encoding="utf-8").splitlines()
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read the event patterns in {HERE}: {exc}") from None
    verbs = {k: _code(v, f"[verbs] {k}") for k, v in data["verbs"].items()}
    senses = {k: tuple((cls, _code(code, f"[senses] {k}")) for cls, code in v) for k, v in data["senses"].items()}
    classes = {k: frozenset(v) for k, v in data["classes"].items()}
    nouns = {k: _code(v, f"[nouns] {k}") for k, v in data["nouns"].items()}
    framing = {k: _code(v, f"[framing] {k}").type for k, v in data["framing"].items()}
    words = {k: frozenset(v) for k, v in data["words"].items()}
    heads = {noun: sector for sector, nouns_ in data["actors"].items() for noun in nouns_}
    orgs = {ascii_fold(k): v for k, v in data["organisations"].items()}
    countries: dict[str, str] = {}
    capitals: dict[str, str] = {}
    cities: dict[str, str] = {}
    names: dict[str, str] = {}
    folded_names: dict[str, str] = {}
    for line in country_lines:
        if not line.strip() or line.startswith("#"):
            continue
        code, name_part, demonym_part, capital_part, city_part = (p.strip() for p in (line + " | | | |").split("|")[:5])
        given = [n.strip() for n in name_part.split(",") if n.strip()]
        names[code] = given[0]
        for n in given:
            countries[ascii_fold(n)] = code
            folded_names[ascii_fold(n)] = code
        for d in (d.strip() for d in demonym_part.split(",") if d.strip()):
            countries[ascii_fold(d)] = code
            countries.setdefault(ascii_fold(d) + "s", code)
        for c in (c.strip() for c in capital_part.split(",") if c.strip()):
            capitals[ascii_fold(c)] = code
            cities[ascii_fold(c)] = code
        for c in (c.strip() for c in city_part.split(",") if c.strip()):
            cities[ascii_fold(c)] = code
    return Lexicon(verbs, senses, classes, nouns, frozenset(data["light"]["verbs"]), framing, words, heads, orgs, countries,
                   capitals, names, folded_names, cities)
