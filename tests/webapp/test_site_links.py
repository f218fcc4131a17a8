"""Each hit names its site, and the name is a link that narrows the search to that site."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from indexer import Archive
from tests.indexer.test_sites_and_votes import THREADS
from webapp import create_app


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    Archive.open(tmp_path / "index").add_records(THREADS, "made-in-code")
    return create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()


def site_links(client: FlaskClient, url: str) -> list[tuple[str, str]]:
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    return [(link.get_text(), link["href"]) for link in page.select(".hit .site")]


def test_a_hits_site_link_narrows_the_search_to_that_site(client):
    links = dict(site_links(client, "/?q=ferry"))
    assert set(links) == {"harbour-gazette.example", "r/harbour"}
    narrowed = site_links(client, links["r/harbour"])
    assert {name for name, _ in narrowed} == {"r/harbour"}
    assert len(narrowed) == 2  # the subreddit's post and its one comment
    query = links["r/harbour"].split("?", 1)[1]
    assert client.get(f"/api/search?{query}").get_json()["total"] == 2
