"""Who holds a stance and who reports it (``extract.stance_actors``, ``extract.stance_holders``): a spokesperson's
or an organisation head's stance is their body's, a chamber member's is their own, a bare title is the person who
holds it, a vague subject is the name set beside it. Sentences written for these tests."""

from __future__ import annotations

import pytest
from stance_support import stances_of

from storyline.extract.stance_holders import leader_body, office_holder, public
from storyline.records import Mention


def _one(nlp, text: str, words: str, published: str | None = None):
    every = stances_of(nlp, text, published=published)
    found = [s for s in every if words in text[s.start:s.end]]
    assert len(found) == 1, [(s.type, s.holder_name, text[s.start:s.end]) for s in every]
    return found[0]


# (text, words of the stance, type, holder: "=name" exactly or a part of it, reporter: a part of it or None)
@pytest.mark.parametrize("text,words,kind,holder,reporter", [
    # a spokesman reporting the other side's refusal credits that side
    ("The Kremlin spokesman said on Monday that Ukraine refused to hold talks on the new border crossings.",
     "refused to hold talks", "reject", "=Ukraine", "spokesman"),
    # the president of an organisation, in an appositive that runs on, speaks for it
    ("\"We will fight the new pier in every court,\" said Maria Lenz, president of Harbour Watch, an organization "
     "that has campaigned for cleaner ports along the coast for twenty years.", "fight the new pier", "oppose",
     "=Harbour Watch", "Maria Lenz"),
    # "he" after a person named by a role who announces it is that person, not the last name before
    ("Ion Vasile, a columnist, was found dead in May. On Friday the chief prosecutor of the province announced "
     "he will seek life sentences for the three men charged.", "seek life sentences", "demand", "prosecutor", None),
    # a participle after an object is its subject's, and "e-mailed" is one word
    ("After Ion Radu was killed by police officers, student body president Elena Stan e-mailed the head of her "
     "university demanding that the school cut ties with the city police.", "school cut ties", "demand",
     "=Elena Stan", None),
    # a relative clause with a singular verb after two names joined by "and" is about the last of them
    ("The dispute has strained ties between Moldova and Romania, which has repeatedly accused the Moldovans of "
     "blocking the inquiry.", "accused the Moldovans", "oppose", "=Romania", None),
    # so does a spokeswoman "for" a body
    ("\"We oppose the night tolls and we will say so in court,\" said Ioana Vlad, spokeswoman for the Danube "
     "Boatmen Association, a trade group that represents river pilots.", "night tolls", "oppose",
     "Danube Boatmen Association", "Ioana Vlad"),
    # the head of "the pilots group": the pilots' organisation named before, not another one
    ("The National Pilots Association and Danube Shipping Company met on Monday. \"There is no reason to cheer a "
     "deal that cuts our pensions and betrays every pilot,\" said Jean Ross, president of the pilots group.",
     "no reason to cheer", "oppose", "=National Pilots Association", "Jean Ross"),
    # the state written before a senator's name is not the speaker
    ("\"The port levy is a disgrace and a betrayal of every family on the coast,\" Texas Republican Sen. Ana "
     "Mirea said on Tuesday.", "disgrace", "oppose", "=Ana Mirea", None),
    # a chamber's leader speaks for himself: his "we" is not the House
    ("\"We will block this budget with every vote we have,\" House Speaker Radu Marin told reporters on Friday.",
     "block this budget", "oppose", "=Radu Marin", None),
    # a noun that names nobody, with a name beside it: the name
    ("One member of the leadership team, Sen. Ana Mirea, announced on Friday that she opposes the port budget.",
     "opposes the port budget", "oppose", "=Ana Mirea", None),
    # a quote attributed to the owner of what is judged: the one who judges it speaks
    ("Sen. Ana Mirea, D-N.M., called Radu Marin's decision \"a heartless and grave mistake.\"", "grave mistake",
     "oppose", "=Ana Mirea", None),
    # two titles of one person, the first without an article: the person named
    ("Former Republican presidential candidate and Florida Gov. Radu Marin said the union should end the blockade "
     "of the port.", "end the blockade", "demand", "=Radu Marin", None),
    # a title narrowed to a country: the person named with that title and country
    ("Iranian Foreign Minister Ali Karimi met his European counterparts in Vienna on Monday. "
     "Iran's foreign minister later rejected the proposal for new inspections.", "rejected the proposal",
     "reject", "=Ali Karimi", None),
    # an "it" reported by a body is that body; a country's "it" is the country
    ("The Harbour Union said on Monday it would not accept the new ferry timetable.", "accept the new ferry",
     "reject", "=Harbour Union", None),
    ("Moldova says it is willing to reopen talks on the river border.", "willing to reopen", "offer", "=Moldova",
     None),
    # speech that judges: a bare title as the speaker is the one named with it; an appositive speaker its person
    ("Mayor Ion Dobre met the pilots on Monday. \"This toll is a disgrace and an insult to every family,\" the "
     "mayor said.", "disgrace", "oppose", "=Ion Dobre", None),
    ("Sen. Radu Marin, a Texas Republican, said the ferry toll was a disgrace and an insult to every family.",
     "disgrace", "oppose", "=Radu Marin", None),
    # a politician named again by state and party: the person last named as a clause's subject before it
    ("Sen. Radu Marin visited the harbour on Monday. He met the pilots. \"This toll is a disgrace and an insult "
     "to every family on the coast,\" the Texas Republican told reporters.", "disgrace", "oppose", "=Radu Marin",
     None),
    # a condition laid on a clause whose subject does nothing (a copula) is the speaker's
    ("Governor Radu Marin said the dock workers would not be laid off unless the port lost its licence.",
     "unless the port", "condition", "=Radu Marin", None),
    # "his office", "his government": the person who heads it
    ("Attorney General Radu Marin said his office will not join the lawsuit against the ferry plan.",
     "join the lawsuit", "reject", "=Radu Marin", None),
    # a chamber's committee chairman speaks for himself, even when the committee is named without "Committee"
    ("House Armed Services Chairman Radu Marin pledged on Monday to hold hearings on the ferry deal.",
     "hold hearings", "offer", "=Radu Marin", None),
    # an unnamed official written with a body speaks for it
    ("\"The harbour levy is a reckless and shameful betrayal of every family,\" a senior Dobre administration "
     "official said.", "reckless", "oppose", "=Dobre administration", "official"),
    # a government organ written with its country is the country
    ("Moldova's Foreign Ministry said on Thursday that it would not allow new arms export licences.",
     "allow new arms", "reject", "=Moldova", None),
    # "the regime" after its leader is named: the leader's country
    ("Washington wants Kim Jong Un to give up his weapons first. The regime favors a more phased approach.",
     "phased approach", "support", "=North Korea", None),
    # a definite description of a trade right after a named person is that person; a title is the one so titled
    ("Retired Col. Ion Dobre said the evidence was thin. On Saturday, the former chief military prosecutor called "
     "for a full review of the swap.", "called for a full review", "demand", "=Ion Dobre", None),
])
def test_holder_and_reporter(nlp, text: str, words: str, kind: str, holder: str, reporter: str | None) -> None:
    s = _one(nlp, text, words)
    assert s.type == kind, s.type
    assert (s.holder_name == holder[1:] if holder.startswith("=") else holder in s.holder_name), s.holder_name
    if reporter is None:
        assert s.reported_by_name is None, s.reported_by_name
    else:
        assert reporter in (s.reported_by_name or "") or reporter in (s.reported_by_text or ""), s.reported_by_name


def test_a_bare_title_is_the_office_holder_of_the_day(nlp) -> None:
    text = ("Barack Obama met the governors of the coastal states on Tuesday. "
            "Later that day, the president rejected the new port tax.")
    assert _one(nlp, text, "rejected the new port tax", "2014-05-01").holder_name == "Barack Obama"
    # in 2019 he no longer held the office: "the president" is not him
    assert _one(nlp, text, "rejected the new port tax", "2019-05-01").holder_name != "Barack Obama"
    # after his spokeswoman is named, "the president" is still the president, not the last person named
    spoken = ("Barack Obama met the governors of the coastal states on Tuesday. "
              "White House press secretary Ana Mirea said the president had no plans to sign the port tax.")
    assert _one(nlp, spoken, "no plans to sign", "2014-05-01").holder_name == "Barack Obama"


def test_a_group_of_named_people_is_those_people(nlp) -> None:
    text = "A group of Romanian dockers rejected the offer of talks on Monday."
    assert "Romanian dockers" in _one(nlp, text, "rejected the offer").holder_name


def _mention(start: int, text: str, label: str, role: str | None = None) -> Mention:
    return Mention(start, start + len(text), text, label, text.casefold(), text, 0, role)


def test_which_bodies_speak_through_their_head() -> None:
    assert public("House Budget Committee") and public("the Senate") and public("Justice Department")
    assert not public("Democratic Congressional Campaign Committee") and not public("Club for Growth")
    club = _mention(0, "Club for Growth PAC", "ORG")
    senate = _mention(40, "Senate", "ORG")
    fund = _mention(50, "Senate Conservatives Fund", "ORG")
    # the tagger cut the name out of the title: its tail still names the body
    assert leader_body("Growth PAC President", [club]) is club
    # the longest organisation the title holds, not the chamber inside it
    assert leader_body("Senate Conservatives Fund executive director", [senate, fund]) is fund
    assert leader_body("House Budget Committee Chairman", [_mention(0, "House Budget Committee", "ORG")]) is None
    assert leader_body("DCCC Chairman", []) == "DCCC"
    assert leader_body("GOP Chairman", []) is None
    assert leader_body("Iran's Supreme Leader", [_mention(0, "Supreme", "ORG")]) is None
    assert leader_body("Club for Growth lobbyist", [club]) is None   # not a title that speaks for it


def test_office_holder_needs_a_named_holder_in_office() -> None:
    trump = _mention(0, "Donald Trump", "PERSON")
    obama = _mention(30, "Barack Obama", "PERSON")
    assert office_holder("president", 100, [trump, obama], "2018-01-20") is trump
    assert office_holder("president", 100, [trump, obama], "2014-01-20") is obama
    assert office_holder("president", 10, [obama], "2018-01-20") is None       # named only after it
    assert office_holder("senate minority leader", 100, [trump], "2018-01-20") is None


def test_they_after_names_joined_by_and_is_each_of_them(nlp) -> None:
    """ "A and B made clear that they would not allow ...": each named one refuses, neither reports the other."""
    text = ("Speaker Ana Mirea and Senator Ion Dobre made clear that they would not allow the ferry bill to reach "
            "the floor.")
    found = [(s.type, s.holder_name, s.reported_by_name) for s in stances_of(nlp, text)]
    assert ("reject", "Ana Mirea", None) in found and ("reject", "Ion Dobre", None) in found, found


@pytest.mark.parametrize("text,words,holder", [
    ("The Moldovan government criticized the joint border drills.", "criticized", "Moldova"),
    ("The Iranian authorities rejected the request for the flight recorders.", "rejected", "Iran"),
])
def test_a_government_named_by_its_country_is_the_country(nlp, text: str, words: str, holder: str) -> None:
    assert _one(nlp, text, words).holder_name == holder


@pytest.mark.parametrize("text", [
    "Senator Ana Mirea said it was time to reopen the ferry line.",      # no one's "it"
    "Senator Ana Mirea said it would not pass the Senate this year.",   # a person's "it" is the bill
])
def test_an_it_that_names_no_body_holds_nothing(nlp, text: str) -> None:
    assert [s.holder_name for s in stances_of(nlp, text, judge=lambda span, kind, cue: None)
            if s.holder_name in ("Ana Mirea", "it")] == []


def test_speech_credited_to_a_document_nobody_issued_holds_nothing(nlp) -> None:
    text = "\"This toll is a disgrace and an insult to every family,\" a statement said."
    assert [(s.type, s.holder_name) for s in stances_of(nlp, text)] == []


@pytest.mark.parametrize("text", [
    "Senator Ana Mirea said another group refused to join the ferry talks.",
    "\"I don't understand why a governor would refuse the harbour money,\" Senator Ana Mirea said.",
])
def test_an_indefinite_phrase_holds_nothing(nlp, text: str) -> None:
    """ "another group", "a governor": nobody the article identifies holds the refusal."""
    found = [(s.type, s.holder_name) for s in stances_of(nlp, text, judge=lambda span, kind, cue: None)]
    assert not any(kind == "reject" for kind, _ in found), found


def test_speech_of_an_unnamed_speaker_holds_nothing(nlp) -> None:
    """Judging speech is its speaker's stance only when the speaker is someone the article names."""
    def judge(span, kind, cue):
        return "oppose"
    named = stances_of(nlp, "\"The levy is a disgrace,\" Senator Ana Mirea said.", judge=judge)
    unnamed = stances_of(nlp, "\"The levy is a disgrace,\" a protester said.", judge=judge)
    assert [(s.type, s.holder_name) for s in named] == [("oppose", "Ana Mirea")]
    assert unnamed == []


def test_members_named_in_a_party_group_each_hold_its_stance(nlp):
    text = ("Earlier on Thursday, several Republicans including Sens. Ion Radu and Victor Pop proposed short "
            "spending bills to give negotiators more time.")
    holders = {s.holder_name for s in stances_of(nlp, text) if s.type == "offer"}
    assert holders == {"Ion Radu", "Victor Pop"}


def test_a_title_with_a_nationality_is_the_office_holder_the_article_names(nlp):
    text = ("President Donald Trump met the envoys on Monday.\n\nFor months, the American president has urged "
            "other countries to cut off aid to the regime.")
    found = _one(nlp, text, "cut off aid", published="2018-05-24")
    assert found.type == "demand" and found.holder_name in ("Trump", "Donald Trump")


def test_a_plural_relative_clause_is_about_every_group_before_it(nlp) -> None:
    text = ("None of that has been enough for Republicans and even some Democrats, who say that the mayor should "
            "close the harbour to foreign ships.")
    holders = {s.holder_name for s in stances_of(nlp, text) if s.type == "demand"}
    assert holders == {"Republicans", "Democrats"}


def test_a_party_adjective_alone_holds_as_its_members(nlp) -> None:
    text = "The mayor's office rejected Republican calls for a ban on night ferries."
    assert {s.holder_name for s in stances_of(nlp, text) if s.type == "demand"} == {"Republicans"}


def test_he_after_a_name_the_parse_left_without_its_verb_is_that_name(nlp) -> None:
    text = ("Foreign Minister Victor Pop has already sought to shift blame for the sinking.\n\n"
            "There were 57 Moldovan nationals on board the lost ferry and the country's Prime Minister Ion Radu "
            "described the sinking as \"a national tragedy\".\n\n"
            "In a statement, he demanded \"transparency and justice for the families of the victims\".")
    assert {s.holder_name for s in stances_of(nlp, text) if s.type == "demand"} == {"Ion Radu"}


@pytest.mark.parametrize("text,words,kind,holder", [
    # words that narrow nothing drop out of a group's name; a party's nickname is its name
    ("Several GOP governors have also said they will not move forward on building the new toll roads.",
     "move forward", "reject", "=Republican governors"),
    ("And the very same senators who called on Radu to step aside later walked those comments back.",
     "step aside", "demand", "=senators"),
    # a country's allies named in apposition, and its main ally named after a comma: each country holds it
    ("Regional allies Moldova and Romania, as well as Ukraine's main ally, Poland, urged the two sides to "
     "salvage the summit on Friday.", "salvage the summit", "demand", "=Poland"),
    # a ministry named with its country, and what "it" then says, are the country's
    ("Finland's Foreign Ministry made a similar announcement on Thursday, saying it would not allow any new "
     "export licences for the ferries.", "allow any new", "reject", "=Finland"),
    # a ministry written without its country, at a briefing in a capital: that capital's country
    ("\"The calm on the border is hard won and should be cherished,\" foreign ministry spokesman Lu Kang told "
     "reporters in Beijing.", "hard won", "demand", "=China"),
    # "is opposed to" is a state its subject is in, not a passive with nobody behind it
    ("Governor Mitt Romney spoke on Monday. On Sunday, Louisiana Gov. Bobby Jindal backed Romney's point, saying "
     "Romney had always been opposed to a national mandate.", "national mandate", "oppose", "=Mitt Romney"),
])
def test_group_and_state_holders(nlp, text: str, words: str, kind: str, holder: str) -> None:
    found = [s for s in stances_of(nlp, text) if words in text[s.start:s.end] and s.type == kind]
    assert holder[1:] in {s.holder_name for s in found}, [(s.type, s.holder_name) for s in stances_of(nlp, text)]


def test_a_press_secretary_states_the_position_of_the_person_his_possessive_names(nlp) -> None:
    text = ("Vice President Ion Radu \u201cfound the allegations disturbing and believes, if true, this would "
            "disqualify anyone from serving in office,\u201d his press secretary, Elena Stan, has told reporters.")
    found = [s for s in stances_of(nlp, text) if s.type == "oppose"]
    assert found and {(s.holder_name, s.reported_by_name) for s in found} == {("Ion Radu", "Elena Stan")}


def test_the_we_of_a_foreign_ministry_official_is_the_country(nlp) -> None:
    text = ("\"If Washington tries to drive us into a corner, we will no longer be interested in such talks,\" said "
            "the statement attributed to Kim Kye Gwan, North Korea's first vice-minister of Foreign Affairs.")
    found = [s for s in stances_of(nlp, text) if s.type == "condition"]
    assert found and {(s.holder_name, s.reported_by_name) for s in found} == {("North Korea", "Kim Kye Gwan")}


def test_a_head_of_state_speaks_for_himself(nlp) -> None:
    text = "Moldovan President Ion Radu said: \"We will not accept any deal that divides the country.\""
    assert {s.holder_name for s in stances_of(nlp, text) if s.type == "reject"} == {"Ion Radu"}


@pytest.mark.parametrize("text,words,kind,holders", [
    # the members a group "includes" each hold the group's stance
    ("Conservative senators who have come out against the ferry bill include Minority Leader Ion Radu, a Galati "
     "Republican, and Sen. Ana Mirea, a possible presidential contender.", "against the ferry bill", "oppose",
     {"Ion Radu", "Ana Mirea"}),
    # a group named between commas after "another group"
    ("The Harbour Union accused him of caving, while another liberal group, Credo, lambasted him as \"the worst "
     "negotiator on the coast.\"", "lambasted", "oppose", {"Credo"}),
])
def test_named_members_of_a_group(nlp, text: str, words: str, kind: str, holders: set[str]) -> None:
    found = {s.holder_name for s in stances_of(nlp, text) if words in text[s.start:s.end] and s.type == kind}
    assert found == holders


def test_he_after_a_persons_office_says_is_that_person(nlp) -> None:
    text = ("Senator Ana Mirea met Mayor Elena Radu on Friday. Radu criticised the levy. Mirea\u2019s office says "
            "she will not accept the levy.")
    assert {s.holder_name for s in stances_of(nlp, text) if s.type == "reject"} == {"Ana Mirea"}


@pytest.mark.parametrize("text,holder", [
    # a clause that tells when something was said, or a "who" clause about others, is not what was said
    ("Harbour Committee Chairman Ion Radu pledged on Monday to hold hearings, as Sen. Ana Mirea pressed for an "
     "inquiry in the Senate.", "Ana Mirea"),
    ("Radu previously suggested that Dobre should consider dropping out, joining a number of senators who have "
     "opposed Dobre's candidacy.", "senators"),
])
def test_a_clause_beside_the_speech_has_no_reporter(nlp, text: str, holder: str) -> None:
    found = [s for s in stances_of(nlp, text) if s.holder_name == holder]
    assert found and all(s.reported_by_name is None for s in found)


def test_a_holder_is_filed_without_a_possessive() -> None:
    from storyline.extract.stance_actors import holder_name

    assert holder_name("Harbour Authority's") == "Harbour Authority"
    assert holder_name("Harbour Authority’s") == "Harbour Authority"
    assert holder_name("Ana Mirea") == "Ana Mirea" and holder_name("'s") == "'s"


@pytest.mark.parametrize("text,expected", [
    # the possessive of the subject's own object is the subject, a body or country too
    ("Romania signaled its willingness to engage in talks with the Harbour Front at any time.",
     [("offer", "Romania")]),
    ("The Harbour Front renewed its call for an inquiry into the ferry fire.", [("demand", "Harbour Front")]),
    ("The bill lost its support in the Senate.", []),   # a thing's "its" holds nothing
])
def test_its_own_stance_is_the_bodys(nlp, text: str, expected: list) -> None:
    assert [(s.type, s.holder_name) for s in stances_of(nlp, text, judge=lambda span, kind, cue: None)] == expected


def test_a_title_after_its_prefix_names_its_holder(nlp) -> None:
    # "then-Gov. Ion Dobre": the governor the later description is
    text = "The levy was passed in Constanta under then-Gov. Ion Dobre. The former Constanta governor called for its " \
           "repeal on Monday."
    assert [(s.type, s.holder_name) for s in stances_of(nlp, text, judge=lambda span, kind, cue: None)] == \
        [("oppose", "Ion Dobre")]
