"""``python -m bench [NAME ...] [--OPTION ...]``: run evaluations/benchmarks by name (options from the first
``-`` on go to each of them); with no name, list them."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith(("eval_", "bench_", "train_")))
    if not argv:
        print("available:", " ".join(names))
        return 0
    first = next((i for i, a in enumerate(argv) if a.startswith("-")), len(argv))
    argv, options = argv[:first], argv[first:]
    status = 0
    for name in argv:
        if name not in names:
            print(f"unknown benchmark {name!r}; available: {' '.join(names)}")
            return 2
        module = importlib.import_module(f"bench.{name}")
        status |= module.main(options) or 0
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
