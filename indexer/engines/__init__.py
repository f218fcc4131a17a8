"""Opening an archive's index: the one place that chooses the engine.

Each generation folder holds one engine's index, named in its manifest (for Solr,
the pointer to its collection). The reading side follows the live generation, so a
rebuild with another engine is picked up by a running server like any other rebuild.
"""

from __future__ import annotations

import shlex
import shutil
import threading
from pathlib import Path

from indexer.engines import solr
from indexer.engines.base import Engine, IndexMissing, IndexOutdated, Snapshot, Store
from indexer.engines.solr import SolrReader, SolrStore, SolrTarget
from indexer.engines.solr_cluster import SolrError
from indexer.engines.tantivy import TantivyReader, TantivyStore
from indexer.engines.whoosh import WhooshReader, WhooshStore
from indexer.errors import HubbubError
from indexer.layout import IndexLayout

READERS = {"whoosh": WhooshReader, "tantivy": TantivyReader, "solr": SolrReader}
STORES = {"whoosh": WhooshStore, "tantivy": TantivyStore}
ENGINES = tuple(READERS)
DEFAULT_ENGINE = "whoosh"


class UnknownEngine(HubbubError, ValueError):
    """An engine name Hubbub does not have."""


def build_command(index_dir: Path, rebuild: bool = False) -> str:
    """The command that builds the index in `index_dir`, or rebuilds an outdated one."""
    flag = " --rebuild" if rebuild else ""
    return f"hubbub index{flag} --index {shlex.quote(str(index_dir))} corpus/"


def missing_state(outdated: bool = False) -> str:
    """Why there is nothing to search: no index yet, or one this version cannot read."""
    return "The index needs rebuilding" if outdated else "No index yet"


def no_index_message(index_dir: Path, outdated: bool = False) -> str:
    """What Hubbub says wherever it finds no index it can read, the command line and the
    site alike: the state, and the command that puts it right."""
    return f"{missing_state(outdated)}. Build it with: {build_command(index_dir, outdated)}"


def check_engine(name: str) -> str:
    if name not in READERS:
        raise UnknownEngine(f"There is no engine {name!r}: use one of {', '.join(ENGINES)}.")
    return name


class LiveIndex:
    """The reading side of an index folder: the live generation's engine, opened once
    and swapped when CURRENT points elsewhere. Checking costs a stat of CURRENT."""

    def __init__(self, index_dir: Path) -> None:
        self._layout = IndexLayout(index_dir)
        self._lock = threading.Lock()
        self._stamp: int | None = None
        self._reader = None
        self.snapshot()

    def _open_generation(self):
        generation = self._layout.current()
        if generation is None or not generation.is_dir():
            raise IndexMissing(no_index_message(self._layout.root))
        engine = check_engine(self._layout.read_manifest(generation).engine)
        try:
            return READERS[engine](generation)
        except IndexOutdated:
            raise
        except IndexMissing as error:
            raise IndexMissing(no_index_message(self._layout.root)) from error

    def snapshot(self) -> Snapshot:
        """The index as it is now; moves to a new generation when there is one."""
        with self._lock:
            stamp = self._layout.pointer_stamp()
            if self._reader is None or stamp != self._stamp:
                self._reader = self._open_generation()
                self._stamp = stamp
            reader = self._reader
        return reader.snapshot()


def open_engine(index_dir: Path) -> Engine:
    """The reading side of the index in `index_dir`; it follows later commits and rebuilds.

    :raise IndexMissing: when no index has been built there.
    """
    return LiveIndex(Path(index_dir))


def open_store(
    generation: Path, engine: str, create: bool = False, target: SolrTarget | None = None
) -> Store:
    """The writing side of one generation folder of an index, in the named engine;
    `target` says where a new Solr collection goes."""
    if check_engine(engine) == "solr":
        return SolrStore(generation, create=create, target=target)
    return STORES[engine](generation, create=create)


def size_on_disk(layout: IndexLayout, generation: Path) -> int:
    """Bytes a generation takes: its folder, and for Solr its collection on the nodes."""
    if (generation / solr.POINTER).is_file():
        try:
            return layout.size_on_disk(generation) + solr.collection_bytes(generation)
        except SolrError:
            pass
    return layout.size_on_disk(generation)


def discard(generation: Path) -> None:
    """Remove a generation that is no longer read, with its Solr collection if it has
    one; a collection the cluster cannot drop now keeps its folder, to be tried again."""
    if (generation / solr.POINTER).is_file():
        try:
            solr.discard(generation)
        except SolrError:
            return
    shutil.rmtree(generation, ignore_errors=True)
