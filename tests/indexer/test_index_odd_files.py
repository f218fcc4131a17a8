"""What an indexing run meets besides archive files: names that are not UTF-8, links,
FIFOs and devices, huge files, one article saved twice, runs that died, and storage
that is full or read-only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import indexing
from indexer.cli import cli
from indexer.documents import article_id
from indexer.engines import open_engine
from indexer.indexing import index_paths, remove_paths
from indexer.layout import IndexLayout
from indexer.readers import ReaderError, load_bytes, read_file
from indexer.search import SearchRequest, search
from tests.conftest import FIXTURES, ROOT
from tests.indexer.test_indexing import REPOST, copy_seed, total, write_thread

HUBBUB = str(Path(sys.executable).with_name("hubbub"))


def generations(index_dir: Path) -> list[str]:
    return [generation.name for generation in IndexLayout(index_dir).generations()]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(arg) for arg in args])
    return result.exit_code, result.output


# Names that are not UTF-8


@pytest.mark.engines()
def test_a_name_that_is_not_utf8_is_skipped_and_the_rest_indexed(index_dir, tmp_path):
    folder = tmp_path / "archive"
    write_thread(folder, "a.txt", "First thread", "An aardvark ate.")
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as handle:
        handle.write((FIXTURES / "text" / "cp1252.txt").read_bytes())

    summary = index_paths([folder], index_dir)

    assert (summary.files_indexed, total(index_dir)) == (1, 2)
    [(name, reason)] = summary.skipped
    assert name == f"{folder}/caf\\xe9.txt"
    assert "not valid UTF-8" in reason and "rename" in reason
    assert index_paths([folder], index_dir).files_unchanged == 1


def test_index_prints_a_name_that_is_not_utf8_escaped(index_dir, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    Path(os.fsdecode(os.fsencode(folder) + b"/r\xe9sum\xe9.txt")).write_text("Words.")

    code, output = invoke("index", folder, "--index", index_dir)

    assert code == 0
    assert "r\\xe9sum\\xe9.txt: its path is not valid UTF-8" in output


# Symbolic links


def test_a_link_out_of_the_folder_is_not_followed(index_dir, tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    write_thread(corpus, "a.txt", "First thread", "An aardvark ate.")
    secret = write_thread(outside, "secret.txt", "Secret thread", "A password leaked.")
    (corpus / "secret.txt").symlink_to(secret)
    (corpus / "elsewhere").symlink_to(outside)

    summary = index_paths([corpus], index_dir)

    assert summary.files_indexed == 1 and total(index_dir, "password") == 0
    assert sorted(summary.skipped) == [
        (str(corpus / "elsewhere"), f"symbolic link to a folder outside {corpus}: not followed"),
        (str(corpus / "secret.txt"), f"symbolic link to a file outside {corpus}: not followed"),
    ]


def test_a_link_named_on_the_command_line_is_read(index_dir, tmp_path):
    secret = write_thread(tmp_path / "outside", "secret.txt", "Secret thread", "A password.")
    link = tmp_path / "link.txt"
    link.symlink_to(secret)

    assert index_paths([link], index_dir).files_indexed == 1
    assert total(index_dir, "password") == 1


def test_a_link_inside_the_folder_indexes_its_target_once(index_dir, tmp_path):
    corpus = tmp_path / "corpus"
    target = write_thread(corpus / "real", "a.txt", "First thread", "An aardvark ate.")
    (corpus / "alias.txt").symlink_to(target)
    (corpus / "mirror").symlink_to(corpus / "real")
    (corpus / "real" / "loop").symlink_to(corpus)

    summary = index_paths([corpus], index_dir)
    assert (summary.files_indexed, summary.skipped, total(index_dir)) == (1, [], 2)

    (corpus / "alias.txt").unlink()
    assert index_paths([corpus], index_dir).files_removed == 0
    assert total(index_dir, "aardvark") == 1

    target.unlink()
    assert index_paths([corpus], index_dir).files_removed == 1
    assert total(index_dir) == 0


# FIFOs, devices and huge files


def test_a_fifo_or_a_device_named_on_the_command_line_is_skipped_at_once(index_dir, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    page = write_thread(tmp_path, "a.txt", "First thread", "An aardvark ate.")

    run = subprocess.run(
        [HUBBUB, "index", fifo, "/dev/zero", page, "--json", "--quiet", "--index", index_dir],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["files_indexed"] == 1
    assert summary["skipped"] == [
        {"path": str(fifo), "reason": "not a regular file"},
        {"path": "/dev/zero", "reason": "not a regular file"},
    ]


def test_a_huge_file_is_refused_without_being_read(index_dir, tmp_path):
    folder = tmp_path / "archive"
    write_thread(folder, "a.txt", "First thread", "An aardvark ate.")
    huge = folder / "huge.txt"
    with open(huge, "wb") as handle:
        handle.write(b"A huge page\n\nIt opens as text. " * 1000)
        handle.truncate(20 * 2**30)
    with pytest.raises(ReaderError) as refused:
        load_bytes(huge)

    started = time.monotonic()
    summary = index_paths([folder], index_dir)

    assert time.monotonic() - started < 2
    assert summary.files_indexed == 1
    assert summary.skipped == [(str(huge), str(refused.value))]
    assert "too large" in str(refused.value)


# One article in two files

THREAD_FILE = FIXTURES / "text" / "crlf.txt"


def seed_thread(index_dir: Path, seed_path: Path) -> list[int]:
    """The comment positions the thread view shows for the seed article."""
    seed_id = article_id(read_file(seed_path)[0])
    return [doc.position for doc in open_engine(index_dir).snapshot().thread(seed_id)][1:]


@pytest.mark.engines()
def test_an_article_saved_twice_is_indexed_once(index_dir, tmp_path, seed_path):
    folder = tmp_path / "archive"
    first = copy_seed(seed_path, folder, "a.txt")
    second = copy_seed(seed_path, folder, "b.txt")

    summary = index_paths([folder], index_dir)

    assert (summary.articles, summary.comments) == (1, 14)
    assert seed_thread(index_dir, seed_path) == list(range(1, 15))
    seed_id = article_id(read_file(seed_path)[0])
    assert summary.left_out == [(str(second), seed_id, str(first.resolve()))]
    again = index_paths([folder], index_dir)
    assert (again.files_unchanged, again.wrote, len(again.left_out)) == (2, False, 1)

    first.unlink()
    summary = index_paths([folder], index_dir)
    assert (summary.files_removed, summary.articles, summary.left_out) == (1, 1, [])
    assert seed_thread(index_dir, seed_path) == list(range(1, 15))


@pytest.mark.engines()
def test_a_copy_left_out_is_taken_in_the_run_where_its_owner_lets_it_go(index_dir, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    owner = folder / "b.txt"
    shutil.copy(THREAD_FILE, owner)
    index_paths([folder], index_dir)
    shutil.copy(FIXTURES / "text" / "cr.txt", folder / "a.txt")  # the same article
    assert len(index_paths([folder], index_dir).left_out) == 1

    write_thread(folder, "b.txt", "Another thread", "An aardvark ate.")
    summary = index_paths([folder], index_dir)

    assert summary.left_out == []
    thread = article_id(read_file(THREAD_FILE)[0])
    documents = open_engine(index_dir).snapshot().thread(thread)
    assert [doc.position for doc in documents] == [0, 1, 2]
    assert {doc.source for doc in documents} == {str((folder / "a.txt").resolve())}


def test_index_and_stats_name_the_file_an_article_was_left_out_for(index_dir, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    first = Path(shutil.copy(THREAD_FILE, folder / "a.txt"))
    second = Path(shutil.copy(THREAD_FILE, folder / "b.txt"))
    left_out = (
        f"article {article_id(read_file(THREAD_FILE)[0])} "
        f"already indexed from {first.resolve()}: left out"
    )

    code, output = invoke("index", folder, "--index", index_dir)
    assert code == 0 and f"{second}: {left_out}" in output
    code, output = invoke("stats", "--index", index_dir)
    assert code == 0 and f"{second.resolve()}: indexed; {left_out}" in output


# Runs that died

DIE_AFTER = """
import os, sys
from pathlib import Path
from indexer import indexing

folder, index_dir, engine, rebuild, files = sys.argv[1:]
indexing.BATCH_FILES = 1

def die(done, total, documents, read, size):
    if done == int(files):
        os._exit(9)

indexing.index_paths(
    [Path(folder)], Path(index_dir), rebuild=bool(rebuild), progress=die, engine=engine, workers=1
)
"""


def killed_run(folder: Path, index_dir: Path, engine: str, files: int, rebuild: bool) -> None:
    """An indexer killed once it has committed `files` files, each in a batch of its own."""
    run = subprocess.run(
        [sys.executable, "-c", DIE_AFTER, folder, index_dir, engine, "y" * rebuild, str(files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 9, run.stderr


def three_threads(folder: Path) -> Path:
    for n, word in enumerate(("aardvark", "badger", "cheetah")):
        write_thread(folder, f"{n}.txt", f"Thread {word}", f"A {word} came by.")
    return folder


@pytest.mark.engines()
def test_a_killed_first_run_is_resumed_without_reading_again(index_dir, tmp_path, engine_name):
    folder = three_threads(tmp_path / "archive")
    killed_run(folder, index_dir, engine_name, files=2, rebuild=False)
    assert IndexLayout(index_dir).current() is None

    summary = index_paths([folder], index_dir)

    assert (summary.resumed, summary.files_unchanged, summary.files_indexed) == (True, 2, 1)
    assert generations(index_dir) == ["gen-000001"] and total(index_dir) == 6


@pytest.mark.parametrize("next_run", ["index", "remove"])
def test_a_killed_rebuild_is_listed_then_removed_by_the_next_run(index_dir, tmp_path, next_run):
    folder = three_threads(tmp_path / "archive")
    index_paths([folder], index_dir)
    index_paths([folder], index_dir, rebuild=True)
    killed_run(folder, index_dir, "whoosh", files=2, rebuild=True)

    code, output = invoke("stats", "--index", index_dir)
    assert code == 0
    assert "gen-000001 (previous, " in output and "gen-000002 (live, " in output
    assert "gen-000003 (interrupted, " in output

    if next_run == "index":
        index_paths([folder], index_dir)
    else:
        remove_paths([folder / "0.txt"], index_dir)
    assert generations(index_dir) == ["gen-000001", "gen-000002"]
    code, output = invoke("stats", "--json", "--index", index_dir)
    assert [g["state"] for g in json.loads(output)["generations"]] == ["previous", "live"]


def test_copy_groups_a_run_died_before_refreshing_are_refreshed_by_the_next(
    index_dir, tmp_path, monkeypatch
):
    folder = tmp_path / "archive"
    write_thread(folder, "a.txt", "First thread", REPOST)
    index_paths([folder], index_dir)
    write_thread(folder, "b.txt", "Second thread", REPOST)

    def killed(*args: object) -> int:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(indexing, "refresh_copy_groups", killed)
        with pytest.raises(KeyboardInterrupt):
            index_paths([folder], index_dir)
    assert search(open_engine(index_dir), SearchRequest(copies=True)).total == 0

    summary = index_paths([folder], index_dir)

    assert (summary.files_unchanged, summary.files_indexed) == (2, 0)
    assert search(open_engine(index_dir), SearchRequest(copies=True)).total == 2


# Full and read-only storage


def fill(disk: Path, room: int) -> None:
    """Leave only `room` bytes free on the disk."""
    (disk / "filler").write_bytes(b"\0" * (shutil.disk_usage(disk).free - room))


@pytest.mark.engines("whoosh", "tantivy")  # Solr writes on its own nodes' disks
@pytest.mark.parametrize("rebuild", [False, True], ids=["update", "rebuild"])
def test_a_full_disk_stops_indexing_with_a_message_and_loses_nothing(
    small_disk, seed_path, tmp_path, engine_name, rebuild
):
    index_dir = small_disk.path / "index"
    index_paths([seed_path], index_dir, engine=engine_name)
    page = shutil.copy(FIXTURES / "text" / "cp1252.txt", tmp_path / "cafe.txt")
    fill(small_disk.path, room=16 * 1024)

    code, output = invoke("index", page, "--index", index_dir, *["--rebuild"] * rebuild)

    assert code == 1
    assert "Indexing stopped: No space left on device" in output
    assert "Free some space there" in output and "Traceback" not in output
    assert generations(index_dir) == ["gen-000001"]
    assert (total(index_dir), total(index_dir, "Putin")) == (15, 6)
    (small_disk.path / "filler").unlink()
    again = index_paths([page], index_dir, wait=1)  # in the same process: its locks are free
    assert again.files_indexed == 1
    assert total(index_dir) == 15 + 2


@pytest.mark.engines()
def test_read_only_storage_stops_index_and_remove_with_a_message(
    small_disk, seed_path, tmp_path, engine_name
):
    index_dir = small_disk.path / "index"
    index_paths([seed_path], index_dir, engine=engine_name)
    page = shutil.copy(FIXTURES / "text" / "cp1252.txt", tmp_path / "cafe.txt")
    small_disk.read_only()

    for command, doing, path in (("index", "Indexing", page), ("remove", "Removing", seed_path)):
        code, output = invoke(command, path, "--index", index_dir)
        assert code == 1
        assert f"{doing} stopped: Read-only file system" in output
        assert f"Make the index folder {index_dir} writable" in output
        assert "Traceback" not in output
    assert total(index_dir, "Putin") == 6
