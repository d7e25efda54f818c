"""Canonical entities on the sample corpus: do the mentions of one labelled entity (every spelling,
transliteration and surname-only form) land on one stored entity, and different entities on different ones?

B-cubed precision/recall/F1 over person, organisation and place mentions whose surface form names
exactly one labelled entity; plus the share of labelled multi-spelling entities fully merged.

    python -m bench eval_entities
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from bench.common import check_minimums, save
from bench.eval_sample import gold_path
from bench.scoring import bcubed


def main(argv: list[str]) -> int:
    import storyline

    gold = json.loads(gold_path().read_text())
    forms: dict[str, set[str]] = defaultdict(set)
    for e in gold["entities"]:
        if e["type"] not in ("PERSON", "ORG", "GPE", "LOC"):
            continue
        for alias in {e["name"], *e.get("aliases", [])}:
            forms[alias.casefold()].add(e["name"])
    unique = {form: next(iter(names)) for form, names in forms.items() if len(names) == 1}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.db"
        storyline.ingest([storyline.sample_corpus()], db, settings=storyline.Settings(workers=1))
        with storyline.open_store(db, readonly=True) as store:
            rows = store.conn.execute(
                "SELECT article_id, start, text, entity_id FROM mentions WHERE label IN ('PERSON','ORG','GPE','LOC')"
            ).fetchall()
            keys = dict(store.conn.execute("SELECT key, entity_id FROM entity_keys").fetchall())
    # The labels do not tell a city from the government it stands for ("Moscow said"); storyline keeps
    # them apart on purpose. Scored here as the city, so that the split is not counted as an error.
    as_city = {eid: keys.get("place:" + key.split(":")[2], eid) for key, eid in keys.items() if key.startswith("gov:")}
    predicted, labelled = {}, {}
    for aid, start, text, eid in rows:
        name = unique.get(text.casefold())
        if name:
            predicted[(aid, start)] = as_city.get(eid, eid)
            labelled[(aid, start)] = name
    p, r, f = bcubed(predicted, labelled)
    by_gold = defaultdict(set)
    for item, name in labelled.items():
        by_gold[name].add(predicted[item])
    multi = [n for n, ids in by_gold.items()
             if len({t for (a, s), nm in labelled.items() if nm == n for t in [a]}) >= 1
             and len([e for e in gold["entities"] if e["name"] == n and len(set(e.get("aliases", []))) > 1])]
    merged = sum(1 for n in multi if len(by_gold[n]) == 1)
    split = sorted(n for n in multi if len(by_gold[n]) > 1)
    figures = {"mentions_scored": len(labelled), "bcubed_precision": round(p, 4), "bcubed_recall": round(r, 4),
               "bcubed_f1": round(f, 4), "multi_spelling_entities": len(multi),
               "fully_merged_share": round(merged / len(multi), 4) if multi else 1.0}
    print(f"sample corpus entity merging over {len(labelled)} mentions")
    for k, v in figures.items():
        print(f"  {k:26} {v}")
    if split:
        print("  split across entities:", ", ".join(split[:15]))
    save("eval_entities", figures)
    return check_minimums("eval_entities", figures)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
