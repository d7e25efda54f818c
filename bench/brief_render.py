"""A synthetic brief the shape of the 5,001-article storyline of ``bench_brief`` (3,463 events, 139 outlets,
21,868 statements), for timing the renderings alone: ``python -m bench bench_brief --render [--before DIR]``.

The words are drawn from a small vocabulary written here (with characters that need escaping); only the
counts come from the real storyline. ``--before`` renders with another version's ``src`` in a subprocess.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from typing import Any

EVENTS, OUTLETS, STATEMENTS, SPEAKERS = 3463, 139, 21868, 900
POSITIONS, CLAIMS, CONFLICTS = 2000, 400, 150
_WORDS = ("the minister said talks would resume on Monday & the <council> rejected \"the plan\" after a vote "
          "of 12 to 3 while protesters gathered outside — officials expect a deal by June").split()


def _text(r: random.Random, n: int) -> str:
    return " ".join(r.choice(_WORDS) for _ in range(n))


def _cite(r: random.Random) -> dict[str, Any]:
    return {"article_id": f"a{r.randrange(5001):05d}", "start": r.randrange(5000), "end": 0,
            "outlet": f"Outlet {r.randrange(OUTLETS)}", "date": "2024-03-01", "opinion": r.random() < 0.1}


def synthetic(seed: int = 5) -> dict[str, Any]:
    r = random.Random(seed)
    outlets = [f"Outlet {k} & Co" for k in range(OUTLETS)]
    statements = []
    for s in range(SPEAKERS):
        group = []
        for _ in range(STATEMENTS // SPEAKERS + (s < STATEMENTS % SPEAKERS)):
            variants = [{"reports": [{"sentence": _cite(r)}], "outlets": r.sample(outlets, 2),
                         "diff": [{"op": r.choice(("equal", "delete", "insert")), "text": _text(r, 4)}
                                  for _ in range(5)]} for _ in range(r.choice((1, 1, 2, 3)))]
            group.append({"said_on": "2024-03-02", "text": _text(r, 25), "outlets": r.sample(outlets, 3),
                          "variants": variants, "linked": []})
        statements.append({"speaker": {"name": f"Speaker {s}"}, "statements": group})
    ref = lambda: {**_cite(r), "sentence": {"start": r.randrange(5000)}}  # noqa: E731
    return {
        "summary": {"storyline": {"id": 1, "title": "A <synthetic> storyline", "start": "2024-01-01",
                                  "end": "2024-12-31", "n_articles": 5001, "n_outlets": OUTLETS, "n_sources": 3000},
                    "note": "synthetic", "paragraphs": [{"topic": f"Topic {k}", "sentences": [
                        {"text": _text(r, 20), "citations": [_cite(r)], "lead": "Lead"} for _ in range(2)]}
                        for k in range(5)]},
        "timeline": [{"id": k, "date": "2024-03-01", "date_basis": "reported", "title": _text(r, 8),
                      "description": {"text": _text(r, 20), "citation": _cite(r)}, "n_articles": 2,
                      "n_sources": 2, "outlets": r.sample(outlets, 2)} for k in range(EVENTS)],
        "statements": statements,
        "positions": [{"holder": {"name": f"Speaker {k % SPEAKERS}"}, "type": "support", "date": "2024-03-03",
                       "text": _text(r, 15), **ref()} for k in range(POSITIONS)],
        "claims": [{"text": _text(r, 20), "independent_sources": 3, "asserted_by": [ref() for _ in range(3)],
                    "contradicted_by": [ref()]} for _ in range(CLAIMS)],
        "conflicts": [{"kind": "number", "about": _text(r, 3), "confidence": 0.8,
                       "sides": [{"text": _text(r, 10), **ref()} for _ in range(2)]} for _ in range(CONFLICTS)],
        "framing": [{"outlet": o, "n_articles": 36, "n_read": 2, "sentences": {"own": 40, "biased": 9, "share": 0.225},
                     "loaded_terms": [{"term": r.choice(_WORDS), "count": 2, "side": None, "occurrences": [
                         {"article_id": "a00001", "start": 5, "sentence": {"start": 0}}]} for _ in range(12)],
                     "names": [], "distinctive": [{"term": r.choice(_WORDS)}], "distinctive_note": None}
                    for o in outlets],
        "coverage": {"events": [{"id": k, "date": "2024-03-01"} for k in range(EVENTS)],
                     "outlets": [{"outlet": o, "cells": [r.choice((0, 0, 0, 1, 2)) for _ in range(EVENTS)]}
                                 for o in outlets], "blind_spots": []},
    }


def render_times() -> dict[str, float]:
    """Wall and CPU seconds of each rendering (on a shared machine the CPU time is the steadier figure)."""
    from storyline import brief

    b = synthetic()
    out: dict[str, float] = {}
    for name, fn in (("html", brief.to_html), ("markdown", brief.to_markdown)):
        wall, cpu = time.perf_counter(), time.process_time()
        text = fn(b)
        out[f"{name}_seconds"] = round(time.perf_counter() - wall, 3)
        out[f"{name}_cpu_seconds"] = round(time.process_time() - cpu, 3)
        out[f"{name}_bytes"] = len(text)
    return out


def compare(before: str | None) -> dict[str, Any]:
    import os

    out: dict[str, Any] = {"shape": {"events": EVENTS, "outlets": OUTLETS, "statements": STATEMENTS,
                                     "positions": POSITIONS, "claims": CLAIMS, "conflicts": CONFLICTS},
                           "load_average_1min": round(os.getloadavg()[0], 2)}
    if before:
        done = subprocess.run([sys.executable, "-m", "bench.brief_render"], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": before})
        if done.returncode:
            raise SystemExit(done.stderr[-2000:])
        out["before"] = json.loads(done.stdout.strip().splitlines()[-1])
    out["after"] = render_times()
    return out


if __name__ == "__main__":
    print(json.dumps(render_times()))
