"""The outlet a text signs itself with, for inputs that name none: a copyright line ("Copyright 2016 The
Washington Times, LLC."), a house-style credit ("(Reporting by ...; Editing by ...)" -> Reuters), or a
dateline credit in the first paragraphs ("WASHINGTON (AP) -" -> The Associated Press).

The table of wires, credits and non-outlet holders is the editable file ``data/signatures.toml``.
A copyright line wins over a credit, a credit over a dateline (a paper's copyright over the wire story
it carries).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import UsageError

SIGNATURES_FILE = Path(__file__).resolve().parent.parent / "data" / "signatures.toml"

_COPYRIGHT = re.compile(
    r"^(?:©\s*)?(?:copyright|\(c\)|©)\s*(?:©\s*)?(?:\(c\)\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s+)?(?:by\s+)?(.+)$", re.I)
_COMPANY = re.compile(r"[,\s]+(?:LLC|L\.L\.C\.|Inc|Ltd|L\.P|LP|PLC|Co|Corp|Company|Media|Group)\.?$", re.I)
_HOLDER_END = re.compile(r"\.\s|\ball rights reserved\b|\s[|·•]\s|\.$", re.I)
_DATELINE = re.compile(r"^(?:[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){0,4},?\s*)?\(([^()\d]{2,40})\)\s*[-—–]{0,2}\s*\S")


@dataclass(frozen=True)
class SignatureTable:
    datelines: dict[str, str]
    credits: tuple[tuple[re.Pattern[str], str], ...]
    holders: dict[str, str]
    not_outlets: frozenset[str]


@lru_cache(maxsize=4)
def load_signatures(path: str | None = None) -> SignatureTable:
    """The signature table (``data/signatures.toml`` unless ``path``); a broken file is a usage error."""
    file = Path(path) if path else SIGNATURES_FILE
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        credits = tuple((re.compile(p, re.I), name) for p, name in data.get("credits", {}).items())
    except (OSError, tomllib.TOMLDecodeError, re.error) as exc:
        raise UsageError(f"cannot read the signature table {file}: {exc}") from None
    fold = {k.casefold(): v for k, v in data.get("datelines", {}).items()}
    holders = {k.casefold(): v for k, v in data.get("holders", {}).items()}
    banned = frozenset(n.casefold() for n in data.get("not_outlets", {}).get("names", []))
    return SignatureTable(fold, credits, holders, banned)


def _holder(line: str, table: SignatureTable) -> str | None:
    m = _COPYRIGHT.match(line.strip())
    if not m or line.strip().lower().startswith(("image", "photo")):
        return None
    rest = m.group(1).strip()
    cut = _HOLDER_END.search(rest)
    name = rest[:cut.start()] if cut else rest
    name = _COMPANY.sub("", name.strip(" .,")).strip(" .,")
    while _COMPANY.search(name):
        name = _COMPANY.sub("", name).strip(" .,")
    if not name or len(name.split()) > 6 or re.search(r"\d", name) or not name[0].isupper():
        return None
    key = name.casefold()
    if key in table.not_outlets or any(n in key for n in table.not_outlets if len(n) > 8):
        return None
    return table.holders.get(key, name)


def _dateline(line: str, table: SignatureTable) -> str | None:
    m = _DATELINE.match(line.strip())
    if not m:
        return None
    inner = m.group(1).strip()
    known = table.datelines.get(inner.casefold())
    if known:
        return known
    return None


def find_signature(lines: list[str], table: SignatureTable | None = None) -> tuple[str, str] | None:
    """``(outlet, line)`` of the strongest signature among ``lines`` (the text's lines), else ``None``."""
    table = table or load_signatures()
    content = [l.strip() for l in lines if l.strip()]
    for line in reversed(content):        # copyright lines stand at the end
        name = _holder(line, table) if len(line) <= 300 else None
        if name:
            return name, line
    for line in reversed(content):
        if len(line) <= 600:
            for pattern, name in table.credits:
                if pattern.fullmatch(line.strip("*_ ")):
                    return name, line
    for line in content[:4]:
        name = _dateline(line, table)
        if name:
            return name, line
    return None
