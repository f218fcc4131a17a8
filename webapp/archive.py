"""The archive's index as the site's one shared resource, like flaskr's `db.py`.

Opening a searcher costs about 200 ms on a large index, so the engine is opened
once per app, on first use, and shared by every request and thread; it refreshes
itself when the index changes.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app
from werkzeug.exceptions import ServiceUnavailable

from indexer.archive import build_command, missing_state, no_index_message, open_engine
from indexer.engine import Engine, IndexMissing, IndexOutdated

EXTENSION = "hubbub.archive"


class SharedEngine:
    """The app's engine slot; the lock keeps two first requests from opening it twice."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.engine: Engine | None = None
        self.outdated = False  # the folder holds an index this version cannot read
        self.lock = threading.Lock()

    def get(self) -> Engine | None:
        if self.engine is None:
            with self.lock:
                if self.engine is None:
                    try:
                        self.engine = open_engine(self.index_dir)
                    except IndexMissing as error:
                        # Asked again next time: the index may be built meanwhile.
                        self.outdated = isinstance(error, IndexOutdated)
                        return None
        return self.engine


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = SharedEngine(Path(app.config["INDEX_DIR"]).resolve())


def get_engine() -> Engine | None:
    """The app's shared engine, or None while no index has been built."""
    return current_app.extensions[EXTENSION].get()


class NoIndex(ServiceUnavailable):
    """No index the site can read, so nothing to show: every page and JSON route answers
    503 with the same message, pages as the empty state naming the command."""

    def __init__(self, index_dir: Path, outdated: bool) -> None:
        super().__init__(no_index_message(index_dir, outdated))
        self.state = missing_state(outdated)
        self.command = build_command(index_dir, outdated)
        self.outdated = outdated


def missing_index() -> NoIndex:
    """What the site says while it has no index it can read."""
    shared = current_app.extensions[EXTENSION]
    return NoIndex(shared.index_dir, shared.outdated)


def require_engine() -> Engine:
    """The shared engine, for every view that reads the archive.

    :raise NoIndex: while no index can be read, naming the command that builds it.
    """
    engine = get_engine()
    if engine is None:
        raise missing_index()
    return engine
