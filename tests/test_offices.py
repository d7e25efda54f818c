"""The shipped office and event tables: well formed, consistent, and every holder found by its title."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from storyline.errors import UsageError
from storyline.extract.offices import DATA, event_cues, load_world, office_cues

OFFICES = tomllib.loads((DATA / "offices.toml").read_text(encoding="utf-8"))["office"]
EVENTS = tomllib.loads((DATA / "events.toml").read_text(encoding="utf-8"))
TODAY = date(2026, 6, 1)


def test_terms_are_well_formed_and_successive():
    keys = [o["key"] for o in OFFICES]
    assert len(keys) == len(set(keys))
    for office in OFFICES:
        assert office["titles"] and office["holders"], office["key"]
        terms = sorted((date.fromisoformat(h["from"]), date.fromisoformat(h.get("to", "9999-12-31")), h["name"])
                       for h in office["holders"])
        for start, end, name in terms:
            assert start <= end, (office["key"], name)
            assert start <= TODAY, (office["key"], name)
        if not office.get("shared"):
            # one holder at a time (a hand-over may overlap by weeks: acting, designate, party leader first)
            for (s1, e1, n1), (s2, _, n2) in zip(terms, terms[1:]):
                assert (e1 - s2).days <= 130, (office["key"], n1, n2)


def test_events_and_deaths_are_well_formed():
    for e in EVENTS["event"]:
        assert e["names"] and date.fromisoformat(e["date"]) <= TODAY
    for d in EVENTS["died"]:
        assert d["name"] and date.fromisoformat(d["date"]) <= TODAY


@pytest.mark.parametrize("office", OFFICES, ids=[o["key"] for o in OFFICES])
def test_every_holder_is_found_by_its_first_title(office):
    title = office["titles"][0]
    for h in office["holders"]:
        text = f"On the record, {title} {h['name']} said the plan would go ahead."
        notes = [c.note for c in office_cues(text, TODAY) if c.kind == "took-office"]
        assert any(n.startswith(h["name"]) for n in notes), (title, h["name"], notes)


def test_a_broken_table_is_a_clear_error(tmp_path):
    bad = tmp_path / "offices.toml"
    bad.write_text('[[office]]\nkey = "x"\ntitles = ["X"]\nholders = [{ name = "A", from = "not a day" }]\n')
    with pytest.raises(UsageError, match="office or event table"):
        load_world(str(bad), str(DATA / "events.toml"))


def test_an_edited_table_is_read(tmp_path):
    mine = tmp_path / "offices.toml"
    mine.write_text('[[office]]\nkey = "club captain"\ntitles = ["Captain"]\n'
                    'holders = [{ name = "Ada Vance", from = "2021-03-01", to = "2023-03-01" }]\n')
    world = load_world(str(mine), str(DATA / "events.toml"))
    (took, held) = sorted(office_cues("Captain Ada Vance led the parade.", TODAY, world), key=lambda c: c.kind,
                          reverse=True)
    assert took.kind == "took-office" and held.kind == "in-office"
    assert date.fromordinal(held.spans[0][1]) == date(2023, 3, 11)
    assert not event_cues("Captain Ada Vance led the parade.", TODAY, world)
