"""Hubbub's library: archive files in, a searchable index of articles and comments out.

`Archive` is the front door (see `indexer.archive`); the names below are the values it
takes and returns, and the errors it raises, all of them `HubbubError`s.
"""

from indexer.archive import Archive, search_request
from indexer.authors import AuthorProfile, SignatureProfile
from indexer.cli import cli as command_line
from indexer.cli import index_option
from indexer.documents import ARTICLE, COMMENT, Document, fold_author, iso_date
from indexer.engines import (
    DEFAULT_ENGINE,
    ENGINES,
    UnknownEngine,
    build_command,
    missing_state,
    no_index_message,
)
from indexer.engines.base import (
    EngineUnavailable,
    IndexLocked,
    IndexMissing,
    IndexOutdated,
    QuerySyntaxError,
)
from indexer.engines.solr import SolrTarget
from indexer.engines.solr_cluster import SolrError
from indexer.errors import HubbubError
from indexer.facets import FACET_LIMIT, FacetValue, MonthFacet
from indexer.indexing import LOCK_WAIT_SECONDS, EngineMismatch, IndexSummary
from indexer.layout import left_out_note
from indexer.readers import ReaderError, read_file
from indexer.readers.encoding import decode_bytes
from indexer.readers.html import parse_html
from indexer.records import Article, Comment
from indexer.replies import ReplyGraph
from indexer.search import (
    EXPORT_CAP,
    SORTS,
    Hit,
    InvalidRequest,
    Newest,
    SearchRequest,
    SearchResult,
    date_bound,
)
from indexer.snippets import Passage
from indexer.stats import IndexStats
from indexer.threads import Thread

__all__ = [
    "ARTICLE",
    "COMMENT",
    "DEFAULT_ENGINE",
    "ENGINES",
    "EXPORT_CAP",
    "FACET_LIMIT",
    "LOCK_WAIT_SECONDS",
    "SORTS",
    "Archive",
    "Article",
    "AuthorProfile",
    "Comment",
    "Document",
    "EngineMismatch",
    "EngineUnavailable",
    "FacetValue",
    "Hit",
    "HubbubError",
    "IndexLocked",
    "IndexMissing",
    "IndexOutdated",
    "IndexStats",
    "IndexSummary",
    "InvalidRequest",
    "MonthFacet",
    "Newest",
    "Passage",
    "QuerySyntaxError",
    "ReaderError",
    "ReplyGraph",
    "SearchRequest",
    "SearchResult",
    "SignatureProfile",
    "SolrError",
    "SolrTarget",
    "Thread",
    "UnknownEngine",
    "build_command",
    "command_line",
    "date_bound",
    "decode_bytes",
    "fold_author",
    "index_option",
    "iso_date",
    "left_out_note",
    "missing_state",
    "no_index_message",
    "parse_html",
    "read_file",
    "search_request",
]
