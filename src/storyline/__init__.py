"""storyline: self-hosted news intelligence. Messy news input in; storylines, who said what, cited briefs out."""

from .api import (
    article, articles, duplicates, entities, entity, event, export, ingest, open_store, quotes, restructure,
    sample_corpus, search, statements, stories, story, update_stories,
)
from .engines.local import IngestReport
from .errors import (
    DecodeError, EmptyInput, FetchError, InputError, NotFound, StoreError, StorylineError, TooLarge,
    UnsupportedInput, UsageError,
)
from .pipeline import process
from .records import Article, Block, RawDocument, RemovedLine, Skip
from .settings import Settings
from .store import SearchHit, Store, StoredArticle

__version__ = "0.1.0"

__all__ = [
    "Article", "Block", "DecodeError", "EmptyInput", "FetchError", "IngestReport", "InputError", "NotFound",
    "RawDocument", "RemovedLine", "SearchHit", "Settings", "Skip", "Store", "StoredArticle", "StoreError",
    "StorylineError", "TooLarge", "UnsupportedInput", "UsageError", "__version__", "article", "articles",
    "entities", "entity", "export", "ingest", "open_store", "process", "quotes", "sample_corpus", "search", "statements",
    "duplicates", "event", "restructure", "stories", "story", "update_stories",
]
