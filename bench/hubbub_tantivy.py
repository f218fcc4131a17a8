"""Hubbub on its tantivy engine, measured like `bench.hubbub.Hubbub`: the same library
calls (`Archive.add_records` to build, `search` to query), only the index is built with
`engine="tantivy"`; opening and searching then follow the index's own engine."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bench.hubbub import SOURCE, Hubbub
from indexer import Archive, Article


class HubbubTantivy(Hubbub):
    name = "Hubbub (tantivy)"

    def build(self, articles: Sequence[Article], folder: Path) -> None:
        Archive.open(folder).add_records(articles, SOURCE, engine="tantivy")
