"""The leading lines of pre-extracted text: the headline, the standfirst under it, and a byline.

Bare text files (no front matter, no record fields) carry their headline as the first line,
sometimes printed twice or after a dateline line; a standfirst (the summary under the headline) often
follows it. :func:`read_lead` tells them from the lead paragraph:

- **title**: the first line, when it reads as a headline: at most 30 words, not ending like a clause
  (``,;:``), and either without final punctuation, a question or exclamation of at most 25 words,
  or ending in a full stop but short (20 words) and printed twice, after a dateline, in title case, or
  two short sentences (14 words: "Talks stall. Union digs in.");
- **standfirst**: the next line, when it was printed twice, is emphasised (``*...*``, ``> ...``), is a
  long line without final punctuation, or stands between the headline and a byline or a dateline lead;
- **byline**: ``By Jane Doe and John Roe`` among the first lines (the names become the author).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CLOSERS = "\"'”’»)]"
_NAME = r"(?:(?:Dr|Mr|Mrs|Ms)\.?\s+)?[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|del|da|al|bin|la|le)){0,4}"
_BYLINE = re.compile(
    rf"(?:By|BY|by)\s+({_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)"
    r"(?:\s*(?:[,|·•—–-]|\bfor\b)\s*[A-Z0-9].{0,59})?\.?")
#: A lead paragraph opening with a dateline: "WASHINGTON (Reuters) -", "MOSCOW, Dec 23 -", "LONDON —".
#: Up to three comma parts after the place: "CONSTANTA, Romania, Oct 14 (Meridian Wire) -".
_DATELINE = (r"^[A-Z][A-Z .'’-]{1,40}(?:,\s+[A-Z][\w.]*\.?(?:\s+[A-Z][\w.]*\.?)?(?:\s+\d{1,2})?){0,3}"
             r"(?:\s*\([^)]{1,40}\)\s*|\s+)[-—–]{1,2}")
DATELINE_LEAD = re.compile(_DATELINE + r"\s*\S")
#: A dateline alone (the sentence the NLP stage makes of it).
DATELINE_ONLY = re.compile(_DATELINE + r"\s*$")
DATELINE_SPAN = 120   # characters of a paragraph's start read for a dateline


def dateline_only(sentence: str) -> bool:
    """True for a sentence that is only a dateline ("MOSCOW, Jan 8 (Reuters) -"): it states nothing."""
    return len(sentence) <= DATELINE_SPAN and DATELINE_ONLY.match(sentence) is not None

_EMPHASIS = re.compile(r"^(?:\*{1,2}|_)(.+?)(?:\*{1,2}|_)$|^>\s*(.+)$")
_SENTENCE_BREAK = re.compile(r"\w[.?!][\"'”’]?\s+[\"'“‘]?[A-Z]")
_SMALL = frozenset("a an and as at but by for from in into nor of on or over per the to up via vs with".split())


@dataclass(frozen=True, slots=True)
class Lead:
    """What the leading lines hold: indexes into the lines given to :func:`read_lead` (``None`` when absent)."""

    title: int | None = None
    standfirst: int | None = None
    byline: int | None = None
    author: str | None = None
    standfirst_text: str | None = None


def byline_author(line: str) -> str | None:
    """The names of a byline line ("By Jane Doe and John Roe, Reuters" -> "Jane Doe and John Roe")."""
    s = line.strip().strip("*_").strip()
    if len(s.split()) > 16 or s.endswith(("!", "?")):
        return None
    m = _BYLINE.fullmatch(s)
    return m.group(1).strip() if m else None


def _words(line: str) -> list[str]:
    return line.split()


def _ending(line: str) -> str:
    s = line.rstrip().rstrip(_CLOSERS).rstrip()
    return s[-1:] if s else ""


def _title_case(line: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if w.lower() not in _SMALL]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.75


def _ends_in_abbreviation(line: str) -> bool:
    return bool(re.search(r"(?:\b[A-Z]\.){2,}$|\b(?:Inc|Corp|Co|Ltd|Jr|Sr|St)\.$", line.rstrip(_CLOSERS)))


def is_title(line: str, *, repeated: bool = False, after_dateline: bool = False) -> bool:
    """Does ``line`` (the first line of a text) read as its headline? See the module docstring."""
    s = line.strip()
    words = _words(s)
    if not words or len(words) > 30 or len(s) > 300 or byline_author(s) or DATELINE_LEAD.match(s):
        return False
    if s[0].islower() and not (len(s) > 1 and s[1].isupper()):
        return False
    end = _ending(s)
    if end in ",;:":
        return False
    if end == "." and not _ends_in_abbreviation(s):
        two_short = len(words) <= 14 and bool(_SENTENCE_BREAK.search(s))   # "Talks stall. Union digs in."
        return len(words) <= 20 and (repeated or after_dateline or _title_case(s) or two_short)
    if end in "?!…":
        return len(words) <= 25
    return True


def _emphasised(line: str) -> str | None:
    m = _EMPHASIS.match(line.strip())
    return (m.group(1) or m.group(2)).strip() if m else None


def is_standfirst(line: str, following: str | None, *, repeated: bool = False) -> bool:
    """Is ``line`` (just under the headline) a standfirst, given the line after it?"""
    s = line.strip()
    words = _words(s)
    if following is None or not words or len(words) > 70 or DATELINE_LEAD.match(s) or byline_author(s):
        return False
    if _emphasised(s):
        return True
    if repeated and len(words) >= 4:
        return True
    if _ending(s) not in ".!?…:;," and 10 <= len(words) <= 60:
        return True
    return len(words) >= 6 and bool(byline_author(following) or DATELINE_LEAD.match(following.strip()))


def read_lead(lines: list[str], *, find_title: bool, title_above: bool, repeated: set[str],
              after_dateline: bool = False, key=lambda s: s) -> Lead:
    """Find the headline (when ``find_title``), the standfirst (under a headline found here or already
    removed above, ``title_above``) and a byline among the first ``lines`` (the text's kept lines).

    ``repeated``: keys (``key(line)``) of lines the text printed twice."""
    title = standfirst = byline = author = None
    i = 0
    if find_title and len(lines) >= 2:
        first = lines[0]
        md = re.match(r"^#{1,6}\s+(.+)$", first)
        if md or is_title(first, repeated=key(first) in repeated, after_dateline=after_dateline):
            title, i = 0, 1
    for j in range(i, min(i + 3, len(lines))):
        name = byline_author(lines[j])
        if name:
            byline, author = j, name
            break
    if title is not None or title_above:
        j = i + 1 if byline == i else i
        if j + 1 < len(lines) and not lines[j].lstrip().startswith("#") \
                and is_standfirst(lines[j], lines[j + 1], repeated=key(lines[j]) in repeated):
            standfirst = j
    text = None
    if standfirst is not None:
        text = _emphasised(lines[standfirst]) or lines[standfirst].strip()
    return Lead(title, standfirst, byline, author, text)
