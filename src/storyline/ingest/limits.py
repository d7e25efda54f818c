"""Limits wherever hostile input expands, and repairs of what would break a later stage.

- JSON: numbers longer than ``max_json_number_chars`` and nesting deeper than
  ``max_json_depth`` are refused with their own codes (Python itself raises
  ``ValueError`` past 4,300 digits and ``RecursionError`` past ~1,000 levels);
- HTML: a start tag with more than ``max_attributes`` attributes keeps the
  first ones (parsers are quadratic in attributes per element: 50,000 took
  13 s); a page or fragment with more than ``max_elements`` elements, and
  pre-extracted text over twice ``max_text_chars``, are skipped before
  cleaning (extraction is linear but slow: 500,000 elements took 3 minutes);
- feeds: numeric character references that name no character (surrogates,
  past U+10FFFF) become U+FFFD before feedparser sees them (it crashes on them);
- text: lone surrogates (from JSON ``\\ud800`` escapes or undecodable file
  names) become U+FFFD, so that no document or skip fails to be stored.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import re
from typing import Any, AnyStr

from ..errors import DecodeError, TooLarge
from ..records import RawDocument, Skip
from ..settings import Settings

_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str | None) -> str | None:
    """``text`` with every lone surrogate replaced by U+FFFD (UTF-8 and SQLite refuse them)."""
    if text and _SURROGATE.search(text):
        return _SURROGATE.sub("\ufffd", text)
    return text


def scrub_skip(item: Skip) -> Skip:
    origin, reason = scrub(item.origin) or "", scrub(item.reason) or ""
    if origin is item.origin and reason is item.reason:
        return item
    return Skip(origin, item.code, reason)


_START_TAG = re.compile(r"<[A-Za-z]")


def safe_document(doc: RawDocument, settings: Settings) -> RawDocument | Skip:
    """``doc`` with lone surrogates replaced in every text field and, for markup, attributes per element capped;
    a ``Skip`` when it is too big to clean in reasonable time: pre-extracted text over twice ``max_text_chars``
    (its clean text could not fit), markup with more than ``max_elements`` elements (page extraction costs about
    a quarter of a millisecond per element: 500,000 took three minutes)."""
    if doc.fmt == "text" and len(doc.body) > 2 * settings.max_text_chars:
        return Skip(scrub(doc.origin) or "", "too-large", f"pre-extracted text of {len(doc.body):,} characters, "
                    f"over twice the {settings.max_text_chars:,} a clean text may hold (setting max_text_chars)")
    if doc.fmt in ("html", "fragment") and doc.body.count("<") > settings.max_elements:
        elements = _START_TAG.subn("", doc.body)[1]  # counted without a match object each
        if elements > settings.max_elements:
            return Skip(scrub(doc.origin) or "", "too-many-elements",
                        f"markup with {elements:,} elements, over the {settings.max_elements:,} cap "
                        "(setting max_elements)")
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(doc):
        value = getattr(doc, f.name)
        if isinstance(value, str):
            clean = scrub(value)
            if clean is not value:
                changes[f.name] = clean
    if doc.fmt in ("html", "fragment"):
        body = changes.get("body", doc.body)
        capped = cap_attributes(body, settings.max_attributes)
        if capped is not body:
            changes["body"] = capped
    return dataclasses.replace(doc, **changes) if changes else doc


# -- JSON -------------------------------------------------------------------------------------------


class _LongNumber(Exception):
    """A JSON number past the digit limit (raised inside the parser, reported as ``json-number``)."""


def _bounded(kind: type, cap: int) -> Any:
    def parse(digits: str) -> Any:
        if len(digits) > cap:
            raise _LongNumber(len(digits))
        try:
            return kind(digits)
        except ValueError:  # over Python's own 4,300-digit limit (a cap set above it)
            raise _LongNumber(len(digits)) from None
    return parse


def load_json(data: str | bytes, settings: Settings, what: str) -> Any:
    """``json.loads`` within the number-size and depth limits; ``TooLarge``/``DecodeError`` past them.

    Other malformed JSON raises ``json.JSONDecodeError`` (or ``UnicodeDecodeError``) as ``json.loads`` does.
    """
    cap = settings.max_json_number_chars
    try:
        value = json.loads(data, parse_int=_bounded(int, cap), parse_float=_bounded(float, cap))
    except _LongNumber as exc:
        raise TooLarge(f"{what} holds a number of {exc.args[0]:,} characters, over the {cap:,}-character cap "
                       "(setting max_json_number_chars)", code="json-number") from None
    except RecursionError:
        raise DecodeError(f"{what} nests arrays and objects too deeply to read (over "
                          f"{settings.max_json_depth:,} levels; setting max_json_depth)", code="json-depth") from None
    check_depth(value, data, settings.max_json_depth, what)
    return value


def check_depth(value: Any, source: str | bytes, limit: int, what: str) -> None:
    """Raise ``DecodeError`` when ``value`` nests arrays and objects deeper than ``limit`` (iterative walk)."""
    if not isinstance(value, (list, dict)):
        return
    opening = ("[", "{") if isinstance(source, str) else (b"[", b"{")
    if source.count(opening[0]) + source.count(opening[1]) <= limit:  # type: ignore[arg-type]
        return  # cannot be deeper than the brackets it holds
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise DecodeError(f"{what} nests arrays and objects more than {limit:,} levels deep "
                              "(setting max_json_depth)", code="json-depth")
        for child in (node.values() if isinstance(node, dict) else node):
            if isinstance(child, (list, dict)):
                stack.append((child, depth + 1))


# -- HTML attributes --------------------------------------------------------------------------------

# A start tag's attributes as an HTML parser reads them: names run to white space, "/", ">" or "=" (a "<"
# is part of a name); values are quoted or run to white space. Every quantifier is possessive: no
# backtracking, so a scan costs the length of the tag it reads.
_ATTR = r"""[\s/]*+[^\s/>=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+))?+"""
_NAME = r"<[A-Za-z][^\s/>]*+"
_TAGS: dict[tuple[int, type], re.Pattern[Any]] = {}
CAP_PASSES = 16  # passes of the cap over one page at most (each costs the page's length)


def cap_attributes(markup: AnyStr, limit: int) -> AnyStr:
    """``markup`` (text, or bytes in an ASCII-compatible encoding) with every start tag cut to its first ``limit``
    attributes; the same object when no tag has more."""
    if limit <= 0 or len(markup) < 2 * limit:
        return markup
    key = (limit, type(markup))
    pattern = _TAGS.get(key)
    if pattern is None:
        # the attributes past the limit go with whatever else the tag holds up to its "/>" or ">" (a stray "="
        # left behind would join the last kept value on a second reading)
        source = f"({_NAME}(?:{_ATTR}){{{limit}}})(?:{_ATTR})++(?:[^>/]|/(?!>))*+"
        pattern = _TAGS[key] = re.compile(source if isinstance(markup, str) else source.encode())
    if not pattern.search(markup):
        return markup
    keep = r"\1" if isinstance(markup, str) else rb"\1"
    # a "<" inside a capped tag's kept attributes may start a tag of its own once the rest is gone: cap
    # again until nothing changes (capping twice must change nothing), at most CAP_PASSES times
    for _ in range(CAP_PASSES):
        capped = pattern.sub(keep, markup)
        if capped == markup:
            break
        markup = capped
    return markup


# -- feeds ------------------------------------------------------------------------------------------

_CHARREF = re.compile(rb"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));?")


def _charref(m: re.Match[bytes]) -> bytes:
    hex_digits, digits = m.group(1), m.group(2)
    text = (hex_digits or digits).lstrip(b"0") or b"0"
    if len(text) > 8:
        return b"&#xFFFD;"
    cp = int(text, 16 if hex_digits else 10)
    if cp == 0 or cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
        return b"&#xFFFD;"
    return m.group(0)


def fix_charrefs(data: bytes) -> bytes:
    """Feed bytes with numeric character references to no character (``&#xD800;``, ``&#99999999999;``) as U+FFFD."""
    if b"&#" not in data:
        return data
    return _CHARREF.sub(_charref, data)


_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
              (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED = re.compile(rb"""^(\s*<\?xml[^>]{0,200}?encoding\s*=\s*["'])[^"']{0,40}""")


def safe_feed(data: bytes, settings: Settings) -> bytes:
    """Feed bytes feedparser can be trusted with: UTF-16/32 as UTF-8 (so that the repairs below see the markup),
    character references to no character as U+FFFD, attributes per element capped (its XML parser looks each
    attribute up among all the others: quadratic)."""
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                break  # left as it is: feedparser reports it
            data = _DECLARED.sub(rb"\1utf-8", text.encode("utf-8", "surrogatepass"), count=1)
            break
    return cap_attributes(fix_charrefs(data), settings.max_attributes)
