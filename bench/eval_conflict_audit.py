"""Conflicts on real news the rules never saw: precision against a reader's verdicts on what the brief reported.

The labelled storylines (``eval_real_analysis``) hold few conflicts, and rules tuned on them report many
false ones elsewhere. ``bench/data/real/conflict_audit.json`` holds the conflicts the brief reported on two
samples of allsides-12k articles that no labelled storyline holds (2018-01..2020-07 and 2016-01..2017-12),
each judged right, arguable or wrong by reading both sides in their articles (``CONFLICT_AUDIT_RULES.md``;
corpus ids and offsets only). The evaluation:

1. ingests each sample (every allsides-12k row of its months outside the labelled sets; stories on) into a
   store kept at ``--db PREFIX`` (``PREFIX-2018-2020.db``, ``PREFIX-2016-2017.db``; about 45 minutes in all on
   two cores the first time; a kept store built by other NLP code is reported, as ``eval_real_analysis`` does);
2. runs ``conflicts.find`` on every storyline of four or more articles;
3. matches each reported conflict with a judged one of its sample (same kind, two sides in judged sides'
   sentences: same article, overlapping spans) and reports, per sample and overall, how many are reported,
   how many were judged right, arguable and wrong, and how many were never judged (a change that reports new
   conflicts must have them read, and the file extended).

Precision over judged conflicts is ``right / judged``; reported with the arguable ones counted right beside it.
The verdicts were made on this code's earlier output and its rules were then changed on what they showed:
the first reading of each sample (in the README) is the figure on unseen news; later runs say what a change
does to the same reports.

    python -m bench eval_conflict_audit --db /path/prefix
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import ROOT, check_minimums, nlp_fingerprint, save, shared

AUDIT = ROOT / "bench" / "data" / "real" / "conflict_audit.json"
LABELLED = ("storylines", "test_storylines")
SAMPLES = {"2018-2020": ("2018-01", "2020-07"), "2016-2017": ("2016-01", "2017-12")}
MIN_ARTICLES = 4  # storylines read: those of this many articles or more


def sample_rows(corpus: Path, months: tuple[str, str]) -> list[dict[str, Any]]:
    """The corpus rows of the sample's months that no labelled storyline holds, in corpus order."""
    labelled = {a if isinstance(a, str) else a["id"] for d in LABELLED
                for p in (ROOT / "bench" / "data" / "real" / d).glob("*.json")
                for a in json.loads(p.read_text())["articles"]}
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [r for r in rows if months[0] <= (r.get("published") or "")[:7] <= months[1] and r["id"] not in labelled]


def build(db: str, rows: list[dict[str, Any]]) -> None:
    """Ingest the rows (NLP and stories, as ``storyline ingest`` does) into a new store."""
    from storyline import api

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        api.ingest([str(path)], db)   # stories on: the articles are placed as they are stored
    Path(db + ".nlp").write_text(nlp_fingerprint())


def reported(db: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every conflict of every storyline of ``MIN_ARTICLES`` or more, sides in corpus ids and record offsets."""
    from storyline import api
    from storyline.analysis import conflicts

    out = []
    with api.open_store(db, readonly=True) as store:
        ids: dict[str, tuple[str, str, str]] = {}   # store id -> corpus id, record text, stored text
        for story in api.stories(db, min_articles=MIN_ARTICLES):
            for c in conflicts.find(store, api.story(story["id"], db)):
                sides = []
                for s in c["sides"]:
                    if s["article_id"] not in ids:
                        a = store.article(s["article_id"]).article
                        row = rows[int(a.origin.rsplit("#L", 1)[1]) - 1]
                        ids[s["article_id"]] = (row["id"], row["text"], a.text)
                    cid, raw, text = ids[s["article_id"]]
                    at = raw.find(text[s["start"]:s["end"]][:60])
                    sides.append({"article_id": cid, "start": at, "end": at + s["end"] - s["start"]})
                out.append({"kind": c["kind"], "about": c["about"], "sides": sides})
    return out


def judge(found: list[dict[str, Any]], judged: list[dict[str, Any]]) -> Counter:
    """Verdicts of the reported conflicts: a judged conflict of the same kind with two sides overlapping."""
    def hits(p: dict[str, Any], g: dict[str, Any]) -> int:
        return sum(any(s["article_id"] == j["article_id"] and j["start"] is not None and s["start"] >= 0
                       and s["start"] < j["end"] and j["start"] < s["end"] for s in p["sides"]) for j in g["sides"])

    out: Counter = Counter()
    for p in found:
        verdict = next((g["verdict"] for g in judged if g["kind"] == p["kind"] and hits(p, g) >= 2), "unjudged")
        out[verdict] += 1
    return out


def main(argv: list[str]) -> int:
    corpus = shared("corpus", "allsides-12k.jsonl.gz")
    if "--db" not in argv:
        print("usage: python -m bench eval_conflict_audit --db PREFIX (stores PREFIX-<sample>.db, built when absent)")
        return 2
    prefix = argv[argv.index("--db") + 1]
    audit = json.loads(AUDIT.read_text())["conflicts"]
    figures: dict[str, Any] = {"method": __doc__.split("\n\n")[0], "samples": {}}
    total: Counter = Counter()
    for name, months in SAMPLES.items():
        rows = sample_rows(corpus, months)
        db = f"{prefix}-{name}.db"
        if not Path(db).exists():
            started = time.perf_counter()
            build(db, rows)
            print(f"{name}: ingested {len(rows)} articles in {time.perf_counter() - started:.0f}s")
        elif not Path(db + ".nlp").exists() or Path(db + ".nlp").read_text() != nlp_fingerprint():
            print(f"warning: {db} was built by other NLP code: its figures are not this code's (delete it to rebuild)")
        verdicts = judge(reported(db, rows), [c for c in audit if c["sample"] == name])
        total += verdicts
        figures["samples"][name] = {"articles": len(rows), "reported": sum(verdicts.values()), **verdicts}
        print(f"{name}: {dict(verdicts)}")
    judged = total["right"] + total["arguable"] + total["wrong"]
    figures.update(reported=sum(total.values()), right=total["right"], arguable=total["arguable"],
                   wrong=total["wrong"], unjudged=total["unjudged"],
                   precision_judged=round(total["right"] / judged, 3) if judged else None,
                   precision_with_arguable=round((total["right"] + total["arguable"]) / judged, 3) if judged else None)
    print(json.dumps({k: v for k, v in figures.items() if k != "samples"}, indent=1))
    save("eval_conflict_audit", figures)
    return check_minimums("eval_conflict_audit", {"right": figures["right"],
                                                  "precision_judged": figures["precision_judged"] or 0.0})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
