"""Main text and metadata of HTML pages (trafilatura), and of HTML fragments that are all content.

Steps for a page:

1. parse it with trafilatura's own parser and join an article body split into
   several containers (``split_body``);
2. trafilatura finds the main content (with its fallbacks), links kept so that
   link text can be counted; comments are left out: they are not the article;
3. the content becomes lines (paragraphs, list items, table rows, subheads kept
   as ``heading`` blocks) and what is not the article is dropped: teasers,
   the headline printed again, repeats, furniture (``page_blocks``);
4. the lines are assembled into clean, tidied text with block offsets.

The publication date comes from the page's metadata only (htmldate without its
text-guessing search), so it is never invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from ..records import Block
from .blocks import assemble, norm_space as _norm
from .dates import parse_date
from .hygiene import tidy
from .page_blocks import body_lines, keep_article_lines
from .split_body import join_split_body



@dataclass(frozen=True, slots=True)
class PageText:
    """What a page holds: clean text with blocks, and the metadata found in its markup."""

    text: str
    blocks: tuple[Block, ...]
    title: str | None = None
    author: str | None = None
    published: str | None = None
    #: ``html-meta`` when the date is in the page's metadata, ``text-field`` when only its visible text has it.
    published_source: str | None = None
    sitename: str | None = None
    url: str | None = None
    language: str | None = None


_META_DATES = [re.compile(p, re.I) for p in (
    r"<meta\b[^>]*(?:property|name|itemprop)=[\"'][^\"']*(?:date|time|publish|modified|created)[^\"']*[\"'][^>]*>",
    r"\"(?:datePublished|dateCreated|dateModified|uploadDate)\"\s*:\s*\"[^\"]+\"",
    r"<time\b[^>]*\bdatetime=[\"'][^\"']+[\"']",
)]
_VALUE = re.compile(r"(?:content|datetime)=[\"']([^\"']+)[\"']|:\s*\"([^\"]+)\"", re.I)


def _date_in_markup(html: str, day: str) -> bool:
    """True when ``day`` comes from the page's metadata (meta tags, JSON-LD, ``<time datetime>``), not its prose."""
    for pattern in _META_DATES:
        for tag in pattern.findall(html[:300_000]):
            m = _VALUE.search(tag)
            if m and parse_date((m.group(1) or m.group(2) or "")[:25]) == day:
                return True
    return False


def _lang_attr(html: str) -> str | None:
    m = re.search(r"<html[^>]*\slang=[\"']?([A-Za-z]{2,3})", html[:5000], re.I)
    return m.group(1).lower() if m else None


def extract_page(html: str, url: str | None = None) -> PageText:
    """Main text and metadata of a whole page. Empty text when no article is found."""
    tree = load_html(html)  # trafilatura's own parser settings
    if tree is None:
        return PageText("", (), language=_lang_attr(html))
    join_split_body(tree)
    # Links are kept in the body (it changes no text) so that teasers, all link text, can be told apart.
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_links=True, output_format="python",
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or doc.body is None:
        return PageText("", (), language=_lang_attr(html))
    lines = keep_article_lines(body_lines(doc.body), title=doc.title, urls=(url, doc.url))
    text, blocks = assemble([("heading" if ln.kind == "heading" else "paragraph", ln.text) for ln in lines])
    return PageText(
        text=text, blocks=blocks, title=_norm(tidy(doc.title)) if doc.title else None,
        author=_norm(tidy(doc.author)) if doc.author else None, published=doc.date or None,
        published_source=("html-meta" if _date_in_markup(html, doc.date) else "text-field") if doc.date else None,
        sitename=_norm(tidy(doc.sitename)) if doc.sitename else None, url=doc.url, language=_lang_attr(html),
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
                else:
                    walk(child)
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
