"""Story grouping: events and storylines, duplicate and rewrite groups.

- **Sample corpus** (``gold.json``, ships with the package): B-cubed of event and storyline membership;
  pairwise precision/recall of copy groups (exact + near) and of same-origin groups (copies and
  rewrites: what counts as one source).
- **ECB+** (``../shared/data/coref/ecbplus``, train and dev topics; skipped when absent): the documents
  go through the whole pipeline (NLP, entities, stories); B-cubed against the sub-topics (events:
  topic N, ``ecb`` or ``ecbplus``) and the topics (storylines), beside a TF-IDF + agglomerative
  baseline run here, its distance thresholds tuned on train and applied to dev. ECB+ documents carry
  no dates, so the time windows play no part: this measures content grouping alone.

    python -m bench eval_stories [--sweep]
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from bench.common import SHARED, check_minimums, save
from bench.scoring import bcubed, prf


def _pairs(groups: dict[str, str]) -> set[tuple[str, str]]:
    by: dict[str, list[str]] = defaultdict(list)
    for item, g in groups.items():
        by[g].append(item)
    return {tuple(sorted(p)) for members in by.values() for p in combinations(members, 2)}  # type: ignore[misc]


def _pair_scores(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    pp, gp = _pairs(pred), _pairs(gold)
    p, r, f = prf(len(pp & gp), len(pp - gp), len(gp - pp))
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "gold_pairs": len(gp),
            "predicted_pairs": len(pp)}


class CachedEmbedder:
    """MiniLM embeddings computed once per text, so that a threshold sweep does not re-embed."""

    def __init__(self) -> None:
        self.cache: dict[str, object] = {}

    def __call__(self, texts: list[str]):  # noqa: ANN204
        import numpy as np

        from storyline.stories.embed import embed

        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        for t, v in zip(todo, embed(todo)):
            self.cache[t] = v
        return np.stack([self.cache[t] for t in texts]) if texts else embed([])


def _placements(db: str) -> tuple[dict[str, int], dict[str, int], dict[str, str], dict[str, str]]:
    from storyline.store import Store

    with Store(db, readonly=True) as store:
        c = store.conn
        event = dict(c.execute("SELECT article_id, event_id FROM event_articles"))
        storyline = dict(c.execute("SELECT ea.article_id, e.storyline_id FROM event_articles ea "
                                   "JOIN events e ON e.id = ea.event_id"))
        copy = {a: a for a in event}
        copy.update(dict(c.execute("SELECT article_id, group_id FROM duplicates")))
        source = {a: a for a in event}
        source.update(dict(c.execute("SELECT article_id, source_id FROM sources")))
    return event, storyline, copy, source


def _regroup(db: str, params, embedder=None) -> None:  # noqa: ANN001
    from storyline.engines.stories import reset_stories, update_stories
    from storyline.store import Store

    with Store(db) as store:
        reset_stories(store)
        update_stories(store, params=params, embedder=embedder or CachedEmbedder())


# -- the sample corpus -----------------------------------------------------------------------------------


def sample_scores(params=None, db: str | None = None, embedder=None) -> dict[str, object]:  # noqa: ANN001
    import storyline
    from bench.eval_sample import gold_path, match_articles

    gold = json.loads(gold_path().read_text())
    tmp = tempfile.mkdtemp()
    if db is None:
        db = str(Path(tmp) / "sample.db")
        storyline.ingest([storyline.sample_corpus()], db=db)
    if params is not None:
        _regroup(db, params, embedder)
    matched = {k: a.article.id for k, a in match_articles(gold, storyline.articles(db=db)).items()}
    event, storyline_of, copy, source = _placements(db)
    g_event = {matched[g["key"]]: g["event"] for g in gold["articles"] if g["key"] in matched}
    g_story = {matched[g["key"]]: g["storyline"] for g in gold["articles"] if g["key"] in matched}
    g_copy = {a: a for a in g_event}
    g_source = {a: a for a in g_event}
    for grp in gold["duplicates"]:
        ids = [matched[m] for m in grp["members"] if m in matched]
        target = g_copy if grp["kind"] in ("exact", "near") else None
        root = g_source[ids[0]]
        for i in ids:   # union: rewrites of a copied origin are one source with its copies
            old = g_source[i]
            for k, v in g_source.items():
                if v == old:
                    g_source[k] = root
            if target is not None:
                target[i] = ids[0]
    ev = bcubed(event, g_event)
    st = bcubed(storyline_of, g_story)
    return {
        "db": db, "articles": len(g_event),
        "events": {"precision": round(ev[0], 3), "recall": round(ev[1], 3), "f1": round(ev[2], 3),
                   "predicted": len(set(event.values())), "gold": len(set(g_event.values()))},
        "storylines": {"precision": round(st[0], 3), "recall": round(st[1], 3), "f1": round(st[2], 3),
                       "predicted": len(set(storyline_of.values())), "gold": len(set(g_story.values()))},
        "copies": _pair_scores({a: copy.get(a, a) for a in g_copy}, g_copy),
        "same_origin": _pair_scores({a: source.get(a, a) for a in g_source}, g_source),
    }


# -- ECB+ ---------------------------------------------------------------------------------------------------


_NO_SPACE_BEFORE = re.compile(r" ([.,;:!?%)\]}'])|(\() |(\$) | (n't|'s|'re|'ve|'ll|'d|'m)\b")


def ecb_documents(path: Path) -> dict[str, str]:
    """Document id -> text rebuilt from the token-per-line corpus (one line per sentence)."""
    sents: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 4:
            sents[parts[0]][int(parts[1])].append(parts[3])
    docs = {}
    for doc, by_sent in sents.items():
        lines = []
        for i in sorted(by_sent):
            s = " ".join(by_sent[i])
            s = _NO_SPACE_BEFORE.sub(lambda m: m.group(1) or m.group(2) or m.group(3) or m.group(4), s)
            lines.append(s)
        docs[doc] = "\n\n".join(lines)
    return docs


def ecb_labels(doc: str) -> tuple[str, str]:
    topic, rest = doc.split("_", 1)
    return f"{topic}_{'ecbplus' if rest.endswith('ecbplus') else 'ecb'}", topic


def ecb_store(split: str, docs: dict[str, str], workdir: Path) -> str:
    import storyline

    src = workdir / f"ecb-{split}.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for doc, text in sorted(docs.items()):
            # no title: many ECB+ documents keep only their first sentence, which would read as a headline
            f.write(json.dumps({"url": f"https://ecbplus.example/{doc}", "text": text, "outlet": "ECB+"}) + "\n")
    db = str(workdir / f"ecb-{split}.db")
    storyline.ingest([str(src)], db=db)
    return db


def ecb_scores(db: str, params, embedder) -> dict[str, object]:  # noqa: ANN001
    from storyline.store import Store

    _regroup(db, params, embedder)
    event, storyline_of, _, _ = _placements(db)
    with Store(db, readonly=True) as store:
        doc_of = {aid: url.rsplit("/", 1)[1] for aid, url in store.conn.execute("SELECT id, url FROM articles")}
    sub = {a: ecb_labels(doc_of[a])[0] for a in doc_of}
    top = {a: ecb_labels(doc_of[a])[1] for a in doc_of}
    e, s = bcubed(event, sub), bcubed(storyline_of, top)
    return {"docs": len(doc_of), "events_vs_subtopics": [round(x, 3) for x in e],
            "storylines_vs_topics": [round(x, 3) for x in s],
            "predicted_events": len(set(event.values())), "predicted_storylines": len(set(storyline_of.values()))}


def tfidf_baseline(docs: dict[str, str], sub_t: float, top_t: float) -> dict[str, list[float]]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = sorted(docs)
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1).fit_transform([docs[d] for d in ids])
    out = {}
    for name, t, label in (("events_vs_subtopics", sub_t, 0), ("storylines_vs_topics", top_t, 1)):
        pred = AgglomerativeClustering(n_clusters=None, distance_threshold=t, metric="cosine",
                                       linkage="average").fit_predict(x.toarray())
        gold = {d: ecb_labels(d)[label] for d in ids}
        out[name] = [round(v, 3) for v in bcubed(dict(zip(ids, pred)), gold)]
    return out


def tune_baseline(docs: dict[str, str]) -> tuple[float, float]:
    best = {0: (0.0, 0.9), 1: (0.0, 0.9)}
    for t in [x / 100 for x in range(50, 100, 2)]:
        r = tfidf_baseline(docs, t, t)
        for i, key in enumerate(("events_vs_subtopics", "storylines_vs_topics")):
            if r[key][2] > best[i][0]:
                best[i] = (r[key][2], t)
    return best[0][1], best[1][1]


def allsides_check(n: int = 3000) -> dict[str, object]:
    """Real multi-outlet news (allsides-12k, first ``n`` articles, NLP off so no entities): do storylines
    stay within one allsides topic label (a coarse category, so B-cubed precision is the figure that
    means something), and how large does the largest storyline grow?"""
    import gzip

    import storyline
    from storyline.settings import Settings

    work = Path(tempfile.mkdtemp())
    src = work / "allsides.jsonl"
    topics = {}
    with gzip.open(SHARED / "corpus" / "allsides-12k.jsonl.gz", "rt", encoding="utf-8") as f, \
            src.open("w", encoding="utf-8") as out:
        for i, line in enumerate(f):
            if i >= n:
                break
            r = json.loads(line)
            out.write(line)
            topics[r["url"]] = r.get("topic")
    db = str(work / "allsides.db")
    storyline.ingest([str(src)], db=db, settings=Settings(db=db, analyse=False))
    from storyline.store import Store

    with Store(db, readonly=True) as store:
        rows = store.conn.execute("SELECT a.url, e.storyline_id, ea.event_id FROM articles a JOIN event_articles ea "
                                  "ON ea.article_id = a.id JOIN events e ON e.id = ea.event_id").fetchall()
    from storyline.clean.metadata import normalise_url

    topic_of = {normalise_url(u) or u: t for u, t in topics.items()}
    gold = {u: topic_of.get(u) for u, _, _ in rows if topic_of.get(u)}
    sl = {u: s for u, s, _ in rows if u in gold}
    ev = {u: e for u, _, e in rows if u in gold}
    sizes = sorted((sum(1 for x in sl.values() if x == s) for s in set(sl.values())), reverse=True)
    p_sl = bcubed(sl, gold)[0]
    p_ev = bcubed(ev, gold)[0]
    return {"articles": len(rows), "labelled": len(gold), "storylines": len(set(sl.values())),
            "events": len(set(ev.values())), "storyline_precision_vs_topic": round(p_sl, 3),
            "event_precision_vs_topic": round(p_ev, 3), "largest_storylines": sizes[:5],
            "singleton_storylines": sum(1 for x in sizes if x == 1)}


def main(argv: list[str]) -> int:
    from storyline.stories.assign import StoryParams

    params = StoryParams()
    embedder = CachedEmbedder()
    figures: dict[str, object] = {"params": params.__dict__}
    sample = sample_scores(params, embedder=embedder)
    db = sample.pop("db")
    figures["sample"] = sample
    print("sample corpus:", json.dumps(sample))
    ecb_dir = SHARED / "coref" / "ecbplus"
    if ecb_dir.exists():
        work = Path(tempfile.mkdtemp())
        splits = {s: ecb_documents(ecb_dir / f"ECB_{s.title()}_corpus.txt") for s in ("train", "dev")}
        dbs = {s: ecb_store(s, docs, work) for s, docs in splits.items()}
        if "--sweep" in argv:
            sweep(dbs["train"], db, embedder)
        sub_t, top_t = tune_baseline(splits["train"])
        figures["ecbplus"] = {}
        for s in ("train", "dev"):
            figures["ecbplus"][s] = {"storyline": ecb_scores(dbs[s], params, embedder),
                                     "tfidf_agglomerative": tfidf_baseline(splits[s], sub_t, top_t)}
            print(f"ECB+ {s}:", json.dumps(figures["ecbplus"][s]))
        figures["ecbplus"]["baseline_thresholds"] = {"subtopics": sub_t, "topics": top_t}
    else:
        print(f"ECB+ skipped: {ecb_dir} is not here")
    if (SHARED / "corpus" / "allsides-12k.jsonl.gz").exists() and "--no-allsides" not in argv:
        figures["allsides_check"] = allsides_check()
        print("allsides:", json.dumps(figures["allsides_check"]))
    save("eval_stories", figures)
    flat = {"sample_event_f1": sample["events"]["f1"], "sample_storyline_f1": sample["storylines"]["f1"],
            "sample_copy_precision": sample["copies"]["precision"],
            "sample_copy_recall": sample["copies"]["recall"]}
    if "ecbplus" in figures:
        dev = figures["ecbplus"]["dev"]["storyline"]  # type: ignore[index]
        flat["ecb_dev_event_f1"] = dev["events_vs_subtopics"][2]
        flat["ecb_dev_storyline_f1"] = dev["storylines_vs_topics"][2]
    return check_minimums("eval_stories", flat)


def sweep(ecb_db: str, sample_db: str, embedder) -> None:  # noqa: ANN001
    """Grid over the main thresholds on ECB+ train and the sample corpus (the tuning behind StoryParams)."""
    from dataclasses import replace

    from storyline.stories.assign import StoryParams

    base = StoryParams()
    for et in (0.5, 0.55, 0.6, 0.65):
        for st in (0.35, 0.4, 0.45, 0.5):
            for ew in (0.0, 0.15, 0.3):
                p = replace(base, event_threshold=et, storyline_threshold=st, entity_weight=ew,
                            storyline_entity_weight=ew + 0.1)
                e = ecb_scores(ecb_db, p, embedder)
                s = sample_scores(p, db=sample_db, embedder=embedder)
                print(f"et={et} st={st} ew={ew} ecb-ev={e['events_vs_subtopics'][2]} "
                      f"ecb-st={e['storylines_vs_topics'][2]} sample-ev={s['events']['f1']} "
                      f"sample-st={s['storylines']['f1']}", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
