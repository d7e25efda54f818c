"""The blocks of an extracted page, and the filters that drop what is not the article.

trafilatura hands back the main content as an XML body. ``body_lines`` turns it
into lines (a paragraph, a list item, a table row, a subhead; ``<lb/>`` breaks
a block into lines) and keeps, for each, how much of it is link text.
``keep_article_lines`` then drops, in order:

1. whole-line debris (the debris filter's share / subscribe / cookie rules);
2. bare machine timestamps (``2019-11-19T08:57:40+01:00``) and image / asset
   addresses, the microdata a page hides in its text;
3. the headline printed again at the top (the title is metadata, not body), and a
   line that is only the page's own address;
4. a long paragraph printed again (a page that carries its article twice);
5. teasers (and content that is nothing but links): short lines that are all link text and stand in a run of such lines
   (related stories, "more from" lists, link rows) or shout in capitals
   (``'SHOW' STAR OPENS UP ABOUT ...``); a single linked line inside the text stays;
6. lines of share / print / reprint / newsletter / app-promotion furniture that
   the debris rules leave (``GET THE APP BY CLICKING HERE``, ``Thanks for signing up!``),
   and, in the languages news sites use most, "read also" pointers (``Lesen Sie auch:
   ...``, ``À lire aussi``, ``Lea también: ...``), "back to top / to the list" links,
   picture credits (``Foto: ...``) and advertisement labels.

Each rule was measured on the AEB dev pages and on trafilatura's evaluation
set (see ``bench/eval_extraction.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .blocks import norm_space
from .debris import line_rule


@dataclass(frozen=True, slots=True)
class Line:
    """One line of extracted content: its kind, text and how many of its characters are link text."""

    kind: str  # "paragraph", "heading", "item" (list item) or "row" (table row)
    text: str
    link_chars: int = 0

    @property
    def all_link(self) -> bool:
        return bool(self.text) and self.link_chars >= 0.8 * len(self.text)


def _add(out: list[list[tuple[str, bool]]], text: str, link: bool) -> None:
    """Add a piece of text to the current line; a newline inside it starts a new line."""
    first, *rest = text.split("\n")
    out[-1].append((first, link))
    for piece in rest:
        out.append([(piece, link)])


def _walk(el: etree._Element, in_link: bool, out: list[list[tuple[str, bool]]]) -> None:
    """Append ``(text, in_link)`` pieces of ``el`` to the current line; ``<lb/>`` starts a new line."""
    link = in_link or el.tag == "ref"
    if el.text:
        _add(out, el.text, link)
    for child in el:
        if child.tag == "lb":
            out.append([])
        elif isinstance(child.tag, str):
            _walk(child, link, out)
        if child.tail:
            _add(out, child.tail, link)


def _lines_of(el: etree._Element, kind: str) -> list[Line]:
    pieces: list[list[tuple[str, bool]]] = [[]]
    _walk(el, False, pieces)
    lines = []
    for line in pieces:
        text = norm_space("".join(t for t, _ in line))
        if text:
            linked = sum(len(norm_space(t)) for t, is_link in line if is_link)
            lines.append(Line(kind, text, min(linked, len(text))))
    return lines


def body_lines(body: etree._Element) -> list[Line]:
    """The lines of trafilatura's XML body, in order, with their link text counted."""
    lines: list[Line] = []
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "list":
            for item in el.iter("item"):
                lines.extend(_lines_of(item, "item"))
        elif tag == "table":
            for row in el.iter("row"):
                cells = [norm_space(" ".join("".join(c.itertext()).split("\n"))) for c in row]
                text = " | ".join(c for c in cells if c)
                if text:
                    linked = sum(len(norm_space("".join(r.itertext()))) for r in row.iter("ref"))
                    lines.append(Line("row", text, min(linked, len(text))))
        elif tag == "head":
            lines.extend(_lines_of(el, "heading"))
        elif tag:
            lines.extend(_lines_of(el, "paragraph"))
        if el.tail and el.tail.strip():
            lines.extend(Line("paragraph", t) for t in map(norm_space, el.tail.split("\n")) if t)
    return lines


_ASSET_URL = re.compile(r"(?:https?:)?//\S+\.(?:jpe?g|png|gif|webp|svg|ico|css|js)(?:\?\S*)?", re.I)
_ISO_STAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?")
_WORDS = re.compile(r"\w+")
#: Furniture the debris rules do not catch: app and newsletter promotions, sign-up confirmations,
#: share / print / reprint offers. Each must match the whole (short) line.
_FURNITURE = [re.compile(p, re.I) for p in (
    r".{0,60}\bby clicking here\b.{0,20}",
    r"click here to (?:get|download|read|watch|sign up|subscribe|join|listen|see|view)\b.{0,80}",
    r"(?:get|download) (?:the|our) .{1,40}\bapp\b.{0,40}",
    r"thanks? (?:you )?for (?:signing up|subscribing)[.!]?",
    r"(?:keep an eye on|check) your inbox\b.{0,60}",
    r"(?:sorry[.!]? )?there was an error processing your (?:subscription|request)[.!]?",
    r"(?:get|receive) (?:the|our) .{1,60} (?:delivered )?(?:to|in) your inbox\b.{0,60}",
    r".{0,40}\b(?:reprints?|print this (?:article|page|story)|reprint (?:rights|permissions))\b.{0,40}",
    r"(?:share|email|print)(?: this)?(?: article| story| page)?(?: [|/•·] (?:share|email|print|tweet|save))+",
    r"(?:see|read|watch|listen) (?:more|also|next)\s*[:|>»].{0,150}",
    r"(?:more|also|related|recommended|trending)(?: (?:on|from|in|about) [\w .'&-]{1,40})?\s*:.{0,150}",
    r"you (?:may|might) also (?:like|be interested in)\b.{0,80}",
    r"most (?:read|popular|viewed|shared|watched)(?: in [\w .'-]{1,40})?[.:]?",
    r"(?:explore|read) further[.:]?",
    r"join our\b.{0,80}\b(?:challenge|newsletter|community|list)\b.{0,40}",
)]
#: How many lines from the top a repeated headline is looked for.
_TOP = 3
#: A paragraph at least this long is dropped when printed again (short lines may repeat: timetables, recipes).
_REPEAT_MIN = 80
#: "Read also" labels in the languages news sites use most; a line that is the label, or the label, a
#: separator and a short headline, is a pointer to another page.
_READ_ALSO = (
    r"read (?:more|also|next)|see also|related(?: articles?| stories| content| posts| news)?|don'?t miss"
    r"|(?:lesen sie|lies) (?:auch|hier|mehr|weiter)|auch (?:lesen|interessant)|(?:zum )?weiterlesen"
    r"|mehr (?:zum thema|themen|dazu)|weitere (?:artikel|beiträge|themen|informationen|infos)(?: zum thema)?"
    r"|empfohlene (?:artikel|beiträge)|schon gelesen\??|(?:das|dies) könnte (?:sie|dich) (?:auch )?interessieren"
    r"|(?:à |a )?lire aussi|(?:à )?voir aussi|sur le même sujet|pour aller plus loin"
    r"|le[ae] (?:también|más)|(?:le|te) puede interesar|ve[ar] también|puedes ver|mir[ae]|lea"
    r"|(?:notas|noticias|artículos) relacionad[oa]s|contenido relacionado|leia (?:também|mais)|veja também|saiba mais"
    r"|leggi anche|potrebbe interessarti|articoli correlati|czytaj (?:też|także|więcej)"
    r"|zobacz (?:też|także|również)|dowiedz się więcej|lees (?:ook|meer)"
)
_BACK = (r"(?:zurück|back|retour|volver|torna|powrót) (?:nach oben|zum (?:anfang|seitenanfang|newsroom|archiv)"
         r"|zur (?:übersicht|listenansicht|startseite)|to (?:the )?(?:top|overview|list)|en haut|arriba|su|do góry)"
         r"|nach oben|do góry")
_CREDIT = (r"(?:foto|fot\.|fotos|bild|titelbild|beitragsbild|bildquelle|crédits? photos?|image illustrative"
           r"|copyright|quelle|fuente|fonte|źródło|\(?credit)\s*[:.]\s*.{1,100}")
_AD_LABEL = r"(?:anzeige|werbung|publicidad|publicité|pubblicità|reklama|advertentie)(?:\s*[-:,].{0,40})?"
_FURNITURE_ANY_LANGUAGE = [re.compile(p, re.I) for p in (
    rf"(?:{_READ_ALSO})\s*(?:[:»>|]\s*.{{0,160}})?", _BACK, _CREDIT, _AD_LABEL,
)]
#: A teaser line longer than this is probably a linked sentence of the article.
_TEASER_MAX = 160


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def _shouts(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _teasers(lines: list[Line]) -> set[int]:
    """Indexes of teaser lines: short all-link lines in a run of two or more, or in capitals."""
    candidate = [ln.all_link and len(ln.text) <= _TEASER_MAX and not ln.text.endswith(".") for ln in lines]
    out = set()
    for i, line in enumerate(lines):
        if not candidate[i]:
            continue
        in_run = (i > 0 and candidate[i - 1]) or (i + 1 < len(lines) and candidate[i + 1])
        if in_run or _shouts(line.text):
            out.add(i)
    return out


def furniture_rule(text: str) -> str | None:
    """The rule that marks a page line as site furniture (debris rules first, then page furniture)."""
    rule = line_rule(text)
    if rule:
        return rule
    if len(text) <= 200 and any(p.fullmatch(text) for p in _FURNITURE):
        return "furniture"
    if len(text) <= 200 and any(p.fullmatch(text) for p in _FURNITURE_ANY_LANGUAGE):
        return "furniture"
    if _ISO_STAMP.fullmatch(text):
        return "timestamp"
    if _ASSET_URL.fullmatch(text):
        return "asset-url"
    return None


def keep_article_lines(lines: list[Line], title: str | None = None, urls: tuple[str | None, ...] = ()) -> list[Line]:
    """The lines that are the article: furniture, headline echo, the page's own address, repeats, teasers dropped.

    Content that is all link text (a menu, a list of links) is no article: nothing is kept.
    """
    if all(line.all_link for line in lines):
        return []
    teasers = _teasers(lines)
    title_key = _key(title) if title else ""
    own = {u.rstrip("/") for u in urls if u}
    seen: set[str] = set()
    kept: list[Line] = []
    for i, line in enumerate(lines):
        if i in teasers or furniture_rule(line.text) or line.text.rstrip("/") in own:
            continue
        key = _key(line.text)
        if len(kept) < _TOP and title_key and key == title_key:
            continue  # the headline printed at the top of the body
        if len(line.text) >= _REPEAT_MIN:
            if key in seen:
                continue  # a long paragraph printed again
            seen.add(key)
        kept.append(line)
    return kept
