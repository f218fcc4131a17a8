"""A dump's records grouped by thread give the same threads whether they stayed in
memory or went to disk, and the disk copy is gone once read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.readers import hackernews, jsonl, reddit, threads
from indexer.readers.threads import ThreadRecords

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def grouped(spill_records: int) -> tuple[list, bool, list[Path]]:
    with ThreadRecords(spill_records) as kept:
        kept.add("t2", "a", [1, "first of t2"])
        kept.add("t1", "a", [2, "first of t1"])
        kept.add("t2", "b", [3, None])
        kept.add("t2", "a", [4, "a second copy, not kept"])
        kept.add("t1", "title", [5, "old title"], replace=True)
        kept.add("t1", "title", [6, "new title"], replace=True)
        folders = [kept._folder] if kept.on_disk() else []
        return list(kept.groups()), kept.on_disk(), folders


def test_threads_come_back_alike_from_memory_and_from_disk():
    in_memory, spilled, _ = grouped(spill_records=100)
    on_disk, went_to_disk, folders = grouped(spill_records=1)
    assert (spilled, went_to_disk) == (False, True)
    assert (
        in_memory
        == on_disk
        == [
            ("t2", [[1, "first of t2"], [3, None]]),
            ("t1", [[2, "first of t1"], [6, "new title"]]),
        ]
    )
    assert folders and not any(folder.exists() for folder in folders)


@pytest.mark.parametrize(
    ("parse", "fixture"),
    [
        (reddit.parse_reddit, "reddit/RC_sample.ndjson"),
        (reddit.parse_reddit, "reddit/RS_sample.ndjson"),
        (jsonl.parse_jsonl, "jsonl/thread.jsonl"),
        (hackernews.parse_hackernews, "hackernews/items.ndjson"),
    ],
)
def test_a_dump_reads_the_same_when_its_records_go_to_disk(parse, fixture, monkeypatch):
    data = (FIXTURES / fixture).read_bytes()
    expected = parse(data)
    monkeypatch.setattr(threads, "SPILL_RECORDS", 2)
    monkeypatch.setattr(threads, "INSERT_BATCH", 3)
    assert parse(data) == expected


def test_submissions_and_comments_in_one_dump_join_on_disk(monkeypatch):
    data = (FIXTURES / "reddit" / "RS_sample.ndjson").read_bytes()
    data += (FIXTURES / "reddit" / "RC_sample.ndjson").read_bytes()
    expected = reddit.parse_reddit(data)
    monkeypatch.setattr(threads, "SPILL_RECORDS", 1)
    found = reddit.parse_reddit(data)
    assert found == expected
    joined = [a for a in found if a.comments and not a.title.startswith("Reddit thread")]
    assert joined


def test_records_read_before_the_one_that_tells_their_thread_regroup_on_disk(monkeypatch):
    """Hacker News comments name only their parent: replies read before the comment
    they answer wait under it, and join its story's thread once the file is read."""
    chain = [
        {"id": n, "type": "comment", "text": f"reply {n}", "parent": n - 1} for n in range(2, 60)
    ]
    story = {"id": 1, "type": "story", "title": "Deep"}
    data = "\n".join(json.dumps(item) for item in [*reversed(chain), story]).encode()
    expected = hackernews.parse_hackernews(data)
    monkeypatch.setattr(threads, "SPILL_RECORDS", 5)
    monkeypatch.setattr(threads, "INSERT_BATCH", 7)
    found = hackernews.parse_hackernews(data)
    assert found == expected
    [article] = found
    assert (article.title, len(article.comments)) == ("Deep", len(chain))


@pytest.mark.parametrize("spill_records", [100, 1], ids=["in-memory", "on-disk"])
def test_a_thread_popped_gives_its_records_once(spill_records):
    with ThreadRecords(spill_records) as kept:
        kept.add("t2", "a", [1, "first of t2"])
        kept.add("t1", "a", [2, "first of t1"])
        kept.add("t2", "b", [3, None])
        assert kept.pop("t2") == [[1, "first of t2"], [3, None]]
        assert (kept.pop("t2"), kept.pop("t9")) == ([], [])
        assert kept.pop("t1") == [[2, "first of t1"]]
