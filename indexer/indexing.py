"""Building and updating the index from archive files on disk.

A run is incremental: a file whose content hash is the one recorded is skipped, a
changed file's documents replace its old ones, and the documents of files gone
from the folders being indexed are removed. Work is committed in batches, each
atomic, with the record of hashes written after each commit, so a killed run
leaves the index whole and the next run picks up where it stopped. `rebuild`
fills a new generation and swaps it in when complete; the live one serves until
then.

An article belongs to the first file that holds it, in file order or already in the
index: the same article saved twice is indexed once, and the other copy is left
out, with a note, until the first file lets it go.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

from indexer import engines as archive
from indexer.copies import copy_groups
from indexer.copy_finder import CopyFinder, Groups
from indexer.documents import ARTICLE, Document, thread_documents
from indexer.engines import SolrTarget, check_engine, discard, open_store
from indexer.engines.base import IndexMissing, Store
from indexer.errors import HubbubError
from indexer.layout import PARTIAL, FileRecord, IndexLayout, Manifest
from indexer.processes import leave_with_parent
from indexer.readers import SUPPORTED_SUFFIXES, ReaderError, in_pieces, read_contents
from indexer.reading_ahead import (
    MINED,
    NOT_SPLIT,
    End,
    ReadAhead,
    ReadFailed,
    Reading,
    thread_note,
    unreadable,
)
from indexer.records import Article
from indexer.split_threads import join_split_threads

MAX_FILES = 1_000_000
BATCH_FILES = 500
# Reading goes to worker processes from this many files in a run, and this many
# files a worker ahead of the writer.
POOL_MIN_FILES = 64
READ_AHEAD = 8
# A file read in pieces gets a reader process of its own by default from this size,
# on this many cores: below the size, starting the process (0.6 s) costs more than
# it saves; on two cores, the tantivy engine's own threads keep the second one busy
# already, and the 100,000-document benchmark dump went in no faster, with some
# 150 MiB more memory (docs/performance.md).
APART_MIN_BYTES = 8 * 2**20
APART_MIN_CORES = 3
BATCH_DOCUMENTS = 20_000
LOCK_WAIT_SECONDS = 10.0
NOT_UTF8 = "its path is not valid UTF-8: rename the file (or its folder) to index it"

HASH_PIECE_BYTES = 2**20
PROGRESS_EVERY_BYTES = 4 * 2**20

Progress = Callable[[int, int, int, int, int], None]
"""Called after each file, and as a large file is read: files done, files in all,
documents written so far, bytes of the files read so far, bytes of all the files."""


class EngineMismatch(HubbubError, ValueError):
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
    left_out: list[tuple[str, str, str]] = field(default_factory=list)  # file, article, owner
    passed_over: list[tuple[str, str]] = field(default_factory=list)  # file, what it held
    carried_on: list[tuple[str, int]] = field(default_factory=list)  # file, threads already in
    mined: int = 0
    generation: int = 0
    rebuilt: bool = False
    resumed: bool = False  # a first run carried on in the generation a killed one left
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
            "articles_left_out": [
                {"path": path, "article": article, "indexed_from": owner}
                for path, article, owner in self.left_out
            ],
            "passed_over": [{"path": path, "held": held} for path, held in self.passed_over],
            "carried_on": [
                {"path": path, "threads_already_indexed": threads}
                for path, threads in self.carried_on
            ],
            "threads_found_by_record_mining": self.mined,
            "generation": self.generation,
            "rebuilt": self.rebuilt,
            "resumed": self.resumed,
            "seconds": round(self.seconds, 3),
        }


def source_key(path: Path) -> str:
    """How the index names a file: its absolute path, whatever folder it was given from."""
    return str(path.resolve())


def shown(path: Path | str) -> str:
    """A path as text any terminal or JSON takes: bytes that are not UTF-8 escaped (\\xe9)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def valid_name(source: str) -> bool:
    """Whether a path is text the index can hold: a name that is not UTF-8 comes back
    from the system with stand-ins that no engine stores."""
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def archive_files(paths: Iterable[Path], summary: IndexSummary) -> list[Path]:
    """The files to read: named files as they are (even through a link: the user chose
    them), folders walked by `folder_files`. A missing path is reported as skipped,
    and a file reached twice is read once.
    """
    files: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            found = folder_files(path, summary)
        elif path.exists():
            found = [path]
        else:
            found = []
            summary.skipped.append((shown(path), "no such file or folder"))
        for file in found:
            files.setdefault(source_key(file), file)
        if len(files) > MAX_FILES:
            summary.skipped.append((shown(path), f"more than {MAX_FILES:,} files in one run"))
            return list(files.values())[:MAX_FILES]
    return list(files.values())


def folder_files(folder: Path, summary: IndexSummary) -> list[Path]:
    """The files under `folder` with a known suffix, in order; hidden files and folders
    are passed over.

    A symbolic link is followed only to a file or folder inside `folder`: one to
    elsewhere would bring in files the folder does not hold, and keep them in the
    index once the link is gone. Those are reported as skipped.
    """
    root = folder.resolve()
    walked = {root}
    pending = [(folder, root)]
    files = []
    while pending:
        directory, real_directory = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as error:
            summary.skipped.append((shown(directory), f"cannot be read: {error.strerror}"))
            continue
        for entry in entries:
            path = Path(entry.path)
            is_dir = entry.is_dir()
            if entry.name.startswith(".") or not (
                is_dir or (path.suffix.lower() in SUPPORTED_SUFFIXES and entry.is_file())
            ):
                continue
            real = path.resolve() if entry.is_symlink() else real_directory / entry.name
            if not real.is_relative_to(root):
                kind = "folder" if is_dir else "file"
                reason = f"symbolic link to a {kind} outside {shown(folder)}: not followed"
                summary.skipped.append((shown(path), reason))
            elif not is_dir:
                files.append(path)
            elif real not in walked:
                walked.add(real)
                pending.append((path, real))
    return sorted(files)


def under(source: str, folders: list[str]) -> bool:
    return any(source.startswith(folder + os.sep) for folder in folders)


def fingerprint(path: Path, reading: str = "", max_bytes: int | None = None) -> tuple[str, bool]:
    """The file's content hash, taken only once the readers have found a regular file
    they would take, and whether it is read a piece at a time: a FIFO or a device would
    block the run or never end, and a file too large to read whole would take minutes
    to hash before being refused. `reading` names how the file is read (a column
    map), so that reading it another way reads it again.

    :raise ReaderError: as the readers do, in their words.
    """
    pieces = in_pieces(path, max_bytes)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while piece := handle.read(HASH_PIECE_BYTES):
                digest.update(piece)
    except OSError as exc:
        raise ReaderError(f"cannot be read: {exc.strerror or exc}") from exc
    if reading:
        digest.update(b"\0" + reading.encode("utf-8"))
    return digest.hexdigest(), pieces


def map_text(column_map: Mapping[str, str] | None) -> str:
    return ",".join(f"{field}={column}" for field, column in sorted((column_map or {}).items()))


@dataclass(frozen=True)
class FileDocuments:
    """A read file's documents, a note on how its threads were read, and what it held
    that was passed over."""

    documents: list[Document]
    note: str
    passed_over: str


def read_documents(
    file: Path, column_map: Mapping[str, str] | None = None, max_bytes: int | None = None
) -> FileDocuments | str:
    """The file's documents, or the reason it could not be read."""
    try:
        read = read_contents(file, column_map, max_bytes)
        articles = list(read.articles)
    except ReaderError as error:
        return str(error)
    except Exception as error:  # a reader failing on one odd file must not stop the run
        return unreadable(error)
    source = source_key(file)
    documents = [doc for article in articles for doc in thread_documents(article, source)]
    return FileDocuments(documents, thread_note(articles), read.passed_over())


class IndexRun:
    """One run's batch of changes, committed to the store with the manifest after it."""

    def __init__(
        self,
        layout: IndexLayout,
        generation: Path,
        engine: str,
        create: bool,
        target: SolrTarget | None = None,
    ) -> None:
        self.layout = layout
        self.generation = generation
        self.created = create
        self.store = open_store(generation, engine, create=create, target=target)
        self.manifest = Manifest(engine) if create else layout.read_manifest(generation)
        self.batch: dict[str, list[Document]] = {}
        self.removals: list[str] = []
        self.appending: set[str] = set()  # sources whose batch joins what the index holds
        self.pending_documents = 0
        self.manifest_changed = create  # a new generation names its engine from the start
        self.claimed: dict[str, str] = {}  # article id to the file this run gave it to
        self.rewritten: set[str] = set()  # files whose documents this run replaced or removed
        # Which file the index had articles from, as asked: the answers hold all run, as
        # only the files this run rewrites change there.
        self.indexed: dict[str, str] = {}
        self.asked: set[str] = set()
        # The files holding stand-ins of split threads' articles, in the index and in
        # this run; and the split threads whose parts this run put in several files.
        self.indexed_stand_ins: dict[str, set[str]] = {}
        self.written_stand_ins: dict[str, set[str]] = {}
        self.copies = CopyFinder()
        if not create:
            self.copies.give_up()  # the index holds comments this run does not write
        self.committed: set[str] = set()  # the files this run has committed documents of

    def add(self, source: str, documents: list[Document], record: FileRecord) -> None:
        self.batch[source] = documents
        self.manifest.files[source] = record
        self.rewritten.add(source)
        for doc in documents:
            if doc.kind == ARTICLE and doc.stand_in:
                self.written_stand_ins.setdefault(doc.article_id, set()).add(source)
            elif doc.kind == ARTICLE:
                self.claimed[doc.article_id] = source
        self.pending_documents += len(documents)
        if len(self.batch) >= BATCH_FILES or self.pending_documents >= BATCH_DOCUMENTS:
            self.commit()

    def add_part(
        self, source: str, documents: list[Document], record: FileRecord, appended: bool
    ) -> None:
        """Commit one part of a file read a piece at a time, with its record saying how
        far the file got; the first part of a file read anew replaces its old documents."""
        if appended:
            self.appending.add(source)
        self.add(source, documents, record)
        self.commit()

    def remove(self, source: str) -> None:
        self.removals.append(source)
        self.rewritten.add(source)
        self.manifest.files.pop(source, None)

    def record_skipped(self, source: str, record: FileRecord) -> None:
        """Remember a file that could not be read, so `stats` can say why."""
        if self.manifest.files.get(source) != record:
            self.manifest.files[source] = record
            self.manifest_changed = True

    def rereads(self, file: Path) -> bool:
        """Whether the file had articles left out, so it is read again, last in the run,
        to take those that files read before it have let go."""
        record = self.manifest.files.get(source_key(file))
        return bool(record and record.left_out)

    def placed(
        self, source: str, documents: list[Document], ahead: Iterable[Document] = ()
    ) -> tuple[list[Document], dict[str, str]]:
        """The documents of `documents` to write, and the articles among them another
        file holds, each with that file: those are left out, comments and all.

        A stand-in is written only while no other file holds its article; its comments
        are written whatever holds it, and their split thread is joined after the run.

        :param ahead: documents of files still to come, asked of the index in the same
            query when it has to be asked: one query for many files, not one each.
        """
        articles = [doc for doc in documents if doc.kind == ARTICLE]
        ids = [doc.article_id for doc in articles]
        if not self.created and any(a not in self.asked and a not in self.claimed for a in ids):
            wanted = {*ids, *(doc.article_id for doc in ahead if doc.kind == ARTICLE)}
            wanted -= self.asked
            for doc in self.store.article_documents(wanted, ARTICLE):
                if doc.stand_in:
                    self.indexed_stand_ins.setdefault(doc.article_id, set()).add(doc.source)
                else:
                    self.indexed[doc.article_id] = doc.source
            self.asked |= wanted
        left_out: dict[str, str] = {}
        held: set[str] = set()  # stand-ins whose article another file holds
        for doc in articles:
            owner = self.owner(doc.article_id)
            elsewhere = owner not in (None, source) or self.stand_ins_elsewhere(doc, source)
            if doc.stand_in and elsewhere:
                held.add(doc.article_id)
            elif owner not in (None, source):
                left_out[doc.article_id] = owner
                continue
            if elsewhere:
                self.manifest.joins_owed.add(doc.article_id)
        kept = [
            doc
            for doc in documents
            if doc.article_id not in left_out
            and not (doc.kind == ARTICLE and doc.article_id in held)
        ]
        return kept, left_out

    def stand_ins_elsewhere(self, doc: Document, source: str) -> bool:
        """Whether a file other than `source` holds a stand-in of the document's article."""
        indexed = self.indexed_stand_ins.get(doc.article_id, set()) - self.rewritten
        written = self.written_stand_ins.get(doc.article_id, set())
        return bool((indexed | written) - {source})

    def owner(self, article: str) -> str | None:
        """The file an article belongs to: the one this run gave it to, else the one the
        index has it from, unless this run replaced or removed that file's documents."""
        if article in self.claimed:
            return self.claimed[article]
        indexed = self.indexed.get(article)
        return None if indexed in self.rewritten else indexed

    def commit(self) -> None:
        if self.removals or (self.committed & self.batch.keys()) - self.appending:
            self.copies.give_up()  # documents written before are replaced
        if self.batch or self.removals:
            self.store.replace_sources(self.batch, remove=self.removals, appended=self.appending)
            for documents in self.batch.values():
                self.copies.note(documents)
            self.committed.update(self.batch)
            self.manifest.copies_owed = True
            self.manifest_changed = True
        if self.manifest_changed:
            self.layout.write_manifest(self.generation, self.manifest)
        self.batch, self.removals, self.pending_documents = {}, [], 0
        self.appending = set()
        self.manifest_changed = False

    def close(self) -> None:
        """Let the store and the copy finder go, whether the run finished or failed."""
        self.copies.close()
        self.store.close()

    def finish(self) -> None:
        """Commit what is left, then refresh copy groups if any commit, of this run or of
        one that died before refreshing, has not had them refreshed. The engine's work
        after the commits ends first: the passes over the whole index would otherwise
        hold their memory beside it."""
        self.commit()
        self.store.close()
        if self.manifest.joins_owed:
            self.copies.give_up()  # joining split threads rewrites their comments
            join_split_threads(self.store, self.manifest.joins_owed)
            self.manifest.joins_owed = set()
            self.layout.write_manifest(self.generation, self.manifest)
        if self.manifest.copies_owed:
            refresh_copy_groups(self.store, self.copies.groups())
            self.manifest.copies_owed = False
            self.layout.write_manifest(self.generation, self.manifest)


def refresh_copy_groups(store: Store, found: Groups | None = None) -> int:
    """Group the comments posted more than once, across the whole archive.

    Runs after the documents are in: a new comment may copy one indexed long ago.
    Bodies are read as the store gives them, not held; only comments whose group
    changed are rewritten. `found` are the groups of an index whose every comment was
    written in no group by this run (`CopyFinder`): then no body is read back.

    :return: how many comments changed group.
    """
    if found is not None:
        changes = {doc_id: group[0] for group in found for doc_id in group}
        if changes:
            store.set_copy_groups(changes)
        return len(changes)
    grouped: dict[str, str] = {}  # the comments in a group now, and their group

    def bodies() -> Iterator[tuple[str, str]]:
        for doc_id, body, group in store.comment_bodies():
            if group:
                grouped[doc_id] = group
            yield doc_id, body

    wanted = {doc_id: group[0] for group in copy_groups(bodies()) for doc_id in group}
    changes = {
        doc_id: wanted.get(doc_id, "")
        for doc_id in sorted(grouped.keys() | wanted.keys())
        if wanted.get(doc_id, "") != grouped.get(doc_id, "")
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
    solr: SolrTarget | None = None,
    column_map: Mapping[str, str] | None = None,
    max_file_bytes: int | None = None,
) -> IndexSummary:
    """Bring the index up to date with the archive files under `paths`.

    :param rebuild: build a fresh generation beside the live one and swap it in.
    :param progress: called after every file.
    :param wait: how long to wait for another writer to finish.
    :param engine: "whoosh", "tantivy" or "solr"; by default the live index's engine,
        or Whoosh for a new index. Changing it needs `rebuild`.
    :param workers: processes that read files; by default one a core for big runs.
        One reads all in this process; more read a file read in pieces in a process
        of its own beside the writer, as the default does for a large one on three
        cores or more (`reads_apart`).
    :param solr: the SolrCloud a new Solr collection goes to; on later runs, new
        addresses for its nodes.
    :param column_map: CSV columns to Hubbub's fields (`body=commentBody,...` parsed),
        over the map files beside the CSVs. A file read with a map is known by its
        content and the map: another map reads it again.
    :param max_file_bytes: the largest file read whole (`MAX_FILE_BYTES` by default);
        dumps of one record a line are read a piece at a time at any size.
    :raise IndexLocked: when another process still holds the index after `wait`.
    :raise EngineMismatch: when `engine` differs from the live index's without `rebuild`.
    :raise OSError: when the index cannot be written (a full disk, read-only storage);
        the live generation is left as it was.
    """
    started = time.monotonic()
    paths = list(paths)
    layout = IndexLayout(index_dir)
    summary = IndexSummary()
    with layout.writer_lock(wait, command):
        live = layout.current()
        resumed = None if live or rebuild else layout.resumable(engine)
        layout.tidy(keep=resumed, discard=discard)
        fresh = rebuild or live is None
        name = chosen_engine(layout, live or resumed, engine, fresh)
        generation = (resumed or layout.new_generation()) if fresh else live
        summary.rebuilt, summary.resumed = fresh, resumed is not None
        try:
            run = IndexRun(layout, generation, name, create=fresh and not resumed, target=solr)
            with closing(run):
                files = archive_files(paths, summary)
                summary.files_seen = len(files)
                seen = {source_key(file) for file in files}
                folders = [source_key(path) for path in paths if path.is_dir()]
                for source in [
                    s for s in run.manifest.files if under(s, folders) and s not in seen
                ]:
                    run.remove(source)
                    summary.files_removed += 1
                index_files(files, run, summary, progress, workers, column_map, max_file_bytes)
                run.finish()
        except BaseException:
            if fresh and live is not None:  # a failed rebuild: give its space back now
                discard(generation)
            raise
        if fresh:
            run.store.publish()
            layout.publish(run.generation, discard=discard)
        summary.generation = run.store.generation()
    summary.seconds = time.monotonic() - started
    return summary


@dataclass(frozen=True)
class _Changed:
    """A file to read: its name in the index, its hash, what the index knew of it, and
    whether it is read a piece at a time."""

    source: str
    digest: str
    known: FileRecord | None
    in_pieces: bool = False


@dataclass
class _Tally:
    """How far a run has got through its files and their bytes, for progress reports."""

    progress: Progress | None
    files: int
    total_bytes: int
    done: int = 0
    bytes_done: int = 0  # of the files done
    reading: int = 0  # bytes read of the file being read

    def report(self, documents: int) -> None:
        if self.progress:
            bytes_done = min(self.bytes_done + self.reading, self.total_bytes)
            self.progress(self.done, self.files, documents, bytes_done, self.total_bytes)

    def file_done(self, size: int, documents: int) -> None:
        self.done += 1
        self.bytes_done += size
        self.reading = 0
        self.report(documents)

    def read_so_far(self, read: int, documents: int) -> None:
        self.reading = read
        self.report(documents)


def index_files(
    files: list[Path],
    run: IndexRun,
    summary: IndexSummary,
    progress: Progress | None = None,
    workers: int | None = None,
    column_map: Mapping[str, str] | None = None,
    max_bytes: int | None = None,
) -> None:
    """Index the files into the run, in their order, skipping those unchanged; files
    with articles left out go last (`IndexRun.rereads`).

    Files are read by `workers` processes (by default one a core once there are
    `POOL_MIN_FILES` or more) a few files ahead of the one writer, which takes
    their documents in file order, so the index is the same whichever reads them.
    A dump read a piece at a time is taken in its turn and committed in parts, read
    by a process of its own beside the writer (`reads_apart`).
    """
    files = sorted(files, key=run.rereads)
    count = workers or (os.cpu_count() or 1 if len(files) >= POOL_MIN_FILES else 1)
    sizes = {file: _size(file) for file in files}
    tally = _Tally(progress, len(files), sum(sizes.values()))
    window: deque[tuple[Path, _Changed | None, Future | None]] = deque()

    def finish_one() -> None:
        file, changed, future = window.popleft()
        _finish(file, changed, future, reader, run, summary, _read_ahead(window))
        tally.file_done(sizes[file], summary.documents)

    with _FileReader(count, column_map, max_bytes) as reader:
        for file in files:
            changed = _changed(file, run, summary, map_text(column_map), max_bytes)
            if changed is not None and changed.in_pieces:
                while window:
                    finish_one()
                apart = reads_apart(workers, sizes[file])
                _index_in_pieces(file, changed, run, summary, column_map, max_bytes, tally, apart)
                tally.file_done(sizes[file], summary.documents)
                continue
            window.append((file, changed, reader.submit(file) if changed else None))
            if len(window) > READ_AHEAD * count:
                finish_one()
        while window:
            finish_one()


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0


def reads_apart(workers: int | None, size: int) -> bool:
    """Whether a file read in pieces is read in a process of its own beside the writer:
    as `workers` asks (one: all in the writer's process), or by default for a file of
    `APART_MIN_BYTES` or more on `APART_MIN_CORES` cores or more."""
    if workers is not None:
        return workers > 1
    return (os.cpu_count() or 1) >= APART_MIN_CORES and size >= APART_MIN_BYTES


def _index_in_pieces(
    file: Path,
    changed: _Changed,
    run: IndexRun,
    summary: IndexSummary,
    column_map: Mapping[str, str] | None,
    max_bytes: int | None,
    tally: _Tally,
    apart: bool,
) -> None:
    """Index a dump read a piece at a time, committing every `BATCH_DOCUMENTS` documents
    with a record of how many threads are in, so that a run that stops resumes after
    them. The readers check every line before giving the first thread, so a damaged
    file gives none; a file that fails later keeps what was committed, and the next
    run carries on from there.

    The file is read and its documents built by a process of its own when `apart`
    (`ReadAhead`), while this one writes; the threads come in the same order either
    way, so the commits, the records and the index are the same."""
    source = changed.source
    known = changed.known
    resuming = known is not None and known.status == PARTIAL and known.sha256 == changed.digest
    record = known if resuming and known else FileRecord(changed.digest, PARTIAL)
    skip = record.threads_done
    appended = resuming
    if resuming:
        summary.carried_on.append((shown(file), skip))
    notes: dict[str, None] = {}
    pending: list[Document] = []
    threads, passed_over = 0, ""

    def commit_part(status: str) -> None:
        nonlocal record, pending, appended
        documents, left_out = run.placed(source, pending)
        summary.left_out += [(shown(file), article, owner) for article, owner in left_out.items()]
        articles = sum(1 for doc in documents if doc.kind == ARTICLE)
        record = replace(
            record,
            status=status,
            articles=record.articles + articles,
            comments=record.comments + len(documents) - articles,
            note="; ".join(notes),
            left_out={**record.left_out, **left_out},
            threads_done=threads,
        )
        run.add_part(source, documents, record, appended)
        summary.articles += articles
        summary.comments += len(documents) - articles
        appended, pending = True, []
        tally.report(summary.documents)

    reading = Reading(file, source, column_map, PROGRESS_EVERY_BYTES, max_bytes)
    with ReadAhead(reading, skip, apart) as pieces:
        try:
            for piece in pieces:
                if isinstance(piece, End):
                    threads, passed_over = piece.threads, piece.passed_over
                    break
                for read in piece.read:
                    tally.read_so_far(read, summary.documents)
                for thread in piece.threads:
                    threads = thread.number
                    if thread.note:
                        notes[thread.note] = None
                    pending += thread.documents
                    if len(pending) >= BATCH_DOCUMENTS:
                        commit_part(PARTIAL)
        except ReadFailed as failed:
            reason, threads = failed.reason, failed.threads
            if not appended:
                _refuse(file, source, changed.digest, reason, run, summary)
            else:
                kept = f"{reason}; the {threads:,} threads read before stay, and the next run"
                summary.skipped.append((shown(file), f"{kept} carries on after them"))
            return
    commit_part("indexed")
    summary.files_indexed += 1
    _tell(summary, file, record.note, passed_over)


class _FileReader:
    """Reads files into documents, in worker processes when there are several.

    Workers are started fresh ("spawn"), so they hold none of the writer's open
    files or locks, and leave when the writer dies, even by kill -9. If the pool
    breaks, the rest is read in this process.
    """

    def __init__(
        self, workers: int, column_map: Mapping[str, str] | None, max_bytes: int | None
    ) -> None:
        self.column_map = column_map
        self.max_bytes = max_bytes
        self.pool = None
        if workers > 1:
            self.pool = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=leave_with_parent,
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
                return self.pool.submit(read_documents, file, self.column_map, self.max_bytes)
            except BrokenProcessPool:
                self.pool = None
        future: Future = Future()
        future.set_result(read_documents(file, self.column_map, self.max_bytes))
        return future

    def result(self, file: Path, future: Future) -> FileDocuments | str:
        try:
            return future.result()
        except BrokenProcessPool:
            self.pool = None
            return read_documents(file, self.column_map, self.max_bytes)


def _read_ahead(
    window: Iterable[tuple[Path, _Changed | None, Future | None]],
) -> Iterator[Document]:
    """The documents of the files in the window already read, without waiting for any."""
    for _, _, future in window:
        if future is not None and future.done() and future.exception() is None:
            read = future.result()
            if not isinstance(read, str):
                yield from read.documents


def _changed(
    file: Path, run: IndexRun, summary: IndexSummary, reading: str, max_bytes: int | None
) -> _Changed | None:
    """The file's hash when it is to be read: its content is not the one indexed, or
    it had articles left out. Else None, the file counted as unchanged or skipped."""
    source = source_key(file)
    if not valid_name(source):
        summary.skipped.append((shown(file), NOT_UTF8))
        return None
    try:
        digest, in_pieces = fingerprint(file, reading, max_bytes)
    except ReaderError as error:
        _refuse(file, source, "", str(error), run, summary)
        return None
    known = run.manifest.files.get(source)
    if known and known.sha256 == digest and not known.left_out and known.status != PARTIAL:
        summary.files_unchanged += 1
        return None
    return _Changed(source, digest, known, in_pieces)


def _refuse(
    file: Path, source: str, digest: str, reason: str, run: IndexRun, summary: IndexSummary
) -> None:
    """Report a file that cannot be read; record it, unless an earlier version of it is
    in the index, which stays."""
    known = run.manifest.files.get(source)
    if known and known.status in ("indexed", PARTIAL):
        reason += "; its earlier version stays in the index"
    else:
        run.record_skipped(source, FileRecord(digest, "skipped", reason))
    summary.skipped.append((shown(file), reason))


def _finish(
    file: Path,
    changed: _Changed | None,
    future: Future | None,
    reader: _FileReader,
    run: IndexRun,
    summary: IndexSummary,
    ahead: Iterable[Document] = (),
) -> None:
    """Put one read file's documents into the run, but for the articles another file
    holds, or record why it was skipped. `ahead` is as for `IndexRun.placed`."""
    if changed is None or future is None:
        return
    read = reader.result(file, future)
    if isinstance(read, str):
        _refuse(file, changed.source, changed.digest, read, run, summary)
        return
    documents, note = read.documents, read.note
    documents, left_out = run.placed(changed.source, documents, ahead)
    summary.left_out += [(shown(file), article, owner) for article, owner in left_out.items()]
    articles = sum(1 for doc in documents if doc.kind == ARTICLE)
    record = FileRecord(
        changed.digest, "indexed", "", articles, len(documents) - articles, note, left_out
    )
    if record == changed.known:  # read again for its left-out articles, none of them free
        summary.files_unchanged += 1
        return
    _tell(summary, file, note, read.passed_over)
    run.add(changed.source, documents, record)
    summary.files_indexed += 1
    summary.articles += record.articles
    summary.comments += record.comments


def _tell(summary: IndexSummary, file: Path, note: str, passed_over: str) -> None:
    """What the run's summary says of a file read: how its threads were read, and what
    it held besides its articles."""
    if NOT_SPLIT in note:
        summary.not_split.append((shown(file), note))
    summary.mined += MINED in note
    if passed_over:
        summary.passed_over.append((shown(file), passed_over))


def remove_paths(
    paths: Iterable[Path], index_dir: Path, wait: float = LOCK_WAIT_SECONDS
) -> IndexSummary:
    """Drop the documents of the given files, or of every file under the given folders."""
    layout = IndexLayout(index_dir)
    summary = IndexSummary()
    with layout.writer_lock(wait, "hubbub remove"):
        live = layout.current()
        if live is None:
            raise IndexMissing(archive.no_index_message(index_dir))
        layout.tidy(discard=discard)
        run = IndexRun(layout, live, live_engine(layout, live), create=False)
        with closing(run):
            for path in paths:
                key = source_key(path)
                matched = [s for s in run.manifest.files if s == key or under(s, [key])]
                if not matched:
                    summary.skipped.append((shown(path), "not in the index"))
                for source in matched:
                    run.remove(source)
                    summary.files_removed += 1
            run.finish()
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
    `engine` is as for `index_paths`. The articles are read once, as their documents
    are written, so a generator of them need not fit in memory.
    """
    layout = IndexLayout(index_dir)
    with layout.writer_lock(wait, "index_records"):
        live = layout.current()
        name = chosen_engine(layout, live, engine, live is None)
        generation = live or layout.new_generation()
        documents = (doc for article in articles for doc in thread_documents(article, source))
        copies = CopyFinder()
        if live is not None:
            copies.give_up()  # the index holds comments this run does not write
        store = open_store(generation, name, create=live is None)
        with closing(store), closing(copies):
            store.replace_sources({source: copies.passing(documents)})
            refresh_copy_groups(store, copies.groups())
        if live is None:
            layout.write_manifest(generation, Manifest(name))
            store.publish()
            layout.publish(generation, discard=discard)
