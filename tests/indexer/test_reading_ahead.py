"""A file read in pieces goes in the same whether a reader process beside the writer
reads it (`workers=2`; by default, a large file on three cores or more) or the writer itself
(`workers=1`): the same documents field for field, the same file records, the same
summary and progress, through commits in parts, resuming, failures, and a reader
process that cannot start, breaks, or is killed with its indexer."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from multiprocessing import active_children
from pathlib import Path
from typing import BinaryIO

import pytest

from indexer import indexing, reading_ahead
from indexer.indexing import index_paths, reads_apart
from indexer.layout import IndexLayout
from indexer.readers import ReaderError, read_contents
from indexer.reading_ahead import Reading
from indexer.records import Article, FileContents
from tests.conftest import FIXTURES, ROOT
from tests.indexer.test_index_in_pieces import ARTICLES, COMMENTS, dump
from tests.indexer.test_indexing import all_documents, write_thread
from tests.indexer.test_read_warc import archive
from tests.indexer.test_reindex_processes import alive

FAILS_AFTER = 5  # threads a failing reader gives before it fails
LONG_THREADS = 40


def long_dump(path: Path) -> Path:
    """A dump of `LONG_THREADS` threads of long comments: megabytes, more than a reader
    process can hand on before the writer takes them, so it is still reading when
    the writer has committed its first parts."""
    lines = []
    for n in range(LONG_THREADS):
        lines.append({"kind": "article", "id": f"a{n}", "title": f"Thread {n}", "body": "Hi."})
        lines += [
            {"kind": "comment", "article_id": f"a{n}", "id": f"a{n}c{c}", "body": long_body(n, c)}
            for c in range(4)
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def long_body(thread: int, comment: int) -> str:
    """2,000 words of a small vocabulary in an order of the comment's own, so that no
    comment copies another."""
    step = 1 + thread * 4 + comment
    return " ".join(f"w{n * step % 997}" for n in range(2_000))


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commits every few threads, pieces of a thread or so, a reader process two pieces
    ahead, and the bytes read told every 256: small files go through it all."""
    monkeypatch.setattr(indexing, "BATCH_DOCUMENTS", 7)
    monkeypatch.setattr(indexing, "PROGRESS_EVERY_BYTES", 256)
    monkeypatch.setattr(reading_ahead, "PIECE_DOCUMENTS", 3)
    monkeypatch.setattr(reading_ahead, "AHEAD", 2)


def indexed(paths: list[Path], index_dir: Path, workers: int, **options) -> tuple:
    """What a run left, to compare: its summary but for its time, the file records, every
    document stored, and the bytes read as the progress bar was told them."""
    told: list[int] = []
    summary = index_paths(
        paths,
        index_dir,
        workers=workers,
        progress=lambda done, files, written, read, size: told.append(read),
        **options,
    )
    report = summary.to_json()
    del report["seconds"]
    layout = IndexLayout(index_dir)
    records = layout.read_manifest(layout.current()).files
    return report, records, all_documents(index_dir), list(dict.fromkeys(told))


def csv_export(folder: Path) -> Path:
    rows = "".join(
        f"a{n % 7},c{n},,Reader {n % 5},2020-03-0{1 + n % 9},Comment number {n}.,{n}\n"
        for n in range(400)
    )
    path = folder / "comments.csv"
    path.write_text("article_id,id,parent,author,date,body,votes\n" + rows, encoding="utf-8")
    return path


def web_archive(folder: Path) -> Path:
    """A WARC of pages whose comments were found by record mining or could not be
    split, so that their notes go in, and of records passed over."""
    pages = sorted((FIXTURES / "html" / "families").rglob("*.html"))[:6]
    pages += [FIXTURES / "html" / "threads" / name for name in ("mined.html", "unsplit.html")]
    headers = [("Content-Type", "text/html; charset=utf-8")]
    records = [
        (f"https://example.org/{n}/{page.stem}", "2024-01-02T03:04:05Z", page.read_bytes(), headers)
        for n, page in enumerate(pages)
    ]
    records.append(("https://example.org/logo.png", "2024-01-02T03:04:05Z", b"\x89PNG", []))
    path = folder / "crawl.warc.gz"
    path.write_bytes(archive(*records))
    return path


def two_copies(folder: Path) -> Path:
    """The same dump twice, and a page: the second copy's articles are left out."""
    first = dump(folder / "copies" / "a.jsonl")
    (folder / "copies" / "b.jsonl").write_bytes(first.read_bytes())
    (folder / "copies" / "page.txt").write_text(
        "A page\n\nMay 2, 2020\n\nThe body.\n\nWe welcome comments.\n\nA comment.\n\n"
        "Posted by Reader | Report as abusive\n",
        encoding="utf-8",
    )
    return folder / "copies"


FILES: dict[str, tuple[Callable[[Path], Path], dict]] = {
    "json lines": (dump, {}),
    "reddit": (lambda _: FIXTURES / "reddit" / "RC_sample.ndjson.zst", {}),
    "hacker news": (lambda _: FIXTURES / "hackernews" / "items.ndjson", {}),
    "csv": (csv_export, {"max_file_bytes": 1024}),
    "csv with a map": (lambda _: FIXTURES / "csv" / "nyt-comments.csv", {"max_file_bytes": 1024}),
    "web archive": (web_archive, {}),
    "wordpress export": (lambda _: FIXTURES / "wxr" / "wxr-1.2.xml", {"max_file_bytes": 1024}),
    "disqus export": (lambda _: FIXTURES / "disqus" / "export.xml", {"max_file_bytes": 1024}),
    "two copies": (two_copies, {}),
}


@pytest.mark.engines("whoosh", "tantivy")
@pytest.mark.parametrize("kind", FILES)
def test_a_file_read_in_a_process_of_its_own_goes_in_as_read_in_the_writers(
    tmp_path, engine_name, kind
):
    make, options = FILES[kind]
    path = make(tmp_path / "dump.jsonl" if kind == "json lines" else tmp_path)
    options["engine"] = engine_name

    alone = indexed([path], tmp_path / "alone", workers=1, **options)
    apart = indexed([path], tmp_path / "apart", workers=2, **options)

    report, records, documents, told = apart
    assert report == alone[0] and report["files_indexed"] >= 1 and not report["skipped"]
    assert records == alone[1]
    assert len(documents) == report["articles"] + report["comments"] > 0
    assert documents == alone[2]
    assert told == alone[3]


def test_the_progress_bar_moves_through_a_dump_read_apart(tmp_path):
    path = dump(tmp_path / "dump.jsonl")
    told = indexed([path], tmp_path / "index", workers=2)[3]
    size = path.stat().st_size
    assert len(told) >= size // 512 and told == sorted(told) and told[-1] == size


def test_what_a_file_held_and_how_its_threads_were_read_goes_in_either_way(tmp_path):
    path = web_archive(tmp_path)

    alone = indexed([path], tmp_path / "alone", workers=1)
    apart = indexed([path], tmp_path / "apart", workers=2)

    report = apart[0]
    assert report == alone[0]
    assert report["threads_found_by_record_mining"] == 1
    assert "comments not split" in report["comments_not_split"][0]["reason"]
    assert "1 other record" in report["passed_over"][0]["held"]
    [record] = apart[1].values()
    assert "comments found by record mining" in record.note
    assert record.threads_done == report["articles"] == 8


def test_the_pieces_are_the_same_from_a_process_or_this_one_and_resume_alike(tmp_path):
    path = dump(tmp_path / "dump.jsonl")
    reading = Reading(path, str(path), None, 256)

    def threads(skip: int, apart: bool) -> list[tuple[int, int]]:
        with reading_ahead.ReadAhead(reading, skip, apart) as pieces:
            read = list(pieces)
        assert read[-1] == reading_ahead.End(ARTICLES, "")
        return [
            (thread.number, len(thread.documents))
            for piece in read[:-1]
            for thread in piece.threads
        ]

    assert threads(0, apart=True) == threads(0, apart=False)
    assert threads(0, apart=False) == [(n, 1 + COMMENTS) for n in range(1, ARTICLES + 1)]
    assert threads(8, apart=True) == threads(8, apart=False) == threads(0, apart=False)[8:]


def test_a_large_file_is_read_apart_by_default_on_three_cores_or_as_asked(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert reads_apart(None, indexing.APART_MIN_BYTES)
    assert not reads_apart(None, indexing.APART_MIN_BYTES - 1)
    assert not reads_apart(1, 2**40) and reads_apart(2, 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert not reads_apart(None, 2**40) and reads_apart(2, 1)


def test_a_damaged_dump_is_refused_alike_from_a_reader_process(tmp_path):
    path = dump(tmp_path / "dump.jsonl", broken_line='{"kind": "comment", "body": ')
    reports = []
    for workers in (1, 2):
        index_dir = tmp_path / f"index-{workers}"
        summary = index_paths([path], index_dir, workers=workers)
        reports.append(summary.to_json() | {"seconds": 0})
        layout = IndexLayout(index_dir)
        reports.append(layout.read_manifest(layout.current()).files)
    assert reports[0] == reports[2] and reports[1] == reports[3]
    [skipped] = reports[2]["skipped"]
    assert "not JSON" in skipped["reason"] and reports[2]["articles"] == 0


def failing_midway(
    path: Path,
    column_map: dict | None = None,
    max_bytes: int | None = None,
    opener: Callable[[Path], BinaryIO] | None = None,
    error: type[Exception] = ReaderError,
) -> FileContents:
    """`read_contents`, but its reader fails after `FAILS_AFTER` threads, as a damaged
    web archive's can. Run in the reader process, so at the top of a module."""
    read = read_contents(path, column_map, max_bytes, opener)

    def articles() -> Iterator[Article]:
        for number, article in enumerate(read.articles, 1):
            yield article
            if number == FAILS_AFTER:
                raise error("the record at byte 4096 is damaged")

    return FileContents(articles(), read.passed_over)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ReaderError, "the record at byte 4096 is damaged"),
        (RuntimeError, "could not be read (RuntimeError: the record at byte 4096 is damaged)"),
    ],
)
def test_a_reader_failing_midway_keeps_what_was_committed_alike_and_the_next_run_carries_on(
    tmp_path, monkeypatch, error, reason
):
    path = dump(tmp_path / "dump.jsonl")
    failing = partial(failing_midway, error=error)
    results = []
    for workers in (1, 2):
        with monkeypatch.context() as patched:
            patched.setattr(indexing, "Reading", partial(Reading, contents=failing))
            results.append(indexed([path], tmp_path / f"index-{workers}", workers=workers))
    alone, apart = results

    assert apart == alone
    report, records, documents, _ = apart
    kept = f"{reason}; the {FAILS_AFTER} threads read before stay, and the next run carries on"
    assert report["skipped"] == [{"path": str(path), "reason": f"{kept} after them"}]
    [record] = records.values()
    assert record.status == "partial" and record.threads_done == 4  # committed at 2 and 4
    assert len(documents) == record.articles + record.comments == 4 * (1 + COMMENTS)

    again = indexed([path], tmp_path / "index-2", workers=2)
    assert again[0]["carried_on"] == [{"path": str(path), "threads_already_indexed": 4}]
    assert again[2] == indexed([path], tmp_path / "whole", workers=1)[2]


def test_a_reader_process_that_cannot_start_leaves_the_reading_to_the_writer(
    tmp_path, monkeypatch
):
    path = dump(tmp_path / "dump.jsonl")
    alone = indexed([path], tmp_path / "alone", workers=1)

    def refused(process: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr("multiprocessing.context.SpawnProcess.start", refused)
    assert indexed([path], tmp_path / "apart", workers=2) == alone


def test_a_reader_process_killed_midway_leaves_the_rest_to_the_writer(tmp_path, monkeypatch):
    monkeypatch.setattr(indexing, "BATCH_DOCUMENTS", 50)
    path = long_dump(tmp_path / "dump.jsonl")
    alone = indexed([path], tmp_path / "alone", workers=1)
    killed: list[int] = []

    def kill_the_reader(done: int, files: int, written: int, read: int, size: int) -> None:
        if written and not killed:
            [reader] = [child for child in active_children() if child.name == "hubbub-reader"]
            os.kill(reader.pid, signal.SIGKILL)
            killed.append(reader.pid)

    summary = index_paths([path], tmp_path / "apart", workers=2, progress=kill_the_reader)

    assert killed and not alive(killed[0])
    assert summary.documents == LONG_THREADS * 5
    assert all_documents(tmp_path / "apart") == alone[2]
    layout = IndexLayout(tmp_path / "apart")
    assert layout.read_manifest(layout.current()).files == alone[1]


KILLED_WHILE_READING = """
import os, signal, sys
from multiprocessing import active_children
from pathlib import Path
from indexer import indexing, reading_ahead

path, index_dir = sys.argv[1:]
indexing.BATCH_DOCUMENTS = 10
reading_ahead.PIECE_DOCUMENTS = 5
reading_ahead.AHEAD = 2

def die(done, total, written, read, size):
    if written >= 25:
        readers = [child.pid for child in active_children() if child.name == "hubbub-reader"]
        print(*readers, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

indexing.index_paths([Path(path)], Path(index_dir), progress=die, workers=2)
"""


def test_a_reader_process_dies_with_its_killed_indexer_and_the_next_run_resumes(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(indexing, "BATCH_DOCUMENTS", 50)
    path = long_dump(tmp_path / "dump.jsonl")
    index_dir = tmp_path / "index"
    page = write_thread(tmp_path / "page", "a.txt", "A page", "A comment.")
    index_paths([page], index_dir)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_READING, path, index_dir],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    [reader] = [int(pid) for pid in killed.stdout.split()]
    deadline = time.monotonic() + 10
    while alive(reader) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(reader)
    layout = IndexLayout(index_dir)
    record = layout.read_manifest(layout.current()).files[str(path.resolve())]
    assert record.status == "partial" and record.threads_done == 6  # committed at 2, 4, 6

    summary = index_paths([path], index_dir, workers=2)

    assert summary.carried_on == [(str(path), 6)]
    alone = tmp_path / "alone"
    index_paths([page], alone, workers=1)
    index_paths([path], alone, workers=1)
    assert all_documents(index_dir) == all_documents(alone)
    files = layout.read_manifest(layout.current()).files
    assert files == IndexLayout(alone).read_manifest(IndexLayout(alone).current()).files
