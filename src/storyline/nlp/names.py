"""Name keys: one key per real-world name across spellings, transliterations and the alias files.

``name_key("Volodymyr Zelenskyy", "PERSON") == name_key("Vladimir Zelensky", "PERSON")`` and
``name_key("Kiev", "GPE") == name_key("Kyiv", "GPE")``. Keys are what canonical entities are
matched on, corpus-wide. The alias files (``data/aliases.toml``, ``data/institutions.toml``) are
editable; ``STORYLINE_ALIASES`` may point at a replacement for the first.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "rev", "gen", "sen", "rep",
               "gov", "col", "lt", "capt", "sgt", "president", "minister", "prime", "secretary", "chancellor"}
_NON_WORD = re.compile(r"[^a-z0-9 ]+")


def ascii_fold(text: str) -> str:
    """Lower-case ASCII skeleton of ``text``: accents dropped (ț -> t, é -> e), apostrophes removed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("’", "").replace("'", "").replace("ʼ", "")
    return " ".join(_NON_WORD.sub(" ", stripped.lower()).split())


def translit_skeleton(word: str) -> str:
    """A word's transliteration skeleton: ``zelenskyy``, ``zelenskiy``, ``zelensky`` -> ``zelensky``."""
    w = ascii_fold(word).replace(" ", "")
    w = re.sub(r"(?:iy|yy|ij|ii|yi)$", "y", w)
    w = w.replace("kh", "h").replace("ck", "k").replace("ph", "f")
    return re.sub(r"(.)\1+", r"\1", w)


def first_name_skeleton(name: str) -> str:
    """Looser than surnames: ``Volodymyr``, ``Volodymir``, ``Volodimir`` are one first name."""
    return translit_skeleton(name).replace("y", "i")


@dataclass(frozen=True)
class Aliases:
    places: dict[str, str]            # folded variant -> canonical place name
    first_names: dict[str, str]       # folded first name -> class representative (folded)
    people: dict[str, str]            # folded variant -> canonical full name
    institutions: dict[str, tuple[str, str, str]]  # folded alias -> (name, country, sector)
    metonyms: dict[str, str]          # folded city -> country code


@lru_cache(maxsize=4)
def load_aliases(path: str | None = None) -> Aliases:
    """The alias tables (cached per process)."""
    from ..errors import UsageError

    path = path or os.environ.get("STORYLINE_ALIASES") or str(DATA / "aliases.toml")
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        with open(DATA / "institutions.toml", "rb") as fh:
            inst = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read the alias file {path}: {exc}; fix it or unset STORYLINE_ALIASES") from None
    places = {}
    for canonical, variants in data.get("places", {}).items():
        for v in [canonical, *variants]:
            places[ascii_fold(v)] = canonical
    first = {}
    for cls in data.get("first_names", {}).get("classes", []):
        rep = ascii_fold(cls[0])
        for name in cls:
            first[first_name_skeleton(name)] = rep
    people = {}
    for canonical, variants in data.get("people", {}).items():
        for v in [canonical, *variants]:
            people[ascii_fold(v)] = canonical
    institutions = {}
    for name, spec in inst.get("institutions", {}).items():
        for alias in [name, *spec.get("aliases", [])]:
            institutions[ascii_fold(alias)] = (name, spec["country"], spec.get("sector", "government"))
    metonyms = {ascii_fold(city): country for city, country in inst.get("metonyms", {}).items()}
    return Aliases(places, first, people, institutions, metonyms)


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Common given names (``data/first_names.txt``) plus every first name of the alias classes, as skeletons."""
    words = []
    for line in (DATA / "first_names.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words += line.split()
    return frozenset(first_name_skeleton(w) for w in words) | frozenset(load_aliases().first_names)


GIVEN_NAMES_FILE = DATA / "given_name_genders.txt"


@lru_cache(maxsize=1)
def _given_names() -> dict[str, str]:
    """Given name -> "f"/"m" (``data/given_name_genders.txt``)."""
    out: dict[str, str] = {}
    section = ""
    for line in GIVEN_NAMES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = {"[female]": "f", "[male]": "m"}.get(line, "")
        elif line and not line.startswith("#") and section:
            out.update((w, section) for w in line.split())
    return out


def given_name_gender(name: str) -> str | None:
    """"f" or "m" when a person's first name is one nearly always borne by women or by men; else ``None``."""
    words = ascii_fold(name).casefold().split()
    return _given_names().get(words[0].strip(".,")) if len(words) >= 2 else None


def strip_honorifics(name: str) -> str:
    words = name.split()
    while len(words) > 1 and ascii_fold(words[0]).rstrip(".") in _HONORIFICS:
        words = words[1:]
    name = " ".join(words)
    return re.sub(r"(?:'s|’s)$", "", name).strip(" ,.")


def person_key(name: str, aliases: Aliases | None = None) -> str:
    """Key of a person's name: alias-file name, else first-name class + surname skeleton."""
    aliases = aliases or load_aliases()
    name = strip_honorifics(name)
    folded = ascii_fold(name)
    if folded in aliases.people:
        folded = ascii_fold(aliases.people[folded])
    words = folded.split()
    if not words:
        return ""
    surname = translit_skeleton(words[-1])
    if len(words) == 1:
        return f"person:{surname}"
    first = aliases.first_names.get(first_name_skeleton(words[0]), translit_skeleton(words[0]))
    return f"person:{first} {surname}"


def surname_key(name: str, aliases: Aliases | None = None) -> str:
    aliases = aliases or load_aliases()
    folded = ascii_fold(strip_honorifics(name))
    if folded in aliases.people:
        folded = ascii_fold(aliases.people[folded])
    words = folded.split()
    return f"person:{translit_skeleton(words[-1])}" if words else ""


#: Family names written first in Korean, Chinese and Vietnamese names as the English-language press prints them
#: ("Kim Jong Un", "Moon Jae-in", "Xi Jinping", "Nguyen Phu Trong"): a bare "Kim" or "Xi" is such a name's person.
FAMILY_FIRST = frozenset("""
kim lee yi park pak choi choe jung chung jeong kang cho jo yoon yun jang lim im moon mun han shin seo kwon hwang ahn
song ryu yoo hong jeon ko nam roh noh ban baek bae heo
xi li wang zhang liu chen yang zhao huang zhou wu xu sun hu zhu gao lin guo ma luo liang zheng xie tang feng
dong xiao cao yuan deng fu shen zeng peng lu su jiang cai jia ding wei xue ye yan pan du dai qin mao geng hua
nguyen tran pham hoang vu dang bui ngo duong
""".split())


def family_first_key(name: str) -> str | None:
    """The key of a name's first word when that word is a family name written first (``FAMILY_FIRST``): "Kim
    Jong Un" is also "Kim" (``surname_key`` keys every name by its last word); ``None`` otherwise."""
    words = ascii_fold(strip_honorifics(name)).split()
    if len(words) < 2 or words[0] not in FAMILY_FIRST:
        return None
    return f"person:{translit_skeleton(words[0])}"


def place_name(name: str, aliases: Aliases | None = None) -> str:
    """The canonical spelling of a place (``Kiev`` -> ``Kyiv``), or the name as given."""
    aliases = aliases or load_aliases()
    folded = ascii_fold(re.sub(r"^the\s+", "", name, flags=re.I))
    return aliases.places.get(folded, name)


def name_key(name: str, label: str, aliases: Aliases | None = None) -> str:
    """The key canonical entities are matched on, by entity label (PERSON, ORG, GPE/LOC, NORP, ...)."""
    aliases = aliases or load_aliases()
    if label == "PERSON":
        return person_key(name, aliases)
    folded = ascii_fold(re.sub(r"^the\s+", "", name.strip(), flags=re.I))
    if label in ("GPE", "LOC", "FAC"):
        return "place:" + ascii_fold(place_name(name, aliases))
    if label == "ORG":
        inst = aliases.institutions.get(folded)
        return "org:" + ascii_fold(inst[0]) if inst else "org:" + folded
    return label.lower() + ":" + folded
