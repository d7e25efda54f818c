"""Embedding ahead: the story stage's embeddings computed during ingest, beside the NLP workers.

The story stage runs after ingest and embeds, for every placed article, its headline and lead and its first
sentences (``engines.stories``). While the worker processes parse, the main process mostly waits for them; so
as each batch comes back, a thread of the main process embeds those same texts (the model loads there while
the workers load spaCy), with one torch thread: the two workers already hold both cores, and torch's second
thread would only spin beside them (on this 2-core machine 100 leads took 4.5 s of CPU with two threads, 2.7 s
with one). The story stage then takes each vector from :meth:`EmbedAhead.embed`, which answers from what was
computed and embeds only what it has not seen (a text is its own key: a changed text is simply embedded again).
At most ``limit`` vectors are kept (1.5 kB each); past that the story stage embeds the rest itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np

from ..clean.lead import dateline_only
from ..records import Processed

log = logging.getLogger("storyline.ingest")

LIMIT = 30_000


def story_inputs(processed: Iterable[Processed]) -> list[str]:
    """What the story stage will embed for these articles: each one's headline and lead, and its first
    sentences as ``engines.stories`` takes them (``LEAD_VECTORS`` of the first ``LEAD_VECTORS + 1``, no bare
    dateline), in the form the embedder receives them."""
    from ..stories.embed import sentence_input, story_text
    from .stories import LEAD_VECTORS

    texts: list[str] = []
    for p in processed:
        a = p.article
        texts.append(story_text(a.title, a.text))
        taken = 0
        for s in (p.analysis.sentences[:LEAD_VECTORS + 1] if p.analysis else ()):
            sentence = a.text[s.start:s.end]
            if taken < LEAD_VECTORS and sentence.strip() and not dateline_only(sentence):
                taken += 1
                texts.append(sentence_input(sentence))
    return texts


class EmbedAhead:
    """Embeds the texts given to :meth:`add` in a background thread; :meth:`embed` is the story stage's embedder."""

    def __init__(self, limit: int = LIMIT, threads: int = 1) -> None:
        self.limit = limit
        self.threads = threads
        self.cache: dict[str, np.ndarray] = {}
        self.queued = 0
        self.hits = self.misses = 0
        self.failed: str | None = None
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._jobs: list[Future[None]] = []
        self._saved_threads: int | None = None

    def start(self) -> None:
        """Load the model in the background (call once the worker processes are started: no fork after)."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyline-embed")
            self._jobs.append(self._pool.submit(self._load))

    def add(self, processed: list[Processed]) -> None:
        """Queue the story stage's texts of ``processed`` (stored articles) to be embedded."""
        if self.failed or self.queued >= self.limit:
            return
        texts = [t for t in story_inputs(processed) if t not in self.cache][:self.limit - self.queued]
        if not texts:
            return
        self.start()
        self.queued += len(texts)
        assert self._pool is not None
        self._jobs.append(self._pool.submit(self._embed, texts))

    def _load(self) -> None:
        from ..stories.embed import load_model

        try:
            import torch

            self._saved_threads = torch.get_num_threads()
            torch.set_num_threads(self.threads)
            load_model()
        except Exception as exc:   # the story stage loads it again and says what fails
            self.failed = f"{type(exc).__name__}: {exc}"

    def _embed(self, texts: list[str]) -> None:
        if self.failed:
            return
        from ..stories.embed import embed

        try:
            vectors = embed(texts)
        except Exception as exc:  # noted; the story stage embeds these itself
            self.failed = f"{type(exc).__name__}: {exc}"
            log.warning("embedding ahead stopped (%s); the story stage embeds the rest", self.failed)
            return
        with self._lock:
            self.cache.update(zip(texts, vectors))

    def wait(self) -> None:
        """Until every queued text is embedded (or failed)."""
        for job in self._jobs:
            job.result()
        self._jobs.clear()

    def embed(self, texts: list[str]) -> Any:
        """Unit vectors of ``texts`` as ``stories.embed.embed`` returns them: those embedded ahead, the rest now."""
        from ..stories.embed import DIM, embed

        self.wait()
        self._restore_threads()
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        self.misses += len(missing)   # distinct texts embedded here
        self.hits += sum(t in self.cache for t in texts)   # texts answered from what was embedded ahead
        fresh = dict(zip(missing, embed(missing))) if missing else {}
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self.cache[t] if t in self.cache else fresh[t] for t in texts]).astype(np.float32)

    def _restore_threads(self) -> None:
        if self._saved_threads is not None:   # the story stage alone: torch may use every core again
            import torch

            torch.set_num_threads(self._saved_threads)
            self._saved_threads = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._restore_threads()
        self.cache.clear()
