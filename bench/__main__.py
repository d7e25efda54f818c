"""``python -m bench [NAME ...]``: run evaluations/benchmarks by name; with no name, list them."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith(("eval_", "bench_")))
    if not argv:
        print("available:", " ".join(names))
        return 0
    status = 0
    for name in argv:
        if name not in names:
            print(f"unknown benchmark {name!r}; available: {' '.join(names)}")
            return 2
        module = importlib.import_module(f"bench.{name}")
        status |= module.main([]) or 0
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
