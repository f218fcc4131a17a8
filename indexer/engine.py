"""The engine boundary: what the rest of Hubbub asks of a full-text index.

Everything outside the engine module speaks in `Document`s, query strings and
per-document facet columns, so a second engine can sit beside Whoosh.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from indexer.documents import Document


class IndexMissing(Exception):
    """No index has been built in the folder asked for."""


class IndexLocked(Exception):
    """Another process is writing to the index."""


class QuerySyntaxError(ValueError):
    """A query string the engine cannot parse."""


@dataclass(frozen=True)
class FacetColumns:
    """Per-document facet keys, indexed by the engine's document number.

    `keys[facet][docnum]` is the document's value for that facet ('' when it has
    none); `labels[facet]` maps a key to what a reader sees (the author as posted,
    the article's title).
    """

    keys: Mapping[str, Sequence[str]]
    labels: Mapping[str, Mapping[str, str]]


class Engine(Protocol):
    def replace_sources(self, documents: Mapping[str, Sequence[Document]]) -> None:
        """Make each source's documents exactly the ones given, in one commit."""

    def remove_sources(self, sources: Iterable[str]) -> None: ...

    def matching(self, query: str) -> list[int]:
        """Document numbers matching a query string; '' matches everything.

        :raise QuerySyntaxError: when the query cannot be parsed.
        """

    def facet_columns(self) -> FacetColumns: ...

    def ranked(
        self, query: str, docnums: set[int], sort: str, offset: int, limit: int
    ) -> list[tuple[Document, str]]:
        """One page of the given documents in `sort` order, each with its HTML snippet."""

    def documents(self, query: str, docnums: set[int], sort: str, limit: int) -> Iterator[Document]:
        """The given documents in `sort` order, without snippets: for exports."""

    def suggest(self, query: str) -> str | None:
        """The query with misspelt words replaced by the index's own, or None."""

    def thread(self, article_id: str) -> list[Document]:
        """An article's document and its comments, in thread order."""

    def doc_count(self) -> int: ...

