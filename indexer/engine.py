"""The engine boundary: what the rest of Hubbub asks of a full-text index.

Everything outside the engine modules speaks in `Document`s, query strings and
per-document facet columns, so a second engine can sit beside Whoosh. Reading
goes through a `Snapshot`, one consistent view of the index in which document
numbers stay valid; writing goes through a `Store`, one generation folder.
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
    """A query string the engine cannot parse; the message says what is wrong."""


@dataclass(frozen=True)
class FacetColumns:
    """Per-document facet keys, indexed by the snapshot's document number.

    `keys[name][docnum]` is the document's value ('' when it has none): "kind",
    "author" (folded), "article", "year", "month", "date" (own or article's, ISO),
    "own_date", "signed" (the first name signed, folded) and "copies" ("copied" when
    the comment was posted more than once). `labels[name]` maps a key to what a
    reader sees (the author as posted, the article's title).
    """

    keys: Mapping[str, Sequence[str]]
    labels: Mapping[str, Mapping[str, str]]


class Snapshot(Protocol):
    def matching(self, query: str, deadline: float | None = None) -> tuple[list[int], bool]:
        """Document numbers matching a query string ('' matches everything), and whether
        all of them were listed before `deadline` (a `time.monotonic()` value).

        :raise QuerySyntaxError: when the query cannot be parsed.
        """

    def facet_columns(self) -> FacetColumns: ...

    def ranked(
        self,
        query: str,
        docnums: set[int],
        sort: str,
        offset: int,
        limit: int,
        deadline: float | None = None,
    ) -> tuple[list[tuple[Document, str]], bool]:
        """One page of the given documents in `sort` order, each with its HTML snippet,
        and whether the ranking finished before `deadline`."""

    def documents(self, query: str, docnums: set[int], sort: str, limit: int) -> Iterator[Document]:
        """The given documents in `sort` order, without snippets: for exports."""

    def suggest(self, query: str) -> str | None:
        """The query with misspelt words replaced by the index's own, or None."""

    def thread(self, article_id: str) -> list[Document]:
        """An article's document and its comments, in thread order."""

    def doc_count(self) -> int: ...

    def sources(self) -> set[str]: ...


class Engine(Protocol):
    def snapshot(self) -> Snapshot:
        """The index as it is now; cheap to call on every request."""


class Store(Protocol):
    def replace_sources(
        self, documents: Mapping[str, Sequence[Document]], remove: Iterable[str] = ()
    ) -> None:
        """Drop the `remove` sources and make each given source's documents exactly
        these, in one atomic commit."""

    def generation(self) -> int:
        """A number that grows with every commit."""

    def comment_bodies(self) -> Iterator[tuple[str, str, str]]:
        """Every comment's id, body and present copy group."""

    def set_copy_groups(self, groups: Mapping[str, str]) -> None:
        """Give the comments these copy groups ('' for none), in one commit."""
