"""What every reader shares: options, and turning an ``InputError`` into a recorded ``Skip``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
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
    #: The directory being walked (``source.txt`` files are looked for up to it).
    root: Path | None = None
    _folder_outlets: dict[Path, str | None] = field(default_factory=dict, repr=False)

    def outlet_for(self, path: Path) -> str | None:
        """The outlet for a file that names none: the ``source.txt`` of its folder or of the nearest folder
        above it inside the walked directory, else ``--outlet``."""
        folder = path.parent
        while True:
            if folder not in self._folder_outlets:
                self._folder_outlets[folder] = read_source_file(folder / SOURCE_FILE)
            if self._folder_outlets[folder]:
                return self._folder_outlets[folder]
            if self.root is None or folder == self.root or folder == folder.parent or self.root not in folder.parents:
                return self.outlet
            folder = folder.parent

    def get_fetcher(self) -> "Fetcher":
        if self.fetcher is None:
            from .urls import Fetcher

            self.fetcher = Fetcher(self.settings)
        return self.fetcher


#: A folder's outlet: a file of this name holding the outlet's name (its first line that is not a comment).
SOURCE_FILE = "source.txt"
#: A sidecar of metadata beside an article file: ``story.txt`` -> ``story.meta.json``.
SIDECAR_SUFFIX = ".meta.json"


def read_source_file(path: Path) -> str | None:
    """The outlet name a folder's ``source.txt`` holds (``Name`` or ``outlet: Name``), or ``None``."""
    try:
        if not path.is_file() or path.stat().st_size > 10_000:
            return None
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for line in lines:
        line = line.strip().lstrip("\ufeff")
        if line and not line.startswith("#"):
            key, sep, value = line.partition(":")
            name = value.strip() if sep and key.strip().lower() in ("outlet", "source", "site") else line
            return " ".join(name.split())[:200] or None
    return None


def is_convention_file(name: str) -> bool:
    """A folder's ``source.txt`` or a ``*.meta.json`` sidecar: metadata for other files, not an article."""
    return name == SOURCE_FILE or name.endswith(SIDECAR_SUFFIX)


def skip(origin: str, exc: InputError) -> Skip:
    return Skip(origin=origin, code=exc.code, reason=str(exc))
