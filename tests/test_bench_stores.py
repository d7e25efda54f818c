"""Kept evaluation stores are rebuilt when the NLP code that built them changed (``bench.common``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # the repository's bench package

from bench.common import kept_store_is_current, nlp_fingerprint  # noqa: E402


def test_a_kept_store_counts_only_when_this_code_built_it(tmp_path, capsys):
    done = tmp_path / "allsides.done"
    assert not kept_store_is_current(done)                      # never built
    done.write_text(json.dumps({"new": 10, "nlp": nlp_fingerprint()}))
    assert kept_store_is_current(done)
    done.write_text(json.dumps({"new": 10, "nlp": "0123456789abcdef"}))
    assert not kept_store_is_current(done)
    assert "other NLP code" in capsys.readouterr().out
    done.write_text("{}")                                       # built before stores were marked
    assert not kept_store_is_current(done)
    assert nlp_fingerprint() == nlp_fingerprint() and len(nlp_fingerprint()) == 16
