"""The thread view `/article/<id>` and its JSON twin `/api/article/<id>`."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.documents import article_id
from indexer.engines import open_engine
from indexer.indexing import index_records
from indexer.readers import read_file
from indexer.records import Article, Comment
from indexer.threads import get_thread
from tests.webapp.known_archive import BRIDGE_ID
from webapp import create_app

THREAD_JSONL = Path(__file__).resolve().parents[1] / "fixtures" / "jsonl" / "thread.jsonl"
REPLY_THREAD = Article(
    title="A thread with replies",
    body="First paragraph.\n\nSecond paragraph.",
    date=datetime(2020, 5, 1),
    comments=(
        Comment(
            author="Ann",
            body="Line one\nline two\n\nNext paragraph.",
            position=1,
            key="a",
            date=datetime(2020, 5, 2),
        ),
        Comment(author="Bob", body="I disagree.", position=2, key="b", parent="a"),
    ),
)


def html(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def reply_client(tmp_path: Path):
    """A site over one thread whose second comment answers the first."""
    return site_of(REPLY_THREAD, tmp_path)


def test_thread_lists_all_14_commenters_in_order(client, seed_article_id, seed_commenters):
    page = html(client.get(f"/article/{seed_article_id}"))
    comments = page.select("article.comment")
    assert [c["id"] for c in comments] == [f"c{n}" for n in range(1, 15)]
    assert [c.select_one(".author").get_text() for c in comments] == seed_commenters
    assert page.select_one("#comments-heading").get_text(strip=True) == "14 comments"


def test_thread_shows_the_article_before_its_comments(client, seed_article_id):
    article = html(client.get(f"/article/{seed_article_id}")).select_one(".thread-article")
    assert article.h1.get_text() == "Beneath the radar, a Russia-Pakistan entente takes shape"
    assert article.time["datetime"] == "2012-03-08"
    assert article.select_one(".source").get_text() == (
        "reuters-blog-russia-pakistan-entente-2012-03-08.txt"
    )
    assert article.select_one(".caption").get_text().startswith("Russian PM Putin shakes hands")
    assert len(article.select(".body p")) > 5


def test_thread_comment_without_its_own_date_shows_no_date(client, seed_article_id):
    comment = html(client.get(f"/article/{seed_article_id}")).select_one("#c1")
    assert comment.find("time") is None


def test_thread_comment_has_its_number_as_permalink(client, seed_article_id):
    number = html(client.get(f"/article/{seed_article_id}")).select_one("#c7 .comment-number")
    assert (number.get_text(), number["href"]) == ("#7", "#c7")


def test_thread_renders_markup_in_comments_and_names_as_text(client, hostile_article_id):
    page = html(client.get(f"/article/{hostile_article_id}"))
    assert [script["src"] for script in page.find_all("script")] == ["/static/enhance.js"]
    assert page.find_all("img") == [] and page.find_all("i") == []
    comment = page.select_one("#c1")
    assert comment.select_one(".author").get_text() == "<i>Mallory</i>"
    assert "<script>alert(1)</script>" in comment.select_one(".body").get_text()
    assert page.h1.get_text() == "Comments <b>with</b> markup in them"


def test_thread_reply_is_marked_in_reply_to_its_parent(reply_client):
    page = html(reply_client.get(f"/article/{article_id(REPLY_THREAD)}"))
    reply = page.select_one("#c2")
    assert "reply" in reply["class"]
    assert reply.select_one(".in-reply-to")["href"] == "#c1"
    assert reply.select_one(".in-reply-to").get_text() == "in reply to #1"
    assert page.select_one("#c1 .in-reply-to") is None


def test_thread_body_keeps_paragraphs_and_line_breaks(reply_client):
    comment = html(reply_client.get(f"/article/{article_id(REPLY_THREAD)}")).select_one("#c1")
    paragraphs = comment.select(".body p")
    assert [p.get_text() for p in paragraphs] == ["Line oneline two", "Next paragraph."]
    assert len(paragraphs[0].find_all("br")) == 1
    assert comment.time["datetime"] == "2020-05-02"


def test_thread_marks_comments_matching_the_query(client, seed_article_id):
    page = html(client.get(f"/article/{seed_article_id}?q=Putin"))
    matching = [c["id"] for c in page.select("article.comment.match")]
    assert matching == ["c1", "c2", "c4", "c7", "c10"]
    assert page.select_one("#c2 .match-nav").find("a", string="next match")["href"] == "#c4"


def test_api_article_is_the_library_thread_with_answers_read_back(
    client, seed_index, seed_path, seed_article_id
):
    response = client.get(f"/api/article/{seed_article_id}")
    expected = get_thread(open_engine(seed_index), seed_article_id).to_json()
    assert response.status_code == 200
    data = response.get_json()
    added = [(c.pop("answered_by"), c.pop("quoted_by"), c.pop("url")) for c in data["comments"]]
    assert data.pop("url") == f"/article/{seed_article_id}"
    assert data == {**expected, "source": seed_path.name}
    assert len(added) == 14 and added[6][2] == f"/article/{seed_article_id}#c7"


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [
        ("/article/no-such-article", "text/html"),
        ("/api/article/no-such-article", "application/json"),
    ],
)
def test_thread_unknown_article_is_404(client, path, mimetype):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == mimetype
    assert "There is no article with the id 'no-such-article'" in html(response).get_text()


def test_thread_answered_comment_links_to_its_replies(archive):
    page = html(archive.get(f"/article/{BRIDGE_ID}"))
    answered = page.select_one("#c1 .answered-by")
    assert answered.get_text(" ", strip=True) == "answered by #2"
    assert answered.a["href"] == "#c2"
    assert page.select_one("#c2 .answered-by a")["href"] == "#c3"
    assert page.select_one("#c4 .answered-by") is None


def test_thread_every_comment_has_a_permalink(archive):
    comments = html(archive.get(f"/article/{BRIDGE_ID}")).select("article.comment")
    assert [c.select_one("a.permalink")["href"] for c in comments] == ["#c1", "#c2", "#c3", "#c4"]


def test_thread_commenters_link_to_their_author_pages(archive):
    author = html(archive.get(f"/article/{BRIDGE_ID}")).select_one("#c2 .author")
    assert author["href"] == "/author/Bob"


def site_of(article: Article, tmp_path: Path):
    """A site over the one thread given."""
    index_dir = tmp_path / "index"
    index_records([article], index_dir, "replies.txt")
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()


def test_thread_links_to_the_page_its_article_was_read_from(mixed_client):
    thread_id = article_id(read_file(THREAD_JSONL)[0])
    link = html(mixed_client.get(f"/article/{thread_id}")).select_one(".byline a.original-page")
    assert (link.get_text(), link["href"]) == ("original page", "https://example.org/bridges")
    assert link["rel"] == ["noopener", "noreferrer", "nofollow"]


def test_api_article_gives_the_original_address_beside_the_sites_links(mixed_client):
    thread_id = article_id(read_file(THREAD_JSONL)[0])
    data = mixed_client.get(f"/api/article/{thread_id}").get_json()
    assert (data["source_url"], data["url"]) == (
        "https://example.org/bridges",
        f"/article/{thread_id}",
    )
    assert [(c["source_url"], c["url"]) for c in data["comments"]] == [
        ("https://example.org/bridges", f"/article/{thread_id}#c{n}") for n in (1, 2, 3)
    ]


@pytest.mark.parametrize(
    "url",
    [
        None,
        "javascript:alert(1)",
        "JavaScript://example.org/%0Aalert(1)",
        "file:///etc/passwd",
        "ftp://example.org/bridges",
        "example.org/bridges",
        "https://",
    ],
)
def test_thread_links_no_original_page_unless_its_address_is_a_web_page(tmp_path, url):
    client = site_of(replace(REPLY_THREAD, url=url), tmp_path)
    page = html(client.get(f"/article/{article_id(REPLY_THREAD)}"))
    assert page.select_one(".original-page") is None
    assert "original page" not in page.get_text()


def test_thread_original_page_address_is_escaped(tmp_path):
    address = 'https://example.org/a?b="><script>alert(1)</script>'
    client = site_of(replace(REPLY_THREAD, url=address), tmp_path)
    page = html(client.get(f"/article/{article_id(REPLY_THREAD)}"))
    assert page.select_one("a.original-page")["href"] == address
    assert [script["src"] for script in page.find_all("script")] == ["/static/enhance.js"]


def test_a_stand_in_article_says_its_comments_came_without_it(tmp_path):
    stand_in = replace(
        REPLY_THREAD,
        title="Reddit thread t3_q1",
        body="",
        key="t3_q1",
        split_thread=True,
        stand_in=True,
    )
    client = site_of(stand_in, tmp_path)
    page = html(client.get(f"/article/{article_id(stand_in)}"))
    assert "in no file indexed yet" in page.select_one(".stand-in").get_text()
    assert client.get(f"/api/article/{article_id(stand_in)}").get_json()["stand_in"] is True
    real = html(
        site_of(REPLY_THREAD, tmp_path / "real").get(f"/article/{article_id(REPLY_THREAD)}")
    )
    assert real.select_one(".stand-in") is None
