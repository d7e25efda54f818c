"""Quote marks and the speech vocabulary: the speech verbs (``speech_verbs.txt``), titles and pronouns a speaker
is named by, and the pairing of quotation marks paragraph by paragraph (step 1 of ``quotes.find_quotes``)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token



VERBS_FILE = Path(__file__).with_name("speech_verbs.txt")

_MARK = re.compile("''|[\"“”„«»‘’']")      # '' is a double mark in some outlets' plain text
_PARAGRAPH = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+")
_OPENERS = "“„«‘\"'"
_BEFORE_OPEN = "([{—–-/“„«‘\"'"
_CLAUSE_END = ",!?…—–-:;"
_DASHES = "―—–-"
#: A transcript's speaker label at the start of a quoted paragraph: "PENCE: Well, look, ..."
_LABEL = re.compile(r"([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}):\s")
#: A quote left open at a paragraph's end is cut there, or at its sentence's end when the paragraph runs on.
_MAX_UNCLOSED = 1500
_WINDOW_AFTER, _WINDOW_BEFORE = 12, 30

_PERSON_PRONOUNS = frozenset("he him she her".split())
_GROUP_PRONOUNS = frozenset("they them".split())
_POSSESSIVE = {"his": "he", "their": "they"}
_TITLES = frozenset("""
spokesman spokeswoman spokesperson minister president secretary senator governor mayor ambassador envoy
commissioner chancellor premier chief leader general commander adviser advisor aide chairman chairwoman chair
director ceo king queen pope prosecutor judge lawmaker congressman congresswoman representative speaker
negotiator diplomat candidate nominee manager strategist attorney official sheriff spokes colonel admiral
captain major sergeant lieutenant
""".split())
_FEMALE = frozenset("mrs mrs. ms ms. miss madam spokeswoman chairwoman congresswoman businesswoman actress queen "
                    "princess duchess wife mother daughter sister grandmother".split())
_MALE = frozenset("mr mr. sir spokesman chairman congressman businessman actor king prince duke husband father son "
                  "brother grandfather".split())
_TITLE_CLASS = {"spokesman": "spokes", "spokeswoman": "spokes", "spokesperson": "spokes", "spokespeople": "spokes"}
_TERM_CUES = frozenset("""
called so-called dubbed term termed word words phrase known as named titled entitled label labelled labeled
slogan the a an his her their its our my this that
""".split())
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_NAME_DEPS = frozenset("compound amod det poss nmod nummod flat".split())
_OBJ_DEPS = frozenset("dobj obj xcomp oprd attr ccomp".split())
_OBJ_PREPS = frozenset("of for about against over on as".split())
_CLIMB_DEPS = frozenset("conj xcomp advcl acl dobj pobj prep pcomp".split())


@lru_cache(maxsize=4)
def load_speech_verbs(path: str | None = None) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The speech-verb lemmas; those whose object is reported content ("+obj"); those that only
    introduce direct quotes ("=quote": “...,” he continued)."""
    verbs, obj, quote_only = set(), set(), set()
    for line in Path(path or VERBS_FILE).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].split()
        if line:
            verbs.add(line[0].lower())
            if "+obj" in line[1:]:
                obj.add(line[0].lower())
            if "=quote" in line[1:]:
                quote_only.add(line[0].lower())
    return frozenset(verbs), frozenset(obj), frozenset(quote_only)


@dataclass(slots=True)
class _Region:
    """A quoted stretch: content [start, end) between an opening mark at ``open`` and a closing one at
    ``close`` (the index after it; None when never closed); ``para`` is the opening mark's paragraph."""

    open: int
    start: int
    end: int
    close: int | None
    para: int


@dataclass(slots=True)
class _Found:
    """A statement before its speaker is resolved: content span, kind, the speaker mention's head
    token, the cue token, and the paragraphs where the content starts and ends."""

    start: int
    end: int
    kind: str
    speaker: Token | None = None
    cue: Token | None = None
    para: int = -1
    end_para: int = -1


# -- 1. quote marks -----------------------------------------------------------------------------------

def _role(text: str, p: int, n: int = 1) -> tuple[str, str] | None:
    """(family, role) of the mark at ``p`` (``n`` characters long): family "d" (double) or "s"
    (single); role "open", "close" or "either"; None for an apostrophe."""
    c = '"' if n == 2 else text[p]
    prev = text[p - 1] if p else "\n"
    nxt = text[p + n] if p + n < len(text) else "\n"
    prev_open = prev.isspace() or prev in _BEFORE_OPEN
    next_open = nxt.isspace() or nxt in ",.;:!?)]"
    if c in "“„«":
        return ("d", "close") if not prev_open and next_open else ("d", "open")
    if c in "”»":
        return ("d", "open") if prev_open and not next_open else ("d", "close")
    if c == '"':
        if prev_open and not next_open:
            return "d", "open"
        if not prev_open and (next_open or not nxt.isalnum()):
            return "d", "close"
        return "d", "either"
    if c == "‘":
        return ("s", "open") if prev_open and not nxt.isspace() else None
    if prev.isalnum() and nxt.isalnum():
        return None                                     # it's, don't
    if c == "'" and prev_open and nxt.isalpha():
        return "s", "open"
    if not prev_open and not nxt.isalnum():
        return "s", "close"
    return None


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if not m.group().isspace()]


def _opens_with_quote(text: str, start: int, end: int) -> bool:
    i = start
    while i < end and text[i].isspace():
        i += 1
    n = 2 if text[i:i + 2] == "''" else 1
    return i + n < end and text[i] in _OPENERS and not text[i + n].isspace() \
        and (_role(text, i, n) or ("", ""))[1] in ("open", "either") \
        and not _LABEL.match(text, i + n)          # a new speaker's turn in a transcript starts a new quote


def scan_quotes(text: str, sent_ends: list[int] | None = None) -> list[_Region]:
    """Top-level quoted regions of ``text``, paragraph by paragraph (linear in the number of marks).

    Nested single quotes stay inside their double quotes. A quote still open at a paragraph's end
    continues when the next paragraph opens with a quote mark (one region over both); otherwise it
    ends at the paragraph's end (or its sentence's end, in a run-on paragraph).
    """
    paras = _paragraphs(text)
    regions: list[_Region] = []
    chain: _Region | None = None          # a quote continued from the previous paragraph
    for pi, (ps, pe) in enumerate(paras):
        stack: list[tuple[str, int]] = []
        first = True
        for m in _MARK.finditer(text, ps, pe):
            p = m.start()
            role = _role(text, p, m.end() - p)
            if role is None:
                continue
            fam, how = role
            if fam == "d" and how != "open" and any(f == "d" for f, _ in stack):
                while stack[-1][0] != "d":
                    stack.pop()
                _, o = stack.pop()
                if not stack:
                    if chain is not None and first:
                        chain.end, chain.close = p, m.end()
                        regions.append(chain)
                        chain = None
                    else:
                        regions.append(_Region(o, o + 1 + (text[o:o + 2] == "''"), p, m.end(), pi))
                    first = False
            elif fam == "s" and how == "close" and stack and stack[-1][0] == "s":
                _, o = stack.pop()
                if not stack:
                    regions.append(_Region(o, o + 1, p, m.end(), pi))
                    first = False
            elif how in ("open", "either"):
                stack.append((fam, p))
        if chain is not None and (not stack or not first):
            chain.end = pe                # the continued quote was not reopened as expected: close it here
            regions.append(chain)
            chain = None
        if stack:
            fam, o = stack[0]
            nxt = paras[pi + 1] if pi + 1 < len(paras) else None
            region = chain or _Region(o, o + 1 + (text[o:o + 2] == "''"), pe, None, pi)
            if nxt is not None and _opens_with_quote(text, *nxt):
                region.end, chain = pe, region
            else:
                end = pe
                if pe - o > _MAX_UNCLOSED and sent_ends:
                    end = min(pe, sent_ends[min(bisect_right(sent_ends, o), len(sent_ends) - 1)])
                region.end, chain = end, None
                regions.append(region)
    if chain is not None:
        regions.append(chain)
    out = []
    for r in regions:                     # trim spaces; drop empty quotes
        while r.start < r.end and text[r.start].isspace():
            r.start += 1
        while r.end > r.start and text[r.end - 1].isspace():
            r.end -= 1
        if r.end > r.start:
            out.append(r)
    return out


# -- 2-5. cues, speakers, indirect speech -------------------------------------------------------------
