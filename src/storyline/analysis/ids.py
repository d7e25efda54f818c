"""Stable ids for analysis items (positions, conflicts, claims, political events), from provenance alone.

An id is ``{prefix}-{article_id}-{start}-{digest}``: the article and offset of the item's anchor
sentence (so an id says where the item comes from, and which storyline to look in), then a digest of
its kind and the sentences it rests on. Nothing in it depends on store-local numbers (storyline,
event or entity ids), so the same articles analysed again -- after a re-ingest, ``stories --rebuild``,
``restructure``, or in another store loaded from an export -- give the same ids, and an analyst's
dismissal of an item keeps finding it.

Prefixes: ``p`` position, ``x`` conflict, ``c`` claim, ``pe`` political event.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

PREFIX = {"position": "p", "conflict": "x", "claim": "c", "event": "pe"}
KINDS = tuple(PREFIX)
_PARSE = re.compile(r"^(pe|p|x|c)-(.+)-(\d+)-([0-9a-f]{12})$")

Key = tuple[str, int]


def keys(kind: str, item: dict[str, Any]) -> list[Key]:
    """The sentences an item rests on, as ``(article_id, start)``, sorted."""
    if kind == "position":
        refs: Iterable[dict[str, Any]] = [item]
    elif kind == "conflict":
        refs = item.get("sides") or []
    elif kind == "claim":
        refs = item.get("asserted_by") or []
    elif kind == "event":
        refs = item.get("evidence") or []
    else:
        raise ValueError(f"no stable ids for {kind!r} items")
    return sorted({(str(r["article_id"]), int(r["start"])) for r in refs if r.get("article_id") is not None})


def texts(kind: str, item: dict[str, Any]) -> list[tuple[str, str]]:
    """The sentences an item rests on as ``(article_id, words)``, sorted: what finds it again when its
    article's text was re-cleaned or edited and the offsets moved."""
    refs = [item] if kind == "position" else item.get({"conflict": "sides", "claim": "asserted_by",
                                                       "event": "evidence"}.get(kind, ""), []) or []
    return sorted({(str(r["article_id"]), " ".join(str(r["text"]).split()).casefold()) for r in refs
                   if r.get("article_id") is not None and r.get("text")})


def plain_label(kind: str, item: dict[str, Any]) -> str:
    """The item's label without offsets (a position's type)."""
    return str(item.get("type")) if kind == "position" else label(kind, item)


def label(kind: str, item: dict[str, Any]) -> str:
    """What kind of item it is, beside where it comes from (a position's type, a conflict's kind ...)."""
    if kind == "position":
        return f"{item.get('type')}:{item.get('end')}"
    if kind == "conflict":
        return str(item.get("kind"))
    if kind == "event":
        return f"{item.get('event_type')}:{bool(item.get('negated'))}"
    return str(item.get("kind") or "")


def anchor(kind: str, item: dict[str, Any]) -> Key | None:
    """The one sentence that names the item: a claim's leading sentence (the one it quotes), else the first."""
    found = keys(kind, item)
    if kind == "claim":
        text = " ".join(str(item.get("text") or "").split())
        for r in item.get("asserted_by") or []:
            if " ".join(str(r.get("text") or "").split()) == text:
                return (str(r["article_id"]), int(r["start"]))
    return found[0] if found else None


def item_id(kind: str, item: dict[str, Any]) -> str | None:
    """The stable id of one item (``None`` for an item with no source sentence)."""
    at = anchor(kind, item)
    if at is None:
        return None
    rests_on = [at] if kind in ("claim", "event") else keys(kind, item)
    basis = f"{kind}|{label(kind, item)}|" + ";".join(f"{a}:{s}" for a, s in rests_on)
    digest = hashlib.blake2b(basis.encode(), digest_size=6).hexdigest()
    return f"{PREFIX[kind]}-{at[0]}-{at[1]}-{digest}"


def assign(kind: str, items: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Give every item its stable id (``id``), in place; returns the list."""
    for it in items or []:
        ident = item_id(kind, it)
        if ident is not None:
            it["id"] = ident
    return items or []


def parse(ident: str) -> tuple[str, str, int] | None:
    """``(kind, article_id, start)`` of a stable id, or ``None`` when it is not one."""
    m = _PARSE.match(ident or "")
    if not m:
        return None
    kind = {v: k for k, v in PREFIX.items()}[m.group(1)]
    return kind, m.group(2), int(m.group(3))
