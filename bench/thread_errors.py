"""Why labelled story threads split (``eval_stories --errors``): each article placed outside its thread's main
storyline (the one holding most of the thread) is given one reason, the first that holds of:

- ``inferred_range``: undated, and the range its text bounds its publication to lies more than
  ``storyline_quiet_days`` from the main storyline's days (a year the text names was read as recent: the
  storyline window rules it out whatever its content);
- ``other_thread``: it sits in a storyline most of whose labelled articles belong to another thread (it went
  with a neighbouring story, not on its own);
- ``fits_now``: its event fits the main storyline as that storyline stands at the end (placed apart earlier, in
  the queue's order, before the main storyline held what it holds now);
- ``quiet_or_window``: it fails the main storyline only because that is quiet or would outgrow its window (the
  stronger match asked for);
- ``topic``: its event's topic and actors score below the storyline threshold against the main storyline.

Counts only (article ids stay in the store): overall, per thread for the most split threads, and the score
each ``topic`` article reached (how far below the threshold the split parts lie).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

REASONS = ("inferred_range", "other_thread", "fits_now", "quiet_or_window", "topic")


def reason(*, basis: str, range_gap_days: int, other_thread: bool, fits: bool, needed: float, threshold: float,
           quiet_days: int) -> str:
    """The one reason an article lies outside its thread's main storyline (see the module's docstring).
    ``range_gap_days``: days between its inferred range and the main storyline's days (0 when dated);
    ``needed``: the score its event needed against the main storyline (above ``threshold`` when the storyline is
    quiet or would outgrow its window; infinite when the window rules it out)."""
    if basis == "range" and range_gap_days > quiet_days:
        return "inferred_range"
    if other_thread:
        return "other_thread"
    if fits:
        return "fits_now"
    if needed > threshold:
        return "quiet_or_window"
    return "topic"


def split_reasons(db: str, thread_of: dict[str, str], params: Any, top: int = 8) -> dict[str, Any]:
    """``thread_of``: stored article id -> its labelled thread. The store as placed (its storylines' profiles
    as they stand)."""
    from storyline.store import Store
    from storyline.store.stories import RestructureTables
    from storyline.stories.assign import storyline_view
    from storyline.stories.coherence import range_gap, storyline_fit
    from storyline.stories.restructure import _weights, event_as_article

    with Store(db, readonly=True) as store:
        c = store.conn
        storyline_of = dict(c.execute("SELECT ea.article_id, e.storyline_id FROM event_articles ea "
                                      "JOIN events e ON e.id = ea.event_id"))
        event_of = dict(c.execute("SELECT article_id, event_id FROM event_articles"))
        feats = {r[0]: r[1:] for r in c.execute("SELECT article_id, day_basis, day_from, day_to FROM story_features")}
        tables = RestructureTables(c, "")
        members: dict[str, Counter] = defaultdict(Counter)
        for a, t in thread_of.items():
            members[t][storyline_of[a]] += 1
        majority: dict[int, Counter] = defaultdict(Counter)
        for a, t in thread_of.items():
            majority[storyline_of[a]][t] += 1
        counts: Counter = Counter()
        by_thread: dict[str, Counter] = {}
        topic_scores: list[float] = []
        for t, parts in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            if len(parts) < 2:
                continue
            main = max(parts, key=lambda s: (parts[s], -s))
            prof = tables.storyline_profile(main)
            here: Counter = Counter()
            for a in (a for a, th in thread_of.items() if th == t and storyline_of[a] != main):
                ev = tables.event(event_of[a])
                w = _weights(tables, [ev, {"entities": prof["entities"], "terms": prof["terms"]}], params)
                fit = storyline_fit(event_as_article(ev), storyline_view(prof), None, w, params)
                basis, lo, hi = feats[a]
                lead = majority[storyline_of[a]].most_common(1)[0]
                why = reason(basis=basis, range_gap_days=range_gap(lo, hi, prof["start"], prof["end"]) if lo else 0,
                             other_thread=lead[0] != t and lead[1] > majority[storyline_of[a]][t], fits=fit.ok,
                             needed=fit.needed, threshold=params.storyline_threshold,
                             quiet_days=params.storyline_quiet_days)
                here[why] += 1
                if why == "topic":
                    topic_scores.append(fit.score)
            counts.update(here)
            if len(by_thread) < top:
                by_thread[t] = {"storylines": len(parts), "in_main": parts[main], **dict(sorted(here.items()))}
    bins = Counter(f"{int(s * 20) / 20:.2f}" for s in topic_scores)   # 0.05-wide bins of the topic score
    return {"articles_outside_main": sum(counts.values()), "reasons": {r: counts[r] for r in REASONS},
            "most_split_threads": by_thread, "topic_score_bins": dict(sorted(bins.items()))}
