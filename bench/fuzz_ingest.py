"""Fuzz the real ingest: ``python -m bench fuzz_ingest [--inputs 10000] [--workers 2] [--batch 40] [--timeout 120] [--seed 17]``.

Each generated malformed input (``bench/fuzz_cases.py``: every format, encoding, compression and delivery)
goes through ``storyline.ingest`` (readers, cleaning, NLP, stories, store: the defaults, one process per
ingest) in a long-lived worker process that serves the URL deliveries from a local HTTP server (each input's
pages under a path of its own). ``--batch`` inputs share one ingest run (``--batch 1``: one run per input);
``bench/ingest_probe.py`` charges every step of the run to the input it works for (reading it, cleaning and
analysing its documents; the store's writes and the story stage are the run's) and attributes every skip,
so that each input is still checked on its own. The parent gives each input ``--timeout`` seconds of the
worker's CPU without a break (on a shared machine wall time says more about the neighbours than the input;
five times ``--timeout`` of wall time is the backstop): a worker that takes longer is killed and the input
it was working on is a *hang* (the rest of its batch runs again), as is an input charged more than
``--timeout`` CPU seconds in all; a worker that dies or a run that raises is a *crash* (a batch run that
raises or loses something it cannot pin on one input is run again one input per run, so that the fault is
pinned on one); an input whose items or skips are not all accounted for in the report and the store's
error table (or that fetches a private address while they are refused) is an *unrecorded drop*. Figures:
those three counts, CPU and wall seconds per input (max, p50, p95), the work each run shares, the workers'
peak RSS, the skip codes seen; in ``bench/results/fuzz_ingest.json`` (``fuzz_ingest_readers.json`` with
``--no-analyse --no-stories``). ``--case N`` runs input N alone, in this process, and prints it.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing as mp
import os
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.common import check_minimums, save
from bench.fuzz_cases import Case, case, check, serve_url, with_base
from bench.ingest_probe import Probe, run_batch

CASES_PER_STORE = 500  # a worker starts a fresh store every so many inputs (and after a restart)


# -- the local server -----------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_GET(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        self.server.hits += 1
        self.server.hits_by["/" + path.split("/", 2)[1] if path.count("/") > 1 else ""] += 1
        route = self.server.routes.get(path)
        status, ctype, body, headers = route or (404, "text/plain", b"not here", {})
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, tuple[int, str, bytes, dict[str, str]]] = {}
        self.hits = 0
        self.hits_by: Counter[str] = Counter()  # by the first segment of the path: a batch's case prefix

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def start_server() -> tuple[_Server, str]:
    server = _Server()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# -- one input ------------------------------------------------------------------------------------------

REFUSED_FORMS = ["http://127.0.0.1:{port}{path}", "http://localhost:{port}{path}", "http://[::1]:{port}{path}",
                 "http://2130706433:{port}{path}", "http://127.1:{port}{path}", "http://user@127.0.0.1:{port}{path}",
                 "http://0.0.0.0:{port}{path}", "http://[::ffff:127.0.0.1]:{port}{path}", "http://0x7f.1:{port}{path}"]


def _local(location: str, prefix: str) -> str:
    return prefix + location if location.startswith("/") and not location.startswith("//") else location


def deliver(c: Case, where: Path, server: _Server, base: str, prefix: str = "") -> str:
    """Put the input where the ingest will find it (its pages served under ``prefix``, so that the inputs of one
    run each have their own); return the input spec to ingest."""
    base += prefix
    server.routes.update({prefix + path: (status, ctype, with_base(body, base),
                                          {k: _local(v, prefix) if k == "Location" else v for k, v in headers.items()})
                          for path, (status, ctype, body, headers) in c.routes.items()})
    data = with_base(c.data, base)
    if c.delivery in ("url", "url-refused"):
        url = serve_url(c, base)
        if c.delivery == "url-refused":
            port = server.server_address[1]
            url = REFUSED_FORMS[c.index % len(REFUSED_FORMS)].format(port=port, path=urlsplit(url).path)
        return url
    if c.delivery == "stdin":
        sys.stdin = io.TextIOWrapper(io.BytesIO(data))
        return "-"
    if c.delivery == "dir":
        root = where / "d"
        root.mkdir()
        (root / c.name).write_bytes(data)
        for rel, content in c.files.items():
            target = os.path.join(os.fsencode(root), rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(with_base(content, base))
        for special in c.specials:
            if special == "fifo":
                os.mkfifo(root / "pipe.html")
            elif special == "loop":
                os.symlink("..", root / "loop")
            elif special == "dangling":
                os.symlink(root / "nowhere.txt", root / "dangling.txt")
            elif special == "empty":
                (root / "empty.html").write_bytes(b"")
            elif special == "unreadable-dir":
                (root / "locked").mkdir()
                (root / "locked" / "x.txt").write_text("locked away")
                os.chmod(root / "locked", 0)
        return str(root)
    path = where / c.name
    path.write_bytes(data)
    return str(path)


def run_one(c: Case, store: Path, server: _Server, base: str, options: dict[str, Any]) -> dict[str, Any]:
    """Ingest one input; what it gave, how long it took, and what (if anything) went wrong."""
    import storyline

    where = Path(tempfile.mkdtemp(prefix=f"c{c.index}-", dir=options["workdir"]))
    result: dict[str, Any] = {"index": c.index, "family": c.family, "delivery": c.delivery,
                              "mutations": c.mutations, "crash": None, "problems": []}
    stdin = sys.stdin
    try:
        server.routes = {}
        spec = deliver(c, where, server, base)
        server.hits = 0
        settings = storyline.Settings(workers=1, fetch_delay=0, fetch_timeout=5, allow_private=c.allow_private,
                                      analyse=options["analyse"], stories=options["stories"])
        started, cpu = time.perf_counter(), time.process_time()
        report = storyline.ingest([spec], store, settings=settings)
        result["seconds"] = time.perf_counter() - started
        result["cpu_seconds"] = time.process_time() - cpu
        with sqlite3.connect(store) as conn:
            def recorded(origin: str, code: str) -> bool:
                return conn.execute("SELECT 1 FROM ingest_errors WHERE origin=? AND code=?",
                                    (origin, code)).fetchone() is not None
            result["problems"] = check(c, report, recorded, server.hits)
        if report.failed or (report.stories or {}).get("error"):
            result["crash"] = f"run failed: {report.failed or report.stories['error']}"
        result.update(new=report.new + report.updated, unchanged=report.unchanged,
                      codes=dict(Counter(s.code for s in report.skipped)))
    except BaseException as exc:  # anything escaping the ingest is a crash
        result["crash"] = "".join(traceback.format_exception(exc))[-3000:]
        result.setdefault("seconds", None)
    finally:
        sys.stdin = stdin
        _remove(where)
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


# -- workers and the parent -----------------------------------------------------------------------------


def _worker(conn: Any, current: Any, seed: int, options: dict[str, Any], number: int, timeout: float) -> None:
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # one thread per worker: the workers share the cores
        os.environ[name] = "1"
    server, base = start_server()
    if options["analyse"]:   # the models are loaded before the first input: no input is charged for them
        from storyline.nlp.model import load_nlp
        from storyline.nlp.names import load_aliases

        load_nlp()
        load_aliases()
    if options["stories"]:
        from storyline.stories.embed import load_model

        load_model()
    probe = Probe(current)
    probe.install()
    store_no = 0

    def fresh_store() -> Path:
        nonlocal store_no
        store_no += 1
        return Path(options["workdir"]) / f"w{number}-{os.getpid()}-{store_no}.db"

    store, done = fresh_store(), 0
    conn.send("ready")
    while True:
        batch = conn.recv()
        if batch is None:
            break
        if done >= CASES_PER_STORE:
            store, done = fresh_store(), 0
        conn.send(run_batch([case(seed, i) for i in batch], store, server, base, options, probe, timeout))
        done += len(batch)
    server.shutdown()


def _cpu_seconds(pid: int | None) -> float | None:
    """User and system CPU seconds of process ``pid`` so far (Linux ``/proc``), or ``None``."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class _Slot:
    """A worker process and the batch in its hands. ``current`` (shared with the worker's probe) is the input it
    works on now (-1: work no input owns); each stretch on one value is timed in the worker's CPU."""

    def __init__(self, ctx: Any, seed: int, options: dict[str, Any], number: int, timeout: float) -> None:
        self.parent, child = ctx.Pipe()
        self.current = ctx.Value("i", -1, lock=False)
        self.proc = ctx.Process(target=_worker, args=(child, self.current, seed, options, number, timeout),
                                daemon=True)
        self.proc.start()
        child.close()
        self.batch: list[int] | None = None
        self.ready = False
        self.started = 0.0

    def give(self, batch: list[int]) -> None:
        self.batch = batch
        self._mark(-1)
        self.parent.send(batch)

    def _mark(self, value: int) -> None:
        self.seen, self.since, self.cpu = value, time.monotonic(), _cpu_seconds(self.proc.pid)

    def stuck(self, timeout: float) -> int | None:
        """The input (or -1: work no input owns) the worker has spent ``timeout`` seconds of CPU on without a
        break (or five times that of wall time), else ``None``."""
        now = self.current.value
        if now != self.seen:
            self._mark(now)
            return None
        wall = time.monotonic() - self.since
        if wall <= timeout:
            return None
        cpu = _cpu_seconds(self.proc.pid)
        over = cpu is None or self.cpu is None or cpu - self.cpu > timeout or wall > 5 * timeout
        return now if over else None

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.parent.send(None)
            except OSError:
                pass
        self.proc.join(timeout=30)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(timeout=10)


def _show(r: dict[str, Any]) -> None:
    """A failed input as soon as it is known (``--case N`` runs it again alone)."""
    what = r.get("crash") or r.get("problems") or (f"hang ({r.get('cpu_seconds') or 'killed'})" if r.get("hang")
                                                   else "?")
    print(f"  FAILED input {r['index']} ({r['family']} via {r['delivery']}, {r['mutations']}): {what}"[:1500],
          flush=True)


def run(n: int, seed: int, workers: int, timeout: float, options: dict[str, Any], batch: int = 1,
        progress: bool = True, start: int = 0, deadline: float | None = None
        ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Inputs ``start`` to ``start + n`` in batches of ``batch`` per ingest run; a batch that loses its worker
    (a hang or a death) has its input at fault recorded and the rest run again; one that cannot pin a failure
    on one input is run again one input per run. Returns the result per input and the cost of each run. Past
    ``deadline`` seconds no new batch is started (the figures then cover fewer inputs, and say so)."""
    ctx = mp.get_context("spawn")
    todo = [list(range(a, min(start + n, a + batch))) for a in range(start, start + n, batch)]
    todo.reverse()
    results: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []
    numbers = iter(range(10**6))
    slots = [_Slot(ctx, seed, options, next(numbers), timeout) for _ in range(min(workers, len(todo)))]
    started, shown = time.monotonic(), 0

    def lost(index: int, failure: str, exitcode: int | None) -> None:
        c = case(seed, index)
        results.append({"index": index, "family": c.family, "delivery": c.delivery, "mutations": c.mutations,
                        "problems": [], "seconds": None, "cpu_seconds": None, "hang": failure == "hang",
                        "crash": f"worker died (exit code {exitcode})" if failure == "crash" else None})
        if progress:
            _show(results[-1])

    try:
        while todo or any(s.batch is not None for s in slots):
            if deadline is not None and time.monotonic() - started > deadline and todo:
                print(f"  deadline: {sum(map(len, todo)):,} inputs left out", flush=True)
                todo.clear()
            for i, slot in enumerate(slots):
                if slot.batch is None:
                    if not slot.ready:
                        if slot.parent.poll(0.05) and slot.parent.recv() == "ready":
                            slot.ready = True
                        elif not slot.proc.is_alive():
                            raise RuntimeError(f"a fuzz worker failed to start (exit code {slot.proc.exitcode})")
                    elif todo:
                        slot.give(todo.pop())
                    continue
                failure = None
                try:
                    if slot.parent.poll(0.05):
                        done, again, cost = slot.parent.recv()
                        results.extend(done)
                        runs.extend(cost)
                        todo.extend([k] for k in reversed(again))  # one input per run, next
                        slot.batch = None
                        for r in done:
                            if progress and (r.get("crash") or r.get("problems") or r.get("hang")):
                                _show(r)
                        continue
                except (EOFError, OSError):
                    failure = "crash"
                culprit = None
                if failure is None and not slot.proc.is_alive():
                    failure = "crash"
                if failure is None:
                    culprit = slot.stuck(timeout)
                    failure = "hang" if culprit is not None else None
                if failure:
                    culprit = slot.current.value if culprit is None else culprit
                    batch_in_hand = slot.batch or []
                    slot.stop(kill=True)
                    if culprit in batch_in_hand:  # the input at fault; the rest of the batch again
                        lost(culprit, failure, slot.proc.exitcode)
                        rest = [k for k in batch_in_hand if k != culprit]
                        if rest:
                            todo.append(rest)
                    elif len(batch_in_hand) == 1:
                        lost(batch_in_hand[0], failure, slot.proc.exitcode)
                    else:  # during work no input owns (the store, the story stage): each input on its own
                        todo.extend([k] for k in reversed(batch_in_hand))
                    slots[i] = _Slot(ctx, seed, options, next(numbers), timeout)
            if progress and len(results) - shown >= 250:
                shown = len(results)
                bad = sum(1 for r in results if r.get("crash") or r.get("hang") or r.get("problems"))
                print(f"  {len(results):,}/{n:,} inputs · {bad} bad · {time.monotonic() - started:,.0f}s",
                      flush=True)
    finally:
        for slot in slots:
            slot.stop()
    return sorted(results, key=lambda r: r["index"]), runs


def _quantile(values: list[float], q: int) -> float | None:
    return round(statistics.quantiles(values, n=100)[q - 1], 3) if len(values) > 20 else None


def figures(results: list[dict[str, Any]], runs: list[dict[str, Any]], seconds: float,
            options: dict[str, Any]) -> dict[str, Any]:
    timed = [r["seconds"] for r in results if r.get("seconds") is not None]
    cpu = [r["cpu_seconds"] for r in results if r.get("cpu_seconds") is not None]
    crashes = [r for r in results if r.get("crash")]
    hangs = [r for r in results if r.get("hang")]
    drops = [r for r in results if r.get("problems")]
    slowest = max((r for r in results if r.get("cpu_seconds") is not None), key=lambda r: r["cpu_seconds"],
                  default=None)
    codes: Counter[str] = Counter()
    for r in results:
        codes.update(r.get("codes") or {})
    n = max(1, len(results))

    def brief(r: dict[str, Any]) -> dict[str, Any]:
        return {k: r.get(k) for k in ("index", "family", "delivery", "mutations", "seconds", "cpu_seconds", "crash",
                                      "problems", "batched")}

    return {
        "inputs": len(results),
        "crashes": len(crashes), "unrecorded_drops": len(drops), "hangs": len(hangs),
        "clean_fraction": round(1 - len({r["index"] for r in crashes + hangs + drops}) / n, 4),
        "crash_free_fraction": round(1 - len(crashes) / n, 4), "drop_free_fraction": round(1 - len(drops) / n, 4),
        "hang_free_fraction": round(1 - len(hangs) / n, 4),
        # per input: its own reading, cleaning and NLP (the store's writes and the story stage are its run's)
        "max_cpu_seconds_per_input": round(max(cpu), 2) if cpu else None,
        "p50_cpu_seconds_per_input": round(statistics.median(cpu), 3) if cpu else None,
        "p95_cpu_seconds_per_input": _quantile(cpu, 95),
        "p99_cpu_seconds_per_input": _quantile(cpu, 99),
        "max_seconds_per_input": round(max(timed), 2) if timed else None,
        "p50_seconds_per_input": round(statistics.median(timed), 3) if timed else None,
        "p95_seconds_per_input": _quantile(timed, 95),
        "slowest_input": brief(slowest) if slowest else None,
        "inputs_run_alone": sum(1 for r in results if r.get("batched") is False),
        "runs": len(runs),
        "max_run_cpu_seconds": round(max((r["cpu_seconds"] for r in runs), default=0), 2),
        "max_shared_cpu_seconds_per_run": round(max((r["shared_cpu_seconds"] for r in runs), default=0), 2),
        "shared_cpu_seconds_per_input": round(sum(r["shared_cpu_seconds"] for r in runs) / n, 3),
        "peak_rss_mb": round(max((r.get("rss_mb") or 0) for r in [*results, *runs]), 1) if results else None,
        "articles_stored": sum(r.get("new") or 0 for r in runs),
        "skips_recorded": sum(codes.values()),
        "skip_codes": dict(codes.most_common()),
        "by_family": dict(Counter(r["family"] for r in results).most_common()),
        "by_delivery": dict(Counter(r["delivery"] for r in results).most_common()),
        "seconds": round(seconds, 1),
        "settings": {k: v for k, v in options.items() if k != "workdir"},
        "failures": [brief(r) | {"hang": bool(r.get("hang"))} for r in (crashes + hangs + drops)][:50],
    }


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of runs over disjoint ranges of inputs as one: counts summed, maxima the largest; quantiles
    cannot be merged from figures, so each part's stay in ``parts`` and the largest of them is given."""
    n = sum(p["inputs"] for p in parts)
    out: dict[str, Any] = {"inputs": n}
    for key in ("crashes", "unrecorded_drops", "hangs", "runs", "inputs_run_alone", "articles_stored",
                "skips_recorded"):
        out[key] = sum(p[key] for p in parts)
    out["seconds"] = max(p["seconds"] for p in parts)   # the parts may run at the same time
    out["clean_fraction"] = round(1 - sum(round((1 - p["clean_fraction"]) * p["inputs"]) for p in parts) / n, 4)
    for kind in ("crash", "drop", "hang"):
        count = {"crash": "crashes", "drop": "unrecorded_drops", "hang": "hangs"}[kind]
        out[f"{kind}_free_fraction"] = round(1 - out[count] / n, 4)
    for key in ("max_cpu_seconds_per_input", "max_seconds_per_input", "max_run_cpu_seconds",
                "max_shared_cpu_seconds_per_run", "peak_rss_mb", "p50_cpu_seconds_per_input",
                "p95_cpu_seconds_per_input", "p99_cpu_seconds_per_input", "p95_seconds_per_input"):
        out[key if key.startswith(("max", "peak")) else f"{key}_largest_of_parts"] = max(p[key] for p in parts)
    out["slowest_input"] = max((p["slowest_input"] for p in parts), key=lambda r: r.get("cpu_seconds") or 0)
    codes: Counter[str] = Counter()
    for p in parts:
        codes.update(p["skip_codes"])
    out["skip_codes"] = dict(codes.most_common())
    out["failures"] = [f for p in parts for f in p["failures"]][:50]
    out["parts"] = [{k: v for k, v in p.items() if k not in ("failures", "skip_codes", "by_family", "by_delivery")}
                    for p in parts]
    return out


def _remove(path: str | os.PathLike) -> None:
    """A fuzz working directory removed, its unreadable directories made readable again first."""
    for dirpath, dirnames, _ in os.walk(path):
        for d in dirnames:
            try:
                os.chmod(os.path.join(dirpath, d), 0o755)
            except OSError:
                pass
    shutil.rmtree(path, ignore_errors=True)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench fuzz_ingest")
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="CPU seconds one input may take before it is a hang (wall: five times as many)")
    ap.add_argument("--no-analyse", action="store_true", help="leave out the NLP stage (faster)")
    ap.add_argument("--no-stories", action="store_true", help="leave out the story stage (faster)")
    ap.add_argument("--batch", type=int, default=40, help="inputs per ingest run (1: one run per input)")
    ap.add_argument("--start", type=int, default=0, help="the first input's number")
    ap.add_argument("--deadline", type=float, help="wall seconds after which no new batch is started")
    ap.add_argument("--case", type=int, help="run this input alone, here, and print it")
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--merge", nargs="+", metavar="NAME",
                    help="only merge the saved figures bench/results/NAME.json of runs over disjoint inputs")
    ap.add_argument("--name", help="save under bench/results/NAME.json (default: fuzz_ingest, or fuzz_ingest_readers)")
    args = ap.parse_args(argv)
    if args.merge:
        from bench.common import RESULTS

        out = merge([json.loads((RESULTS / f"{name}.json").read_text()) for name in args.merge])
        print(f"saved {save(args.name or 'fuzz_ingest', out)}")
        return check_minimums("fuzz_ingest", {k: out[k] for k in ("inputs", "clean_fraction", "crash_free_fraction",
                                                                   "drop_free_fraction", "hang_free_fraction")})
    workdir = tempfile.mkdtemp(prefix="storyline-fuzz-")
    options = {"analyse": not args.no_analyse, "stories": not args.no_stories, "workdir": workdir}
    try:
        if args.case is not None:
            server, base = start_server()
            c = case(args.seed, args.case)
            print(f"input {c.index}: {c.family} via {c.delivery}, {c.name}, {len(c.data):,} bytes, "
                  f"mutations {c.mutations}, allow_private={c.allow_private}")
            result = run_one(c, Path(workdir) / "one.db", server, base, options)
            print({k: v for k, v in result.items()})
            return 1 if result["crash"] or result["problems"] else 0
        started = time.monotonic()
        print(f"fuzz_ingest: {args.inputs:,} inputs, {args.workers} workers, {args.timeout:g}s each at most, "
              f"analyse={options['analyse']} stories={options['stories']}", flush=True)
        results, runs = run(args.inputs, args.seed, args.workers, args.timeout, options, batch=args.batch,
                            start=args.start, deadline=args.deadline)
        out = figures(results, runs, time.monotonic() - started,
                      options | {"seed": args.seed, "timeout": args.timeout, "workers": args.workers,
                                 "batch": args.batch, "start": args.start})
    finally:
        _remove(workdir)
    for key in ("inputs", "crashes", "unrecorded_drops", "hangs", "max_cpu_seconds_per_input",
                "p50_cpu_seconds_per_input", "p95_cpu_seconds_per_input", "max_seconds_per_input",
                "p95_seconds_per_input", "runs", "inputs_run_alone", "max_shared_cpu_seconds_per_run", "peak_rss_mb",
                "articles_stored", "skips_recorded", "seconds"):
        print(f"  {key}: {out[key]}")
    for failure in out["failures"][:10]:
        print(f"  FAILED input {failure['index']} ({failure['family']} via {failure['delivery']}, "
              f"{failure['mutations']}): {failure['crash'] or failure['problems'] or 'hang'}"[:2000])
    # the whole ingest saves fuzz_ingest; without the NLP and story stages, fuzz_ingest_readers (same minimums)
    name = args.name or ("fuzz_ingest" if options["analyse"] and options["stories"] else "fuzz_ingest_readers")
    if not args.no_save:
        print(f"saved {save(name, out)}")
    status = check_minimums("fuzz_ingest", {k: out[k] for k in ("inputs", "clean_fraction", "crash_free_fraction",
                                                                 "drop_free_fraction", "hang_free_fraction")})
    return 1 if out["crashes"] or out["hangs"] or out["unrecorded_drops"] else status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
