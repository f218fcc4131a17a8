"""Fixtures for the web tests: the site over the shared seed index, and one with no index."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from indexer.documents import article_id
from indexer.readers import read_file
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
