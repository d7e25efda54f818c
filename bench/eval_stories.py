"""Story grouping: events and storylines, duplicate and rewrite groups.

- **Sample corpus** (``gold.json``, ships with the package): B-cubed of event and storyline membership;
  pairwise precision/recall of copy groups (exact + near) and of same-origin groups (copies and
  rewrites: what counts as one source).
- **ECB+** (``../shared/data/coref/ecbplus``, train and dev topics; skipped when absent): the documents
  go through the whole pipeline (NLP, entities, stories); B-cubed against the sub-topics (events:
  topic N, ``ecb`` or ``ecbplus``) and the topics (storylines), beside a TF-IDF + agglomerative
  baseline run here, its distance thresholds tuned on train and applied to dev. ECB+ documents carry
  no dates, so the time windows play no part: this measures content grouping alone.
- **allsides-12k story threads** (``bench/data/real/story_threads.json``: 529 articles in 108 threads over nine
  windows, labelled by a person reading them; rules in ``STORY_THREADS_RULES.md``; the corrupt record left
  out): storyline B-cubed precision and recall on the labelled articles, threads that continue an earlier
  one (``continues``) apart and joined to it, and apart for the dev windows (the first, third, ... in time
  order: the story rules were tuned on these) and the held-out ones (the second, fourth, ...). Two stores: the
  labelled articles alone, and the whole 12k (the labelled articles among 11,470 others of every topic and year,
  as a real store holds them), where the largest storyline, the longest storyline span and the storylines over
  180 and 400 days are reported too.
  The NLP stage reads each article's first 1,500 characters (as ``bench_brief``); stories are placed
  article by article as ``storyline ingest`` places them (the queue's order), then ``storyline restructure``
  runs over everything and the figures are taken again.

ECB+ and allsides stores are built once (NLP is the slow part: about an hour for the 12k on this machine) and
kept in ``STORYLINE_BENCH_DIR`` (default ``/tmp/storyline-bench``) with the embeddings; later runs only
regroup them, while the NLP code that built them is unchanged (``bench.common.nlp_fingerprint``: a kept store
built by other code is rebuilt, so the dates, entities and sentences placed are always this code's).

    python -m bench eval_stories [--sweep] [--errors] [--no-ecb] [--no-allsides] [--labelled-only]

``--errors`` adds, per ECB+ split, the predicted events that hold two sub-topics and the sub-topics spread over
several events (:func:`ecb_errors`), and for the allsides threads as placed, why each article outside its thread's
main storyline is there (:func:`bench.thread_errors.split_reasons`: counts by reason and thread).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from bench.common import SHARED, check_minimums, kept_store_is_current, nlp_fingerprint, save
from bench.scoring import bcubed, prf

WORK = Path(os.environ.get("STORYLINE_BENCH_DIR", "/tmp/storyline-bench"))   # stores built once, kept
THREADS = Path(__file__).resolve().parent / "data" / "real" / "story_threads.json"
ALLSIDES_NLP_CHARS = 1500   # as bench_brief: the NLP stage reads each article's first five paragraphs or so
CORRUPT = {"ScGV0DnTlXEDE5hY"}   # a Comey-hearing title over an unrelated text (see STORY_THREADS_RULES.md)


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
    """MiniLM embeddings computed once per text, so that a threshold sweep does not re-embed; kept on disk
    under ``WORK`` between runs (the texts are the stores' own, which are kept there too)."""

    def __init__(self, path: Path | None = None) -> None:
        self.cache: dict[str, object] = {}
        self.path, self.added = path, 0
        if path is not None and path.exists():
            import numpy as np

            data = np.load(path)
            self.cache = dict(zip(data["keys"].tolist(), data["vectors"]))

    @staticmethod
    def key(text: str) -> str:
        import hashlib

        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()

    def __call__(self, texts: list[str]):  # noqa: ANN204
        import numpy as np

        from storyline.stories.embed import embed

        keys = [self.key(t) for t in texts]
        todo = {k: t for k, t in zip(keys, texts) if k not in self.cache}
        for k, v in zip(todo, embed(list(todo.values()))):
            self.cache[k] = v
        self.added += len(todo)
        return np.stack([self.cache[k] for k in keys]) if texts else embed([])

    def save(self) -> None:
        import numpy as np

        if self.path is None or not self.added:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(list(self.cache)), vectors=np.stack(list(self.cache.values())))
        os.replace(tmp, self.path)
        self.added = 0


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


def ecb_store(split: str, docs: dict[str, str]) -> str:
    """The split's documents through the whole pipeline (stories left to :func:`ecb_scores`), built once
    and kept under ``WORK``."""
    import storyline
    from storyline.settings import Settings

    db, done = WORK / f"ecb-{split}.db", WORK / f"ecb-{split}.done"
    if db.exists() and kept_store_is_current(done):
        return str(db)
    WORK.mkdir(parents=True, exist_ok=True)
    _remove_store(db)
    src = WORK / f"ecb-{split}.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for doc, text in sorted(docs.items()):
            # no title: many ECB+ documents keep only their first sentence, which would read as a headline
            f.write(json.dumps({"url": f"https://ecbplus.example/{doc}", "text": text, "outlet": "ECB+"}) + "\n")
    storyline.ingest([str(src)], db=str(db), settings=Settings(db=str(db), stories=False))
    done.write_text(json.dumps({"nlp": nlp_fingerprint()}))
    return str(db)


def _remove_store(db: Path) -> None:
    for f in db.parent.glob(f"{db.name}*"):
        shutil.rmtree(f) if f.is_dir() else f.unlink()


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


def ecb_errors(db: str) -> dict[str, object]:
    """Where placement goes wrong, by sub-topic (``--errors``): predicted events holding two sub-topics of one
    topic (the look-alike happening merged) and sub-topics spread over several events (reports of one happening
    split), with how many documents each part holds. Document ids and counts only."""
    from storyline.store import Store

    event, _, _, _ = _placements(db)
    with Store(db, readonly=True) as store:
        doc_of = {aid: url.rsplit("/", 1)[1] for aid, url in store.conn.execute("SELECT id, url FROM articles")}
    parts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a, e in event.items():
        parts[e][ecb_labels(doc_of[a])[0]] += 1
    merged = [dict(sorted(p.items())) for p in parts.values() if len(p) > 1]
    spread: dict[str, list[int]] = defaultdict(list)
    for p in parts.values():
        for sub, n in p.items():
            spread[sub].append(n)
    split = {sub: sorted(ns, reverse=True) for sub, ns in sorted(spread.items()) if len(ns) > 1}
    return {"merged_events": sorted(merged, key=lambda m: -sum(m.values())), "split_subtopics": split,
            "documents_outside_their_largest_part": sum(sum(ns) - max(ns) for ns in split.values())}


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


# -- allsides-12k: real story threads --------------------------------------------------------------------



def allsides_rows() -> list[dict]:
    import gzip

    with gzip.open(SHARED / "corpus" / "allsides-12k.jsonl.gz", "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def allsides_store(labelled_only: bool) -> str:
    """The allsides store with NLP done and no stories placed, built once and kept under ``WORK``
    (``STORYLINE_BENCH_DIR``): the whole 12k, or only the labelled articles."""
    import storyline
    from storyline.settings import Settings

    name = "allsides-labelled" if labelled_only else "allsides-12k"
    db, done = WORK / f"{name}.db", WORK / f"{name}.done"
    if db.exists() and kept_store_is_current(done):
        return str(db)
    WORK.mkdir(parents=True, exist_ok=True)
    _remove_store(db)
    rows = allsides_rows()
    if labelled_only:
        keep = set(json.loads(THREADS.read_text())["articles"])
        rows = [r for r in rows if r["id"] in keep]
    src = WORK / f"{name}.jsonl"
    with src.open("w", encoding="utf-8") as out:
        for r in rows:
            out.write(json.dumps({k: r.get(k) for k in ("url", "outlet", "published", "title", "text")}) + "\n")
    started = time.perf_counter()
    report = storyline.ingest([str(src)], db=str(db), settings=Settings(db=str(db), nlp_max_chars=ALLSIDES_NLP_CHARS,
                                                                       stories=False))
    done.write_text(json.dumps({"new": report.new, "seconds": round(time.perf_counter() - started),
                                "nlp": nlp_fingerprint()}))
    return str(db)


def thread_parts(labels: dict, published: dict[str, str | None]) -> dict[str, str]:
    """thread -> ``dev`` or ``held_out``: the windows in time order, alternately (the first is dev). A thread's
    window is the one most of its dated articles fall in; a thread with none there takes the window of the
    thread it continues, else the window nearest its articles' dates. ``published``: labelled id -> its day."""
    windows = sorted(labels["windows"], key=lambda w: w["from"])
    votes: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    near: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for cid, t in labels["articles"].items():
        day = (published.get(cid) or "")[:10]
        if not day:
            continue
        for i, w in enumerate(windows):
            if w["from"] <= day <= w["to"]:
                votes[t][i] += 1
        gap = {i: abs(_ordinal(day) - _ordinal(w["from"] if day < w["from"] else w["to"]))
               for i, w in enumerate(windows)}
        near[t][min(gap, key=gap.get)] += 1

    def window(t: str) -> int:
        if votes[t]:
            return max(votes[t], key=lambda i: (votes[t][i], -i))
        parent = labels["threads"][t].get("continues")
        if parent:
            return window(parent)
        return max(near[t], key=lambda i: (near[t][i], -i)) if near[t] else 0

    return {t: "dev" if window(t) % 2 == 0 else "held_out" for t in labels["threads"]}


def _ordinal(day: str) -> int:
    from datetime import date

    return date.fromisoformat(day).toordinal()


def thread_scores(db: str, why=None) -> dict[str, object]:  # noqa: ANN001
    """Storyline B-cubed against the labelled story threads (the corrupt record left out), with threads
    that continue an earlier one apart and joined to it; events' precision against the threads (an event
    holding two threads is wrong); the predicted storylines that mix threads most; with ``why`` (the story
    parameters), why the split threads split (:func:`bench.thread_errors.split_reasons`)."""
    from storyline.clean.metadata import normalise_url
    from storyline.store import Store

    labels = json.loads(THREADS.read_text())
    threads, thread_of = labels["threads"], labels["articles"]
    url_of = {r["id"]: normalise_url(r["url"]) for r in allsides_rows() if r["id"] in thread_of}
    with Store(db, readonly=True) as store:
        stored = {normalise_url(u): a for a, u in store.conn.execute("SELECT id, url FROM articles")}
    article = {cid: stored[u] for cid, u in url_of.items() if u in stored and cid not in CORRUPT}

    def root(t: str) -> str:
        return root(threads[t]["continues"]) if threads[t].get("continues") else t

    apart = {a: thread_of[cid] for cid, a in article.items()}
    joined = {a: root(t) for a, t in apart.items()}
    event, storyline_of, _, _ = _placements(db)
    with Store(db, readonly=True) as store:
        published = dict(store.conn.execute("SELECT id, published FROM articles"))
    part = thread_parts(labels, {cid: published.get(a) for cid, a in article.items()})
    out: dict[str, object] = {"labelled": len(thread_of), "scored": len(apart), "threads": len(set(apart.values())),
                              "predicted_storylines": len({storyline_of[a] for a in apart if a in storyline_of})}
    for name, gold in (("apart", apart), ("joined", joined)):
        p, r, f = bcubed(storyline_of, gold)
        out[f"storylines_{name}"] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}
    for name in ("dev", "held_out"):   # thresholds are tuned on the dev windows; held-out ones are reported
        gold = {a: t for a, t in apart.items() if part[t] == name}
        p, r, f = bcubed(storyline_of, gold)
        out[f"storylines_{name}"] = {"articles": len(gold), "threads": len(set(gold.values())),
                                     "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}
    out["event_precision_apart"] = round(bcubed(event, apart)[0], 3)
    mixed = defaultdict(lambda: defaultdict(int))
    for a, t in apart.items():
        mixed[storyline_of[a]][t] += 1
    out["most_mixed_storylines"] = sorted(
        ({"storyline": s, "threads": dict(sorted(ts.items(), key=lambda kv: -kv[1]))} for s, ts in mixed.items()
         if len(ts) > 1), key=lambda m: -sum(m["threads"].values()))[:8]
    split = defaultdict(set)
    for a, t in apart.items():
        split[t].add(storyline_of[a])
    out["most_split_threads"] = dict(sorted(((t, len(s)) for t, s in split.items() if len(s) > 1),
                                            key=lambda kv: -kv[1])[:8])
    if why is not None:
        from bench.thread_errors import split_reasons

        out["split_reasons"] = split_reasons(db, apart, why)
    return out


def corpus_stats(db: str) -> dict[str, object]:
    """The whole store's storylines and events: the largest storyline, the longest storyline span, how many
    storylines span more than 180 and 400 days, the longest event span."""
    from datetime import date

    from storyline.store import Store

    def span(start: str | None, end: str | None) -> int:
        return (date.fromisoformat(end) - date.fromisoformat(start)).days if start and end else 0

    with Store(db, readonly=True) as store:
        lines = store.conn.execute("SELECT id, title, start, end, n_articles, n_events FROM storylines "
                                   "WHERE n_articles > 0").fetchall()
        events = store.conn.execute("SELECT id, title, start, end, n_articles FROM events WHERE n_articles > 0").fetchall()
        bases = dict(store.conn.execute("SELECT day_basis, COUNT(*) FROM story_features GROUP BY day_basis"))

    def describe(r: tuple) -> dict[str, object]:   # (no title: results files carry no article text)
        return {"id": r[0], "start": r[2], "end": r[3], "articles": r[4], "events": r[5],
                "span_days": span(r[2], r[3])}

    spans = [span(r[2], r[3]) for r in lines]
    longest_event = max(events, key=lambda r: span(r[2], r[3]))
    return {"articles": sum(r[4] for r in lines), "storylines": len(lines), "events": len(events),
            "day_basis": bases,
            "largest_storyline": describe(max(lines, key=lambda r: (r[4], -r[0]))),
            "longest_storyline": describe(max(lines, key=lambda r: (span(r[2], r[3]), r[4]))),
            "storylines_over_180_days": sum(1 for s in spans if s > 180),
            "storylines_over_400_days": sum(1 for s in spans if s > 400),
            "storylines_of_20_or_more": sum(1 for r in lines if r[4] >= 20),
            "longest_event": {"id": longest_event[0], "articles": longest_event[4],
                              "span_days": span(longest_event[2], longest_event[3])},
            "events_over_7_days": sum(1 for r in events if span(r[2], r[3]) > 7)}


def allsides_scores(labelled_only: bool, params, embedder, errors: bool = False) -> dict[str, object]:  # noqa: ANN001
    """Place the allsides store's articles afresh, score them (with ``errors``, why split threads split, as
    placed), then restructure everything and score again."""
    import storyline

    db = allsides_store(labelled_only)
    started = time.perf_counter()
    _regroup(db, params, embedder)
    out: dict[str, object] = {"store": "labelled articles only" if labelled_only else "the whole 12k",
                              "place_seconds": round(time.perf_counter() - started, 1),
                              "threads": thread_scores(db, params if errors else None), "corpus": corpus_stats(db)}
    changes = storyline.api.restructure(db, days=100_000)
    out["restructure"] = {"changes": dict(sorted(_count_changes(changes).items())),
                          "threads": thread_scores(db), "corpus": corpus_stats(db)}
    return out


def _count_changes(changes: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for c in changes:
        counts[f"{c['action']} {c['kind']}"] += 1
    return counts


def main(argv: list[str]) -> int:
    from storyline.stories.assign import StoryParams

    params = StoryParams()
    embedder = CachedEmbedder(WORK / "embeddings.npz")
    figures: dict[str, object] = {"params": params.__dict__}
    sample = sample_scores(params, embedder=embedder)
    db = sample.pop("db")
    figures["sample"] = sample
    print("sample corpus:", json.dumps(sample))
    ecb_dir = SHARED / "coref" / "ecbplus"
    if ecb_dir.exists() and "--no-ecb" not in argv:
        splits = {s: ecb_documents(ecb_dir / f"ECB_{s.title()}_corpus.txt") for s in ("train", "dev")}
        dbs = {s: ecb_store(s, docs) for s, docs in splits.items()}
        if "--sweep" in argv:
            sweep(dbs["train"], db, embedder)
        sub_t, top_t = tune_baseline(splits["train"])
        figures["ecbplus"] = {}
        for s in ("train", "dev"):
            figures["ecbplus"][s] = {"storyline": ecb_scores(dbs[s], params, embedder),
                                     "tfidf_agglomerative": tfidf_baseline(splits[s], sub_t, top_t)}
            print(f"ECB+ {s}:", json.dumps(figures["ecbplus"][s]))
            if "--errors" in argv:   # where the events go wrong, after the scoring's placement
                figures["ecbplus"][s]["errors"] = ecb_errors(dbs[s])
                print(f"ECB+ {s} errors:", json.dumps(figures["ecbplus"][s]["errors"]))
        figures["ecbplus"]["baseline_thresholds"] = {"subtopics": sub_t, "topics": top_t}
        embedder.save()
    elif not ecb_dir.exists():
        print(f"ECB+ skipped: {ecb_dir} is not here")
    if (SHARED / "corpus" / "allsides-12k.jsonl.gz").exists() and "--no-allsides" not in argv:
        figures["allsides"] = {}
        for name, labelled_only in (("labelled", True), ("whole_12k", False)):
            if name == "whole_12k" and "--labelled-only" in argv:
                continue
            figures["allsides"][name] = allsides_scores(labelled_only, params, embedder, "--errors" in argv)
            embedder.save()
            print(f"allsides {name}:", json.dumps(figures["allsides"][name]))
    save("eval_stories", figures)
    flat = {"sample_event_f1": sample["events"]["f1"], "sample_storyline_f1": sample["storylines"]["f1"],
            "sample_copy_precision": sample["copies"]["precision"],
            "sample_copy_recall": sample["copies"]["recall"]}
    if "ecbplus" in figures:
        dev = figures["ecbplus"]["dev"]["storyline"]  # type: ignore[index]
        flat["ecb_dev_event_f1"] = dev["events_vs_subtopics"][2]
        flat["ecb_dev_storyline_f1"] = dev["storylines_vs_topics"][2]
    for name, fig in figures.get("allsides", {}).items():  # type: ignore[union-attr]
        for how in ("apart", "joined", "dev", "held_out"):
            for m in ("precision", "recall"):
                flat[f"allsides_{name}_{how}_{m}"] = fig["threads"][f"storylines_{how}"][m]
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
