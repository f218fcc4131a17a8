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
    assert (number.get_text(), number["href"]) == ("#7", f"/article/{seed_article_id}?comment=7#c7")


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
    expected = get_thread(open_engine(seed_index), seed_article_id).to_json(page=1)
    assert response.status_code == 200
    data = response.get_json()
    added = [
        (c.pop("answered_by"), c.pop("quoted_by"), c.pop("url"), c.pop("folded"))
        for c in data["comments"]
    ]
    assert data.pop("url") == f"/article/{seed_article_id}"
    assert data == {**expected, "source": seed_path.name}
    assert len(added) == 14 and added[6][2] == f"/article/{seed_article_id}?comment=7#c7"
    assert (data["comment_count"], data["page"], data["page_count"]) == (14, 1, 1)


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
    assert page.select_one("#c4 .answered-by") is None


def test_thread_link_into_a_closed_fold_opens_it(archive):
    page = html(archive.get(f"/article/{BRIDGE_ID}"))
    assert page.select_one("#c2 .answered-by a")["href"] == f"/article/{BRIDGE_ID}?comment=3#c3"
    opened = html(archive.get(f"/article/{BRIDGE_ID}?comment=3"))
    assert opened.select_one("#c2 .answered-by a")["href"] == "#c3"


def test_thread_every_comment_has_a_permalink(archive):
    comments = html(archive.get(f"/article/{BRIDGE_ID}")).select("article.comment")
    assert [c.select_one("a.permalink")["href"] for c in comments] == [
        f"/article/{BRIDGE_ID}?comment={n}#c{n}" for n in (1, 2, 3, 4)
    ]


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
        ("https://example.org/bridges", f"/article/{thread_id}?comment={n}#c{n}") for n in (1, 2, 3)
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


DEEP_THREAD = Article(
    title="Who fixed the harbour lights",
    body="The lights are back.",
    date=datetime(2021, 6, 1),
    comments=(
        Comment("Ann", "Who paid for it?", 1, key="1"),
        Comment("Bob", "The council did.", 2, key="2", parent="1"),
        Comment("Cy", "No, the port did.", 3, key="3", parent="2"),
        Comment("Di", "Both, in halves.", 4, key="4", parent="3"),
        Comment("Eve", "They look lovely.", 5, key="5"),
    ),
)


def long_thread() -> Article:
    """241 comments: an opening one, then 60 chains of four, each comment answering the
    one before; the last of chains 0, 30 and 55 (comments 5, 125, 225) say "lighthouse"."""
    comments = [Comment("Ann", "First!", 1, key="open")]
    for chain in range(60):
        keys = [f"{chain}-{level}" for level in range(4)]
        word = "lighthouse" if chain in (0, 30, 55) else "harbour"
        comments += [
            Comment(
                f"Writer{level + 1}",
                f"Level {level + 1} of chain {chain}"
                + (f" about the {word}." if level == 3 else "."),
                2 + 4 * chain + level,
                key=key,
                parent=keys[level - 1] if level else None,
            )
            for level, key in enumerate(keys)
        ]
    return Article(
        title="A long thread", body="Body.", date=datetime(2021, 1, 1), comments=tuple(comments)
    )


LONG_THREAD = long_thread()
LONG_ID = article_id(LONG_THREAD)


@pytest.fixture(scope="module")
def long_client(tmp_path_factory: pytest.TempPathFactory):
    """A site over one thread of 241 comments: three pages."""
    return site_of(LONG_THREAD, tmp_path_factory.mktemp("long"))


def words(tag) -> str:
    return " ".join(tag.get_text().split())


def test_thread_shows_two_levels_and_folds_the_deeper_replies(tmp_path):
    page = html(site_of(DEEP_THREAD, tmp_path).get(f"/article/{article_id(DEEP_THREAD)}"))
    assert [a["id"] for a in page.select(".comment-tree > li > article")] == ["c1", "c5"]
    assert [a["id"] for a in page.select("#c1 ~ ol.replies > li > article")] == ["c2"]
    fold = page.select_one("details.more-replies")
    assert fold.find_parent("li").article["id"] == "c2"
    assert words(fold.summary) == "2 more replies" and not fold.has_attr("open")
    assert [a["id"] for a in fold.select("article.comment")] == ["c3", "c4"]
    assert fold.select_one("#c4 .in-reply-to").get_text() == "in reply to #3"


def test_thread_pages_after_100_comments_losing_and_repeating_none(long_client):
    seen = []
    for number in (1, 2, 3):
        page = html(long_client.get(f"/article/{LONG_ID}?page={number}"))
        seen += [comment["id"] for comment in page.select("article.comment")]
    assert seen == [f"c{n}" for n in range(1, 242)]


def test_thread_page_links_are_numbered_at_the_bottom(long_client):
    page = html(long_client.get(f"/article/{LONG_ID}?page=2"))
    nav = page.select(".comments > *")[-1]
    assert nav.name == "nav" and "pagination" in nav["class"]
    assert [a.get_text() for a in nav.select("a")] == ["← Previous", "1", "2", "3", "Next →"]
    assert nav.select_one("a[aria-current]")["href"] == f"/article/{LONG_ID}?page=2"
    assert words(page.select_one(".thread-pages")) == "Page 2 of 3: comments 101–200"
    assert words(page.select_one("#comments-heading")) == "241 comments"


def test_thread_of_one_page_has_no_page_links(client, seed_article_id):
    page = html(client.get(f"/article/{seed_article_id}"))
    assert page.select_one("nav.pagination") is None and page.select_one(".thread-pages") is None


def test_thread_page_starts_with_the_replies_continuing_from_the_last(long_client):
    first = html(long_client.get(f"/article/{LONG_ID}?page=2")).select_one(".comment-tree > li")
    note = first.select_one(".continued-from")
    assert words(note) == "More replies under #99, on page 1"
    assert note.a["href"] == f"/article/{LONG_ID}?comment=99#c99"
    assert words(first.summary) == "1 more reply"
    assert [a["id"] for a in first.select("article")] == ["c101"]


def test_thread_link_to_a_comment_opens_its_page_and_its_fold(long_client):
    page = html(long_client.get(f"/article/{LONG_ID}?comment=152"))
    assert page.select_one("nav.pagination a[aria-current]").get_text() == "2"
    opened = page.select("details.more-replies[open]")
    assert len(opened) == 1 and opened[0].select_one("#c152")
    assert page.select_one("#c151 .answered-by a")["href"] == "#c152"


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("page=4", 404, "This thread has no page 4: its comments fill 3 pages, 1 to 3."),
        ("page=0", 404, "This thread has no page 0"),
        ("page=two", 400, "'page' must be a whole number"),
        ("page=12345678901", 400, "'page' must be a whole number of up to 9 digits"),
        ("comment=242", 404, "This thread has no comment #242: it has 241 comments."),
    ],
)
def test_thread_refuses_pages_and_comments_it_does_not_have(long_client, query, status, message):
    for path in (f"/article/{LONG_ID}?{query}", f"/api/article/{LONG_ID}?{query}"):
        response = long_client.get(path)
        assert response.status_code == status
        assert message in html(response).get_text()


def test_thread_query_names_the_other_pages_holding_matches(long_client):
    page = html(long_client.get(f"/article/{LONG_ID}?q=lighthouse&page=2"))
    summary = page.select_one(".match-summary")
    assert words(summary).startswith(
        "3 comments match “lighthouse”: 1 on this page (first), 1 on page 1, 1 on page 3"
    )
    assert [a["href"] for a in summary.select("a.match-page")] == [
        f"/article/{LONG_ID}?q=lighthouse&comment={n}#c{n}" for n in (5, 225)
    ]
    assert [comment["id"] for comment in page.select("article.match")] == ["c125"]
    assert page.select_one("#c125").find_parent("details").has_attr("open")
    nav = page.select_one("#c125 .match-nav")
    assert [a["href"] for a in nav.select("a")] == [
        f"/article/{LONG_ID}?q=lighthouse&comment={n}#c{n}" for n in (5, 225)
    ]


def test_api_article_pages_as_the_page_does_and_gives_the_totals(long_client):
    data = long_client.get(f"/api/article/{LONG_ID}?comment=152&q=lighthouse").get_json()
    assert (data["comment_count"], data["page"], data["page_count"], data["per_page"]) == (
        241,
        2,
        3,
        100,
    )
    comments = data["comments"]
    assert [c["position"] for c in comments] == list(range(101, 201))
    assert [(c["level"], c["folded"]) for c in comments[1:5]] == [
        (1, False),
        (2, False),
        (3, True),
        (4, True),
    ]
    assert data["matches"] == [
        {"position": n, "page": page, "url": f"/article/{LONG_ID}?q=lighthouse&comment={n}#c{n}"}
        for n, page in ((5, 1), (125, 2), (225, 3))
    ]
