"""Loaded language on BABE's held-out sentences: sentence-level biased vs not, and the biased words.

    python -m bench eval_framing

The held-out part of ``bench/babe.py``'s fixed split (20% per label by the hash of the text; never seen by
``bench/train_framing.py``). Per method:

- sentence level: precision, recall and F1 of "biased" (the published anchor's measure: about 0.80 with a
  fine-tuned transformer, Spinde et al. 2021), macro F1 over both labels, accuracy;
- word level: per sentence, the set of word forms a method marks as loaded against the annotators' biased
  words (lower-cased, punctuation stripped); micro precision, recall and F1 over all held-out sentences (and
  over the biased ones alone);
- speed: microseconds per sentence of ``storyline.analysis.loaded.judge``.

Methods: storyline's models (``loaded``); a plain subjectivity lexicon with no training (a word is loaded when
pattern's adjective subjectivity is >= 0.5 or VADER's |valence| >= 1.5; a sentence is biased when it has one;
needs the dev extras, else left out); the topic lexicon ``loaded_terms.toml`` alone (what framing used before).
"""

from __future__ import annotations

import time
from typing import Any

from bench.babe import Item, read, split
from bench.common import SHARED, check_minimums, save

ANCHOR_F1 = 0.80  # BABE's authors, fine-tuned transformer (sentence level)
SUBJECTIVE = 0.5
VALENCE = 1.5 / 4


def sentence_figures(pred: list[bool], items: list[Item]) -> dict[str, float]:
    gold = [i.biased for i in items]
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    tn = len(gold) - tp - fp - fn
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    f1_neg = 2 * tn / (2 * tn + fn + fp) if tn else 0.0
    return {"sentence_precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
            "sentence_recall": round(tp / (tp + fn), 4) if tp + fn else 0.0, "sentence_f1": round(f1, 4),
            "sentence_macro_f1": round((f1 + f1_neg) / 2, 4), "sentence_accuracy": round((tp + tn) / len(gold), 4)}


def word_figures(pred: list[set[str]], items: list[Item], prefix: str = "word") -> dict[str, float]:
    tp = sum(len(p & i.words) for p, i in zip(pred, items))
    n_pred = sum(len(p) for p in pred)
    n_gold = sum(len(i.words) for i in items)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {f"{prefix}_precision": round(p, 4), f"{prefix}_recall": round(r, 4),
            f"{prefix}_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def score(items: list[Item], sentences: list[bool], words: list[set[str]]) -> dict[str, float]:
    biased = [k for k, i in enumerate(items) if i.biased]
    return {**sentence_figures(sentences, items), **word_figures(words, items),
            **word_figures([words[k] for k in biased], [items[k] for k in biased], "word_in_biased")}


def ours(items: list[Item]) -> tuple[dict[str, float], float]:
    from storyline.analysis.loaded import judge, load_model

    model = load_model()
    t0 = time.process_time()
    judged = [judge(i.text, model=model) for i in items]
    micro = (time.process_time() - t0) / len(items) * 1e6
    return score(items, [j.biased for j in judged], [{w.form for w in j.words} for j in judged]), micro


def subjectivity_baseline(items: list[Item]) -> dict[str, float] | None:
    try:
        from bench.train_framing import lexicons

        lex = lexicons()
    except SystemExit:
        return None
    from storyline.analysis.loaded import tokens

    marked = {f for f, (subj, _pol, val) in lex.items() if subj >= SUBJECTIVE or val >= VALENCE}
    words = [{t.form for t in tokens(i.text)} & marked for i in items]
    return score(items, [bool(w) for w in words], words)


def topic_lexicon_baseline(items: list[Item]) -> dict[str, float]:
    from storyline.analysis.framing import _term_hits, load_lexicon
    from storyline.analysis.loaded import tokens

    lex = load_lexicon()
    words = []
    for i in items:
        spans = [(s, e) for _t, s, e in _term_hits(lex, i.text)]
        words.append({t.form for t in tokens(i.text) if any(s <= t.start and t.end <= e for s, e in spans)})
    return score(items, [bool(w) for w in words], words)


def framing_seconds(sizes: tuple[int, ...] = (50, 500, 5000)) -> dict[str, float] | None:
    """Seconds of ``framing.build`` on storylines of the first N allsides-12k articles (their outlets, every
    sentence of the whole text, split at sentence-final punctuation; no quotes or mentions), when the corpus
    is in ``../shared/data``."""
    import gzip
    import json
    import re

    from storyline.analysis import framing
    from storyline.records import MaterialArticle, StoryMaterial

    path = SHARED / "corpus" / "allsides-12k.jsonl.gz"
    if not path.exists():
        return None
    arts = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r.get("text"):
                arts.append(MaterialArticle(id=str(len(arts)), title=r.get("title"), outlet=r.get("outlet"),
                                            published=None, date_source=None, text=r["text"]))
            if len(arts) >= max(sizes):
                break
    sentences = {a.id: [(m.start(), m.end()) for m in re.finditer(r"[^.!?]+[.!?]*", a.text) if m.group().strip()]
                 for a in arts}
    out = {}
    framing.build({"articles": []}, StoryMaterial({}, {}, {}, [], {}))  # models loaded once, outside the timing
    for n in sizes:
        part = arts[:n]
        m = StoryMaterial({a.id: a for a in part}, {a.id: sentences[a.id] for a in part}, {}, [], {})
        story = {"articles": [{"id": a.id, "outlet": a.outlet, "canonical_id": a.id} for a in part]}
        t0 = time.process_time()
        framing.build(story, m)
        out[str(n)] = round(time.process_time() - t0, 3)
    return out


def main(argv: list[str]) -> int:
    train, held = split(read())
    figures: dict[str, Any] = {"held_out_sentences": len(held), "held_out_biased": sum(i.biased for i in held),
                               "training_sentences": len(train), "anchor_sentence_f1": ANCHOR_F1}
    mine, micro = ours(held)
    figures.update(mine)
    figures["microseconds_per_sentence"] = round(micro, 1)
    baselines = {"subjectivity_lexicon": subjectivity_baseline(held), "topic_lexicon": topic_lexicon_baseline(held)}
    figures["baselines"] = {k: v for k, v in baselines.items() if v is not None}
    figures["framing_build_seconds"] = framing_seconds()
    print(f"BABE held out: {len(held)} sentences ({figures['held_out_biased']} biased); anchor sentence F1 "
          f"{ANCHOR_F1} (fine-tuned transformer)")
    rows = [("storyline", mine)] + list(figures["baselines"].items())
    keys = ["sentence_f1", "sentence_macro_f1", "sentence_precision", "sentence_recall", "word_precision",
            "word_recall", "word_f1", "word_in_biased_precision", "word_in_biased_recall"]
    print(f"  {'method':22}" + "".join(f"{k.replace('sentence_', 's_').replace('word_in_biased_', 'wb_'):>13}"
                                      for k in keys))
    for name, figs in rows:
        print(f"  {name:22}" + "".join(f"{figs[k]:>13}" for k in keys))
    print(f"  {micro:.0f} µs per sentence; framing.build seconds by storyline size: {figures['framing_build_seconds']}")
    save("eval_framing", figures)
    return check_minimums("eval_framing", figures)
