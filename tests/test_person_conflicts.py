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


def _material(sentences: list[tuple[str, str, str | None, str, str]]) -> Material:
    """One article per ``(id, outlet, date, sentence, name)``; the name follows "Harbourton Fire Chief"."""
    docs, sents, mentions = {}, {}, {}
    for aid, outlet, day, text, name in sentences:
        docs[aid] = Doc(aid, outlet, day, day, 1, aid, text)
        sents[aid] = [Sentence(aid, 0, 0, len(text), text)]
        at = text.index(name)
        mentions[aid] = [Mention(at, at + len(name), name, "PERSON", hash(name) % 1000, name, 0,
                                 "Harbourton Fire Chief")]
    return Material(docs=docs, sentences=sents, mentions=mentions)


def _found(material: Material) -> list[tuple[str, str]]:
    return [(x[2], x[3]) for x in post_holders(build(material), material)]


def test_two_sources_naming_two_holders_of_one_post_at_one_time_conflict():
    m = _material([("a1", "North Wire", "2025-03-02", "Harbourton Fire Chief Ana Pop said the blaze was out.",
                    "Ana Pop"),
                   ("a2", "South Daily", "2025-03-03", "Harbourton Fire Chief Ion Rusu told reporters two crews "
                    "stayed overnight.", "Ion Rusu")])
    assert _found(m) == [("Ana Pop", "Ion Rusu")]


def test_no_conflict_across_months_undated_one_name_two_spellings_or_an_article_naming_both():
    months = _material([("a1", "North Wire", "2025-03-02", "Harbourton Fire Chief Ana Pop said the blaze was out.",
                         "Ana Pop"),
                        ("a2", "South Daily", "2025-07-03", "Harbourton Fire Chief Ion Rusu said crews stayed.",
                         "Ion Rusu")])
    undated = _material([("a1", "North Wire", "2025-03-02", "Harbourton Fire Chief Ana Pop said the blaze was out.",
                          "Ana Pop"),
                         ("a2", "South Daily", None, "Harbourton Fire Chief Ion Rusu said crews stayed.", "Ion Rusu")])
    spelled = _material([("a1", "North Wire", "2025-03-02", "Harbourton Fire Chief Muammar Gaddafi spoke.",
                          "Muammar Gaddafi"),
                         ("a2", "South Daily", "2025-03-02", "Harbourton Fire Chief Moammar Gadhafi spoke.",
                          "Moammar Gadhafi")])
    both = _material([("a1", "North Wire", "2025-03-02", "Harbourton Fire Chief Ana Pop, who replaced Rusu, spoke.",
                       "Ana Pop"),
                      ("a2", "South Daily", "2025-03-03", "Harbourton Fire Chief Ion Rusu said crews stayed.",
                       "Ion Rusu")])
    then = _material([("a1", "North Wire", "2025-03-02", "Harbourton Fire Chief Ana Pop said the blaze was out.",
                       "Ana Pop"),
                      ("a2", "South Daily", "2025-03-03", "In 2019 then-Harbourton Fire Chief Ion Rusu said so.",
                       "Ion Rusu")])
    for m in (months, undated, spelled, both, then):
        assert _found(m) == []


def _named(*reports: tuple[str, str, str, str]) -> Material:
    """One article per ``(id, outlet, date, sentence)``; the person is the three capitalised words after
    "nurse"."""
    docs, sents, mentions = {}, {}, {}
    for aid, outlet, day, text in reports:
        docs[aid] = Doc(aid, outlet, day, day, 1, aid, text)
        sents[aid] = [Sentence(aid, 0, 0, len(text), text)]
        at = text.index("nurse ") + len("nurse ")
        name = " ".join(text[at:].split()[:3]).rstrip(",.")
        mentions[aid] = [Mention(at, at + len(name), name, "PERSON", 7, name, 0)]
    return Material(docs=docs, sentences=sents, mentions=mentions)


def test_one_persons_middle_name_written_two_ways_by_two_sources():
    m = _named(("a1", "North Wire", "2025-03-02", "The ward of nurse Clara Ioana Weiss was closed on Monday."),
               ("a2", "South Daily", "2025-03-04", "The hospital said nurse Clara Elena Weiss was recovering."))
    assert [(x[2], x[3]) for x in middle_names(build(m), m)] == [("Clara Ioana Weiss", "Clara Elena Weiss")]
    for other in ["The hospital said nurse Clara E. Weiss was recovering.",      # an initial
                  "The hospital said nurse Clara Ioána Weiss was recovering.",    # an accent
                  "The hospital said nurse Clara Elena Weiss, not Clara Ioana Weiss, was recovering."]:  # both
        m = _named(("a1", "North Wire", "2025-03-02", "The ward of nurse Clara Ioana Weiss was closed on Monday."),
                   ("a2", "South Daily", "2025-03-04", other))
        assert list(middle_names(build(m), m)) == [], other
