"""Copies found while a first run writes, against the pass over the whole index."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import indexing
from indexer.copy_finder import CopyFinder
from indexer.documents import COMMENT, Document
from indexer.engines import open_engine
from indexer.indexing import index_paths, index_records
from indexer.records import Article, Comment
from indexer.search import SearchRequest, search
from tests.indexer.test_copies import labelled

pytestmark = pytest.mark.engines()


def write_archive(folder: Path) -> Path:
    """The labelled comments of the copies fixture, spread over four articles; each
    signed by its label as author."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "copies.jsonl"
    lines = [
        {"kind": "article", "id": f"a{n}", "title": f"Thread {n}", "body": "."} for n in range(4)
    ]
    for number, comment in enumerate(labelled()):
        lines.append(
            {"kind": "comment", "article_id": f"a{number % 4}", "author": comment["id"],
             "body": comment["body"]}
        )  # fmt: skip
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def copy_groups_shown(index_dir: Path) -> set[frozenset[str]]:
    """The groups a reader sees, each as the authors of its comments."""
    found = search(open_engine(index_dir), SearchRequest(copies=True, per_page=100))
    groups: dict[str, set[str]] = {}
    for hit in found.hits:
        groups.setdefault(hit.document.copy_group, set()).add(hit.document.author)
    return {frozenset(group) for group in groups.values()}


@pytest.fixture
def passes(monkeypatch) -> list[bool]:
    """Whether each refresh of copy groups was given the groups found while writing."""
    given: list[bool] = []
    refresh = indexing.refresh_copy_groups

    def noted(store, found=None):
        given.append(found is not None)
        return refresh(store, found)

    monkeypatch.setattr(indexing, "refresh_copy_groups", noted)
    return given


@pytest.mark.parametrize("apart_from", [4, 100_000], ids=["in-a-process", "at-the-end"])
def test_a_first_run_groups_the_copies_a_later_run_groups(
    index_dir, tmp_path, seed_path, monkeypatch, passes, apart_from
):
    monkeypatch.setattr("indexer.copy_finder.APART_MIN_COMMENTS", apart_from)
    monkeypatch.setattr("indexer.copy_finder.SENT_COMMENTS", 3)
    archive = write_archive(tmp_path / "archive")
    index_paths([archive], index_dir)

    later = tmp_path / "later"
    index_paths([seed_path], later)
    index_paths([seed_path, archive], later)

    assert passes == [True, True, False]  # the later run reads every body back
    grouped = copy_groups_shown(index_dir)
    assert grouped == copy_groups_shown(later)
    assert frozenset({"spam-1", "spam-2", "spam-3", "spam-4"}) in grouped


def test_records_made_in_code_are_grouped_as_they_are_written(
    index_dir, monkeypatch, passes
):
    monkeypatch.setattr("indexer.copy_finder.APART_MIN_COMMENTS", 2)
    comments = tuple(
        Comment(author=comment["id"], body=comment["body"], position=n)
        for n, comment in enumerate(labelled()[:9], start=1)
    )
    first = Article(title="Reposts", body=".", comments=comments)
    index_records(iter([first]), index_dir, "code")
    again = Article(title="Reposts again", body=".", comments=comments[:2])
    index_records([again], index_dir, "more")

    assert passes == [True, False]
    spam = {"spam-1", "spam-2", "spam-3", "spam-4"}
    assert copy_groups_shown(index_dir) == {
        frozenset(spam), frozenset({"typo-1", "typo-2"}), frozenset({"line-1", "line-2", "line-3"})
    }


def comment(number: int, body: str) -> Document:
    return Document(
        id=f"c{number}", kind=COMMENT, article_id="a", article_title="A", author="x", date=None,
        article_date=None, position=number, body=body, source_url="", source="s",
    )  # fmt: skip


REPOST = labelled()[0]["body"]


@pytest.fixture
def finder(monkeypatch) -> Iterator[CopyFinder]:
    """A finder that starts its process from the second comment."""
    monkeypatch.setattr("indexer.copy_finder.APART_MIN_COMMENTS", 2)
    found = CopyFinder()
    yield found
    found.close()


def test_a_finder_whose_process_is_killed_gives_up_for_the_pass_over_the_index(
    finder, monkeypatch
):
    monkeypatch.setattr("indexer.copy_finder.SENT_COMMENTS", 1)
    finder.note([comment(1, REPOST), comment(2, REPOST)])
    assert finder._process is not None
    os.kill(finder._process.pid, signal.SIGKILL)
    finder._process.join(10)
    finder.note([comment(3, REPOST)])
    assert finder.groups() is None
    assert finder.given_up


def test_a_finder_finds_the_groups_of_what_it_was_given(finder):
    once = "Something else, said once."
    with_articles = [comment(1, REPOST), comment(2, once), comment(3, REPOST)]
    passed = list(finder.passing(with_articles))
    assert passed == with_articles
    assert finder.groups() == [["c1", "c3"]]


def test_a_finder_gives_up_past_its_bound_and_lets_its_process_go(finder, monkeypatch):
    monkeypatch.setattr("indexer.copy_finder.MAX_COMMENTS", 3)
    finder.note([comment(n, REPOST) for n in (1, 2, 3)])
    assert finder._process is not None and not finder.given_up
    finder.note([comment(4, REPOST)])
    assert finder.given_up and finder._process is None
    assert finder.groups() is None
