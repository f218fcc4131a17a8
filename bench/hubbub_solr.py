"""Hubbub on its Solr engine, measured like `bench.hubbub.Hubbub`: the same library calls
(`Archive.add_records` to build, `search` to query) against a SolrCloud whose nodes
HUBBUB_SOLR names (`bench.solr` starts one of two nodes).

`add_records` makes a new collection of one shard; the library's way to shape one is
`Archive.index(..., solr=SolrTarget(...))`, so the build first indexes no files with
two shards and one replica, which creates the empty collection (one per node) and
publishes it, then adds the records to it. The raw Solr peer's build creates its
collection too, so both builds include that step.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bench.hubbub import SOURCE, Hubbub
from indexer import Archive, Article, SolrTarget

SHARDS = 2
REPLICAS = 1


class HubbubSolr(Hubbub):
    name = "Hubbub (Solr)"

    def build(self, articles: Sequence[Article], folder: Path) -> None:
        archive = Archive.open(folder)
        archive.index([], engine="solr", solr=SolrTarget(shards=SHARDS, replicas=REPLICAS))
        archive.add_records(articles, SOURCE, engine="solr")
