"""Conflicts that are not: the classes of false conflicts found by reading what the brief reported on real
multi-outlet news (figures that are no reported value, a toll that grows, a demand that moves, two things
of one kind, quote variants of one polarity, days that are names, sites of two gatherings ...), each with
the case that still is one."""

from __future__ import annotations

from storyline.analysis import align, conflicts, number_conflicts
from storyline.analysis.facts import Fact, build
from storyline.analysis.material import Doc, Material, Mention, Sentence
from storyline.analysis.numbers import quantities

from analysis_support import fact as _fact, figure as _figure


def _numbers(first: str, second: str, day: str | None = "2025-06-10", event: int = 1) -> list[dict]:
    """The number conflicts between two one-sentence reports of two outlets (the second dated ``day``, placed in
    ``event``; the first on 2025-06-10 in event 1)."""
    docs = {"a1": Doc("a1", "North Wire", "2025-06-10", "2025-06-10", 1, "a1", first),
            "a2": Doc("a2", "South Daily", day, day, event, "a2", second)}
    material = Material(docs=docs, sentences={a: [Sentence(a, 0, 0, len(d.text), d.text)] for a, d in docs.items()})
    return [c for c in conflicts.detect(material) if c["kind"] == "number"]


def test_figures_that_are_no_reported_value_are_not_compared() -> None:
    def figures(text: str) -> list[str]:
        return [q.text for q in align.comparable(_fact(text))]

    # a vague quantity, a projection or what could have been, the value a change started from, the rest of a whole
    assert figures("Protests were held in dozens of towns on Saturday.") == []
    assert figures("Twenty towns held protests on Saturday.") == ["Twenty"]
    assert figures("The model's first projection of 4,120 flood deaths was published on Monday.") == []
    assert figures("Officials said 4,120 people died in the floods.") == ["4,120"]
    assert figures("Some 3,000 lives could have been saved by an earlier warning.") == []
    assert figures("The jobless rate fell to 6.1 percent from 6.4 percent the month before.") == ["6.1 percent"]
    assert figures("The gunmen killed the consul and two other Moldovans in the raid.") == []


def test_an_outlet_giving_both_values_does_not_disagree() -> None:
    # each poll story gives both shares: 41 percent would keep the tax, 52 percent scrap it
    texts = {"a1": ("North Wire", "The survey found 41 percent of voters would keep the ferry tax, while 52 percent "
                                  "would scrap it."),
             "a2": ("South Daily", "In the survey, 52 percent of voters said they would scrap the ferry tax and 41 "
                                   "percent would keep it.")}
    assert _numbers(texts["a1"][1], texts["a2"][1]) == []


def test_undated_reports_are_compared_only_within_one_event() -> None:
    one, two = "Fifteen dockers were injured in the clash at the port.", "Twenty dockers were injured in the clash at the port."
    assert len(_numbers(one, two, "2025-06-10", 2)) == 1   # both dated, one day
    assert len(_numbers(one, two, None, 1)) == 1           # undated, placed in the same event
    assert _numbers(one, two, None, 2) == []               # undated, another event: maybe another day's count


def test_a_count_over_two_happenings_is_no_count_of_one() -> None:
    single = "The shooting at the Sulina market on Saturday left 22 people dead, police said."
    assert _numbers(single, "A pair of shootings at the Sulina market and the Tulcea quay on Saturday left 31 people "
                          "dead, police said.") == []
    assert len(_numbers(single, "The shooting at the Sulina market on Saturday left 26 people dead, police said.")) == 1


def test_a_photo_caption_is_no_fact() -> None:
    from storyline.analysis.facts import caption

    assert caption("Dockers march along the quay in Sulina, Romania, June 10, 2025.")
    assert caption("FILE - In this June 3, 2025 file photo, Mayor Ion Radu speaks in Tulcea.")
    assert caption("Mayor Ion Radu speaks at a rally on June 3, 2025, in Tulcea, Romania.")
    assert caption("A docker leaves the port of Sulina on June 10.")
    assert not caption("The strike ended on Tuesday, June 10, 2025.")
    assert not caption("Radu says the talks resume on June 10.")
    assert not caption("The agreement was signed on June 10, 2025.")


def test_a_quote_cut_short_inside_is_no_change_of_meaning() -> None:
    from storyline.analysis.material import Quote

    def quote(text: str) -> Quote:
        return Quote("q", 0, len(text), text, "direct", 1, "Ion Radu", "PERSON", None, None, 0, 1, None, "Radu")

    full = "The port is open again and I do not regret a single day of the strike. We go back to work on Monday"
    cut = "The port is open again. We go back to work on Monday"
    a, b = _fact(full), _fact(cut, "a2", "South Daily")
    # a whole sentence left out (with its "not") is an elision ...
    assert list(conflicts._variant_pair(a, quote(full), b, quote(cut))) == []
    # ... a "not" added is a change of meaning
    negated = "The port is not open again. We go back to work on Monday"
    (pair,) = conflicts._variant_pair(b, quote(cut), _fact(negated, "a3", "East Herald"), quote(negated))
    assert "negation" in pair.about


def test_an_average_is_compared_only_with_averages() -> None:
    (avg,) = quantities("Employers added 183,000 jobs on average in 2012.")
    assert avg.rate == "average"
    (month,) = quantities("Employers added 236,000 jobs in February.")
    assert month.rate is None


def test_a_description_or_a_surname_alone_names_no_other_person() -> None:
    from storyline.analysis.people_named import named_people

    base = ("The disputed payment of the overdue harbour fees owed to the river pilots of Sulina was made on Monday "
            "by {} to settle the long dispute over night shifts at the port.")

    def material(second: str) -> Material:
        one, two = base.format("Ion Radu"), base.format(second)
        docs = {"a1": Doc("a1", "North Wire", "2025-06-10", "2025-06-10", 1, "a1", one),
                "a2": Doc("a2", "South Daily", "2025-06-10", "2025-06-10", 1, "a2", two)}
        mentions = {"a1": [Mention(one.index("Ion"), one.index("Ion") + 8, "Ion Radu", "PERSON", 1, "Ion Radu", 0)],
                    "a2": [Mention(two.index(second), two.index(second) + len(second), second, "PERSON", 2, second, 0)]}
        return Material(docs=docs, sentences={a: [Sentence(a, 0, 0, len(d.text), d.text)] for a, d in docs.items()},
                        mentions=mentions)

    named = material("Dan Pavel")
    assert len(list(named_people(build(named), named))) == 1   # two people named for one act
    described = material("this mayor")
    assert list(named_people(build(described), described)) == []
    surname = material("Radu")   # an article naming the person by surname alone (a surname-only entity)
    assert list(named_people(build(surname), surname)) == []


def test_figures_of_partial_returns_are_not_compared() -> None:
    def figures(text: str) -> list[str]:
        return [q.text for q in align.comparable(_fact(text))]

    assert figures("With 37 percent of precincts reporting, Radu led Stan by 53 percent to 30 percent.") == []
    assert figures("Preliminary results gave the mayor 48 percent of the vote.") == []
    assert figures("Radu won the run-off with 48 percent of the vote.") == ["48 percent"]


def test_reports_of_one_figure_days_apart_are_not_compared() -> None:
    # the later report gives fewer: no toll growing (``test_a_toll_that_grows_is_no_conflict``)
    one, two = "Twenty dockers were injured in the clash at the port.", "Fifteen dockers were injured in the clash at the port."

    assert len(_numbers(one, two, "2025-06-13")) == 1                  # three days on: one count disputed
    assert _numbers(one, two, "2025-06-14") == [] and number_conflicts.NUMBER_DAYS == 3   # four: it may have moved


def test_a_toll_that_grows_is_no_conflict() -> None:
    def detect(first: str, second: str, day_b: str = "2025-06-11") -> list[dict]:
        return _numbers(first, second, day_b)

    fewer, more = "Twelve dockers were killed when the ferry capsized off Galati.", \
        "Seventeen dockers were killed when the ferry capsized off Galati."
    assert detect(fewer, more) == []                        # a day later, more dead: the toll grew
    assert len(detect(more, fewer)) == 1                    # a day later, fewer: the outlets disagree
    assert len(detect(fewer, more, "2025-06-10")) == 1      # the same day: they disagree
    assert align.tally(_figure(_fact("Police arrested 40 protesters outside the port."), "40"))
    assert not align.tally(_figure(_fact("The port handled 40 ships outside the season."), "40"))
    assert not align.tally(_figure(_fact("About 40 soldiers are killed each day on the front."), "About 40"))


def test_figures_whose_clauses_name_two_different_things_of_one_kind_are_not_compared() -> None:
    def fact(text: str, names: list[tuple[str, str]], article: str) -> Fact:
        f = _fact(text, article)
        spans = tuple((f"n:{n}", label, text.index(n), text.index(n) + len(n)) for n, label in names)
        return Fact(*[getattr(f, k) for k in Fact.__slots__ if k != "named"], spans)

    def scoped(x: tuple[str, list], y: tuple[str, list]) -> bool:
        a, b = fact(*x, "a1"), fact(*y, "a2")
        return align.same_scope(a, a.figures[0], b, b.figures[0])

    # two parties' seats, two ferries' passengers: each clause names one the other sentence never does
    assert not scoped(("Liberals will hold 47 seats in the new chamber.", [("Liberals", "NORP")]),
                      ("Conservatives will hold 53 seats in the new chamber.", [("Conservatives", "NORP")]))
    assert not scoped(("The Aurora carried 310 passengers on the crossing.", [("Aurora", "PRODUCT")]),
                      ("The Borealis carried 280 passengers on the crossing.", [("Borealis", "PRODUCT")]))
    # one party by another form of its name; a name outside the figure's clause; names of two kinds
    assert scoped(("Liberals will hold 47 seats in the new chamber.", [("Liberals", "NORP")]),
                  ("The Liberal group will hold 53 seats in the new chamber.", [("Liberal", "NORP")]))
    assert scoped(("The ferry carried 310 passengers, Mayor Ilie Stan said.", [("Ilie Stan", "PERSON")]),
                  ("The ferry carried 280 passengers, Captain Dan Pop said.", [("Dan Pop", "PERSON")]))
    assert scoped(("Stan's decree threatens 800 dockers who work at the port.", [("Stan", "PERSON")]),
                  ("The dispute is over 700 Galatians who work at the port.", [("Galatians", "NORP")]))


def test_what_no_one_disputes_in_quotes_and_sites() -> None:
    from storyline.analysis.facts import _sites
    from storyline.analysis.material import Quote

    def quote(text: str, kind: str, speaker_id: int, speaker: str) -> Quote:
        return Quote("q", 0, len(text), text, kind, speaker_id, speaker, "PERSON", None, None, 0, 1, None, speaker)

    words = "the ferry toll must be scrapped before the summer season"
    a, b = _fact(f"Radu said {words}."), _fact(f"Stan said {words}.", "a2", "South Daily")
    # two speakers credited with one wording: disputed when both are their own words, not a reporter's paraphrase
    assert list(conflicts._speaker_pair(a, quote(words, "direct", 1, "Radu"), b, quote(words, "direct", 2, "Stan")))
    assert not list(conflicts._speaker_pair(a, quote(words, "indirect", 1, "Radu"), b,
                                            quote(words, "direct", 2, "Stan")))
    # "why don't they" suggests, it does not negate
    assert conflicts._plain(conflicts._raw_tokens("Why don't they go back")) == ["Why", "do", "they", "go", "back"]
    assert conflicts._plain(conflicts._raw_tokens("Why not go back")) == ["Why", "go", "back"]
    # a country holds the city another report names; an organisation's initials are no site
    assert conflicts._country((("p:fin", "Finland"),)) and not conflicts._country((("p:hel", "Helsinki"),))
    text = "Radu met Stan at the NATO summit on Monday."
    s = Sentence("a1", 0, 0, len(text), text)
    nato = Mention(text.index("NATO"), text.index("NATO") + 4, "NATO", "ORG", 3, "NATO", 0)
    assert list(_sites(s, [nato])) == []
    assert list(_sites(s, [])) == []        # initials, even untagged: "the NATO summit", "the G-7 summit"
    oval = "Radu met Stan during their Oval Office meeting on Monday."
    assert list(_sites(Sentence("a1", 0, 0, len(oval), oval), [])) == [("n:oval office", "Oval Office")]


def test_quote_variants_differ_in_polarity_not_in_wording() -> None:
    from storyline.analysis.material import Quote

    def variant(x: str, y: str) -> list[str]:
        def quote(text: str) -> Quote:
            return Quote("q", 0, len(text), text, "direct", 1, "Radu", "PERSON", None, None, 0, 1, None, "Radu")
        return [p.about for p in conflicts._variant_pair(_fact(x), quote(x), _fact(y, "a2", "South Daily"), quote(y))]

    negated = "We will not reopen the port to grain ships before the winter season."
    assert variant(negated, "We will reopen the port to grain ships before the winter season.")     # a "not" dropped
    same_meaning = [
        # one polarity written two ways ("will never" / "will not", "is not" / "isn't"); emphasis said twice
        ("The port will never reopen to grain ships this winter.",
         "The port will not reopen to grain ships this winter."),
        ("The evidence is not sufficient to charge the harbour master with fraud.",
         "The evidence isn't sufficient to charge the harbour master with fraud."),
        ("It never happened at the port. It never happened.",
         "It never, never happened at the port. It never happened."),
        ("I did not have talks with the Galati dockers, and I cannot comment.",
         "I didn't have — did not have talks with the Galati dockers, and I can't comment."),
        ("But why aren't the dockers the focus of the inquiry?",
         "But why aren›t the dockers the focus of the inquiry?"),
        # a number in words or digits is one number; a longer quote with a lead-in, or a stretch more, no rewording
        ("The ferry left the quay at 3 o'clock in the morning, the captain said.",
         "The ferry left the quay at three o'clock in the morning, the captain said."),
        ("Radu is a fine man, and while he will not run again, he leaves a record nobody can question.",
         "Radu leaves \"a record nobody can question.\""),
        # one common word elsewhere in a longer quote does not stretch the part both quote
        ("Working with Galati is a good thing, not a bad thing.",
         "working with Galati is a good thing, but should the port trust a mayor with a record of broken promises"),
    ]
    assert [x for x, y in same_meaning if variant(x, y)] == []


def test_figures_that_are_requirements_parts_or_bounds_are_not_compared() -> None:
    def figures(text: str) -> list[str]:
        return [q.text for q in align.comparable(_fact(text)) if not align.threshold(_fact(text), q)]

    assert figures("In the council, where 31 votes are needed to pass the budget, Radu has 28 votes.") == ["28"]
    assert figures("Stan still lacks the 1,991 delegates he needs to win.") == []
    assert figures("It takes two rounds of 31 votes to pass the harbour budget.") == []
    assert figures("So we have to get to 31 votes on the harbour budget.") == []
    assert figures("Sixteen of the delegates are chosen by district.") == []      # a part of a group of no given size
    assert figures("Radu holds 61 of the council's 110 seats.") == ["61"]
    (plus,) = quantities("1.3M+ loans have been approved so far.")
    assert plus.low == 1_300_000 and plus.high == float("inf")                    # "1.3M+": at least
    (half,) = quantities("At least half a dozen ports closed.")
    assert (half.low, half.high) == (6, float("inf"))


def test_a_demand_stated_on_two_days_may_have_changed() -> None:
    (insisted,) = [q for q in quantities("The mayor shut the port by insisting that any budget include $5 billion for "
                                         "the new quay.") if q.unit == "$"]
    (demand,) = quantities("The meeting opened with his $5.6 billion demand for a quay.")
    (plan,) = quantities("The plan called for $2.8 billion for the quay.")
    assert insisted.demand and demand.demand and insisted.proposal and demand.proposal
    assert plan.proposal and not plan.demand

    def detect(first: str, second: str, day_b: str) -> list[dict]:
        docs = {"a1": Doc("a1", "North Wire", "2025-06-10", "2025-06-10", 1, "a1", first),
                "a2": Doc("a2", "South Daily", day_b, day_b, 1, "a2", second)}
        material = Material(docs=docs, sentences={a: [Sentence(a, 0, 0, len(d.text), d.text)] for a, d in docs.items()})
        return [c for c in conflicts.detect(material) if c["kind"] == "number"]

    one, two = ("The mayor insists the harbour budget include $5 billion for the new grain quay.",
                "The mayor insists the harbour budget include $5.7 billion for the new grain quay.")
    assert len(detect(one, two, "2025-06-10")) == 1     # one day, two figures of one demand
    assert detect(one, two, "2025-06-12") == []          # two days on: the demand may have moved


def test_days_that_are_names_timeline_entries_citations_or_one_written_day() -> None:
    from storyline.analysis.facts import _event_days
    from storyline.analysis.material import Time

    def days(text: str, said: str, value: str) -> list[str]:
        at = text.index(said)
        time = Time(at, at + len(said), said, "DATE", value, "day", "weekday", 0)
        return [d[0] for d in _event_days(Sentence("a1", 0, 0, len(text), text), [time])]

    assert days("Stan is spending heavily in states voting on Super Tuesday.", "Tuesday", "2025-03-04") == []
    assert days("September 5: The court in Galati hears the dockers' case.", "September 5", "2025-09-05") == []
    # a list run into one line leaves the previous entry's words before the next one's day
    assert days("Galati hearing September 12: Braila hearing", "September 12", "2025-09-12") == []
    assert days("The court met again on September 12: a hearing in Braila.", "September 12", "2025-09-12") == \
        ["2025-09-12"]
    assert days("The court in Galati heard the dockers' case on September 5.", "September 5", "2025-09-05") == \
        ["2025-09-05"]
    # a listed remark's citation: when and where it was said, not a happening's day
    assert days("\u201cThe quay will be the best in Europe.\u201d (September 5 on Twitter and once more since)",
                "September 5", "2025-09-05") == []


def test_a_holder_fired_a_title_and_a_first_word_title_name_no_post_or_middle_name() -> None:
    from storyline.analysis.post_holders import _held_now
    from storyline.analysis.speakers import TITLE_WORDS

    text = "Some were asked about the decision to fire port director Ion Rusu last year."
    assert not _held_now(text, text.index("Ion"), "port director")
    text = "Port director Ion Rusu said the quay would reopen."
    assert _held_now(text, text.index("Ion"), "Port director")
    assert "lady" in TITLE_WORDS   # "First Lady Ana Pop" tagged "Lady Ana Pop": Ana is no middle name
    # a page's line break cut "the two men on his list - former [break] Port director Ion Rusu" in two
    from storyline.analysis.post_holders import _with_lead

    page = "He told the two men on his list, former\n\nPort director Ion Rusu and Ana Pop, of his choice."
    cut = page.index("Port")
    f = _fact(page[cut:])
    f = Fact(Sentence("a1", 1, cut, len(page), page[cut:]), Doc("a1", "North Wire", "2025-06-10", "2025-06-10", 1,
                                                                  "a1", page), f.stems, f.entities, f.people,
             f.figures, f.days, f.place_spans, f.locations, f.sites, f.instruments, f.quoted)
    text, lead = _with_lead(f)
    assert not _held_now(text, page.index("Ion") - cut + lead, "Port director")
    whole = "He named his choice. Port director Ion Rusu agreed."
    cut = whole.index("Port")
    g = Fact(Sentence("a1", 1, cut, len(whole), whole[cut:]), Doc("a1", "North Wire", "2025-06-10", "2025-06-10", 1,
                                                                   "a1", whole), f.stems, f.entities, f.people,
             f.figures, f.days, f.place_spans, f.locations, f.sites, f.instruments, f.quoted)
    assert _with_lead(g) == (whole[cut:], 0)     # a sentence after a full stop is read alone


def test_an_instruments_name_for_a_field_or_another_purpose_names_no_text() -> None:
    from storyline.analysis.facts import _field

    text = "Immigration attorneys and family law experts say the rules are vague."
    assert _field(text, text.index("law"), text.index("law") + 3)
    text = "Law enforcement officers closed the port."
    assert _field(text, 0, 3)
    text = "The law takes effect in May."
    assert not _field(text, 4, 7)
    def purpose(text: str, name: str, kind: str) -> str | None:
        f = _fact(text)
        return conflicts._purpose(Fact(f.sentence, f.doc, f.stems, f.entities, f.people, f.figures, f.days,
                                       f.place_spans, f.locations, f.sites, ((kind, name),), False))

    assert purpose("The mayor signed an executive order to freeze pay for port workers.", "executive order",
                   "decree") == "freez"
    assert purpose("The mayor signed legislation to give back pay to port workers.", "legislation", "law") == "giv"
    assert purpose("The mayor signed the law on Friday.", "law", "law") is None


def test_a_speaker_reading_out_anothers_words_is_no_speaker_dispute() -> None:
    assert conflicts._RELAYED.search("In his letter Radu quotes directly from the report: the port is safe.")
    assert conflicts._RELAYED.search("Citing the report, Radu said the port is safe.")
    assert not conflicts._RELAYED.search("Radu said the port is safe.")


def test_round_numbers_ranges_and_expectations_are_read_as_written() -> None:
    def figures(text: str) -> list[str]:
        return [q.text for q in align.comparable(_fact(text))]

    # "1,700 miles" is rounded to hundreds: 1,741 is within it; "57" is not "63"
    assert align.rounded(_figure(_fact("The rocket climbed 1,700 miles."), "1,700")) == (1655.0, 1745.0)
    assert align.rounded(_figure(_fact("The ferry carried 57 dockers."), "57")) == (56.55, 57.45)
    assert figures("Another 15 to 25 inches of rain fell on Galati.") == []          # the ends of a range
    assert figures("Radu beat Stan by 53 percent to 30 percent.") == ["53 percent", "30 percent"]   # a score
    assert figures("Another 25 inches of rain are still expected in Galati.") == []   # a forecast
    assert figures("The storm is expected to bring 30 inches of rain to Galati.") == []


def test_a_bound_is_no_value_a_part_or_an_older_count_disputes() -> None:
    detect = _numbers

    # "at least three" ports, and two of them named: a part of the whole, not another value of it
    assert detect("The dockers' strike has closed at least three Danube ports since the walkout began on Monday.",
                  "The dockers' strike has closed two Danube ports since the walkout began on Monday.") == []
    assert detect("The dockers' strike has closed more than 30 Danube quays since the walkout began on Monday.",
                  "The dockers' strike has closed 24 Danube quays since the walkout began on Monday.") == []
    # two values: the outlets disagree
    assert len(detect("The dockers' strike has closed 30 Danube quays since the walkout began on Monday.",
                      "The dockers' strike has closed 24 Danube quays since the walkout began on Monday.")) == 1
    # an estimate below the bound is another value of the whole
    assert len(detect("The dockers' strike has closed more than 30 Danube quays since the walkout began on Monday.",
                      "The dockers' strike has closed about 20 Danube quays since the walkout began on Monday.")) == 1
    # a toll's bound on the same day is disputed by a lower count (a toll of two days grows: ``grown``)
    assert len(detect("At least 20 dockers were injured in the clash at the port.",
                      "Fifteen dockers were injured in the clash at the port.")) == 1
    fifteen = _figure(_fact("Fifteen dockers were injured."), "Fifteen")
    assert align.beyond_bound(_figure(_fact("Up to 12 quays closed."), "Up to 12"), fifteen)
    assert not align.beyond_bound(fifteen, _figure(_fact("Up to 12 quays closed."), "Up to 12"))


def test_a_range_with_its_unit_on_both_ends_gives_no_value() -> None:
    def figures(text: str) -> list[str]:
        return [q.text for q in align.comparable(_fact(text))]

    assert figures("Some quays in Galati stood under 16 inches to 30 inches of water.") == []
    # a change: the value it reached is a value (the one it started from is not)
    assert figures("The water on the quays rose from 16 inches to 30 inches overnight.") == ["30"]
    assert figures("Radu beat Stan by 53 percent to 30 percent.") == ["53 percent", "30 percent"]


def test_a_weekday_and_a_named_date_a_month_apart_are_two_happenings() -> None:
    from storyline.analysis.material import Time

    def detect(named: str, value: str) -> list[dict]:
        texts = {"a1": ("North Wire", "2025-06-11",
                        f"The dockers' union sent a letter to the port authority on {named} asking for talks."),
                 "a2": ("South Daily", "2025-06-11",
                        "The dockers' union sent a letter to the port authority on Tuesday asking for talks.")}
        docs = {a: Doc(a, o, d, d, 1, a, t) for a, (o, d, t) in texts.items()}
        said = {"a1": (named, value, "explicit"), "a2": ("Tuesday", "2025-06-10", "weekday")}
        times = {a: [Time(t.index(said[a][0]), t.index(said[a][0]) + len(said[a][0]), said[a][0], "DATE", said[a][1],
                          "day", said[a][2], 0)] for a, (_, _, t) in texts.items()}
        material = Material(docs=docs, sentences={a: [Sentence(a, 0, 0, len(d.text), d.text)] for a, d in docs.items()},
                            times=times)
        return [c for c in conflicts.detect(material) if c["kind"] == "date"]

    assert len(detect("May 27", "2025-05-27")) == 1     # two weeks off: one letter, two days
    assert detect("March 3", "2025-03-03") == []        # three months: an older letter and a new one


def test_the_first_day_of_a_span_is_no_happenings_day() -> None:
    from storyline.analysis.material import Time

    def detect(first: str, value: str) -> list[dict]:
        texts = {"a1": ("North Wire", "2025-10-01", f"A Harbour Institute poll run {first} found 45% backed the strike."),
                 "a2": ("South Daily", "2025-10-01", "A Harbour Institute poll run Sept. 24 found 45% backed the strike.")}
        docs = {a: Doc(a, o, d, d, 1, a, t) for a, (o, d, t) in texts.items()}
        said = {"a1": (first.split("-")[0], value), "a2": ("Sept. 24", "2025-09-24")}
        times = {a: [Time(t.index(said[a][0]), t.index(said[a][0]) + len(said[a][0]), said[a][0], "DATE", said[a][1],
                          "day", "explicit", 0)] for a, (_, _, t) in texts.items()}
        material = Material(docs=docs, sentences={a: [Sentence(a, 0, 0, len(d.text), d.text)] for a, d in docs.items()},
                            times=times)
        return [c for c in conflicts.detect(material) if c["kind"] == "date"]

    assert len(detect("Sept. 26", "2025-09-26")) == 1
    assert detect("Sept. 26-30", "2025-09-26") == []


def test_the_standing_body_of_law_is_no_instrument() -> None:
    from storyline.analysis.facts import _field

    for text in ("Current US law gives the mayor broad powers over the port.",
                 "The mayor wants to change a provision of a law known as Article 9 that shields the port."):
        at = text.lower().index("law ")
        assert _field(text, at, at + 3), text
    text = "The council passed a law banning night shifts at the port."
    assert not _field(text, text.index("law"), text.index("law") + 3)


def test_a_name_modifying_a_noun_credits_no_speaker() -> None:
    from storyline.analysis.material import Quote

    def quote(speaker: str) -> Quote:
        return Quote("q", 0, 10, "the port will close", "direct", 1, speaker, "PERSON", None, None, 0, 1, None,
                     speaker)

    assert conflicts._named_in(quote("Ion Radu"), _fact("He predicted that the Radu inquiry would close the port."))\
        is False
    assert conflicts._named_in(quote("Ion Radu"), _fact("Radu predicted that the inquiry would close the port."))
    # the name as the speaker phrase wrote it, too
    radu = Quote("q", 0, 10, "the port will close", "direct", 1, "Ion Radu", "PERSON", None, None, 0, 1, None, "Radu")
    assert conflicts._named_in(radu, _fact("He predicted that the Radu inquiry would close the port.")) is False


def test_an_age_on_a_day_to_come_is_not_compared() -> None:
    def ages(first: str, second: str) -> list:
        docs = {"a1": Doc("a1", "North Wire", "2025-06-10", "2025-06-10", 1, "a1", first),
                "a2": Doc("a2", "South Daily", "2025-06-10", "2025-06-10", 1, "a2", second)}
        mentions = {a: [Mention(d.text.index("Radu"), d.text.index("Radu") + 4, "Radu", "PERSON", 1, "Ion Radu", 0)]
                    for a, d in docs.items()}
        material = Material(docs=docs, sentences={a: [Sentence(a, 0, 0, len(d.text), d.text)] for a, d in docs.items()},
                            mentions=mentions)
        return list(number_conflicts.ages(build(material), material))

    now = "Mayor Ion Radu, 63, opened the quay on Monday."
    assert len(ages(now, "The 64-year-old mayor Ion Radu opened the quay on Monday.")) == 1
    # the challengers would be running against a mayor a year older by then
    assert ages(now, "They would be running against the 64-year-old mayor Ion Radu next spring.") == []


def test_the_size_of_a_place_said_in_passing_is_one_quantity() -> None:
    # two outlets give the harbour town two sizes, each in a sentence about something else
    found = _numbers("The strike has divided the harbour town of 21,000 since the ferry levy was announced.",
                     "Police made dozens of arrests overnight in the Danube port town of 24,500.")
    assert [sorted(s["value"] for s in c["sides"]) for c in found] == [["21,000", "24,500"]]
    # sizes far apart are two places; a town of cows is no town's size
    assert _numbers("The strike has divided the harbour town of 21,000 since the ferry levy was announced.",
                    "Police made dozens of arrests overnight in the Danube city of 240,000.") == []
    assert align.comparable(_fact("The island town of 2,000 cows has one dairy."))[0].unit == "cow"
