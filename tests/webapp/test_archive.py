"""The shared archive: opened once per app, and found once an index is built."""

from __future__ import annotations

from pathlib import Path

from webapp.archive import get_archive, index_problem


def test_the_archive_and_its_index_are_shared_across_requests(app):
    with app.app_context():
        first = get_archive()
        engine = first.open_index()
    with app.app_context():
        assert get_archive() is first
        assert first.open_index() is engine


def test_the_site_finds_an_index_built_after_it_started(no_index_app, seed_path: Path):
    with no_index_app.app_context():
        assert "hubbub index" in index_problem().description
        get_archive().index([seed_path])
        assert index_problem() is None
        assert get_archive().search(q="Putin").total == 6
