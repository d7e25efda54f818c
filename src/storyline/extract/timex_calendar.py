"""Calendar arithmetic for time expressions: shifting dates, ISO week/month/quarter values, weekday,
season and quarter numbering, and the dates of named holidays."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable
from datetime import date, timedelta


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + m - 1 + k
    return t // 12, t % 12 + 1


def _shift_date(d: date, unit: str, n: int) -> date:
    if unit in ("day", "night"):
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(weeks=n)
    if unit == "fortnight":
        return d + timedelta(weeks=2 * n)
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}.get(unit, 0) * n
    y, m = _add_months(d.year, d.month, months)
    return date(y, m, min(d.day, monthrange(y, m)[1]))  # ValueError beyond year 1..9999


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _quarter(y: int, q: int) -> str:
    return f"{y:04d}-Q{q}"


def _value_at(d: date, unit: str) -> tuple[str, str]:
    """A date written at the granularity of ``unit``."""
    if unit in ("day", "night", "hour", "minute", "second"):
        return d.isoformat(), "day"
    if unit in ("week", "fortnight", "weekend"):
        return _week(d), "week"
    if unit == "month":
        return _month(d.year, d.month), "month"
    if unit == "quarter":
        return _quarter(d.year, (d.month - 1) // 3 + 1), "quarter"
    return f"{d.year:04d}", "year"


def _weekday_date(ref: date, wd: int, mode: str) -> date:
    """``mode``: on-or-before, before, on-or-after, after (the reference date)."""
    back, ahead = (ref.weekday() - wd) % 7, (wd - ref.weekday()) % 7
    return {"onbefore": ref - timedelta(days=back), "before": ref - timedelta(days=back or 7),
            "onafter": ref + timedelta(days=ahead), "after": ref + timedelta(days=ahead or 7)}[mode]


def _choose(options: list, target, tense: str | None, window):
    """Among candidate readings (ordered values), the one the tense or, failing that, nearness picks.

    A past (future) reading is taken only when it lies within ``window`` (or ``(back, ahead)``) of the
    target; otherwise the nearest reading wins, the past one unless the future one is clearly nearer
    (news mostly reports what happened).
    """
    past = [o for o in options if o <= target]
    future = [o for o in options if o >= target]
    back, ahead = window if isinstance(window, tuple) else (window, window)
    if tense == "past" and past and target - past[-1] <= back:
        return past[-1]
    if tense == "future" and future and future[0] - target <= ahead:
        return future[0]
    if not past or not future:
        return (past or future)[-1 if past else 0]
    gap = (lambda o: abs((o - target).days)) if isinstance(target, date) else (lambda o: abs(o - target))
    return past[-1] if gap(past[-1]) <= 1.25 * gap(future[0]) else future[0]


def _easter(y: int) -> date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(y, month, day + 1)


def _nth_weekday(y: int, month: int, wd: int, n: int) -> date:
    if n > 0:
        first = date(y, month, 1)
        return first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
    last = date(y + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - wd) % 7)


def _quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _season_ordinal(d: date) -> int:
    """Seasons numbered year*4 + (SP, SU, FA, WI); winter Y runs from December Y into February Y+1."""
    if d.month <= 2:
        return (d.year - 1) * 4 + 3
    return d.year * 4 + (d.month - 3) // 3


_HOLIDAYS: dict[str, Callable[[int], date]] = {
    "christmas": lambda y: date(y, 12, 25), "christmas day": lambda y: date(y, 12, 25),
    "christmas eve": lambda y: date(y, 12, 24), "orthodox christmas": lambda y: date(y, 1, 7),
    "new year's": lambda y: date(y, 1, 1), "new year's day": lambda y: date(y, 1, 1),
    "new year's eve": lambda y: date(y, 12, 31), "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4), "easter": _easter, "easter sunday": _easter,
    "easter monday": lambda y: _easter(y) + timedelta(days=1),
    "good friday": lambda y: _easter(y) - timedelta(days=2), "independence day": lambda y: date(y, 7, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1), "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "veterans day": lambda y: date(y, 11, 11), "halloween": lambda y: date(y, 10, 31),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + timedelta(days=1),
    "valentine's day": lambda y: date(y, 2, 14), "boxing day": lambda y: date(y, 12, 26),
    "victory day": lambda y: date(y, 5, 9)}
