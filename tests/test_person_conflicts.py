"""Person conflicts: one post given two holders by two independent sources at one time (posts several people
hold, posts of another place or time, and one name spelled two ways are not); one person's middle name
written two ways."""

from __future__ import annotations

from storyline.analysis.facts import build
from storyline.analysis.material import Doc, Material, Mention, Sentence
from storyline.analysis.people_named import middle_names
from storyline.analysis.post_holders import post_holders, post_of


def test_a_post_is_a_title_held_by_one_person_naming_whose_post_it_is():
    assert post_of("Harbourton County Fire Chief") == "harbourton county fire chief"
    assert post_of("the Velmar Port Authority Director") == "velmar port authority director"
    assert post_of("White House Chief of Staff") == "white house chief of staff"
    assert post_of("Senate Majority Leader") == "senate majority leader"
    for shared_or_vague in ["Senator", "Police Chief", "Defense Secretary", "committee Chairman", "Attorney General",
                            "Harbourton County spokesman", "former Harbourton Mayor", "Harbourton Deputy Mayor",
                            "country's Prime Minister", "Harbourton Mayor-elect", None, ""]:
        assert post_of(shared_or_vague) is None, shared_or_vague


def _material(first: tuple[str | None, str, str, str | None],
              second: tuple[str | None, str, str, str | None]) -> Material:
    """Two articles, North Wire's and South Daily's, each ``(date, sentence, person named, title before the
    name)``; one PERSON mention each."""
    docs, sents, mentions = {}, {}, {}
    for aid, outlet, (day, text, name, role) in (("a1", "North Wire", first), ("a2", "South Daily", second)):
        docs[aid] = Doc(aid, outlet, day, day, 1, aid, text)
        sents[aid] = [Sentence(aid, 0, 0, len(text), text)]
        at = text.index(name)
        mentions[aid] = [Mention(at, at + len(name), name, "PERSON", hash(name) % 1000, name, 0, role)]
    return Material(docs=docs, sentences=sents, mentions=mentions)


CHIEF = "Harbourton Fire Chief"
POP = ("2025-03-02", f"{CHIEF} Ana Pop said the blaze was out.", "Ana Pop", CHIEF)


def _chief(day: str | None, text: str, name: str = "Ion Rusu") -> tuple[str | None, str, str, str]:
    return day, text, name, CHIEF


def _holders(first: tuple, second: tuple) -> list[tuple[str, str]]:
    m = _material(first, second)
    return [(x[2], x[3]) for x in post_holders(build(m), m)]


def test_two_sources_naming_two_holders_of_one_post_at_one_time_conflict():
    assert _holders(POP, _chief("2025-03-03", f"{CHIEF} Ion Rusu told reporters two crews stayed overnight.")) \
        == [("Ana Pop", "Ion Rusu")]


def test_no_conflict_across_months_undated_one_name_two_spellings_or_an_article_naming_both():
    rusu = f"{CHIEF} Ion Rusu said crews stayed."
    for first, second in [(POP, _chief("2025-07-03", rusu)),                                  # months apart
                          (POP, _chief(None, rusu)),                                          # undated
                          (_chief("2025-03-02", f"{CHIEF} Muammar Gaddafi spoke.", "Muammar Gaddafi"),
                           _chief("2025-03-02", f"{CHIEF} Moammar Gadhafi spoke.", "Moammar Gadhafi")),  # spelled
                          (_chief("2025-03-02", f"{CHIEF} Ana Pop, who replaced Rusu, spoke.", "Ana Pop"),
                           _chief("2025-03-03", rusu)),                                       # names both
                          (POP, _chief("2025-03-03", f"In 2019 then-{CHIEF} Ion Rusu said so."))]:  # then-
        assert _holders(first, second) == [], second[1]


def _nurse(day: str, text: str) -> tuple[str, str, str, None]:
    """The person is the three capitalised words after "nurse"."""
    at = text.index("nurse ") + len("nurse ")
    return day, text, " ".join(text[at:].split()[:3]).rstrip(",."), None


def test_one_persons_middle_name_written_two_ways_by_two_sources():
    ward = _nurse("2025-03-02", "The ward of nurse Clara Ioana Weiss was closed on Monday.")
    m = _material(ward, _nurse("2025-03-04", "The hospital said nurse Clara Elena Weiss was recovering."))
    assert [(x[2], x[3]) for x in middle_names(build(m), m)] == [("Clara Ioana Weiss", "Clara Elena Weiss")]
    for other in ["The hospital said nurse Clara E. Weiss was recovering.",      # an initial
                  "The hospital said nurse Clara Ioána Weiss was recovering.",    # an accent
                  "The hospital said nurse Clara Elena Weiss, not Clara Ioana Weiss, was recovering."]:  # both
        m = _material(ward, _nurse("2025-03-04", other))
        assert list(middle_names(build(m), m)) == [], other
