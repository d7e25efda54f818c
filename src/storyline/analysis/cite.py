"""Citations: a sentence of an article, verbatim, with the article, outlet, date and character offsets.

Every record the storyline analyses produce points back to the sentence it came from through
``{article_id, outlet, date, start, end}`` (plus ``title`` and ``opinion``: a source with no known outlet is
named by its title or file, an opinion piece is marked); ``date`` is the article's publication day
(``None`` when the article is undated: an inferred range is never shown as a date).

``usable_sentence`` is what a brief may quote: the sentence holding an offset, never reaching across a line
break (a headline, standfirst, subhead or dateline glued to the lead is cut off), never starting or ending
inside a quotation (a quote that runs over several sentences is taken whole, up to ``MAX_QUOTE_SENTENCES``),
never boilerplate (``Boilerplate``: known page furniture, and lines an outlet repeats across its articles).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from operator import itemgetter
from typing import Any

from ..clean.boilerplate import NEWSROOM_NOTE
from ..records import StoryMaterial
from .genre import is_opinion

MAX_QUOTE_SENTENCES = 3  # sentences a quotation may run over and still be quoted whole
_QUOTE_MARKS = re.compile(r"[\"“”]")
_FURNITURE = re.compile(
    r"(?i)^\W*(?:story (?:continued|continues) below|story highlights|advertisement|read more|related:|click here"
    r"|sign up|subscribe|share this|share on|follow (?:us|him|her)|watch:|video:|just watched|must watch"
    r"|replay more videos|exit mobile version|source link|more on this|listen to article|getty images"
    r"|photo:|image:|\(ap photo|copyright|all rights reserved|editor.s note|correction:"
    r"|updated:?\s+\d)"
    r"|contributed to this report|replay more videos|must watch"
    rf"|(?i:\b(?:{NEWSROOM_NOTE}))")   # a newsroom's note on the article itself

# an embedded social-media post as extracted text keeps it: the post's words, then "— Name (@handle) Month D,
# YYYY" on the same line (or that signature alone on the line after them); a "pic.twitter.com/..." link too
_POST_SIGNATURE = re.compile(r"(?m)^([^\n]*?)[—–]\s*[^\n—–]{1,80}\(@\w{1,15}\)[ \t]*(?:[A-Z][a-z]+\.? \d{1,2},? \d{4})?"
                             r"[ \t]*$")
_POST_LINK = re.compile(r"(?m)^[^\n]*\bpic\.twitter\.com/\w+[^\n]*$")

_FALLBACK_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’]?|$)")
MIN_REPEATED = 12  # characters a line needs before its repetition makes it boilerplate
FALLBACK_CHARS = 4000  # text split on punctuation when an article has no stored sentences (NLP off)


def sentences_of(material: StoryMaterial, article_id: str) -> list[tuple[int, int]]:
    """The stored sentences of an article; without NLP, its opening split on sentence punctuation."""
    found = material.sentences.get(article_id)
    if found:
        return found
    article = material.articles.get(article_id)
    if article is None:
        return []
    return [(m.start(), m.end()) for m in _FALLBACK_SENTENCE.finditer(article.text[:FALLBACK_CHARS])
            if m.group().strip()]


def sentence_at(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The ``(start, end)`` of the sentence holding character ``offset`` (sentences sorted by start)."""
    i = bisect_right(sentences, offset, key=itemgetter(0)) - 1
    if i >= 0 and sentences[i][0] <= offset < max(sentences[i][1], sentences[i][0] + 1):
        return sentences[i]
    return None


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed to the visible text (no surrounding white space)."""
    raw = text[start:end]
    lead = len(raw) - len(raw.lstrip())
    return start + lead, start + lead + len(raw.strip())


def citation(material: StoryMaterial, article_id: str, start: int, end: int) -> dict[str, Any]:
    """``{article_id, outlet, date, start, end, title, opinion}`` for a span of an article."""
    article = material.articles.get(article_id)
    if article is None:
        return {"article_id": article_id, "outlet": None, "date": None, "start": start, "end": end, "title": None,
                "opinion": False}
    return {"article_id": article_id, "outlet": article.outlet, "date": article.published, "start": start,
            "end": end, "title": source_name(article) if not article.outlet else article.title,
            "opinion": opinion(material, article_id)}


def opinion(material: StoryMaterial, article_id: str) -> bool:
    """Whether an article of the storyline is an opinion piece (``genre.is_opinion``, once per article)."""
    article = material.articles.get(article_id)
    return article is not None and _opinion(article.title, article.url, article.text[:80], article.outlet)


@lru_cache(maxsize=65536)
def _opinion(title: str | None, url: str | None, opening: str, outlet: str | None) -> bool:
    """``is_opinion`` once per article (a storyline's ledger cites its articles tens of thousands of times);
    it reads no more of the text than its opening."""
    return is_opinion(title, url, opening, outlet)


def source_name(article: Any) -> str:
    """How a source with no known outlet is named: its headline, else its file or address."""
    if article.title:
        return article.title if len(article.title) <= 80 else article.title[:79].rsplit(" ", 1)[0] + "…"
    origin = (article.origin or "").rsplit("#", 1)[0]
    return origin.rsplit("/", 1)[-1] or "unnamed source"


class Boilerplate:
    """Lines no brief quotes: page furniture by its wording, embedded social-media posts, and lines an outlet
    repeats across two or more of its articles in the storyline (teasers, pitches, bylines, an outlet's
    standing notes)."""

    def __init__(self, material: StoryMaterial) -> None:
        self.material = material
        self._articles: dict[Any, list[Any]] = {}
        for a in material.articles.values():
            self._articles.setdefault(a.outlet, []).append(a)
        self._repeated: dict[Any, set[str]] = {}  # per outlet, worked out when a line of it is first asked about

    def repeated(self, outlet: Any) -> set[str]:
        """The line keys ``outlet`` repeats across two or more of its articles in the storyline. Keys are
        lines stripped and case-folded, each article's text folded once: a 5,000-article storyline's
        outlets carry 30 MB of lines, too many to tokenise for one brief."""
        found = self._repeated.get(outlet)
        if found is None:
            first: dict[str, str] = {}  # line key -> the first article carrying it
            found = set()
            for a in self._articles.get(outlet, ()):
                for line in a.text.casefold().split("\n"):
                    key = line.strip()
                    if len(key) > MIN_REPEATED and first.setdefault(key, a.id) != a.id:
                        found.add(key)
            self._repeated[outlet] = found
        return found

    def __call__(self, article_id: str, start: int, end: int) -> bool:
        article = self.material.articles.get(article_id)
        if article is None:
            return True
        if furniture(article.text[start:end]):
            return True
        line_start = article.text.rfind("\n", 0, start) + 1
        line_end = article.text.find("\n", end)
        line = article.text[line_start:line_end if line_end >= 0 else len(article.text)]
        if any(ps < end and start < pe for ps, pe in embedded_posts(article.text)):
            return True
        return line.casefold().strip() in self.repeated(article.outlet)


def furniture(text: str) -> bool:
    """Page furniture or a newsroom's note on the article ("Story continued below", "This post was updated
    at 5 p.m."): never quoted as news."""
    return bool(_FURNITURE.search(text))


@lru_cache(maxsize=8192)
def embedded_posts(text: str) -> tuple[tuple[int, int], ...]:
    """The lines of ``text`` that are embedded social-media posts (their words and their "— Name (@handle)
    date" signature; see ``_POST_SIGNATURE``), ``(start, end)`` in order: someone else's words, not the
    outlet's report, never cited as news nor counted as the outlet's voice. One pass over the text, cached:
    the brief's citations, framing and facts all ask."""
    if "(@" not in text and "pic.twitter.com" not in text:
        return ()
    spans = []
    for m in _POST_SIGNATURE.finditer(text):
        start = m.start()
        if not m.group(1).strip():   # the signature alone: the post is the line before it
            start = text.rfind("\n", 0, len(text[:start].rstrip())) + 1
        spans.append((start, m.end()))
    spans += [(m.start(), m.end()) for m in _POST_LINK.finditer(text)]
    return tuple(sorted(set(spans)))


def usable_sentence(material: StoryMaterial, article_id: str, offset: int,
                    boilerplate: Boilerplate | None = None) -> dict[str, Any] | None:
    """The sentence holding ``offset`` as a brief may quote it (see the module docstring): ``{text, citation}``
    or ``None`` when it is boilerplate, a heading, or a quotation that cannot be taken whole."""
    article = material.articles.get(article_id)
    if article is None:
        return None
    text = article.text
    sentences = sentences_of(material, article_id)
    found = sentence_at(sentences, offset)
    if found is None:
        return None
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    start, end = max(found[0], line_start), min(found[1], line_end)
    start, end = trimmed(text, start, end)
    if end <= start or _heading(text[start:end]):
        return None
    if len(_QUOTE_MARKS.findall(text[start:end])) % 2:
        start, end = _whole_quote(text, sentences, start, end, line_start, line_end)
        if start is None:
            return None
    if boilerplate is not None and boilerplate(article_id, start, end):
        return None
    return {"text": text[start:end], "citation": citation(material, article_id, start, end)}


def _heading(text: str) -> bool:
    """A line with no sentence ending and few words: a subhead, a headline printed again, a label."""
    return text[-1:] not in ".!?\"”’'):" and len(text.split()) < 14


def _whole_quote(text: str, sentences: list[tuple[int, int]], start: int, end: int, line_start: int,
                 line_end: int) -> tuple[int | None, int]:
    """Widen a span that opens or closes a quotation to the sentences (of the same line) that complete it."""
    starts = [s for s, _ in sentences]
    i = bisect_right(starts, start) - 1
    for before in range(MAX_QUOTE_SENTENCES):
        for after in range(MAX_QUOTE_SENTENCES - before):
            lo = sentences[max(0, i - before)][0] if i - before >= 0 else start
            hi_index = min(len(sentences) - 1, i + after)
            hi = sentences[hi_index][1] if hi_index >= 0 else end
            lo, hi = max(lo, line_start), min(hi, line_end)
            lo, hi = trimmed(text, min(lo, start), max(hi, end))
            if not len(_QUOTE_MARKS.findall(text[lo:hi])) % 2:
                return lo, hi
    return None, end


def cited_sentence(material: StoryMaterial, article_id: str, offset: int) -> dict[str, Any] | None:
    """The sentence of an article holding ``offset``: ``{text, citation}`` (verbatim), or ``None``."""
    article = material.articles.get(article_id)
    if article is None:
        return None
    found = sentence_at(sentences_of(material, article_id), offset)
    if found is None:
        return None
    start, end = trimmed(article.text, *found)
    if end <= start:
        return None
    return {"text": article.text[start:end], "citation": citation(material, article_id, start, end)}
