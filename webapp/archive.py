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


def index_outdated() -> bool:
    """Whether the index folder holds an index built by an earlier, unreadable version."""
    return current_app.extensions[EXTENSION].outdated


def build_command() -> str:
    """The command that builds this site's index, or rebuilds an outdated one: what the
    empty states tell the reader."""
    shared = current_app.extensions[EXTENSION]
    rebuild = " --rebuild" if shared.outdated else ""
    return f"hubbub index{rebuild} --index {shlex.quote(str(shared.index_dir))} corpus/"


def require_engine() -> Engine:
    """The shared engine for views that cannot do without one.

    :raise 503: while no index has been built, naming the command that builds it.
    """
    engine = get_engine()
    if engine is None:
        state = "The index needs rebuilding" if index_outdated() else "There is no index yet"
        abort(503, f"{state}. Build it with: {build_command()}")
    return engine
