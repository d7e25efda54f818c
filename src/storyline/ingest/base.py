"""What every reader shares: options, an ``InputError`` as a recorded ``Skip``, and the guard around each input."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
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


def internal(origin: str, exc: BaseException, what: str = "reading") -> Skip:
    """A failure nobody foresaw, recorded as ``internal`` with the exception class (the message cut short)."""
    message = str(exc).replace("\n", " ")
    if len(message) > 300:
        message = message[:300] + "…"
    return Skip(origin, "internal", f"{origin}: internal error while {what}: {type(exc).__name__}: {message}")


def guarded(origin: str, items: Iterable[Item], options: ReadOptions, *, must_yield: bool = True,
            check: bool = True) -> Items:
    """The items of one input, made safe for every later stage; never raises for what the input holds.

    1. every document has its lone surrogates replaced and, for markup, its attributes per element capped
       (see :mod:`storyline.ingest.limits`); every skip its lone surrogates;
    2. an exception a reader did not foresee ends this input with one ``internal`` skip: the documents it
       gave before are kept, the rest of this input is recorded as not read, and the batch goes on;
    3. an input that gave nothing at all (``must_yield``) is recorded as ``no-documents``: nothing vanishes;
    4. past ``max_skips_per_input`` skips, the rest are counted and recorded as one ``more-skips`` summary
       (a million bad lines are one million-line record, not a million rows).

    ``check=False`` leaves step 1 to inner guards (a directory walk guards each file).
    """
    from .limits import safe_document, scrub_skip

    given = skipped = 0
    beyond: Counter[str] = Counter()
    iterator = iter(items)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            break
        except InputError as exc:
            given += 1
            yield scrub_skip(skip(origin, exc))
            break
        except RecursionError:
            given += 1
            yield scrub_skip(Skip(origin, "too-deep", f"{origin}: nested too deeply to read (after {given - 1} "
                                                      "documents; the rest of this input was not read)"))
            break
        except Exception as exc:  # one hostile input must not stop the run
            given += 1
            yield scrub_skip(internal(origin, exc))
            break
        given += 1
        if not check:
            yield item
            continue
        try:
            safe = safe_document(item, options.settings) if isinstance(item, RawDocument) else scrub_skip(item)
        except Exception as exc:
            safe = scrub_skip(internal(getattr(item, "origin", origin), exc, "checking a document"))
        if isinstance(safe, Skip):
            skipped += 1
            if skipped > options.settings.max_skips_per_input:
                beyond[safe.code] += 1
                continue
        yield safe
    if beyond:
        codes = ", ".join(f"{code} {n:,}" for code, n in beyond.most_common())
        yield scrub_skip(Skip(origin, "more-skips", f"{origin}: {sum(beyond.values()):,} more records skipped "
                                                    f"({codes}), counted here rather than recorded one by one "
                                                    "(setting max_skips_per_input)"))
    if not given and must_yield:
        yield scrub_skip(Skip(origin, "no-documents", f"{origin}: nothing in it could be read as a document"))
