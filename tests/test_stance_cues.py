"""Stance cues read over the parse: pledges and threats, backshifted needs, an own course announced, denials and
passing mentions that state nothing (sentences written for this test)."""

from __future__ import annotations

import pytest
from stance_support import stances_of


def _found(nlp, text: str) -> list[tuple[str, str]]:
    # no speech judge: only the cues are tested here
    return [(s.type, s.holder_name) for s in stances_of(nlp, text, judge=lambda span, kind, cue: None)]


@pytest.mark.parametrize("text,kind,holder", [
    # a pledge to undo something is against it; a pledge not to act refuses
    ("Senator Ana Mirea renewed her pledge to repeal the ferry levy.", "oppose", "Ana Mirea"),
    ("Governor Ion Dobre pledged not to implement the harbour tax.", "reject", "Ion Dobre"),
    # a threat made on a condition
    ("Union leader Victor Pop threatened to shut the docks if the ministry cut wages.", "condition", "Victor Pop"),
    # "needed to" after a past "said" is what was said to be needed
    ("Mayor Ion Dobre said the ministry needed to reopen the terminals.", "demand", "Ion Dobre"),
    # a passive obligation binds whoever is to do it: the speaker's demand
    ("Mayor Ion Dobre said the ferry levy should be dealt with separately.", "demand", "Ion Dobre"),
    ("\"Those responsible must be held to account,\" Senator Ana Mirea said.", "demand", "Ana Mirea"),
    # a negation covers the verbs "or" joins to the negated one
    ("An aide said Governor Ion Dobre did not endorse or support the harbour strike.", "oppose", "Ion Dobre"),
    # a stance noun after a light verb
    ("Senator Ana Mirea stressed the need for a full inquiry into the ferry fire.", "demand", "Ana Mirea"),
    # the speaker's own course
    ("Mayor Ion Dobre said he would restore the night ferries.", "offer", "Ion Dobre"),
    ("Senator Ana Mirea blamed Transport Minister Elena Stan for the delays.", "oppose", "Ana Mirea"),
    ("\"I couldn't vote for the ferry levy,\" Senator Ana Mirea said.", "oppose", "Ana Mirea"),
    ("\"We're not expanding the harbour toll,\" Governor Ion Dobre said.", "reject", "Ion Dobre"),
    ("Union leader Victor Pop withdrew his offer of a wage freeze.", "reject", "Victor Pop"),
    ("Senator Ana Mirea agrees with the court's ferry ruling.", "support", "Ana Mirea"),
    ("Governor Ion Dobre said he would veto the harbour bill.", "reject", "Ion Dobre"),   # a veto announced
    ("Governor Ion Dobre said he will resist implementing the ferry levy.", "reject", "Ion Dobre"),
    ("Senator Ana Mirea said she will resist the ferry levy.", "oppose", "Ana Mirea"),
    # a move made on a condition
    ("Governor Ion Dobre warned of heavy fines if the ferries stopped running.", "condition", "Ion Dobre"),
    ("Senator Ana Mirea warned that she would sue the ministry if the port closed.", "condition", "Ana Mirea"),
    ("Senator Ana Mirea said she will not vote for the budget without a ferry subsidy.", "condition",
     "Ana Mirea"),
    # "object to": a prepositional "to", not an infinitive
    ("The Harbour Union objects to the ferry toll.", "oppose", "Harbour Union"),
    # a modified group names a holder; a "who" clause's noun holds what the clause says
    ("Conservative groups are also opposing the ferry levy.", "oppose", "Conservative groups"),
    ("Governor Ion Dobre, who was a major opponent of the harbour bill, spoke on Monday.", "oppose", "Ion Dobre"),
    # a negated plan over a clause whose object hangs on "in": the clause is what is refused
    ("\"We are not going to participate in any ferry exchanges,\" Governor Ion Dobre said.", "reject",
     "Ion Dobre"),
    # objections raised: a light verb's stance noun
    ("Senator Ana Mirea has raised objections to the ferry levy.", "oppose", "Ana Mirea"),
    # a move an actor could make on a condition, reported
    ("The three senators indicated they could support the harbour bill if the toll is changed.", "condition",
     "three senators"),
    # a predicate on a copula holds its subject; a phrase whose object noun is part of it
    ("Senator Ion Dobre spoke on Monday. He is opposed to the ferry levy.", "oppose", "Ion Dobre"),
    ("Senator Ana Mirea took issue with the ferry cuts.", "oppose", "Ana Mirea"),
    ("Liberal senators lined up against the harbour toll.", "oppose", "Liberal senators"),
    ("Senator Ana Mirea spoke in defense of the ferry program.", "support", "Ana Mirea"),
    ("The Harbour Union expressed indignation about the ferry cuts.", "oppose", "Harbour Union"),
    # seeking a thing of others, wanting a thing done by others
    ("The Harbour Union is seeking the extradition of the ship's owners.", "demand", "Harbour Union"),
    ("Romania wants the smugglers to be extradited.", "demand", "Romania"),
    # a pledge made on what others do is a condition
    ("Ten mayors had pledged to mount a legal challenge to the levy if the ministry did not drop it.",
     "condition", "Ten mayors"),
    # asking others for a thing; cautioning against a course
    ("Mayor Ion Dobre asked the ministry for the ferry inspection reports.", "demand", "Ion Dobre"),
    ("Senator Ana Mirea cautioned against raising the harbour toll.", "oppose", "Ana Mirea"),
    ("Senator Ana Mirea stood by the striking ferry pilots.", "support", "Ana Mirea"),
    # unwilling to: a refusal; determined or committed to: an offer; "no plans to": a course ruled out
    ("Governor Ion Dobre said he was unwilling to raise the ferry toll.", "reject", "Ion Dobre"),
    ("\"We are committed to reopening the night ferries,\" said Mayor Ion Dobre.", "offer", "Ion Dobre"),
    ("Senator Ana Mirea had no plans to raise the harbour toll.", "reject", "Ana Mirea"),
    ("Governor Ion Dobre said the state will not go forward with the harbour toll.", "reject", "state"),
    # a that-clause in the bare form after a verb of insisting or suggesting: what is wanted done
    ("Senator Ana Mirea insisted that the ferry talks be held in public.", "demand", "Ana Mirea"),
    ("Mayor Ion Dobre suggested that the ministry drop the harbour toll.", "demand", "Ion Dobre"),
    # a participle of a statement is the one who issued it
    ("Mayor Ion Dobre issued a video urging the ministry to reopen the terminals.", "demand", "Ion Dobre"),
    ("Mayor Ion Dobre issued a statement calling the levy a mistake and urging the ministry to reopen the "
     "terminals.", "demand", "Ion Dobre"),
    # a refusal announced: "not going to", or "would not" reported after a past "said"
    ("\"We're not going to expand the harbour toll,\" Governor Ion Dobre said.", "reject", "Ion Dobre"),
    ("Moldova said it would not hand over the recovered flight recorders to the company.", "reject", "Moldova"),
    # an obligation to take a side is the speaker's side; a past verb the parse joins to that clause is his too
    ("Senator Ana Mirea said the council should oppose the harbour levy.", "oppose", "Ana Mirea"),
    ("Senator Ana Mirea said the council should drop the levy and slammed the harbour master.", "oppose",
     "Ana Mirea"),
    # a body's own course reported after "said": "it" is the body
    ("Moldova said it would download the flight data itself.", "offer", "Moldova"),
])
def test_cues_state_positions(nlp, text: str, kind: str, holder: str) -> None:
    found = _found(nlp, text)
    assert (kind, holder) in found, found


@pytest.mark.parametrize("text", [
    "The ministry rejected suggestions that the ferry had run aground.",        # a denial of a claim
    "Despite Mayor Ion Dobre's promise to build a bridge, the river stayed unbridged.",   # named in passing
    "Transport Minister Elena Stan declined to be specific about the talks.",   # a refusal of nothing
    "Senator Ana Mirea agreed with Mayor Ion Dobre on the new timetable.",      # an agreement, not backing
    "Mayor Ion Dobre signed the harbour decree on Monday.",                     # an act, on a day
    "Union leader Victor Pop said the ferries would not run until Friday.",     # a timetable, no condition
    "\"We would lose the ferry contract,\" Governor Ion Dobre said.",           # a consequence, no course
    "Transport Minister Elena Stan pushed back against the criticism from the union.",  # an answer to critics
    "The bill had no clause that Senator Ana Mirea opposes.",                  # any such clause, no stance
    "Governor Ion Dobre said the economy would suffer if the levy passed.",     # a forecast, no condition
    "Senator Ana Mirea is seeking re-election in the harbour district.",        # sought for oneself
    "Senator Ana Mirea is seeking to reopen the ferry line.",                   # an aim, no demand
    "Mayor Ion Dobre asked for comment on the ferry schedule.",                 # asking for comment
    "Senator Ana Mirea insisted that the ferry talks were held in public.",    # a claim, not a demand
    "The Harbour Union stood by its statement on the ferry schedule.",         # keeping to its word
    "Mayor Ion Dobre stood in the harbour square with the pilots' families.",  # standing somewhere
    "Senator Ana Mirea asked Governor Ion Dobre if he had read the ferry report.",   # a question
    "The ferry crew was ready to be evacuated, Mayor Ion Dobre said.",          # a state, not an offer
    "Senator Ana Mirea has no plans.",                                          # no course named
    "The Harbour Gazette reported that it would not include the ferry levy.",  # "it": the bill, not the paper
    "Mayor Ion Dobre said the ferry levy would not pass the council.",         # a forecast, no refusal
])
def test_no_positions(nlp, text: str) -> None:
    assert _found(nlp, text) == []


def test_pledge_if_elected_is_no_condition(nlp) -> None:
    """ "vowed to repeal it if elected": the holder's own prospect, a pledge against it, not a condition."""
    found = _found(nlp, "Senator Ana Mirea vowed to repeal the ferry levy if elected.")
    assert ("oppose", "Ana Mirea") in found and ("condition", "Ana Mirea") not in found, found


@pytest.mark.parametrize("text", [
    "Tomas Vell pledged allegiance to the Harbour Front in a video.",          # loyalty declared
    "Tomas Vell's pledge of allegiance to the Harbour Front was read aloud.",
    "Tomas Vell's pledge to the Harbour Front, if real, worried the police.",  # a pledge to someone, nothing promised
])
def test_a_pledge_of_loyalty_offers_nothing(nlp, text: str) -> None:
    assert ("offer", "Tomas Vell") not in _found(nlp, text)


def test_a_pledge_to_act_is_still_an_offer(nlp) -> None:
    assert ("offer", "Ion Dobre") in _found(nlp, "Mayor Ion Dobre pledged to rebuild the harbour pier.")


@pytest.mark.parametrize("text", [
    "\"I would not sign the levy if I thought it hurt the harbour,\" Governor Ion Dobre said.",
    "\"If we knew then what we know now, we would have closed the port,\" Governor Ion Dobre said.",
    "\"If we had heard the warning, we would have closed the port,\" Governor Ion Dobre said.",
])
def test_a_supposition_contrary_to_fact_is_no_condition(nlp, text: str) -> None:
    assert ("condition", "Ion Dobre") not in _found(nlp, text)


def test_a_condition_on_what_others_do_is_still_one(nlp) -> None:
    found = _found(nlp, "\"We will sign the levy only if the union agrees,\" Governor Ion Dobre said.")
    assert ("condition", "Ion Dobre") in found, found


@pytest.mark.parametrize("text,kind,holder", [
    # someone else's deed asked for, with what it acts on: a demand even with a verb of saying or giving
    ("Senator Ana Mirea urged the ministry to release the ferry report.", "demand", "Ana Mirea"),
    ("The Harbour Union wants Mayor Ion Dobre to give up the levy.", "demand", "Harbour Union"),
    # a refusal of something named
    ("The port police refused to identify the officer.", "reject", "port police"),
])
def test_a_quiet_verb_with_an_object_states_a_stance(nlp, text: str, kind: str, holder: str) -> None:
    assert (kind, holder) in _found(nlp, text)


@pytest.mark.parametrize("text", [
    "Mayor Ion Dobre asked Senator Ana Mirea to comment.",                   # nothing asked for
    "The port police declined to give details of the inquiry.",             # declining is the formula
    "The port police refused to say whether the officer was armed.",        # a refusal to say
    "The port police refused to comment.",
])
def test_a_quiet_verb_alone_states_nothing(nlp, text: str) -> None:
    assert _found(nlp, text) == []


@pytest.mark.parametrize("text,expected", [
    # what a speaker says must happen is the speaker's demand, not a stance of the one who should act
    ("\"It is essential that the harbour board push harder for the truth,\" Senator Ana Mirea said.",
     [("demand", "Ana Mirea")]),
    ("Senator Ana Mirea said it was vital that the council pass the ferry bill.", [("demand", "Ana Mirea")]),
    ("\"The harbour board should push harder for the truth,\" Senator Ana Mirea said.", [("demand", "Ana Mirea")]),
    # ... while a side someone should take is the speaker's side too, and "they must" is their own
    ("Senator Ana Mirea said the mayor should support the ferry bill.",
     [("demand", "Ana Mirea"), ("support", "Ana Mirea")]),
])
def test_a_necessity_laid_on_another_is_the_speakers_demand(nlp, text: str, expected: list) -> None:
    assert sorted(_found(nlp, text)) == sorted(expected)


@pytest.mark.parametrize("text,expected", [
    # a participle that is the adjective of the lexicon ("committed to", "prepared to") states the holder's course
    ("Mayor Ion Dobre said he was committed to closing the old ferry terminal.", [("offer", "Ion Dobre")]),
    ("Senator Ana Mirea is committed to repealing the ferry levy.", [("oppose", "Ana Mirea")]),
    # a pledge of an act with no object is the act offered; a pledge to vote no is against it
    ("The two mayors pledged to work together.", [("offer", "two mayors")]),
    ("Senator Ana Mirea pledged to vote no on the ferry bill.", [("oppose", "Ana Mirea")]),
    # an announced course with someone: an offer; a meeting planned is not one
    ("Mayor Ion Dobre said he would cooperate with the harbour inquiry.", [("offer", "Ion Dobre")]),
    ("Mayor Ion Dobre said he would meet with the harbour board on Friday.", []),
    # "opened himself to criticism", "vowed to remain in the race": no course offered
    ("Mayor Ion Dobre opened himself to all these charges.", []),
    ("Mayor Ion Dobre vowed to remain in the race.", []),
])
def test_pledged_and_committed_courses(nlp, text: str, expected: list) -> None:
    assert sorted(_found(nlp, text)) == sorted(expected)


def test_there_needs_to_be_after_i_believe_is_the_speakers_demand(nlp) -> None:
    text = "\"And so I really do believe that there needs to be a new ferry law,\" Senator Ana Mirea said."
    assert _found(nlp, text) == [("demand", "Ana Mirea")]


@pytest.mark.parametrize("text,expected", [
    # what a speaker says must not happen is against it; "must not relent" and a stance verb still demand
    ("\"Those children should not be forced to leave the island,\" Senator Ana Mirea said.", [("oppose", "Ana Mirea")]),
    ("\"The council must not relent in its pressure on the port,\" Senator Ana Mirea said.",
     [("demand", "Ana Mirea")]),
    # ready to act if someone else does something: a condition
    ("Senator Ana Mirea said the council is prepared to move quickly if the mayor fails to respond.",
     [("condition", "council")]),
])
def test_negated_obligations_and_conditional_readiness(nlp, text: str, expected: list) -> None:
    assert sorted(_found(nlp, text)) == sorted(expected)


@pytest.mark.parametrize("text,expected", [
    # gladness at what another did backs it; at a happening, or at what one will do oneself, it states nothing
    ("\"I was glad to see the mayor get off the campaign trail to focus on the fire,\" Senator Ana Mirea said.",
     [("support", "Ana Mirea")]),
    ("Senator Ana Mirea said she is pleased that the Harbour Authority is conducting its own inquiry.",
     [("support", "Ana Mirea")]),
    ("\"I'm at least happy that nobody has been seriously injured,\" Mayor Ion Dobre said.", []),
    ("Senator Ana Mirea said she was happy to see the ferry bill fail.", []),
    # ready to some degree is able, not willing
    ("An aide suggested every island clinic is fully prepared to treat a burn patient.", []),
])
def test_gladness_backs_what_another_did_and_readiness_in_a_degree_offers_nothing(nlp, text: str,
                                                                                  expected: list) -> None:
    assert sorted(_found(nlp, text)) == sorted(expected)


@pytest.mark.parametrize("text,expected", [
    # "he" in what a named person said is that person: his own obligation is his course, offered
    ("Mayor Ion Dobre suggested he might need to appoint a ferry commissioner.", [("offer", "Ion Dobre")]),
    # ... unless the clause names another first, or a group says it
    ("Senator Ana Mirea argued that while Ion Dobre could not cave to the union, he also needed to negotiate.",
     [("demand", "Ana Mirea")]),
    ("Dobre supporters have said he should be given the harbour medal.", [("demand", "Dobre supporters")]),
])
def test_a_named_speakers_own_obligation_is_his_course(nlp, text: str, expected: list) -> None:
    assert sorted(_found(nlp, text)) == sorted(expected)


def test_a_call_for_someone_to_act_says_what_is_called_for(nlp) -> None:
    text = "Senator Ana Mirea renewed her call for the ministry to direct the coast guard to screen every ferry."
    found = stances_of(nlp, text, judge=lambda span, kind, cue: None)
    assert [(s.type, s.holder_name) for s in found] == [("demand", "Ana Mirea")]
    assert text[found[0].start:found[0].end] == "call for the ministry to direct the coast guard to screen every ferry"


def test_a_stance_says_how_it_was_read(nlp) -> None:
    cue = "Senator Ana Mirea opposes the ferry levy."
    assert [s.basis for s in stances_of(nlp, cue, judge=lambda span, kind, cue: None)] == ["cue"]
    speech = "\"This levy is a disgrace and an insult to every islander,\" Senator Ana Mirea said."
    judged = stances_of(nlp, speech, judge=lambda span, kind, cue: "oppose")
    assert [(s.type, s.basis) for s in judged] == [("oppose", "judged")]


@pytest.mark.parametrize("text,expected", [
    # blame or an accusation for a hostile act says who did it: an attribution, not a stance
    ("On Saturday, Interior Minister Ana Mirea blamed the Harbour Front for the ferry bombing.", []),
    ("Interior Minister Ana Mirea accused the Harbour Front of sinking a coast guard cutter and shooting a sailor.",
     []),
    # blame for a course of action is opposition to it, and an accusation of something else keeps its stance even
    # when a hostile act is named deeper in its clause
    ("Interior Minister Ana Mirea blamed the Harbour Authority for the ferry levy.", [("oppose", "Ana Mirea")]),
    ("The Harbour Front accused Ana Mirea of spreading rumours that it was behind the bombing.",
     [("oppose", "Harbour Front")]),
    # the accused of a passive is no holder, also when the participle is joined to another
    ("In 2011, Ion Dobre was arrested and accused of fraud.", []),
    # a share of a public in a poll is an opinion measured, not an actor's stance
    ("According to the survey, a majority of Liberals backed the ferry levy, while only 39% of Greens liked it.", []),
    ("The poll found a partisan divide, with more than eight in ten Liberals agreeing with the ruling.", []),
    # the same words with no poll are a stance
    ("A majority of Liberal senators backed the ferry levy.", [("support", "Liberal senators")]),
    # a stance noun with "no" states none
    ("The island council said the ruling offered no endorsement of the ferry levy.", []),
    ("Senator Ana Mirea voiced no opposition to the ferry levy.", []),
    # a thing a name modifies takes no stance; "means" that something could happen is no intent
    ("Koster said Romanian law does not allow the ferry levy.", []),
    ("Therefore the Bucharest summit will not take place.", []),
    ("The levy came from a memo of the Harbour Authority, which means it could be rescinded at any time.", []),
    ("The Liberal Party means to repeal the ferry levy.", [("oppose", "Liberal Party")]),
    # backing only so far is a condition; "not only" negates nothing
    ("Senator Ana Mirea said the Liberal Party will only support a ferry subsidy through June.",
     [("condition", "Liberal Party")]),
    ("Senator Ana Mirea said she will not only support the ferry subsidy but also fund the new pier.",
     [("support", "Ana Mirea")]),
    # a refusal not made ("have not ruled out") is none; one made is
    ("Harbour police said they have not ruled out sabotage of the ferry.", []),
    ("The Harbour Authority would not rule out a second ferry levy.", []),
    ("The Harbour Authority ruled out a second ferry levy.", [("reject", "Harbour Authority")]),
])
def test_attributions_polls_denials_and_limits(nlp, text: str, expected: list) -> None:
    assert sorted(_found(nlp, text)) == sorted(expected)


@pytest.mark.parametrize("text,expected", [
    # the small parser hangs a main verb on the name before it, after an aside: the name is still its subject
    ("While the mayor predicted that most senators would vote for the bill and party leaders thanked the "
     "negotiators, Sen. Ana Mirea, L-Constanta, came out against it.", [("oppose", "Ana Mirea")]),
    ("Party leaders thanked the negotiators, Sen. Ana Mirea, L-Constanta, came out against the deal.",
     [("oppose", "Ana Mirea")]),
    ("The Harbour Front, the island's largest union, called for an inquiry into the ferry fire.",
     [("demand", "Harbour Front")]),
    # the same verb tagged a participle ("called" VBN, a clause of the name) after the aside
    ("The Harbour Front, the island's largest union, called on both sides to avoid further provocation.",
     [("demand", "Harbour Front")]),
    ("The Harbour Front, which represents 400 dockers, called for an inquiry into the ferry fire.",
     [("demand", "Harbour Front")]),
    ("Senator Ana Mirea said she has long opposed the ferry levy.", [("oppose", "Ana Mirea")]),
    # a participle naming something is no stance
    ("The ferry, called the Aurora, sank off Constanta.", []),
    # a state described, a backer by "by", a vow as a noun, a refusal to take part in something
    ("The Harbour Front, a union opposed to the ferry levy, filed a brief.", [("oppose", "Harbour Front")]),
    ("Ion Dobre, who was backed by the Harbour Front, lost the race.", [("support", "Harbour Front")]),
    ("Senator Ana Mirea's vow to repeal the ferry levy drew cheers.", [("oppose", "Ana Mirea")]),
    ("Governor Ion Dobre said his office will not participate in the lawsuit over the ferry levy.",
     [("reject", "Ion Dobre")]),
    # one of those who take a side takes it; whoever leads a side says what it says; a call to end something
    # is against it
    ("Sen. Ana Mirea is among those who now support the call to protect the dockers with legislation.",
     [("support", "Ana Mirea")]),
    ("Republicans, led by presumptive nominee Ion Dobre, call for eliminating the ferry levy and starting over.",
     [("oppose", "Republicans"), ("oppose", "Ion Dobre")]),
    # a title's plural keeps its last word
    ("Liberal attorneys general from ten counties vowed to challenge the ferry levy in court.",
     [("oppose", "Liberal attorneys general")]),
])
def test_misparsed_subjects_states_and_noun_vows(nlp, text: str, expected: list) -> None:
    assert _found(nlp, text) == expected
