"""Ingest quality on the bundled sample corpus's ``gold.json``: debris filter and article metadata.

- Debris: for every pre-extracted text article, the labelled debris/metadata
  lines against the lines the cleaning removed (a line counts as removed when
  fewer copies of it survive in the clean text than the file had): precision
  and recall.
- Metadata: share of articles whose publication date, date source, outlet and
  title match the labels (dates are ``null`` where the input has none).

The corpus ships with the package, so this runs without ../shared.

    python -m bench eval_sample
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.common import check_minimums, save


def gold_path() -> Path:
    import storyline

    return Path(storyline.sample_corpus()).parent / "gold.json"


def match_articles(gold: dict, stored: list) -> dict[str, object]:
    """Gold article key -> stored article, by origin suffix (file path plus locator)."""
    out = {}
    for g in gold["articles"]:
        hits = [a for a in stored if a.article.origin.endswith("/" + g["origin"])]
        if len(hits) == 1:
            out[g["key"]] = hits[0]
    return out


def debris_scores(gold: dict, sample: Path, matched: dict) -> dict[str, float]:
    from storyline.ingest.text import front_matter

    by_article: dict[str, Counter] = {}
    for d in gold["debris"]:
        by_article.setdefault(d["article"], Counter())[d["line"].strip()] += 1
    tp = fp = fn = 0
    rules: Counter = Counter()
    for g in gold["articles"]:
        if g["format"] != "text" or g["key"] not in matched:
            continue
        _, body = front_matter((sample / g["origin"]).read_text(encoding="utf-8"))
        clean = matched[g["key"]].article.text
        # a Markdown heading kept as a heading is kept: compare without its "#" marks
        original = Counter(re.sub(r"^#{1,6}\s+", "", line.strip()) for line in body.splitlines() if line.strip())
        labelled = Counter({re.sub(r"^#{1,6}\s+", "", k): v for k, v in by_article.get(g["key"], Counter()).items()})
        for line, n in original.items():
            removed = max(0, n - clean.count(line))
            want = labelled.get(line, 0)
            hit = min(removed, want)
            tp += hit
            fp += removed - hit
            fn += want - hit
            if removed - hit:
                rules["false-positive: " + line[:70]] += removed - hit
            if want - hit:
                rules["missed: " + line[:70]] += want - hit
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    for what, n in sorted(rules.items()):
        print(f"    {what} (x{n})")
    return {"debris_lines": tp + fn, "debris_precision": round(precision, 4), "debris_recall": round(recall, 4)}


def metadata_scores(gold: dict, matched: dict) -> dict[str, float]:
    fields = {"published": "published", "date_source": "date_source", "outlet": "outlet", "title": "title"}
    right = Counter()
    for g in gold["articles"]:
        a = matched.get(g["key"])
        if a is None:
            continue
        for name in fields:
            got = getattr(a.article, name)
            ok = (got or None) == (g.get(name) or None)
            right[name] += ok
            if not ok:
                print(f"    {name} of {g['key']}: got {got!r}, labelled {g.get(name)!r}")
    n = len(gold["articles"])
    return {f"{name}_accuracy": round(right[name] / n, 4) for name in fields} | {
        "articles_found": round(len(matched) / n, 4)}


def main(argv: list[str]) -> int:
    import storyline

    gold = json.loads(gold_path().read_text())
    sample = Path(storyline.sample_corpus())
    with tempfile.TemporaryDirectory() as tmp:
        report = storyline.ingest([str(sample)], Path(tmp) / "s.db", settings=storyline.Settings(workers=1))
        stored = storyline.articles(Path(tmp) / "s.db")
    matched = match_articles(gold, stored)
    print(f"sample corpus: {len(gold['articles'])} labelled articles, {report.new} stored, "
          f"{len(report.skipped)} skipped, {len(matched)} matched to labels")
    figures = {**debris_scores(gold, sample, matched), **metadata_scores(gold, matched)}
    for k, v in figures.items():
        print(f"  {k:22} {v}")
    save("eval_sample", figures)
    return check_minimums("eval_sample", figures)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
