"""Claims and corroboration: one fact asserted across articles, rewrites of one origin counted once,
omissions and contradictions listed, offsets that resolve to the asserting sentence."""

from __future__ import annotations

import pytest
from analysis_support import check_provenance, ingest, story

from storyline.analysis import claims
from storyline.store import Store

FACT = "The regional council of Tulcea voted on Tuesday to close the old ferry landing on the Danube"
ARTICLES = {
    "origin": {"outlet": "Delta Post", "published": "2025-02-04", "title": "Tulcea closes ferry landing",
               "text": f"{FACT} after engineers found cracks in its concrete pilings. "
                       "A temporary pontoon will open within three weeks, council officials said."},
    "rewrite": {"outlet": "Delta Digest", "published": "2025-02-04", "title": "Ferry landing to close",
                "text": "Engineers found cracks in the concrete pilings, and the regional council of Tulcea voted "
                        "on Tuesday to close the old ferry landing on the Danube. "
                        "Ferry operators expect long queues of lorries during the harvest."},
    "other": {"outlet": "River Times", "published": "2025-02-05", "title": "Council shuts Danube landing",
              "text": f"{FACT}, citing cracks found by engineers in the concrete pilings. "
                      "A temporary pontoon will open within three weeks, council officials said."},
    "silent": {"outlet": "Harbour Daily", "published": "2025-02-05", "title": "Harvest traffic on the Danube",
               "text": "Ferry operators on the Danube expect long queues of lorries at Tulcea during the harvest "
                       "season, and the county prefect promised extra buses for foot passengers."},
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    return ingest(tmp_path_factory.mktemp("claims"), ARTICLES)


def _claims(corpus: tuple[str, dict[str, str]], sources: dict[str, str], articles: dict = ARTICLES) -> list[dict]:
    db, ids = corpus
    with Store(db, readonly=True) as store:
        found = claims.extract(store, story(ids, list(articles), sources=sources))
    check_provenance(db, [a for c in found for a in c["asserted_by"]])
    return found


def _the_vote(found: list[dict]) -> dict:
    return next(c for c in found if "ferry landing" in c["text"] and "voted" in c["text"])


def test_a_claim_across_articles_and_its_omissions(corpus: tuple[str, dict[str, str]]) -> None:
    db, ids = corpus
    vote = _the_vote(_claims(corpus, {}))
    assert {a["article_id"] for a in vote["asserted_by"]} == {ids["origin"], ids["rewrite"], ids["other"]}
    assert vote["independent_sources"] == 3
    assert vote["omitted_by"] == [ids["silent"]]
    assert vote["contradicted_by"] == [] and vote["kind"] in ("event", "date")


def test_rewrites_of_one_origin_count_once(corpus: tuple[str, dict[str, str]]) -> None:
    vote = _the_vote(_claims(corpus, {"rewrite": "origin"}))
    assert len(vote["asserted_by"]) == 3
    assert vote["independent_sources"] == 2
    sources = {a["source_id"] for a in vote["asserted_by"]}
    assert len(sources) == 2


def test_claims_on_the_stores_own_storylines(corpus: tuple[str, dict[str, str]]) -> None:
    import storyline

    db, _ = corpus
    with Store(db, readonly=True) as store:
        for s in storyline.stories(db=db):
            for c in claims.extract(store, storyline.story(s["id"], db=db)):
                assert 1 <= c["independent_sources"] <= len(c["asserted_by"])
                assert c["id"] and c["text"]


def test_one_store_two_story_shapes_are_not_confused(corpus: tuple[str, dict[str, str]]) -> None:
    db, ids = corpus
    with Store(db, readonly=True) as store:
        apart = _the_vote(claims.extract(store, story(ids, list(ARTICLES))))
        together = _the_vote(claims.extract(store, story(ids, list(ARTICLES), sources={"rewrite": "origin"})))
    assert (apart["independent_sources"], together["independent_sources"]) == (3, 2)


def test_empty_or_unknown_storylines_give_nothing(corpus: tuple[str, dict[str, str]]) -> None:
    from storyline.analysis import conflicts, positions

    db, _ = corpus
    unknown = {"id": 99, "events": [{"id": 1, "article_ids": ["no-such-article"]}],
               "articles": [{"id": "no-such-article", "event_id": 1}]}
    with Store(db, readonly=True) as store:
        for s in ({}, {"id": 5, "events": []}, unknown):
            assert claims.extract(store, s) == []
            assert conflicts.find(store, s) == []
            assert positions.extract(store, s) == []


STRIKE = {
    "first": {"outlet": "Black Sea Wire", "published": "2025-03-03", "title": "Constanta dockworkers strike",
              "text": "Dockworkers at the port of Constanta walked off the job on Monday, halting grain exports "
                      "for the first time this year. Shipping agents said dozens of bulk carriers were waiting "
                      "at anchor outside the breakwater."},
    "reworded": {"outlet": "Danube Ledger", "published": "2025-03-03", "title": "Grain stops at Constanta",
                 "text": "Grain shipments from Constanta came to a stop on Monday after the port's dockworkers "
                         "went on strike over pay. Farmers in Dobrogea fear their silos will be full by April."},
    "later": {"outlet": "Harbour Daily", "published": "2025-03-04", "title": "Port of Constanta in numbers",
              "text": "The port of Constanta handled a record 30 million tonnes of grain last year, its director "
                      "told reporters in Bucharest. He expects a new terminal to open in the autumn. The port "
                      "employs about 4,000 people across its three basins. Dockworkers began a strike at the "
                      "port on Monday that halted grain exports, union leaders said."},
    "record": {"outlet": "Trade Weekly", "published": "2025-03-04", "title": "A record year for Constanta",
               "text": "The port of Constanta handled a record 30 million tonnes of grain last year, according "
                       "to figures its director gave to reporters in Bucharest on Tuesday."},
}


@pytest.fixture(scope="module")
def strike(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    return ingest(tmp_path_factory.mktemp("strike"), STRIKE)


def test_a_claim_is_counted_in_every_wording_and_not_in_sentences_about_something_else(
        strike: tuple[str, dict[str, str]]) -> None:
    """The strike is worded three ways, one of them late in its article; the port's record year names the
    same port and cargo but is another claim, asserted by the two articles that give it."""
    _, ids = strike
    found = _claims(strike, {}, STRIKE)
    by_article = {c["id"]: {a["article_id"] for a in c["asserted_by"]} for c in found}
    strike_claim = next(c for c in found if "strike" in c["text"] or "walked off" in c["text"])
    assert by_article[strike_claim["id"]] == {ids["first"], ids["reworded"], ids["later"]}
    assert strike_claim["independent_sources"] == 3
    assert ids["record"] in strike_claim["omitted_by"]
    record = next(c for c in found if "record 30 million" in c["text"])
    assert by_article[record["id"]] == {ids["later"], ids["record"]}


def test_sentences_giving_a_happening_different_days_dispute_it_rather_than_share_it() -> None:
    """A claim never joins "meet on Jan. 16" with "meet on Feb. 16" (that is a conflict), nor figures of one
    unit that cannot both be true; a day against no day, or one shared day, is no dispute."""
    from dataclasses import replace

    from storyline.analysis.facts import Fact
    from storyline.analysis.material import Doc, Sentence
    from storyline.analysis.numbers import quantities
    from storyline.analysis.words import content_stems

    def fact(text: str, *days: str) -> Fact:
        doc = Doc("a1", "North Wire", "2025-01-10", "2025-01-10", 1, "a1", text)
        return Fact(Sentence("a1", 0, 0, len(text), text), doc, frozenset(content_stems(text)), frozenset(),
                    frozenset(), tuple(quantities(text)), tuple((d, d, "explicit", frozenset()) for d in days),
                    (), frozenset(), (), (), False)

    january = fact("The two ministers will meet in Istanbul on Jan. 16.", "2025-01-16")
    february = fact("The two ministers will meet in Istanbul on Feb. 16.", "2025-02-16")
    undated = fact("The two ministers will meet in Istanbul.")
    both = replace(february, days=february.days + january.days)
    assert claims._disagree(january, february)
    assert not claims._disagree(january, undated) and not claims._disagree(january, both)
    assert claims._disagree(fact("The strike idled 3,000 workers at the port."),
                            fact("The strike idled 5,000 workers at the port."))
