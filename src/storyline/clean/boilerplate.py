"""Boilerplate of pre-extracted text: by pattern (teasers, "Story Continued Below", share/print/reprint
lines, newsletter and donation pitches, captions and photo credits, disclaimers, author taglines) and
learned from repetition (lines one outlet repeats across many of its articles).

The per-article function stays pure: what was learned comes in as a :class:`~storyline.records.LearnedLines`
value (the store keeps the counts, see ``Store.count_lines``), and :func:`drop_learned` removes those
blocks. :func:`fingerprint` is the cheap check other stages use to recognise a learned line.
"""

from __future__ import annotations

import hashlib
import re

from ..records import Block, LearnedLines, RemovedLine
from .blocks import assemble

#: A line longer than this is never counted nor learned (boilerplate is short; long ones are pitches).
MAX_LEARNED_WORDS = 100
#: A paragraph at least this long decides whether an article is a copy of one already counted.
COPY_CHECK_WORDS = 25

_WORD = re.compile(r"\w+", re.U)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

_I = re.I
#: Whole-line patterns (matched against the line with list marks and emphasis stripped).
#: a newsroom's note on the article itself ("This post was updated at 5 p.m. ET.", "This is a developing story",
#: "we'll update this page"): removed from pre-extracted text here, never cited by a brief (``analysis.cite``)
NEWSROOM_NOTE = (r"this (?:post|story|article|report|page|piece) (?:was|has been|is being|will be|is) (?:updated|corrected"
                 r"|revised)|(?:this )?is an? (?:developing|breaking)(?: news)? story|we(?:'ll| will) update this"
                 r"|check back (?:for|later)")
_LINES = [re.compile(p, _I) for p in (
    # "continue reading" markers and read-more teasers
    r"(?:\(?story continues? below(?: advertisement)?\)?|story continued below|article continues below"
    r"|continue reading(?: below| the main story)?|advertisement continue reading the main story"
    r"|continue reading below)\.?",
    r"story highlights",
    # a newsroom's note on the article itself: "This post was updated at 5 p.m. ET.", "This is a developing
    # story.", "Updated 6:40 PM ET"
    rf"(?:{NEWSROOM_NOTE})\b.{{0,200}}",
    r"(?:last )?updated:? (?:at |on )?(?:\w{3,9}\.? \d{1,2},? \d{4}|\d{1,2}[:.]\d{2}|\d{1,2} ?[ap]\.?m\b)"
    r"[\w ,.:/]{0,30}(?: (?:to|with)\b.{0,120})?",
    r".{5,200}[^.!\s] read more",                                  # a linked headline: "... Read more"
    r"(?:read more|more on this|more|for more|related|read|see|watch|now watch|watch now|listen|also read|don'?t miss|must read|trending"
    r"|full coverage|recommended|more from \w+|more coverage|recommended reading)\s*(?::|\.\.\.|…)"
    r"(?:\s*[^.!?]{0,140})?",
    r"read more(?: here| at .{1,60})?\.?",
    r"(?:see also|also see|read also|special coverage|related coverage)\b:?.{0,200}",
    r"read or share this story:? .{0,300}",
    r"this (?:article|story|post) (?:is )?tagged (?:under|with|as):? .{0,200}",
    r"-? ?check out (?:the|our) .{1,200}",
    r"read [\w’']{1,30} (?:new )?(?:flipboard )?magazine\.?",
    r"(?:watch|see) the latest video at .{1,60}",
    r"slideshow \(\d+ images?\)|(?:next|prev|previous) image \d+ of \d+|\d+ of \d+ (?:images|photos)",
    r"\[(?:pullquote|embed|video|caption|tweet|related)[^\]]*\]",
    r"(?:photo|video|image|audio|graphic|gallery|loading\.*|youtube|close|ad|advertisement|sponsored)\s*:?",
    r"[\W_]+",                                   # rules and separators: "___", "* * *"
    r"[’'$€£]?\d[\d.,%]*",                       # a number alone: chart and table residue
    r"[A-Z][\w’'/.-]*(?: [\w’'/.-]+){0,2}:",      # a label alone: "ANALYSIS/OPINION:", "Buzz Cut:", "WATCH:"
    r".{0,200}\b\w+=[\"'](?:https?:|/)[^\"']*[\"'].{0,300}|<[a-z]+[ >].{0,300}",   # markup residue
    r"media playback is unsupported on your device.{0,300}",
    r"just watched\b.{0,600}",
    r"play video\b.{0,200}",
    r"watch the (?:full )?(?:interview|video|segment|clip) (?:here|above|below)\b.{0,200}",
    r"(?:[A-Z .]{2,40}: )?(?:this is democracy now!? )?when we come back,.{0,400}",
    r"write to [\w .'’-]{2,60} at [\w.+-]+@[\w.-]+\.\w+\.?",
    r"send (?:your )?letters to:? .{1,80}",
    r"(?:\d+|an?) (?:years?|months?|weeks?|days?|hours?|minutes?) ago",
    r"this article is more than \d+ (?:years?|months?) old",
    r"(?:updated|posted|published)(?: at| on)? [\d: ]+(?:a\.?m\.?|p\.?m\.?)(?: \w{2,4})?\.?",
    r"\d{1,2}:\d{2} ?(?:a\.?m\.?|p\.?m\.?)(?: et| est| edt| pt| gmt| bst)?\.?",
    # share / print / reprint / listen
    r"(?:listen to (?:this )?article \d{1,2}:\d{2} )?share this article(?: share| tweet| post| email| print)*",
    r"(?:share|tweet|post|email|print|reprints?|comment|save|copy link)(?:\s+(?:share|tweet|post|email|print"
    r"|reprints?|comments?|save|copy link|facebook|twitter|linkedin|whatsapp|reddit))*",
    r"(?:click here (?:for|to request) )?reprint permissions?\.?",
    r"(?:print|email|share) (?:this|the) (?:article|story|page|post)\.?",
    # newsletters, apps, follow-us and donation pitches
    r"(?:\*\*)?.{0,120}\b(?:sign up|subscribe)\b.{0,20}\b(?:here|now|today|newsletters?|inbox|free)\b.{0,200}",
    r"(?:please |you can )?(?:sign up|subscribe)\b.{0,400}",
    r".{0,200}\bsign up to (?:receive|get)\b.{0,300}",
    r"thank you for (?:signing up|subscribing)\b.{0,300}",
    r".{0,160}\b(?:delivered|sent|straight) (?:daily |weekly |right )?to your inbox\b.{0,200}",
    r".{0,160}\bdelivered (?:every )?(?:weekday|daily|weekly|each) (?:mornings?|evenings?|afternoons?)\b.{0,100}",
    r".{0,200}\bby signing up,? you (?:agree|acknowledge)\b.{0,200}",
    r".{0,80}\bnewsletter sign[- ]?up\b.{0,600}",
    r"(?:manage|daily|weekly|breaking news|opinion) newsletters?(?: manage newsletters)?",
    r"click here (?:to|for) .{1,80}",
    r"(?:download|get) the .{1,30} app\b.{0,40}",
    r"-? ?(?:follow (?:us|me|him|her|@\w+|(?:the )?[\w'’ ]{1,40} on (?:facebook|twitter|instagram))|join us|like us)"
    r"\b.{0,100}",
    r"(?:support|donate to|chip in for) .{0,60}\bjournalism\b.{0,300}",
    r"(?:become a (?:member|subscriber|patron)|join the [\w'’ ]{1,40} (?:lab|club|community))\b.{0,300}",
    r".{0,120}\b(?:chip in \$\d|subscribe now for|subscribe today)\b.{0,300}",
    r"got a tip\b.{0,120}",
    r"visit .{1,40}'s homepage for more stories\.?",
    # captions and credits
    r"image (?:copyright|caption|source)\b.{0,300}",
    r"enlarge this image\b.{0,300}|.{0,300}\btoggle caption\b.{0,300}",
    r".{0,300}\b(?:photographer|photo|photograph|image|picture|illustration|video)(?: credit)?s?: [^.!?]{1,80}\.?",
    r".{0,300}\((?:[\w .'’-]+/)?(?:ap|afp|reuters|getty images|epa|upi|bloomberg|efe|ansa)(?: photo| images| pool)?"
    r"(?:/[\w .'’-]+)?\)\.?",
    r".{0,300}\((?:ap |afp |reuters |pool |file )?(?:photo|photograph|image|picture)s?(?: by| credit:?)? [^)]{1,80}\)\.?",
    # a caption ending in its credit: "(Jane Doe/The Daily Example via AP)", "(Photo: Jane Doe/AFP/Getty Images)",
    # "(Provided by the Department of Health)"; "... via Flickr"
    r".{10,500}\((?:photo:\s*)?[^()]{0,80}(?:/|\bvia\s+)(?:ap|afp|reuters|getty images|epa|upi|bloomberg|efe|ansa)"
    r"(?: photo| images| pool)?\)\.?",
    r".{10,500}\((?:photo )?(?:provided by|courtesy of|handout(?: photo)? from) [^()]{1,80}\)\.?",
    r".{0,200}\bvia (?:flickr|flikr|wikimedia(?: commons)?|creative commons|getty images)\.?",
    r"(?:photo|image|video|credit|source|caption)s?: .{1,100}",
    r"(?:file )?photo:.{0,500}",
    r"image\b.{0,300}\bcredit(?:\.\.\.|…|:)?\s.{0,200}",
    r".{0,400}\[[\w .'’-]{1,60}/[\w .'’-]{1,60}\]",                 # "... [Jane Doe/Al Jazeera]"
    r".{0,300} ?[/|] ?(?:getty images|afp via getty images|ap(?: photos?)?|reuters|afp|epa|bloomberg)(?: (?:file|pool))?"
    r"(?: [^.!?]{1,80})?",
    # contributions, disclaimers, notes about the piece
    r"(?:the )?(?:associated press|ap|reuters|cnn|fox news|the hill|afp|bloomberg)(?:'s [\w .]{1,40})?"
    r" contributed (?:to )?this (?:report|story|article)\.?",
    r"contributing:? .{1,120}",
    r".{1,300}\bcontributed (?:to )?(?:this |the )?(?:report|reporting|story|article)\b.{0,100}",
    r"[A-Z][\w'’-]+(?: and [A-Z][\w'’-]+)? (?:reported|wrote) (?:this )?(?:story )?from [A-Z][\w .,'’-]{1,80}\.",
    r"(?:contact|email|reach) (?:the )?(?:reporters?|authors?|writers?|us)\b.{0,200}",
    r"follow .{1,80}\b(?:at|on) (?:https?://|www\.|@|twitter|facebook|instagram).{0,200}",
    r"send (?:us )?(?:a |your )?(?:tips?|facts|questions|story ideas)\b.{0,150}",
    r".{0,300}\b(?:please )?(?:contact|email|e-mail|write to|reach) .{0,80}[\w.+-]+@[\w-]+\.[\w.]+.{0,120}",
    r".{0,300}[^.!?\s]\.? learn more",
    r".{10,400}\. source: [\w .'’/-]{1,60}",
    r"(?:more on|read [\w’'. ]{1,30}'s full|read the full) [\w’'., -]{1,80}",
    r"[—–-]+ ?with assistance (?:by|from) .{1,300}",
    r"\(?(?:additional )?(?:reporting|writing|editing) by [^()]{1,200}\)?\.?",
    r"\([\w .'’-]{1,40}\)",                                     # a bare credit: "(Pixabay)"
    r".{0,120}\bopinions? expressed\b.{0,200}",
    r".{0,120}\bviews expressed\b.{0,200}",
    r"this is an opinion piece\b.{0,200}",
    r"this is a rush transcript\b.{0,120}",
    r"content created by .{1,60} is available without charge\b.{0,400}",
    r"(?:editor['’]?s note|correction|clarification|update)s?:?",
    r"editor['’]?s note:.{10,600}",                              # a note about the piece, a pitch
    r"(?:help us report|tell us (?:more|about|your)|share your (?:story|experience)|do you have (?:a tip|information))"
    r"\b.{0,600}",                                               # a call for readers' tips
    r".{0,300}\blisten\s*·\s*\d{1,2}:\d{2}(?:\s+\d{1,2}:\d{2})?",     # an audio player: "... Listen · 3:30 3:30"
    r".{0,400}\b(?:follow|find) (?:me|us) (?:on|at) (?:twitter|facebook|instagram|@\w+).{0,200}",
    r"(?:\S+\s+){0,12}[\w.+-]+@[\w-]+\.[a-z]{2,}(?:\.[a-z]{2,})?\.?",   # a short line ending in an email address
    r".{0,80}\bfull coverage\b[^.!?]{0,200}",                    # "Jane Doe: Full Coverage Highlights from ..."
    r"(?:copyright|©|\(c\))\s*(?:©\s*)?\d{4}\b.{0,200}",
    r"(?:©|copyright) (?:copyright )?.{1,80}\ball rights reserved\b.{0,200}",
)]
#: Case-sensitive credits at the end of a caption: "... REUTERS/Jane Doe", "... CREDIT: Example.com"; a video
#: blurb under USA TODAY's player ("CLOSE Jane Doe says ...").
_CREDITS = re.compile(r".{0,500}\b(?:REUTERS|CREDIT:|Credit:)\s*/?\s*[A-Z][\w .,'’/-]{1,80}|CLOSE [A-Z\"“].{0,800}"
                      # a caption led by its credit: "Jane Doe/AP Sen. John Roe arrives ..."
                      r"|[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}/(?:AP|AFP|REUTERS|Reuters|Getty Images|EPA|Bloomberg)"
                      r" [A-Z].{10,600}"
                      # a chart's caption: "Title Subtitle ... Sources: Example Index and Example Poll"
                      r"|.{5,300}[^.!?\s] Sources?: [A-Z][\w .,'’/&-]{1,120}"
                      r"|FILE\s*[-–—]\s+.{0,800}|(?:FILE\s*[-–—]\s*)?In this [\w.,' ]{0,60}\bphoto\b.{0,800}")
#: A linked headline in the body: "'A quoted phrase': the rest of a headline" with no final stop.
_QUOTED_HEADLINE = re.compile(r"['‘\"“][^'’\"”]{2,80}['’\"”]:\s+[A-Z][^.!?]{10,200}")
#: A byline or author line of names alone at the top or bottom ("Jane Doe", "Jane Doe and John Roe").
_NAME = r"(?:[A-Z][a-z’'-]+|[A-Z]\.?)(?: (?:[A-Z]\.?|de|van|von|da))?(?: [A-Z][a-z’'-]+){1,2}"
_NAMES = re.compile(rf"(?!By ){_NAME}(?:(?: and| &) {_NAME})*")
#: A name signing off a piece: "-- Jane Doe".
_SIGN_OFF = re.compile(rf"[-—–]{{1,2}} ?{_NAME}")
_SHOW_HIDE = re.compile(r"(?:q&a|profile|timeline|explainer|factbox)\b.{1,120}\bshow hide\b", re.I)
#: An all-capitals headline (a teaser for another story): five words or more, no final full stop.
_CAPS_TEASER = re.compile(r"[^a-z]*[A-Z][^a-z]*")
#: A tagline about the author, at the end: "— Jane Doe is a columnist for ...", "Jane Doe is a fellow at ...".
_TAGLINE = re.compile(
    r"[—–•-]*\s*(?!(?:That|This|It|He|She|They|There|What|Which|Who|Here|Such|Each|One|The|A|An) )"
    r"(?:[A-Z][\w.'’-]+ ){1,4}(?:\([^)]{1,40}\) )?(?:(?:is|was)(?! \w+ed\b)|writes|serves as|teaches|covers|hosts)\b"
    r".{0,200}"   # (not a passive: "O'Brien was fired today and ... former Portland coach" is news)
    r"\b(?:columnist|contributor|author|editor|writer|fellow|professor|host|correspondent|reporter|director"
    r"|president|founder|chairman|analyst|commentator|journalist|senior|former)\b.{0,300}")
#: A short biography: "Jane Doe is an attorney who ...", "Jane Doe is a classicist and historian with ..."
_BIO = re.compile(r"[—–•-]*\s*(?!(?:That|This|It|He|She|They|There|What|Which|Who|Here|Such|Each|One|The|A|An|Mr|Mrs|Ms"
                  r"|Dr)\b)(?:[A-Z][\w.'’-]+ ){1,3}is (?:an?|the) (?:[\w-]+ ){0,3}(?:attorney|lawyer|adviser|advisor"
                  r"|strategist|consultant|scholar|economist|historian|researcher|classicist|co-?founder)\b.{0,300}")
_BOXED = re.compile(r"\*{3,}[^*]{0,400}\*{3,}")
#: A photo gallery flattened into one line: "Photos: ... Hide Caption 1 of 6 ..." (any length).
_GALLERY = re.compile(r"\bHide Caption \d+ of \d+\b", re.I)
#: A link to another story glued to its label: "More:Example headline", "Jane Doe:Example headline" (no space
#: after the colon: the label and the link were two elements).
_GLUED_LINK = re.compile(r"[A-Z][\w.'’&-]*(?: [\w.'’&-]+){0,4}[a-z]:[A-Z“\"‘'][^\n]{10,250}")
#: A headline linked under a label, standing alone in the body: "Policy: Here's how a plan would work",
#: "Opinion: 5 reasons why ..." (a label of a few words, a headline of five or more, no final stop).
_LABELLED_HEADLINE = re.compile(r"(?P<label>[A-Z][\w.'’&-]*(?: [\w.'’&-]+){0,2}): [A-Z0-9][^.!?:;]{20,180}"
                                r"[^.!?:;,\"”\s]")
_FOLLOW_ME = re.compile(r"\b(?:follow (?:him|her|them|me) (?:on|at)|you can (?:follow|reach|email)|@\w{2,}|[\w.]+@[\w.]+\.\w+)",
                        _I)


def _stripped(line: str) -> str:
    return line.strip().strip("•·|*_>#=~").strip()


def pattern_rule(line: str, *, at_end: bool = False, edge: bool = False) -> str | None:
    """``"boilerplate"`` (or ``teaser``, ``linked-headline``, ``tagline``, ``byline``) when ``line`` is
    boilerplate of pre-extracted text by pattern, else ``None``.

    ``at_end``: the line is among the article's last lines (where author taglines stand); ``edge``:
    among its first or last lines (where a line of names alone is a byline, not a speaker's label)."""
    if _BOXED.fullmatch(line.strip()):
        return "boilerplate"      # a note set off by rows of asterisks ("***** Don't forget: ... *****")
    s = _stripped(line)
    if not s:
        return "boilerplate" if line.strip() else None   # a rule of marks: "___", "* * *"
    words = s.split()
    if _SHOW_HIDE.match(s):
        return "boilerplate"      # an explainer box reused across articles ("Q&A What is ...? Show Hide ...")
    if _GALLERY.search(s):
        return "boilerplate"
    if len(s) > 700:
        return None
    if any(p.fullmatch(s) for p in _LINES) or _CREDITS.fullmatch(s):
        return "boilerplate"
    if _QUOTED_HEADLINE.fullmatch(s) and len(words) >= 8:
        return "teaser"
    if (edge and _NAMES.fullmatch(s)) or _SIGN_OFF.fullmatch(line.strip()):
        return "byline"
    if len(words) <= 35 and _GLUED_LINK.fullmatch(s):
        return "linked-headline"
    if 6 <= len(words) <= 30 and (m := _LABELLED_HEADLINE.fullmatch(s)) and len(m["label"].split()) <= 3 \
            and not m["label"].isupper() and not any(c.isdigit() for c in m["label"]):
        # not "JANE DOE: But ..." (a transcript's speaker), "ISSUE: ..." (a fact box), "Dec. 4: ..." (a timeline)
        return "linked-headline"
    if len(words) >= 6 and _CAPS_TEASER.fullmatch(s) and sum(c.isalpha() for c in s) >= 15 \
            and not s.endswith((".", "”", '"', "?", ":")) and not re.match(r"\d+[.)] ", s):
        return "teaser"
    if at_end and len(words) <= 90 and _TAGLINE.match(s) and (len(words) <= 40 or _FOLLOW_ME.search(s)):
        return "tagline"
    if at_end and len(words) <= 40 and _BIO.match(s):
        return "tagline"
    return None


# -- learned from repetition ---------------------------------------------------------------------------

def line_key(line: str) -> str:
    """A line as compared across articles: words only, case-folded, any year the same ("© 2019" = "© 2024")."""
    return " ".join(_WORD.findall(_YEAR.sub("year", line.casefold())))


def fingerprint(line: str) -> int:
    """A 63-bit fingerprint of ``line`` (of its :func:`line_key`), as SQLite stores integers."""
    return int.from_bytes(hashlib.blake2b(line_key(line).encode(), digest_size=8).digest(), "big") >> 1


def countable(text: str, blocks: tuple[Block, ...]) -> tuple[list[tuple[int, str]], list[int]]:
    """What an article offers to learning: ``(fingerprint, line)`` of each distinct block short enough to
    be boilerplate, and which of those are long paragraphs (to tell a copy of an article already counted)."""
    short: dict[int, str] = {}
    long: list[int] = []
    for b in blocks or (Block("paragraph", 0, len(text)),):
        line = text[b.start:b.end]
        n = len(line_key(line).split())
        if not n or (b.kind == "heading" and is_format_heading(line)):
            continue
        fp = fingerprint(line)
        if n <= MAX_LEARNED_WORDS:
            short.setdefault(fp, line)
            if n >= COPY_CHECK_WORDS:
                long.append(fp)
    return list(short.items()), long


def is_format_heading(line: str) -> bool:
    """A subhead of the outlet's format ("What's next", "From the Left"): repeated, yet structure. A run of
    capitalised words alone ("Jane Doe", "USA TODAY") is a byline or a label, not a subhead."""
    words = _WORD.findall(line)
    return len(words) >= 2 and any(w[0].islower() for w in words) and not line.rstrip().endswith(":")


def drop_learned(text: str, blocks: tuple[Block, ...], learned: frozenset[int]
                 ) -> tuple[str, tuple[Block, ...], tuple[RemovedLine, ...]]:
    """The text without the blocks whose fingerprint is in ``learned`` (and the removed lines)."""
    if not learned:
        return text, blocks, ()
    parts: list[tuple[str, str]] = []
    removed: list[RemovedLine] = []
    for b in blocks:
        line = text[b.start:b.end]
        if fingerprint(line) in learned and not (b.kind == "heading" and is_format_heading(line)):
            removed.append(RemovedLine(line, "learned"))
        else:
            parts.append((b.kind, line))
    if not removed:
        return text, blocks, ()
    new_text, new_blocks = assemble(parts)
    return new_text, new_blocks, tuple(removed)


def is_learned(line: str, learned: LearnedLines | None, outlet: str | None, domain: str | None = None) -> bool:
    """The cheap check for later stages: is ``line`` a line this outlet repeats across its articles?"""
    return bool(learned) and fingerprint(line) in learned.lines(outlet, domain)


def learned_sentences(text: str, sentences: list[tuple[int, int]], lines: frozenset[int]) -> set[int]:
    """Indexes of the ``sentences`` (offsets into ``text``) that stand in a paragraph learned as boilerplate."""
    if not lines:
        return set()
    out = set()
    learned: dict[tuple[int, int], bool] = {}  # per paragraph: its sentences share one fingerprint
    for i, (start, end) in enumerate(sentences):
        p0 = text.rfind("\n", 0, start) + 1
        p1 = text.find("\n", end)
        found = learned.get((p0, p1))
        if found is None:
            found = learned[(p0, p1)] = fingerprint(text[p0:p1 if p1 >= 0 else len(text)]) in lines
        if found:
            out.add(i)
    return out
