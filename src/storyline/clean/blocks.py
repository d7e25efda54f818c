"""Clean text as blocks: paragraphs separated by blank lines, with the offsets of each block.

Every piece of clean text passes ``assemble``, so text hygiene (``hygiene.tidy``: soft hyphens out,
mojibake repaired, NFC) is applied here, before offsets are counted.
"""

from __future__ import annotations

import re

from ..records import Block
from .hygiene import tidy

_WS = re.compile(r"[ \t\r\f\v\u00a0]+")


def norm_space(s: str) -> str:
    return _WS.sub(" ", s).strip()


def assemble(parts: list[tuple[str, str]]) -> tuple[str, tuple[Block, ...]]:
    """Join ``(kind, text)`` parts (kinds: heading, standfirst, paragraph) into one text, paragraphs separated by blank lines, with block offsets."""
    out: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for kind, raw in parts:
        text = norm_space(tidy(raw))
        if not text:
            continue
        if out:
            out.append("\n\n")
            pos += 2
        blocks.append(Block(kind if kind in ("heading", "standfirst") else "paragraph", pos, pos + len(text)))
        out.append(text)
        pos += len(text)
    return "".join(out), tuple(blocks)


