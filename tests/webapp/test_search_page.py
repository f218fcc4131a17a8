"""The search page `/` and its JSON twin `/api/search`."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask import request

import webapp.exports
import webapp.search
from indexer import Archive
from indexer.engines import open_engine
from indexer.indexing import index_paths
from indexer.search import SearchRequest, search
from tests.webapp.known_archive import BRIDGE_ID, BUDGET_ID
from webapp import create_app
from webapp.cli import cli
from webapp.state import SearchLinks, page_numbers


def html(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def hit_authors(page: BeautifulSoup) -> list[str]:
    return [a.get_text() for a in page.select(".hit .author")]


def text(element) -> str:
    """The element's text as a reader sees it: runs of white space as one space."""
    return " ".join(element.get_text().split())


def shown_hits(page: BeautifulSoup) -> list:
    """The hits in the results list itself, not those folded under another."""
    return page.select(".results > ol.hits > li.hit")


def points_at_comment(href: str, article_id: str, position: int) -> bool:
    parts = urlsplit(href)
    return (parts.path, parts.fragment) == (f"/article/{article_id}", f"c{position}")


def test_search_page_shows_hits_and_author_facet(client):
    page = html(client.get("/?q=Putin"))
    assert page.select_one(".result-count").get_text(" ", strip=True) == "8 results for “Putin”"
    assert len(page.select(".hit")) == 8
    authors = [a.select_one(".label").get_text() for a in page.select(".facet-author .facet-value")]
    assert "Umairpk" in authors


def test_search_author_facet_narrows_to_that_author(client):
    page = html(client.get("/?q=Putin"))
    link = next(
        a
        for a in page.select(".facet-author .facet-value")
        if a.select_one(".label").get_text() == "Umairpk"
    )
    narrowed = html(client.get(link["href"]))
    assert hit_authors(narrowed) == ["Umairpk"]
    assert [chip.span.get_text() for chip in narrowed.select(".chip")] == ["Author: Umairpk"]


def test_search_chosen_facet_value_stays_checked_with_its_count(client):
    page = html(client.get("/?q=Putin&author=Umairpk"))
    chosen = page.select(".facet-author .facet-value.selected")
    labels_and_counts = [(a.select_one(".label").text, a.select_one(".count").text) for a in chosen]
    assert labels_and_counts == [("Umairpk", "1")]
    assert parse_qs(urlsplit(chosen[0]["href"]).query) == {"q": ["Putin"]}


def test_search_hit_links_to_its_comment_in_the_thread(client, seed_article_id):
    hit = html(client.get("/?q=Putin&author=Umairpk")).select_one(".hit")
    assert points_at_comment(hit.select_one(".permalink")["href"], seed_article_id, 1)
    title = hit.select_one(".hit-title a")
    assert points_at_comment(title["href"], seed_article_id, 1)
    assert parse_qs(urlsplit(title["href"]).query)["q"] == ["Putin"]


def test_search_comment_hit_leads_with_who_said_it_to_whom(archive):
    hit = html(archive.get("/?q=splendid&kind=comment&author=Bob")).select_one(".hit")
    assert text(hit.select_one("h2.hit-head")) == "comment Bob, replying to Alice · comment 2 of 4"
    assert hit.select_one(".hit-head .author")["href"] == "/author/Bob"
    assert hit.select_one(".hit-head .parent-author")["href"] == "/author/Alice"
    title = hit.select_one("p .hit-title")
    assert text(title) == "on Harbour bridge reopens"
    assert points_at_comment(title.a["href"], BRIDGE_ID, 2)


def test_search_comment_hit_answering_no_one_names_only_its_author(archive):
    hit = html(archive.get("/?author=Dave")).select_one(".hit")
    assert text(hit.select_one(".hit-head")) == "comment Dave · comment 3 of 3"
    assert hit.select_one(".parent-author") is None


def test_search_article_hit_keeps_its_title_as_headline(archive):
    hit = html(archive.get("/?q=budget&kind=article")).select_one(".hit")
    assert hit.select_one(".hit-head") is None
    assert text(hit.select_one("h2.hit-title")) == "Council votes on harbour budget"
    assert text(hit.select_one(".hit-meta .badge")) == "article"
    assert text(hit.select_one(".hit-foot")) == "3 comments · permalink"


def test_search_comment_without_own_date_shows_article_date(client):
    meta = html(client.get("/?q=Putin&author=Umairpk")).select_one(".hit-meta")
    assert meta.time["datetime"] == "2012-03-08"
    assert meta.select_one(".date-note").get_text() == "(article date)"


def test_api_search_equals_library_and_cli_json(client, seed_index: Path):
    api = client.get("/api/search?q=Putin&author=Umairpk")
    library = search(open_engine(seed_index), SearchRequest(q="Putin", authors=("Umairpk",)))
    cli_run = CliRunner().invoke(
        cli, ["search", "Putin", "--author", "Umairpk", "--json", "--index", str(seed_index)]
    )
    assert cli_run.exit_code == 0, cli_run.output
    assert api.status_code == 200
    site = api.get_json()
    permalinks = html(client.get("/?q=Putin&author=Umairpk")).select(".permalink")
    assert [hit.pop("url") for hit in site["hits"]] == [a["href"] for a in permalinks]
    assert site.pop("groups") is None
    assert site == library.to_json() == json.loads(cli_run.output)


def test_search_page_renders_markup_in_comments_and_names_as_text(client):
    response = client.get("/?q=Putin")
    page = html(response)
    assert [script["src"] for script in page.find_all("script")] == ["/static/enhance.js"]
    assert page.find_all("img") == [] and page.find_all("i") == []
    assert "<i>Mallory</i>" in hit_authors(page)
    assert "&lt;i&gt;Mallory&lt;/i&gt;" in response.get_data(as_text=True)
    titles = [a.get_text() for a in page.select(".hit-title a")]
    assert "Comments <b>with</b> markup in them" in titles


def test_search_page_shows_the_escaped_snippet_unchanged(client):
    """The library escapes snippets; the page must neither unescape nor escape them again."""
    query = "q=Putin&author=<i>Mallory</i>"
    [hit] = client.get(f"/api/search?{query}").get_json()["hits"]
    snippet = html(client.get(f"/?{query}")).select_one(".snippet")
    assert "&lt;" in hit["snippet"] and "<mark>Putin</mark>" in hit["snippet"]
    assert snippet.decode_contents() == hit["snippet"]
    assert [mark.get_text() for mark in snippet.find_all("mark")] == ["Putin"]


def test_api_search_snippet_keeps_markup_escaped(client):
    [hit] = client.get("/api/search?q=Putin&author=<i>Mallory</i>").get_json()["hits"]
    assert hit["author"] == "<i>Mallory</i>"
    assert "&lt;/script&gt;" in hit["snippet"] and "<script>" not in hit["snippet"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=abc", "'page' must be a whole number"),
        ("per_page=ten", "'per_page' must be a whole number"),
        ("year=2012a", "'year' must be a whole number"),
        ("sort=bogus", "Unknown sort 'bogus'"),
        ("kind=post", "Unknown kind 'post'"),
        ("page=0", "The page number starts at 1."),
        ("month=2019-3", "A month is written YYYY-MM, not '2019-3'."),
        (
            "group=author",
            "Unknown group 'author': use group=none for every hit in rank order, or leave it out",
        ),
    ],
)
def test_search_bad_argument_is_a_400_page_saying_what_is_wrong(client, query, message):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert message in html(response).select_one(".error-message").get_text()


@pytest.mark.parametrize(
    ("query", "error"),
    [
        (
            "sort=bogus",
            "Unknown sort 'bogus': use one of relevance, newest, oldest, votes, replies,"
            " discussed.",
        ),
        (
            "facet=colour",
            "Unknown facet 'colour': use one of kind, site, author, article, year, month, signed,"
            " copies.",
        ),
        ("facet_size=0", "The facet size must be between 1 and 100."),
        ("highlight=yes", "'highlight' must be a whole number of up to 9 digits, not 'yes'."),
    ],
)
def test_api_search_bad_argument_is_a_400_json_error(client, query, error):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400
    assert response.get_json() == {"ok": False, "error": error, "status": 400}


def test_search_without_index_shows_the_command_that_builds_it(no_index_app):
    response = no_index_app.test_client().get("/?q=Putin")
    assert response.status_code == 503
    command = html(response).select_one("pre code").get_text()
    assert command.startswith("hubbub index --index ") and command.endswith(" corpus/")
    assert no_index_app.config["INDEX_DIR"] in command


def test_search_with_an_outdated_index_shows_the_command_that_rebuilds_it(outdated_index):
    app = create_app({"TESTING": True, "INDEX_DIR": str(outdated_index)})
    page = html(app.test_client().get("/?q=Putin"))
    assert page.select_one("h1").get_text() == "The index needs rebuilding"
    assert page.select_one("pre code").get_text().startswith("hubbub index --rebuild --index ")


def test_api_search_with_an_outdated_index_is_a_503_saying_to_rebuild(outdated_index):
    app = create_app({"TESTING": True, "INDEX_DIR": str(outdated_index)})
    response = app.test_client().get("/api/search?q=Putin")
    assert response.status_code == 503
    assert response.get_json()["error"].startswith(
        "The index needs rebuilding. Build it with: hubbub index --rebuild --index "
    )


def test_api_search_without_index_is_a_503_json_error(no_index_app):
    response = no_index_app.test_client().get("/api/search?q=Putin")
    assert response.status_code == 503
    body = response.get_json()
    assert body["ok"] is False and body["status"] == 503
    assert "hubbub index" in body["error"]


def test_search_no_hits_suggests_removing_a_filter(client):
    page = html(client.get("/?q=Putin&author=Umairpk&kind=article"))
    assert page.select(".hit") == []
    empty = page.select_one(".empty")
    assert "with the chosen filters" in empty.get_text()
    assert empty.find("a", string="search without any filters")["href"] == "/?q=Putin"


def test_search_shows_the_notice_for_an_unreadable_query(client, monkeypatch):
    def search_with_notice(archive, request=None, **options):
        found = search(archive.engine, request)
        return dataclasses.replace(found, notice="Searched the plain words.")

    monkeypatch.setattr(Archive, "search", search_with_notice)
    page = html(client.get("/?q=Putin"))
    notice = page.select_one(".notice")
    assert notice.get_text(" ", strip=True).startswith("Searched the plain words.")
    assert notice.a["href"] == "/help"


def test_search_paginates_with_numbered_pages_and_next(client):
    page = html(client.get("/?q=Putin&per_page=3&page=2"))
    pagination = page.select_one(".pagination")
    assert [a.get_text() for a in pagination.select("a")] == ["← Previous", "1", "2", "3", "Next →"]
    assert pagination.select_one("[aria-current=page]").get_text() == "2"
    assert pagination.select_one("[rel=next]")["href"] == "/?q=Putin&per_page=3&page=3"


@pytest.mark.parametrize(
    ("current", "count", "expected"),
    [
        (1, 1, [1]),
        (2, 3, [1, 2, 3]),
        (1, 10, [1, 2, 3, None, 10]),
        (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
    ],
)
def test_page_numbers_keep_first_last_and_a_window(current, count, expected):
    assert page_numbers(current, count) == expected


def test_search_links_changing_a_filter_or_sort_go_back_to_page_one(app):
    with app.test_request_context("/?q=Putin&author=A&page=3"):
        links = SearchLinks(request.args)
        assert links.adding("author", "B") == "/?q=Putin&author=A&author=B"
        assert links.removing("author", "A") == "/?q=Putin"
        assert links.sorted_by("newest") == "/?q=Putin&author=A&sort=newest"
        assert links.without_filters() == "/?q=Putin"
        assert links.at_page(4) == "/?q=Putin&author=A&page=4"


def test_search_author_facet_shows_the_top_ten_and_folds_the_whole_list_under_more(client):
    facet = html(client.get("/")).select_one(".facet-author")
    every = facet.select("details.more .facet-value")
    assert len(facet.select(":scope > ul .facet-value")) == 10
    assert len(every) > 10
    summary = facet.select_one("details.more summary").get_text()
    assert summary == f"more… ({len(every)} authors)"
    assert not facet.select_one("details.more").has_attr("open")


def test_search_author_chosen_from_more_keeps_more_open(client):
    folded = html(client.get("/")).select(".facet-author details.more .facet-value .label")
    name = folded[-1].get_text()
    page = html(client.get("/", query_string={"author": name}))
    assert page.select_one(".facet-author details.more").has_attr("open")


def test_search_box_keeps_the_chosen_filters(client):
    form = html(client.get("/?q=Putin&author=Umairpk&year=2012&sort=newest&page=2")).select_one(
        "form.search-box"
    )
    hidden = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")]
    assert hidden == [("author", "Umairpk"), ("year", "2012"), ("sort", "newest")]
    assert form.select_one("input[name=q]")["value"] == "Putin"


def test_search_author_chosen_in_another_case_can_be_removed(client):
    page = html(client.get("/?q=Putin&author=umairpk"))
    assert hit_authors(page) == ["Umairpk"]
    assert page.select_one(".chip-remove")["href"] == "/?q=Putin"
    assert page.select_one(".facet-author .facet-value.selected")["href"] == "/?q=Putin"


def test_search_unparsable_query_shows_the_notice_not_an_error(client):
    response = client.get('/?q="unclosed Putin')
    assert response.status_code == 200
    notice = html(response).select_one(".notice").get_text(" ", strip=True)
    assert notice.startswith("Could not read the query: a quotation mark is not closed.")


def test_search_folds_an_articles_later_hits_under_its_first(archive):
    page = html(archive.get("/?q=harbour+OR+budget"))
    assert text(page.select_one(".result-count")) == "6 results for “harbour OR budget”"
    groups = [
        (text(hit.select_one(".hit-title")), text(hit.select_one(".article-more summary")))
        for hit in shown_hits(page)
    ]
    assert sorted(groups) == [
        ("Council votes on harbour budget", "3 more in this thread"),
        ("Harbour bridge reopens", "1 more in this thread"),
    ]
    assert len(page.select(".hit")) == 6


def test_search_group_links_the_articles_hits_on_other_pages(archive):
    page = html(archive.get("/?q=harbour+OR+budget&sort=oldest&per_page=3"))
    bridge, budget = shown_hits(page)
    assert bridge.select(".article-search") == [] and len(bridge.select(".hit")) == 1
    assert budget.select(".article-more details") == []
    link = budget.select_one(".article-search")
    assert text(link) == "3 more in this thread"
    assert parse_qs(urlsplit(link["href"]).query) == {
        "q": ["harbour OR budget"],
        "sort": ["oldest"],
        "per_page": ["3"],
        "article": [BUDGET_ID],
    }


def test_search_group_link_chooses_only_its_article(archive):
    page = html(archive.get(f"/?per_page=6&article={BRIDGE_ID}&article={BUDGET_ID}&sort=oldest"))
    budget = html(archive.get(page.select_one(".article-search")["href"]))
    assert text(budget.select_one(".result-count")) == "4 results"
    assert [chip.span.get_text() for chip in budget.select(".chip")] == [
        "Article: Council votes on harbour budget"
    ]


def test_search_page_of_one_article_is_not_folded(archive):
    page = html(archive.get("/?q=timetable"))
    assert len(shown_hits(page)) == 4 and page.select(".article-more") == []


def test_search_list_layout_shows_every_hit_in_rank_order(archive):
    page = html(archive.get("/?q=harbour+OR+budget&group=none"))
    assert len(shown_hits(page)) == 6 and page.select(".article-more") == []
    assert text(page.select_one("nav.layout [aria-current]")) == "List"


def test_api_search_groups_the_hits_as_the_page_folds_them(archive):
    query = "q=harbour+OR+budget&sort=oldest&per_page=3"
    data = archive.get(f"/api/search?{query}").get_json()
    ids = [hit["id"] for hit in data["hits"]]
    groups = [(group["article_id"], group["count"], group["hits"]) for group in data["groups"]]
    assert groups == [(BRIDGE_ID, 2, ids[:2]), (BUDGET_ID, 4, ids[2:])]
    page = html(archive.get(f"/?{query}"))
    assert [len(hit.select(".article-more .hit")) for hit in shown_hits(page)] == [1, 0]
    assert archive.get(f"/api/search?{query}&group=none").get_json()["groups"] is None


def test_search_layout_links_switch_between_groups_and_list(archive):
    page = html(archive.get("/?q=harbour&page=2&per_page=2"))
    layout = {a.get_text(): a["href"] for a in page.select("nav.layout a")}
    assert layout == {
        "By article": "/?q=harbour&per_page=2",
        "List": "/?q=harbour&per_page=2&group=none",
    }


def test_search_did_you_mean_links_to_the_same_search_with_the_suggestion(archive):
    page = html(archive.get("/?q=harbur+budgt&kind=comment&page=2"))
    link = page.select_one(".empty a")
    assert link.parent.get_text(" ", strip=True) == "Did you mean harbour budget ?"
    assert parse_qs(urlsplit(link["href"]).query) == {
        "q": ["harbour budget"],
        "kind": ["comment"],
    }


def test_search_did_you_mean_shows_above_a_few_hits(archive):
    page = html(archive.get("/?q=splendid+OR+splendd"))
    assert page.select(".hit")
    assert page.select_one(".did-you-mean a").get_text() == "splendid OR splendid"


def test_search_empty_state_offers_each_filter_to_remove_and_the_syntax(archive):
    page = html(archive.get("/?q=timetable&author=Bob&year=2019"))
    empty = page.select_one(".empty")
    removals = {a.get_text(): a["href"] for a in empty.select(".remove-filters a")}
    assert removals == {
        "Author: Bob": "/?q=timetable&year=2019",
        "Year: 2019": "/?q=timetable&author=Bob",
        "search without any filters": "/?q=timetable",
    }
    assert empty.find("a", string="search syntax")["href"] == "/help"


def test_search_empty_state_offers_no_export(archive):
    page = html(archive.get("/?q=nothingatall"))
    assert page.select_one(".empty") and page.select_one(".exports") is None


def test_search_export_links_carry_the_exact_search_without_paging(archive):
    page = html(archive.get("/?q=harbour&author=Bob&sort=oldest&page=2&per_page=1&group=article"))
    links = {a.get_text(): a["href"] for a in page.select(".exports a")}
    state = "?q=harbour&author=Bob&sort=oldest"
    assert links == {
        "CSV": f"/export.csv{state}",
        "JSON": f"/export.json{state}",
        "NDJSON": f"/export.ndjson{state}",
        "Atom feed": f"/feed.atom{state}",
    }


def test_search_states_the_export_cap(archive):
    text = html(archive.get("/")).select_one(".export-cap").get_text(" ", strip=True)
    assert text == "Exports hold at most 10,000 rows."


def test_search_says_when_the_export_would_be_cut(archive, monkeypatch):
    monkeypatch.setattr(webapp.exports, "EXPORT_CAP", 10)
    text = html(archive.get("/")).select_one(".export-cap").get_text(" ", strip=True)
    assert text == "Exports hold at most 10 rows: this search has 14, so they hold the first 10."


def test_search_page_head_links_the_feed_of_this_search(archive):
    page = html(archive.get("/?q=harbour&page=2"))
    feed = page.select_one("head link[type='application/atom+xml']")
    assert (feed["rel"], feed["href"]) == (["alternate"], "/feed.atom?q=harbour")


def test_search_skip_link_goes_to_the_results(archive):
    page = html(archive.get("/"))
    skip = page.select_one("body > a.skip-link")
    assert (skip.get_text(), skip["href"]) == ("Skip to results", "#results")
    assert page.select_one("#results")


def test_search_every_form_control_has_a_label(archive):
    page = html(archive.get("/?year=2020&author_filter=a"))
    controls = page.select("input:not([type=hidden])")
    assert len(controls) == 4
    for control in controls:
        assert page.select_one(f"label[for={control['id']}]"), control


def test_search_author_links_go_to_the_author_page(archive):
    hit = html(archive.get("/?author=Alice")).select_one(".hit .author")
    assert hit["href"] == "/author/Alice"


def test_search_page_says_when_results_are_partial(client, monkeypatch):
    monkeypatch.setattr("indexer.search.QUERY_SECONDS", -1.0)
    monkeypatch.setattr("indexer.engines.whoosh.DEADLINE_CHECK_EVERY", 2)
    page = client.get("/?q=putin").get_data(as_text=True)
    assert "ran out of time" in page


def test_search_page_over_an_index_with_no_documents_answers(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    index_paths([empty], tmp_path / "index")
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    assert [client.get("/api/search?q=x").status_code for _ in range(3)] == [200, 200, 200]
    assert client.get("/api/search").get_json()["total"] == 0


def test_api_search_counts_only_the_facets_named(client):
    facets = client.get("/api/search?q=putin&facet=author&facet=year").get_json()["facets"]
    assert [name for name, values in facets.items() if values] == ["author", "year"]


def test_api_search_facet_none_counts_no_facet_but_keeps_total_and_hits(client):
    counted = client.get("/api/search?q=putin&facet=none").get_json()
    every = client.get("/api/search?q=putin").get_json()
    assert not any(counted["facets"].values())
    assert (counted["total"], counted["hits"]) == (every["total"], every["hits"])


def test_api_search_facet_size_cuts_each_facet(client):
    facets = client.get("/api/search?facet=author&facet_size=3").get_json()["facets"]
    assert len(facets["author"]) == 3


def test_api_search_highlight_0_gives_unmarked_snippets(client):
    hits = client.get("/api/search?q=putin&highlight=0").get_json()["hits"]
    assert hits and not any("<mark>" in hit["snippet"] for hit in hits)
