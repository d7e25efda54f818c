"""An analyst's fixes as labelled data: evaluation figures before and after a corrections file (``bench.corrected``),
on the sample corpus and its gold positions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from corrections_support import cli, cli_json, corrections_store, db  # noqa: F401 (fixtures)
from storyline import api
from storyline.analysis import ids, positions
from storyline.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # the repository's bench package

from bench.corrected import compare, corrected_copy, reviewed  # noqa: E402
from bench.eval_analysis import position_scores  # noqa: E402
from bench.eval_sample import gold_path, match_articles  # noqa: E402


def _predicted(path: Path, storyline_id: int, review: bool = False) -> tuple[list[dict], dict[str, str]]:
    gold = json.loads(gold_path().read_text())
    with Store(path, readonly=True) as store:
        key_of = {a.article.id: k for k, a in match_articles(gold, store.articles()).items()}
        found = positions.extract(store, api.story(storyline_id, path))
        if review:
            found = reviewed(store, {"positions": found})["positions"]
    return found, key_of


def test_a_corrections_file_dismissing_a_false_position_raises_precision_and_leaves_the_store_alone(
        db, corrections_store, tmp_path):  # noqa: F811
    gold = json.loads(gold_path().read_text())["positions"]
    line = max(api.stories(db), key=lambda s: len(s["article_ids"]))
    found, key_of = _predicted(db, line["id"])
    keys = {key_of.get(a) for a in api.story(line["id"], db)["article_ids"]}
    labelled = [g for g in gold if g["article"] in keys]
    base = position_scores(labelled, found, key_of)
    scored = [p for p in found if p["type"] in {g["type"] for g in gold}]
    wrong = next((p for p in scored if position_scores(labelled, [x for x in found if x is not p], key_of)["matched"]
                  == base["matched"]), None)
    assert wrong is not None, "the sample's largest storyline has a position its gold does not hold"
    wrong_id = ids.item_id("position", wrong)
    cli_json("correct", "dismiss", "position", wrong_id, "--reason", "not a stance", "--by", "ana", db=db)
    exported = tmp_path / "fixes.jsonl"
    code, _, err = cli("corrections", "--export", str(exported), db=db)
    assert code == 0, err

    # the machine's store (never corrected) copied, the analyst's file applied to the copy
    machine = Path(corrections_store)
    before_bytes = machine.read_bytes()
    fixed, applied = corrected_copy(machine, exported, tmp_path)
    assert applied == {"new": 1, "unchanged": 0, "waiting": 0, "refused": []}
    assert machine.read_bytes() == before_bytes
    after_found, _ = _predicted(Path(fixed), line["id"], review=True)
    assert wrong_id not in {p["id"] for p in after_found} and len(after_found) == len(found) - 1
    after = position_scores(labelled, after_found, key_of)
    assert after["matched"] == base["matched"] and after["predicted"] == base["predicted"] - 1
    assert after["precision"] > base["precision"] and after["recall"] == base["recall"]
    change = compare({k: base[k] for k in ("precision", "recall")}, {k: after[k] for k in ("precision", "recall")})
    assert change["precision"] > 0 and change["recall"] == 0
