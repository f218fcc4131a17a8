"""The engine boundary: what the rest of Hubbub asks of a full-text index.

Everything outside the engine modules speaks in `Document`s, query strings, facet
keys and counts, so engines can sit side by side (Whoosh, tantivy, Solr). Reading goes
through a `Snapshot`, one consistent view of the index; a snapshot `select`s the
documents of a query and its filters, counting facets inside the engine, and the
`Matches` it returns rank and export them. Writing goes through a `Store`, one
generation folder.

Facet keys are engine-neutral (`indexer.facets.facet_keys`): "kind", "author"
(folded), "article", "year", "month", "date" (own or article's, ISO), "own_date",
"signed" (the first name signed, folded) and "copies" ("copied" for a comment
posted more than once).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from indexer.documents import Document
from indexer.errors import HubbubError
from indexer.snippets import Passage


def cache_entries(default: int) -> int:
    """How many recent results a cache keeps: `default`, or none when the environment
    has HUBBUB_CACHE=0, to measure the engines rather than the caches."""
    return 0 if os.environ.get("HUBBUB_CACHE", "").strip().lower() in ("0", "off") else default


class IndexMissing(HubbubError):
    """No index has been built in the folder asked for."""


class IndexOutdated(IndexMissing):
    """The folder holds an index in a layout this version of Hubbub does not read."""

    @classmethod
    def at(cls, index_dir: Path) -> IndexOutdated:
        """The error for the index in `index_dir`, naming the command that rebuilds it."""
        return cls(
            f"The index in {index_dir} was built by an earlier version of Hubbub;"
            " rebuild it with 'hubbub index --rebuild'."
        )


class IndexLocked(HubbubError):
    """Another process is writing to the index."""


class EngineUnavailable(HubbubError):
    """The engine cannot be reached now (a search cluster whose nodes do not answer);
    the index itself is unharmed, and asking again later may work."""


class QuerySyntaxError(HubbubError, ValueError):
    """A query string the engine cannot parse; the message says what is wrong."""


@dataclass(frozen=True)
class Filters:
    """What a selection keeps besides matching the query.

    `chosen[facet]` holds the facet keys chosen for it: a document passes when its
    key is one of them (chosen values OR together; facets AND). `after` and `before`
    bound the document's own-or-article date, both days included; a document
    without a date is then left out.
    """

    chosen: Mapping[str, frozenset[str]] = field(default_factory=dict)
    after: date | None = None
    before: date | None = None

    def active(self) -> dict[str, frozenset[str]]:
        return {name: keys for name, keys in self.chosen.items() if keys}


@dataclass(frozen=True)
class PageWanted:
    """The page a caller will rank once it has the selection: an engine that can fetch
    it with the selection's own request does, and `Matches.ranked` then returns it."""

    sort: str
    offset: int
    limit: int
    highlight: bool = True


class Matches(Protocol):
    """The documents a query and filters select within one snapshot.

    `counts[facet]` maps keys to documents for each facet asked for, counted over
    the documents passing every filter but that facet's own, so chosen values keep
    their counts and the others stay addable; documents without a key are not
    counted. Each facet holds at least its `limit` most frequent keys and every
    chosen key.
    """

    total: int
    counts: Mapping[str, Mapping[str, int]]
    complete: bool  # False when the time ran out before every match was listed

    def article_count(self) -> int:
        """The articles the selected documents belong to; asked for only where shown,
        as an engine may have to count them apart."""

    def ranked(
        self,
        sort: str,
        offset: int,
        limit: int,
        deadline: float | None = None,
        highlight: bool = True,
    ) -> tuple[list[tuple[Document, Passage | None]], bool]:
        """One page in `sort` order, each with its best passages and their matches (None
        unless `highlight`, or when no match could be placed), and whether the ranking
        finished before `deadline` (a `time.monotonic()` value)."""

    def documents(self, sort: str, limit: int) -> Iterator[Document]:
        """The selected documents in `sort` order, without snippets: for exports."""

    def article_counts(self, article_ids: Collection[str]) -> dict[str, int]:
        """Selected documents per article, for the given articles."""

    def distinct(self, facet: str) -> int:
        """How many keys a counted facet has among the documents it was counted over, all
        of them, where `counts` may hold only the most frequent: asked for only where
        shown, as an engine may have to count them apart."""


class Snapshot(Protocol):
    def select(
        self,
        query: str,
        filters: Filters,
        facets: Mapping[str, int],
        deadline: float | None = None,
        page: PageWanted | None = None,
    ) -> Matches:
        """The documents matching `query` ('' matches everything) that pass `filters`,
        with the `facets` named counted (facet name to its limit). `page` may be fetched
        at once, where one request can do both (Solr's).

        :raise QuerySyntaxError: when the query cannot be parsed.
        """

    def labels(self, facet: str, keys: Collection[str]) -> Mapping[str, str]:
        """What a reader sees for some of a facet's keys: for "author" and "signed" the
        name as most often written, for "article" the title. Keys without a label
        are left out."""

    def suggest(self, query: str, deadline: float | None = None) -> str | None:
        """The query with misspelt words replaced by the index's own, or None; no word
        is looked up after `deadline` (a `time.monotonic()` value)."""

    def thread(self, article_id: str) -> list[Document]:
        """An article's document and its comments, in thread order."""

    def doc_count(self) -> int: ...


class Engine(Protocol):
    def snapshot(self) -> Snapshot:
        """The index as it is now; cheap to call on every request."""


class Store(Protocol):
    def replace_sources(
        self,
        documents: Mapping[str, Iterable[Document]],
        remove: Iterable[str] = (),
        appended: Collection[str] = (),
    ) -> None:
        """Drop the `remove` sources and make each given source's documents exactly
        these, in one atomic commit; the documents of an `appended` source join those
        the index holds of it (a file too large for one commit, committed in parts), each
        replacing any of the same id (a part a stopped run committed, read again).

        Each source's documents are read once, as they come, so a generator of them is
        never held in memory whole."""

    def publish(self) -> None:
        """Make this generation the one readers search, before the index folder's
        pointer moves to it: where the engine has its own pointer (a Solr alias)."""

    def generation(self) -> int:
        """A number that grows with every commit."""

    def close(self) -> None:
        """Let go of what writing holds, waiting for any work the engine does after a
        commit in the background; a later write takes it up again."""

    def comment_bodies(self) -> Iterator[tuple[str, str, str]]:
        """Every comment's id, body and present copy group."""

    def set_copy_groups(self, groups: Mapping[str, str]) -> None:
        """Give the comments these copy groups ('' for none), in one commit."""

    def article_documents(
        self, article_ids: Collection[str], kind: str | None = None
    ) -> Iterator[Document]:
        """Every document of these articles, of `kind` only when it is given, from any
        source, as last committed. Indexing asks, so that one article is not indexed
        twice, and to join the parts of split threads."""
