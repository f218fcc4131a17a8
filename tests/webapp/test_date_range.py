"""The `after` and `before` arguments, their form and chips, on the known archive."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup


def html(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("after=2020", 6),
        ("before=2019", 8),
        ("after=2019-11&before=2020-01", 4),
        ("after=2019-03-11&before=2019-03-12", 2),
        ("after=2021", 0),
    ],
)
def test_date_range_args_select_documents_by_date(archive, query, total):
    assert archive.get(f"/api/search?{query}").get_json()["total"] == total


def test_date_range_before_a_month_takes_in_the_whole_month(archive):
    assert archive.get("/api/search?after=2019-03&before=2019-03").get_json()["total"] == 4


def test_date_range_empty_boxes_choose_nothing(archive):
    assert archive.get("/api/search?after=&before=").get_json()["total"] == 14


def test_date_range_shows_chips_that_remove_each_bound(archive):
    page = html(archive.get("/?q=harbour&after=2019-11&before=2020"))
    chips = page.select(".chip")
    assert [chip.span.get_text() for chip in chips] == ["From: 2019-11", "To: 2020"]
    remove_after = urlsplit(chips[0].select_one(".chip-remove")["href"])
    assert parse_qs(remove_after.query) == {"q": ["harbour"], "before": ["2020"]}


def test_date_range_form_has_labelled_inputs_holding_the_bounds(archive):
    form = html(archive.get("/?after=2019-11&before=2020")).select_one("form.date-range")
    for name, value in (("after", "2019-11"), ("before", "2020")):
        box = form.select_one(f"input[name={name}]")
        assert box["value"] == value
        assert form.select_one(f"label[for={box['id']}]").get_text()


def test_date_range_form_keeps_the_rest_of_the_state(archive):
    form = html(archive.get("/?q=harbour&author=Bob&after=2019&page=3")).select_one(
        "form.date-range"
    )
    hidden = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")]
    assert hidden == [("q", "harbour"), ("author", "Bob")]


def test_date_range_hit_dated_by_its_article_says_so(archive):
    page = html(archive.get("/?author=Carol&sort=oldest"))
    meta = page.select_one(".hit .hit-meta")
    assert meta.time["datetime"] == "2019-03-10"
    assert meta.select_one(".date-note").get_text() == "(article date)"


@pytest.mark.parametrize(
    ("query", "name", "message"),
    [
        (
            "after=March%202012",
            "after",
            "A date is written YYYY, YYYY-MM or YYYY-MM-DD, not 'March 2012'.",
        ),
        (
            "after=yesterday",
            "after",
            "A date is written YYYY, YYYY-MM or YYYY-MM-DD, not 'yesterday'.",
        ),
        ("before=2019-13", "before", "There is no date '2019-13'."),
        ("after=2019-02-30", "after", "There is no date '2019-02-30'."),
    ],
)
def test_date_range_unreadable_date_is_explained_beside_its_box(archive, query, name, message):
    response = archive.get(f"/?q=harbour&{query}")
    assert response.status_code == 400
    box = html(response).select_one(f"form.date-range input[name={name}]")
    assert box["aria-invalid"] == "true"
    described = box["aria-describedby"].split()
    error = html(response).select_one(f"#{described[0]}")
    assert error.get_text() == message and "date-range-hint" in described


def test_date_range_unreadable_date_keeps_the_typed_text_and_the_search(archive):
    page = html(archive.get("/?q=harbour&author=Bob&sort=oldest&after=March%202012&before=2019"))
    assert page.select_one("input[name=after]")["value"] == "March 2012"
    assert page.select_one("#search-query")["value"] == "harbour"
    without = html(archive.get("/?q=harbour&author=Bob&sort=oldest&before=2019"))
    assert (
        page.select_one(".result-count").get_text()
        == without.select_one(".result-count").get_text()
    )
    assert [a["href"] for a in page.select(".hit-title a")] == [
        a["href"] for a in without.select(".hit-title a")
    ]
    assert [chip.span.get_text() for chip in page.select(".chip")] == ["Author: Bob", "To: 2019"]
    form = page.select_one("form.date-range")
    hidden = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")]
    assert hidden == [("q", "harbour"), ("author", "Bob"), ("sort", "oldest")]


def test_date_range_unreadable_date_opens_the_filters_and_links_to_the_box(archive):
    page = html(archive.get("/?before=soon"))
    assert page.select_one("details.filters").has_attr("open")
    notice = page.select_one(".field-errors")
    assert notice["role"] == "alert" and notice.a["href"] == "#date-before"
    assert "could not be read" in notice.get_text()
