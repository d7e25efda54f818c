"""The local engine: readers stream documents, worker processes run the per-article function, one writer stores.

Inputs are read lazily in the main process; documents already handled by an
earlier run (same raw fingerprint) are recognised without processing, as are
records an input of this run repeats (analysed once, see ``_Repeats``); the rest
go to worker processes in batches (a bounded number in flight, results taken in
order); each batch is written in one transaction, so a killed run keeps every
batch written before it and a re-run completes the rest.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import sqlite3
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any

from ..clean.metadata import clean_outlet, domain_of, normalise_url
from .ahead import EmbedAhead
from ..errors import NotFound, StoreError
from ..extract.stance_judge import defer_sentence_stage, drop_pending, resolve_pending
from ..ingest import ReadOptions, read_inputs
from ..ingest.base import internal
from ..ingest.decode import raw_fingerprint
from ..ingest.limits import scrub_skip
from ..nlp.names import load_aliases
from ..pipeline import analyse_batch, process_batch
from ..pipeline import reclean as pipeline_reclean
from ..records import LearnedLines, Processed, RawDocument, Skip
from ..settings import Settings
from ..store import Store

log = logging.getLogger("storyline.ingest")


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

    #: Why the run itself failed (the store, the disk, a crash), or ``None``.
    failed: str | None = None

    @property
    def exit_code(self) -> int:
        """0 every input went in; 1 some were skipped (each one recorded); 3 the run itself failed (the store, the
        disk, a crash, an interruption, the story stage)."""
        if self.failed or self.interrupted or (self.stories or {}).get("error"):
            return 3
        return 1 if self.skipped else 0

    def skip_counts(self) -> dict[str, int]:
        return dict(Counter(s.code for s in self.skipped).most_common())

    def to_json(self) -> dict[str, Any]:
        return {
            "ingested": self.new, "updated": self.updated, "unchanged": self.unchanged,
            "skipped": len(self.skipped), "skipped_by_reason": self.skip_counts(),
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.processed / self.seconds, 1) if self.seconds else None,
            "interrupted": self.interrupted,
            "failed": self.failed,
            "recleaned": self.recleaned,
            "stories": self.stories,
            "skips": [{"origin": s.origin, "code": s.code, "reason": s.reason} for s in self.skipped],
        }


class _Repeats:
    """Inputs of one run that repeat an earlier input's record under another origin (a JSONL export with a
    record many times over, one file given twice): the record is analysed once, and each repeat takes its
    first's outcome once that is stored (the stored article, unchanged; or the same skip). The run keeps the
    last ``limit`` records it saw, so memory stays bounded however long it is; a repeat from further back is
    analysed again and the store finds it unchanged."""

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self.first: dict[str, tuple[str, str]] = {}   # record fingerprint -> (raw hash, origin) of its first input
        self.inflight: set[str] = set()               # raw hashes of first inputs not stored yet
        # repeats kept by (raw hash, origin) alone: a record repeated 20,000 times is not held 20,000 times
        self.waiting: dict[str, list[tuple[str, str]]] = {}
        self.ready: list[tuple[tuple[str, str], tuple[str, str]]] = []

    def admit(self, doc: RawDocument) -> bool:
        """Whether ``doc`` is analysed (``False``: it repeats an earlier input of this run and waits for it)."""
        if not doc.raw_hash:
            return True
        key = raw_fingerprint(doc.fmt, doc.url, doc.title, doc.published, doc.date_source, doc.outlet,
                              doc.author, doc.language, doc.body)
        first = self.first.get(key)
        if first is None:
            self.first[key] = (doc.raw_hash, doc.origin)
            if len(self.first) > self.limit:
                del self.first[next(iter(self.first))]
            self.inflight.add(doc.raw_hash)
            return True
        if first[0] in self.inflight:
            self.waiting.setdefault(first[0], []).append((doc.raw_hash, doc.origin))
        else:
            self.ready.append((first, (doc.raw_hash, doc.origin)))
        return False

    def stored(self, docs: list[RawDocument]) -> None:
        """``docs`` (first inputs) are written: their repeats are ready to settle."""
        for doc in docs:
            self.inflight.discard(doc.raw_hash)
            for twin in self.waiting.pop(doc.raw_hash, ()):
                self.ready.append(((doc.raw_hash, doc.origin), twin))

    def settle(self, store: Store, report: IngestReport) -> None:
        """Give every ready repeat its first's outcome, in one transaction: an article (counted unchanged and
        remembered, so a re-run skips it) or the first's skip code. A first that left no record (its worker
        died, the store refused it) makes its repeats skips that a re-run retries."""
        if not self.ready:
            return
        outcome = store.seen(first for (first, _), _ in self.ready)
        repeats: list[tuple[str, str]] = []
        skips: list[Skip] = []
        codes: dict[str, str] = {}
        for (first, origin), (raw_hash, twin_origin) in self.ready:
            aid, code = outcome.get(first, (None, None))
            if aid:
                repeats.append((raw_hash, aid))
            elif code:
                skips.append(Skip(twin_origin, code, f"repeats the record of {origin}, skipped as {code}"))
                codes[raw_hash] = code
            else:
                skips.append(Skip(twin_origin, "repeat-not-stored", f"repeats the record of {origin}, which was "
                                  "not stored (see its error); re-run to retry"))
        self.ready.clear()
        store.write_batch([], [scrub_skip(s) for s in skips], codes, repeats=repeats)
        report.unchanged += len(repeats)
        report.skipped.extend(skips)


def _new_pool(workers: int) -> ProcessPoolExecutor | None:
    """An ingest's worker pool (``None``: everything in this process)."""
    return _process_pool(workers) if workers > 1 else None


def _process_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes (fork where the platform has it: fast, and no re-import of ``__main__``), each leaving
    the speech judge's sentence vectors to this process (``_worker_start``)."""
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method), initializer=_worker_start)


def _worker_start() -> None:
    """A worker process leaves the speech judge's sentence vectors to the main process: it is forked from a
    process that may have loaded torch (the story stage's embedder), where using it may hang."""
    defer_sentence_stage()


def _again_alone(docs: list[RawDocument], settings: Settings,
                 learned: LearnedLines | None) -> list[Processed | Skip] | None:
    """A batch whose pool broke, run again in one fresh worker process: its results, or ``None`` when that
    worker dies too (this batch is what kills it)."""
    args = (docs, settings, learned) if learned else (docs, settings)
    with _process_pool(1) as one:
        try:
            return one.submit(process_batch, *args).result()
        except BrokenProcessPool:
            return None


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
           progress: Callable[[IngestReport], None] | None = None, ahead: EmbedAhead | None = None) -> IngestReport:
    """Read ``inputs``, clean every document in worker processes, store the results. See the module docstring.

    ``ahead``: stored articles are handed to it, to embed for the story stage while the workers parse (its
    thread starts once the worker processes are: none is forked beside it)."""
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
    pending: deque[tuple[Future[list[Processed | Skip]] | list[Processed | Skip], list[str], list[Skip],
                         list[RawDocument], LearnedLines | None]]
    pending = deque()
    repeats = _Repeats()
    submitted = 0

    def drain(limit: int) -> None:
        nonlocal pool
        while len(pending) > limit:
            job, hashes, reader_skips, docs, learned = pending.popleft()
            try:
                results = job.result() if isinstance(job, Future) else job
            except BrokenProcessPool:
                # a worker died (killed, out of memory, crashed in native code): every batch in flight in
                # that pool fails with it, so each is run again alone in a process of its own; the one that
                # dies again is recorded as skipped, and a fresh pool takes over; the run goes on
                if pool:
                    pool.shutdown(wait=False, cancel_futures=False)
                if ahead:
                    ahead.wait()   # its thread idle while processes are forked
                pool = _new_pool(workers)
                results = _again_alone(docs, settings, learned)
                if results is None:
                    results = [Skip(d.origin, "worker-died", "the worker process analysing this batch died; "
                                    "re-run to retry (consider a smaller batch_size)") for d in docs]
                    hashes = ["" for _ in docs]
            except Exception:  # the batch failed as a whole: each document again, alone, here
                results = [_process_alone(d, settings, learned) for d in docs]
            _store_results(store, results, hashes, reader_skips, report, learn)
            if ahead:
                ahead.add([r for r in results if isinstance(r, Processed)])
            repeats.stored(docs)
            repeats.settle(store, report)
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
                elif repeats.admit(doc):
                    fresh.append(doc)
            repeats.settle(store, report)
            learned = _learned_for(store, fresh) if learn and fresh else None
            args = (fresh, settings, learned) if learned else (fresh, settings)
            if pool and fresh:
                if submitted == 0:
                    _preload(settings)
                try:
                    job: Future[list[Processed | Skip]] | list[Processed | Skip] = pool.submit(process_batch, *args)
                except BrokenProcessPool:   # a worker died since the last batch was handed out
                    pool.shutdown(wait=False, cancel_futures=False)
                    if ahead:
                        ahead.wait()
                    pool = _new_pool(workers)
                    job = pool.submit(process_batch, *args)
                submitted += 1
                if ahead and submitted == workers:   # every worker process forked (one per submit while none idle)
                    ahead.start()
            else:
                try:
                    job = process_batch(*args)
                except Exception:
                    job = [_process_alone(d, settings, learned) for d in fresh]
            pending.append((job, [d.raw_hash for d in fresh], reader_skips, fresh, learned))
            drain(2 * workers)
        drain(0)
    except KeyboardInterrupt:
        report.interrupted = True
        if pool:
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
    except Exception as exc:  # the store, the disk or storyline itself failed: the run stops; what was written stays
        if not isinstance(exc, (StoreError, sqlite3.Error, OSError)):
            log.exception("ingest run failed")
        report.failed = str(exc) if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc}"
        if pool:
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
    finally:
        if pool:
            pool.shutdown()
        if options.fetcher:
            options.fetcher.close()
        report.seconds = time.perf_counter() - started
        try:
            store.finish_run(run_id, {k: v for k, v in report.to_json().items() if k != "skips"})
        except (sqlite3.Error, StoreError) as exc:
            report.failed = report.failed or f"the store could not record the end of the run: {exc}"
    return report


def _preload(settings: Settings) -> None:
    """The spaCy pipeline loaded in this process before the first worker is forked, so that every worker starts
    with it (a fork shares its memory) instead of each loading it again: one load per run, not one per worker.
    Only where workers are forked, and only once there is something to analyse."""
    if not settings.analyse or "fork" not in mp.get_all_start_methods():
        return
    try:
        from ..nlp.model import load_nlp

        load_nlp()
    except Exception as exc:   # each worker loads it then, and reports what fails
        log.debug("spaCy not preloaded: %s", exc)


def _process_alone(doc: RawDocument, settings: Settings, learned: LearnedLines | None = None) -> Processed | Skip:
    """One document through the per-article function on its own; a failure is its ``internal`` skip."""
    try:
        return process_batch([doc], settings, learned)[0]
    except Exception as exc:
        return internal(doc.origin, exc, "processing")


def _learned_for(store: Store, docs: list[RawDocument]) -> LearnedLines | None:
    """What the store learned for the outlets a batch names (by record field or URL host); ``None`` when the
    look-up fails for a reason other than the store's (the batch is cleaned by patterns alone)."""
    try:
        names = {n for n in (clean_outlet(d.outlet) for d in docs) if n}
        domains = {h for h in (domain_of(normalise_url(d.url)) for d in docs) if h}
        learned = store.learned_lines(names, domains) if names or domains else None
    except Exception as exc:
        if _store_failed(exc):
            raise
        log.warning("learned lines not looked up for a batch (%s: %s)", type(exc).__name__, exc)
        return None
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
                new = pipeline_reclean(store.article(aid).article, store.learned_for_article(aid))
            except NotFound:
                continue
            except Exception as exc:
                if _store_failed(exc):
                    raise
                log.warning("re-clean of article %s failed (%s: %s); it keeps its text", aid, type(exc).__name__, exc)
                continue
            if new is not None:
                cleaned.append(new)
        analyses = analyse_batch(cleaned, settings) if settings.analyse and cleaned else [None] * len(cleaned)
        processed = [Processed(a, n) for a, n in zip(cleaned, analyses)]
        try:
            changed += len(store.write_batch(processed).updated)
        except Exception as exc:
            if _store_failed(exc):
                raise
            changed += _write_alone(store, processed, [], {})[0][1]  # one the store refuses keeps its old text
        store.reclean_done(ids)


def _store_results(store: Store, results: list[Processed | Skip], raw_hashes: list[str],
                   reader_skips: list[Skip], report: IngestReport, learn: int | None = None) -> None:
    articles = [r for r in results if isinstance(r, Processed)]
    # the speech the workers left for the sentence stage, judged here in one batch before anything is written
    try:
        analyses = resolve_pending([a.analysis for a in articles])
    except Exception as exc:   # the embedder failing costs those stances (noted), not the batch
        log.warning("speech left for the sentence stage not judged (%s: %s)", type(exc).__name__, exc)
        analyses = drop_pending([a.analysis for a in articles], f"{type(exc).__name__}: {exc}")
    articles = [a if a.analysis is b else replace(a, analysis=b) for a, b in zip(articles, analyses)]
    skips = [scrub_skip(r) for r in results if isinstance(r, Skip)]
    reader_skips = [scrub_skip(s) for s in reader_skips]
    # A document skipped by the pipeline is remembered by its raw fingerprint, so a re-run
    # does not process it again; reader-level failures (unreadable files) are retried.
    skip_hashes = {h: r.code for h, r in zip(raw_hashes, results) if isinstance(r, Skip) and h}
    try:
        written = store.write_batch(articles, [*reader_skips, *skips], skip_hashes, learn=learn)
        counts = (len(written.new), len(written.updated), len(written.unchanged))
    except Exception as exc:
        if _store_failed(exc):
            raise StoreError(f"writing to the store failed: {type(exc).__name__}: {exc}") from None
        # one article the store cannot take must not cost the batch: the skips, then each article alone
        counts, refused = _write_alone(store, articles, [*reader_skips, *skips], skip_hashes, learn)
        skips.extend(refused)
    report.new += counts[0]
    report.updated += counts[1]
    report.unchanged += counts[2]
    report.skipped.extend(reader_skips)
    report.skipped.extend(skips)


def _store_failed(exc: BaseException) -> bool:
    """Whether ``exc`` is the store's or the disk's failure (the run's), not one article's."""
    return (isinstance(exc, (sqlite3.OperationalError, sqlite3.InternalError, OSError, StoreError))
            or type(exc) is sqlite3.DatabaseError)  # "database disk image is malformed"


def _write_alone(store: Store, articles: list[Processed], skips: list[Skip], skip_hashes: dict[str, str],
                 learn: int | None = None) -> tuple[tuple[int, int, int], list[Skip]]:
    """Write ``skips``, then every article in a transaction of its own; one that fails is an ``internal`` skip."""
    new = updated = unchanged = 0
    refused: list[Skip] = []
    for batch, extra in [((), (skips, skip_hashes)), *(([a], ((), None)) for a in articles)]:
        try:
            written = store.write_batch(list(batch), *extra, learn=learn)
        except Exception as exc:
            if _store_failed(exc) or not batch:
                raise StoreError(f"writing to the store failed: {type(exc).__name__}: {exc}") from None
            refused.append(scrub_skip(internal(batch[0].article.origin, exc, "storing")))
            continue
        new, updated, unchanged = new + len(written.new), updated + len(written.updated), \
            unchanged + len(written.unchanged)
    if refused:
        try:
            store.write_batch([], refused)
        except Exception as exc:
            raise StoreError(f"writing to the store failed: {type(exc).__name__}: {exc}") from None
    return (new, updated, unchanged), refused
