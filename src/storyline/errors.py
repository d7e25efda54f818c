"""storyline's exceptions, one hierarchy.

::

    StorylineError
     +-- UsageError              bad arguments or settings (CLI exit code 2)
     |    +-- CorrectionRefused  a correction naming an unknown id or conflicting with another
     +-- StoreError              the database cannot be opened or upgraded
     +-- NotFound                an id that is not in the store
     +-- InputError              one input cannot be used; recorded and skipped
          +-- UnsupportedInput   binary, unknown type, disallowed URL scheme
          +-- EmptyInput         nothing (or no text) in it
          +-- TooLarge           over the size cap
          +-- DecodeError        not decodable text, broken gzip/JSON/WARC/feed
          +-- FetchError         HTTP error status, time-out, too many redirects
               +-- RefusedAddress  a URL whose host is loopback, private, link-local, multicast or reserved

Every ``InputError`` carries a short machine ``code`` (stored in
``ingest_errors.code``) and a message that says what was wrong. Anything else
raised while one document is read or processed is recorded as that document's
skip with code ``internal`` and the exception class in its reason.

CLI exit codes: 0 every input went in; 1 some inputs were skipped (each one
recorded) or a lookup found nothing; 2 usage error; 3 the run itself failed
(the store, the disk, an interruption, a crash).
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class of every error storyline raises on purpose."""


class UsageError(StorylineError):
    """The caller asked for something impossible; the message says what to change."""


class CorrectionRefused(UsageError):
    """An analyst's correction that cannot be applied (an id that does not exist, or one that conflicts
    with an earlier correction); nothing was changed."""


class StoreError(StorylineError):
    """The store cannot be opened, read or upgraded."""


class NotFound(StorylineError):
    """An id that is not in the store."""


class InputError(StorylineError):
    """One input cannot be used. Batch work records it and goes on."""

    code = "input"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class UnsupportedInput(InputError):
    code = "unsupported"


class EmptyInput(InputError):
    code = "empty"


class TooLarge(InputError):
    code = "too-large"


class DecodeError(InputError):
    code = "decode"


class FetchError(InputError):
    code = "fetch"


class RefusedAddress(FetchError):
    """A URL (or a redirect hop) whose host resolves to an address the URL policy refuses (setting allow_private)."""

    code = "private-address"
