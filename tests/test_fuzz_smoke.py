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
