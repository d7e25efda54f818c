"""Publication dates as found in metadata fields and datelines -> ISO ``YYYY-MM-DD``, or ``None``.

A value that does not name a full calendar day (``N/A``, ``2024``,
``December 2024``) gives ``None``: a publication date is never invented.
Numeric ``a/b/yyyy`` dates are read month-first unless the first number
cannot be a month (feeds and US sites write them that way); ``d.m.yyyy``
day-first.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

_MONTHS = ("jan feb mar apr may jun jul aug sep oct nov dec").split()
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_TIME_RE = r"(?:[,\s]+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:UTC|GMT|[A-Z]{2,4}|[+-]\d{2}:?\d{2}))?)?"
_WEEKDAY_RE = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_SLASH = re.compile(r"^(\d{1,2})([/.])(\d{1,2})[/.](\d{4})" + _TIME_RE + r"$", re.I)
_YMD_SLASH = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})" + _TIME_RE + r"$", re.I)
_DMY = re.compile(r"^" + _WEEKDAY_RE + r"(\d{1,2})(?:st|nd|rd|th)?\s+(" + _MONTH_RE + r"),?\s+(\d{4})" + _TIME_RE + r"$", re.I)
_MDY = re.compile(r"^" + _WEEKDAY_RE + r"(" + _MONTH_RE + r")\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME_RE + r"$", re.I)
_LABEL = re.compile(r"^(?:published|posted|updated|last updated|date|first published)(?:\s+on)?\s*[:\-–]?\s*", re.I)

EARLIEST = date(1900, 1, 1)


def _month(name: str) -> int:
    return _MONTHS.index(name[:3].lower()) + 1


def _make(y: int, m: int, d: int) -> str | None:
    try:
        day = date(y, m, d)
    except ValueError:
        return None
    if day < EARLIEST or day > date.today().replace(year=date.today().year + 1):
        return None
    return day.isoformat()


@lru_cache(maxsize=4096)
def parse_date(value: str | None) -> str | None:
    """A full calendar day in ``value`` (a metadata field or dateline), as ``YYYY-MM-DD``; else ``None``."""
    if not value:
        return None
    s = " ".join(str(value).split()).strip(" .|")
    s = _LABEL.sub("", s)
    if not s or len(s) > 60:
        return None
    m = _ISO.match(s)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]))
    m = _YMD_SLASH.match(s)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]))
    m = _SLASH.match(s)
    if m:
        a, b, y = int(m[1]), int(m[3]), int(m[4])
        if m[2] == ".":  # 10.12.2024 is day-first wherever dots are used
            a, b = b, a
        return _make(y, a, b) if a <= 12 else _make(y, b, a)
    m = _DMY.match(s)
    if m:
        return _make(int(m[3]), _month(m[2]), int(m[1]))
    m = _MDY.match(s)
    if m:
        return _make(int(m[3]), _month(m[1]), int(m[2]))
    if re.match(r"^[A-Za-z]{3},\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}", s):  # RFC 822, as in feeds
        try:
            dt = parsedate_to_datetime(s)
            return _make(dt.year, dt.month, dt.day)
        except (TypeError, ValueError):
            return None
    if re.fullmatch(r"\d{10}(?:\.\d+)?", s):  # a Unix timestamp
        try:
            dt = datetime.utcfromtimestamp(float(s))
        except (OverflowError, OSError, ValueError):
            return None
        return _make(dt.year, dt.month, dt.day)
    return None


def is_dateline(line: str) -> bool:
    """True when the whole line is a date (with optional time and label), e.g. ``24 Dec, 2024 15:04``."""
    return len(line) <= 60 and parse_date(line) is not None


def day_of(value: str | None) -> date | None:
    """The day of an ISO date or timestamp (``"2024-11-08"``, ``"2024-11-08T10:00:00"``); ``None`` when it is
    missing or unreadable."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
