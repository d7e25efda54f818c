"""Opinion pieces told from reports (``storyline.analysis.genre.is_opinion``) against readers' labels.

    python -m bench eval_genre

An opinion piece never corroborates a claim and never describes an event; a report taken for one loses its
corroboration. Two reader-labelled sets of allsides-12k (``../shared/data/corpus``; skipped when absent):

- **storylines**: the 270 articles of the labelled storylines (``bench/data/real/storylines`` and
  ``test_storylines``), each marked opinion or not by the reader who labelled the storyline
  (``ANALYSIS_RULES.md``);
- **unmarked**: 160 articles drawn from those of outlets outside the news outlets listed in ``UNMARKED_POOL``
  that carried no label the rules read when the sample was drawn, each read for its genre
  (``genre_labels.json``, rules in ``GENRE_RULES.md``): where an opinion piece is hardest to tell.

Reported per set: precision (of the articles called opinion, the share the reader marked opinion) and recall.
A text-only reader of the voice (a logistic regression over the rate of first persons, attributions,
quotations, obligation and stance words, fitted on the articles outlets label against unlabelled news) was
tried and not shipped: on the unmarked set its precision stayed at 0.65-0.75 at any threshold that found a
third of the unlabelled opinion pieces (explainers, interview transcripts and digests of columns read as
opinion). Results: ``bench/results/eval_genre.json``; minimums in ``bench/minimums.json``.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

from bench.common import ROOT, check_minimums, save, shared

REAL = ROOT / "bench" / "data" / "real"
#: how the unmarked sample was drawn (the labels file says the same): news outlets left out
UNMARKED_POOL = ("Reuters", "Associated Press", "BBC News", "NPR Online News", "ABC News", "CBS News", "Bloomberg",
                 "Al Jazeera", "The Hill", "New York Times - News", "Wall Street Journal - News", "USA TODAY",
                 "CNN (Web News)", "Fox Online News", "Washington Times", "Politico", "Christian Science Monitor")


def labelled_sets() -> dict[str, dict[str, bool]]:
    """Set name -> article id -> opinion, as its readers marked it."""
    stories: dict[str, bool] = {}
    for directory in ("storylines", "test_storylines"):
        for path in sorted((REAL / directory).glob("*.json")):
            for a in json.loads(path.read_text())["articles"]:
                stories[a["id"]] = bool(a.get("opinion"))
    unmarked = {x["id"]: bool(x["opinion"]) for x in json.loads((REAL / "genre_labels.json").read_text())["labels"]}
    return {"storylines": stories, "unmarked": unmarked}


def score(labels: dict[str, bool], called: set[str]) -> dict[str, Any]:
    tp = sum(1 for aid, truth in labels.items() if truth and aid in called)
    said = sum(1 for aid in labels if aid in called)
    opinion = sum(labels.values())
    return {"articles": len(labels), "opinion": opinion, "called": said, "right": tp,
            "precision": round(tp / said, 3) if said else None, "recall": round(tp / opinion, 3) if opinion else None}


def main(argv: list[str]) -> int:
    from storyline.analysis.genre import is_opinion

    corpus = shared("corpus", "allsides-12k.jsonl.gz")
    sets = labelled_sets()
    wanted = {aid for labels in sets.values() for aid in labels}
    called: set[str] = set()
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for r in map(json.loads, fh):
            if r["id"] in wanted and is_opinion(r.get("title"), r.get("url"), r.get("text"), r.get("outlet")):
                called.add(r["id"])
    figures = {name: score(labels, called) for name, labels in sets.items()}
    print(json.dumps(figures, indent=1))
    save("eval_genre", {"method": __doc__.strip().splitlines()[0], **figures})
    flat = {f"{name}_{k}": v for name, f in figures.items() for k, v in f.items() if k in ("precision", "recall")}
    return check_minimums("eval_genre", flat)
