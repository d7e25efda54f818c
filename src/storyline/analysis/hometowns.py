"""Home towns: one person said to be from two different towns by two sources ("Krystle Campbell, 29, of
Arlington, Mass." / "Krystle Campbell, a young woman from nearby Medford, Mass.").

Only the written form of a town with its state or county ("of Arlington, Mass.", "from Medford, MA") is
read, right after the person's name (an age or a short description may stand between), so a district and
its city ("of Dorchester" / "of Boston") are never compared: both sides must name a town in the same state,
and two towns whose names hold one another ("Kansas City" / "Kansas City, Kan.") are one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from .align import near_in_time
from .facts import Fact
from .material import Material
from .words import fold, tokens

HOMETOWN_DAYS = 30  # reports of where one person is from are at most this many days apart
# after the name: an optional age or short description between commas, then "of" / "from" and a capitalised
# town with its state ("Mass.", "MA", "Massachusetts") or county
# ("a nurse from nearby Bethlehem, Pa."; never "at the University of California, Berkeley": the words before
# "of" are lower case)
_FROM = re.compile(r"^,\s(?:[^,.;:]{1,40},\s)?(?:[a-z][\w'’-]*\s){0,5}?(?:of|from)\s(?:nearby\s)?"
                   r"(?P<town>[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,2}),\s(?P<state>[A-Z][a-z]{1,4}\.|[A-Z]{2}\b"
                   r"|[A-Z][a-z]{3,}(?:\s[A-Z][a-z]+)?\b)")
REACH = 80  # characters after a name searched for where the person is from


def hometowns(facts: list[Fact], material: Material) -> Iterator[tuple[Fact, Fact, str, str, float, str]]:
    """``(fact_a, fact_b, town_a, town_b, confidence, about)`` for one person given two towns of one state by
    two sources within ``HOMETOWN_DAYS``."""
    by_person: dict[str, list[tuple[Fact, str, str]]] = defaultdict(list)
    for f in facts:
        if " of " not in f.sentence.text and " from " not in f.sentence.text:
            continue
        for x in material.people(f.article_id, f.sentence.index):
            end = x.end - f.sentence.start
            m = _FROM.match(f.sentence.text[end:end + REACH])
            if m:
                person = " ".join(tokens(x.name)[-1:])
                by_person[person].append((f, m.group("town"), fold(m.group("state")).rstrip(".")))
    for person, items in by_person.items():
        for i, (a, town_a, state_a) in enumerate(items):
            for b, town_b, state_b in items[i + 1:]:
                if state_a != state_b or a.doc.source == b.doc.source or not near_in_time(a, b, HOMETOWN_DAYS):
                    continue
                fa, fb = fold(town_a), fold(town_b)
                if fa in fb or fb in fa:
                    continue
                yield a, b, town_a, town_b, 0.6, f"where {person.title()} is from: {town_a} vs {town_b}"
