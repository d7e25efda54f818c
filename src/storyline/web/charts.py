"""Geometry for the inline SVG charts (templates draw them; every label is escaped there).

``sparkline``: articles per day as a polyline. ``timeline``: events on a time axis, each a circle
whose area grows with its coverage, with month ticks.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def sparkline(days: list[dict[str, Any]], width: int = 120, height: int = 24) -> dict[str, Any] | None:
    """``{width, height, points, max, first, last}`` for ``[{day, n}]``, zero-filled between days."""
    dated = sorted((d, int(x["n"])) for x in days if (d := _day(x.get("day"))))
    if not dated:
        return None
    first, last = dated[0][0], dated[-1][0]
    span = (last - first).days
    counts = dict(dated)
    if span > 400:  # many months: one bucket per week keeps the line readable
        step = 7
    else:
        step = 1
    buckets = [sum(counts.get(first + timedelta(days=i + j), 0) for j in range(step))
               for i in range(0, span + 1, step)]
    top = max(buckets) or 1
    n = len(buckets)
    xs = [(width - 2) * (i / (n - 1)) + 1 if n > 1 else width / 2 for i in range(n)]
    ys = [height - 2 - (height - 4) * (b / top) for b in buckets]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
    return {"width": width, "height": height, "points": points, "max": top, "first": first.isoformat(),
            "last": last.isoformat(), "single": n == 1}


def timeline(events: list[dict[str, Any]], width: int = 900, height: int = 170) -> dict[str, Any] | None:
    """Events placed by date (``date`` or ``start``) on a horizontal axis, sized by ``n_articles``."""
    placed = [(d, e) for e in events if (d := _day(e.get("date") or e.get("start")))]
    if not placed:
        return None
    placed.sort(key=lambda p: (p[0], p[1]["id"]))
    first, last = placed[0][0], placed[-1][0]
    span = max((last - first).days, 1)
    left, right, axis_y = 40, width - 40, height - 40
    top = max(int(e.get("n_articles") or 1) for _, e in placed)
    circles = []
    for i, (d, e) in enumerate(placed):
        n = int(e.get("n_articles") or 1)
        x = left + (right - left) * ((d - first).days / span) if len(placed) > 1 else width / 2
        r = 5 + 20 * math.sqrt(n / top)
        lane = i % 3  # stagger neighbours so that close events stay visible
        circles.append({"x": round(x, 1), "y": axis_y - 30 - lane * 28, "r": round(r, 1), "id": e["id"],
                        "title": e.get("title") or "", "date": d.isoformat(), "n": n,
                        "n_outlets": e.get("n_outlets") or 0})
    ticks = []
    month = date(first.year, first.month, 1)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    every = max(1, math.ceil(months / 10))
    k = 0
    while month <= last:
        if month >= first and k % every == 0:
            x = left + (right - left) * ((month - first).days / span)
            ticks.append({"x": round(x, 1), "label": month.strftime("%b %Y")})
        k += 1
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return {"width": width, "height": height, "axis_y": axis_y, "left": left, "right": right,
            "circles": circles, "ticks": ticks, "first": first.isoformat(), "last": last.isoformat()}
