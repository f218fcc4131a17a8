"""The archive as the site's one shared resource, like flaskr's `db.py`.

Opening a searcher costs about 200 ms on a large index, so the archive is opened
once per app, on first use, and shared by every request and thread; it follows
the index's later commits and rebuilds itself.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from werkzeug.exceptions import ServiceUnavailable

from indexer import (
    Archive,
    IndexMissing,
    IndexOutdated,
    build_command,
    missing_state,
    no_index_message,
)

EXTENSION = "hubbub.archive"


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Archive.open(Path(app.config["INDEX_DIR"]).resolve())


class NoIndex(ServiceUnavailable):
    """No index the site can read, so nothing to show: every page and JSON route answers
    503 with the same message, pages as the empty state naming the command."""

    def __init__(self, index_dir: Path, outdated: bool) -> None:
        super().__init__(no_index_message(index_dir, outdated))
        self.state = missing_state(outdated)
        self.command = build_command(index_dir, outdated)
        self.outdated = outdated


def get_archive() -> Archive:
    """The app's shared archive, whether or not its index has been built."""
    return current_app.extensions[EXTENSION]


def index_problem() -> NoIndex | None:
    """Why the site has nothing to read (no index yet, or one to rebuild), or None.
    Asked again on every request: the index may be built meanwhile."""
    archive = get_archive()
    try:
        archive.open_index()
    except IndexMissing as error:
        return NoIndex(archive.path, isinstance(error, IndexOutdated))
    return None


def require_archive() -> Archive:
    """The shared archive, for every view that reads it.

    :raise NoIndex: while no index can be read, naming the command that builds it.
    """
    problem = index_problem()
    if problem is not None:
        raise problem
    return get_archive()
