"""The index folder on disk: generations, the pointer to the live one, the writer lock.

    instance/index/
        CURRENT          the name of the live generation, replaced atomically
        gen-000002/      an engine's index plus `manifest.json` (what was indexed)
        writer.lock      held (flock) by the one process writing

Incremental runs commit into the live generation: each engine commit is atomic, so
readers see the index before or after it, never half of it. A rebuild fills a new
generation beside the live one and swaps CURRENT when it is complete. The
previous generation is kept until the next swap, so a reader that opened it just
before a swap can finish. Any other generation is what a killed run left: each run
removes it before writing, except that a first run resumes the one a killed first
run was filling, so the batches it committed are not read again.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from indexer.engines.base import IndexLocked

POINTER = "CURRENT"
LOCK = "writer.lock"
MANIFEST = "manifest.json"
GENERATION_PREFIX = "gen-"
LOCK_POLL_SECONDS = 0.2


@dataclass
class FileRecord:
    """What the index knows of one source file: its content hash and how it went."""

    sha256: str
    status: str  # "indexed", "skipped", or "partial" while a large file is committed in parts
    reason: str = ""
    articles: int = 0
    comments: int = 0
    note: str = ""  # how its comment threads were read, when a user should know
    # Articles left out because another file holds them: article id to that file.
    # A file with some is read again on every run, to take them once they are free.
    left_out: dict[str, str] = field(default_factory=dict)
    # Threads of a partial file committed so far: a run that stopped resumes after them.
    threads_done: int = 0


PARTIAL = "partial"


def described(record: FileRecord) -> dict:
    """A file's record as `stats` shows it: how far it got only while it is partial."""
    shown = vars(record).copy()
    if record.status != PARTIAL:
        del shown["threads_done"]
    return shown


def left_out_note(article: str, owner: str) -> str:
    return f"article {article} already indexed from {owner}: left out"


@dataclass
class Manifest:
    """The files a generation holds, with the engine and when it was last written."""

    engine: str = "whoosh"
    indexed_at: str = ""
    files: dict[str, FileRecord] = field(default_factory=dict)
    # Set once documents are committed and cleared once copy groups are refreshed, so
    # a run that died between the two has the next run refresh them.
    copies_owed: bool = False
    # The split threads committed in parts that several files hold, until they are
    # joined: a run that died before joining them has the next run join them.
    joins_owed: set[str] = field(default_factory=set)

    def to_json(self) -> dict:
        return {
            "engine": self.engine,
            "indexed_at": self.indexed_at,
            "copies_owed": self.copies_owed,
            "joins_owed": sorted(self.joins_owed),
            "files": {path: vars(record) for path, record in sorted(self.files.items())},
        }

    @classmethod
    def from_json(cls, data: dict) -> Manifest:
        files = {path: FileRecord(**record) for path, record in data.get("files", {}).items()}
        return cls(
            data.get("engine", "whoosh"),
            data.get("indexed_at", ""),
            files,
            data.get("copies_owed", False),
            set(data.get("joins_owed", ())),
        )


def write_atomically(path: Path, text: str) -> None:
    """Write a small file so that readers see the old content or the new, never a part."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)  # a full disk must not keep the half-written copy
        raise


def remove_folder(generation: Path) -> None:
    shutil.rmtree(generation, ignore_errors=True)


class IndexLayout:
    """One index folder and the generations inside it."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def current(self) -> Path | None:
        """The live generation's folder, or None before the first index is built."""
        try:
            name = (self.root / POINTER).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not name.startswith(GENERATION_PREFIX) or "/" in name:
            return None
        return self.root / name

    def pointer_stamp(self) -> int | None:
        """Changes whenever CURRENT is replaced: a cheap check for a swapped generation."""
        try:
            return (self.root / POINTER).stat().st_mtime_ns
        except OSError:
            return None

    def generations(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.iterdir() if p.name.startswith(GENERATION_PREFIX))

    def new_generation(self) -> Path:
        """A new, empty generation folder, numbered after every existing one."""
        numbers = [
            int(p.name[len(GENERATION_PREFIX) :])
            for p in self.generations()
            if p.name[len(GENERATION_PREFIX) :].isdigit()
        ]
        path = self.root / f"{GENERATION_PREFIX}{max(numbers, default=0) + 1:06d}"
        path.mkdir(parents=True)
        return path

    def previous(self, live: Path | None) -> Path | None:
        """The generation `live` replaced, kept for readers that opened it before the swap:
        the newest below it, as each new generation is numbered after every other."""
        if live is None:
            return None
        return max((g for g in self.generations() if g.name < live.name), default=None)

    def publish(self, generation: Path, discard: Callable[[Path], None] = remove_folder) -> None:
        """Make `generation` the live one, then drop all but it and the one it replaced."""
        write_atomically(self.root / POINTER, generation.name + "\n")
        self.tidy(discard=discard)

    def tidy(
        self, keep: Path | None = None, discard: Callable[[Path], None] = remove_folder
    ) -> None:
        """Remove every generation but the live one, the previous one and `keep`: what an
        interrupted run left. Only under the writer's lock, before a run writes.

        :param discard: removes one generation (and whatever it holds elsewhere).
        """
        live = self.current()
        wanted = {live, self.previous(live), keep}
        for generation in self.generations():
            if generation not in wanted:
                discard(generation)

    def resumable(self, engine: str | None) -> Path | None:
        """The newest generation a first run left without publishing it, once it had
        committed something (it has a manifest), in `engine` unless that is None."""
        for generation in reversed(self.generations()):
            if (generation / MANIFEST).is_file() and engine in (
                None,
                self.read_manifest(generation).engine,
            ):
                return generation
        return None

    def read_manifest(self, generation: Path) -> Manifest:
        try:
            data = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Manifest()
        return Manifest.from_json(data)

    def write_manifest(self, generation: Path, manifest: Manifest) -> None:
        manifest.indexed_at = datetime.now().astimezone().isoformat(timespec="seconds")
        write_atomically(generation / MANIFEST, json.dumps(manifest.to_json(), indent=1))

    def size_on_disk(self, generation: Path) -> int:
        """Bytes of the generation's files; files an engine removes meanwhile count none."""
        total = 0
        for path in generation.rglob("*"):
            try:
                total += path.stat().st_size if path.is_file() else 0
            except FileNotFoundError:
                pass
        return total

    def writer_active(self) -> bool:
        """Whether a process holds the writer's lock now; the probe writes nothing."""
        try:
            handle = open(self.root / LOCK, "rb")
        except OSError:
            return False
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False

    @contextmanager
    def writer_lock(self, wait: float, command: str = "") -> Iterator[None]:
        """Hold the one writer's lock, waiting at most `wait` seconds for it.

        The lock is an flock, which the kernel releases when its holder dies, so a
        lock left by a killed process never blocks anyone; the file only says who
        holds it now.

        :raise IndexLocked: naming the holder, when it is still held after `wait`.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        handle = open(self.root / LOCK, "a+", encoding="utf-8")
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        handle.seek(0)
                        holder = handle.read().strip() or "another process"
                        raise IndexLocked(
                            f"The index {self.root} is being written by {holder}; "
                            f"waited {wait:g} s. Try again when it has finished."
                        ) from None
                    time.sleep(LOCK_POLL_SECONDS)
            started = datetime.now().astimezone().isoformat(timespec="seconds")
            holder = f"pid {os.getpid()}, started {started}" + (f" ({command})" if command else "")
            handle.seek(0)
            handle.truncate()
            handle.write(holder)
            handle.flush()
            try:
                yield
            finally:
                handle.truncate(0)
        finally:
            handle.close()
