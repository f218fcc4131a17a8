"""Dumps of one record a line and XML exports are read a piece at a time, whatever
their size, and committed in parts: a run that stops resumes after the last part, and
a damaged dump gives nothing half-read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import indexing, readers
from indexer.cli import cli
from indexer.engines import open_engine
from indexer.indexing import index_paths
from indexer.layout import IndexLayout
from indexer.readers import xml
from indexer.search import SearchRequest, search
from tests.conftest import ROOT
from tests.indexer.test_indexing import total, write_thread

ARTICLES, COMMENTS = 12, 4  # 60 documents


def dump(path: Path, articles: int = ARTICLES, broken_line: str = "") -> Path:
    """A JSON-lines dump whose comments come after every article, newest thread first,
    so that no thread is whole until the end of the file."""
    lines = [
        {"kind": "article", "id": f"a{n}", "title": f"Thread {n}", "body": f"Article {n}."}
        for n in range(articles)
    ]
    lines += [
        {"kind": "comment", "article_id": f"a{n}", "id": f"a{n}c{c}", "body": f"Reply {c}."}
        for c in range(COMMENTS)
        for n in reversed(range(articles))
    ]
    text = "\n".join(json.dumps(line) for line in lines) + "\n" + broken_line
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def ids(index_dir: Path) -> list[str]:
    engine = open_engine(index_dir)
    return [hit.document.id for hit in search(engine, SearchRequest(per_page=100)).hits]


def test_a_dump_over_the_limit_for_whole_files_is_read_and_a_page_over_it_refused(
    index_dir, tmp_path
):
    folder = tmp_path / "archive"
    big = dump(folder / "big.jsonl")
    page = write_thread(folder, "page.txt", "A long page", "Words. " * 300)
    assert big.stat().st_size > 2048 and page.stat().st_size > 2048

    summary = index_paths([folder], index_dir, max_file_bytes=2048)

    assert (summary.files_indexed, summary.documents) == (1, ARTICLES * (1 + COMMENTS))
    [(name, reason)] = summary.skipped
    assert name == str(page)
    assert "too large to read whole" in reason and "--max-file-size 1" in reason
    assert index_paths([folder], index_dir, max_file_bytes=2**20).files_indexed == 1


KILLED_AFTER = """
import os, sys
from pathlib import Path
from indexer import indexing

path, index_dir, engine, documents = sys.argv[1:]
indexing.BATCH_DOCUMENTS = 10

def die(done, total, written, read, size):
    if written >= int(documents):
        os._exit(9)

indexing.index_paths([Path(path)], Path(index_dir), progress=die, engine=engine)
"""


@pytest.mark.engines()
def test_a_dump_is_committed_in_parts_and_a_run_killed_between_them_resumes(
    index_dir, tmp_path, engine_name
):
    index_paths([write_thread(tmp_path / "page", "a.txt", "A page", "A comment.")], index_dir)
    path = dump(tmp_path / "dump.jsonl")
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER, path, index_dir, engine_name, "25"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == 9, killed.stderr
    layout = IndexLayout(index_dir)
    record = layout.read_manifest(layout.current()).files[str(path.resolve())]
    assert record.status == "partial" and 0 < record.threads_done < ARTICLES
    committed = record.articles + record.comments
    assert total(index_dir) == 2 + committed
    stats = CliRunner().invoke(cli, ["stats", "--index", str(index_dir)]).output
    threads = f"{record.threads_done} threads in; the next run carries on"
    assert f"{path.resolve()}: partial ({threads})" in stats

    summary = index_paths([path], index_dir)

    assert summary.files_indexed == 1
    assert summary.carried_on == [(str(path), record.threads_done)]
    assert summary.documents == ARTICLES * (1 + COMMENTS) - committed
    found = ids(index_dir)
    assert len(found) == len(set(found)) == total(index_dir) == 2 + ARTICLES * (1 + COMMENTS)
    assert index_paths([path], index_dir).files_unchanged == 1


def test_a_damaged_dump_gives_nothing_and_its_earlier_version_stays(index_dir, tmp_path):
    path = dump(tmp_path / "dump.jsonl", articles=3)
    index_paths([path], index_dir)
    dump(path, articles=ARTICLES, broken_line='{"kind": "comment", "body": ')

    summary = index_paths([path], index_dir)

    [(_, reason)] = summary.skipped
    assert f"line {ARTICLES * (1 + COMMENTS) + 1}: not JSON" in reason
    assert "earlier version stays" in reason
    assert summary.documents == 0 and total(index_dir) == 3 * (1 + COMMENTS)


def test_the_progress_bar_moves_through_a_large_dump(index_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(indexing, "PROGRESS_EVERY_BYTES", 512)
    path = dump(tmp_path / "dump.jsonl")
    size = path.stat().st_size
    calls = []
    index_paths([path], index_dir, progress=lambda *args: calls.append(args))
    during = [read for done, _, _, read, _ in calls if done == 0]
    assert len(during) >= size // 512 - 1
    assert during == sorted(during) and 0 < during[0] < during[-1] <= size
    assert calls[-1] == (1, 1, ARTICLES * (1 + COMMENTS), size, size)


def csv_dump(path: Path) -> Path:
    """A CSV export whose rows of one thread are spread over the whole file."""
    rows = "".join(
        f"a{n % ARTICLES},c{n},Reader {n % 5},Comment number {n}.\n"
        for n in range(ARTICLES * COMMENTS)
    )
    path.write_text("article_id,id,author,body\n" + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize("write", [dump, csv_dump], ids=["jsonl", "csv"])
def test_the_progress_bar_moves_on_while_a_dump_read_whole_first_is_written(
    index_dir, tmp_path, monkeypatch, write
):
    """A dump's every line is read before its first thread is written: its bytes fill
    the first part of the bar, and the threads written the rest, so that the bar is
    not full while most of the work is still to do."""
    monkeypatch.setattr(indexing, "PROGRESS_EVERY_BYTES", 64)
    monkeypatch.setattr(indexing, "BATCH_DOCUMENTS", 10)
    path = write(tmp_path / "dump.jsonl")
    size = path.stat().st_size
    calls = []
    index_paths([path], index_dir, max_file_bytes=1024, progress=lambda *a: calls.append(a))

    during = [(written, read) for done, _, written, read, _ in calls if done == 0]
    before_writing = [read for written, read in during if written == 0]
    while_writing = [read for written, read in during if written > 0]
    assert [read for _, read in during] == sorted(read for _, read in during)
    assert before_writing and max(before_writing) < size // 2
    assert len(set(while_writing)) >= 3 and while_writing[0] < size // 2
    assert calls[-1][3:] == (size, size)


@pytest.mark.parametrize("fixture", ["wxr/wxr-1.2.xml", "disqus/export.xml"])
def test_an_xml_export_over_the_limit_for_whole_files_is_read_in_pieces(
    index_dir, tmp_path, monkeypatch, fixture
):
    path = tmp_path / "export.xml"
    path.write_bytes((ROOT / "tests" / "fixtures" / fixture).read_bytes())
    size = path.stat().st_size
    whole = index_paths([path], tmp_path / "whole")
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1024)
    monkeypatch.setattr(indexing, "PROGRESS_EVERY_BYTES", 512)
    monkeypatch.setattr(indexing, "BATCH_DOCUMENTS", 3)
    monkeypatch.setattr(xml, "ENCODING_SNIFF_BYTES", 1024)
    monkeypatch.setattr(xml, "CHUNK_BYTES", 1024)
    calls = []

    summary = index_paths([path], index_dir, progress=lambda *args: calls.append(args))

    assert not summary.skipped and summary.documents == whole.documents > 3
    assert ids(index_dir) == ids(tmp_path / "whole")
    during = [read for done, _, _, read, _ in calls if done == 0]
    assert during == sorted(during) and 0 < during[0] < size
    assert calls[-1][3:] == (size, size)


def test_a_csv_over_the_limit_for_whole_files_is_read_a_row_at_a_time(index_dir, tmp_path):
    rows = "".join(
        f"a{n % 7},c{n},,Reader {n % 5},2020-03-0{1 + n % 9},Comment number {n}.,{n}\n"
        for n in range(400)
    )
    export = tmp_path / "comments.csv"
    export.write_text("article_id,id,parent,author,date,body,votes\n" + rows, encoding="utf-8")
    whole = index_paths([export], tmp_path / "whole", max_file_bytes=2**20)

    summary = index_paths([export], index_dir, max_file_bytes=1024)

    assert not summary.skipped and summary.documents == whole.documents == 7 + 400
    for q in ("", "number", "author:'reader 3'", "kind:comment"):
        assert total(index_dir, q) == total(tmp_path / "whole", q) > 0, q


def test_an_export_over_the_size_given_is_read_from_the_file_not_loaded(
    index_dir, tmp_path, monkeypatch
):
    """`--max-file-size` below an export's size reads it a piece at a time, as a larger
    export is: its bytes are never loaded whole."""
    path = tmp_path / "export.xml"
    path.write_bytes((ROOT / "tests" / "fixtures" / "wxr" / "wxr-1.2.xml").read_bytes())
    whole = index_paths([path], tmp_path / "whole")

    def loaded(*args, **options):
        raise AssertionError("the export was loaded whole")

    monkeypatch.setattr(readers, "load_bytes", loaded)
    summary = index_paths([path], index_dir, max_file_bytes=1024)
    assert not summary.skipped and summary.documents == whole.documents > 3
    assert ids(index_dir) == ids(tmp_path / "whole")


@pytest.mark.engines()
def test_a_run_stopped_between_parts_frees_the_index_for_the_next_in_the_same_process(
    index_dir, tmp_path, engine_name, monkeypatch
):
    """Ctrl-C in the middle of a dump: what was committed stays, and the index's
    writer is let go at once, not when the stopped run is collected."""
    index_paths([write_thread(tmp_path / "page", "a.txt", "A page", "A comment.")], index_dir)
    monkeypatch.setattr(indexing, "BATCH_DOCUMENTS", 10)
    path = dump(tmp_path / "dump.jsonl")

    def interrupt(done, total, written, read, size):
        if written >= 25:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as stopped:  # its traceback holds the stopped run
        index_paths([path], index_dir, progress=interrupt, engine=engine_name)
    committed = total(index_dir) - 2
    assert 0 < committed < ARTICLES * (1 + COMMENTS)

    summary = index_paths([path], index_dir, wait=1)

    assert summary.documents == ARTICLES * (1 + COMMENTS) - committed
    assert total(index_dir) == 2 + ARTICLES * (1 + COMMENTS)
    assert stopped.traceback
