"""A Reddit thread spread over monthly files, as Pushshift publishes them: the
submissions of a month in one file (RS), its comments in another (RC), and replies
that come a month later in the next month's file. Whatever order the files are
indexed in, one run or several, the archive holds one thread: the real article, every
comment under its title, numbered in one thread order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer import ARTICLE, COMMENT, Archive

pytestmark = pytest.mark.engines()

JANUARY = 1420070400  # 2015-01-01 00:00 UTC
SUBMISSIONS = [
    {
        "id": "sx1",
        "title": "Bridge reopens",
        "selftext": "The old bridge is back.",
        "author": "reporter",
        "created_utc": JANUARY,
        "subreddit": "warsaw",
        "score": 90,
    },
    {
        "id": "sy2",
        "title": "Tram fares rise",
        "selftext": "",
        "author": "desk",
        "created_utc": JANUARY + 60,
        "subreddit": "warsaw",
        "score": 3,
    },
]
JANUARY_COMMENTS = [
    {
        "id": "ca1",
        "link_id": "t3_sx1",
        "parent_id": "t3_sx1",
        "author": "ola",
        "body": "Finally, the bridge.",
        "created_utc": JANUARY + 100,
        "subreddit": "warsaw",
    },
    {
        "id": "ca2",
        "link_id": "t3_sx1",
        "parent_id": "t1_ca1",
        "author": "marek",
        "body": "Took them long enough.",
        "created_utc": JANUARY + 200,
        "subreddit": "warsaw",
    },
    {
        "id": "ca3",
        "link_id": "t3_sx1",
        "parent_id": "t3_sx1",
        "author": "ewa",
        "body": "Is it open to bikes?",
        "created_utc": JANUARY + 300,
        "subreddit": "warsaw",
    },
]
FEBRUARY_COMMENTS = [
    {
        "id": "cb1",
        "link_id": "t3_sx1",
        "parent_id": "t1_ca3",
        "author": "jan",
        "body": "Bikes yes, since Monday.",
        "created_utc": JANUARY + 40 * 86400,
        "subreddit": "warsaw",
    },
]
FILES = {
    "RS_2015-01.ndjson": SUBMISSIONS,
    "RC_2015-01.ndjson": JANUARY_COMMENTS,
    "RC_2015-02.ndjson": FEBRUARY_COMMENTS,
}
THREAD_ORDER = [
    ("ola", None),
    ("marek", "ola"),
    ("ewa", None),
    ("jan", "ewa"),
]


@pytest.fixture
def dump_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "dumps"
    folder.mkdir()
    for name, lines in FILES.items():
        (folder / name).write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return folder


def bridge_thread(archive: Archive):
    [hit] = archive.search(q="bridge reopens", kinds=[ARTICLE]).hits
    return archive.thread(hit.document.article_id)


def assert_one_joined_thread(archive: Archive) -> None:
    thread = bridge_thread(archive)
    assert (thread.article.article_title, thread.article.stand_in) == ("Bridge reopens", False)
    authors = {c.id: c.author for c in thread.comments}
    assert [(c.author, authors.get(c.parent)) for c in thread.comments] == THREAD_ORDER
    assert [c.position for c in thread.comments] == [1, 2, 3, 4]
    assert [(c.replies, c.parent_author) for c in thread.comments] == [
        (1, ""),
        (0, "ola"),
        (1, ""),
        (0, "ewa"),
    ]
    assert thread.article.replies == 2
    assert {c.article_title for c in thread.comments} == {"Bridge reopens"}
    assert {c.thread_length for c in [thread.article, *thread.comments]} == {4}
    assert archive.search(kinds=[ARTICLE]).total == 2
    assert archive.search(kinds=[COMMENT]).total == 4
    [hit] = archive.search(q="bikes monday").hits
    assert (hit.document.article_title, hit.document.position) == ("Bridge reopens", 4)


@pytest.mark.parametrize(
    "runs",
    [
        [["RC_2015-02.ndjson", "RC_2015-01.ndjson", "RS_2015-01.ndjson"]],
        [["RC_2015-01.ndjson"], ["RS_2015-01.ndjson"], ["RC_2015-02.ndjson"]],
        [["RS_2015-01.ndjson"], ["RC_2015-02.ndjson"], ["RC_2015-01.ndjson"]],
        [["RC_2015-02.ndjson"], ["RC_2015-01.ndjson", "RS_2015-01.ndjson"]],
    ],
    ids=["one run", "comments first", "submissions first", "a month late"],
)
def test_a_thread_spread_over_monthly_files_reads_as_one(index_dir, dump_folder, runs):
    archive = Archive.open(index_dir)
    for names in runs:
        archive.index([dump_folder / name for name in names])
    assert_one_joined_thread(archive)


def test_comments_without_their_submission_wait_under_a_stand_in(index_dir, dump_folder):
    archive = Archive.open(index_dir)
    archive.index([dump_folder / "RC_2015-01.ndjson", dump_folder / "RC_2015-02.ndjson"])
    [article] = archive.search(kinds=[ARTICLE]).hits
    thread = archive.thread(article.document.article_id)
    assert thread.article.stand_in
    assert thread.article.article_title == "Reddit thread t3_sx1"
    assert [c.author for c in thread.comments] == ["ola", "marek", "ewa", "jan"]


def test_a_comments_file_indexed_again_keeps_the_thread_joined(index_dir, dump_folder):
    archive = Archive.open(index_dir)
    archive.index([dump_folder])
    february = dump_folder / "RC_2015-02.ndjson"
    late = {
        "id": "cb2",
        "link_id": "t3_sx1",
        "parent_id": "t1_ca1",
        "author": "zofia",
        "body": "Crossed it today.",
        "created_utc": JANUARY + 41 * 86400,
        "subreddit": "warsaw",
    }
    february.write_text(february.read_text() + json.dumps(late) + "\n")
    archive.index([dump_folder])
    thread = bridge_thread(archive)
    assert [c.author for c in thread.comments] == ["ola", "marek", "zofia", "ewa", "jan"]
    assert archive.search(kinds=[ARTICLE]).total == 2


def test_comments_outlive_the_file_of_their_submission(index_dir, dump_folder):
    archive = Archive.open(index_dir)
    archive.index([dump_folder])
    article_id = bridge_thread(archive).article.article_id
    archive.remove([dump_folder / "RS_2015-01.ndjson"])
    thread = archive.thread(article_id)
    assert thread.article.stand_in
    assert [c.author for c in thread.comments] == ["ola", "marek", "ewa", "jan"]
    assert archive.search(kinds=[COMMENT]).total == 4
