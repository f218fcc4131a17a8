"""The library's front door: one archive's index folder and everything done with it.

    from indexer import Archive
    archive = Archive.open("instance/index")
    archive.index(["corpus"])
    result = archive.search(q="Putin", authors=["Umairpk"])
    print(result.total, [hit.document.author for hit in result.hits])

The command line, the web site and the benchmarks use only this class and the
values it returns. Reading opens the engine the index was built with on first use
and follows later commits and rebuilds; every error is a `HubbubError` whose message
says what to do.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from indexer.authors import AuthorProfile, SignatureProfile, author_profile, signature_profile
from indexer.documents import Document
from indexer.engines import SolrTarget, open_engine
from indexer.engines.base import Engine
from indexer.facets import FacetValue
from indexer.indexing import (
    LOCK_WAIT_SECONDS,
    IndexSummary,
    Progress,
    index_paths,
    index_records,
    remove_paths,
)
from indexer.records import Article
from indexer.replies import ReplyGraph, article_graph, author_graph
from indexer.search import (
    EXPORT_CAP,
    Newest,
    SearchRequest,
    SearchResult,
    export_documents,
    facet_values,
    newest_documents,
    search,
)
from indexer.stats import IndexStats, index_stats
from indexer.threads import Thread, get_thread


class Archive:
    """An index folder, read and written through one object. Cheap to make; the index
    is opened when first read, once, and shared by every thread."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path | str) -> Archive:
        """The archive whose index is (or will be) in the folder `path`."""
        return cls(path)

    def open_index(self) -> Engine:
        """The reading side of the index, opened on first use (or now, to know early).

        :raise IndexMissing: while no index has been built (tried again next time).
        """
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = open_engine(self.path)
        return self._engine

    @property
    def engine(self) -> Engine:
        return self.open_index()

    def index(
        self,
        paths: Iterable[Path | str],
        rebuild: bool = False,
        engine: str | None = None,
        progress: Progress | None = None,
        wait: float = LOCK_WAIT_SECONDS,
        workers: int | None = None,
        command: str = "",
        solr: SolrTarget | None = None,
        column_map: Mapping[str, str] | None = None,
        max_file_bytes: int | None = None,
    ) -> IndexSummary:
        """Bring the index up to date with the archive files under `paths` (see
        `indexer.indexing.index_paths` for each option)."""
        return index_paths(
            [Path(path) for path in paths],
            self.path,
            rebuild=rebuild,
            progress=progress,
            wait=wait,
            command=command,
            engine=engine,
            workers=workers,
            solr=solr,
            column_map=column_map,
            max_file_bytes=max_file_bytes,
        )

    def add_records(
        self,
        articles: Iterable[Article],
        source: str,
        wait: float = LOCK_WAIT_SECONDS,
        engine: str | None = None,
    ) -> None:
        """Put articles made in code into the index, as the documents of `source`."""
        index_records(articles, self.path, source, wait=wait, engine=engine)

    def remove(self, paths: Iterable[Path | str], wait: float = LOCK_WAIT_SECONDS) -> IndexSummary:
        """Drop the documents of the given files, or of every file under given folders."""
        return remove_paths([Path(path) for path in paths], self.path, wait=wait)

    def search(self, request: SearchRequest | None = None, **options: object) -> SearchResult:
        """One page of a search: a `SearchRequest`, or its fields as keywords
        (`archive.search(q="Putin", authors=["Umairpk"], page=2)`)."""
        return search(self.engine, request or search_request(**options))

    def facet_values(
        self,
        request: SearchRequest,
        name: str,
        contains: str = "",
        limit: int = 500,
        offset: int = 0,
    ) -> tuple[list[FacetValue], int]:
        """One facet's values past the top ones, narrowed to labels holding `contains`,
        `limit` of them from the `offset`-th on."""
        return facet_values(self.engine, request, name, contains, limit, offset)

    def export(
        self, request: SearchRequest, cap: int = EXPORT_CAP
    ) -> tuple[int, Iterator[Document]]:
        """Every document a search selects, up to `cap`, in its order; and how many it selects."""
        return export_documents(self.engine, request, cap)

    def newest(self, request: SearchRequest, count: int) -> Newest:
        """The `count` newest documents a search selects: a feed's."""
        return newest_documents(self.engine, request, count)

    def thread(self, article_id: str) -> Thread | None:
        """An article with its comments in thread order; None when there is no such article."""
        return get_thread(self.engine, article_id)

    def author(self, name: str) -> AuthorProfile | None:
        """What one commenter wrote, where and when; None for a name never seen."""
        return author_profile(self.engine, name)

    def signature(self, name: str) -> SignatureProfile | None:
        """The comments signed with a name; None for a name never signed."""
        return signature_profile(self.engine, name)

    def thread_graph(self, article_id: str) -> ReplyGraph:
        """Who answers whom in one thread."""
        return article_graph(self.engine, article_id)

    def author_graph(self, name: str) -> ReplyGraph:
        """Whom one commenter answers, and who answers them."""
        return author_graph(self.engine, name)

    def stats(self) -> IndexStats:
        """What the index holds, its files and its generations on disk."""
        return index_stats(self.path)


def search_request(**options: object) -> SearchRequest:
    """A request from keywords; lists become the tuples a request holds."""
    fields = {name: tuple(v) if isinstance(v, list) else v for name, v in options.items()}
    return SearchRequest(**fields)
