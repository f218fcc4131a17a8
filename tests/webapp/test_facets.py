"""The facet column on the known archive: counts, OR within a facet, AND across, drill-down."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup


def html(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def facet(page: BeautifulSoup, name: str, where: str = ".facet-values") -> list[tuple]:
    """(label, count, chosen) for each value a facet lists first."""
    return [
        (
            value.select_one(".label").get_text(),
            int(value.select_one(".count").get_text()),
            "selected" in value["class"],
        )
        for value in page.select(f".facet-{name} {where} .facet-value")
    ]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_facets_count_every_value_of_the_known_archive(archive):
    page = html(archive.get("/"))
    assert page.select_one(".result-count").get_text(strip=True) == "14 results"
    assert facet(page, "kind") == [("comment", 11, False), ("article", 3, False)]
    assert facet(page, "author") == [
        ("Alice", 5, False),
        ("Bob", 3, False),
        ("Carol", 2, False),
        ("Dave", 1, False),
    ]
    assert facet(page, "date", ".bars") == [("2019", 8, False), ("2020", 6, False)]


def test_facets_two_authors_or_together_and_keep_their_counts_in_place(archive):
    page = html(archive.get("/?author=Alice&author=Bob"))
    assert page.select_one(".result-count").get_text(strip=True) == "8 results"
    assert facet(page, "author") == [
        ("Alice", 5, True),
        ("Bob", 3, True),
        ("Carol", 2, False),
        ("Dave", 1, False),
    ]


def test_facets_other_facets_count_within_the_chosen_authors(archive):
    page = html(archive.get("/?author=Alice&author=Bob"))
    assert facet(page, "date", ".bars") == [("2019", 4, False), ("2020", 4, False)]
    assert facet(page, "kind") == [("comment", 8, False)]


def test_facets_year_and_authors_and_together(archive):
    page = html(archive.get("/?author=Alice&author=Bob&year=2020"))
    assert page.select_one(".result-count").get_text(strip=True) == "4 results"
    assert facet(page, "author") == [("Alice", 3, True), ("Bob", 1, True), ("Carol", 1, False)]
    assert facet(page, "date", ".bars")[1] == ("2020", 4, True)


def test_facets_adding_a_value_keeps_the_others_and_goes_to_page_one(archive):
    page = html(archive.get("/?author=Alice&page=2&per_page=2"))
    carol = page.select(".facet-author .top-values .facet-value")[2]
    assert query_of(carol["href"]) == {"author": ["Alice", "Carol"], "per_page": ["2"]}


def test_facets_months_appear_once_a_year_is_chosen(archive):
    assert html(archive.get("/")).select_one(".facet-date .facet-subhead") is None
    page = html(archive.get("/?year=2020"))
    assert facet(page, "date", ".bars + .facet-subhead + .bars") == [
        ("January 2020", 1, False),
        ("February 2020", 3, False),
        ("March 2020", 2, False),
    ]
    january = page.select(".facet-date .bars")[1].select_one(".facet-value")
    assert query_of(january["href"]) == {
        "year": ["2020"],
        "month": ["2020-01"],
    }


def test_facets_chosen_month_narrows_the_hits_and_shows_a_chip(archive):
    page = html(archive.get("/?year=2020&month=2020-02"))
    assert page.select_one(".result-count").get_text(strip=True) == "3 results"
    chips = [chip.span.get_text() for chip in page.select(".chip")]
    assert chips == ["Year: 2020", "Month: February 2020"]


def test_facets_removing_a_year_removes_its_months(archive):
    page = html(archive.get("/?year=2019&year=2020&month=2020-02&month=2019-03"))
    year_chip = page.select(".chip")[1]
    assert year_chip.span.get_text() == "Year: 2020"
    assert query_of(year_chip.select_one(".chip-remove")["href"]) == {
        "year": ["2019"],
        "month": ["2019-03"],
    }


def test_facets_clear_all_removes_every_filter_and_keeps_the_query(archive):
    page = html(archive.get("/?q=harbour&author=Bob&year=2019&month=2019-11&after=2019"))
    assert page.select_one(".clear-all")["href"] == "/?q=harbour"


def test_facets_author_filter_narrows_the_whole_list_and_keeps_chosen_ones(archive):
    page = html(archive.get("/?author=Alice&author_filter=AR"))
    more = page.select_one(".facet-author details.more")
    assert more.has_attr("open")
    assert facet(page, "author", "details.more") == [("Alice", 5, True), ("Carol", 2, False)]


def test_facets_author_filter_form_carries_the_rest_of_the_state(archive):
    page = html(archive.get("/?q=harbour&author=Bob&sort=newest&page=2&author_filter=x"))
    form = page.select_one(".facet-filter")
    assert form["method"] == "get" and form["action"] == "/"
    hidden = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")]
    assert hidden == [("q", "harbour"), ("author", "Bob"), ("sort", "newest")]
    box = form.select_one("input[name=author_filter]")
    assert box["value"] == "x" and form.select_one(f"label[for={box['id']}]")


def test_facets_author_filter_that_matches_nobody_says_so(archive):
    page = html(archive.get("/?author_filter=zz"))
    assert "No author’s name holds “zz”" in page.select_one(".facet-none").get_text()


def test_facets_every_value_is_a_link(archive):
    page = html(archive.get("/?year=2020"))
    values = page.select(".facets .facet-value")
    assert values and all(value.name == "a" and value["href"] for value in values)


def test_facets_author_typed_in_the_box_becomes_the_author_filter(archive):
    response = archive.get("/?q=harbour+author:bob&sort=oldest")
    assert response.status_code == 302
    assert response.headers["Location"] == "/?q=harbour&sort=oldest&author=bob"
    page = html(archive.get(response.headers["Location"]))
    assert page.select_one("#search-query")["value"] == "harbour"
    assert facet(page, "author") == [("Alice", 1, False), ("Bob", 1, True)]
    chip = page.select_one(".chip")
    assert chip.span.get_text() == "Author: Bob"
    assert chip.select_one(".chip-remove")["href"] == "/?q=harbour&sort=oldest"


@pytest.mark.parametrize(
    ("typed", "ticked"),
    [
        ("q=author:Alice", "author=Alice"),
        ("q=kind:article", "kind=article"),
        ("q=year:2020+timetable", "q=timetable&year=2020"),
        ("q=author:Alice&author=Bob", "author=Alice&author=Bob"),
        ("q=author:Alice+kind:comment&year=2019", "author=Alice&kind=comment&year=2019"),
    ],
)
def test_facets_typed_and_ticked_filters_select_the_same(archive, typed, ticked):
    by_typing, by_ticking = (archive.get(f"/api/search?{q}").get_json() for q in (typed, ticked))
    assert by_typing["total"] == by_ticking["total"] > 0
    assert by_typing["hits"] == by_ticking["hits"]
    assert by_typing["facets"] == by_ticking["facets"]
    lifted = query_of(archive.get(f"/?{typed}").headers["Location"])
    assert {name: sorted(values) for name, values in lifted.items()} == parse_qs(ticked)


def test_facets_ticking_a_second_author_after_typing_one_gives_both(archive):
    page = html(archive.get("/?author=Alice", follow_redirects=True))
    bob = next(a for a in page.select(".facet-author .facet-value") if "Bob" in a.get_text())
    both = html(archive.get(bob["href"]))
    assert both.select_one(".result-count").get_text(strip=True) == "8 results"
    typed = html(archive.get("/?q=author:Alice&author=Bob", follow_redirects=True))
    assert typed.select_one(".result-count").get_text(strip=True) == "8 results"


def test_facets_more_says_how_many_values_there_are_in_all(client):
    whole = html(client.get("/"))
    every = client.get("/api/facets/author").get_json()
    shown = whole.select_one(".facet-author details.more summary").get_text()
    assert shown == f"more… ({every['total']} authors)"


def test_facets_more_of_a_cut_list_says_there_are_more_and_links_the_counted_list(client):
    every = client.get("/api/facets/author").get_json()
    page = html(client.get("/?facet_size=3"))
    more = page.select_one(".facet-author details.more")
    assert more.summary.get_text() == "more… (3+ authors)"
    assert 3 < every["total"]
    whole_list = more.select_one(".facet-whole-list a")
    assert whole_list["href"] == "/facets/author?facet_size=3"
    assert client.get(whole_list["href"]).status_code == 200


def test_facets_whole_list_pages_every_value(archive, monkeypatch):
    monkeypatch.setattr("webapp.search.FACET_PAGE_SIZE", 3)
    first = html(archive.get("/facets/author?sort=oldest"))
    assert first.h1.get_text(" ", strip=True) == "4 authors"
    second = html(archive.get(first.select_one(".pagination a[rel=next]")["href"]))
    labels = [a.select_one(".label").get_text() for a in first.select(".whole-list .facet-value")]
    labels += [a.select_one(".label").get_text() for a in second.select(".whole-list .facet-value")]
    assert labels == ["Alice", "Bob", "Carol", "Dave"]
    dave = second.select(".whole-list .facet-value")[0]
    assert dave["href"] == "/?sort=oldest&author=Dave"


def test_facets_whole_list_json_is_the_same_page(archive, monkeypatch):
    monkeypatch.setattr("webapp.search.FACET_PAGE_SIZE", 3)
    data = archive.get("/api/facets/author?kind=comment&page=2").get_json()
    assert (data["total"], data["page"], data["per_page"]) == (4, 2, 3)
    assert [value["label"] for value in data["values"]] == ["Dave"]


def test_facets_whole_list_filter_narrows_it_and_keeps_the_search(archive):
    page = html(archive.get("/facets/author?author=Alice&filter=AR"))
    values = [a.select_one(".label").get_text() for a in page.select(".whole-list .facet-value")]
    assert values == ["Alice", "Carol"]
    form = page.select_one(".facet-filter")
    hidden = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")]
    assert hidden == [("author", "Alice")]
    assert page.select_one(".back a")["href"] == "/?author=Alice"
