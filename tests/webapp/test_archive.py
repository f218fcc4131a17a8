"""The shared engine: opened once per app, and found once an index is built."""

from __future__ import annotations

from pathlib import Path

from indexer.indexing import index_paths
from webapp.archive import get_engine


def test_get_engine_is_shared_across_requests(app):
    with app.app_context():
        first = get_engine()
    with app.app_context():
        assert get_engine() is first is not None


def test_get_engine_is_none_until_an_index_is_built(no_index_app, seed_path: Path):
    with no_index_app.app_context():
        assert get_engine() is None
        index_paths([seed_path], Path(no_index_app.config["INDEX_DIR"]))
        assert get_engine() is not None
