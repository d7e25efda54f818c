"""Fuzz the real ingest: ``python -m bench fuzz_ingest [--inputs 10000] [--workers 2] [--timeout 120] [--seed 17]``.

Each generated malformed input (``bench/fuzz_cases.py``: every format, encoding, compression and delivery)
goes through ``storyline.ingest`` (readers, cleaning, NLP, stories, store: the defaults, with one process
per ingest) in a long-lived worker process that serves the URL deliveries from a local HTTP server. The
parent gives each input ``--timeout`` seconds of the worker's CPU time (on a shared machine wall time says more
about the neighbours than the input; five times ``--timeout`` of wall time is the backstop): a worker that takes
longer is killed (a *hang*), one that dies or raises is a *crash*, and an input whose report or store loses something without a record (or
fetches a private address while they are refused) is an *unrecorded drop*. Figures: those three counts,
seconds per input (wall: max, p50, p95; CPU: max), the workers' peak RSS, the skip codes seen; in
``bench/results/fuzz_ingest.json`` (``fuzz_ingest_readers.json`` with ``--no-analyse --no-stories``).
``--case N`` runs input N alone, in this process, and prints it.
"""

from __future__ import annotations

import argparse
import io
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

CASES_PER_STORE = 500  # a worker starts a fresh store every so many inputs (and after a restart)


# -- the local server -----------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_GET(self) -> None:  # noqa: N802
        self.server.hits += 1
        route = self.server.routes.get(urlsplit(self.path).path)
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


def deliver(c: Case, where: Path, server: _Server, base: str) -> str:
    """Put the input where the ingest will find it; return the input spec to ingest."""
    server.routes = {path: (status, ctype, with_base(body, base), headers)
                     for path, (status, ctype, body, headers) in c.routes.items()}
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
        for dirpath, dirnames, _ in os.walk(where):  # the unreadable directory, readable again for removal
            for d in dirnames:
                try:
                    os.chmod(os.path.join(dirpath, d), 0o755)
                except OSError:
                    pass
        shutil.rmtree(where, ignore_errors=True)
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


# -- workers and the parent -----------------------------------------------------------------------------


def _worker(conn: Any, seed: int, options: dict[str, Any], number: int) -> None:
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # one thread per worker: the workers share the cores
        os.environ[name] = "1"
    server, base = start_server()
    store_no = 0

    def fresh_store() -> Path:
        nonlocal store_no
        store_no += 1
        return Path(options["workdir"]) / f"w{number}-{os.getpid()}-{store_no}.db"

    store, done = fresh_store(), 0
    while True:
        index = conn.recv()
        if index is None:
            break
        if done and done % CASES_PER_STORE == 0:
            store = fresh_store()
        conn.send(run_one(case(seed, index), store, server, base, options))
        done += 1
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
    def __init__(self, ctx: Any, seed: int, options: dict[str, Any], number: int) -> None:
        self.parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, seed, options, number), daemon=True)
        self.proc.start()
        child.close()
        self.index: int | None = None
        self.started = 0.0

    def give(self, index: int) -> None:
        self.index, self.started, self.cpu = index, time.monotonic(), _cpu_seconds(self.proc.pid)
        self.parent.send(index)

    def over(self, timeout: float) -> bool:
        """Whether the input in hand has had ``timeout`` seconds of CPU (or five times that of wall time)."""
        wall = time.monotonic() - self.started
        if wall <= timeout:
            return False
        cpu = _cpu_seconds(self.proc.pid)
        return cpu is None or self.cpu is None or cpu - self.cpu > timeout or wall > 5 * timeout

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
    what = r.get("crash") or r.get("problems") or ("hang" if r.get("hang") else "?")
    print(f"  FAILED input {r['index']} ({r['family']} via {r['delivery']}, {r['mutations']}): {what}"[:1500],
          flush=True)


def run(n: int, seed: int, workers: int, timeout: float, options: dict[str, Any],
        progress: bool = True) -> list[dict[str, Any]]:
    ctx = mp.get_context("spawn")
    todo = list(range(n))
    todo.reverse()
    results: list[dict[str, Any]] = []
    numbers = iter(range(10**6))
    slots = [_Slot(ctx, seed, options, next(numbers)) for _ in range(min(workers, n))]
    started = time.monotonic()
    try:
        while todo or any(s.index is not None for s in slots):
            for i, slot in enumerate(slots):
                if slot.index is None:
                    if todo:
                        slot.give(todo.pop())
                    continue
                failure = None
                try:
                    if slot.parent.poll(0.05):
                        results.append(slot.parent.recv())
                        slot.index = None
                        if progress and (results[-1].get("crash") or results[-1].get("problems")):
                            _show(results[-1])
                        continue
                except (EOFError, OSError):
                    failure = "crash"
                if failure is None and not slot.proc.is_alive():
                    failure = "crash"
                if failure is None and slot.over(timeout):
                    failure = "hang"
                if failure:
                    c = case(seed, slot.index)
                    results.append({"index": slot.index, "family": c.family, "delivery": c.delivery,
                                    "mutations": c.mutations, "problems": [], "seconds": None,
                                    "crash": (f"worker died (exit code {slot.proc.exitcode})" if failure == "crash"
                                              else None), "hang": failure == "hang"})
                    if progress:
                        _show(results[-1])
                    slot.stop(kill=True)
                    slots[i] = _Slot(ctx, seed, options, next(numbers))
            if progress and results and len(results) % 250 == 0 and getattr(run, "_shown", -1) != len(results):
                run._shown = len(results)  # type: ignore[attr-defined]
                bad = sum(1 for r in results if r.get("crash") or r.get("hang") or r.get("problems"))
                print(f"  {len(results):,}/{n:,} inputs · {bad} bad · {time.monotonic() - started:,.0f}s",
                      flush=True)
    finally:
        for slot in slots:
            slot.stop()
    return sorted(results, key=lambda r: r["index"])


def figures(results: list[dict[str, Any]], seconds: float, options: dict[str, Any]) -> dict[str, Any]:
    timed = [r["seconds"] for r in results if r.get("seconds") is not None]
    cpu = [r["cpu_seconds"] for r in results if r.get("cpu_seconds") is not None]
    crashes = [r for r in results if r.get("crash")]
    hangs = [r for r in results if r.get("hang")]
    drops = [r for r in results if r.get("problems")]
    slowest = max((r for r in results if r.get("seconds") is not None), key=lambda r: r["seconds"], default=None)
    codes: Counter[str] = Counter()
    for r in results:
        codes.update(r.get("codes") or {})

    def brief(r: dict[str, Any]) -> dict[str, Any]:
        return {k: r.get(k) for k in ("index", "family", "delivery", "mutations", "seconds", "cpu_seconds", "crash",
                                      "problems")}

    return {
        "inputs": len(results),
        "crashes": len(crashes), "unrecorded_drops": len(drops), "hangs": len(hangs),
        "clean_fraction": round(1 - len({r["index"] for r in crashes + hangs + drops}) / max(1, len(results)), 4),
        "max_seconds_per_input": round(max(timed), 2) if timed else None,
        "slowest_input": brief(slowest) if slowest else None,
        "p50_seconds_per_input": round(statistics.median(timed), 3) if timed else None,
        "p95_seconds_per_input": round(statistics.quantiles(timed, n=20)[-1], 3) if len(timed) > 20 else None,
        "max_cpu_seconds_per_input": round(max(cpu), 2) if cpu else None,
        "peak_rss_mb": round(max((r.get("rss_mb") or 0) for r in results), 1) if results else None,
        "articles_stored": sum(r.get("new") or 0 for r in results),
        "skips_recorded": sum(codes.values()),
        "skip_codes": dict(codes.most_common()),
        "by_family": dict(Counter(r["family"] for r in results).most_common()),
        "by_delivery": dict(Counter(r["delivery"] for r in results).most_common()),
        "seconds": round(seconds, 1),
        "settings": {k: v for k, v in options.items() if k != "workdir"},
        "failures": [brief(r) | {"hang": bool(r.get("hang"))} for r in (crashes + hangs + drops)][:50],
    }


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench fuzz_ingest")
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="CPU seconds one input may take before it is a hang (wall: five times as many)")
    ap.add_argument("--no-analyse", action="store_true", help="leave out the NLP stage (faster)")
    ap.add_argument("--no-stories", action="store_true", help="leave out the story stage (faster)")
    ap.add_argument("--case", type=int, help="run this input alone, here, and print it")
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args(argv)
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
        results = run(args.inputs, args.seed, args.workers, args.timeout, options)
        out = figures(results, time.monotonic() - started, options | {"seed": args.seed, "timeout": args.timeout,
                                                                        "workers": args.workers})
    finally:
        for dirpath, dirnames, _ in os.walk(workdir):
            for d in dirnames:
                try:
                    os.chmod(os.path.join(dirpath, d), 0o755)
                except OSError:
                    pass
        shutil.rmtree(workdir, ignore_errors=True)
    for key in ("inputs", "crashes", "unrecorded_drops", "hangs", "max_seconds_per_input", "p50_seconds_per_input",
                "p95_seconds_per_input", "max_cpu_seconds_per_input", "peak_rss_mb", "articles_stored", "skips_recorded", "seconds"):
        print(f"  {key}: {out[key]}")
    for failure in out["failures"][:10]:
        print(f"  FAILED input {failure['index']} ({failure['family']} via {failure['delivery']}, "
              f"{failure['mutations']}): {failure['crash'] or failure['problems'] or 'hang'}"[:2000])
    # the whole ingest saves fuzz_ingest; without the NLP and story stages, fuzz_ingest_readers (same minimums)
    name = "fuzz_ingest" if options["analyse"] and options["stories"] else "fuzz_ingest_readers"
    if not args.no_save:
        print(f"saved {save(name, out)}")
    status = check_minimums("fuzz_ingest", {"clean_fraction": out["clean_fraction"], "inputs": out["inputs"]})
    return 1 if out["crashes"] or out["hangs"] or out["unrecorded_drops"] else status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
