"""An article body split into several containers is joined back into the first before extraction.

Pages break their body around an advertisement, a newsletter box or a
"continue reading" wrapper, repeating the body container (``<div
class="article__body">`` ... ``<div class="article__body">``). trafilatura
takes the first container its body patterns find and loses the rest. Here the
later containers with the same tag and class as that first one are moved into
it, when they:

- carry a body-like class (``article-body``, ``entry-content``, ``story-body`` ...);
- hold real paragraphs (at least ``MIN_PART_CHARS`` characters of ``<p>`` text),
  so that captions, licence notes and teaser snippets stay where they are;
- sit close to the first (within two levels of a shared ancestor), with no
  ``<article>`` boundary and no linked title between them: the entries of a
  blog or listing page are separate articles, not parts of one.
"""

from __future__ import annotations

import re

from lxml import etree
from trafilatura.xpaths import BODY_XPATH

#: Classes of article-body containers (the patterns trafilatura's body search also uses, in short).
_BODY_CLASS = re.compile(
    r"(?:entry|article|art|post|page|text|story|theme|blog|section|single)[-_]?(?:content|body|text)"
    r"|article__(?:content|body)|articleBody|ArticleContent|body-text|story-?body|post-?entry|field-body|fulltext",
    re.I)
MIN_PART_CHARS = 300


def _paragraph_chars(el: etree._Element) -> int:
    return sum(len("".join(p.itertext()).strip()) for p in el.iter("p"))


def _path_up(el: etree._Element, stop: etree._Element) -> list[etree._Element] | None:
    """The ancestors of ``el`` below ``stop``, or ``None`` when ``stop`` is not an ancestor."""
    path = []
    for ancestor in el.iterancestors():
        if ancestor is stop:
            return path
        path.append(ancestor)
    return None


def _linked_title_between(root: etree._Element, first: etree._Element, later: etree._Element) -> bool:
    inside_first = set(first.iter())
    started = False
    for el in root.iter():  # document order
        if el is first:
            started = True
        elif el is later:
            return False
        elif started and el not in inside_first and el.tag in ("h1", "h2", "h3") and el.find(".//a") is not None:
            return True
    return False


def _part_of(first: etree._Element, later: etree._Element) -> bool:
    """True when ``later`` is a further part of the body that ``first`` starts."""
    shared = [a for a in (first.getparent(), first.getparent().getparent() if first.getparent() is not None else None)
              if a is not None]
    for ancestor in shared:
        up_later = _path_up(later, ancestor)
        if up_later is None:
            continue
        up_first = _path_up(first, ancestor) or []
        if len(up_later) > 2 or any(a.tag == "article" for a in up_later + up_first):
            return False
        return not _linked_title_between(ancestor, first, later)
    return False


def join_split_body(tree: etree._Element) -> int:
    """Move the later parts of a split article body into its first container; the number of parts moved."""
    first = None
    for expr in BODY_XPATH:
        first = next((el for el in expr(tree) if el is not None), None)
        if first is not None:
            break
    cls = first.get("class") if first is not None else None
    if not cls or not _BODY_CLASS.search(cls):
        return 0
    related = set(first.iter()) | set(first.iterancestors())
    parts = [el for el in tree.iter(first.tag)
             if el.get("class") == cls and el not in related
             and _paragraph_chars(el) >= MIN_PART_CHARS and _part_of(first, el)]
    for part in parts:
        if part.text and part.text.strip():
            wrapper = etree.SubElement(first, "p")
            wrapper.text = part.text
        first.extend(list(part))
        part.getparent().remove(part)
    return len(parts)
