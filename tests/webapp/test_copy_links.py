"""Comments posted more than once: the "copies" link on hits and comments, the Copies facet
and its `copied=1` filter, over a small archive where one long comment stands in two threads."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from indexer.documents import article_id
from indexer.indexing import index_records
from indexer.records import Article, Comment
from webapp import create_app

SPEECH = (
    "Russia under Putin is going to reassert its new economic and former military might "
    "against the USA, UK and France. They have already announced a missile shield targeting "
    "European countries, in case the American missile shield project goes ahead."
)
FIRST = Article(
    title="Missile shields",
    body="An article about missile shields.",
    date=datetime(2012, 3, 1),
    comments=(Comment("Ivan", SPEECH, 1), Comment("Olga", "Not this again.", 2)),
)
SECOND = Article(
    title="Pipelines",
    body="An article about pipelines.",
    date=datetime(2012, 3, 2),
    comments=(Comment("Ivan", SPEECH, 1),),
)
FIRST_COPY = f"{article_id(FIRST)}-c1"  # the first copy names the group


def html(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    index_dir = tmp_path_factory.mktemp("copies") / "index"
    index_records([FIRST, SECOND], index_dir, "copies")
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()


def result_count(page: BeautifulSoup) -> str:
    return page.select_one(".result-count").get_text(strip=True)


def test_search_hit_posted_twice_links_to_every_copy(copies):
    hits = html(copies.get("/?q=missile+shield&kind=comment")).select(".hit")
    links = [hit.select_one("a.copies")["href"] for hit in hits]
    assert len(links) == 2 and len(set(links)) == 1
    assert parse_qs(urlsplit(links[0]).query) == {"q": [f"copies:'{FIRST_COPY}'"]}
    page = html(copies.get(links[0]))
    assert result_count(page).startswith("2 results")
    assert [a.get_text() for a in page.select(".hit-title a")] == ["Missile shields", "Pipelines"]


def test_search_hit_posted_once_has_no_copies_link(copies):
    assert html(copies.get("/?author=Olga")).select(".hit a.copies") == []


def test_search_copies_facet_offers_the_comments_posted_more_than_once(copies):
    value = html(copies.get("/")).select_one(".facet-copies .facet-value")
    assert value.get_text(" ", strip=True) == "posted more than once 2"
    assert value["href"] == "/?copied=1"


def test_search_copied_filter_keeps_only_the_copies_under_a_chip(copies):
    page = html(copies.get("/?copied=1"))
    assert result_count(page) == "2 results"
    assert [s.get_text() for s in page.select(".chip span")] == ["Copies: posted more than once"]
    value = page.select_one(".facet-copies .facet-value")
    assert "selected" in value["class"] and value["href"] == "/"


def test_search_copied_filter_takes_only_1(copies):
    response = copies.get("/api/search?copied=yes")
    assert response.status_code == 400
    assert "'copied' takes 1" in response.get_json()["error"]


def test_search_copies_facet_is_left_out_when_nothing_is_copied(client):
    assert html(client.get("/")).select_one(".facet-copies") is None


def test_thread_comment_posted_twice_links_to_every_copy(copies):
    page = html(copies.get(f"/article/{article_id(SECOND)}"))
    link = page.select_one("#c1 a.copies")
    assert parse_qs(urlsplit(link["href"]).query) == {"q": [f"copies:'{FIRST_COPY}'"]}


def test_api_search_hits_carry_their_copy_group(copies):
    hits = copies.get("/api/search?copied=1").get_json()["hits"]
    assert [hit["copy_group"] for hit in hits] == [FIRST_COPY, FIRST_COPY]
