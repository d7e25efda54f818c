"""Conflicts across sources: hedged numbers as ranges, decree vs law, a negated quote variant, a speaker
conflict, an event date, a meeting's site across articles, and what must not be a conflict (the same
figure worded differently, overlapping ranges, two sites one article gives). More classes of what is not a
conflict on real news: ``test_conflicts_unseen_news``."""

from __future__ import annotations


import pytest

from storyline.analysis import align, conflicts, number_conflicts
from storyline.analysis.facts import Fact, build
from storyline.analysis.material import Doc, Material, Mention, Sentence
from storyline.analysis.numbers import quantities
from storyline.analysis.words import fold
from storyline.store import Store

from analysis_support import check_provenance, fact as _fact, figure as _figure, ingest, story

FERRY = "Ferry tariffs on the Danube crossings will stay frozen until the end of the summer season"
LEAD = "The border crossing at Vama Veche was closed to freight traffic on Monday"
ARTICLES = {
    "north": {"outlet": "North Wire", "published": "2025-03-03", "title": "Lorries stranded at Vama Veche",
              "text": f"{LEAD}, and around 1,200 lorries were stuck in the queue at the crossing. "
                      "The closure was ordered by a presidential decree that bans freight traffic through the "
                      "crossing until the bridge repairs end. "
                      "\"We will not accept a closure that cuts our town off from the coast,\" Mayor Ion Radu said."},
    "south": {"outlet": "South Daily", "published": "2025-03-03", "title": "Queue of lorries grows at crossing",
              "text": f"{LEAD}, and more than 3,000 lorries were stuck in the queue at the crossing. "
                      "The closure was ordered by a law that bans freight traffic through the crossing until the "
                      "bridge repairs end. "
                      "\"We will accept a closure that cuts our town off from the coast,\" Mayor Ion Radu said."},
    "east": {"outlet": "East Herald", "published": "2025-03-03", "title": "Freight halted at Vama Veche",
             "text": f"{LEAD}, and some 1,250 lorries were stuck in the queue at the crossing. "
                     "Roughly 1,200 lorries were stuck in the queue at the crossing by the evening, officials said."},
    "west": {"outlet": "West Courier", "published": "2025-03-03", "title": "Mayor and governor on the closure",
             "text": f"{LEAD}. "
                     "\"We will not accept a closure that cuts our town off from the coast,\" Governor Maria Stan "
                     "said."},
    "deal-a": {"outlet": "North Wire", "published": "2025-04-02", "title": "Sulina dock strike ends",
               "text": "The port authority and the dockers' union signed an agreement on March 1 ending the strike "
                       "at the port of Sulina. Mayor Ion Radu met Governor Maria Stan in Constanta on Monday to "
                       "discuss the closure of the crossing. Ferries will resume next week. During their Tulcea "
                       "meeting, Radu pressed Stan on the date the crossing would reopen."},
    "deal-b": {"outlet": "South Daily", "published": "2025-04-02", "title": "Dockers return to work in Sulina",
               "text": "The port authority and the dockers' union signed an agreement on April 1 ending the strike "
                       "at the port of Sulina, and work resumed on the quays."},
    "sign-a": {"outlet": "North Wire", "published": "2025-05-06", "title": "Ferry tariffs frozen",
               "text": f"{FERRY}. The order freezing the ferry tariffs was signed by Transport Minister Dan Pavel "
                       "late on Monday evening in Bucharest."},
    "sign-b": {"outlet": "South Daily", "published": "2025-05-06", "title": "Ferry fares stay as they are",
               "text": f"{FERRY}. The order freezing the ferry tariffs was signed by Transport Minister Vlad Ionescu "
                       "late on Monday evening in Bucharest."},
    "sign-c": {"outlet": "East Herald", "published": "2025-05-06", "title": "Ministers freeze ferry fares",
               "text": f"{FERRY}. The order freezing the ferry tariffs was signed by Transport Minister Vlad Ionescu "
                       "late on Monday evening in Bucharest. Finance Minister Dan Pavel approved the cost."},
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    return ingest(tmp_path_factory.mktemp("conflicts"), ARTICLES)


def _find(corpus: tuple[str, dict[str, str]], keys: list[str]) -> list[dict]:
    db, ids = corpus
    with Store(db, readonly=True) as store:
        found = conflicts.find(store, story(ids, keys))
    check_provenance(db, [s for c in found for s in c["sides"]])
    return found


def _kinds(found: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for c in found:
        out.setdefault(c["kind"], []).append(c)
    return out


def test_hedges_read_as_ranges() -> None:
    (around,) = quantities("around 1,200 lorries")
    assert (around.low, around.high) == pytest.approx((1140, 1260))
    (upwards,) = quantities("upwards of 150,000 servicemen")
    assert upwards.low == 150000 and upwards.high == float("inf")
    (tens,) = quantities("tens of thousands of soldiers")
    assert (tens.low, tens.high) == (20000, 99999) and not tens.exact
    (least,) = quantities("at least 12 people")
    assert least.low == 12 and not least.overlaps(quantities("at most 10 people")[0])
    assert least.overlaps(quantities("14 people")[0])
    assert not quantities("in 2022 the council met") and quantities("a 25 per cent rise")[0].unit == "%"
    (wrapped,) = quantities("more  than\n1,500 troops killed each day")
    assert wrapped.low == 1500 and wrapped.high == float("inf") and wrapped.rate == "day"
    assert quantities("pledged €120 million")[0].low == 120_000_000


def test_number_words_are_read_whole() -> None:
    (compound,) = quantities("Seventy-five dock workers are being monitored.")
    assert (compound.low, compound.text) == (75, "Seventy-five")
    assert [q.low for q in quantities("Twenty one ferries and seventy barges")] == [21, 70]
    assert not quantities("The Seventh Fleet sailed in the twenty-first hour.")   # never "Seven" of "Seventh"


def test_number_decree_law_and_negated_quote(corpus: tuple[str, dict[str, str]]) -> None:
    kinds = _kinds(_find(corpus, ["north", "south"]))
    (number,) = kinds["number"]
    assert {s["value"] for s in number["sides"]} == {"around 1,200", "more than 3,000"}
    (instrument,) = kinds["instrument"]
    assert {s["value"] for s in instrument["sides"]} == {"presidential decree", "law"}
    (quote,) = kinds["quote"]
    assert "negation" in quote["about"] and len({s["article_id"] for s in quote["sides"]}) == 2
    assert "speaker" not in kinds  # one mayor, credited alike


def test_speaker_conflict(corpus: tuple[str, dict[str, str]]) -> None:
    kinds = _kinds(_find(corpus, ["north", "west"]))
    (speaker,) = kinds["speaker"]
    assert {s["value"] for s in speaker["sides"]} == {"Ion Radu", "Maria Stan"}
    assert 0 < speaker["confidence"] <= 1


def test_same_figure_other_wording_and_overlapping_ranges_are_no_conflict(
        corpus: tuple[str, dict[str, str]]) -> None:
    # "around 1,200" / "some 1,250" / "Roughly 1,200" overlap: no conflict, within or across articles
    assert "number" not in _kinds(_find(corpus, ["north", "east"]))


def test_event_date_and_meeting_place(corpus: tuple[str, dict[str, str]]) -> None:
    kinds = _kinds(_find(corpus, ["deal-a", "deal-b"]))
    (date,) = kinds["date"]
    assert sorted(s["value"] for s in date["sides"]) == ["April 1", "March 1"]   # the words each side writes
    assert "(2025-03-01)" in date["about"] and "(2025-04-01)" in date["about"]   # the days they mean
    # one article naming two sites of a meeting of the same two people names two meetings: on real news all such
    # pairs read were (the Hanoi summit and a later one in Washington), its writer knew both
    assert "place" not in kinds


def test_a_meetings_site_is_disputed_across_articles_for_one_kind_of_gathering() -> None:
    def sited(text: str, article: str, outlet: str, site: str) -> Fact:
        f = _fact(text, article, outlet)
        at = text.index(site)
        return Fact(f.sentence, f.doc, f.stems, f.entities, frozenset({"e1", "e2"}), f.figures, f.days,
                    (("n:" + fold(site), at, at + len(site)),), f.locations, (("n:" + fold(site), site),),
                    f.instruments, f.quoted)

    paris = sited("Brandt met Kovalenko in Paris on Saturday to discuss the ceasefire.", "a1", "North Wire", "Paris")
    rome = sited("Brandt met Kovalenko in Rome on Saturday to discuss the ceasefire.", "a2", "South Daily", "Rome")
    summit = sited("Brandt and Kovalenko held a summit in Rome on Saturday.", "a2", "South Daily", "Rome")
    other = sited("Brandt met Kovalenko in Rome on Saturday to discuss the ceasefire.", "a1", "North Wire", "Rome")
    unlike = sited("Years ago Brandt and Kovalenko first met in Rome as students of economics.", "a2", "South Daily",
                   "Rome")

    def places(*facts: Fact) -> list:
        material = Material(docs={f.article_id: f.doc for f in facts},
                            sentences={f.article_id: [f.sentence] for f in facts})
        return list(conflicts._places(list(facts), material))

    (pair,) = places(paris, rome)
    assert {pair.value_a, pair.value_b} == {"Paris", "Rome"}
    assert places(paris, summit) == []      # a meeting in Paris, a summit in Rome: two gatherings
    assert places(paris, other) == []       # one article, two sites: two meetings
    assert places(paris, unlike) == []      # two sentences about two meetings, not two reports of one


def test_sorted_by_confidence(corpus: tuple[str, dict[str, str]]) -> None:
    found = _find(corpus, ["north", "south", "east", "west"])
    assert found and [c["confidence"] for c in found] == sorted((c["confidence"] for c in found), reverse=True)
    assert all(len(c["sides"]) >= 2 and c["about"] for c in found)


def test_one_act_credited_to_two_people(corpus: tuple[str, dict[str, str]]) -> None:
    (person,) = _kinds(_find(corpus, ["sign-a", "sign-b"]))["person"]
    assert {s["value"] for s in person["sides"]} == {"Dan Pavel", "Vlad Ionescu"}
    # an article naming both people knows both took part: who signed is then not disputed by it
    assert "person" not in _kinds(_find(corpus, ["sign-a", "sign-c"]))


# -- alignment: what a figure counts, which figures compare (hand-built facts, no model) ------------------

def test_what_a_figure_counts() -> None:
    officials = _fact("The ministry fined 17 Hungarian officials over the contract.")
    suspects = _fact("Prosecutors detained 18 Hungarian suspects over the contract.")
    # a nationality before another noun counts that noun: officials and suspects are two things
    assert align.thing(officials, _figure(officials, "17")) == ("HUN", "official")
    assert align.thing(suspects, _figure(suspects, "18")) == ("HUN", "suspect")
    # citizens of no named nationality are the one country's the sentence names
    lost = _fact("Romanian Premier Ana Stan, whose country lost 38 citizens when the ferry sank, ordered an inquiry.")
    assert align.thing(lost, _figure(lost, "38")) == ("ROU", "person")
    listed = _fact("The ferry carried 150 people, and 70 were Moldovan and 41 were Romanian.")
    assert align.thing(listed, _figure(listed, "41")) == ("ROU", "person")
    assert align.thing(listed, _figure(listed, "150")) == (None, "person")   # people of no country
    about = number_conflicts._number_about(listed, _figure(listed, "41"), _figure(lost, "38"))
    assert about == "how many Romanian: 41 vs 38"   # the nationality after "were" says what is counted
    # troops: of the country named just before
    troops = _fact("Observers believe Serbia lost more than 900 troops in the winter campaign.")
    assert align.thing(troops, _figure(troops, "more than 900"))[0] == "SRB"
    # people of a named kind are counted, people of no kind are not
    for text, counted in [("The fee hits 700,000 apprentices.", True), ("The fee hits 700,000 migrants.", True),
                          ("The fee hits 700,000 people.", False)]:
        assert align.countable(_fact(text), quantities(text)[0]) == counted, text


def test_a_short_sentence_is_a_fact_when_it_gives_a_figure() -> None:
    texts = ["In all, 89 people were killed.", "It was over.", "Then the ferry stopped."]
    doc = Doc("a1", "North Wire", "2025-06-10", "2025-06-10", 1, "a1", " ".join(texts))
    sentences, at = [], 0
    for i, t in enumerate(texts):
        sentences.append(Sentence("a1", i, at, at + len(t), t))
        at += len(t) + 1
    facts = build(Material(docs={"a1": doc}, sentences={"a1": sentences}))
    assert [f.sentence.text for f in facts] == ["In all, 89 people were killed."]


def test_an_age_beside_a_surname_the_tagger_missed_is_that_persons() -> None:
    # "Malik" tagged as a place in one sentence, named as a person elsewhere in the storyline
    one = "Farook, 28, and Malik, 29, were married."
    two = "One of the attackers, 27-year-old Tashfeen Malik, posted online before the attack."
    docs = {"a1": Doc("a1", "North Wire", "2025-06-10", "2025-06-10", 1, "a1", one),
            "a2": Doc("a2", "South Daily", "2025-06-11", "2025-06-11", 1, "a2", two)}
    mentions = {"a1": [Mention(0, 6, "Farook", "PERSON", 1, "Syed Farook", 0),
                       Mention(16, 21, "Malik", "GPE", 2, "Malik", 0)],
                "a2": [Mention(two.index("Tashfeen"), two.index("Malik,") + 5, "Tashfeen Malik", "PERSON", 3,
                               "Tashfeen Malik", 0)]}
    material = Material(docs=docs, sentences={a: [Sentence(a, 0, 0, len(d.text), d.text)] for a, d in docs.items()},
                        mentions=mentions)
    found = {(x[2], x[3], x[6]) for x in number_conflicts.ages(build(material), material)}
    assert found == {("29", "27", ("age", "malik", (29, 29), (27, 27)))}


def test_one_persons_three_ages_are_one_dispute() -> None:
    # three sources give one man three ages: three pairs of one person's age, joined into one conflict (two
    # pairs keyed by one person used to break the join)
    texts = {"a1": ("North Wire", "Dragan Pop, 51, was arrested at the border on Monday."),
             "a2": ("South Daily", "The suspect, 53-year-old Dragan Pop, was arrested at the border."),
             "a3": ("East Herald", "Dragan Pop, 52, a lorry driver from Galati, was arrested at the border.")}
    docs = {a: Doc(a, outlet, "2025-06-10", "2025-06-10", 1, a, text) for a, (outlet, text) in texts.items()}
    mentions = {a: [Mention(d.text.index("Dragan"), d.text.index("Pop") + 3, "Dragan Pop", "PERSON", 7,
                            "Dragan Pop", 0)] for a, d in docs.items()}
    material = Material(docs=docs, sentences={a: [Sentence(a, 0, 0, len(d.text), d.text)] for a, d in docs.items()},
                        mentions=mentions)
    (age,) = [c for c in conflicts.detect(material) if c["about"].startswith("age")]
    assert {s["value"] for s in age["sides"]} == {"51", "52", "53"}
    assert {s["article_id"] for s in age["sides"]} == {"a1", "a2", "a3"}


def test_an_age_one_year_more_on_a_later_day_is_a_birthday() -> None:
    def ages(first: str, day_b: str) -> list[dict]:
        texts = {"a1": ("North Wire", "2025-06-10", f"Dragan Pop, {first}, was arrested at the border on Monday."),
                 "a2": ("South Daily", day_b, "Dragan Pop, 30, a lorry driver from Galati, was charged.")}
        docs = {a: Doc(a, outlet, day, day, 1, a, text) for a, (outlet, day, text) in texts.items()}
        mentions = {a: [Mention(0, 10, "Dragan Pop", "PERSON", 7, "Dragan Pop", 0)] for a in docs}
        material = Material(docs=docs, mentions=mentions,
                            sentences={a: [Sentence(a, 0, 0, len(d.text), d.text)] for a, d in docs.items()})
        return [c for c in conflicts.detect(material) if c["about"].startswith("age")]

    assert ages("29", "2025-06-24") == []           # 29, then 30 two weeks on: he may have had a birthday
    assert len(ages("29", "2025-06-10")) == 1       # 29 and 30 the same day: the outlets disagree
    assert len(ages("31", "2025-06-24")) == 1       # 31, then 30 later: no birthday makes a man younger
    assert len(ages("28", "2025-06-24")) == 1       # two years more in two weeks


def test_shares_of_different_wholes_and_the_whole_of_a_part_are_not_compared() -> None:
    population = _fact("Farmers make up 12 percent of the population of the county.")
    votes = _fact("Farmers cast 15 percent of all ballots in the county.", "a2", "South Daily")
    assert align.share_of(population, population.figures[0]) == "popul"
    assert align.figure_pair(population, population.figures[0], votes, votes.figures[0])[1] is None
    seats = _fact("The coalition now holds 61 of the council's 110 seats.")
    assert [q.text for q in align.comparable(seats)] == ["61"]
    # "one of three gunmen who died": how many there were is the fact
    one_of = _fact("Police named a man they believe was one of three gunmen who died outside the arena.")
    assert [q.text for q in align.comparable(one_of)] == ["three"]


def test_ordinals_ranks_and_names_are_never_compared() -> None:
    for text, written in [("She carried the 3rd ward easily.", "3"), ("He is the party's No. 2 official.", "2"),
                          ("They are among the top 10 lenders.", "10"), ("Ferry 418 left at dawn.", "418"),
                          ("Under Article 12 the appeal began.", "12")]:
        f = _fact(text)
        assert _figure(f, written) not in align.comparable(f), text
    for text in ["But 20 sheep died in the fire.", "About 6,000 clerks stayed home.", "The bridge cost $3 billion."]:
        f = _fact(text)
        assert align.comparable(f) == list(f.figures), text


def test_counts_of_one_named_kind_on_one_day_may_be_further_apart() -> None:
    a = _fact("Some 3,000 porters left their posts at the depot.")
    b = _fact("More than 5,000 porters joined the stoppage at the depot.", "a2", "South Daily")
    assert align.figure_pair(a, a.figures[0], b, b.figures[0])[0] > 0   # over 1.5 apart, one day: compared
    later = _fact("More than 5,000 porters joined the stoppage at the depot.", "a2", "South Daily", day="2025-06-12")
    assert align.figure_pair(a, a.figures[0], later, later.figures[0])[0] < 0   # days apart: only paraphrases


def test_what_an_amount_is_for_and_who_gave_it() -> None:
    a = _fact("The draft sets aside $4.1 billion in grants for dredging and other river navigation works.")
    b = _fact("Ministers said the plan holds $4.3 billion for new river navigation grants.", "a2")
    shared = align.around(a, a.figures[0]) & align.around(b, b.figures[0])
    assert {"river", "navig"} <= shared
    assert number_conflicts._needed_cosine(a, a.figures[0], b, b.figures[0]) == number_conflicts.NUMBER_COSINE_STRICT
    promised = _fact("Governor Ilse Marend promised €40 million for rebuilding the harbour.")
    promise = _fact("Marend toured the harbour and made a promise of €30 million to the fishermen.", "a2")
    assert align.act(promised, promised.figures[0]) == align.act(promise, promise.figures[0]) == "promis"


def test_pairs_of_one_quantity_join_and_updates_are_named() -> None:
    rows = [("a1", "North Wire", "nearly 800,000 apprentices"), ("a2", "South Daily", "nearly 700,000 apprentices"),
            ("a3", "East Herald", "nearly 800,000 apprentices"), ("a4", "North Wire", "roughly 700,000 apprentices")]
    facts = [_fact(f"The new levy spares {value} this year.", aid, outlet, index=i)
             for i, (aid, outlet, value) in enumerate(rows)]

    def pair(a: Fact, b: Fact) -> conflicts._Pair:
        qa, qb = a.figures[0], b.figures[0]
        key = (align.thing(a, qa), qa.rate, align.rounded(qa), align.rounded(qb))
        return conflicts._Pair("number", a, b, qa.text, qb.text, 0.7, "how many", key)

    # two pairs of other articles giving the same two values: one dispute with four sides
    (joined,) = conflicts._join([pair(facts[0], facts[1]), pair(facts[2], facts[3])])
    assert len(joined["sides"]) == 4 and not joined["update"]
    assert joined["updated_by"] == ["North Wire"]   # its two articles give both values
    other = _fact("The new levy spares nearly 300,000 apprentices this year.", "a5", "West Courier")
    assert len(conflicts._join([pair(facts[0], facts[1]), pair(facts[2], other)])) == 2


# -- alignment end to end (real pipeline, sentences written for these tests) --------------------------------

ALIGNED = {
    "age-a": {"outlet": "North Wire", "published": "2025-06-10", "title": "Reporter missing in Tulcea",
              "text": "Police said journalist Clara Weiss was last seen leaving the court house in Tulcea on Monday. "
                      "Prosecutor Daniel Brooks said the 48-year-old journalist had written about the harbour "
                      "contracts for years."},
    "age-b": {"outlet": "South Daily", "published": "2025-06-11", "title": "Search for reporter goes on",
              "text": "Clara Weiss, a 47-year-old reporter for the Delta Courier, was last seen leaving the court "
                      "house in Tulcea on Monday."},
    "pair-a": {"outlet": "North Wire", "published": "2025-06-10", "title": "Couple held after harbour fire",
               "text": "Police in Tulcea arrested a couple after the fire at the harbour warehouse. Anton Moraru, "
                       "41, and Irina Moraru, 38, were charged on Tuesday."},
    "pair-b": {"outlet": "South Daily", "published": "2025-06-11", "title": "Warehouse fire suspects",
               "text": "The suspects in the harbour warehouse fire in Tulcea were named as Anton Moraru and his "
                       "wife, 36-year-old Irina Moraru, who were charged on Tuesday."},
    "called-off": {"outlet": "North Wire", "published": "2025-06-13", "title": "Marin talks back on",
                   "text": "Foreign Minister Ion Marin said late on Friday that his ministry was having good talks "
                           "about reviving a June 30 meeting with Moldovan Prime Minister Dorin Lupu, a day after he "
                           "cancelled the meeting citing hostile remarks. Marin cancelled the meeting with Prime "
                           "Minister Lupu on Thursday in a letter after hostile remarks by Moldovan officials."},
    "home-a": {"outlet": "North Wire", "published": "2025-06-10", "title": "Second victim named",
               "text": "Dana Whitfield, 31, of Easton, Pa., died on Monday of injuries from the depot blast, her "
                       "brother said."},
    "home-b": {"outlet": "South Daily", "published": "2025-06-11", "title": "Families mourn depot victims",
               "text": "Relatives identified Dana Whitfield, a nurse from nearby Bethlehem, Pa., as one of the "
                       "people killed in the depot blast."},
    "home-c": {"outlet": "East Herald", "published": "2025-06-11", "title": "Depot blast victims",
               "text": "Dana Whitfield, a nurse from Easton, died in the depot blast, as did a driver from "
                       "Bethlehem."},
    "home-d": {"outlet": "West Courier", "published": "2025-06-11", "title": "An expert on depots",
               "text": "Leon Marsh, a chemist at the University of Pennsylvania, Philadelphia, said the depot "
                       "stored fertiliser."},
    "home-e": {"outlet": "North Wire", "published": "2025-06-12", "title": "Chemist explains blast",
               "text": "Leon Marsh, a chemist at the University of Pennsylvania, Pittsburgh, said fertiliser "
                       "can explode."},
    "meet-a": {"outlet": "North Wire", "published": "2025-06-11", "title": "Marin to meet Moldovan minister",
               "text": "Foreign Minister Ion Marin will meet his Moldovan counterpart in Chisinau on June 16, the "
                       "ministry said on Wednesday."},
    "meet-b": {"outlet": "South Daily", "published": "2025-06-11", "title": "Marin heads to Chisinau",
               "text": "Foreign Minister Ion Marin will meet his Moldovan counterpart in Chisinau on July 16, the "
                       "ministry said."},
    "fund-a": {"outlet": "North Wire", "published": "2025-06-11", "title": "Ferry bill fails",
               "text": "Deputies rejected a bill that would have kept the ferry service across the lagoon running "
                       "until June 16."},
    "fund-b": {"outlet": "South Daily", "published": "2025-06-11", "title": "Ferry deal agreed",
               "text": "Deputies approved a deal that keeps the ferry service across the lagoon running until "
                       "July 8."},
    "ban-a": {"outlet": "North Wire", "published": "2025-06-11", "title": "Export ban stays",
              "text": "The government must first revoke a presidential decree banning grain exports to the "
                      "north, the farm minister said."},
    "ban-b": {"outlet": "South Daily", "published": "2025-06-11", "title": "How the export ban began",
              "text": "Last spring parliament adopted a law banning grain exports to the north after a long "
                      "night of debate."},
    "ban-c": {"outlet": "East Herald", "published": "2025-06-11", "title": "Deputies try again on exports",
              "text": "For years deputies have tried to pass a law banning grain exports to the north, without "
                      "success."},
    "aid-a": {"outlet": "North Wire", "published": "2025-06-11", "title": "Harbour to be rebuilt",
              "text": "Governor Ilse Marend promised €40 million for rebuilding the storm-hit harbour of Sulina."},
    "aid-b": {"outlet": "South Daily", "published": "2025-06-12", "title": "Fishermen wait for the governor",
              "text": "When Marend finally toured the harbour she came with a promise of €30 million and a long "
                      "speech about thrift."},
    "say-a": {"outlet": "North Wire", "published": "2025-06-11", "title": "Minister rejects pay demand",
              "text": "Labour Minister Elena Vasile met the dockers' union in Constanta on Tuesday. Vasile said "
                      "the union's demand \"would be paid for by every family in the country.\""},
    "say-b": {"outlet": "South Daily", "published": "2025-06-12", "title": "Premier repeats the line",
              "text": "Prime Minister Victor Anghelescu repeated on Wednesday that a bigger raise \"would be paid "
                      "for by every family in the country.\""},
}


@pytest.fixture(scope="module")
def aligned(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    return ingest(tmp_path_factory.mktemp("aligned"), ALIGNED)


def test_an_age_belongs_to_the_person_the_description_names(aligned: tuple[str, dict[str, str]]) -> None:
    # "the 48-year-old journalist" in a sentence naming a prosecutor: the article's "journalist Clara Weiss"
    (age,) = _kinds(_find(aligned, ["age-a", "age-b"]))["number"]
    assert {s["value"] for s in age["sides"]} == {"48", "47"} and age["about"].startswith("age")


def test_a_storyline_past_the_compared_cap_has_its_conflicts_read_among_the_compared_sentences(
        aligned: tuple[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    # two sentences compared: each article's first; the age is in the second sentence of "age-a", so a long
    # storyline's brief does not load the sentence model for it
    from storyline.analysis import vectors

    monkeypatch.setattr(vectors, "MAX_COMPARED", 2)
    assert "number" not in _kinds(_find(aligned, ["age-a", "age-b"]))


def test_every_age_a_sentence_gives_belongs_to_the_name_beside_it(aligned: tuple[str, dict[str, str]]) -> None:
    # "Anton Moraru, 41, and Irina Moraru, 38, were charged": the second age is hers, disputed by "36-year-old"
    (age,) = _kinds(_find(aligned, ["pair-a", "pair-b"]))["number"]
    assert {s["value"] for s in age["sides"]} == {"38", "36"}


def test_one_article_naming_a_planned_day_and_a_weekday_dates_two_happenings(
        aligned: tuple[str, dict[str, str]]) -> None:
    # "a June 30 meeting" and "cancelled the meeting ... on Thursday": its writer knew both days
    assert "date" not in _kinds(_find(aligned, ["called-off"]))


def test_one_person_from_two_towns_of_one_state(aligned: tuple[str, dict[str, str]]) -> None:
    (home,) = _kinds(_find(aligned, ["home-a", "home-b"]))["place"]
    assert {s["value"] for s in home["sides"]} == {"Easton", "Bethlehem"} and "Whitfield" in home["about"]
    # a town without its state is not compared (a district and its city read alike), nor a university's campus
    assert "place" not in _kinds(_find(aligned, ["home-b", "home-c"]))
    assert "place" not in _kinds(_find(aligned, ["home-d", "home-e"]))


def test_a_date_inside_its_clause_dates_the_event_and_bounds_are_not_dates(
        aligned: tuple[str, dict[str, str]]) -> None:
    # "... in Chisinau on June 16, the ministry said": the meeting's day, not the day of saying
    (when,) = _kinds(_find(aligned, ["meet-a", "meet-b"]))["date"]
    assert {s["value"] for s in when["sides"]} == {"June 16", "July 16"}
    # "running until June 16" / "until July 8": the ends of two texts' terms, not one happening's day
    assert "date" not in _kinds(_find(aligned, ["fund-a", "fund-b"]))


def test_an_instrument_described_alike_and_one_still_to_be_made(aligned: tuple[str, dict[str, str]]) -> None:
    (instrument,) = _kinds(_find(aligned, ["ban-a", "ban-b"]))["instrument"]
    assert {s["value"] for s in instrument["sides"]} == {"presidential decree", "law"}
    # "tried to pass a law": a law to come is not the decree in force
    assert "instrument" not in _kinds(_find(aligned, ["ban-a", "ban-c"]))


def test_amounts_of_one_persons_one_act(aligned: tuple[str, dict[str, str]]) -> None:
    (amount,) = _kinds(_find(aligned, ["aid-a", "aid-b"]))["number"]
    assert {s["value"] for s in amount["sides"]} == {"€40 million", "€30 million"}


def test_a_speaker_credited_by_surname(aligned: tuple[str, dict[str, str]]) -> None:
    (speaker,) = _kinds(_find(aligned, ["say-a", "say-b"]))["speaker"]
    assert {s["value"] for s in speaker["sides"]} == {"Vasile", "Victor Anghelescu"}   # names as written
    assert "Elena Vasile vs Victor Anghelescu" in speaker["about"]
