"""The coder's editable data, read once per process: event patterns (``patterns.toml``), countries
(``countries.txt``: codes, names, demonyms and capitals), organisations with their codes and sectors
(``organisations.toml``) and political leaders by country (``leaders.txt``)."""

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
SECTORS = ("government", "military", "rebel", "party", "civilian", "international", "ngo", "media")


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
    organisations: dict[str, tuple[str, str, str]]   # folded name or alias -> (name, code, sector)
    countries: dict[str, str]         # folded country name or demonym -> code
    capitals: dict[str, str]          # folded capital (or seat of government) -> code
    country_names: dict[str, str]     # code -> its first name
    country_names_folded: dict[str, str]  # folded country name (not demonym) -> code
    cities: dict[str, str]            # folded city (capitals too) -> code
    leaders: dict[str, str]           # folded full name, or a surname only one country's leaders bear -> code


def _code(value: str, where: str) -> Code:
    parts = value.split()
    if not parts or parts[0] not in PLOVER_TYPES + ("NEGATE",):
        raise UsageError(f"{where}: {value!r} is not a PLOVER type (one of {', '.join(PLOVER_TYPES)}); "
                         f"fix {HERE / 'patterns.toml'}")
    return Code(parts[0], parts[1] if len(parts) > 1 else None)


def _organisations() -> dict[str, tuple[str, str, str]]:
    try:
        data = tomllib.loads((HERE / "organisations.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read the organisations table {HERE / 'organisations.toml'}: {exc}") from None
    out: dict[str, tuple[str, str, str]] = {}
    for name, spec in data.items():
        if not isinstance(spec, dict) or not spec.get("code") or spec.get("sector") not in SECTORS:
            raise UsageError(f"{HERE / 'organisations.toml'}: {name!r} needs a code and a sector "
                             f"(one of {', '.join(SECTORS)})")
        for alias in [name, *spec.get("aliases", [])]:
            key = ascii_fold(alias)
            out.setdefault(key, (name, spec["code"], spec["sector"]))
            out.setdefault(ascii_fold("the " + alias), (name, spec["code"], spec["sector"]))
    return out


def _leaders() -> dict[str, str]:
    """Full names to codes (a name listed with a period, "(1992-1996)", is a secondary office: the entry
    without one wins), and surnames that only one country's leaders bear."""
    try:
        lines = (HERE / "leaders.txt").read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read the leaders table {HERE / 'leaders.txt'}: {exc}") from None
    full: dict[str, str] = {}
    secondary: dict[str, str] = {}
    for line in lines:
        if not line.strip() or line.startswith("#") or "|" not in line:
            continue
        code, _, names = (p.strip() for p in line.partition("|"))
        for raw in names.split(","):
            name = ascii_fold(raw.split("(")[0].strip())
            if name:
                (secondary if "(" in raw else full).setdefault(name, code)
    for name, code in secondary.items():
        full.setdefault(name, code)
    by_surname: dict[str, set[str]] = {}
    for name, code in full.items():
        by_surname.setdefault(name.split()[-1], set()).add(code)
    out = {s: next(iter(c)) for s, c in by_surname.items() if len(c) == 1 and len(s) > 3}
    out.update(full)
    return out


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
    orgs = _organisations()
    leaders = _leaders()
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
                   capitals, names, folded_names, cities, leaders)
