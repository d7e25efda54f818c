"""Opinion or news: an opinion piece (a column, an editorial, a guest essay) argues; it is labelled as such in a
brief and never counts as a source corroborating a fact.

``is_opinion`` reads what outlets use to mark their opinion pages: a headline label ("OPINION:", "Op-Ed |"),
a text that opens on one ("ANALYSIS/OPINION:", or the word alone on its first line), an opinion section in the
URL (``/opinion/``, ``/commentary/``, ``/commentisfree/``) or a page name ending on one (``...-opinion``), or an
outlet name that is an opinion desk ("New York Times - Opinion", "Guest Writer").
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_LABEL = r"(?:opinion|op-?ed|commentary|editorial|column|perspective|viewpoint|analysis/opinion|letters?)"
_TITLE = re.compile(rf"^\s*{_LABEL}\s*[:|\-–—]|[:|]\s*{_LABEL}\s*$", re.I)
_TEXT = re.compile(rf"^\s*(?:{_LABEL}|analysis\s*/\s*opinion)\s*(?::|\n)", re.I)
_SECTIONS = frozenset({"opinion", "opinions", "commentary", "op-ed", "oped", "op-eds", "editorial", "editorials",
                       "columnists", "columns", "column", "perspectives", "letters", "guest-columns", "voices",
                       "commentisfree"})
#: a page name ending on "-opinion" ("/2020/4/3/21206760/andrew-yang-asian-americans-opinion"); not "-op-ed" or
#: "-editorial" (a report of one: ".../mcconnell-rejects-radical-movement-in-op-ed") nor "-analysis" (a wire
#: service's or a newspaper's news analysis is reported)
_SLUG = re.compile(r"-opinion$")
_OUTLET = re.compile(r"\b(?:opinion|editorial|guest writer|op-?ed|commentary)\b", re.I)


def is_opinion(title: str | None, url: str | None, text: str | None, outlet: str | None = None) -> bool:
    """Whether an article is an opinion piece, by its own labels (see the module docstring)."""
    if title and _TITLE.search(title):
        return True
    if text and _TEXT.match(text[:80]):
        return True
    if outlet and _OUTLET.search(outlet):
        return True
    if url:
        try:
            path = urlsplit(url).path.lower()
        except ValueError:
            return False
        parts = path.split("/")
        if any(part in _SECTIONS or _SLUG.search(part.rsplit(".", 1)[0]) for part in parts):
            return True
    return False
