"""The sorts a reader picks: by replies, by the size of the thread, ties newest first, and
an empty query listed newest first unless another sort is asked for."""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from indexer import SORTS, Archive, SearchRequest
from indexer.cli import cli
from indexer.records import Article, Comment
from webapp import create_app

THREADS = [
    Article(
        title="Ferries return",
        body="The ferries are back.",
        date=datetime(2020, 3, 1),
        key="ferries",
        comments=(
            Comment("Ola", "Finally the ferries.", 1, datetime(2020, 3, 1, 9), key="a"),
            Comment("Marek", "Too late.", 2, datetime(2020, 3, 1, 10), key="b", parent="a"),
            Comment("Ewa", "Not too late.", 3, datetime(2020, 3, 1, 11), key="c", parent="a"),
            Comment("Jan", "Ferries, at last.", 4, datetime(2020, 3, 1, 12), key="d", parent="a"),
            Comment("Ewa", "Why late?", 5, datetime(2020, 3, 1, 13), key="e", parent="b"),
        ),
    ),
    Article(
        title="New bridge opens",
        body="The bridge is open.",
        date=datetime(2020, 3, 5),
        key="bridge",
        comments=(
            Comment("Ola", "About time.", 1, datetime(2020, 3, 5, 9), key="f"),
            Comment("Jan", "Nice bridge.", 2, datetime(2020, 3, 5, 10), key="g"),
        ),
    ),
    Article(title="Harbour closed", body="No ferries today.", date=datetime(2020, 3, 9)),
]


@pytest.fixture
def archive(index_dir) -> Archive:
    archive = Archive.open(index_dir)
    archive.add_records(THREADS, "made-in-code")
    return archive


def bodies(archive: Archive, **options: object) -> list[str]:
    return [hit.document.body for hit in archive.search(per_page=100, **options).hits]


@pytest.mark.engines()
def test_sort_replies_puts_the_most_answered_first_and_ties_newest_first(archive):
    assert bodies(archive, q="kind:comment", sort="replies") == [
        "Finally the ferries.",  # three replies
        "Too late.",  # one
        "Nice bridge.",  # none: newest first from here
        "About time.",
        "Why late?",
        "Ferries, at last.",
        "Not too late.",
    ]


@pytest.mark.engines()
def test_sort_replies_counts_an_articles_top_level_comments(archive):
    articles = [hit.document for hit in archive.search(kinds=["article"], sort="replies").hits]
    assert [(doc.article_title, doc.replies) for doc in articles] == [
        ("New bridge opens", 2),
        ("Ferries return", 1),
        ("Harbour closed", 0),
    ]


@pytest.mark.engines()
def test_sort_discussed_puts_the_longest_threads_documents_first(archive):
    titles = [hit.document.article_title for hit in archive.search(sort="discussed").hits]
    assert titles == ["Ferries return"] * 6 + ["New bridge opens"] * 3 + ["Harbour closed"]


@pytest.mark.engines()
def test_an_empty_query_lists_the_newest_first(archive):
    newest = bodies(archive, sort="newest")
    assert newest[0] == "No ferries today."
    assert bodies(archive) == newest
    assert bodies(archive, q="after:2020") == newest


def test_a_query_with_words_sorts_by_relevance_unless_told_otherwise():
    assert SearchRequest(q="ferries").effective_sort == "relevance"
    assert SearchRequest(q="ferries", sort="oldest").effective_sort == "oldest"


def test_relevance_asked_for_is_kept_for_an_empty_query(archive):
    """Whoever names a sort gets it, as a link with `sort=relevance` promises."""
    result = archive.search(sort="relevance")
    assert result.to_json()["sort"] == "relevance"
    assert archive.search().to_json()["sort"] == "newest"


def test_the_command_line_lists_an_empty_query_newest_first(archive, index_dir):
    found = CliRunner().invoke(cli, ["search", "--index", str(index_dir), "--json"])
    data = json.loads(found.output)
    assert data["sort"] == "newest"
    assert data["hits"][0]["date"] == "2020-03-09"


def test_the_command_line_sorts_by_replies(archive, index_dir):
    found = CliRunner().invoke(
        cli, ["search", "kind:comment", "--sort", "replies", "--index", str(index_dir)]
    )
    assert found.exit_code == 0
    assert "  1. Ola" in found.output
    assert found.output.index("Finally the ferries.") < found.output.index("  2. Marek")


@pytest.mark.parametrize(
    "query, chosen, label",
    [
        ("", "newest", "Newest"),
        ("q=ferries", "relevance", "Relevance"),
        ("sort=relevance", "relevance", "Relevance"),
        ("sort=replies", "replies", "Most answered"),
    ],
)
def test_the_sites_sort_control_shows_the_order_of_the_hits(
    archive, index_dir, query, chosen, label
):
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    page = BeautifulSoup(client.get(f"/?{query}").get_data(as_text=True), "html.parser")
    control = page.select_one('nav[aria-label="Sort"]')
    assert [link.get_text() for link in control.select('[aria-current="true"]')] == [label]
    offered = {parse_qs(urlsplit(link["href"]).query).get("sort", [""])[0] for link in control("a")}
    assert offered == set(SORTS)
    assert client.get(f"/api/search?{query}").get_json()["sort"] == chosen


def test_the_site_sorts_by_the_thread_size_when_asked(archive, index_dir):
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    hits = client.get("/api/search?sort=discussed&per_page=100").get_json()["hits"]
    assert [hit["thread_length"] for hit in hits] == [5] * 6 + [2] * 3 + [0]
