"""Opening an archive's index: the one place that chooses the engine."""

from __future__ import annotations

from pathlib import Path

from indexer.engine import Engine, Store
from indexer.whoosh_engine import WhooshEngine, WhooshStore


def open_engine(index_dir: Path) -> Engine:
    """The reading side of the index in `index_dir`; it follows later commits and rebuilds.

    :raise IndexMissing: when no index has been built there.
    """
    return WhooshEngine.open(Path(index_dir))


def open_store(generation: Path, create: bool = False) -> Store:
    """The writing side of one generation folder of an index."""
    return WhooshStore(generation, create=create)
