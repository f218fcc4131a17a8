"""Building and updating the index from archive files on disk.

A run is incremental: a file whose content hash is the one recorded is skipped, a
changed file's documents replace its old ones, and the documents of files gone
from the folders being indexed are removed. Work is committed in batches, each
atomic, with the record of hashes written after each commit, so a killed run
leaves the index whole and the next run picks up where it stopped. `rebuild`
fills a new generation and swaps it in when complete; the live one serves until
then.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from indexer import archive
from indexer.archive import check_engine, open_store
from indexer.copies import copy_groups
from indexer.documents import ARTICLE, Document, thread_documents
from indexer.engine import IndexMissing, Store
from indexer.layout import FileRecord, IndexLayout, Manifest
from indexer.readers import SUPPORTED_SUFFIXES, ReaderError, read_file
from indexer.readers.comment_mining import RECORD_MINING
from indexer.records import Article

MAX_FILES = 1_000_000
NOT_SPLIT = "comments not split"
MINED = "comments found by record mining (no known comment markup)"
BATCH_FILES = 500
# Reading goes to worker processes from this many files in a run, and this many
# files a worker ahead of the writer.
POOL_MIN_FILES = 64
READ_AHEAD = 8
PARENT_CHECK_SECONDS = 1.0
BATCH_DOCUMENTS = 20_000
LOCK_WAIT_SECONDS = 10.0

Progress = Callable[[int, int, int], None]
"""Called after each file: files done, files in all, documents written so far."""


class EngineMismatch(ValueError):
    """An engine asked for that is not the live index's, without a rebuild."""


@dataclass
class IndexSummary:
    """What one indexing run did, for the operator."""

    files_seen: int = 0
    files_indexed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    articles: int = 0
    comments: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    not_split: list[tuple[str, str]] = field(default_factory=list)
    mined: int = 0
    generation: int = 0
    rebuilt: bool = False
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        return self.articles + self.comments

    @property
    def wrote(self) -> bool:
        return bool(self.files_indexed or self.files_removed or self.rebuilt)

    def to_json(self) -> dict:
        return {
            "files_seen": self.files_seen,
            "files_indexed": self.files_indexed,
            "files_unchanged": self.files_unchanged,
            "files_removed": self.files_removed,
            "files_skipped": len(self.skipped),
            "articles": self.articles,
            "comments": self.comments,
            "skipped": [{"path": path, "reason": reason} for path, reason in self.skipped],
            "comments_not_split": [
                {"path": path, "reason": reason} for path, reason in self.not_split
            ],
            "threads_found_by_record_mining": self.mined,
            "generation": self.generation,
            "rebuilt": self.rebuilt,
            "seconds": round(self.seconds, 3),
        }


def source_key(path: Path) -> str:
    """How the index names a file: its absolute path, whatever folder it was given from."""
    return str(path.resolve())


def archive_files(paths: Iterable[Path], summary: IndexSummary) -> list[Path]:
    """The files to read: named files as they are, folders walked for known suffixes.

    Hidden files and folders are passed over; a missing path is reported as skipped.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.is_file()
            )
        elif path.exists():
            files.append(path)
        else:
            summary.skipped.append((str(path), "no such file or folder"))
        if len(files) > MAX_FILES:
            summary.skipped.append((str(path), f"more than {MAX_FILES:,} files in one run"))
            return files[:MAX_FILES]
    return files


def under(source: str, folders: list[str]) -> bool:
    return any(source.startswith(folder + os.sep) for folder in folders)


def content_hash(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def read_documents(file: Path) -> tuple[list[Document], str] | str:
    """The file's documents and a note on how its threads were read, or the reason
    it could not be read."""
    try:
        articles = read_file(file)
    except ReaderError as error:
        return str(error)
    except Exception as error:  # a reader failing on one odd file must not stop the run
        return f"could not be read ({type(error).__name__}: {error})"
    documents = [doc for article in articles for doc in thread_documents(article, source_key(file))]
    return documents, thread_note(articles)


def thread_note(articles: list[Article]) -> str:
    """What a user should know of how a file's comment threads were read: a comment
    section that could not be split, or comments found by record mining."""
    notes = []
    for article in articles:
        if article.comments_not_split:
            notes.append(f"{NOT_SPLIT}: {article.comments_not_split}")
        elif article.comment_markup == RECORD_MINING:
            notes.append(MINED)
    return "; ".join(dict.fromkeys(notes))


class IndexRun:
    """One run's batch of changes, committed to the store with the manifest after it."""

    def __init__(self, layout: IndexLayout, generation: Path, fresh: bool, engine: str) -> None:
        self.layout = layout
        self.generation = generation
        self.store = open_store(generation, engine, create=fresh)
        self.manifest = Manifest(engine) if fresh else layout.read_manifest(generation)
        self.batch: dict[str, list[Document]] = {}
        self.removals: list[str] = []
        self.pending_documents = 0
        self.manifest_changed = fresh  # a new generation names its engine from the start

    def add(self, source: str, documents: list[Document], record: FileRecord) -> None:
        self.batch[source] = documents
        self.manifest.files[source] = record
        self.pending_documents += len(documents)
        if len(self.batch) >= BATCH_FILES or self.pending_documents >= BATCH_DOCUMENTS:
            self.commit()

    def remove(self, source: str) -> None:
        self.removals.append(source)
        self.manifest.files.pop(source, None)

    def record_skipped(self, source: str, record: FileRecord) -> None:
        """Remember a file that could not be read, so `stats` can say why."""
        self.manifest.files[source] = record
        self.manifest_changed = True

    def commit(self) -> None:
        if self.batch or self.removals:
            self.store.replace_sources(self.batch, remove=self.removals)
            self.manifest_changed = True
        if self.manifest_changed:
            self.layout.write_manifest(self.generation, self.manifest)
        self.batch, self.removals, self.pending_documents = {}, [], 0
        self.manifest_changed = False


def refresh_copy_groups(store: Store) -> int:
    """Group the comments posted more than once, across the whole archive.

    Runs after the documents are in: a new comment may copy one indexed long ago.
    Only comments whose group changed are rewritten.

    :return: how many comments changed group.
    """
    present = {doc_id: (body, group) for doc_id, body, group in store.comment_bodies()}
    wanted = {
        doc_id: group[0]
        for group in copy_groups((doc_id, body) for doc_id, (body, _) in present.items())
        for doc_id in group
    }
    changes = {
        doc_id: wanted.get(doc_id, "")
        for doc_id, (_, group) in present.items()
        if wanted.get(doc_id, "") != group
    }
    if changes:
        store.set_copy_groups(changes)
    return len(changes)


def live_engine(layout: IndexLayout, live: Path | None) -> str | None:
    return layout.read_manifest(live).engine if live else None


def chosen_engine(layout: IndexLayout, live: Path | None, engine: str | None, fresh: bool) -> str:
    """The engine a run writes with: the one asked for, else the live index's, else
    the default; another engine than the live one's only into a new generation.

    :raise EngineMismatch: when `engine` is not the live index's and `fresh` is False.
    """
    present = live_engine(layout, live)
    if engine and present and engine != present and not fresh:
        raise EngineMismatch(
            f"The index {layout.root} is a {present} index: to move it to {engine}, "
            f"rebuild it with 'hubbub index --rebuild --engine {engine}'."
        )
    return check_engine(engine or present or archive.DEFAULT_ENGINE)


def index_paths(
    paths: Iterable[Path],
    index_dir: Path,
    rebuild: bool = False,
    progress: Progress | None = None,
    wait: float = LOCK_WAIT_SECONDS,
    command: str = "",
    engine: str | None = None,
    workers: int | None = None,
) -> IndexSummary:
    """Bring the index up to date with the archive files under `paths`.

    :param rebuild: build a fresh generation beside the live one and swap it in.
    :param progress: called after every file.
    :param wait: how long to wait for another writer to finish.
    :param engine: "whoosh" or "tantivy"; by default the live index's engine, or
        Whoosh for a new index. Changing it needs `rebuild`.
    :param workers: processes that read files; by default one a core for big runs.
    :raise IndexLocked: when another process still holds the index after `wait`.
    :raise EngineMismatch: when `engine` differs from the live index's without `rebuild`.
    """
    started = time.monotonic()
    paths = list(paths)
    layout = IndexLayout(index_dir)
    summary = IndexSummary()
    with layout.writer_lock(wait, command):
        live = layout.current()
        fresh = rebuild or live is None
        name = chosen_engine(layout, live, engine, fresh)
        run = IndexRun(layout, layout.new_generation() if fresh else live, fresh, name)
        summary.rebuilt = fresh
        files = archive_files(paths, summary)
        summary.files_seen = len(files)
        seen = {source_key(file) for file in files}
        folders = [source_key(path) for path in paths if path.is_dir()]
        for source in [s for s in run.manifest.files if under(s, folders) and s not in seen]:
            run.remove(source)
            summary.files_removed += 1
        index_files(files, run, summary, progress, workers)
        run.commit()
        if fresh or summary.files_indexed or summary.files_removed:
            refresh_copy_groups(run.store)
        if fresh:
            layout.publish(run.generation)
        summary.generation = run.store.generation()
    summary.seconds = time.monotonic() - started
    return summary


@dataclass(frozen=True)
class _Changed:
    """A file whose content is not the one indexed: its name in the index and hash."""

    source: str
    digest: str
    known: FileRecord | None


def index_files(
    files: list[Path],
    run: IndexRun,
    summary: IndexSummary,
    progress: Progress | None = None,
    workers: int | None = None,
) -> None:
    """Index the files into the run, in their order, skipping those unchanged.

    Files are read by `workers` processes (by default one a core once there are
    `POOL_MIN_FILES` or more) a few files ahead of the one writer, which takes
    their documents in file order, so the index is the same whichever reads them.
    """
    count = workers or (os.cpu_count() or 1 if len(files) >= POOL_MIN_FILES else 1)
    window: deque[tuple[Path, _Changed | None, Future | None]] = deque()
    done = 0

    def finish_one() -> None:
        nonlocal done
        _finish(*window.popleft(), reader, run, summary)
        done += 1
        if progress:
            progress(done, len(files), summary.documents)

    with _FileReader(count) as reader:
        for file in files:
            changed = _changed(file, run, summary)
            window.append((file, changed, reader.submit(file) if changed else None))
            if len(window) > READ_AHEAD * count:
                finish_one()
        while window:
            finish_one()


class _FileReader:
    """Reads files into documents, in worker processes when there are several.

    Workers are started fresh ("spawn"), so they hold none of the writer's open
    files or locks, and leave when the writer dies, even by kill -9. If the pool
    breaks, the rest is read in this process.
    """

    def __init__(self, workers: int) -> None:
        self.pool = None
        if workers > 1:
            self.pool = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_leave_with_parent,
                initargs=(os.getpid(),),
            )

    def __enter__(self) -> _FileReader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def submit(self, file: Path) -> Future:
        if self.pool is not None:
            try:
                return self.pool.submit(read_documents, file)
            except BrokenProcessPool:
                self.pool = None
        future: Future = Future()
        future.set_result(read_documents(file))
        return future

    def result(self, file: Path, future: Future) -> tuple[list[Document], str] | str:
        try:
            return future.result()
        except BrokenProcessPool:
            self.pool = None
            return read_documents(file)


def _leave_with_parent(parent: int) -> None:
    """A reading worker's start: a watch that ends it once its writer is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _changed(file: Path, run: IndexRun, summary: IndexSummary) -> _Changed | None:
    """The file's hash when its content is not the one indexed, else None (counted)."""
    source = source_key(file)
    try:
        digest = content_hash(file)
    except OSError as error:
        summary.skipped.append((str(file), f"cannot be read: {error.strerror or error}"))
        return None
    known = run.manifest.files.get(source)
    if known and known.sha256 == digest:
        summary.files_unchanged += 1
        return None
    return _Changed(source, digest, known)


def _finish(
    file: Path,
    changed: _Changed | None,
    future: Future | None,
    reader: _FileReader,
    run: IndexRun,
    summary: IndexSummary,
) -> None:
    """Put one read file's documents into the run, or record why it was skipped."""
    if changed is None or future is None:
        return
    read = reader.result(file, future)
    if isinstance(read, str):
        if changed.known and changed.known.status == "indexed":
            read += "; its earlier version stays in the index"
        else:
            run.record_skipped(changed.source, FileRecord(changed.digest, "skipped", read))
        summary.skipped.append((str(file), read))
        return
    documents, note = read
    if NOT_SPLIT in note:
        summary.not_split.append((str(file), note))
    summary.mined += MINED in note
    articles = sum(1 for doc in documents if doc.kind == ARTICLE)
    record = FileRecord(changed.digest, "indexed", "", articles, len(documents) - articles, note)
    run.add(changed.source, documents, record)
    summary.files_indexed += 1
    summary.articles += record.articles
    summary.comments += record.comments


def remove_paths(
    paths: Iterable[Path], index_dir: Path, wait: float = LOCK_WAIT_SECONDS
) -> IndexSummary:
    """Drop the documents of the given files, or of every file under the given folders."""
    layout = IndexLayout(index_dir)
    summary = IndexSummary()
    with layout.writer_lock(wait, "hubbub remove"):
        live = layout.current()
        if live is None:
            raise IndexMissing(f"No index in {index_dir}: build one with 'hubbub index'.")
        run = IndexRun(layout, live, False, live_engine(layout, live))
        for path in paths:
            key = source_key(path)
            matched = [s for s in run.manifest.files if s == key or under(s, [key])]
            if not matched:
                summary.skipped.append((str(path), "not in the index"))
            for source in matched:
                run.remove(source)
                summary.files_removed += 1
        run.commit()
        if summary.files_removed:
            refresh_copy_groups(run.store)
        summary.generation = run.store.generation()
    return summary


def index_records(
    articles: Iterable[Article],
    index_dir: Path,
    source: str,
    wait: float = LOCK_WAIT_SECONDS,
    engine: str | None = None,
) -> None:
    """Put articles made in code straight into the index, as the documents of `source`.

    For programs that build records themselves rather than reading files; a later
    run over files leaves `source` alone unless a file of that name is indexed.
    `engine` is as for `index_paths`.
    """
    layout = IndexLayout(index_dir)
    with layout.writer_lock(wait, "index_records"):
        live = layout.current()
        name = chosen_engine(layout, live, engine, live is None)
        generation = live or layout.new_generation()
        store = open_store(generation, name, create=live is None)
        documents = [doc for article in articles for doc in thread_documents(article, source)]
        store.replace_sources({source: documents})
        refresh_copy_groups(store)
        if live is None:
            layout.write_manifest(generation, Manifest(name))
            layout.publish(generation)
