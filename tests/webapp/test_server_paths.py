"""The JSON twins, exports and feeds name an archive file by its name alone, as the pages
do: where the server keeps its files is nobody else's business."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from indexer.threads import get_thread

pytestmark = pytest.mark.engines()


def every_answer_read_off_the_site(client) -> list[str]:
    """Every JSON route, export and feed, for every article, author and signature."""
    facets = client.get("/api/search?per_page=1").get_json()["facets"]
    articles = [value["value"] for value in facets["article"]]
    authors = [quote(value["value"], safe="") for value in facets["author"]]
    signatures = [quote(value["value"], safe="") for value in facets["signed"]]
    return [
        "/api/search?per_page=100",
        "/export.csv",
        "/export.json",
        "/export.ndjson",
        "/feed.atom",
        *[f"/api/article/{article}" for article in articles],
        *[f"/api/article/{article}/graph" for article in articles],
        *[f"/api/author/{author}" for author in authors],
        *[f"/api/author/{author}/graph" for author in authors],
        *[f"/api/signed/{name}" for name in signatures],
    ]


def test_no_json_export_or_feed_shows_where_the_server_keeps_the_archive(client, seed_engine):
    articles = client.get("/api/search?kind=article&per_page=100").get_json()["hits"]
    sources = [get_thread(seed_engine, hit["id"]).article.source for hit in articles]
    folders = {str(Path(source).parent) for source in sources}
    assert len(sources) == 2 and all(Path(folder).is_absolute() for folder in folders)
    shown = []
    for url in every_answer_read_off_the_site(client):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        shown += [(url, folder) for folder in folders if folder in text]
    assert shown == []


def test_a_thread_names_the_file_it_was_read_from(client, seed_article_id, seed_path):
    data = client.get(f"/api/article/{seed_article_id}").get_json()
    assert data["source"] == seed_path.name
