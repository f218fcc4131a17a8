from datetime import datetime
from pathlib import Path

import pytest

from indexer.readers.files import ReaderError
from indexer.readers.jsonl import looks_like_jsonl, parse_jsonl

THREAD = Path(__file__).resolve().parents[1] / "fixtures" / "jsonl" / "thread.jsonl"


@pytest.fixture
def articles():
    return parse_jsonl(THREAD.read_bytes())


def test_parse_jsonl_groups_comments_under_their_article(articles):
    assert [a.title for a in articles] == ["Bridges of the Vistula", "orphan-thread"]
    assert [len(a.comments) for a in articles] == [3, 1]


def test_parse_jsonl_keeps_article_fields(articles):
    article = articles[0]
    assert (article.key, article.byline, article.url) == (
        "post-7",
        "Ewa Nowak",
        "https://example.org/bridges",
    )
    assert article.body == "The city opened a new bridge.\n\nTraffic eased at once."


def test_parse_jsonl_reads_iso_dates_as_utc(articles):
    assert articles[0].date == datetime(2019, 5, 4, 7, 30)
    assert articles[0].comments[0].date == datetime(2019, 5, 4, 10, 0)


def test_parse_jsonl_leaves_unreadable_or_missing_dates_empty(articles):
    assert [c.date for c in articles[0].comments[1:]] == [None, None]


def test_parse_jsonl_orders_comments_by_position_and_keeps_parents(articles):
    comments = articles[0].comments
    assert [(c.key, c.position, c.parent) for c in comments] == [
        ("c1", 1, None),
        ("c2", 2, "c1"),
        ("c3", 3, "c2"),
    ]


def test_parse_jsonl_names_a_missing_author_anonymous(articles):
    assert articles[1].comments[0].author == "Anonymous"


@pytest.mark.parametrize(
    "line, reason",
    [
        (b"{not json", "line 1: not JSON"),
        (b'{"kind": "video", "body": "x"}', "line 1: 'kind' must be"),
        (b'{"kind": "article"}', "line 1: 'body' is required"),
        (b'{"kind": "comment", "body": "x"}', "line 1: a comment needs its 'article_id'"),
        (b"[1, 2]", "line 1: not a JSON object"),
    ],
)
def test_parse_jsonl_refuses_a_bad_line_naming_it(line, reason):
    with pytest.raises(ReaderError, match=reason):
        parse_jsonl(line)


@pytest.mark.parametrize(
    "head, expected",
    [
        (b'{"kind": "article", "body": ""}\n', True),
        (b'\xef\xbb\xbf\n{"kind": "comment"', True),
        (b'{"title": "no kind"}\n', False),
        (b"Title line\n\nBody", False),
    ],
)
def test_looks_like_jsonl_needs_an_object_with_a_kind(head, expected):
    assert looks_like_jsonl(head) is expected
