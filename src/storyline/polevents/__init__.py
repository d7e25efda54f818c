"""Political events: clauses coded as PLOVER events (who did what to whom), from the dependency parse.

``coder`` finds the clauses, ``actors`` resolves their source and target inside the article, ``lexicon``
reads the editable patterns (``patterns.toml``) and country table (``countries.txt``). Canonical actors
and deduplication across articles are the store's (``storyline.store.polevents``).
"""

from .coder import code_events
from .lexicon import PLOVER_TYPES, SECTORS, load_lexicon

__all__ = ["PLOVER_TYPES", "SECTORS", "code_events", "load_lexicon"]
