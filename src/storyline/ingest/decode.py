"""Bytes to text for every reader: size caps, gzip, binary detection, encodings, format sniffing."""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import re
import zlib
from pathlib import Path
from typing import BinaryIO, Literal

from charset_normalizer import from_bytes

from ..errors import DecodeError, EmptyInput, TooLarge, UnsupportedInput

Kind = Literal["html", "text", "json", "feed", "warc"]

_EXTENSIONS: dict[str, Kind] = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".json": "json", ".jsonl": "json", ".ndjson": "json",
    ".xml": "feed", ".rss": "feed", ".atom": "feed", ".rdf": "feed",
    ".warc": "warc", ".arc": "warc",
}
_MAGIC_BINARY = {
    b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive", b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"\x7fELF": "an executable",
    b"BZh": "a bzip2 archive", b"\xfd7zXZ": "an xz archive", b"PAR1": "a Parquet file",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-:]+)""", re.I)
GZIP_MAGIC = b"\x1f\x8b"
#: Encodings tried when a text is not UTF-8: the legacy ones news sites actually use. Keeping the list
#: short stops a detector from picking a rare code page (Baltic, Turkish) for West-European text.
LEGACY_ENCODINGS = ["cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "iso8859_5", "cp1250", "iso8859_2",
                    "cp1253", "cp1254", "cp1256", "iso8859_9", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr"]


_OTHER_LATIN = {"cp1250", "iso8859_2", "cp1257", "iso8859_4", "iso8859_13", "cp1254", "iso8859_9", "latin_1",
                "iso8859_15", "mac_latin2", "mac_roman", "cp850", "cp852"}
_CENTRAL_EUROPEAN = {"Polish", "Czech", "Slovak", "Hungarian", "Croatian", "Slovene", "Romanian", "Turkish",
                     "Lithuanian", "Latvian", "Estonian"}


def raw_fingerprint(*parts: str | None) -> str:
    """A stable hash of an input's origin, metadata and body (for idempotent re-runs)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update((part or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def kind_from_name(name: str) -> Kind | None:
    """The format a file name promises, looking through ``.gz``."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return _EXTENSIONS.get(Path(lower).suffix)


def sniff(head: bytes) -> Kind | None:
    """The format the first bytes of an input show, or ``None`` when they show nothing known."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    low = start.lower()
    if start.startswith(b"WARC/"):
        return "warc"
    if start[:1] in (b"{", b"["):
        return "json"
    if low.startswith(b"<?xml") or low.startswith(b"<rss") or low.startswith(b"<feed"):
        if b"<rss" in low or b"<feed" in low or b"<rdf:rdf" in low:
            return "feed"
        if b"<html" in low:
            return "html"
    if low.startswith(b"<!doctype html") or b"<html" in low[:1024] or low.startswith(b"<head") or low.startswith(b"<body"):
        return "html"
    return None


def check_binary(data: bytes, what: str) -> None:
    """Raise ``UnsupportedInput`` when ``data`` is a known binary format or not text at all."""
    for magic, name in _MAGIC_BINARY.items():
        if data.startswith(magic):
            raise UnsupportedInput(f"{what} is {name}, not text", code="binary")
    sample = data[:8192]
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnsupportedInput(f"{what} is binary (contains NUL bytes), not text", code="binary")


def gunzip(data: bytes, limit: int, what: str) -> bytes:
    """Decompress gzip data, refusing more than ``limit`` bytes and reporting truncation."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as exc:
        raise DecodeError(f"{what} is not valid gzip: {exc}", code="bad-gzip") from None
    if len(out) > limit:
        raise TooLarge(f"{what} decompresses to more than {limit:,} bytes", code="too-large")
    if not d.eof:
        raise DecodeError(f"{what} is a truncated gzip file (ends before the end of the stream)", code="truncated")
    return out


def gzip_peek(head: bytes, what: str, size: int = 4096) -> bytes:
    """The first ``size`` decompressed bytes of a gzip stream given by its first bytes (no end needed)."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(head, size)
    except zlib.error as exc:
        raise DecodeError(f"{what} is not readable gzip: {exc}", code="bad-gzip") from None
    if not out:
        if d.eof:
            raise EmptyInput(f"{what} is an empty gzip file")
        raise DecodeError(f"{what} is not readable gzip: it ends before any data", code="bad-gzip")
    return out


def gzip_intact(path: Path | BinaryIO, what: str = "", chunk: int = 1 << 20) -> None:
    """Raise ``DecodeError`` when a (multi-member) gzip file is cut or corrupt; streams, keeps nothing."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    started = False
    try:
        with (path.open("rb") if isinstance(path, Path) else contextlib.nullcontext(path)) as fh:
            while block := fh.read(chunk):
                while block:
                    started = True
                    d.decompress(block, 1 << 22)
                    while d.unconsumed_tail:
                        d.decompress(d.unconsumed_tail, 1 << 22)
                    if d.eof:
                        block = d.unused_data
                        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                        started = False
                    else:
                        block = b""
    except zlib.error as exc:
        raise DecodeError(f"{what or path} is corrupt gzip: {exc}", code="truncated") from None
    if started:
        raise DecodeError(f"{what or path} is a truncated gzip file (ends inside a compressed member)", code="truncated")


def bytes_of(data: bytes, limit: int, what: str) -> bytes:
    """A file's bytes already read (by Spark, say), checked as ``read_file`` checks a file: empty, cap, gzip."""
    if not data:
        raise EmptyInput(f"{what} is empty", code="empty")
    if len(data) > limit:
        raise TooLarge(f"{what} is {len(data):,} bytes, over the {limit:,}-byte cap (setting max_input_bytes)")
    return gunzip(data, limit, what) if data.startswith(GZIP_MAGIC) else data


def read_file(path: Path, limit: int) -> bytes:
    """The bytes of a file (gunzipped when it is gzip), within the size cap."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnsupportedInput(f"cannot read {path}: {exc.strerror}", code="unreadable") from None
    if size == 0:
        raise EmptyInput(f"{path} is empty", code="empty")
    if size > limit:
        raise TooLarge(f"{path} is {size:,} bytes, over the {limit:,}-byte cap (setting max_input_bytes)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnsupportedInput(f"cannot read {path}: {exc.strerror}", code="unreadable") from None
    if data.startswith(GZIP_MAGIC):
        data = gunzip(data, limit, str(path))
    return data


def decode_text(data: bytes, what: str, *, html: bool = False) -> tuple[str, str]:
    """Decode bytes to ``(text, encoding)``: BOM, UTF-8, declared HTML charset, then detection.

    Decoding works per region, never the whole page for one bad byte:

    1. a byte-order mark decides;
    2. valid UTF-8 is UTF-8 (whatever a page declares);
    3. mostly UTF-8 (at least as many well-formed multi-byte characters as stray
       bytes) is UTF-8 with each stray byte read in a legacy code page: the one the
       page declares, else the one that fits the script of its UTF-8 text
       (encoding ``utf-8+cp1252``, say);
    4. otherwise the declared charset (read as browsers do: ``iso-8859-1`` is
       windows-1252, ``gb2312`` is gb18030), else the detected one; UTF-8 islands
       in a windows-1252 page (``Ã¼`` for ``ü``) are read as UTF-8.

    Raises ``EmptyInput`` for nothing but white space, ``UnsupportedInput`` for
    binary data and ``DecodeError`` when no encoding fits.
    """
    if not data.strip():
        raise EmptyInput(f"{what} is empty", code="empty")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise DecodeError(f"{what} has a {enc} byte-order mark but is not valid {enc}: {exc.reason}") from None
    check_binary(data, what)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data) if html else None
    mixed = _mostly_utf8(data, declared)
    if mixed is not None:
        return mixed
    if declared and declared != "utf-8":
        text = _decode_legacy(data, declared)
        if text is not None:
            return _utf8_islands(data, declared, text)
    best = from_bytes(data[:200_000], cp_isolation=LEGACY_ENCODINGS).best()
    if best is None or best.encoding is None:
        raise DecodeError(f"{what} is not valid UTF-8 and no other text encoding fits it", code="encoding")
    encoding = best.encoding
    if encoding in _OTHER_LATIN and best.language not in _CENTRAL_EUROPEAN:
        # Mostly-ASCII text with a few accents fits several Latin code pages equally well; unless the
        # detector heard a Central-European language, the West-European page is by far the likelier.
        encoding = "cp1252"
    text = _decode_legacy(data, encoding)
    if text is None:
        raise DecodeError(f"{what} is not valid UTF-8 and not valid {best.encoding} either", code="encoding")
    return _utf8_islands(data, encoding, text)


#: Charset labels pages use that browsers read with another decoder (the WHATWG Encoding Standard).
_LABELS = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "iso_8859-1": "cp1252", "latin1": "cp1252",
    "latin-1": "cp1252", "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "cp819": "cp1252",
    "ibm819": "cp1252", "iso-8859-9": "cp1254", "latin5": "cp1254", "gb2312": "gb18030", "gbk": "gb18030",
    "x-gbk": "gb18030", "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "windows-31j": "cp932", "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "tis-620": "cp874",
    "iso-8859-11": "cp874", "big5": "big5hkscs", "utf8": "utf-8", "unicode": "utf-8", "utf-16": "utf-8",
    "utf-16le": "utf-8", "utf-16be": "utf-8",
}
#: Single-byte code pages a stray byte in a UTF-8 page is read in, by the script of the page's text.
_SCRIPT_PAGES = (
    ("cp1251", re.compile("[\u0400-\u04ff]")),
    ("cp1253", re.compile("[\u0370-\u03ff]")),
    ("cp1250", re.compile("[ąćęłńśźżĄĆĘŁŃŚŹŻčďěňřšťůžČĎĚŇŘŠŤŮŽőűŐŰĺľŕĹĽŔăţȚțĂ]")),
    ("cp1254", re.compile("[ğışİĞŞ]")),
    ("cp1255", re.compile("[\u0590-\u05ff]")),
    ("cp1256", re.compile("[\u0600-\u06ff]")),
)
_ESCAPED = re.compile("[\udc80-\udcff]+")
_WIDE = re.compile("[^\x00-\x7f]")
_WESTERN = {"cp1252", "iso8859-15", "iso8859-1"}
#: A well-formed UTF-8 character of Latin-1 letters or general punctuation: in a windows-1252 page it reads
#: as two or three odd characters (``Ã¼``, ``â€™``) that real text never has.
_UTF8_ISLAND = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe2[\x80-\x82][\x80-\xbf]|\xe2\x84\xa2")


def declared_charset(data: bytes) -> str | None:
    """The charset a page's ``<meta>`` declares, as the Python codec browsers would use; ``None`` if none or unknown."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    label = m.group(1).decode("ascii", "ignore").lower()
    label = _LABELS.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name.startswith("utf") else name


def _single_byte(encoding: str) -> bool:
    try:
        return len(bytes(range(0x80, 0x100)).decode(encoding, "replace")) == 0x80
    except LookupError:
        return False


def _as_latin1(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start:exc.end].decode("latin-1"), exc.end


codecs.register_error("storyline-latin1", _as_latin1)


def _legacy_bytes(raw: bytes, encoding: str) -> str:
    """Bytes in a single-byte code page; a byte the page leaves undefined is read as Latin-1 (as browsers do)."""
    return raw.decode(encoding, "storyline-latin1")


def _mostly_utf8(data: bytes, declared: str | None) -> tuple[str, str] | None:
    """UTF-8 with its stray bytes read in a legacy code page, when the page is mostly UTF-8; else ``None``."""
    text = data.decode("utf-8", "surrogateescape")
    stray = sum(len(m) for m in _ESCAPED.findall(text))
    wide = len(_WIDE.findall(text)) - stray
    if wide == 0 or wide < stray:
        return None
    fallback = declared if declared and declared != "utf-8" and _single_byte(declared) else None
    if fallback is None:
        fallback = "cp1252"
        counts = [(len(pattern.findall(text)), page) for page, pattern in _SCRIPT_PAGES]
        count, page = max(counts)
        if count:
            fallback = page
    repaired = _ESCAPED.sub(lambda m: _legacy_bytes(bytes(ord(c) - 0xdc00 for c in m.group()), fallback), text)
    return repaired, f"utf-8+{fallback}"


def _decode_legacy(data: bytes, encoding: str) -> str | None:
    """``data`` in a legacy encoding (undefined bytes of a single-byte page as Latin-1); ``None`` if it does not fit."""
    try:
        return data.decode(encoding)
    except LookupError:
        return None
    except UnicodeDecodeError:
        return _legacy_bytes(data, encoding) if _single_byte(encoding) else None


def _utf8_islands(data: bytes, encoding: str, text: str) -> tuple[str, str]:
    """A windows-1252 page's UTF-8 islands read as UTF-8 (a template or a pasted paragraph in UTF-8)."""
    name = codecs.lookup(encoding).name
    if name not in _WESTERN or not _UTF8_ISLAND.search(data):
        return text, encoding
    out: list[str] = []
    pos = 0
    for m in _UTF8_ISLAND.finditer(data):
        out.append(_legacy_bytes(data[pos:m.start()], encoding))
        out.append(m.group().decode("utf-8"))
        pos = m.end()
    out.append(_legacy_bytes(data[pos:], encoding))
    return "".join(out), f"{encoding}+utf-8"
