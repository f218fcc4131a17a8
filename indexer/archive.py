"""Opening an archive's index: the one place that chooses the engine."""

from __future__ import annotations

from pathlib import Path

from indexer.engine import Engine
from indexer.whoosh_engine import WhooshEngine


def open_engine(index_dir: Path, create: bool = False) -> Engine:
    """Open the index in `index_dir`, creating an empty one when asked.

    :raise IndexMissing: when there is no index and `create` is false.
    """
    return WhooshEngine.open(Path(index_dir), create=create)
