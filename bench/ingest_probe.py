"""Per-input accounting inside one ingest run of many inputs, for the fuzz benchmark (``bench/fuzz_ingest.py``).

A ``Probe`` wraps the real ingest's steps (nothing is replaced: each wrapper calls the function it wraps):

- the readers, one input at a time (``read_inputs`` over each input alone is what it does over the list):
  every item an input yields is counted for it and its origin noted as its own;
- the per-article cleaning (``pipeline.process``), charged to the input the document came from;
- the NLP stage (``pipeline.analyse_batch``), one article at a time (spaCy's ``nlp.pipe`` over a batch of one),
  charged to the input the article came from.

Each step's CPU (the main thread's) and wall seconds go to its input; what no single input owns (the store's
writes, the re-clean pass, the story stage) is *shared* work, timed apart. While a step runs, ``current`` (a
value shared with the parent process) holds its input's number (-1 during shared work), so the parent can
tell which input a worker is stuck on and kill it after its CPU budget: a hang is charged to one input.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

_CASE_IN_ORIGIN = re.compile(r"/c(\d+)[-/]")   # the case's own directory (c<N>-...) or URL prefix (/c<N>/)


class Probe:
    def __init__(self, current: Any = None) -> None:
        self.current = current
        self.by_spec: dict[str, int] = {}
        self.owner: dict[str, int] = {}
        self.items: Counter[int] = Counter()
        self.cpu: defaultdict[int, float] = defaultdict(float)
        self.wall: defaultdict[int, float] = defaultdict(float)
        self.longest_step: defaultdict[int, float] = defaultdict(float)
        self._saved: list[tuple[Any, str, Any]] = []

    def reset(self, by_spec: dict[str, int]) -> None:
        """Start accounting for one ingest of the inputs ``by_spec`` (input spec -> case number)."""
        self.by_spec = dict(by_spec)
        self.owner.clear()
        self.items.clear()
        self.cpu.clear()
        self.wall.clear()
        self.longest_step.clear()

    def case_of(self, origin: str) -> int | None:
        """The case an origin belongs to: the input that yielded it, else the case number its path or URL holds."""
        if origin in self.owner:
            return self.owner[origin]
        m = _CASE_IN_ORIGIN.search(origin)
        return int(m.group(1)) if m else None

    @contextmanager
    def working(self, index: int) -> Iterator[None]:
        if self.current is not None:
            self.current.value = index
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            yield
        finally:
            spent = time.thread_time() - cpu
            self.cpu[index] += spent
            self.wall[index] += time.perf_counter() - wall
            self.longest_step[index] = max(self.longest_step[index], spent)
            if self.current is not None:
                self.current.value = -1

    # -- the wrappers -----------------------------------------------------------------------------------

    def install(self) -> None:
        import storyline.engines.local as local
        import storyline.pipeline as pipeline

        read_inputs, process, analyse_batch = local.read_inputs, pipeline.process, pipeline.analyse_batch

        def read(inputs: Iterable[str], options: Any) -> Iterator[Any]:
            for spec in inputs:
                index = self.by_spec.get(spec, -1)
                items = read_inputs([spec], options)
                while True:
                    with self.working(index):
                        try:
                            item = next(items)
                        except StopIteration:
                            break
                    self.items[index] += 1
                    self.owner[item.origin] = index
                    yield item

        def process_one(raw: Any, settings: Any = None, learned: Any = None) -> Any:
            with self.working(self.case_of(raw.origin) if self.case_of(raw.origin) is not None else -1):
                return process(raw, settings, learned)

        def analyse_each(articles: list[Any], settings: Any) -> list[Any]:
            out = []
            for article in articles:
                index = self.case_of(article.origin)
                with self.working(-1 if index is None else index):
                    out.extend(analyse_batch([article], settings))
            return out

        for module, name, value in ((local, "read_inputs", read), (pipeline, "process", process_one),
                                    (pipeline, "analyse_batch", analyse_each), (local, "analyse_batch", analyse_each)):
            self._saved.append((module, name, getattr(module, name)))
            setattr(module, name, value)

    def uninstall(self) -> None:
        while self._saved:
            module, name, value = self._saved.pop()
            setattr(module, name, value)


# -- one batch of cases through the ingest ----------------------------------------------------------------


def groups(cases: list[Any]) -> list[list[Any]]:
    """The ingest runs a batch takes: cases that refuse private addresses apart from those that allow them (a
    run's setting), and at most one standard-input case per run (a run reads ``-`` once)."""
    out: list[list[Any]] = []
    for allow in (True, False):
        same = [c for c in cases if c.allow_private is allow]
        piped = [c for c in same if c.delivery == "stdin"]
        rest = [c for c in same if c.delivery != "stdin"]
        runs = [[c] for c in piped] or ([[]] if rest else [])
        for k, c in enumerate(rest):
            runs[k % len(runs)].append(c)
        out.extend(runs)
    return out


def run_batch(cases: list[Any], store: Any, server: Any, base: str, options: dict[str, Any], probe: Probe,
              timeout: float) -> tuple[list[dict[str, Any]], list[int], list[dict[str, Any]]]:
    """Ingest ``cases`` in as few runs as ``groups`` allows; returns a result per case accounted for, the cases to
    run again one at a time (a run that raised, failed, or lost something it cannot pin on one input), and what
    each run cost as a whole."""
    import os
    import resource
    import shutil
    import sqlite3
    import sys
    import tempfile
    import traceback
    from pathlib import Path

    import storyline
    from bench.fuzz_ingest import deliver

    results: list[dict[str, Any]] = []
    again: list[int] = []
    runs: list[dict[str, Any]] = []
    for group in groups(cases):
        where = {c.index: Path(tempfile.mkdtemp(prefix=f"c{c.index}-", dir=options["workdir"])) for c in group}
        alone = len(group) == 1
        stdin = sys.stdin
        server.routes = {}
        server.hits_by.clear()
        crash, report, run = None, None, {"cases": len(group)}
        try:
            probe.reset({deliver(c, where[c.index], server, base, f"/c{c.index}"): c.index for c in group})
            settings = storyline.Settings(workers=1, fetch_delay=0, fetch_timeout=5,
                                          allow_private=group[0].allow_private, analyse=options["analyse"],
                                          stories=options["stories"])
            cpu, wall = time.thread_time(), time.perf_counter()
            report = storyline.ingest(list(probe.by_spec), store, settings=settings)
            run.update(cpu_seconds=time.thread_time() - cpu, seconds=time.perf_counter() - wall)
            run["shared_cpu_seconds"] = run["cpu_seconds"] - sum(probe.cpu.values())
            run["new"] = report.new + report.updated
            if report.failed or (report.stories or {}).get("error"):
                crash = f"run failed: {report.failed or report.stories['error']}"
        except BaseException as exc:  # anything escaping the ingest is a crash
            crash = "".join(traceback.format_exception(exc))[-3000:]
        finally:
            sys.stdin = stdin
            for dirpath, dirnames, _ in (w for d in where.values() for w in os.walk(d)):
                for d in dirnames:   # the unreadable directory, readable again for removal
                    try:
                        os.chmod(os.path.join(dirpath, d), 0o755)
                    except OSError:
                        pass
            for d in where.values():
                shutil.rmtree(d, ignore_errors=True)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        run["rss_mb"] = rss
        if crash and not alone:
            again.extend(c.index for c in group)
            continue
        problems: dict[int, list[str]] = {c.index: [] for c in group}
        stray: list[str] = []
        if report is not None:
            with sqlite3.connect(store) as conn:
                for s in report.skipped:
                    owner = probe.case_of(s.origin)
                    what = problems[owner] if owner in problems else stray
                    if conn.execute("SELECT 1 FROM ingest_errors WHERE origin=? AND code=?",
                                    (s.origin, s.code)).fetchone() is None:
                        what.append(f"skip not recorded: {s.origin!r} {s.code}")
                    if not s.code or not s.reason:
                        what.append(f"skip without a code or reason: {s.origin!r}")
            read = sum(probe.items.values())
            outcome = report.new + report.updated + report.unchanged + len(report.skipped)
            if outcome != read:
                stray.append(f"{read} items read, {outcome} accounted for (articles and skips)")
        if stray and not alone:
            again.extend(c.index for c in group)
            continue
        runs.append(run)
        for c in group:
            mine = [s for s in (report.skipped if report else []) if probe.case_of(s.origin) == c.index]
            found = problems[c.index] + stray
            if not c.allow_private and server.hits_by.get(f"/c{c.index}"):
                found.append(f"a private address was fetched {server.hits_by[f'/c{c.index}']} times with "
                             "allow_private off")
            if report is not None and probe.items[c.index] == 0:
                found.append("nothing stored and nothing recorded")
            if c.lines is not None and not any(s.origin.endswith(c.name) for s in mine) \
                    and probe.items[c.index] < c.lines:
                found.append(f"{c.lines} JSON lines, {probe.items[c.index]} accounted for")
            cpu = probe.cpu.get(c.index, 0.0)
            results.append({"index": c.index, "family": c.family, "delivery": c.delivery, "mutations": c.mutations,
                            "crash": crash, "problems": found, "hang": cpu > timeout,
                            "seconds": probe.wall.get(c.index, 0.0), "cpu_seconds": cpu,
                            "longest_step_cpu": probe.longest_step.get(c.index, 0.0),
                            "items": probe.items[c.index], "codes": dict(Counter(s.code for s in mine)),
                            "rss_mb": rss, "batched": not alone})
    return results, again, runs
