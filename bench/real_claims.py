"""The claims score of ``eval_real_analysis``: each labelled claim against the predicted claim that asserts it
best, whether its count of independent sources is the reader's, and why not (``_claim_error``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bench.scoring import overlap as _overlap

MIN_CLAIM_F1 = 0.5


def score_claims(gold: list[dict], predicted: list[dict], groups: dict[str, str], opinion: set[str],
                 verbose: bool = False) -> dict[str, Any]:
    found = exact = within_one = abs_error = contradicted = contradicted_found = 0
    details = []
    errors: Counter = Counter()
    for g in gold:
        g_articles = {a["article_id"] for a in g["asserted_by"] if a["article_id"] not in opinion}
        g_sources = len({groups.get(a, a) for a in g_articles})
        best = None
        for p in predicted:
            spans = [(a["article_id"], a["start"], a["end"]) for a in p["asserted_by"]]
            if not any(aid == ga["article_id"] and _overlap((s, e), (ga["start"], ga["end"])) > 0
                       for aid, s, e in spans for ga in g["asserted_by"]):
                continue
            p_articles = {a for a, _, _ in spans}
            tp = len(p_articles & g_articles)
            f1 = 2 * tp / (len(p_articles) + len(g_articles)) if p_articles or g_articles else 0.0
            if f1 >= MIN_CLAIM_F1 and (best is None or f1 > best[0]):
                best = (f1, p)
        if best is not None:
            found += 1
            error = abs(best[1]["independent_sources"] - g_sources)
            exact += error == 0
            within_one += error <= 1
            abs_error += error
            if error:
                errors.update(_claim_error(g, best[1], predicted, g_articles, g_sources, groups))
        if g.get("contradicted_by"):
            # a claim the reader found contradicted: is it shown with a contradicting article of the reader's?
            contradicted += 1
            g_against = {a["article_id"] for a in g["contradicted_by"]}
            contradicted_found += best is not None and bool(g_against & {a["article_id"]
                                                                         for a in best[1]["contradicted_by"]})
        detail = (f"{'FOUND' if best else 'miss '} {g_sources} vs "
                  f"{best[1]['independent_sources'] if best else '-'}: {g['claim'][:90]}")
        if best is not None and verbose:
            p_articles = {a["article_id"] for a in best[1]["asserted_by"]}
            detail += f" | missing {sorted(g_articles - p_articles)} extra {sorted(p_articles - g_articles)}"
        details.append(detail)
    out = {"found": round(found / len(gold), 3) if gold else None,
           "sources_exact": round(exact / found, 3) if found else None,
           "gold": len(gold), "found_n": found, "exact_n": exact, "within_one_n": within_one,
           "abs_error_sum": abs_error, "contradicted": contradicted, "contradicted_found": contradicted_found,
           "predicted": len(predicted), "errors": dict(sorted(errors.items()))}
    if verbose:
        out["details"] = details
    return out


def _claim_error(g: dict, p: dict, predicted: list[dict], g_articles: set[str], g_sources: int,
                 groups: dict[str, str]) -> Counter:
    """Why a found claim's source count is wrong (a diagnostic: it changes no score). ``under`` / ``over``:
    the count is low / high; per source the reader marked asserting that the claim lacks, ``missing_split``
    when the reader's sentence is in another predicted claim (one claim split in several), ``missing_lost``
    when it is in none; ``extra_source`` per source in the claim that the reader marked omitting;
    ``grouping`` when the claim's articles are more (or fewer) sources by the store's source ids than by the
    reader's groups."""
    kind = "under" if p["independent_sources"] < g_sources else "over"
    p_articles = {a["article_id"] for a in p["asserted_by"]}
    mine = {groups.get(a, a) for a in p_articles}
    theirs = {groups.get(a, a) for a in g_articles}
    out: Counter = Counter({kind: 1})
    for ga in g["asserted_by"]:
        if ga["article_id"] in g_articles and groups.get(ga["article_id"], ga["article_id"]) not in mine:
            elsewhere = any(a["article_id"] == ga["article_id"] and _overlap((a["start"], a["end"]),
                                                                              (ga["start"], ga["end"])) > 0
                            for q in predicted if q is not p for a in q["asserted_by"])
            out[f"{kind}:missing_{'split' if elsewhere else 'lost'}"] += 1
    out[f"{kind}:extra_source"] += len(mine - theirs)
    if p["independent_sources"] != len(mine):
        out[f"{kind}:grouping"] += 1
    return +out


# -- running -------------------------------------------------------------------------------------------------
