"""The author page `/author/<name>` and its JSON twin `/api/author/<name>`."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup

from indexer.authors import author_profile
from indexer.documents import article_id
from indexer.engines import open_engine
from indexer.indexing import index_records
from indexer.records import Article, Comment
from tests.webapp.known_archive import BRIDGE_ID, BUDGET_ID, FERRY_ID
from webapp import create_app
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
    assert urls == [f"/article/{FERRY_ID}?comment={n}#c{n}" for n in (4, 1)]


def test_author_page_bad_page_number_is_a_400(archive):
    assert archive.get("/author/Alice?page=two").status_code == 400


def test_api_author_is_the_profile_and_a_page_of_comments(archive, archive_index):
    data = archive.get("/api/author/alice?q=harbour+OR+budget").get_json()
    profile = author_profile(open_engine(archive_index), "Alice").to_json()
    page = data.pop("comments_page")
    data.pop("articles_page")
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


def tide_reports() -> list[Article]:
    """30 articles under which Zed commented 1, 2 or 3 times: 60 comments, each on its
    own day and hour, the newest in the last article."""
    return [
        Article(
            title=f"Tide report {n}",
            body="Tides.",
            date=datetime(2020, 1, 1) + timedelta(days=n),
            comments=tuple(
                Comment(
                    "Zed", f"Tide comment {n}.{k}.", k, datetime(2020, 1, 1, k) + timedelta(days=n)
                )
                for k in range(1, 2 + n % 3)
            ),
        )
        for n in range(30)
    ]


@pytest.fixture(scope="module")
def tides(tmp_path_factory: pytest.TempPathFactory):
    """A site where Zed commented 60 times under 30 articles."""
    index_dir = tmp_path_factory.mktemp("tides")
    index_records(tide_reports(), index_dir, "tides.txt")
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()


def test_author_page_leads_with_their_comments(tides):
    page = html(tides.get("/author/Zed"))
    parts = [part["class"][0] for part in page.select(".author-page > *")]
    assert parts[:4] == ["author-head", "author-comments", "author-articles", "timeline"]
    headings = [h2.get_text() for h2 in page.select(".author-page > section > h2")]
    assert headings == ["Comments, newest first", "Commented in 30 articles"]
    first = page.select_one(".author-comments .hit")
    assert first.select_one(".snippet").get_text() == "Tide comment 29.3."
    assert first.select_one(".hit-title a")["href"] == (
        f"/article/{article_id(tide_reports()[29])}?comment=3#c3"
    )


def test_author_page_pages_their_comments(tides):
    page = html(tides.get("/author/Zed?page=3"))
    comments = page.select_one(".author-comments ol.hits")
    assert comments["start"] == "41" and len(comments.select(".hit")) == 20
    nav = page.select_one(".author-comments nav.pagination")
    assert nav.select_one("a[aria-current]")["href"] == "/author/Zed?page=3"


def test_author_page_pages_the_articles_and_says_how_many(tides):
    first, second = (html(tides.get(f"/author/Zed?articles_page={n}")) for n in (1, 2))
    lists = [page.select_one(".author-articles ol") for page in (first, second)]
    assert [len(found.select("li")) for found in lists] == [25, 5]
    assert [found.get("start") for found in lists] == ["1", "26"]
    titles = [a.get_text() for found in lists for a in found.select("li > a:first-child")]
    assert sorted(titles) == sorted(f"Tide report {n}" for n in range(30))
    assert [li.select_one(".count").get_text() for li in lists[0].select("li")][:1] == [
        "3 comments"
    ]
    link = first.select_one(".author-articles nav.pagination a[rel=next]")
    assert link["href"] == "/author/Zed?articles_page=2#articles-heading"


def test_author_page_past_the_last_page_of_articles_says_so(tides):
    notice = html(tides.get("/author/Zed?articles_page=9")).select_one(".author-articles .notice")
    assert " ".join(notice.get_text().split()) == (
        "There is no page 9 of these articles: the last is page 2."
    )


@pytest.mark.parametrize("query", ["articles_page=0", "articles_page=two"])
def test_author_page_bad_articles_page_is_a_400(tides, query):
    assert tides.get(f"/author/Zed?{query}").status_code == 400
    assert tides.get(f"/api/author/Zed?{query}").status_code == 400


def test_api_author_pages_both_lists_as_the_page_does(tides):
    both = tides.get("/api/author/Zed?articles_page=2&page=3").get_json()
    comments = both["comments_page"]
    assert (comments["total"], comments["page"], comments["page_count"]) == (60, 3, 3)
    data = both["articles_page"]
    assert (data["total"], data["page"], data["per_page"], data["page_count"]) == (30, 2, 25, 2)
    assert [article["count"] for article in data["articles"]] == [1] * 5
    assert data["articles"][0]["url"] == f"/article/{data['articles'][0]['id']}"


def test_an_author_typed_in_the_box_cannot_widen_the_page_to_their_comments(archive):
    alone = archive.get("/api/author/alice").get_json()["comments_page"]
    widened = archive.get("/api/author/alice?q=author:Bob").get_json()["comments_page"]
    assert {hit["author"] for hit in widened["hits"]} == {"Alice"}
    assert widened["total"] == alone["total"]
