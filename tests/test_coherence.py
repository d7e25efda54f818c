"""The story rules judge a group as a whole: hand-made vectors, entities, terms and dates (no models)."""

from __future__ import annotations

import numpy as np

from storyline.stories import terms as T
from storyline.stories.coherence import (ArticleView, CoherenceParams, EventView, StorylineView, Weights, cover,
                                         entity_weights, event_fit, pick_core, storyline_fit, weight_floor)
from storyline.stories.restructure import relink, split_event

P = CoherenceParams()
DIM = 384


def unit(*pairs: tuple[int, float]) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    for i, x in pairs:
        v[i] = x
    return v / np.linalg.norm(v)


def event(vectors: list[np.ndarray], days: list[str | None], entities: dict[int, int] | None = None,
          terms: dict[int, int] | None = None) -> EventView:
    centroid = np.mean(vectors, axis=0)
    core, core_days = pick_core(vectors, days, centroid, 5)
    dated = sorted(d for d in days if d)
    return EventView(centroid=centroid, core=core, core_days=core_days, start=dated[0] if dated else None,
                     end=dated[-1] if dated else None, entities=entities or {}, terms=terms)


NO_WEIGHTS = Weights(entities={}, terms={})


# -- entity weights -------------------------------------------------------------------------------------------


def test_common_entities_are_damped_once_the_store_is_large() -> None:
    df = {1: 3000, 2: 300, 3: 5}   # a name in 30% of articles, one in 3%, one in five articles
    w = entity_weights(df, 10_000, P)
    idf = {e: np.log((10_000 + 2) / (n + 1)) for e, n in df.items()}
    assert w[3] == idf[3] and w[2] == idf[2]           # rare and mid-frequency names keep their weight
    assert w[1] < idf[1] / 30 and w[1] < 0.05 * w[3]   # the famous one hardly counts
    small = entity_weights({1: 30}, 100, P)             # 30% of a small store says little: no damping
    assert small[1] == np.log(102 / 31)


def test_a_famous_name_alone_does_not_cover_a_profile() -> None:
    w = entity_weights({1: 3000, 2: 5}, 10_000, P)
    floor = weight_floor(10_000, P)
    assert cover({1: 4}, {1: 9, 2: 3}, w) == 1.0             # by share alone it would
    assert cover({1: 4}, {1: 9, 2: 3}, w, floor) < 0.05     # the floor says it is one common name
    assert cover({2: 1}, {1: 9, 2: 3}, w, floor) == 1.0


# -- events -------------------------------------------------------------------------------------------------


def test_an_event_is_judged_by_its_centroid_and_core_not_by_one_member() -> None:
    """Three reports of one happening and a fourth that drifted towards another story: a new article close to
    the drifted one (the chain's next link) does not join; one close to the core does."""
    core = [unit((0, 1.0)), unit((0, 1.0), (1, 0.15)), unit((0, 1.0), (2, 0.15))]
    drifted = unit((0, 0.6), (3, 0.8))
    ev = event(core + [drifted], ["2024-03-04"] * 4)
    link = unit((0, 0.2), (3, 0.98))
    assert float(link @ drifted) > 0.8                 # nearest-member grouping would chain it in
    assert not event_fit(ArticleView(link, "2024-03-05"), ev, NO_WEIGHTS, P).ok
    assert event_fit(ArticleView(unit((0, 1.0), (4, 0.1)), "2024-03-05"), ev, NO_WEIGHTS, P).ok


def test_an_event_does_not_outgrow_its_days_without_the_same_content() -> None:
    vectors = [unit((0, 1.0)), unit((0, 1.0), (1, 0.1))]
    ev = event(vectors, ["2024-03-04", "2024-03-05"])
    close = unit((0, 1.0), (2, 0.12))
    related = unit((0, 1.0), (2, 0.75))
    assert event_fit(ArticleView(related, "2024-03-06"), ev, NO_WEIGHTS, P).ok         # within event_days
    late = event_fit(ArticleView(related, "2024-03-08"), ev, NO_WEIGHTS, P)
    assert not late.ok and "beyond the event's days" in late.reason               # 3 days out, not the same
    assert event_fit(ArticleView(close, "2024-03-08"), ev, NO_WEIGHTS, P).ok           # the same happening
    far = event_fit(ArticleView(close, "2024-03-20"), ev, NO_WEIGHTS, P)
    assert not far.ok and "days from the event's core" in far.reason                  # never this far


def test_an_event_does_not_creep_a_day_at_a_time_past_its_span() -> None:
    """Its core (the members nearest its centroid) lies on its last two days, its first member two days before:
    a related article a day after the core would make the members span three days, so it needs the same
    content; none joins past the span and ``event_extend_days``."""
    core = [unit((0, 1.0)), unit((0, 1.0), (1, 0.05)), unit((0, 1.0), (2, 0.05)), unit((0, 1.0), (3, 0.05)),
            unit((0, 1.0), (4, 0.05))]
    first = unit((0, 0.7), (5, 0.7))
    ev = event(core + [first], ["2024-03-05", "2024-03-06", "2024-03-05", "2024-03-06", "2024-03-06", "2024-03-04"])
    assert "2024-03-04" not in ev.core_days and ev.start == "2024-03-04"
    related = unit((0, 1.0), (6, 0.75))
    close = unit((0, 1.0), (6, 0.12))
    assert event_fit(ArticleView(related, "2024-03-06"), ev, NO_WEIGHTS, P).ok               # within its span
    late = event_fit(ArticleView(related, "2024-03-07"), ev, NO_WEIGHTS, P)
    assert not late.ok and "beyond the event's days" in late.reason      # a day from the core, 3 days in all
    assert event_fit(ArticleView(close, "2024-03-07"), ev, NO_WEIGHTS, P).ok                 # the same happening
    far = event_fit(ArticleView(close, "2024-03-09"), ev, NO_WEIGHTS, P)
    assert not far.ok and "would span 5 days" in far.reason


def test_an_undated_article_stays_within_its_inferred_range() -> None:
    vectors = [unit((0, 1.0)), unit((0, 1.0), (1, 0.1))]
    ev = event(vectors, ["2024-03-04", "2024-03-05"])
    same = unit((0, 1.0), (1, 0.05))
    inside = ArticleView(same, None, day_from="2024-03-04", day_to="2027-03-04")
    outside = ArticleView(same, None, day_from="2019-05-01", day_to="2022-05-01")
    assert event_fit(inside, ev, NO_WEIGHTS, P).ok
    fit = event_fit(outside, ev, NO_WEIGHTS, P)
    assert not fit.ok and "inferred range" in fit.reason
    assert event_fit(ArticleView(same, None), ev, NO_WEIGHTS, P).ok    # no range: content alone


def test_the_same_template_with_other_actors_is_another_event() -> None:
    """Two coaches fired by one club: the same words, other names; the entities keep the events apart."""
    w = Weights(entities={1: 5.0, 2: 5.0, 3: 3.0}, terms={})
    vectors = [unit((0, 1.0)), unit((0, 1.0), (1, 0.2))]
    ev = event(vectors, [None, None], entities={1: 6, 3: 4})
    article = unit((0, 0.5), (1, 0.1), (8, 0.85))    # as close as two reports of one happening may be
    assert event_fit(ArticleView(article, None, entities={1: 2, 3: 1}), ev, w, P).ok
    assert not event_fit(ArticleView(article, None, entities={2: 3}), ev, w, P).ok


def test_each_side_naming_its_own_main_actor_is_another_happening() -> None:
    """Two players of one club arrested for the same offence in one week: the same words, the club, the city and
    the police shared, but each report's main actor (the entity it names most) goes unnamed by the other side:
    another happening. A report naming the event's main actor as well as its own is the same happening."""
    from dataclasses import replace

    w = Weights(entities={1: 3.0, 2: 3.0, 3: 3.0, 4: 3.0}, terms={})
    ev = event([unit((0, 1.0)), unit((0, 1.0), (1, 0.2))], [None, None], entities={1: 6, 2: 2, 3: 2})
    article = unit((0, 0.4), (8, 0.92))   # as close as two reports of one happening may be
    other_player = ArticleView(article, None, entities={4: 3, 2: 1, 3: 1})
    assert event_fit(other_player, ev, w, replace(P, event_protagonist_penalty=0.0)).ok   # content alone: joins
    fit = event_fit(other_player, ev, w, P)
    assert not fit.ok
    assert event_fit(ArticleView(article, None, entities={4: 3, 1: 1, 2: 1, 3: 1}), ev, w, P).ok
    assert event_fit(ArticleView(article, None, entities={2: 1, 3: 1, 4: 1}), ev, w, P).ok   # none stands out


def test_topic_terms_tell_two_stories_of_one_kind_apart() -> None:
    words = "shutdown government funding house senate deal furlough".split()
    other = "website enrollment insurance marketplace premiums glitches".split()
    shutdown = T.terms(" ".join(words * 2))
    rollout = T.terms(" ".join(other * 2))
    w = T.term_weights({}, 100)
    assert T.term_cosine(T.terms("the shutdown deal passed the house and the senate"), shutdown, w) > 0.4
    assert T.term_cosine(T.terms("the shutdown deal passed the house and the senate"), rollout, w) == 0.0
    assert T.terms("The Senate's deal, the SENATE deal") == T.terms("senate's deal senate deal")


# -- storylines ---------------------------------------------------------------------------------------------


def test_a_quiet_storyline_is_continued_only_by_a_strong_match() -> None:
    line = StorylineView(centroid=unit((0, 1.0), (1, 0.3)), start="2024-01-01", end="2024-02-01", entities={})
    related = unit((0, 0.6), (5, 0.8))      # topic cosine about 0.55
    strong = unit((0, 1.0), (1, 0.25))
    assert storyline_fit(ArticleView(related, "2024-02-10"), line, 0.5, NO_WEIGHTS, P).ok
    quiet = storyline_fit(ArticleView(related, "2024-07-01"), line, 0.5, NO_WEIGHTS, P)
    assert not quiet.ok and "quiet days" in quiet.reason
    assert storyline_fit(ArticleView(strong, "2024-07-01"), line, 0.95, NO_WEIGHTS, P).ok
    assert not storyline_fit(ArticleView(strong, "2026-07-01"), line, 0.95, NO_WEIGHTS, P).ok   # beyond 400 days


def test_a_long_storyline_is_quiet_between_its_events() -> None:
    """A storyline that ran from January to October with nothing in between since spring: an article in July lies
    inside its span, but months from its nearest event, so only a strong match continues it."""
    related = unit((0, 0.6), (5, 0.8))
    line = StorylineView(centroid=unit((0, 1.0), (1, 0.3)), start="2024-01-01", end="2024-10-01", entities={})
    assert storyline_fit(ArticleView(related, "2024-07-01"), line, 0.5, NO_WEIGHTS, P).ok   # the span alone
    quiet = StorylineView(centroid=line.centroid, start=line.start, end=line.end, entities={}, quiet_gap=100)
    fit = storyline_fit(ArticleView(related, "2024-07-01"), quiet, 0.5, NO_WEIGHTS, P)
    assert not fit.ok and "100 quiet days" in fit.reason
    busy = StorylineView(centroid=line.centroid, start=line.start, end=line.end, entities={}, quiet_gap=3)
    assert storyline_fit(ArticleView(related, "2024-07-01"), busy, 0.5, NO_WEIGHTS, P).ok


def test_a_storyline_does_not_outgrow_its_window_backwards() -> None:
    """Articles arrive in any order: one dated before a storyline's start that would make it span more than
    ``storyline_days`` needs the strong match, as one after its window does; a wide inferred range counts by
    its day nearest the storyline."""
    line = StorylineView(centroid=unit((0, 1.0), (1, 0.3)), start="2024-06-01", end="2024-09-01", entities={})
    good = unit((0, 0.6), (5, 0.8))      # continues it, not strongly
    assert storyline_fit(ArticleView(good, "2024-05-25"), line, 0.5, NO_WEIGHTS, P).ok
    back = storyline_fit(ArticleView(good, "2023-07-01"), line, 0.5, NO_WEIGHTS, P)
    assert not back.ok and "spanning 428 days" in back.reason and back.needed == P.storyline_old_threshold
    strong = unit((0, 1.0), (1, 0.25))
    assert storyline_fit(ArticleView(strong, "2023-07-01"), line, 0.95, NO_WEIGHTS, P).ok
    wide = ArticleView(good, None, day_from="2020-01-01", day_to="2024-12-31")
    assert storyline_fit(wide, line, 0.5, NO_WEIGHTS, P).ok


def test_one_shared_famous_name_does_not_hold_a_storyline() -> None:
    w = Weights(entities=entity_weights({1: 3000, 2: 20, 3: 20}, 10_000, P), terms={},
                floor=weight_floor(10_000, P))
    line = StorylineView(centroid=unit((0, 1.0)), start="2024-01-01", end="2024-01-20", entities={1: 30, 2: 12})
    article = unit((0, 0.3), (7, 0.95))      # a neighbouring topic, cosine 0.3
    famous = storyline_fit(ArticleView(article, "2024-01-22", entities={1: 3, 3: 2}), line, 0.45, w, P)
    actors = storyline_fit(ArticleView(article, "2024-01-22", entities={1: 3, 2: 2}), line, 0.45, w, P)
    assert actors.ok and not famous.ok and actors.score > famous.score + 0.1


# -- restructuring, pure ----------------------------------------------------------------------------------------


def test_split_event_takes_a_chain_apart_and_says_why() -> None:
    a = [unit((0, 1.0), (i, 0.1)) for i in (1, 2, 3)]
    b = [unit((9, 1.0), (i, 0.1)) for i in (10, 11)]

    def u(v: np.ndarray, day: str) -> dict:
        return {"vectors": [v], "days": [day], "day_from": None, "day_to": None, "entities": {}, "terms": {}}

    units = [u(a[0], "2024-03-01"), u(a[1], "2024-03-01"), u(b[0], "2024-03-02"), u(a[2], "2024-03-02"),
             u(b[1], "2024-03-03")]
    groups = split_event(units, NO_WEIGHTS, P)
    assert [sorted(g) for g, _ in groups] == [[0, 1, 3], [2, 4]]
    assert groups[1][1].startswith("score")
    assert [sorted(g) for g, _ in split_event(units[:2] + units[3:4], NO_WEIGHTS, P)] == [[0, 1, 2]]


def test_relink_splits_a_storyline_chained_by_one_link() -> None:
    """Events of one storyline: two on one topic, a bridge between topics, then two on another topic months
    later; relinking by each event's fit with the storyline as a whole keeps the second topic apart."""
    def ev(i: int, v: np.ndarray, day: str) -> dict:
        return {"id": i, "storyline_id": 1, "start": day, "end": day, "n": 3, "centroid": v, "entities": {},
                "terms": {}}

    events = [ev(1, unit((0, 1.0)), "2024-01-01"), ev(2, unit((0, 1.0), (1, 0.3)), "2024-01-05"),
              ev(3, unit((0, 0.8), (2, 0.6)), "2024-01-09"),
              ev(4, unit((2, 1.0), (3, 0.2)), "2024-01-12"), ev(5, unit((2, 1.0), (4, 0.2)), "2024-01-14")]
    lines, why = relink(events, NO_WEIGHTS, P)
    assert sorted(map(sorted, lines)) == [[1, 2, 3], [4, 5]]
    assert why[4].startswith("score")
