"""The engines a run can measure, by the name `--engines` takes."""

from __future__ import annotations

from bench.adapter import Adapter
from bench.hubbub import Hubbub
from bench.hubbub_solr import HubbubSolr
from bench.hubbub_tantivy import HubbubTantivy
from bench.peers import PlainWhoosh, RawSolr, SqliteFts, Tantivy

ENGINES: dict[str, type[Adapter]] = {
    "hubbub": Hubbub,
    "hubbub-tantivy": HubbubTantivy,
    "whoosh": PlainWhoosh,
    "sqlite": SqliteFts,
    "tantivy": Tantivy,
    "hubbub-solr": HubbubSolr,
    "solr": RawSolr,
}
SOLR_ENGINES = ("hubbub-solr", "solr")
"""These need a running SolrCloud named by HUBBUB_SOLR: `make bench-solr` starts one."""
DEFAULT_ENGINES = tuple(name for name in ENGINES if name not in SOLR_ENGINES)
"""What `bench.run` measures unless `--engines` says otherwise."""
BASELINE = "whoosh"
"""Every ratio in the report is against plain Whoosh measured in the same run."""
