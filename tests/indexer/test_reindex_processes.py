"""Reindexing through real processes: two writers, a killed writer, a live server."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from indexer.engines import open_engine
from indexer.indexing import index_paths
from indexer.layout import LOCK
from indexer.search import SearchRequest, search

pytestmark = pytest.mark.engines()

HUBBUB = str(Path(sys.executable).with_name("hubbub"))
ARCHIVE_FILES = 3_000  # enough that an indexer is still running a second or two after it starts


def write_archive(folder: Path, files: int, word: str = "harbour") -> Path:
    """A folder of small page dumps, each an article with three comments."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        comments = "".join(
            f"Comment {c} on the {word} story number {n}, with some words.\n\n"
            f"Posted by reader{(n + c) % 50} | Report as abusive\n\n"
            for c in range(3)
        )
        (folder / f"page-{n:05d}.txt").write_text(
            f"Story {n} about the {word}\n\nJune {1 + n % 28}, 2019\n\n"
            f"The body of story {n}.\n\nWe welcome comments.\n\n{comments}",
            encoding="utf-8",
        )
    return folder


def start_indexer(index_dir: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [HUBBUB, "index", *args, "--index", str(index_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_lock_holder(index_dir: Path, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        lock = index_dir / LOCK
        if lock.exists() and f"pid {process.pid}" in lock.read_text():
            return
        time.sleep(0.05)
    raise AssertionError("the indexer never took the lock")


def total(index_dir: Path, q: str = "") -> int:
    return search(open_engine(index_dir), SearchRequest(q=q)).total


@pytest.fixture
def seeded(seed_path: Path, index_dir: Path) -> Path:
    index_paths([seed_path], index_dir)
    return index_dir


def test_second_indexer_waits_then_fails_naming_the_holder(seeded, tmp_path):
    archive = write_archive(tmp_path / "archive", ARCHIVE_FILES)
    first = start_indexer(seeded, str(archive))
    wait_for_lock_holder(seeded, first)
    second = subprocess.run(
        [HUBBUB, "index", str(archive), "--wait", "0.5", "--index", str(seeded)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    first.communicate(timeout=300)
    assert second.returncode == 1
    assert f"pid {first.pid}, started" in second.stderr
    assert first.returncode == 0


def test_killed_indexer_leaves_the_previous_index_and_the_next_run_completes(seeded, tmp_path):
    files = ARCHIVE_FILES
    archive = write_archive(tmp_path / "archive", files)
    before = total(seeded)
    indexer = start_indexer(seeded, str(archive))
    wait_for_lock_holder(seeded, indexer)
    time.sleep(1.5)
    indexer.send_signal(signal.SIGKILL)
    indexer.wait(timeout=30)
    assert indexer.returncode == -signal.SIGKILL
    after_kill = total(seeded)
    assert after_kill >= before and total(seeded, "Putin") == 6
    rerun = subprocess.run(
        [HUBBUB, "index", str(archive), "--json", "--quiet", "--wait", "5", "--index", str(seeded)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert total(seeded) == before + files * 4


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.engines("whoosh")
def test_killing_an_indexer_while_its_writer_processes_run_leaves_no_lock(seeded, tmp_path):
    """A big batch is written by forked writer processes; they must die with the indexer,
    or they would hold the index's lock for good."""
    lines = [json.dumps({"kind": "article", "id": "big", "title": "Harbour", "body": "x"})]
    lines += [
        json.dumps(
            {
                "kind": "comment",
                "id": f"c{n}",
                "article_id": "big",
                "author": f"r{n % 97}",
                "body": f"comment {n} on the harbour, with a few more words",
                "position": n,
            }
        )
        for n in range(1, 12_000)
    ]
    big = tmp_path / "big.jsonl"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    indexer = start_indexer(seeded, str(big))
    try:
        deadline = time.monotonic() + 120
        while not (writers := children(indexer.pid)) and time.monotonic() < deadline:
            assert indexer.poll() is None, indexer.communicate()
            time.sleep(0.02)
        assert writers, "the indexer never started its writer processes"
    finally:
        indexer.send_signal(signal.SIGKILL)
        indexer.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in writers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in writers)
    rerun = subprocess.run(
        [HUBBUB, "index", str(big), "--wait", "5", "--quiet", "--index", str(seeded)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert total(seeded, "harbour") == 12_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_live_server_answers_through_a_reindex_and_sees_the_new_documents(seeded, tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [HUBBUB, "serve", "--port", str(port), "--index", str(seeded)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    failures: list[str] = []
    answered = [0]
    stop = threading.Event()

    def client(query: str) -> None:
        deadline = time.monotonic() + 120
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/api/search?q={query}", timeout=30) as reply:
                    json.load(reply)
                    answered[0] += 1
            except Exception as error:  # every failure is a finding
                failures.append(repr(error))

    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/search", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        clients = [threading.Thread(target=client, args=(q,)) for q in ("putin", "harbour", "")]
        for thread in clients:
            thread.start()
        archive = write_archive(tmp_path / "archive", 150)
        assert start_indexer(seeded, str(archive)).wait(timeout=300) == 0
        assert start_indexer(seeded, str(archive), "--rebuild").wait(timeout=300) == 0
        with urllib.request.urlopen(f"{base}/api/search?q=harbour", timeout=30) as reply:
            found = json.load(reply)["total"]
        stop.set()
        for thread in clients:
            thread.join(timeout=60)
    finally:
        stop.set()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert failures == []
    assert answered[0] > 10
    assert found == 150 * 4


def test_reading_never_writes_to_the_index(seeded):
    before = {p: p.stat().st_mtime_ns for p in seeded.rglob("*")}
    engine = open_engine(seeded)
    result = search(engine, SearchRequest(q="putn", authors=("pakistan",), sort="newest"))
    assert result.suggestion == "putin"
    assert {p: p.stat().st_mtime_ns for p in seeded.rglob("*")} == before
