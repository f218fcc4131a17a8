"""Tests for the Reddit dump reader (Pushshift / Arctic Shift NDJSON, plain or .zst)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
import zstandard

from indexer.documents import thread_documents
from indexer.readers.files import ReaderError
from indexer.readers.hackernews import looks_like_hackernews
from indexer.readers.jsonl import looks_like_jsonl
from indexer.readers.lines import looks_like_zstd
from indexer.readers.reddit import looks_like_reddit, parse_reddit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SUBMISSIONS = FIXTURES / "reddit" / "RS_sample.ndjson"
COMMENTS = FIXTURES / "reddit" / "RC_sample.ndjson"
COMPRESSED = FIXTURES / "reddit" / "RC_sample.ndjson.zst"
TRUNCATED = FIXTURES / "reddit" / "RC_truncated.ndjson.zst"
HN_ITEMS = FIXTURES / "hackernews" / "items.ndjson"
JSONL = FIXTURES / "jsonl" / "thread.jsonl"


def by_key(articles):
    return {article.key: article for article in articles}


@pytest.fixture(scope="module")
def submissions():
    return by_key(parse_reddit(SUBMISSIONS.read_bytes()))


@pytest.fixture(scope="module")
def threads():
    return by_key(parse_reddit(COMMENTS.read_bytes()))


@pytest.fixture(scope="module")
def compressed():
    return by_key(parse_reddit(COMPRESSED.read_bytes()))


def test_submissions_become_articles_in_file_order():
    articles = parse_reddit(SUBMISSIONS.read_bytes())
    assert [a.key for a in articles] == ["t3_1a2b3c", "t3_2x9y8z", "t3_3q4r5s", "t3_4m5n6o"]
    assert [a.site for a in articles] == ["r/AskHistorians", "r/worldnews"] + [
        "r/AskHistorians"
    ] * 2
    assert [a.votes for a in articles] == [42, 1234, 0, 5]


def test_a_self_post_keeps_its_text_author_and_reddit_page(submissions):
    post = submissions["t3_1a2b3c"]
    assert post.title == "Bridges & ferries on the Vistula before 1900?"
    assert post.byline == "ewa_k"
    assert post.body == (
        "Warsaw had a pontoon bridge for centuries.\n\n"
        "> The first permanent bridge opened in 1864.\n\n"
        "What came before it?"
    )
    assert post.url == "https://www.reddit.com/r/AskHistorians/comments/1a2b3c/bridges/"


def test_a_link_post_points_at_the_shared_link_with_entities_unescaped(submissions):
    post = submissions["t3_2x9y8z"]
    assert post.url == "https://example.org/news/flood?id=7&ref=rss"
    assert post.body == ""


def test_removed_and_deleted_posts_say_so_literally(submissions):
    assert (submissions["t3_3q4r5s"].body, submissions["t3_3q4r5s"].byline) == (
        "[removed]",
        "[deleted]",
    )
    assert submissions["t3_4m5n6o"].body == "[deleted]"


def test_epoch_dates_as_int_float_or_string_are_naive_utc(submissions):
    assert [submissions[key].date for key in submissions] == [
        datetime(2015, 1, 1, 0, 0),  # 1420070400
        datetime(2015, 1, 1, 1, 0),  # 1420074000.0
        datetime(2015, 1, 1, 2, 0),  # "1420077600"
        datetime(2015, 1, 1, 2, 6, 40),  # "1420078000.0"
    ]
    assert all(article.date.tzinfo is None for article in submissions.values())


def test_comments_follow_thread_order_with_their_parents(threads):
    """A reply to a comment in no file read goes last, by date, among the top level, but
    keeps its parent's key for the month whose file holds that comment."""
    comments = threads["t3_1a2b3c"].comments
    assert [(c.position, c.key, c.parent) for c in comments] == [
        (1, "t1_c0aaa3", None),
        (2, "t1_c0aaa4", "t1_c0aaa3"),
        (3, "t1_c0aaa1", None),
        (4, "t1_zzz", "t1_c0aaa1"),
        (5, "t1_c0aaa7", "t1_c0aaa1"),
        (6, "t1_c0aaa2", "t1_c0aaa1"),
        (7, "t1_c0aaa5", "t1_c0aaa2"),
        (8, "t1_c0aab0", "t1_c0zzzz"),
    ]


def test_siblings_posted_the_same_second_go_by_id_oldest_first(threads):
    keys = [c.key for c in threads["t3_1a2b3c"].comments]
    # base 36: the shorter id "zzz" is older than "c0aaa7", though it sorts after it as text
    assert keys.index("t1_zzz") < keys.index("t1_c0aaa7")


def test_a_reply_to_a_missing_comment_is_kept_with_its_words(threads):
    orphan = threads["t3_1a2b3c"].comments[-1]
    assert orphan.author == "latecomer"
    assert orphan.body == "Replying to a comment this dump does not have."


def test_who_said_what_with_votes_and_dates(threads):
    answer = threads["t3_1a2b3c"].comments[2]
    assert answer.author == "historian_pl"
    assert answer.body == "The Kierbedź bridge opened in 1864 & carried trams from 1866."
    assert answer.votes == 15
    assert answer.date == datetime(2015, 1, 1, 0, 10)
    assert threads["t3_1a2b3c"].comments[5].date == datetime(2015, 1, 1, 0, 26, 40, 500000)
    assert threads["t3_1a2b3c"].comments[0].date == datetime(2015, 1, 1, 0, 8, 20)
    assert threads["t3_2x9y8z"].comments[0].votes == -4


def test_deleted_and_removed_comments_are_kept_as_written(threads):
    first, second = threads["t3_1a2b3c"].comments[:2]
    assert (first.author, first.body) == ("[deleted]", "[deleted]")
    assert (second.author, second.body) == ("[deleted]", "[removed]")


def test_entities_in_bodies_are_unescaped(threads):
    bodies = [c.body for a in threads.values() for c in a.comments]
    assert "> carried trams from 1866\n\nThanks, that answers it." in bodies
    assert "Glad to help <3" in bodies
    assert "Full [report](https://example.org/r?a=1&b=2) here." in bodies
    assert not any("&amp;" in body or "&gt;" in body or "&lt;" in body for body in bodies)


def test_comments_without_their_submission_get_a_stand_in_article(threads):
    stub = threads["t3_9zz9zz"]
    assert stub.title == "Reddit thread t3_9zz9zz"
    assert (stub.site, stub.url) == ("r/de", "https://www.reddit.com/comments/9zz9zz/")
    assert [(c.author, c.parent) for c in stub.comments] == [
        ("berliner", None),
        ("hamburger", "t1_e1"),
    ]
    assert stub.comments[1].body == "Stimmt & zwar bis 2016."


def test_a_compressed_dump_reads_like_the_plain_one(compressed, submissions, threads):
    assert list(compressed) == ["t3_1a2b3c", "t3_2x9y8z", "t3_3q4r5s", "t3_4m5n6o", "t3_9zz9zz"]
    post = compressed["t3_1a2b3c"]
    assert post.title == submissions["t3_1a2b3c"].title
    assert post.comments == threads["t3_1a2b3c"].comments
    assert compressed["t3_2x9y8z"].comments == threads["t3_2x9y8z"].comments


def test_a_compressed_dump_may_need_a_window_larger_than_the_default():
    data = COMPRESSED.read_bytes()
    with pytest.raises(zstandard.ZstdError, match="too much memory"):
        zstandard.ZstdDecompressor().decompressobj().decompress(data)
    assert len(parse_reddit(data)) == 5


def test_frames_written_one_after_another_are_all_read():
    compress = zstandard.ZstdCompressor().compress
    data = compress(SUBMISSIONS.read_bytes()) + compress(COMMENTS.read_bytes())
    articles = by_key(parse_reddit(data))
    assert articles["t3_1a2b3c"].title.startswith("Bridges")
    assert len(articles["t3_1a2b3c"].comments) == 8


def test_a_truncated_compressed_dump_is_refused_saying_how_far_it_got():
    with pytest.raises(ReaderError, match=r"truncated .*after 4 complete lines"):
        parse_reddit(TRUNCATED.read_bytes())


def test_damaged_compressed_data_is_refused():
    with pytest.raises(ReaderError, match="damaged zstandard data"):
        parse_reddit(b"\x28\xb5\x2f\xfd" + b"not really zstandard" * 4)


def test_the_comments_index_with_links_to_the_comment_answered(threads):
    documents = thread_documents(threads["t3_1a2b3c"], "RC_sample.ndjson")
    by_position = {d.position: d for d in documents}
    assert by_position[2].parent == by_position[1].id
    assert by_position[7].parent == by_position[6].id
    answered_elsewhere = by_position[8].parent
    assert answered_elsewhere.endswith("-t1-c0zzzz")
    assert answered_elsewhere not in {d.id for d in documents}


def test_a_loop_of_parents_is_cut_and_every_comment_kept():
    lines = [
        {
            "id": "a",
            "link_id": "t3_x",
            "parent_id": "t1_b",
            "body": "one",
            "subreddit": "s",
            "created_utc": 2,
        },
        {
            "id": "b",
            "link_id": "t3_x",
            "parent_id": "t1_a",
            "body": "two",
            "subreddit": "s",
            "created_utc": 1,
        },
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    comments = parse_reddit(data)[0].comments
    assert [(c.key, c.parent, c.position) for c in comments] == [
        ("t1_b", None, 1),
        ("t1_a", "t1_b", 2),
    ]


def test_a_very_deep_thread_reads_without_recursion():
    depth = 5000
    lines = [
        json.dumps(
            {
                "id": f"c{n}",
                "link_id": "t3_x",
                "subreddit": "s",
                "body": f"reply {n}",
                "parent_id": f"t1_c{n - 1}" if n else "t3_x",
                "created_utc": n,
            }
        )
        for n in range(depth)
    ]
    comments = parse_reddit("\n".join(lines).encode())[0].comments
    assert len(comments) == depth
    assert (comments[-1].key, comments[-1].parent) == (f"t1_c{depth - 1}", f"t1_c{depth - 2}")


def test_reddit_api_objects_wrapped_in_kind_and_data_are_read():
    line = {
        "kind": "t3",
        "data": {
            "id": "w1",
            "title": "Wrapped",
            "selftext": "x",
            "subreddit": "s",
            "created_utc": 0,
        },
    }
    [article] = parse_reddit(json.dumps(line).encode())
    assert (article.key, article.title, article.site) == ("t3_w1", "Wrapped", "r/s")


@pytest.mark.parametrize(
    "line, reason",
    [
        (b"{not json", "line 1: not JSON"),
        (b"[1, 2]", "line 1: not a JSON object"),
        (b'{"subreddit": "s", "body": "x"}', "line 1: neither a Reddit submission"),
        (b'{"title": "t", "subreddit": "s"}', "line 1: no 'id'"),
        (b'{"id": "a", "link_id": 5, "body": "x"}', "line 1: a comment's 'link_id'"),
        (b"\n\n", "no records"),
    ],
)
def test_a_bad_line_is_refused_naming_it(line, reason):
    with pytest.raises(ReaderError, match=reason):
        parse_reddit(line)


def test_a_bad_line_is_named_by_its_number():
    data = SUBMISSIONS.read_bytes() + b'{"kind": "article", "body": "ours"}\n'
    with pytest.raises(ReaderError, match="line 5: neither"):
        parse_reddit(data)


def first_line(path: Path) -> bytes:
    return path.read_bytes().split(b"\n", 1)[0] + b"\n"


@pytest.mark.parametrize(
    "head, expected",
    [
        (first_line(SUBMISSIONS), True),
        (first_line(COMMENTS), True),
        # first lines longer than the sniffed head, cut before "subreddit"
        (first_line(SUBMISSIONS)[:300], True),
        (first_line(COMMENTS)[:400], True),
        (first_line(HN_ITEMS)[:100], False),
        (b'{"kind": "article", "title": "t3_ in a title", "body": "r/', False),
        (first_line(HN_ITEMS), False),
        (first_line(JSONL), False),
        (COMPRESSED.read_bytes()[:64], False),
        (b'{"subreddit": "s", "title": "no selftext, no comments"}\n', False),
        (b"Title line\n\nBody", False),
    ],
)
def test_looks_like_reddit_takes_dump_lines_only(head, expected):
    assert looks_like_reddit(head) is expected


def test_looks_like_zstd_knows_the_magic_bytes():
    assert looks_like_zstd(COMPRESSED.read_bytes()[:64])
    assert not looks_like_zstd(first_line(SUBMISSIONS))


@pytest.mark.parametrize("path", [SUBMISSIONS, COMMENTS])
def test_other_readers_leave_reddit_lines_alone(path):
    assert not looks_like_jsonl(first_line(path))
    assert not looks_like_hackernews(first_line(path))
