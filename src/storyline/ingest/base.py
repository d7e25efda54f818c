"""What every reader shares: options, and turning an ``InputError`` into a recorded ``Skip``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import InputError
from ..records import RawDocument, Skip
from ..settings import Settings

if TYPE_CHECKING:
    from .urls import Fetcher

Item = RawDocument | Skip
Items = Iterator[Item]


@dataclass
class ReadOptions:
    """How readers read: limits, JSON field paths, defaults for missing metadata."""

    settings: Settings = field(default_factory=Settings)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    #: JSON field overrides, name -> dotted path (``--field text=data.body``).
    fields: dict[str, str] = field(default_factory=dict)
    #: Outlet to use when an input names none (``--outlet``).
    outlet: str | None = None
    #: Lazily created HTTP fetcher shared by URL, feed and link reads.
    fetcher: "Fetcher | None" = None

    def get_fetcher(self) -> "Fetcher":
        if self.fetcher is None:
            from .urls import Fetcher

            self.fetcher = Fetcher(self.settings)
        return self.fetcher


def skip(origin: str, exc: InputError) -> Skip:
    return Skip(origin=origin, code=exc.code, reason=str(exc))
