"""Briefs on the sample corpus: citation integrity, statement grouping, framing and timeline dates.

- citation integrity, over every summary sentence of the brief of every storyline:
  *resolvable*: every citation names a stored article and a span inside one stored sentence of it, and the
  first citation's span is the sentence's text verbatim (must be 100%); a disputed point ("where: Oval Office
  vs Paris", with ``sides``) is the brief's own line, so there each side's value must stand verbatim in every
  sentence cited for it (which is also its support);
  *support*: a cited sentence supports a brief sentence when it holds at least ``SUPPORT_MIN`` of the brief
  sentence's content words (lower-cased, stop words out, numbers without separators; see
  ``storyline.analysis.content``) and every number the brief sentence writes in digits; a brief sentence is
  supported when all its citations support it (reported per sentence and per citation);
- statement grouping: B-cubed over the labelled quotes of ``gold.statements`` (located as
  ``eval_sample_nlp`` does), the ledger's groups (a store statement, with the indirect reports linked to it)
  against the labels, beside the store's statements alone on the same quotes (``eval_sample_nlp`` scores
  those over all its located quotes);
- framing: ``gold.loaded_terms`` (outlet, term, side) against the name variants and loaded terms the briefs
  find in each outlet's own voice: a found term matches a labelled one of the same outlet when either
  contains the other (case-insensitive, hyphens as spaces, brackets dropped); recall over labels (also
  without the loaded-language model's words), precision over found items, over names and lexicon terms (what
  framing found before it had a model), over loaded terms alone, and over the model's words alone (the labels
  list the sample's topic terms, not every evaluative word, so a right model word can count against
  precision); side accuracy over matched pairs whose found item has a side (the model's words have none);
- timeline: share of events dated as their labelled event (the gold event most of their articles belong to).

The lexicon was written for the domain with the sample's labels in view (the sample is ours, not held out).

    python -m bench eval_brief
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import check_minimums, save
from bench.eval_sample import gold_path, match_articles
from bench.eval_sample_nlp import SPEECH, _located
from bench.scoring import bcubed

SUPPORT_MIN = 0.5  # share of a brief sentence's content words its cited sentence must hold


def supports(sentence: str, source: str) -> bool:
    from storyline.analysis.content import content_words, numbers

    mine = content_words(sentence)
    share = len(mine & content_words(source)) / len(mine) if mine else 1.0
    return share >= SUPPORT_MIN and numbers(sentence) <= numbers(source)


def resolves(citation: dict[str, Any], texts: dict[str, str], sentences: dict[str, list[tuple[int, int]]]) -> bool:
    aid, start, end = citation["article_id"], citation["start"], citation["end"]
    if aid not in texts or not 0 <= start < end <= len(texts[aid]):
        return False
    return any(s <= start and end <= e for s, e in sentences.get(aid, []))


def citation_figures(briefs: list[dict], texts: dict[str, str], sentences: dict, verbose: bool = False
                     ) -> dict[str, float]:
    n = ok = supported = cites = cites_ok = 0
    for b in briefs:
        for p in b["summary"]["paragraphs"]:
            for x in p["sentences"]:
                n += 1
                first = x["citations"][0] if x["citations"] else None
                if x.get("sides"):   # a disputed point: each side's value, verbatim in each sentence cited for it
                    verdicts = [c["article_id"] in texts and side["value"].casefold()
                                in texts[c["article_id"]][c["start"]:c["end"]].casefold()
                                for side in x["sides"] for c in side["citations"]]
                    good = bool(first) and all(resolves(c, texts, sentences) for c in x["citations"]) and all(verdicts)
                else:
                    good = bool(first) and all(resolves(c, texts, sentences) for c in x["citations"]) and \
                        texts[first["article_id"]][first["start"]:first["end"]] == x["text"]
                    verdicts = [supports(x["text"], texts[c["article_id"]][c["start"]:c["end"]])
                                for c in x["citations"] if c["article_id"] in texts]
                ok += good
                cites += len(verdicts)
                cites_ok += sum(verdicts)
                supported += bool(verdicts) and all(verdicts)
                if verbose and not all(verdicts):
                    print("  unsupported:", x["text"][:150], [texts[c["article_id"]][c["start"]:c["end"]][:150]
                                                             for c in x["citations"]])
    return {"brief_sentences": n, "citation_resolvable": round(ok / n, 4) if n else 0.0,
            "support_rate": round(supported / n, 4) if n else 0.0,
            "citation_support_rate": round(cites_ok / cites, 4) if cites else 0.0}


def ledger_grouping(gold: dict, briefs: list[dict], texts: dict[str, str], quotes: dict[str, list[dict]]
                    ) -> dict[str, float]:
    group_of: dict[int, int] = {}
    for b in briefs:
        for g in b["statements"]:
            for st in g["statements"]:
                group_of[st["id"]] = st["id"]
                for linked in st["linked"]:
                    group_of[linked["id"]] = st["id"]
    labels = [{"article": key, "text": text, "kind": "direct"} for st in gold["statements"]
              for key, text in st["quotes"]]
    statement_of = {q["id"]: q["statement_id"] for qs in quotes.values() for q in qs}
    quote_of = {}
    for g, key, best, share in _located(labels, texts, quotes):
        if share >= 0.5 and best["kind"] in SPEECH:
            quote_of[(key, g["text"])] = best["id"]
    gold_group, pred_group, store_group = {}, {}, {}
    for st in gold["statements"]:
        for key, text in st["quotes"]:
            qid = quote_of.get((key, text))
            if qid:
                gold_group[qid] = st["id"]
                sid = statement_of.get(qid)
                store_group[qid] = sid if sid is not None else qid
                pred_group[qid] = group_of.get(sid, sid) if sid is not None else qid
    p, r, f = bcubed(pred_group, gold_group)
    return {"ledger_bcubed_precision": round(p, 4), "ledger_bcubed_recall": round(r, 4),
            "ledger_bcubed_f1": round(f, 4), "ledger_quotes_scored": len(gold_group),
            "store_statements_bcubed_f1": round(bcubed(store_group, gold_group)[2], 4)}


def _norm(term: str) -> str:
    return " ".join(re.sub(r"[\[\]()]", "", term.casefold()).replace("-", " ").split())


def framing_figures(gold: dict, briefs: list[dict]) -> dict[str, float]:
    names: set[tuple[str, str, str]] = set()
    lexicon: set[tuple[str, str, str]] = set()
    model: set[tuple[str, str, str]] = set()
    for b in briefs:
        for o in b["framing"]:
            names |= {(o["outlet"], n["variant"], n["side"] or "") for n in o["names"] if n["count"]}
            for t in o["loaded_terms"]:
                if t["count"]:
                    (lexicon if t.get("source", "lexicon") == "lexicon" else model).add(
                        (o["outlet"], t["term"], t["side"] or ""))
    labels = {(g["outlet"], g["term"], g["side"]) for g in gold["loaded_terms"]}

    def match(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
        x, y = _norm(a[1]), _norm(b[1])
        return a[0] == b[0] and bool(x) and bool(y) and (x in y or y in x)

    def precision(found: set) -> float:
        return round(sum(any(match(f, g) for g in labels) for f in found) / len(found), 4) if found else 0.0

    found = names | lexicon | model
    recalled = [g for g in labels if any(match(f, g) for f in found)]
    pairs = [(f, g) for f in names | lexicon if f[2] for g in labels if match(f, g)]
    return {"framing_labels": len(labels), "framing_found": len(found),
            "framing_recall": round(len(recalled) / len(labels), 4) if labels else 0.0,
            "framing_recall_without_model": round(sum(any(match(f, g) for f in names | lexicon) for g in labels)
                                                  / len(labels), 4) if labels else 0.0,
            "framing_precision": precision(found),
            "framing_precision_names_and_lexicon": precision(names | lexicon),
            "framing_precision_loaded_terms_only": precision(lexicon | model),
            "framing_model_terms": len(model), "framing_precision_model_terms": precision(model),
            "framing_side_accuracy": round(sum(f[2] == g[2] for f, g in pairs) / len(pairs), 4) if pairs else 0.0}


def timeline_figures(gold: dict, briefs: list[dict], event_of: dict[str, str]) -> dict[str, float]:
    gold_date = {e["id"]: e["date"] for s in gold["storylines"] for e in s["events"]}
    n = ok = 0
    bases: Counter[str] = Counter()
    for b in briefs:
        for e in b["timeline"]:
            labelled = Counter(event_of[a["article_id"]] for a in e["articles"] if a["article_id"] in event_of)
            if not labelled:
                continue
            target = labelled.most_common(1)[0][0]
            if gold_date.get(target):
                n += 1
                ok += e["date"] == gold_date[target]
                bases[e["date_basis"]] += 1
    return {"timeline_events_scored": n, "timeline_date_accuracy": round(ok / n, 4) if n else 0.0,
            "timeline_date_bases": dict(bases)}


def main(argv: list[str]) -> int:
    import storyline

    gold = json.loads(gold_path().read_text())
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.db"
        storyline.ingest([storyline.sample_corpus()], db, settings=storyline.Settings(workers=1))
        settings = storyline.Settings(llm_base_url="", llm_model="")
        briefs = [storyline.api.brief(s["id"], db, settings=settings) for s in storyline.stories(db)]
        stored = storyline.articles(db)
        matched = match_articles(gold, stored)
        with storyline.open_store(db, readonly=True) as store:
            texts = {a.article.id: a.article.text for a in stored}
            sentences = {aid: store.sentences(aid) for aid in texts}
            quotes = {key: store.quotes(article_id=a.article.id) for key, a in matched.items()}
    key_texts = {key: a.article.text for key, a in matched.items()}
    event_of = {a.article.id: next(g["event"] for g in gold["articles"] if g["key"] == key)
                for key, a in matched.items()}
    figures: dict[str, Any] = {"storylines": len(briefs)}
    figures.update(citation_figures(briefs, texts, sentences, "-v" in argv))
    figures.update(ledger_grouping(gold, briefs, key_texts, quotes))
    figures.update(framing_figures(gold, briefs))
    figures.update(timeline_figures(gold, briefs, event_of))
    print(f"sample corpus: {len(briefs)} storylines, {figures['brief_sentences']} brief sentences")
    for k, v in figures.items():
        print(f"  {k:44} {v}")
    save("eval_brief", figures)
    return check_minimums("eval_brief", figures)
