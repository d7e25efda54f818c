"""Text hygiene applied to every piece of clean text: invisible debris out, mojibake repaired, NFC.

``tidy`` is idempotent and cheap on clean text (each step starts with a
quick test). Steps:

1. soft hyphens (U+00AD) and stray byte-order marks / zero-width spaces are removed
   (joiners U+200C/U+200D stay: scripts and emoji need them);
2. words that are UTF-8 read as windows-1252, Latin-1 or windows-1251 (``fÃ¼r``,
   ``â€œ``, ``Ð¿Ñ€Ð¸``) are read back as UTF-8 when that gives ordinary letters
   and punctuation, as many times as the text was mis-read (``ObamaÃ¢â‚¬â„¢s``, UTF-8
   read as windows-1252 twice, is ``Obama’s``; about 1 title in 120 of allsides-12k);
   the five bytes windows-1252 leaves undefined stand for themselves, as decoders
   leave them (``â€\\x9d`` is ``”``); ``mojibake_words`` finds such words (the bench counts them);
3. C1 control characters (U+0080-U+009F) left, the trace of windows-1252 text read as
   Latin-1, become the windows-1252 characters they stand for (``\\x92`` -> ``'``);
4. the text is put in Unicode normal form C (``e`` + combining acute -> ``é``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from ..records import RawDocument

_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
_C1 = re.compile("[\u0080-\u009f]")
# Words (runs of characters up to white space or markup punctuation); the ones holding a non-ASCII character are
# the candidates. Matched whole and filtered, not as "a run with a non-ASCII character in it": that pattern is
# retried from every position of a long ASCII run (quadratic: a 600,000-character run took a minute).
_WORD = re.compile(r"[^\s<>\"'=]+")
#: Characters that start a mojibake pair: the windows-1252 / Latin-1 reading of a UTF-8 lead byte
#: (``Â Ã Ä Å Æ Ç ... â ã``, ``ð`` for emoji), or its windows-1251 reading (``Ð Ñ Ã``, ``Р С``).
_MOJIBAKE_LEAD = re.compile("[\u00c2-\u00df\u00e2-\u00ef\u00f0-\u00f4\u0402-\u042f]")
_MOJIBAKE_ENCODINGS = ("cp1252", "latin-1", "cp1251")
MAX_LAYERS = 3  # times a word may have been mis-read (UTF-8 -> windows-1252 -> UTF-8 -> ...)


def _c1(match: re.Match) -> str:
    try:
        return bytes([ord(match.group())]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: no character in windows-1252 either
        return ""


def _plausible(char: str) -> bool:
    """A character real text has often: letters of Latin/Greek/Cyrillic, general punctuation, symbols, emoji."""
    cp = ord(char)
    return (cp < 0x80 or 0xa0 <= cp <= 0x24f or 0x370 <= cp <= 0x52f or 0x2000 <= cp <= 0x20cf
            or 0x2100 <= cp <= 0x215f or 0x1f000 <= cp <= 0x1faff or 0x2600 <= cp <= 0x27bf)


def _encoded(word: str, encoding: str) -> bytes:
    """``word`` in ``encoding``; in windows-1252 the five bytes it leaves undefined (0x81, 0x8d, 0x8f, 0x90,
    0x9d), which decoders pass through as U+0081 ..., stand for themselves. Raises ``UnicodeEncodeError``."""
    if encoding != "cp1252" or not _C1.search(word):
        return word.encode(encoding)
    return b"".join(c.encode("latin-1") if "\x80" <= c <= "\x9f" else c.encode("cp1252") for c in word)


def _read_back(word: str) -> str | None:
    """One layer undone: the word's bytes in the first code page that gives valid UTF-8; else ``None``."""
    for encoding in _MOJIBAKE_ENCODINGS:
        try:
            fixed = _encoded(word, encoding).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != word:
            return fixed
    return None


def _unmangle(word: str) -> str | None:
    """The word read back as UTF-8, as many times as it was UTF-8 mis-read as a legacy code page (at most
    ``MAX_LAYERS``), when that gives ordinary letters and punctuation; else ``None``."""
    fixed = word
    for _ in range(MAX_LAYERS):
        if not _MOJIBAKE_LEAD.search(fixed) or (again := _read_back(fixed)) is None:
            break
        fixed = again
    return fixed if fixed != word and all(_plausible(c) for c in fixed) else None


def mojibake_words(text: str) -> list[str]:
    """Words of ``text`` that are mis-decoded: UTF-8 read as a legacy code page, or holding U+FFFD."""
    return [w for w in _WORD.findall(text) if not w.isascii() and ("\ufffd" in w or _unmangle(w) is not None)]


def _repair_word(match: re.Match) -> str:
    word = match.group()
    return word if word.isascii() else _unmangle(word) or word


def tidy(text: str) -> str:
    """``text`` with soft hyphens and zero-width debris removed, mojibake repaired, in NFC."""
    if text.isascii():
        return text
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if _MOJIBAKE_LEAD.search(text):   # before C1 characters are read: some are bytes of a mis-read word
        text = _WORD.sub(_repair_word, text)
    if _C1.search(text):
        text = _C1.sub(_c1, text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def tidy_field(value: str | None) -> str | None:
    """``tidy`` for an optional metadata field (title, author, outlet)."""
    return tidy(value) if value else value


def tidy_fields(raw: RawDocument) -> RawDocument:
    """A document with its metadata fields (title, author, outlet) tidied; its body is tidied as it is assembled."""
    fields = {name: tidy(value) for name in ("title", "author", "outlet")
              if (value := getattr(raw, name)) and not value.isascii()}
    return replace(raw, **fields) if fields else raw
