"""`/help`: one runnable example per operator, linked from every page's header."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup


def html(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def example_links(client) -> list[str]:
    return [a["href"] for a in html(client.get("/help")).select(".examples td a")]


def test_help_has_an_example_for_every_operator(client):
    operators = [th.get_text() for th in html(client.get("/help")).select(".examples tbody th")]
    assert operators == [
        "words",
        "“phrase”",
        "OR",
        "-exclusion",
        "author:",
        "title:",
        "kind:",
        "after: before:",
        "wildcard *",
        "fuzzy ~",
    ]


def test_help_every_example_runs_and_finds_something(client):
    links = example_links(client)
    assert links
    for link in links:
        api = client.get(link.replace("/?", "/api/search?", 1)).get_json()
        assert api["total"] > 0 and api["notice"] is None, link


def test_help_example_link_runs_the_query_it_shows(client):
    cell = html(client.get("/help")).select(".examples td a")[1]
    assert cell.get_text() == '"Rex Minor"'
    page = html(client.get(cell["href"]))
    assert page.select_one("#search-query")["value"] == '"Rex Minor"'


def test_help_works_without_an_index(no_index_app):
    assert no_index_app.test_client().get("/help").status_code == 200


@pytest.mark.parametrize(
    "path", ["/", "/?q=Putin", "/help", "/author/Umairpk", "/article/{article}", "/no-such-page"]
)
def test_help_every_page_header_links_to_the_syntax(client, seed_article_id, path):
    page = html(client.get(path.format(article=seed_article_id)))
    link = page.select_one(".site-header a.syntax-link")
    assert (link.get_text(), link["href"]) == ("Search syntax", "/help")
