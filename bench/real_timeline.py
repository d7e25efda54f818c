"""The timeline checks of ``eval_real_analysis``: each event of a real storyline's brief dated against the
reader's news days (``bench/data/real/news_days*.json``: for each labelled article, the day of the happening
it reports, labelled by reading; rules in ``NEWS_DAYS_RULES.md``).

An event is scored when some of its articles carry a labelled day (articles of no single happening, ``none``,
carry none). Its reference day is the day most of them report (any of the days tied for most). Figures:

- ``right``: the event's date is a reference day; ``within_one``: it is a day or less from one (a report
  published after midnight, a time zone);
- ``published``: the same test for the naive date, the first member's publication day, beside it;
- ``one_happening``: all labelled members report one day (within a day): the event is one happening in time;
- per labelled article, ``articles_right``: its event's date is the day it reports itself.

Events as one happening in time (``event_days``, over the stored events of each labelled storyline's articles,
whichever storyline holds them): B-cubed over the labelled articles, an article's precision the share of its
event's labelled articles whose day is within a day of its own, its recall the share of the storyline's
labelled articles of its very day that share its event (one day of one story is mostly one happening)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any


def load_news_days(path: Path) -> dict[str, str | None]:
    """Article id -> the labelled news day (``None`` for an article of no single happening); ``{}`` without
    the file."""
    if not path.exists():
        return {}
    return {a["article_id"]: a["news_day"] for a in json.loads(path.read_text())["articles"]}


def _gap(a: str, b: str) -> int:
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)


def timeline_dates(brief: dict[str, Any], news_days: dict[str, str | None]) -> dict[str, int]:
    out = Counter({"events": 0, "right": 0, "within_one": 0, "published": 0, "one_happening": 0, "articles": 0,
                   "articles_right": 0, "undated": 0})
    for event in brief.get("timeline", []):
        members = [a for a in event.get("articles", []) if news_days.get(a["article_id"])]
        if not members:
            continue
        days = Counter(news_days[a["article_id"]] for a in members)
        top = max(days.values())
        reference = {d for d, n in days.items() if n == top}
        out["events"] += 1
        day = event.get("date")
        if not day:
            out["undated"] += 1
        else:
            day = day[:10]
            out["right"] += day in reference
            out["within_one"] += any(_gap(day, r) <= 1 for r in reference)
        published = min((a["published"] for a in event.get("articles", []) if a.get("published")), default=None)
        out["published"] += bool(published) and published[:10] in reference
        out["one_happening"] += max(_gap(x, y) for x in days for y in days) <= 1
        for a in members:
            out["articles"] += 1
            out["articles_right"] += bool(day) and day == news_days[a["article_id"]]
    return dict(out)


def overall(scored: list[dict[str, int]]) -> dict[str, Any]:
    """The timeline figures over all briefs."""
    total = sum((Counter(s) for s in scored), Counter())
    n, arts = total["events"], total["articles"]
    if not n:
        return {}
    return {
        "timeline_events_scored": n,
        "timeline_date_accuracy": round(total["right"] / n, 3),
        "timeline_date_within_one": round(total["within_one"] / n, 3),
        "timeline_first_published_accuracy": round(total["published"] / n, 3),
        "timeline_events_one_happening": round(total["one_happening"] / n, 3),
        "timeline_articles_scored": arts,
        "timeline_article_day_accuracy": round(total["articles_right"] / arts, 3) if arts else 0.0,
    }


def event_days(articles: list[dict[str, Any]], news_days: dict[str, str | None]) -> dict[str, float]:
    """Sums of per-article B-cubed precision and recall of events against news days (``articles``: corpus
    ids with their stored ``event_id``)."""
    labelled = [(a["id"], a.get("event_id"), news_days[a["id"]]) for a in articles if news_days.get(a["id"])]
    out = {"articles": len(labelled), "precision_sum": 0.0, "recall_sum": 0.0}
    for aid, ev, day in labelled:
        mates = [d for _, e, d in labelled if ev is not None and e == ev] or [day]
        out["precision_sum"] += sum(_gap(d, day) <= 1 for d in mates) / len(mates)
        same_day = [e for _, e, d in labelled if d == day]
        out["recall_sum"] += sum(ev is not None and e == ev for e in same_day) / len(same_day) if ev is not None \
            else 1 / len(same_day)
    return out


def events_overall(scored: list[dict[str, float]]) -> dict[str, Any]:
    n = sum(s["articles"] for s in scored)
    if not n:
        return {}
    p, r = sum(s["precision_sum"] for s in scored) / n, sum(s["recall_sum"] for s in scored) / n
    return {"events_news_day_precision": round(p, 3), "events_news_day_recall": round(r, 3),
            "events_news_day_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
