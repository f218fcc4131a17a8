"""The big-files benchmark at a tiny size: both files are generated to their size, read
back whole by `hubbub index`, and reported with their goals."""

from __future__ import annotations

import os

import pytest

from bench.big_files import (
    MemoryLimit,
    index_file,
    main,
    measure,
    report,
    shown_at,
    write_jsonl,
    write_wxr,
)
from indexer.readers.wxr import parse_wxr

SIZE = 2 * 2**20


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    return measure(SIZE, SIZE, "tantivy", tmp_path_factory.mktemp("big-files"))


def test_each_file_is_generated_to_its_size_and_indexed_whole(measured):
    for name, written, run in measured:
        assert SIZE <= written.bytes < SIZE + 64 * 1024, name
        assert run.documents == written.documents > 1000, name
        assert not run.skipped and run.progress[-1][1] == 1.0, name
        assert 0 < run.peak_mib < 1024, name
        assert 0 < run.anonymous_mib <= run.peak_mib, name


def test_the_report_has_a_row_and_two_goals_met_for_each_file(measured):
    text = report(measured, "tantivy")
    rows = [line for line in text.splitlines() if line.startswith(("| JSON", "| Word"))]
    assert len(rows) == 6
    for name, written, _ in measured:
        assert f"| {name} | 2 MiB | {written.documents:,} of {written.documents:,} |" in text
    assert [row.rsplit("|", 2)[-2].strip() for row in rows if ": " in row] == ["yes"] * 4


def test_the_export_is_what_the_wordpress_reader_reads(tmp_path):
    written = write_wxr(tmp_path / "export.xml", 256 * 1024)
    articles = parse_wxr(written.path.read_bytes())
    assert sum(1 + len(article.comments) for article in articles) == written.documents
    replies = [c for article in articles for c in article.comments if c.parent]
    assert replies and all(c.parent.isdigit() for c in replies)


def test_progress_is_read_at_moments_of_the_run():
    progress = [(1.0, 0.1), (3.0, 0.4), (5.0, 0.9), (8.0, 1.0)]
    assert shown_at(progress, 8.0) == [0.1, 0.4, 0.9, 1.0]
    assert shown_at([(3.0, 1.0)], 4.0) == [None, None, 1.0, 1.0]


def test_the_command_writes_its_tables(tmp_path, capsys):
    out = tmp_path / "report.md"
    main(["--jsonl-gib", "0.0005", "--wxr-mib", "0.5", "--work", str(tmp_path), "--out", str(out)])
    text = out.read_text()
    assert text.startswith("# Files larger than memory")
    assert text.count("| yes |") == 4 and "**no**" not in text
    assert not list(tmp_path.glob("big.*")), "the files are deleted once measured"


@pytest.fixture
def cgroups() -> None:
    """Memory cgroups are made by root alone, as CI runs the tests."""
    if os.geteuid() != 0:
        pytest.skip("a memory cgroup needs root: run the tests as root, as CI does")


def test_a_run_under_a_memory_limit_is_judged_by_it(tmp_path, cgroups):
    written = write_jsonl(tmp_path / "dump.jsonl", 256 * 1024)
    with MemoryLimit.made(1024) as limit:
        run = index_file(written.path, tmp_path / "index", "tantivy", limit=limit)
    assert run.documents == written.documents
    assert run.limit_mib == 1024 and 0 < (run.charged_mib or 0) < 1024
    text = report([("JSON lines", written, run)], "tantivy")
    assert "| JSON lines: indexed whole under a hard memory limit of 1,024 MiB |" in text
    assert "| yes |" in text and "peak memory under" not in text


def test_a_run_that_needs_more_than_its_limit_fails(tmp_path, cgroups):
    written = write_jsonl(tmp_path / "dump.jsonl", 256 * 1024)
    with MemoryLimit.made(24) as limit, pytest.raises(RuntimeError, match="memory limit"):
        index_file(written.path, tmp_path / "index", "tantivy", limit=limit)
