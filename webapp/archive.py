"""The archive's index as the site's one shared resource, like flaskr's `db.py`.

Opening a searcher costs about 200 ms on a large index, so the engine is opened
once per app, on first use, and shared by every request and thread; it refreshes
itself when the index changes.
"""

from __future__ import annotations

import shlex
import threading
from pathlib import Path

from flask import Flask, abort, current_app

from indexer.archive import open_engine
from indexer.engine import Engine, IndexMissing

EXTENSION = "hubbub.archive"


class SharedEngine:
    """The app's engine slot; the lock keeps two first requests from opening it twice."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.engine: Engine | None = None
        self.lock = threading.Lock()

    def get(self) -> Engine | None:
        if self.engine is None:
            with self.lock:
                if self.engine is None:
                    try:
                        self.engine = open_engine(self.index_dir)
                    except IndexMissing:
                        return None  # asked again next time: the index may be built meanwhile
        return self.engine


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = SharedEngine(Path(app.config["INDEX_DIR"]).resolve())


def get_engine() -> Engine | None:
    """The app's shared engine, or None while no index has been built."""
    return current_app.extensions[EXTENSION].get()


def build_command() -> str:
    """The command that builds this site's index: what the empty states tell the reader."""
    index_dir = current_app.extensions[EXTENSION].index_dir
    return f"hubbub index --index {shlex.quote(str(index_dir))} corpus/"


def require_engine() -> Engine:
    """The shared engine for views that cannot do without one.

    :raise 503: while no index has been built, naming the command that builds it.
    """
    engine = get_engine()
    if engine is None:
        abort(503, f"There is no index yet. Build it with: {build_command()}")
    return engine
