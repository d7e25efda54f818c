"""Stable item ids and dismissals, on items written by hand: a dismissed item is found again when it gains
sources and when its article's text was re-cleaned (the offsets its id is made of moved), and only then."""

from __future__ import annotations

import copy

from storyline.analysis import ids
from storyline.corrections import Review


def _position(start: int, text: str = "The union rejects the offer as an insult to its members.",
              kind: str = "reject") -> dict:
    return {"holder": {"entity_id": 4, "name": "Dock Workers Union"}, "type": kind, "text": text,
            "article_id": "art-1", "start": start, "end": start + len(text)}


def _conflict(*sides: tuple[str, int, str]) -> dict:
    return {"kind": "number", "about": "how many ships", "confidence": 0.8, "update": False,
            "sides": [{"article_id": a, "start": s, "end": s + len(t), "text": t, "value": t.split()[0]}
                      for a, s, t in sides]}


def _review(kind: str, item: dict) -> Review:
    item = ids.assign(kind, [copy.deepcopy(item)])[0]
    spec = {"kind": kind, "id": item["id"], "label": ids.label(kind, item),
            "keys": [list(k) for k in ids.keys(kind, item)], "plain": ids.plain_label(kind, item),
            "texts": [list(t) for t in ids.texts(kind, item)], "reason": "wrong"}
    return Review([{"id": 7, "action": "dismiss", "spec": spec, "by": "ana", "at": "2026-01-01T00:00:00+00:00"}])


def test_ids_come_from_provenance_alone():
    a, b = ids.item_id("position", _position(120)), ids.item_id("position", _position(120))
    assert a == b and a.startswith("p-art-1-120-") and ids.parse(a) == ("position", "art-1", 120)
    assert ids.item_id("position", _position(150)) != a
    assert ids.item_id("position", _position(120, kind="support")) != a


def test_a_dismissed_position_is_found_after_its_text_moved_and_no_other_is():
    review = _review("position", _position(120))
    kept, gone = review.filter("position", [_position(120), _position(150), _position(150, kind="support"),
                                            _position(150, text="The union accepts the revised offer today.")])
    assert [p["start"] for p in gone] == [120, 150]   # itself, and itself 30 characters on (a line re-cleaned away)
    assert gone[0]["dismissed"] == {"correction": 7, "reason": "wrong", "by": "ana", "at": "2026-01-01T00:00:00+00:00"}
    assert [(p["type"], p["start"]) for p in kept] == [("support", 150), ("reject", 150)]


def test_a_dismissed_conflict_is_found_when_it_gains_a_side_or_its_offsets_move():
    one = ("art-1", 40, "Twelve ships were held at the port.")
    two = ("art-2", 90, "Nine ships were held at the port.")
    three = ("art-3", 10, "Ten ships were held at the port.")
    review = _review("conflict", _conflict(one, two))
    grown = _conflict(one, two, three)
    moved = _conflict(("art-1", 12, one[2]), two)
    other = _conflict(one, three)
    kept, gone = review.filter("conflict", [grown, moved, other])
    assert len(gone) == 2 and [len(c["sides"]) for c in gone] == [3, 2]
    assert [{s["article_id"] for s in c["sides"]} for c in kept] == [{"art-1", "art-3"}]
