"""Opinion pieces are told by the labels outlets put on them (``storyline.analysis.genre``)."""

from __future__ import annotations

import pytest

from storyline.analysis.genre import is_opinion

REPORT = "The harbour council voted on Tuesday to raise the ferry levy, officials said."


@pytest.mark.parametrize("title,url,text,outlet,expected", [
    ("OPINION: The ferry levy is a mistake", None, REPORT, "Island Times", True),
    ("The ferry levy is a mistake", "https://islandtimes.example/opinion/2024/ferry-levy", REPORT, None, True),
    ("The ferry levy is a mistake", None, "ANALYSIS/OPINION: " + REPORT, None, True),
    # the label alone on the text's first line, as some outlets print it above a column
    ("The ferry levy is a mistake", None, "OPINION\n\n" + REPORT, None, True),
    ("The ferry levy is a mistake", None, "Commentary\n" + REPORT, None, True),
    # an opinion section's name, and a page name ending on "-opinion"
    ("Levy madness", "https://www.theguardian.com/commentisfree/2019/jun/14/levy-madness", REPORT, None, True),
    ("Levy madness", "https://islandtimes.example/2020/4/3/21206760/ferry-levy-islanders-opinion", REPORT, None,
     True),
    ("Levy madness", None, REPORT, "Island Times - Opinion", True),
    # a report about an op-ed or an editorial, a news analysis and the word opening a sentence are reports
    ("Mayor defends levy in op-ed", "https://islandtimes.example/news/mayor-defends-levy-in-op-ed", REPORT, None,
     False),
    ("Why the levy vote matters", "https://islandtimes.example/2019/05/16/politics/ferry-levy-analysis/index.html",
     REPORT, None, False),
    ("Levy vote", None, "Opinion polls show islanders split over the ferry levy.\n" + REPORT, None, False),
    ("Levy vote", "https://islandtimes.example/news/levy-vote", REPORT, "Island Times", False),
])
def test_an_opinion_piece_is_told_by_its_labels(title, url, text, outlet, expected) -> None:
    assert is_opinion(title, url, text, outlet) is expected
