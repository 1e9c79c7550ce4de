"""People search: typo-tolerant, accent/width/case-insensitive, any script, indexed.

``SearchIndex.build(docs)`` then ``index.search("mrgo fair")``; see ``index`` for the
matching and ranking rules and the design.
"""

from .index import SearchIndex
from .model import SearchCancelled, SearchDoc, SearchResult
from .normalize import normalize

__all__ = ["SearchCancelled", "SearchDoc", "SearchIndex", "SearchResult", "normalize"]
