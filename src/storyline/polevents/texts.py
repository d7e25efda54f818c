"""Coding any text without a store: sentences or short reports in, their political events out.

``read_items`` turns JSON Lines (``{"id", "text", "date"?}``) or plain lines into items, reporting a bad line
and going on; ``code_texts`` parses items in batches (one ``nlp.pipe`` per batch, the model loaded once)
and yields one record per item, ``{id, events}``, each sentence's main event first (see ``coder``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from ..errors import DecodeError, UsageError
from ..records import PolEvent

#: Items parsed together (one ``nlp.pipe`` call).
BATCH = 64


@dataclass(frozen=True)
class Item:
    """One text to code: its id (the caller's, else its line number), the text, and its date (or ``None``)."""

    id: object
    text: str
    date: str | None = None


def parse_day(value: object, where: str) -> str:
    """``value`` as a ``YYYY-MM-DD`` day, or a ``UsageError`` saying where it came from."""
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise UsageError(f"{where}: date must be YYYY-MM-DD, not {value!r}") from None


def item_of(value: object, index: int, default_date: str | None = None) -> Item:
    """An ``Item`` from a string or a ``{"id", "text", "date"?}`` mapping (``index`` numbers it from 1)."""
    if isinstance(value, str):
        return Item(index, value, default_date)
    if not isinstance(value, dict):
        raise DecodeError(f"item {index}: expected a text or an object with a \"text\", got {type(value).__name__}")
    text = value.get("text")
    if not isinstance(text, str):
        raise DecodeError(f"item {index}: \"text\" must be a string")
    day = value.get("date")
    return Item(value.get("id", index), text, parse_day(day, f"item {index}") if day else default_date)


def read_items(lines: Iterable[str], default_date: str | None = None,
               on_error: Callable[[int, str], None] | None = None) -> Iterator[Item]:
    """Items of JSON Lines or plain lines: a line starting with ``{`` is a JSON object, any other non-blank
    line a text whose id is its line number. A bad line is passed to ``on_error(line_number, message)`` and
    skipped."""
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        try:
            if line.startswith("{"):
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DecodeError(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})") from None
                yield item_of(value, number, default_date)
            else:
                yield Item(number, line, default_date)
        except (DecodeError, UsageError) as exc:
            message = str(exc) if str(exc).startswith("line ") else f"line {number}: {str(exc).split(': ', 1)[-1]}"
            if on_error is None:
                raise DecodeError(message) from None
            on_error(number, message)


def event_json(event: PolEvent) -> dict:
    """The public form of one coded event (``start``/``end``: the trigger's offsets in the text)."""
    target = None
    if event.target_text is not None:
        target = {"name": event.target_name, "country": event.target_country, "sector": event.target_sector}
    return {"event_type": event.event_type, "mode": event.mode, "negated": event.negated, "hedged": event.hedged,
            "source": {"name": event.source_name, "country": event.source_country, "sector": event.source_sector},
            "target": target, "trigger": event.action, "start": event.trigger_start, "end": event.trigger_end}


def code_texts(items: Iterable[Item], batch: int = BATCH) -> Iterator[dict]:
    """``{"id", "events"}`` for each item, in input order; each text is taken as event reports (the coder's
    sentence fallback is on: a sentence with no coded clause gets its governing event word)."""
    from ..extract.timex import find_times
    from ..nlp.entities import find_mentions
    from ..nlp.model import load_nlp
    from ..records import Sentence
    from .coder import code_events

    nlp = load_nlp()
    chunk: list[Item] = []

    def flush() -> Iterator[dict]:
        for item, doc in zip(chunk, nlp.pipe([i.text for i in chunk])):
            sentences = tuple(Sentence(i, s.start_char, s.end_char) for i, s in enumerate(doc.sents))
            reference = date.fromisoformat(item.date) if item.date else None
            mentions = find_mentions(doc, sentences)
            times = find_times(doc.text, reference, sentences=sentences)
            events = code_events(doc, mentions, times, item.date, fallback=True)
            yield {"id": item.id, "events": [event_json(e) for e in events]}
        chunk.clear()

    for item in items:
        chunk.append(item)
        if len(chunk) >= batch:
            yield from flush()
    if chunk:
        yield from flush()
