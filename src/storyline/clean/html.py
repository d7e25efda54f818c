"""Main text and metadata of HTML pages (trafilatura), and of HTML fragments that are all content.

Section subheads are kept as ``heading`` blocks. Comments are left out: they
are not the article. The publication date comes from the page's metadata
only (htmldate without its text-guessing search), so it is never invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml import etree

from ..records import Block

_BLOCK_TAGS = {"p", "head", "quote", "item", "row", "list", "table", "code", "lb"}
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass(frozen=True, slots=True)
class PageText:
    """What a page holds: clean text with blocks, and the metadata found in its markup."""

    text: str
    blocks: tuple[Block, ...]
    title: str | None = None
    author: str | None = None
    published: str | None = None
    sitename: str | None = None
    url: str | None = None
    language: str | None = None


def _norm(s: str) -> str:
    return _WS.sub(" ", s).strip()


def assemble(parts: list[tuple[str, str]]) -> tuple[str, tuple[Block, ...]]:
    """Join ``(kind, text)`` parts into one text, paragraphs separated by blank lines, with block offsets."""
    out: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for kind, raw in parts:
        text = _norm(raw)
        if not text:
            continue
        if out:
            out.append("\n\n")
            pos += 2
        blocks.append(Block("heading" if kind == "heading" else "paragraph", pos, pos + len(text)))
        out.append(text)
        pos += len(text)
    return "".join(out), tuple(blocks)


def _parts_from_body(body: etree._Element) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "list":
            parts += [("paragraph", "".join(item.itertext())) for item in el.iter("item")]
        elif tag == "table":
            for row in el.iter("row"):
                cells = [_norm("".join(c.itertext())) for c in row]
                parts.append(("paragraph", " | ".join(c for c in cells if c)))
        elif tag == "head":
            parts.append(("heading", "".join(el.itertext())))
        elif tag:
            parts.append(("paragraph", "".join(el.itertext())))
        if el.tail and el.tail.strip():
            parts.append(("paragraph", el.tail))
    return parts


def _lang_attr(html: str) -> str | None:
    m = re.search(r"<html[^>]*\slang=[\"']?([A-Za-z]{2,3})", html[:5000], re.I)
    return m.group(1).lower() if m else None


def extract_page(html: str, url: str | None = None) -> PageText:
    """Main text and metadata of a whole page. Empty text when no article is found."""
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return PageText("", ())
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, output_format="python",
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or doc.body is None:
        return PageText("", (), language=_lang_attr(html))
    text, blocks = assemble(_parts_from_body(doc.body))
    return PageText(
        text=text, blocks=blocks, title=_norm(doc.title) if doc.title else None,
        author=_norm(doc.author) if doc.author else None, published=doc.date or None,
        sitename=_norm(doc.sitename) if doc.sitename else None, url=doc.url, language=_lang_attr(html),
    )


def extract_fragment(html: str) -> PageText:
    """Text of an HTML fragment that is all article (feed content, JSON body): every block kept."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return PageText("", ())
    for bad in root.xpath("//script|//style|//noscript|//iframe|//form"):
        bad.drop_tree()
    parts: list[tuple[str, str]] = []
    block_tags = {"p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "figcaption"}

    def walk(el: lxml.html.HtmlElement) -> None:
        inline: list[str] = [el.text or ""]
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in block_tags:
                parts.append(("paragraph", "".join(inline)))
                inline = []
                if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    parts.append(("heading", child.text_content()))
                elif any(isinstance(c.tag, str) and c.tag in block_tags for c in child):
                    walk(child)
                else:
                    parts.append(("paragraph", child.text_content()))
            elif tag == "br":
                parts.append(("paragraph", "".join(inline)))
                inline = []
            else:
                inline.append(child.text_content() if tag else "")
            inline.append(child.tail or "")
        parts.append(("paragraph", "".join(inline)))

    walk(root)
    text, blocks = assemble(parts)
    return PageText(text, blocks)
