"""Signatures on the site: the Signed facet, "signed" on hits, the signature page `/signed/<name>`
and its JSON twin, and "also signs as" on author pages. On the seed, Rex Minor signs
comments 2, 7 and 8 (posted as pakistan) and comment 6 (posted as forbirds)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from indexer.authors import signature_profile


def html(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def texts(page: BeautifulSoup, selector: str) -> list[str]:
    return [element.get_text(" ", strip=True) for element in page.select(selector)]


def test_search_signed_facet_counts_rex_minor_4(client):
    page = html(client.get("/"))
    assert texts(page, ".facet-signed .facet-value") == ["Rex Minor 4"]


def test_search_signed_filter_keeps_the_signed_comments_under_a_chip(client):
    page = html(client.get("/?signed=rex+minor"))
    assert page.select_one(".result-count").get_text(strip=True) == "4 results"
    assert texts(page, ".chip span") == ["Signed: Rex Minor"]
    assert "selected" in page.select_one(".facet-signed .facet-value")["class"]


def test_search_signed_chip_removes_the_signature_whatever_its_case(client):
    page = html(client.get("/?kind=comment&signed=rex+minor"))
    chip = page.select_one(".chip-remove[aria-label='Remove filter Signed: Rex Minor']")
    assert chip["href"] == "/?kind=comment"


def test_search_hit_links_its_signature_to_the_signature_page(client):
    hits = html(client.get("/?signed=Rex+Minor&sort=oldest")).select(".hit")
    signed = [hit.select_one(".signed") for hit in hits]
    assert [s.get_text(" ", strip=True) for s in signed] == ["signed Rex Minor"] * 4
    assert {s.a["href"] for s in signed} == {"/signed/Rex%20Minor"}


def test_search_unsigned_hit_says_nothing_of_signatures(client):
    hit = html(client.get("/?author=Umairpk")).select_one(".hit")
    assert hit.select_one(".signed") is None


def test_signature_page_lists_the_handles_with_their_counts(client):
    page = html(client.get("/signed/Rex%20Minor"))
    assert page.h1.get_text() == "Rex Minor"
    handles = page.select(".signature-handles li")
    assert [(li.a.get_text(), li.select_one(".count").get_text()) for li in handles] == [
        ("pakistan", "3 comments"),
        ("forbirds", "1 comment"),
    ]


def test_signature_page_links_each_handle_to_its_page_and_its_signed_comments(client):
    handle = html(client.get("/signed/Rex%20Minor")).select_one(".signature-handles li")
    links = [a["href"] for a in handle.select("a")]
    assert links == ["/author/pakistan", "/?author=pakistan&signed=Rex+Minor"]
    assert html(client.get(links[1])).select_one(".result-count").get_text(strip=True) == (
        "3 results"
    )


def test_signature_page_finds_the_name_in_any_case(client):
    page = html(client.get("/signed/rEX%20mINOR"))
    assert page.h1.get_text() == "Rex Minor"
    assert "4 comments" in page.select_one(".author-stats").get_text()


def test_api_signed_equals_the_library_profile(client, seed_engine):
    response = client.get("/api/signed/rex%20minor")
    assert response.get_json() == signature_profile(seed_engine, "Rex Minor").to_json()
    assert response.get_json()["handles"] == [
        {"author": "pakistan", "count": 3},
        {"author": "forbirds", "count": 1},
    ]


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [("/signed/Nobody", "text/html"), ("/api/signed/Nobody", "application/json")],
)
def test_signature_unknown_name_is_404(client, path, mimetype):
    response = client.get(path)
    assert response.status_code == 404 and response.mimetype == mimetype
    assert "No comment in the archive is signed 'Nobody'." in html(response).get_text()


def test_signature_unknown_name_with_markup_is_shown_as_text(client):
    response = client.get("/signed/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_author_page_says_what_else_the_author_signs_as(client):
    signs_as = html(client.get("/author/forbirds")).select_one(".signs-as")
    assert signs_as.get_text(" ", strip=True) == "also signs as: Rex Minor (1)"
    assert signs_as.a["href"] == "/signed/Rex%20Minor"


def test_author_page_without_signatures_says_nothing_of_them(client):
    assert html(client.get("/author/Umairpk")).select_one(".signs-as") is None


def test_api_author_lists_the_names_the_author_signs_as(client):
    assert client.get("/api/author/pakistan").get_json()["signs_as"] == [
        {"name": "Rex Minor", "count": 3}
    ]
