"""Duplicate detection: exact copies by normalised-text hash, near-copies by MinHash LSH over word shingles.

Pure functions, shared by the local story stage and the Spark engine:

1. :func:`shingles` — hashed word 3-grams of the normalised text (case, accents and punctuation folded);
2. :func:`signature` — a 128-value MinHash (datasketch) of those shingles;
3. :func:`band_keys` — 20 LSH bucket keys (bands of 3 values over the first 60): two texts whose
   shingle sets have Jaccard similarity J share at least one bucket with probability
   1 - (1 - J^3)^20 — 0.42 at J=0.3, 0.93 at 0.5, 0.99 at 0.6;
4. :func:`compare` — estimated Jaccard and containment (how much of the shorter text the longer one
   holds, which catches truncated copies), and :func:`near_duplicate`, the decision.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash

NUM_PERM = 128
BANDS = 20
ROWS = 3
SHINGLE_WORDS = 3
SEED = 7
MIN_SHINGLES = 25          # below this a text is too short to call a near-copy of anything
NEAR_JACCARD = 0.5         # estimated Jaccard at or above which two texts are near-copies
NEAR_CONTAINMENT = 0.8     # ... or the shorter text is this much inside the longer one (truncation)
CONTAINMENT_FLOOR = 0.25   # with at least this Jaccard (a one-paragraph excerpt is not a copy)

_WORD = re.compile(r"\w+", re.UNICODE)
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED)   # permutations built once, copied per text


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float


def words(text: str) -> list[str]:
    """Casefolded words with accents removed: the unit every comparison here works on."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(folded)


def shingles(text: str) -> set[bytes]:
    """The distinct word 3-grams of ``text`` (a text of fewer words is one shingle)."""
    toks = words(text)
    if len(toks) < SHINGLE_WORDS:
        return {" ".join(toks).encode()} if toks else set()
    return {" ".join(toks[i:i + SHINGLE_WORDS]).encode() for i in range(len(toks) - SHINGLE_WORDS + 1)}


def signature(grams: set[bytes]) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` unsigned 32-bit values) of a shingle set."""
    m = _TEMPLATE.copy()
    if grams:
        m.update_batch(list(grams))
    return np.asarray(LeanMinHash(m).hashvalues, dtype=np.uint32)


def signature_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def signature_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit bucket key per band (SQLite integers), the band number mixed in."""
    keys = []
    for b in range(BANDS):
        chunk = sig[b * ROWS:(b + 1) * ROWS].astype("<u4").tobytes()
        digest = hashlib.blake2b(bytes([b]) + chunk, digest_size=8).digest()
        keys.append(struct.unpack("<q", digest)[0])
    return keys


def compare(sig_a: np.ndarray, n_a: int, sig_b: np.ndarray, n_b: int) -> Similarity:
    """Estimated Jaccard of two shingle sets and containment of the smaller in the larger."""
    j = float(np.count_nonzero(sig_a == sig_b)) / NUM_PERM
    small = min(n_a, n_b)
    if small == 0:
        return Similarity(j, 0.0)
    inter = j * (n_a + n_b) / (1.0 + j)
    return Similarity(j, min(1.0, inter / small))


def near_duplicate(sim: Similarity, n_a: int, n_b: int) -> float | None:
    """The near-copy score (0..1) of a compared pair, or ``None`` when they are not near-copies."""
    if min(n_a, n_b) < MIN_SHINGLES:
        return None
    if sim.jaccard >= NEAR_JACCARD:
        return sim.jaccard
    if sim.containment >= NEAR_CONTAINMENT and sim.jaccard >= CONTAINMENT_FLOOR:
        return sim.containment
    return None
