"""Settings, declared once: defaults and help here; a TOML file and ``STORYLINE_*`` env vars layer over them.

Precedence (last wins): defaults < ``storyline.toml`` (or the file in
``STORYLINE_CONFIG``) < environment variables < explicit keyword arguments.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import UsageError


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Every tunable of storyline. ``Settings.describe()`` lists them with help."""

    db: str = _setting("storyline.db", "Path of the SQLite store.")
    workers: int = _setting(0, "Worker processes for per-article work; 0 means one per core.")
    batch_size: int = _setting(32, "Articles sent to a worker at a time (and written per transaction).")
    max_input_bytes: int = _setting(20_000_000, "Largest single input (file, record, page) accepted, in bytes.")
    max_text_chars: int = _setting(2_000_000, "Largest clean article text kept, in characters; longer ones are skipped.")
    min_text_chars: int = _setting(40, "Shortest clean text stored as an article, in characters.")
    max_decompressed_bytes: int = _setting(
        4_000_000_000, "Most bytes one gzip file (JSONL, WARC) may expand to; past it the rest of a JSONL file, or "
                       "the whole WARC file, is skipped and recorded.")
    max_lines: int = _setting(
        1_000_000, "Most lines read from one JSON Lines file (blank ones count); the rest is skipped and recorded.")
    max_skips_per_input: int = _setting(
        1_000, "Skipped records of one input recorded one by one; past it they are counted in one summary record.")
    max_json_depth: int = _setting(
        100, "Deepest nesting of arrays and objects accepted in one JSON document or record.")
    max_json_number_chars: int = _setting(
        100, "Longest number accepted in JSON input, in characters (Python refuses integers over 4,300 digits).")
    max_elements: int = _setting(
        100_000, "Most HTML elements in one page or fragment; a page with more is skipped (extraction takes about "
                 "0.25 ms per element).")
    max_attributes: int = _setting(
        100, "Attributes kept per HTML element; the rest are dropped before parsing (parsers slow down "
             "quadratically with them).")
    analyse: bool = _setting(True, "Run the NLP stage (sentences, entities, quotes, dates) on every new article.")
    nlp_max_chars: int = _setting(200_000, "Characters of one article the NLP stage analyses at most (the rest is noted).")
    nlp_max_tokens: int = _setting(50_000, "Tokens of one article the NLP stage analyses at most (markup or "
                                           "symbol runs hold a token per character).")
    nlp_batch_size: int = _setting(32, "Texts per spaCy nlp.pipe batch inside a worker.")
    stories: bool = _setting(True, "After each ingest, place new articles in duplicate groups, events and storylines.")
    story_batch_size: int = _setting(256, "Articles embedded and placed per story transaction.")
    embed_ahead: bool = _setting(True, "During ingest, embed the stored articles for the story stage in the main "
                                       "process (one torch thread) while the worker processes parse; off: the "
                                       "story stage embeds them after ingest.")
    learn_boilerplate: bool = _setting(True, "Learn the lines each outlet repeats across its articles (newsletter "
                                             "pitches, credits, teasers) and remove them, also from articles "
                                             "stored before (the re-clean pass after each ingest).")
    boilerplate_min_articles: int = _setting(5, "Articles of one outlet (copies not counted) that must carry a line "
                                                "before it is learned as boilerplate.")
    fetch_timeout: float = _setting(20.0, "Seconds before a URL fetch gives up connecting or waiting for data; a whole "
                                          "response may take three times as long.")
    fetch_max_bytes: int = _setting(10_000_000, "Largest response body a URL fetch reads, in bytes.")
    fetch_max_redirects: int = _setting(5, "Redirects a URL fetch follows before giving up.")
    fetch_delay: float = _setting(1.0, "Seconds between two requests to the same host (politeness).")
    max_feed_fetches: int = _setting(
        1_000, "Linked pages fetched for one feed's teaser items; items past it are skipped and recorded.")
    allow_private: bool = _setting(
        False, "Let URL ingest (command line, feed links, POST /api/ingest) fetch loopback, private, link-local, "
               "multicast and reserved addresses, for intranet use; off, they are refused after DNS resolution "
               "and on every redirect.")
    allow_networks: str = _setting(
        "", "Networks (CIDR, comma-separated, e.g. 10.20.0.0/16) URL ingest may fetch even with allow_private off.")
    user_agent: str = _setting(
        "storyline/0.1 (+self-hosted news analysis)", "User-Agent sent with every HTTP request."
    )
    llm_base_url: str = _setting("", "Base URL of an OpenAI-compatible endpoint that may rewrite brief summaries "
                                     "(keeping every citation); empty: off. Key in STORYLINE_LLM_API_KEY.")
    llm_model: str = _setting("", "Model name sent to llm_base_url for brief rewrites.")

    @classmethod
    def describe(cls) -> dict[str, str]:
        """Name -> help text for every setting."""
        return {f.name: f.metadata["help"] for f in fields(cls)}

    @classmethod
    def load(cls, config: str | Path | None = None, **overrides: Any) -> "Settings":
        """Defaults, then the config file, then ``STORYLINE_*`` variables, then ``overrides``."""
        values: dict[str, Any] = {}
        path = Path(config or os.environ.get("STORYLINE_CONFIG", "storyline.toml"))
        if path.is_file():
            with path.open("rb") as fh:
                values.update(tomllib.load(fh))
        for f in fields(cls):
            env = os.environ.get(f"STORYLINE_{f.name.upper()}")
            if env is not None:
                values[f.name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        known = {f.name: f for f in fields(cls)}
        unknown = set(values) - set(known)
        if unknown:
            raise UsageError(f"unknown setting(s): {', '.join(sorted(unknown))}; see `storyline settings`")
        typed = {}
        for name, value in values.items():
            kind = type(known[name].default)
            try:
                if kind is bool and isinstance(value, str):
                    if value.strip().lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                        raise ValueError(value)
                    typed[name] = value.strip().lower() in ("1", "true", "yes", "on")
                    continue
                typed[name] = kind(value)
            except (TypeError, ValueError):
                raise UsageError(f"setting {name!r} must be a {kind.__name__}, got {value!r}") from None
        return replace(cls(), **typed)

    @property
    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)
