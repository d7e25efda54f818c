"""Political events (PLOVER): the coder on the PLOVER gold-standard records, and the whole chain (coding,
canonical actors, deduplication) on the sample corpus.

PLOVER GSR dev (``../shared/data/events/plover/plover-gsr-dev.json``, 161 sentences from the CAMEO manual):
each sentence is coded alone, as ``storyline code`` codes it (publication date unknown; the coder's sentence
fallback on, as each record is one event report), and its main event (the coder's first) compared with the
record: accuracy of the event type, of the source and the target actor's country code (a code of the
record's compound actor counts; a record without target wants none; organisations without a country are
compared as ``IGO``, the record's code for the UN, the EU, NATO and also for Amnesty or the Red Cross, which
our table codes NGO), of the whole triple; the extra events coded per sentence (beyond the main one); a
confusion table of types, and each miss sorted into error classes (``ERROR_CLASSES``). The records follow
PLOVER 0.6, whose DEMAND, DISAPPROVE, INVESTIGATE and FIGHT are REQUEST, ACCUSE, ACCUSE and ASSAULT in PLOVER
2021 (the table ``CAMEO2PLOVER-2021.txt``), which the coder emits. No published system reports figures on
this set; two baselines run beside the coder: the majority type of the set itself, and a verb lexicon
without the parse (the first word of the sentence in the pattern file decides the type, the first and
second country named are source and target). The nearest published figures are the PETRARCH family's
validation reports on their own gold records (openeventdata/UniversalPetrarch issue #52: 44% of 1,018
records correct, 3.16 extra events per record), stored beside ours as ``published``.

Sample corpus (``gold.json`` ``political_events``, our own labels, 77 reports): a labelled report is found
when a coded clause of its sentence has its type, source and target (by country where the label gives
one, else by name; a label without target wants a target of no country); precision counts coded clauses in
the labelled articles that match a label of their sentence. Events per storyline, and reports per event
record before and after deduplication, beside the same ratio of the labels themselves (reports grouped by
story event, type, source and target country).

    python -m bench eval_plover
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.common import check_minimums, save, shared
from bench.eval_sample import gold_path, match_articles

OLD_TO_2021 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
OWN_CODES = {"EU", "UN", "NATO", "IGO", "NGO"}
#: Why a record was missed, first that applies: nothing coded; a reporting verb coded as the event; the
#: type wrong; source and target swapped; the source wrong (none, or another country); the target missing,
#: spurious or of another country.
ERROR_CLASSES = ("no_event", "reporting_frame_coded", "type", "swapped", "source_missing", "source_country",
                 "target_missing", "target_spurious", "target_country")
PUBLISHED = {"system": "UniversalPetrarch (PETRARCH family), its own validation records",
             "source": "openeventdata/UniversalPetrarch issue #52 (2018)", "records": 1018,
             "correct_share": 0.442, "extra_events_per_record": 3.155}


def _code(country: str | None, sector: str | None) -> str | None:
    if country in OWN_CODES or (sector == "international" and country and len(country) != 3):
        return "IGO"
    return country


def _actors(value: Any) -> set[str]:
    return {a.get("code") for a in value if a.get("code")} if isinstance(value, list) else set()


def _error_class(pred: tuple, gold_type: str, sources: set, targets: set, trigger: str | None, lex: Any) -> str | None:
    kind, src, tgt = pred
    ok_src = src in sources if sources else src is None
    ok_tgt = tgt in targets if targets else tgt is None
    if kind == gold_type and ok_src and ok_tgt:
        return None
    if kind is None:
        return "no_event"
    if kind != gold_type:
        speech = trigger is not None and trigger.lower().rstrip("s") in {w.rstrip("s") for w in
                                                                           _speech_forms(lex)}
        return "reporting_frame_coded" if speech else "type"
    if src and tgt and src not in sources and src in targets and tgt in sources:
        return "swapped"
    if not ok_src:
        return "source_missing" if src is None else "source_country"
    if tgt is None:
        return "target_missing"
    return "target_spurious" if not targets else "target_country"


def _speech_forms(lex: Any) -> set[str]:
    forms = set()
    for w in lex.words["speech"]:
        forms.update({w, w + "s", w + "ed", w + "d", "said" if w == "say" else w, "told" if w == "tell" else w})
    return forms


def _lexicon_baseline(doc: Any, lex: Any) -> tuple[str | None, str | None, str | None]:
    kind = next((code.type for t in doc for code in [lex.verbs.get(t.lemma_.lower()) or lex.nouns.get(t.lower_)]
                 if code is not None), None)
    countries = [c for t in doc for c in [lex.countries.get(t.lower_) or lex.capitals.get(t.lower_)] if c]
    return kind, (countries[0] if countries else None), (countries[1] if len(countries) > 1 else None)


def score_gsr(items: list[dict]) -> dict[str, Any]:
    from datetime import date

    from storyline.extract.timex import find_times
    from storyline.nlp.entities import find_mentions
    from storyline.nlp.model import load_nlp
    from storyline.polevents import code_events, load_lexicon
    from storyline.records import Sentence

    nlp, lex = load_nlp(), load_lexicon()
    gold_types = [OLD_TO_2021.get(it["event"], it["event"]) for it in items]
    majority = Counter(gold_types).most_common(1)[0][0]
    ours, base = Counter(), Counter()
    confusion: dict[str, Counter] = defaultdict(Counter)
    errors: dict[str, list[str]] = defaultdict(list)
    extra = 0
    for it, gold_type in zip(items, gold_types):
        doc = nlp(it["text"])
        sentences = tuple(Sentence(i, s.start_char, s.end_char) for i, s in enumerate(doc.sents))
        mentions = find_mentions(doc, sentences)
        times = find_times(doc.text, date(2000, 1, 1), sentences=sentences)
        events = code_events(doc, mentions, times, None, fallback=True)
        main = events[0] if events else None
        extra += max(0, len(events) - 1)
        sources, targets = _actors(it.get("source")), _actors(it.get("target"))
        pred = (main.event_type, _code(main.source_country, main.source_sector),
                _code(main.target_country, main.target_sector)) if main else (None, None, None)
        why = _error_class(pred, gold_type, sources, targets, main.action if main else None, lex)
        if why is not None:
            errors[why].append(it["id"])
        for counter, (kind, src, tgt) in ((ours, pred), (base, _lexicon_baseline(doc, lex))):
            ok_type = kind == gold_type
            ok_src = src in sources if sources else src is None
            ok_tgt = tgt in targets if targets else tgt is None
            counter["type"] += ok_type
            counter["source"] += ok_src
            counter["target"] += ok_tgt
            counter["triple"] += ok_type and ok_src and ok_tgt
            counter["coded"] += kind is not None
            counter["type_when_coded"] += ok_type and kind is not None
        base["majority_type"] += gold_type == majority
        confusion[gold_type][pred[0] or "(none)"] += 1
    n = len(items)
    rate = lambda c, k: round(c[k] / n, 3)  # noqa: E731 (a one-line share)
    return {
        "n": n,
        "type_accuracy": rate(ours, "type"), "source_country_accuracy": rate(ours, "source"),
        "target_country_accuracy": rate(ours, "target"), "triple_accuracy": rate(ours, "triple"),
        "coded_share": rate(ours, "coded"), "extra_events_per_sentence": round(extra / n, 3),
        "type_accuracy_when_coded": round(ours["type_when_coded"] / max(1, ours["coded"]), 3),
        "baseline_lexicon_type_accuracy_when_coded": round(base["type_when_coded"] / max(1, base["coded"]), 3),
        "baseline_majority_type": majority, "baseline_majority_type_accuracy": rate(base, "majority_type"),
        "baseline_lexicon_type_accuracy": rate(base, "type"),
        "baseline_lexicon_source_accuracy": rate(base, "source"),
        "baseline_lexicon_target_accuracy": rate(base, "target"),
        "baseline_lexicon_triple_accuracy": rate(base, "triple"),
        "confusion": {g: dict(c.most_common()) for g, c in sorted(confusion.items())},
        "error_classes": {k: len(errors[k]) for k in ERROR_CLASSES},
        "error_records": {k: errors[k] for k in ERROR_CLASSES if errors[k]},
        "published": PUBLISHED,
    }


def _actor_ok(ours: dict | None, country: str | None, name: str | None) -> bool:
    from storyline.nlp.names import ascii_fold

    if name is None and country is None:
        return ours is None or ours["country"] is None
    if ours is None:
        return False
    if country is not None:
        return ours["country"] == country
    return ascii_fold(name) in ascii_fold(ours["name"] or "") or ascii_fold(ours["name"] or "") in ascii_fold(name)


def score_sample() -> dict[str, Any]:
    import storyline
    from storyline.api import political_events

    gold = json.loads(gold_path().read_text())
    labels = gold["political_events"]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.db"
        storyline.ingest([storyline.sample_corpus()], db, settings=storyline.Settings(workers=1))
        matched = match_articles(gold, storyline.articles(db))
        reports = political_events(db, reports=True)
        records = political_events(db)
        per_storyline = {s["id"]: len(political_events(db, storyline=s["id"])) for s in storyline.stories(db)}
    by_article = defaultdict(list)
    for r in reports:
        by_article[r["article_id"]].append(r)
    found = typed = located = 0
    used: set[int] = set()
    for g in labels:
        stored = matched.get(g["article"])
        if stored is None:
            continue
        text = stored.article.text
        at = text.find(g["text"].rstrip(" ."))
        if at < 0:
            continue
        located += 1
        here = [r for r in by_article[stored.article.id] if r["start"] <= at < r["end"]]
        typed += any(r["event_type"] == g["type"] for r in here)
        hit = next((r for r in here if r["event_type"] == g["type"]
                    and _actor_ok(r["source"], g["source_country"], g["source"])
                    and _actor_ok(r["target"], g["target_country"], g["target"])), None)
        if hit is not None:
            found += 1
            used.add(id(hit))
    labelled_ids = {matched[g["article"]].article.id for g in labels if g["article"] in matched}
    in_labelled = [r for r in reports if r["article_id"] in labelled_ids]
    event_of = {a["key"]: a["event"] for a in gold["articles"]}
    gold_records = {(event_of.get(g["article"]), g["type"], g["source_country"] or g["source"],
                     g["target_country"] or g["target"]) for g in labels}
    gold_storylines = Counter(e.split("-")[0] for e, *_ in gold_records if e)
    return {
        "labels": len(labels), "labels_located": located,
        "recall": round(found / max(1, located), 3), "type_recall": round(typed / max(1, located), 3),
        "precision": round(len(used) / max(1, len(in_labelled)), 3),
        "reports": len(reports), "records": len(records),
        "reports_per_record": round(len(reports) / max(1, len(records)), 2),
        "gold_reports_per_record": round(len(labels) / max(1, len(gold_records)), 2),
        "records_multi_source": sum(r["sources_count"] > 1 for r in records),
        "events_per_storyline": per_storyline,
        "gold_events_per_storyline": dict(sorted(gold_storylines.items())),
    }


def _confusion_table(confusion: dict[str, dict[str, int]]) -> str:
    """Gold types down, coded types across (the main event; "-" none coded)."""
    cols = sorted({c for row in confusion.values() for c in row}, key=lambda c: (c == "(none)", c))
    short = {c: ("-" if c == "(none)" else c[:4]) for c in cols}
    lines = ["gold \\ coded " + " ".join(f"{short[c]:>4}" for c in cols)]
    for gold, row in confusion.items():
        lines.append(f"{gold:<13} " + " ".join(f"{row.get(c, 0) or '.':>4}" for c in cols))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    path = shared("events", "plover", "plover-gsr-dev.json")
    gsr = score_gsr(json.loads(path.read_text()))
    sample = score_sample()
    figures = {"gsr_dev": gsr, "sample": sample}
    out = save("eval_plover", figures)
    print(json.dumps({k: v for k, v in gsr.items() if k not in ("confusion", "error_records", "published")},
                     indent=1))
    print(_confusion_table(gsr["confusion"]))
    print(json.dumps(sample, indent=1))
    print(f"wrote {out}")
    flat = {f"gsr_{k}": v for k, v in gsr.items() if isinstance(v, float) and not k.startswith("baseline")
            and k != "extra_events_per_sentence"}
    flat["gsr_1_minus_extra_events_per_sentence"] = round(1 - gsr["extra_events_per_sentence"], 3)
    flat.update({f"sample_{k}": v for k, v in sample.items() if isinstance(v, float)})
    return check_minimums("eval_plover", flat)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
