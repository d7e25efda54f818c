"""Debris filter for pre-extracted text: scraping leftovers out, real content and subheads kept.

Steps, in order:

1. a metadata field glued to the start of a line near the top
   (``date 2024-12-10 Russia has ...``) is cut off and read as the
   publication date (``text-field``);
2. dateline lines near the top (``24 Dec, 2024 15:04``) are removed and the
   first is read as the publication date (``dateline``);
3. the title (when known from metadata), a line naming the outlet, and
   site header lines are removed (the outlet's name is kept as metadata);
   whole-line debris is removed: icon-font runs, media-player leftovers
   (timestamps and the short labels beside them), navigation crumbs, and
   share / subscribe / cookie / "Exit mobile version" / "Source link" lines;
   boilerplate of pre-extracted text by pattern (``clean.boilerplate``: teasers, "Story Continued
   Below", share/print/reprint lines, newsletter pitches, captions and credits, author taglines);
4. a line printed again (a headline or standfirst twice) keeps its first copy; hover cards glued into a
   sentence (a name, then the person's full name and teaser headlines up to "MORE") are cut out of it;
5. the leading lines (``clean.lead``): the headline, when no title is known, is taken out of the
   text as the title; a standfirst becomes its own block; a byline gives the author;
6. an outlet signature (``clean.signatures``: a copyright line, a wire's credit or dateline) names
   the outlet when none is known;
7. what remains becomes paragraphs and headings (short lines without final
   punctuation between paragraphs, or Markdown ``#`` lines).

Every removed line is returned with the rule that removed it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..records import Block, RemovedLine
from .blocks import assemble
from .boilerplate import pattern_rule
from .dates import is_dateline, parse_date
from .lead import read_lead
from .signatures import find_signature

_GLUED_DATE = re.compile(
    r"^\s*(?:date|published|posted|updated)\s*[:=]?\s*(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?Z?)?)\s+(?=\S)",
    re.I,
)
_DATE_LABEL = re.compile(r"^\s*(?:published|posted|updated|last updated|date|first published)\b", re.I)
_TIMESTAMP = re.compile(r"^\s*-?\d{1,2}:\d{2}(?::\d{2})?\s*(?:/\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*$")
_ICON_WORDS = {
    "icon", "chevron", "caret", "arrow", "bookmark", "camera", "check", "close", "menu", "search", "share",
    "play", "pause", "down", "up", "left", "right", "times", "plus", "minus", "user", "envelope", "mail",
    "facebook", "twitter", "whatsapp", "telegram", "linkedin", "print", "comment", "comments", "star",
    "heart", "home", "bell", "gear", "clock", "calendar", "link", "external", "fa", "bi", "glyph",
}
_ICONISH = re.compile(r"icon|chevron|caret|bookmark|arrow|\bfa-|\bbi-|glyph", re.I)
_PLAYER_WORDS = {
    "podcasts", "podcast", "listen", "play", "pause", "mute", "unmute", "volume", "playback", "speed",
    "1x", "1.5x", "2x", "0.5x", "live", "audio", "video", "now playing", "loading", "replay", "fullscreen",
}
_CRUMB_SEPARATORS = re.compile(r"\s*[›»>|/]\s*")
_BOILERPLATE = [re.compile(p, re.I) for p in (
    r"exit mobile version",
    r"source link",
    r"skip to (?:main )?content",
    r"back to top",
    r"(?:share|tweet|email|print|copy link|save)(?: (?:this|the) (?:article|story|page|post))?(?: (?:on|via|to) [\w +&,]+)?",
    r"share (?:on|via) .{1,40}",
    r"(?:please )?subscribe\b.{0,120}",
    r"sign up\b.{0,60}\b(?:newsletters?|updates|alerts|our emails?)\b.{0,40}",
    r"(?:\w+ ){0,4}newsletter(?: \w+){0,4}[.!:]?",
    r"(?:we|this (?:site|website)) uses? cookies\b.{0,300}",
    r"(?:accept|reject|manage) (?:all )?cookies.{0,40}",
    r"cookie (?:settings|policy|preferences).{0,40}",
    r"(?:privacy policy|terms of (?:use|service))(?:\s*[|·•]\s*.{0,60})?",
    r"follow us(?: on .{1,60})?",
    r"(?:like|join) us on .{1,40}",
    r"(?:read|see) (?:more|also)\b.{0,80}",
    r"related(?: (?:articles|stories|content|news|posts|topics))?:?",
    r"(?:advertisement|advertising|sponsored(?: content)?|ad|ads|promoted)",
    r"click here\b.{0,80}",
    r"listen to (?:this|the) (?:article|story)(?:.{0,30})?",
    r"(?:©|\(c\)|copyright)\s.{0,120}",
    r".{0,80}all rights reserved\.?",
    r"download (?:our|the) app.{0,60}",
    r"(?:leave a|add a|view|show) comments?.{0,30}",
    r"\d+ comments?",
    r"comments?(?: \(\d+\))?|comments are closed\.?",
    r"(?:most (?:read|popular|viewed|shared)|trending(?: now)?|top stories|latest(?: news)?|popular|recommended"
    r"|you (?:may|might) also like|more from .{1,40}|related (?:posts|articles|stories|links)|read also|see also)"
    r"(?:\s*[:|].{0,200})?",
    r"\d{1,3} min(?:ute)?s?(?: read)?(?:\s*[·|•-]\s*\w+)?",
    r"(?:photo|photograph|image|picture|video|illustration)(?: credit)?\s*:\s*.{1,60}",
    r"(?:tags?|topics?|filed under|categories)\s*:.{1,200}",
    r"(?:ok|okay|accept|agree|i agree|got it|close|dismiss|continue|decline)[.!]?",
    r".{0,60}\bin your inbox\b.{0,60}",
    r"\*?_?(?:with |additional )?reporting by .{1,80}",
    r"by [\w .'’-]{2,40}(?:desk|staff|reporters?|correspondents?|newsroom)",
    r"(?:previous|next) (?:article|story|post)\b.{0,80}",
    r"(?:whatsapp|telegram|facebook|twitter|linkedin|reddit|pinterest|x)(?:\s+(?:whatsapp|telegram|facebook|twitter|linkedin|reddit|pinterest|email|x))*",
)]
_ANY_BOILERPLATE = re.compile("|".join(f"(?:{p.pattern})" for p in _BOILERPLATE), re.I)  # one pass, not 37
_TERMINAL = tuple(".!?…:;,\"”’'»)]")
_WORD = re.compile(r"\w+", re.U)


@dataclass(frozen=True, slots=True)
class CleanText:
    text: str
    blocks: tuple[Block, ...]
    removed: tuple[RemovedLine, ...]
    published: str | None = None
    date_source: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None


def _norm_key(line: str) -> str:
    return " ".join(_WORD.findall(line.casefold()))


def _is_icon_run(line: str) -> bool:
    if len(line) > 600 or not _ICONISH.search(line):
        return False  # cheap exit for ordinary prose
    tokens = line.split()
    if len(tokens) < 4:
        return False
    iconish = 0
    for tok in tokens:
        t = tok.lower().strip(",;")
        parts = set(re.split(r"[-_]", t))
        if "icon" in t or parts & _ICON_WORDS or t.endswith(("bicon", "-o")):
            iconish += 1
    return iconish / len(tokens) >= 0.6 and not any(tok.endswith((".", "!", "?")) for tok in tokens[:-1])


def _is_crumb(line: str) -> bool:
    s = line.strip()
    if re.match(r"Home[A-Z]", s) and len(s.split()) <= 6 and not s.endswith(_TERMINAL):
        return True  # "HomeIndeks", "HomeWorldRussia & FSU": crumb items glued together
    items = [i for i in _CRUMB_SEPARATORS.split(s) if i]
    return (len(items) >= 2 and items[0].lower() in ("home", "start", "news", "homepage")
            and all(len(i.split()) <= 3 for i in items) and bool(_CRUMB_SEPARATORS.search(s)))


_MD_LINK = re.compile(r"\[([^\[\]]*)\]\([^()\[\]]*\)")  # no brackets inside: linear on "[[[[..." lines
_LIST_HEADERS = re.compile(
    r"(?:most (?:read|popular|viewed|shared)|related(?: (?:posts|articles|stories|links|news))?|read (?:also|more)"
    r"|see also|more (?:stories|news|from .{1,40})|recommended(?: for you)?|you (?:may|might) also like"
    r"|trending(?: now)?|top stories|latest(?: news)?|popular)\s*:?", re.I)
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.)]|[-•·*])\s+")


def _is_boilerplate(line: str) -> bool:
    if len(line) > 4_000:  # no boilerplate is this long, even with its links
        return False
    s = _MD_LINK.sub(r"\1", line).strip().strip("•·|-–—*>#_").strip()
    if not s or len(s) > 400:
        return False
    if len(s.split()) > 14 and "cookie" not in s.lower():  # a long line is content unless it is a cookie notice
        return False
    return _ANY_BOILERPLATE.fullmatch(s) is not None


def _is_player_label(line: str) -> bool:
    s = line.strip().lower()
    return s in _PLAYER_WORDS or (len(s.split()) <= 2 and not s.endswith(_TERMINAL) and bool(s))


def line_rule(line: str) -> str | None:
    """The rule that marks ``line`` as debris wherever it stands, or ``None`` for a content line."""
    s = line.strip()
    if _TIMESTAMP.match(s):
        return "player"
    if _is_icon_run(s):
        return "icon-run"
    if _is_crumb(s):
        return "crumb"
    if _is_boilerplate(s):
        return "boilerplate"
    return None


def _looks_like_heading(line: str, title: str | None = None) -> bool:
    s = line.strip()
    words = s.split()
    return (1 <= len(words) <= 12 and not s.endswith(_TERMINAL) and s[:1].isupper()
            and not s.startswith(("“", '"', "‘", "'")) and len(s) <= 100)


def _is_outlet_line(line: str, outlet: str | None, domain: str | None) -> bool:
    """A line that only names the outlet: its name, or its domain's name ("RusVesti Today" on rusvesti.example)."""
    key = _norm_key(line)
    if not key or len(key.split()) > 4 or line.strip().endswith(_TERMINAL):
        return False
    if outlet and key.replace(" ", "") == _norm_key(outlet).replace(" ", ""):   # "USATODAY" for "USA TODAY"
        return True
    label = (domain or "").split(".")[0].replace("-", "")
    return len(label) >= 4 and key.replace(" ", "").startswith(label)


_HIGHLIGHTS = re.compile(r"^\W*story highlights\b", re.I)


def _highlights(lines: list[str], nonblank: list[int], keep: list[bool], removed: list[RemovedLine]) -> None:
    """A "Story highlights" block: the label (often glued to the first highlight) and the highlight lines
    under it, up to the first line that ends like a sentence."""
    for n, i in enumerate(nonblank):
        if not _HIGHLIGHTS.match(lines[i]):
            continue
        if keep[i]:
            keep[i] = False
            removed.append(RemovedLine(lines[i].strip(), "highlights"))
        for j in nonblank[n + 1:]:
            line = lines[j].strip()
            if line.endswith((".", "!", "?", "”", '"')) or len(line.split()) > 40:
                break
            if keep[j]:
                keep[j] = False
                removed.append(RemovedLine(line, "highlights"))


def _excerpts(lines: list[str], nonblank: list[int], keep: list[bool], removed: list[RemovedLine]) -> None:
    """A line that repeats a passage of a longer paragraph (a pull quote, a summary of the body's sentences)."""
    kept = [i for i in nonblank if keep[i]]
    keys = {i: _norm_key(lines[i]) for i in kept[1:]}   # the first line may be the headline, repeated below
    longer = [k for k in keys.values() if len(k.split()) >= 12]
    for i, key in keys.items():
        if len(key.split()) >= 6 and any(key != other and f" {key} " in f" {other} " for other in longer):
            keep[i] = False
            removed.append(RemovedLine(lines[i].strip(), "excerpt"))


_GLUE = re.compile(r"(?<=[a-zà-ÿ])(?=[A-Z0-9“‘'\"])")
_UNGLUED_CARD = re.compile(r"(?P<first>\b(?P<s>[A-Z][a-z'’-]{2,}))\s+(?:[A-Z][\w.'’()-]*\s+){2,4}(?P=s)(?=\s)")
_CARD_END = re.compile(r" ?MORE(?=[\s,.;:)’']|$)")


def strip_hover_cards(line: str) -> tuple[str, list[str]]:
    """Cut hover cards out of a line: after a person's name, the full name again and teaser headlines glued
    to it, up to " MORE" ("Sen. Bob Corker Robert (Bob) Phillips CorkerTeaser one Teaser two MORE (R-Tenn.)"
    keeps "Sen. Bob Corker (R-Tenn.)"). The word before the glue (the surname) must be named twice: before
    the full name or inside the card."""
    if "MORE" not in line:
        return line, []
    cards: list[str] = []
    line = _cut(line, _glued_cards(line), cards)
    # unglued: "Speaker Paul Ryan Paul Davis Ryan Teaser one ... MORE (R-Wis.)": the surname twice, then "MORE"
    return _cut(line, _unglued_cards(line), cards), cards


def _unaccented(text: str) -> str:
    """``text`` with its letters' accents dropped, when that keeps every offset ("Linda Sanchez Linda Teresa
    Sánchez": one surname); else ``text`` as it is."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return folded if len(folded) == len(text) else text


def _glued_cards(line: str) -> Iterator[tuple[int, int]]:
    pos = 0
    plain = _unaccented(line)   # the surname is looked for without accents: offsets are the line's
    for m in _GLUE.finditer(line):
        at = m.start()
        if at < pos:
            continue
        close = _CARD_END.search(line, at, at + 900)
        word = re.search(r"[\w'’.-]+$", plain[max(pos, at - 60):at])   # a window: linear on hostile lines
        if close is None or word is None or len(word.group()) < 3:
            continue
        surname = re.compile(r"(?<!\w)" + re.escape(word.group()) + r"(?![a-z])")
        full = at - len(word.group())
        before = list(surname.finditer(plain, max(pos, full - 80), full))
        if before:
            start = before[-1].end()       # "Mitch McConnell| Addison (Mitch) Mitchell McConnellGOP ... MORE"
        elif surname.search(plain, at, close.end()):
            start = at                     # "Bob Corker|Robert (Bob) Phillips CorkerTrump ... MORE"
        else:
            continue
        yield start, close.end()
        pos = close.end()


def _unglued_cards(line: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for m in _UNGLUED_CARD.finditer(line):
        if m.start() < pos:
            continue
        close = _CARD_END.search(line, m.end(), m.end() + 900)
        if close is None or _CARD_END.search(line, m.start(), m.end()):
            continue
        yield m.end("first"), close.end()
        pos = close.end()


def _cut(line: str, spans: Iterable[tuple[int, int]], cards: list[str]) -> str:
    """``line`` without the spans (in order, not overlapping); each cut span's text goes to ``cards``."""
    out, pos = [], 0
    for start, end in spans:
        out.append(line[pos:start])
        cards.append(line[start:end].strip())
        pos = end
    out.append(line[pos:])
    return "".join(out)


def filter_text(text: str, *, title: str | None = None, outlet: str | None = None,
                domain: str | None = None) -> CleanText:
    """Run the debris filter over ``text`` (pre-extracted article text). See the module docstring."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    removed: list[RemovedLine] = []
    keep = [True] * len(lines)
    published = source = None

    # 1. a metadata field glued to the start of the text (after a headline, at most)
    for i in [i for i, l in enumerate(lines) if l.strip()][:15]:
        m = _GLUED_DATE.match(lines[i])
        if m and parse_date(m.group(1)):
            published, source = parse_date(m.group(1)), "text-field"
            removed.append(RemovedLine(lines[i][: m.end()].strip(), "date-field"))
            lines[i] = lines[i][m.end():]
            break

    nonblank = [i for i, l in enumerate(lines) if l.strip()]
    top = set(nonblank[:10])
    signature = None if outlet else find_signature([lines[i] for i in nonblank])
    tail = set(nonblank[-5:])
    edges = set(nonblank[:3]) | set(nonblank[-3:])
    first_content: int | None = None

    # 2-3. datelines near the top; whole-line debris anywhere
    for i in nonblank:
        line = lines[i].strip()
        rule = None
        if i in top and is_dateline(line):
            rule = "dateline"
            if published is None:  # "Published: 14.12.2023" is a labelled field; a bare date a dateline
                published = parse_date(line)
                source = "text-field" if _DATE_LABEL.match(line) else "dateline"
        else:
            # (a tagline closes an article: never its first line of content, "Jackman was announced Friday
            # as the host ..." alone)
            rule = line_rule(line) or pattern_rule(line, at_end=i in tail and first_content is not None,
                                                   edge=i in edges and first_content is not None)
            if rule in ("teaser", "linked-headline") and (
                    first_content is None or _norm_key(line) == _norm_key(lines[first_content])):
                rule = None  # an all-capitals or labelled first line is the headline (or its copy), not a teaser
        if rule:
            keep[i] = False
            removed.append(RemovedLine(line, rule))
        elif first_content is None:
            first_content = i
    _highlights(lines, nonblank, keep, removed)
    teasers = [i for i in nonblank if not keep[i] and pattern_rule(lines[i]) == "teaser"]
    if len(teasers) > 4:   # a text sectioned by capitalised headings: they are its structure, not teasers
        for i in teasers:
            keep[i] = True
        removed = [r for r in removed if r.rule != "teaser"]

    # headlines listed under a "Most Read" / "Related" / "Read also" header
    scanned = 0  # a header inside the list of the header before it has nothing left to remove: not scanned again
    for n, i in enumerate(nonblank):
        if n < scanned or keep[i] or not _LIST_HEADERS.fullmatch(lines[i].strip()):
            continue
        scanned = n + 1
        for scanned, j in enumerate(nonblank[n + 1:], n + 1):
            item = _NUMBERED.sub("", lines[j].strip())
            if not keep[j]:
                continue
            if item.endswith((".", "!", "”", '"')) or len(item.split()) > 18 or \
                    item.endswith("?") and len(item.split()) > 12:   # a headline may ask
                break
            keep[j] = False
            removed.append(RemovedLine(lines[j].strip(), "related-list"))

    # the title, the outlet's name, and site header lines ("Monday, 23 December 2024 | Bucharest 1°C")
    title_above = False
    for i in nonblank[:15]:
        line = lines[i].strip()
        key = _norm_key(line)
        if keep[i] and key and key == _norm_key(title or ""):
            keep[i] = False
            removed.append(RemovedLine(line, "title"))
            title_above = True
        elif keep[i] and _is_outlet_line(line, outlet, domain):
            keep[i] = False
            removed.append(RemovedLine(line, "outlet"))
            outlet = outlet or line
        elif keep[i] and "|" in line and parse_date(line.split("|")[0]) and len(line) <= 80:
            keep[i] = False
            removed.append(RemovedLine(line, "site-header"))

    # player labels ("Podcasts", "Play") next to timestamps
    stamps = [pos for pos, i in enumerate(nonblank) if _TIMESTAMP.match(lines[i].strip())]
    for pos in stamps:
        for j in nonblank[max(0, pos - 2): pos + 3]:
            if keep[j] and _is_player_label(lines[j]):
                keep[j] = False
                removed.append(RemovedLine(lines[j].strip(), "player"))

    _excerpts(lines, nonblank, keep, removed)

    # 4. hover cards cut out of their sentence; a line printed again keeps its first copy
    for i in nonblank:
        if keep[i]:
            lines[i], cards = strip_hover_cards(lines[i])
            removed += [RemovedLine(card, "hover-card") for card in cards]
    seen: set[str] = set()
    repeated: set[str] = set()
    for i in nonblank:
        if not keep[i]:
            continue
        key = _norm_key(lines[i])
        if not key:
            keep[i] = False
            removed.append(RemovedLine(lines[i].strip(), "no-words"))
            continue
        if key in seen and len(key.split()) >= 2:
            keep[i] = False
            removed.append(RemovedLine(lines[i].strip(), "repeated"))
            repeated.add(key)
        seen.add(key)

    # 5. hard-wrapped lines joined; then paragraphs and headings
    joined: list[list[str]] = []  # the lines of each kept line, joined once (not grown line by line)
    for i in nonblank:
        line = lines[i].strip()
        if not keep[i]:
            continue
        if (joined and not joined[-1][-1].endswith(_TERMINAL) and line[:1].islower()
                and not joined[-1][0].startswith("#")):
            joined[-1].append(line)
        else:
            joined.append([line])
    kept = [" ".join(group) for group in joined]

    # 5. the headline, standfirst and byline among the leading lines
    first_kept = next((i for i in nonblank if keep[i]), None)
    after_dateline = any(r.rule == "dateline" for r in removed) and first_kept is not None and any(
        is_dateline(lines[i].strip()) for i in nonblank if i < first_kept)
    lead = read_lead(kept, find_title=not title, title_above=title_above, repeated=repeated,
                     after_dateline=after_dateline, key=_norm_key)
    if lead.title is not None:
        title = re.sub(r"^#{1,6}\s+", "", kept[lead.title]).strip("# ")
        removed.append(RemovedLine(kept[lead.title], "title"))
    if lead.byline is not None:
        removed.append(RemovedLine(kept[lead.byline], "byline"))

    # 6. the outlet a signature names
    if not outlet and signature:
        outlet = signature[0]

    # 7. paragraphs, headings and the standfirst
    parts: list[tuple[str, str]] = []
    for n, line in enumerate(kept):
        if n in (lead.title, lead.byline):
            continue
        if n == lead.standfirst:
            parts.append(("standfirst", lead.standfirst_text or line))
            continue
        md = re.match(r"^#{1,6}\s+(.*)$", line)
        if md:
            parts.append(("heading", md.group(1).strip("# ")))
            continue
        between = 0 < n < len(kept) - 1
        heading = _looks_like_heading(line) and (between or n == 0) and (
            n == 0 or (len(kept) > n + 1 and not _looks_like_heading(kept[n + 1])))
        parts.append(("heading" if heading else "paragraph", line))
    body, blocks = assemble(parts)
    return CleanText(body, blocks, tuple(removed), published, source, title, outlet, lead.author)
