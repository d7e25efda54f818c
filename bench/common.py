"""What every evaluation shares: where the labelled data is, stored minimums, results files."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("STORYLINE_SHARED_DATA", ROOT.parent / "shared" / "data"))
RESULTS = ROOT / "bench" / "results"
MINIMUMS = ROOT / "bench" / "minimums.json"


def shared(*parts: str) -> Path:
    """A path under ../shared/data; exits cleanly (status 0, 'skipped') when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        print(f"skipped: {path} is not here (evaluation data lives in ../shared/data beside the repo)")
        raise SystemExit(0)
    return path


def save(name: str, figures: dict[str, Any]) -> Path:
    """Write ``bench/results/NAME.json`` with the figures and the machine they came from."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    figures = {"measured_at": time.strftime("%Y-%m-%d %H:%M:%S"), "python": sys.version.split()[0],
               "machine": f"{platform.machine()} {os.cpu_count()} cores", **figures}
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return out


def check_minimums(name: str, figures: dict[str, float]) -> int:
    """Compare figures with ``bench/minimums.json``; print and return 1 when any is below its minimum."""
    minimums = json.loads(MINIMUMS.read_text()).get(name, {})
    failed = 0
    for key, floor in minimums.items():
        value = figures.get(key)
        ok = value is not None and value >= floor
        failed += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} {key} = {value} (minimum {floor})")
    return 1 if failed else 0
