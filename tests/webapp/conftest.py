"""Fixtures for the web tests: the site over the seed index, the known archive, or no index."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from indexer.documents import article_id
from indexer.indexing import index_paths
from indexer.readers import read_file
from tests.webapp.known_archive import add_known_archive
from webapp import create_app

HOSTILE_MARKUP = Path(__file__).resolve().parents[1] / "fixtures" / "hostile-markup.txt"


@pytest.fixture
def app(seed_index: Path) -> Flask:
    return create_app({"TESTING": True, "INDEX_DIR": str(seed_index)})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def no_index_app(tmp_path: Path) -> Flask:
    """The site before anyone has run `hubbub index`."""
    return create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")})


@pytest.fixture(scope="session")
def seed_article_id(seed_path: Path) -> str:
    return article_id(read_file(seed_path)[0])


@pytest.fixture(scope="session")
def hostile_article_id() -> str:
    """The fixture article whose title, comment and author carry markup."""
    return article_id(read_file(HOSTILE_MARKUP)[0])


@pytest.fixture(scope="session")
def archive_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The known archive (see known_archive.py), built once; tests only read it."""
    index_dir = tmp_path_factory.mktemp("known-archive")
    add_known_archive(index_dir)
    return index_dir


@pytest.fixture
def archive(archive_index: Path) -> FlaskClient:
    """A client of the site over the known archive."""
    return create_app({"TESTING": True, "INDEX_DIR": str(archive_index)}).test_client()


@pytest.fixture(scope="session")
def mixed_client(mixed_folder, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("mixed-index")
    index_paths([mixed_folder], index_dir)
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
