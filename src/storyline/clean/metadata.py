"""Article metadata: canonical URLs, outlet names and domains, language, stable ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid|ocid|smid|at_medium|at_campaign)$",
                       re.I)
_STOPWORDS = {
    "en": "the and of to in is that for on with as was by it at from he said are be has have this his an".split(),
    "de": "der die und das ist nicht mit von den zu ein eine sich auf dem des im für auch wird".split(),
    "fr": "le la les et des est une du en que pour dans qui pas sur au il avec ce sont".split(),
    "es": "el la los las de que y en un una es por con para del se al lo como más pero".split(),
    "it": "il di che la per è un una non sono del della con gli si le da ma anche".split(),
    "pt": "o a os as de que e do da em um uma para com não por se mais foi ao".split(),
    "nl": "de het een en van is dat op te in voor niet met zijn er aan ook".split(),
    "ro": "și în de la cu că pe un o este din care pentru nu mai sunt au fost".split(),
}
_STOPWORDS = {lang: frozenset(words) for lang, words in _STOPWORDS.items()}
_LETTERS = re.compile(r"[^\W\d_]", re.U)
_LATIN_WORD = re.compile(r"[^\W\d_]+", re.U)
_UKRAINIAN = re.compile("[ієїґІЄЇҐ]")
_SCRIPTS = [(code, re.compile(f"[{lo}-{hi}]")) for code, lo, hi in (
    ("ru", "\u0400", "\u04ff"), ("el", "\u0370", "\u03ff"), ("ar", "\u0600", "\u06ff"),
    ("he", "\u0590", "\u05ff"), ("zh", "\u4e00", "\u9fff"), ("ja", "\u3040", "\u30ff"),
    ("ko", "\uac00", "\ud7af"))]


def normalise_url(url: str | None) -> str | None:
    """Lower-case scheme and host, no ``www.``, no fragment, no tracking parameters, no trailing slash."""
    if not url or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # raises for a port that is no number ("host:1:1") or out of range
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https" if parts.scheme.lower() == "https" else "http", host, path, query, ""))


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower().removeprefix("www.") if host else None


def clean_outlet(name: str | None) -> str | None:
    """An outlet name as given, tidied: white space folded, a domain-looking name lower-cased."""
    if not name:
        return None
    name = " ".join(name.split()).lstrip("@")
    if re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+", name):
        return name.lower().removeprefix("www.")
    return name or None


def detect_language(text: str) -> str | None:
    """A language code from the alphabet (Cyrillic, Greek, CJK, ...) or stop words (Latin script); ``None`` if unsure."""
    sample = text[:3000]
    n_letters = len(_LETTERS.findall(sample))
    if n_letters < 20:
        return None
    for code, pattern in () if sample.isascii() else _SCRIPTS:
        share = len(pattern.findall(sample)) / n_letters
        if share > 0.3:
            if code == "ru" and _UKRAINIAN.search(sample):
                return "uk"
            return code
    words = _LATIN_WORD.findall(sample.lower())
    if len(words) < 5:
        return None
    scores = {lang: sum(1 for w in words if w in sw) / len(words) for lang, sw in _STOPWORDS.items()}
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= 0.08 else None


def normalise_text(text: str) -> str:
    """The text as compared for identity: NFKC, case-folded, white space folded."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(text: str) -> str:
    return hashlib.blake2b(normalise_text(text).encode(), digest_size=10).hexdigest()


def article_id(url: str | None, outlet: str | None, text: str) -> str:
    """Stable id: from the normalised URL when there is one (so a changed text is an update of the
    same article), otherwise from the outlet and the normalised text."""
    key = f"url:{url}" if url else f"text:{(outlet or '').casefold()}\n{normalise_text(text)}"
    return hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
