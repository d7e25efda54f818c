"""Quotes and speakers on PolNeAR dev (../shared/data/quotes/polnear), direct and indirect speech apart.

Gold: every attribution (brat ``Attribution`` event joining Source / Cue / Content spans) whose
Content is a direct quotation (at least half its letters inside quote marks) or whose Cue is a
speech verb (a cue word's lemma in ``extract/speech_verbs.txt``, or "according to"). Articles
annotated by several people are scored once, on the first annotation file.

- found: a predicted statement covers >= 50% of the gold content's letters and digits. Quotes
  the extractor splits ("A," he said, "B.") or runs on (a paragraph with no cue) share one speaker
  mention; consecutive quotes with the same speaker mention are matched together, as PolNeAR
  joins them in one content.
- speaker right: the predicted speaker mention overlaps the gold Source, or the predicted
  ``speaker_text`` names the same entity as the gold Source resolved the same way (pronouns and
  titles to the article's fullest name). Scored on found attributions that have a gold Source.
- precision: predicted quotes of a kind (direct = direct + partial; indirect) with >= 50% of their
  letters inside, or covering >= 50% of, any gold content (any attribution, speech or not).
  Scare quotes and terms are not statements and are not scored.

Speed: ms per 1,000 words of ``find_quotes`` beside bare spaCy (``nlp.pipe``) on the same texts.
Anchor: human attribution-wise agreement 92.3% (Newell et al. 2018).

    python -m bench eval_quotes [--split train] [--show N]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from itertools import accumulate
from pathlib import Path

from bench.common import check_minimums, save, shared

ANCHOR = 0.923
TARGETS = {"direct_recall": 0.90, "direct_speaker_accuracy": 0.90}
_T = re.compile(r"^(T\d+)\t(\S+) ([\d; ]+)\t")
_E = re.compile(r"^(E\d+)\t(.*)$")


def load_split(root: Path) -> list[tuple[str, str, list[dict[str, list[tuple[int, int]]]]]]:
    """(name, text, attributions) per article; each attribution maps Source/Cue/Content to spans."""
    out = []
    seen: set[str] = set()
    for ann in sorted((root / "attributions").glob("*.ann")):
        name = re.sub(r"_[0-9a-f]+$", "", ann.stem)
        if name in seen or not (root / "text" / f"{name}.txt").exists():
            continue
        seen.add(name)
        text = (root / "text" / f"{name}.txt").read_text(encoding="utf-8")
        spans: dict[str, list[tuple[int, int]]] = {}
        events = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            if m := _T.match(line):
                spans[m.group(1)] = [tuple(map(int, p.split())) for p in m.group(3).split(";")]  # type: ignore[misc]
            elif m := _E.match(line):
                events.append(m.group(2).split()[1:])
        attributions = []
        for args in events:
            roles = dict(a.split(":", 1) for a in args if ":" in a)
            att = {role: spans[t] for role, t in roles.items() if t in spans and role in ("Source", "Cue", "Content")}
            if "Content" in att:
                attributions.append(att)
        out.append((name, text, attributions))
    return out


def quoted_chars(text: str) -> list[bool]:
    """Per character: inside double quote marks (paired paragraph by paragraph)."""
    inside = [False] * len(text)
    state = False
    for i, c in enumerate(text):
        if c == "\n":
            state = False
        elif c == "“":
            state = True
        elif c == "”":
            state = False
        elif c == '"' or c == "'" and "''" in text[max(0, i - 1):i + 2]:   # '' stands for " in some outlets
            if c == '"' or text[i + 1:i + 2] == "'":
                state = not state
        else:
            inside[i] = state
    return inside


class Letters:
    """Counts letters and digits in character intervals, by prefix sums."""

    def __init__(self, text: str) -> None:
        self.pre = [0, *accumulate(c.isalnum() for c in text)]

    def count(self, spans) -> int:
        return sum(self.pre[e] - self.pre[s] for s, e in spans)

    def overlap(self, a, b) -> int:
        return sum(self.pre[min(e1, e2)] - self.pre[max(s1, s2)]
                   for s1, e1 in a for s2, e2 in b if min(e1, e2) > max(s1, s2))


def same_entity(a: str | None, b: str | None) -> bool:
    """Whether two resolved names name the same entity: equal when folded, or one person's name
    contains the other's surname with no conflicting first name."""
    from storyline.nlp.names import ascii_fold, strip_honorifics

    if not a or not b:
        return False
    fa, fb = (ascii_fold(strip_honorifics(x)).removeprefix("the ").split() for x in (a, b))
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    if fa[-1] != fb[-1]:
        return False
    return len(fa) == 1 or len(fb) == 1 or fa[0] == fb[0]


def groups(quotes) -> list[list]:
    """Consecutive speech quotes sharing a speaker mention (split quotes, quote runs) go together."""
    out: list[list] = []
    for q in quotes:
        key = (q.speaker_start, q.speaker_end)
        if out and q.speaker_start is not None and (out[-1][-1].speaker_start, out[-1][-1].speaker_end) == key:
            out[-1].append(q)
        else:
            out.append([q])
    return out


def score(articles, docs, predictions, verbs) -> tuple[dict, list]:
    from storyline.extract.quotes import mention_resolver

    tally = {k: {"gold": 0, "found": 0, "with_source": 0, "speaker_ok": 0, "pred": 0, "pred_ok": 0}
             for k in ("direct", "indirect")}
    misses = []
    for (name, text, atts), doc, quotes in zip(articles, docs, predictions):
        letters, inside = Letters(text), quoted_chars(text)
        resolve = mention_resolver(doc)
        speech = [q for q in quotes if q.kind in ("direct", "partial", "indirect")]
        grouped = [(g, [(q.start, q.end) for q in g]) for g in groups(speech)]
        contents = [a["Content"] for a in atts]
        for q in speech:
            kind = "indirect" if q.kind == "indirect" else "direct"
            tally[kind]["pred"] += 1
            mine = [(q.start, q.end)]
            size = max(1, letters.count(mine))
            tally[kind]["pred_ok"] += any(
                letters.overlap(mine, c) >= 0.5 * size or letters.overlap(mine, c) >= 0.5 * max(1, letters.count(c))
                for c in contents)
        for att in atts:
            content = att["Content"]
            size = letters.count(content)
            if not size:
                continue
            quoted = sum(inside[i] and text[i].isalnum() for s, e in content for i in range(s, e))
            if quoted >= 0.5 * size:
                kind = "direct"
            elif _speech_cue(doc, att.get("Cue", []), verbs):
                kind = "indirect"
            else:
                continue
            t = tally[kind]
            t["gold"] += 1
            best, cover = None, 0
            for g, spans in grouped:
                c = letters.overlap(spans, content)
                if c > cover:
                    best, cover = g, c
            if best is None or cover < 0.5 * size:
                misses.append((name, kind, "missed", text, att, None))
                continue
            t["found"] += 1
            if "Source" not in att:
                continue
            t["with_source"] += 1
            source = att["Source"]
            gold_name = resolve(source[0][0], source[-1][1])
            ok = False
            for q in best:
                if q.speaker_start is not None and any(
                        min(e, q.speaker_end) > max(s, q.speaker_start) for s, e in source):
                    ok = True
                elif same_entity(q.speaker_text, gold_name):
                    ok = True
            t["speaker_ok"] += ok
            if not ok:
                misses.append((name, kind, f"speaker {best[0].speaker_text!r} vs {gold_name!r}", text, att, best))
    return tally, misses


def _speech_cue(doc, cue: list[tuple[int, int]], verbs: frozenset[str]) -> bool:
    for s, e in cue:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        if "according to" in span.text.lower():
            return True
        if any(t.lemma_.lower() in verbs and t.pos_ in ("VERB", "AUX") for t in span):
            return True
    return False


def _show(misses, n: int) -> None:
    for name, kind, why, text, att, best in misses[:n]:
        def part(role):
            return " … ".join(text[s:e] for s, e in att.get(role, []))[:160]
        print(f"- {name} [{kind}] {why}\n    source={part('Source')!r} cue={part('Cue')!r}"
              f"\n    content={part('Content')!r}")
        if best:
            q = best[0]
            print(f"    predicted={q.text[:100]!r} speaker_at={text[q.speaker_start or 0:q.speaker_end or 0]!r}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench eval_quotes")
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--show", type=int, default=0, help="print this many misses")
    args = parser.parse_args(argv)

    from storyline.extract.quote_marks import load_speech_verbs
    from storyline.extract.quotes import find_quotes
    from storyline.nlp.model import load_nlp

    root = shared("quotes", "polnear", args.split)
    articles = load_split(root)
    nlp = load_nlp()
    texts = [text for _, text, _ in articles]
    words = sum(len(t.split()) for t in texts)
    nlp("warm up")
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts))
    spacy_ms = (time.perf_counter() - t0) * 1000 / words * 1000
    predictions = [find_quotes(doc) for doc in docs]       # warm
    t0 = time.perf_counter()
    for _ in range(3):
        predictions = [find_quotes(doc) for doc in docs]
    quotes_ms = (time.perf_counter() - t0) / 3 * 1000 / words * 1000

    tally, misses = score(articles, docs, predictions, load_speech_verbs()[0])
    figures: dict[str, float] = {}
    print(f"PolNeAR {args.split}, {len(articles)} articles, {words:,} words")
    print(f"{'speech':9} {'gold':>5} {'recall':>7} {'precision':>9} {'speaker acc':>11} {'(scored)':>8}")
    for kind, t in tally.items():
        recall = t["found"] / t["gold"] if t["gold"] else 0.0
        precision = t["pred_ok"] / t["pred"] if t["pred"] else 0.0
        speaker = t["speaker_ok"] / t["with_source"] if t["with_source"] else 0.0
        figures.update({f"{kind}_recall": round(recall, 4), f"{kind}_precision": round(precision, 4),
                        f"{kind}_speaker_accuracy": round(speaker, 4)})
        print(f"{kind:9} {t['gold']:5d} {recall:7.3f} {precision:9.3f} {speaker:11.3f} {t['with_source']:8d}")
    print(f"{'anchor':9} human attribution-wise agreement {ANCHOR:.3f}; targets: "
          + ", ".join(f"{k} >= {v}" for k, v in TARGETS.items()))
    kinds = {}
    for qs in predictions:
        for q in qs:
            kinds[q.kind] = kinds.get(q.kind, 0) + 1
    print("predicted by kind:", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(f"speed: find_quotes {quotes_ms:.1f} ms per 1,000 words; bare spaCy {spacy_ms:.1f} ms "
          f"({quotes_ms / spacy_ms:.1%} of spaCy)")
    figures.update({"quotes_ms_per_1000_words": round(quotes_ms, 2), "spacy_ms_per_1000_words": round(spacy_ms, 1),
                    "quotes_share_of_spacy": round(quotes_ms / spacy_ms, 4)})
    if args.show:
        _show(misses, args.show)
    if args.split != "dev":
        return 0
    save("eval_quotes", {"split": "dev", "articles": len(articles), "words": words, **figures,
                         "gold": {k: t["gold"] for k, t in tally.items()}, "predicted_by_kind": kinds,
                         "anchor_human_agreement": ANCHOR, "targets": TARGETS})
    status = check_minimums("eval_quotes", figures)
    if figures["quotes_share_of_spacy"] >= 0.15:
        print("  FAIL find_quotes costs 15% or more of spaCy's time on the same texts")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
