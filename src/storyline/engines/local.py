"""The local engine: readers stream documents, worker processes run the per-article function, one writer stores.

Inputs are read lazily in the main process; documents already handled by an
earlier run (same raw fingerprint) are recognised without processing; the rest
go to worker processes in batches (a bounded number in flight, results taken in
order); each batch is written in one transaction, so a killed run keeps every
batch written before it and a re-run completes the rest.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from ..clean.metadata import clean_outlet, domain_of, normalise_url
from ..errors import NotFound
from ..ingest import ReadOptions, read_inputs
from ..nlp.names import load_aliases
from ..pipeline import analyse_batch, process_batch
from ..pipeline import reclean as pipeline_reclean
from ..records import LearnedLines, Processed, RawDocument, Skip
from ..settings import Settings
from ..store import Store


@dataclass
class IngestReport:
    """What an ingest run did: counts, every skipped input with its reason, and the time it took."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skip] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    stories: dict[str, Any] | None = None
    #: Stored articles cleaned again of lines their outlet was learned to repeat (the re-clean pass).
    recleaned: int = 0

    @property
    def processed(self) -> int:
        return self.new + self.updated + self.unchanged + len(self.skipped)

    @property
    def exit_code(self) -> int:
        """0 when every input went in, 1 when some were skipped (or the run was interrupted, or stories failed)."""
        return 1 if self.skipped or self.interrupted or (self.stories or {}).get("error") else 0

    def skip_counts(self) -> dict[str, int]:
        return dict(Counter(s.code for s in self.skipped).most_common())

    def to_json(self) -> dict[str, Any]:
        return {
            "ingested": self.new, "updated": self.updated, "unchanged": self.unchanged,
            "skipped": len(self.skipped), "skipped_by_reason": self.skip_counts(),
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.processed / self.seconds, 1) if self.seconds else None,
            "interrupted": self.interrupted,
            "recleaned": self.recleaned,
            "stories": self.stories,
            "skips": [{"origin": s.origin, "code": s.code, "reason": s.reason} for s in self.skipped],
        }


def _new_pool(workers: int) -> ProcessPoolExecutor | None:
    """Worker processes (fork where the platform has it: fast, and no re-import of ``__main__``)."""
    if workers <= 1:
        return None
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method))


def _batches(items: Iterable[RawDocument | Skip], size: int) -> Iterator[tuple[list[RawDocument], list[Skip]]]:
    docs: list[RawDocument] = []
    skips: list[Skip] = []
    for item in items:
        if isinstance(item, Skip):
            skips.append(item)
        else:
            docs.append(item)
        if len(docs) >= size or len(skips) >= size:
            yield docs, skips
            docs, skips = [], []
    if docs or skips:
        yield docs, skips


def ingest(inputs: list[str], store: Store, options: ReadOptions | None = None, *,
           progress: Callable[[IngestReport], None] | None = None) -> IngestReport:
    """Read ``inputs``, clean every document in worker processes, store the results. See the module docstring."""
    options = options or ReadOptions()
    settings: Settings = options.settings
    if settings.analyse:
        load_aliases()  # a broken alias file is a usage error now, not a note on every article
    report = IngestReport()
    learn = settings.boilerplate_min_articles if settings.learn_boilerplate else None
    started = time.perf_counter()
    run_id = store.start_run(list(inputs))
    workers = settings.worker_count
    pool = _new_pool(workers)
    pending: deque[tuple[Future[list[Processed | Skip]] | list[Processed | Skip], list[str], list[Skip], list[str]]]
    pending = deque()

    def drain(limit: int) -> None:
        nonlocal pool
        while len(pending) > limit:
            job, hashes, reader_skips, origins = pending.popleft()
            try:
                results = job.result() if isinstance(job, Future) else job
            except BrokenProcessPool:
                # a worker died (killed, out of memory, crashed in native code): its batch is recorded
                # as skipped and a fresh pool takes over; the run goes on
                results = [Skip(o, "worker-died", "the worker process analysing this batch died; "
                                "re-run to retry (consider a smaller batch_size)") for o in origins]
                hashes = ["" for _ in origins]
                if pool:
                    pool.shutdown(wait=False, cancel_futures=False)
                pool = _new_pool(workers)
            _store_results(store, results, hashes, reader_skips, report, learn)
            report.seconds = time.perf_counter() - started
            if progress:
                progress(report)

    try:
        for docs, reader_skips in _batches(read_inputs(inputs, options), settings.batch_size):
            seen = store.seen(d.raw_hash for d in docs)
            fresh = []
            for doc in docs:
                if doc.raw_hash in seen:
                    aid, code = seen[doc.raw_hash]
                    if aid:
                        report.unchanged += 1
                    else:
                        report.skipped.append(Skip(doc.origin, code or "skipped", "skipped in an earlier run"))
                else:
                    fresh.append(doc)
            learned = _learned_for(store, fresh) if learn and fresh else None
            args = (fresh, settings, learned) if learned else (fresh, settings)
            job = pool.submit(process_batch, *args) if pool and fresh else process_batch(*args)
            pending.append((job, [d.raw_hash for d in fresh], reader_skips, [d.origin for d in fresh]))
            drain(2 * workers)
        drain(0)
    except KeyboardInterrupt:
        report.interrupted = True
        if pool:
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
    finally:
        if pool:
            pool.shutdown()
        if options.fetcher:
            options.fetcher.close()
        report.seconds = time.perf_counter() - started
        store.finish_run(run_id, {k: v for k, v in report.to_json().items() if k != "skips"})
    return report


def _learned_for(store: Store, docs: list[RawDocument]) -> LearnedLines | None:
    """What the store learned for the outlets a batch names (by record field or URL host)."""
    names = {n for n in (clean_outlet(d.outlet) for d in docs) if n}
    domains = {h for h in (domain_of(normalise_url(d.url)) for d in docs) if h}
    learned = store.learned_lines(names, domains) if names or domains else None
    return learned or None


def reclean(store: Store, settings: Settings, *, batch: int = 64) -> int:
    """The re-clean pass: stored articles that carry lines their outlet was since learned to repeat lose
    them (same id, the old text kept as a version) and are analysed again; returns how many changed."""
    changed = 0
    while True:
        ids = store.reclean_pending(batch)
        if not ids:
            return changed
        cleaned = []
        for aid in ids:
            try:
                article = store.article(aid).article
            except NotFound:
                continue
            new = pipeline_reclean(article, store.learned_for_article(aid))
            if new is not None:
                cleaned.append(new)
        analyses = analyse_batch(cleaned, settings) if settings.analyse and cleaned else [None] * len(cleaned)
        written = store.write_batch([Processed(a, n) for a, n in zip(cleaned, analyses)])
        changed += len(written.updated)
        store.reclean_done(ids)


def _store_results(store: Store, results: list[Processed | Skip], raw_hashes: list[str],
                   reader_skips: list[Skip], report: IngestReport, learn: int | None = None) -> None:
    articles = [r for r in results if isinstance(r, Processed)]
    skips = [r for r in results if isinstance(r, Skip)]
    # A document skipped by the pipeline is remembered by its raw fingerprint, so a re-run
    # does not process it again; reader-level failures (unreadable files) are retried.
    skip_hashes = {h: r.code for h, r in zip(raw_hashes, results) if isinstance(r, Skip) and h}
    written = store.write_batch(articles, [*reader_skips, *skips], skip_hashes, learn=learn)
    report.new += len(written.new)
    report.updated += len(written.updated)
    report.unchanged += len(written.unchanged)
    report.skipped.extend(reader_skips)
    report.skipped.extend(skips)
