"""Political events: clauses coded as PLOVER events (who did what to whom), from the dependency parse.

``coder`` finds the clauses, ``actors`` resolves their source and target inside the article, ``lexicon``
reads the editable patterns (``patterns.toml``) and country table (``countries.txt``). Canonical actors
and deduplication across articles are the store's (``storyline.store.polevents``).
"""

from typing import Any

from .lexicon import PLOVER_TYPES, SECTORS, load_lexicon

__all__ = ["PLOVER_TYPES", "SECTORS", "code_events", "load_lexicon"]


def __getattr__(name: str) -> Any:
    """``code_events`` is imported when first asked for: the coder needs spaCy (two seconds to import), the
    country and sector tables (read by the brief's analyses) do not."""
    if name == "code_events":
        from .coder import code_events

        return code_events
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
