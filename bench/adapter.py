"""The one small interface every measured engine implements, Hubbub and peers alike.

The runner only builds, opens and queries through it, so another engine (a Hubbub
engine on tantivy, say) is measured by adding one adapter class and naming it in
`bench.engines.ENGINES`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from indexer import Article

PLAIN = "plain"
FACETS = "facets"
HIGHLIGHTS = "highlights"
AUTHOR = "author"
DATES = "dates"
WILDCARD = "wildcard"
FUZZY = "fuzzy"
NOHIT = "nohit"
KINDS = (PLAIN, FACETS, HIGHLIGHTS, AUTHOR, DATES, WILDCARD, FUZZY, NOHIT)
"""What each query asks for. Every kind returns the top 10 and the exact number of hits:
`facets` adds the top 20 authors and the count per year, `highlights` a snippet for
each of the 10, `author` and `dates` filter, `wildcard` is a three-letter prefix,
`fuzzy` a misspelt word within one edit (`govrnment~1`), `nohit` words no document
holds."""

TOP = 10
TOP_AUTHORS = 20


@dataclass(frozen=True)
class Query:
    """One query of the mix; `text` is words (AND-ed), a prefix ending in `*` or a word
    ending in `~1`."""

    kind: str
    text: str
    author: str | None = None
    after: date | None = None
    before: date | None = None


@dataclass(frozen=True)
class Answer:
    """What a query returned: enough to check that the engines did comparable work."""

    total: int
    ids: tuple[str, ...]
    extras: int = 0  # facet values or snippets produced


class Adapter(Protocol):
    name: str
    """How the report names the engine."""
    kinds: tuple[str, ...]
    """The kinds of query the engine can run; the report shows the others as not measured."""

    def build(self, articles: Sequence[Article], folder: Path) -> None:
        """Index every article and comment into a new index in `folder` (timed)."""

    def open(self, folder: Path) -> None:
        """Open the index in `folder` for querying (timed apart from the queries)."""

    def query(self, query: Query) -> Answer:
        """Run one query of the mix."""

    def close(self) -> None: ...
