"""A small, fast run of the ingest fuzz benchmark (``python -m bench fuzz_ingest`` runs 10,000): malformed inputs
of every format, encoding and delivery through the real ingest (readers, cleaning, store; no NLP, no stories),
each one accounted for (an article or a recorded skip), nothing private fetched, nothing raised."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root, for bench/

from bench.fuzz_cases import case  # noqa: E402
from bench.fuzz_ingest import run_one, start_server  # noqa: E402

SEED, INPUTS = 2024, 60


@pytest.fixture(scope="module")
def server():
    srv, base = start_server()
    try:
        yield srv, base
    finally:
        srv.shutdown()
        srv.server_close()


def test_malformed_inputs_are_each_accounted_for(server, tmp_path: Path) -> None:
    srv, base = server
    options = {"analyse": False, "stories": False, "workdir": str(tmp_path)}
    results = [run_one(case(SEED, i), tmp_path / "fuzz.db", srv, base, options) for i in range(INPUTS)]
    failures = [(r["index"], r["family"], r["delivery"], r["mutations"], r["crash"], r["problems"])
                for r in results if r["crash"] or r["problems"]]
    assert failures == []
    seen = Counter(r["delivery"] for r in results)
    assert {"file", "url"} <= set(seen) and len({r["family"] for r in results}) >= 6
    codes = Counter(code for r in results for code in r["codes"])
    assert sum(r["new"] for r in results) > 0 and len(codes) >= 5


def test_inputs_batched_into_one_run_are_each_accounted_for(server, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark's batched mode (many inputs per ingest run): every input comes back once, charged its own
    reading and cleaning time; a run that loses a document it read is sent back to be run one input at a time."""
    from bench.ingest_probe import Probe, run_batch

    srv, base = server
    options = {"analyse": False, "stories": False, "workdir": str(tmp_path)}
    cases = [case(SEED, i) for i in range(INPUTS, INPUTS + 30)]
    probe = Probe()
    probe.install()
    try:
        results, again, runs = run_batch(cases, tmp_path / "batch.db", srv, base, options, probe, timeout=120)
        assert again == [] and sorted(r["index"] for r in results) == [c.index for c in cases]
        assert [(r["index"], r["crash"], r["problems"]) for r in results if r["crash"] or r["problems"]] == []
        assert sum(r["items"] for r in results) >= len(cases) and sum(r["cpu_seconds"] for r in results) > 0
        assert len(runs) < len(cases) and sum(run["new"] for run in runs) > 0

        import storyline.engines.local as local
        batches = local._batches

        def losing(items, size):  # a fault planted in the engine: the first document read is never processed
            for k, (docs, skips) in enumerate(batches(items, size)):
                yield (docs[1:] if k == 0 else docs), skips

        monkeypatch.setattr(local, "_batches", losing)
        html = [c for c in (case(SEED, i) for i in range(200, 600)) if c.family in ("html", "text", "markdown")
                and not c.mutations and c.delivery == "file" and c.allow_private][:3]
        results, again, runs = run_batch(html, tmp_path / "lossy.db", srv, base, options, probe, timeout=120)
        assert len(html) == 3 and results == [] and sorted(again) == [c.index for c in html]
    finally:
        probe.uninstall()
