"""The engines a run can measure, by the name `--engines` takes."""

from __future__ import annotations

from bench.adapter import Adapter
from bench.hubbub import Hubbub
from bench.hubbub_tantivy import HubbubTantivy
from bench.peers import PlainWhoosh, SqliteFts, Tantivy

ENGINES: dict[str, type[Adapter]] = {
    "hubbub": Hubbub,
    "hubbub-tantivy": HubbubTantivy,
    "whoosh": PlainWhoosh,
    "sqlite": SqliteFts,
    "tantivy": Tantivy,
}
BASELINE = "whoosh"
"""Every ratio in the report is against plain Whoosh measured in the same run."""
