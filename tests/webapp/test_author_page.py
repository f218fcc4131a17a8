"""The author page `/author/<name>` and its JSON twin `/api/author/<name>`."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from indexer.authors import author_profile
from indexer.engines import open_engine
from tests.webapp.known_archive import BRIDGE_ID, BUDGET_ID, FERRY_ID
from webapp.authors import timeline_chart


def html(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def stats(page: BeautifulSoup) -> list[str]:
    return [li.get_text(" ", strip=True) for li in page.select(".author-stats li")]


def test_author_page_header_gives_comments_dates_and_articles(archive):
    page = html(archive.get("/author/Alice"))
    assert page.h1.get_text() == "Alice"
    assert stats(page) == ["5 comments", "11 March 2019 – 2 March 2020", "3 articles commented on"]


def test_author_page_finds_the_author_in_any_case(archive):
    page = html(archive.get("/author/aLICE"))
    assert page.h1.get_text() == "Alice" and stats(page)[0] == "5 comments"


def test_author_page_marks_dates_taken_from_the_articles(client):
    assert stats(html(client.get("/author/Umairpk")))[1] == "8 March 2012 (article dates)"


def test_author_page_takes_names_with_a_slash(client):
    response = client.get("/author/%3Ci%3EMallory%3C%2Fi%3E")
    assert response.status_code == 200
    assert html(response).h1.get_text() == "<i>Mallory</i>"


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [("/author/Nobody", "text/html"), ("/api/author/Nobody", "application/json")],
)
def test_author_page_unknown_author_is_404(archive, path, mimetype):
    response = archive.get(path)
    assert response.status_code == 404 and response.mimetype == mimetype
    assert "No comment in the archive is by 'Nobody'." in html(response).get_text()


def test_author_page_chart_has_a_bar_a_month_and_a_text_alternative(archive):
    figure = html(archive.get("/author/Alice")).select_one("figure.timeline")
    svg = figure.svg
    assert svg["role"] == "img"
    title = figure.select_one(f"#{svg['aria-labelledby']}").get_text()
    assert title == "Comments per month, March 2019 to March 2020"
    assert len(svg.select("rect")) == 13
    rows = [[cell.get_text() for cell in row.select("th, td")] for row in figure.select("tbody tr")]
    assert rows[:3] == [["March 2019", "1"], ["April 2019", "1"], ["May 2019", "0"]]
    assert len(rows) == 13 and "visually-hidden" in figure.table["class"]


def test_timeline_chart_scales_bars_to_the_tallest():
    chart = timeline_chart([("2019", 2), ("2020", 0), ("2021", 4)])
    assert chart.unit == "year" and chart.most == 4
    assert [bar.height for bar in chart.bars] == [60, 0, 120]
    assert [bar.label for bar in chart.bars] == ["2019", "2020", "2021"]


def test_author_page_lists_articles_with_counts_and_links(archive):
    items = html(archive.get("/author/Alice")).select(".author-articles li")
    first = items[0]
    assert [item.a.get_text() for item in items] == [
        "Ferry timetable changes",
        "Harbour bridge reopens",
        "Council votes on harbour budget",
    ]
    assert first.select_one(".count").get_text() == "2 comments"
    assert first.a["href"] == f"/article/{FERRY_ID}"
    assert first.select_one(".their-comments")["href"] == f"/?author=Alice&article={FERRY_ID}"


def test_author_page_lists_the_comments_newest_first(archive):
    page = html(archive.get("/author/Alice"))
    dates = [time["datetime"] for time in page.select(".author-comments .hit-meta time")]
    assert dates == ["2020-03-02", "2020-02-15", "2020-01-05", "2019-04-02", "2019-03-11"]


def test_author_page_search_box_searches_only_their_comments(archive):
    page = html(archive.get("/author/Alice?q=timetable"))
    form = page.select_one("form.scoped-search")
    assert form["action"] == "/author/Alice" and form.input["value"] == "timetable"
    assert page.select_one(f"label[for={form.input['id']}]")
    urls = [a["href"] for a in page.select(".author-comments .permalink")]
    assert urls == [f"/article/{FERRY_ID}#c4", f"/article/{FERRY_ID}#c1"]


def test_author_page_bad_page_number_is_a_400(archive):
    assert archive.get("/author/Alice?page=two").status_code == 400


def test_api_author_is_the_profile_and_a_page_of_comments(archive, archive_index):
    data = archive.get("/api/author/alice?q=harbour+OR+budget").get_json()
    profile = author_profile(open_engine(archive_index), "Alice").to_json()
    page = data.pop("comments_page")
    assert data == profile
    assert (page["query"], page["total"], page["page"], page["per_page"]) == (
        "harbour OR budget",
        2,
        1,
        20,
    )
    assert [hit["id"] for hit in page["hits"]] == [f"{BUDGET_ID}-c2", f"{BRIDGE_ID}-c1"]


@pytest.mark.parametrize("path", ["/?q=splendid", "/author/Bob", f"/article/{BRIDGE_ID}"])
def test_author_links_on_every_page_go_to_the_author_page(archive, path):
    links = html(archive.get(path)).select("main a.author")
    assert links and all(a["href"] == f"/author/{a.get_text()}" for a in links)


def test_author_page_of_a_byline_links_to_the_articles_written(mixed_client):
    page = mixed_client.get("/author/Ewa%20Nowak").get_data(as_text=True)
    assert "0 comments" in page and "wrote" in page and "kind=article" in page
