"""Tests for the Hacker News reader (items as the official API returns them, one a line)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from indexer.readers.files import ReaderError
from indexer.readers.hackernews import looks_like_hackernews, parse_hackernews
from indexer.readers.jsonl import looks_like_jsonl
from indexer.readers.reddit import looks_like_reddit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ITEMS = FIXTURES / "hackernews" / "items.ndjson"
REDDIT_SUBMISSIONS = FIXTURES / "reddit" / "RS_sample.ndjson"
REDDIT_COMMENTS = FIXTURES / "reddit" / "RC_sample.ndjson"
JSONL = FIXTURES / "jsonl" / "thread.jsonl"


@pytest.fixture(scope="module")
def articles():
    return {article.key: article for article in parse_hackernews(ITEMS.read_bytes())}


def lines(*items: dict) -> bytes:
    return "\n".join(json.dumps(item) for item in items).encode()


def test_stories_jobs_polls_and_orphans_become_articles_in_file_order():
    articles = parse_hackernews(ITEMS.read_bytes())
    assert [(a.key, a.title) for a in articles] == [
        ("4100", "Show HN: A tiny search engine for old newspapers"),
        ("4200", "Acme (YC W12) is hiring a search engineer"),
        ("4300", "Poll: Which archive format do you use?"),
        ("4401", "Hacker News item 4401"),
    ]
    assert {a.site for a in articles} == {"news.ycombinator.com"}


def test_a_story_keeps_its_link_author_score_and_date(articles):
    story = articles["4100"]
    assert story.url == "https://example.org/papers"
    assert (story.byline, story.votes) == ("mira", 57)
    assert story.date == datetime(2011, 8, 24, 18, 38, 47)


def test_comments_follow_the_ranked_order_of_kids_with_replies_under_them(articles):
    comments = articles["4100"].comments
    assert [(c.position, c.key, c.parent) for c in comments] == [
        (1, "4103", None),
        (2, "4101", None),
        (3, "4104", "4101"),
        (4, "4102", None),
        (5, "4105", "4102"),
        (6, "4106", None),  # dead, and not among the story's kids: last
    ]


def test_who_said_what(articles):
    said = {c.key: (c.author, c.body) for c in articles["4100"].comments}
    assert said["4101"] == ("tomek", "Nice work.\n\nHow do you handle OCR errors & hyphenation?")
    assert said["4105"] == ("jk", "What did they say?")
    assert articles["4100"].comments[0].date == datetime(2011, 8, 24, 18, 43, 20)
    assert articles["4100"].comments[0].votes is None


def test_html_becomes_plain_paragraphs_with_entities_unescaped(articles):
    said = {c.key: c.body for c in articles["4100"].comments}
    assert (
        said["4104"] == 'Carefully:\n\ndehyphenate(line)\nmatch("fuzzy")\n\nThen a dictionary pass.'
    )
    assert "<" not in said["4104"] and "&quot;" not in said["4104"]


def test_a_link_shortened_for_display_is_written_out_in_full(articles):
    body = articles["4100"].comments[0].body
    assert body == (
        "See https://example.org/ocr/dehyphenation-and-fuzzy-matching-for-old-newspapers.html,"
        " it's what I'd use. Also Tesseract."
    )


def test_a_deleted_comment_keeps_its_place_and_its_reply(articles):
    deleted, reply = articles["4100"].comments[3:5]
    assert (deleted.key, deleted.author, deleted.body) == ("4102", "[deleted]", "[deleted]")
    assert reply.parent == "4102"


def test_a_dead_comment_is_kept_as_written(articles):
    dead = articles["4100"].comments[-1]
    assert (dead.author, dead.body) == ("cheapwatches", "Buy cheap watches at example.com")


def test_a_job_without_a_link_points_at_its_item_page(articles):
    job = articles["4200"]
    assert job.url == "https://news.ycombinator.com/item?id=4200"
    assert job.body == "We index <everything>.\n\nWrite to us."
    assert (job.byline, job.votes, job.comments) == ("acme", 1, ())


def test_a_poll_lists_its_options_in_display_order_with_their_votes(articles):
    poll = articles["4300"]
    assert poll.body == "WARC (30 points)\n\nJSON lines (12 points)\n\nPlain text (1 point)"
    assert [(c.author, c.body) for c in poll.comments] == [
        ("ward", "WARC, but I wish it were simpler.")
    ]


def test_comments_whose_story_is_missing_go_to_a_stand_in_for_the_item_they_reach(articles):
    stub = articles["4401"]
    assert stub.url == "https://news.ycombinator.com/item?id=4401"
    assert [(c.key, c.author, c.parent) for c in stub.comments] == [
        ("4402", "drifter", None),
        ("4403", "echo", "4402"),
    ]


def test_a_comment_finds_its_story_however_deep_and_in_any_line_order():
    chain = [
        {"id": n, "type": "comment", "by": "u", "text": str(n), "parent": n - 1}
        for n in range(2, 3000)
    ]
    story = {"id": 1, "type": "story", "title": "Deep", "kids": [2]}
    [article] = parse_hackernews(lines(*reversed(chain), story))
    assert article.title == "Deep"
    assert len(article.comments) == len(chain)
    assert [c.key for c in article.comments[:3]] == ["2", "3", "4"]


def test_unlisted_siblings_go_by_date():
    story = {"id": 1, "type": "story", "title": "T"}
    later = {"id": 2, "type": "comment", "parent": 1, "text": "later", "time": 200}
    earlier = {"id": 3, "type": "comment", "parent": 1, "text": "earlier", "time": 100}
    [article] = parse_hackernews(lines(story, later, earlier))
    assert [c.body for c in article.comments] == ["earlier", "later"]


def test_a_loop_of_parents_ends_and_keeps_every_comment():
    first = {"id": 5, "type": "comment", "parent": 6, "text": "a", "time": 1}
    second = {"id": 6, "type": "comment", "parent": 5, "text": "b", "time": 2}
    articles = parse_hackernews(lines(first, second))
    assert sum(len(a.comments) for a in articles) == 2


@pytest.mark.parametrize(
    "line, reason",
    [
        (b"{not json", "line 1: not JSON"),
        (b'["story"]', "line 1: not a JSON object"),
        (b'{"type": "story", "title": "t"}', "line 1: no numeric 'id'"),
        (b'{"id": 1, "type": "video"}', "line 1: 'type' must be one of"),
        (b'{"id": 1, "type": "comment", "text": "x"}', "line 1: a comment needs its 'parent'"),
        (b'{"id": 1, "type": "pollopt", "text": "x"}', "line 1: a poll option needs"),
        (b"  \n", "no records"),
    ],
)
def test_a_bad_line_is_refused_naming_it(line, reason):
    with pytest.raises(ReaderError, match=reason):
        parse_hackernews(line)


def first_line(path: Path) -> bytes:
    return path.read_bytes().split(b"\n", 1)[0] + b"\n"


LONG_STORY = json.dumps(
    {
        "by": "pg",
        "descendants": 900,
        "id": 1,
        "kids": list(range(10**7, 10**7 + 2000)),
        "score": 5,
        "time": 1,
        "title": "A busy story",
        "type": "story",
    }
).encode()


@pytest.mark.parametrize(
    "head, expected",
    [
        (first_line(ITEMS), True),
        (LONG_STORY[:8192], True),  # "type" comes after a long "kids" list
        (b'{"id": 4102, "deleted": true, "type": "comment", "parent": 1}', True),
        (first_line(REDDIT_SUBMISSIONS), False),
        (first_line(REDDIT_COMMENTS), False),
        (first_line(JSONL), False),
        (b'{"id": 1, "type": "article"}', False),
        (b'{"id": "x1", "type": "story"}', False),
        (b"Story\n\nText", False),
    ],
)
def test_looks_like_hackernews_takes_items_only(head, expected):
    assert looks_like_hackernews(head) is expected


def test_other_readers_leave_hacker_news_items_alone():
    assert not looks_like_jsonl(first_line(ITEMS))
    assert not looks_like_reddit(first_line(ITEMS))
    assert not looks_like_reddit(LONG_STORY[:8192])
