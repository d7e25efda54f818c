"""Why labelled story threads split (``bench.thread_errors``, ``eval_stories --errors``): the reason chosen for an
article outside its thread's main storyline, and the report over a real store (the sample corpus, with two of its
storylines labelled as one thread)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

import storyline
from storyline.stories.assign import StoryParams

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # the repository's bench package

from bench.eval_sample import gold_path, match_articles  # noqa: E402
from bench.thread_errors import REASONS, reason, split_reasons  # noqa: E402

P = StoryParams()


def _reason(**kw: object) -> str:
    args = {"basis": "published", "range_gap_days": 0, "other_thread": False, "fits": False,
            "needed": P.storyline_threshold, "threshold": P.storyline_threshold, "quiet_days": P.storyline_quiet_days}
    return reason(**{**args, **kw})  # type: ignore[arg-type]


def test_each_reason_and_which_comes_first() -> None:
    assert _reason() == "topic"
    assert _reason(needed=P.storyline_quiet_threshold) == "quiet_or_window"
    assert _reason(fits=True, needed=P.storyline_quiet_threshold) == "fits_now"
    assert _reason(fits=True, other_thread=True) == "other_thread"
    # an inferred range far from the thread's days comes first; a near one, or a dated article, does not count
    assert _reason(basis="range", range_gap_days=P.storyline_quiet_days + 1, other_thread=True) == "inferred_range"
    assert _reason(basis="range", range_gap_days=P.storyline_quiet_days) == "topic"
    assert _reason(basis="published", range_gap_days=10_000) == "topic"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """The sample corpus stored and placed; stored article id -> its gold storyline."""
    db = str(tmp_path_factory.mktemp("threads") / "sample.db")
    storyline.ingest([storyline.sample_corpus()], db=db)
    gold = json.loads(gold_path().read_text())
    matched = match_articles(gold, storyline.articles(db=db))
    return db, {matched[g["key"]].article.id: g["storyline"] for g in gold["articles"] if g["key"] in matched}


def test_a_thread_over_two_storylines_is_reported_with_a_reason_per_article_outside_its_main(sample) -> None:
    db, gold = sample
    sizes = Counter(gold.values())
    big, small = [s for s, _ in sizes.most_common(2)]
    threads = {a: "joined" if s in (big, small) else s for a, s in gold.items()}   # two storylines read as one
    out = split_reasons(db, threads, P)
    assert list(out["most_split_threads"]) == ["joined"]   # the others lie whole in one storyline each
    joined = out["most_split_threads"]["joined"]
    assert joined["storylines"] == 2 and joined["in_main"] == sizes[big]
    assert out["articles_outside_main"] == sizes[small] == sum(out["reasons"].values())
    assert set(out["reasons"]) == set(REASONS)
    # two unrelated sagas: the smaller one's events do not fit the larger storyline on topic
    assert out["reasons"]["topic"] == sizes[small]
    assert sum(out["topic_score_bins"].values()) == sizes[small]


def test_no_split_thread_no_reason(sample) -> None:
    db, gold = sample
    out = split_reasons(db, gold, P)
    assert out["articles_outside_main"] == 0 and out["most_split_threads"] == {}
