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


#: what a store's NLP stage depends on: a store built by other code is stale (``nlp_fingerprint``)
NLP_CODE = ("src/storyline/nlp", "src/storyline/extract", "src/storyline/clean", "src/storyline/polevents",
            "src/storyline/data", "src/storyline/pipeline.py")


def nlp_fingerprint() -> str:
    """A hash of the code and data the ingest and NLP stages run (``NLP_CODE``): evaluations that keep a
    built store between runs rebuild it when this changes, so their figures are never of older code."""
    import hashlib

    digest = hashlib.sha256()
    for part in NLP_CODE:
        path = ROOT / part
        for f in sorted(path.rglob("*") if path.is_dir() else [path]):
            if f.is_file() and "__pycache__" not in f.parts:
                digest.update(str(f.relative_to(ROOT)).encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def kept_store_is_current(done: Path) -> bool:
    """Whether the store a ``.done`` marker stands for was built by this code (see ``nlp_fingerprint``); says
    why it is rebuilt when not."""
    if not done.exists():
        return False
    try:
        built = json.loads(done.read_text() or "{}").get("nlp")
    except ValueError:
        built = None
    if built != nlp_fingerprint():
        print(f"{done.stem}: the kept store was built by other NLP code; rebuilding it", flush=True)
        return False
    return True


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
