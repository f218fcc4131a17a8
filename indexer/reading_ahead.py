"""Reading a file read in pieces in a process of its own, ahead of the one writer.

A dump read a piece at a time (JSON lines, a Reddit or Hacker News dump, a web
archive, a large CSV) is one file, so the pool that reads many files at once does not
help it; yet reading it and building its documents, with their signatures, quotes and
privacy scrubbing, take about as long as the tantivy engine takes to index them. A
reader process beside the writer overlaps the two on a machine of two cores or more.

`read_threads` turns the file into pieces of threads with their documents, in the
file's order. `ReadAhead` gives the writer those pieces from a reader process, or from
the writer's own (for a small file, on one core, or when the reader process cannot
start or breaks): the writer sees the same threads in the same order either way, so
the index is the same whichever process read the file.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import BinaryIO

from indexer.documents import Document, thread_documents
from indexer.processes import leave_with_parent, stop
from indexer.readers import ReaderError, read_contents
from indexer.readers.comment_mining import RECORD_MINING
from indexer.records import Article, FileContents

NOT_SPLIT = "comments not split"
MINED = "comments found by record mining (no known comment markup)"
# A reader process sends pieces of this many documents or more, and holds at most this
# many pieces (pickled) that the writer has not taken: a batch of the writer's
# (`indexing.BATCH_DOCUMENTS`), so that it reads on through a whole commit, while the
# documents in flight stay some 20 MB.
PIECE_DOCUMENTS = 1_000
# Of a file read in two passes, the part of the bar its reading fills: reading and
# checking a JSON-lines dump took a fifth to a quarter of indexing it.
READ_SHARE = 0.25
AHEAD = 20


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


def unreadable(error: Exception) -> str:
    return f"could not be read ({type(error).__name__}: {error})"


@dataclass(frozen=True)
class ThreadDocuments:
    """One thread of the file: its place among the file's threads (from 1), its note
    (`thread_note`) and its documents."""

    number: int
    note: str
    documents: list[Document]


@dataclass(frozen=True)
class Piece:
    """Threads read one after another, and how many bytes of the file had been read as
    the reader got to them (every `every_bytes`, for the progress bar)."""

    threads: list[ThreadDocuments]
    read: list[int]


@dataclass(frozen=True)
class End:
    """The file read to its end: how many threads it held, and what it held besides
    them (`FileContents.passed_over`)."""

    threads: int
    passed_over: str


class ReadFailed(Exception):
    """The reader failed on the file after `threads` threads; `reason` is a
    `ReaderError`'s message as it is, any other error's named as `unreadable`."""

    def __init__(self, reason: str, threads: int) -> None:
        super().__init__(reason, threads)
        self.reason = reason
        self.threads = threads


class CountedFile:
    """An open file that tells how far through it reading has got, every `every_bytes`,
    so that the progress bar moves through a large file (compressed bytes, for a dump).

    A reader that reads every record before it gives the first thread back asks for
    `two_passes`: the bytes read then fill the first `READ_SHARE` of the file's part of
    the bar, and the records given back the rest."""

    def __init__(
        self, handle: BinaryIO, read_so_far: Callable[[int], None], every_bytes: int
    ) -> None:
        self._handle = handle
        self._read_so_far = read_so_far
        self._every = every_bytes
        self._read = self._reported = 0
        self._share = 1.0  # of the file's part of the bar that its bytes fill

    def read(self, size: int = -1) -> bytes:
        return self._counted(self._handle.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._counted(self._handle.readline(size))

    def two_passes(self) -> Callable[[int, int], None]:
        """What the reader calls with the records it has given back, and their number."""
        self._share = READ_SHARE
        return self._given_back

    def _counted(self, data: bytes) -> bytes:
        self._read += len(data)
        self._tell(self._read * self._share)
        return data

    def _given_back(self, given: int, records: int) -> None:
        self._tell(self._read * (self._share + (1 - self._share) * given / max(records, 1)))

    def _tell(self, position: float) -> None:
        if position - self._reported >= self._every:
            self._reported = int(position)
            self._read_so_far(self._reported)

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> CountedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class Reading:
    """What to read, as the writer and the reader process both need it: the file, its
    name in the index, its CSV column map, how often to tell the bytes read, the size
    up to which an export is read whole, and how its articles are read
    (`read_contents`)."""

    file: Path
    source: str
    column_map: Mapping[str, str] | None
    every_bytes: int
    max_bytes: int | None = None
    contents: Callable[..., FileContents] = read_contents


def read_threads(reading: Reading, skip: int, piece_documents: int = 0) -> Iterator[Piece | End]:
    """The file's threads after the first `skip`, with their documents, in pieces of
    `piece_documents` documents or more (one thread a piece at 0), then its `End`. A
    piece also goes as soon as bytes read are to be told, so that the progress bar
    moves, even while the first `skip` threads are passed over.

    :raise ReadFailed: when the reader fails, once the threads read before are given.
    """
    threads: list[ThreadDocuments] = []
    read: list[int] = []
    documents = number = 0
    opened: list[FileContents] = []

    def opener(path: Path) -> CountedFile:
        return CountedFile(path.open("rb"), lambda count: read.append(count), reading.every_bytes)

    def articles() -> Iterator[Article]:
        found = reading.contents(
            reading.file, reading.column_map, max_bytes=reading.max_bytes, opener=opener
        )
        opened.append(found)
        yield from opened[0].articles

    def piece() -> Piece:
        nonlocal threads, read, documents
        made = Piece(threads, read)
        threads, read, documents = [], [], 0
        return made

    given = articles()
    while True:
        try:
            article = next(given)
        except StopIteration:
            break
        except Exception as error:  # a reader failing on one odd file must not stop the run
            yield piece()
            reason = str(error) if isinstance(error, ReaderError) else unreadable(error)
            raise ReadFailed(reason, number) from error
        number += 1
        if number > skip:
            made = thread_documents(article, reading.source)
            threads.append(ThreadDocuments(number, thread_note([article]), made))
            documents += len(made)
        if read or (threads and documents >= piece_documents):
            yield piece()
    if threads or read:
        yield piece()
    yield End(number, opened[0].passed_over())


class ReadAhead:
    """A file's pieces (`read_threads`), read in a reader process when `apart`, else in
    this one.

    The reader process runs at most `AHEAD` pieces ahead of the writer, so memory stays
    bounded whatever the file's size. It is started fresh ("spawn"), holding none of the
    writer's open files or locks, and ends with the writer, even on kill -9
    (`leave_with_parent`); on Ctrl-C it leaves the writer to stop it. A reader's failure
    comes back as `ReadFailed`, as it would in this process. If the process cannot
    start, or breaks (killed, out of memory, an error that is not the reader's), the
    file is read on in this process from the first thread the process did not give:
    nothing is lost or given twice, and an error in building documents is raised here
    as it would have been.
    """

    def __init__(self, reading: Reading, skip: int, apart: bool) -> None:
        self.reading = reading
        self.given = skip  # the threads the writer has, or passes over
        self.process: BaseProcess | None = None
        self.connection: Connection | None = None
        if apart:
            self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe(duplex=False)
        process = context.Process(
            target=_read_apart,
            args=(theirs, self.reading, self.given, PIECE_DOCUMENTS, AHEAD, os.getpid()),
            name="hubbub-reader",
            daemon=True,
        )
        try:
            process.start()
        except Exception:  # none to be had (too many, or this is a daemonic process): read here
            ours.close()
            return
        finally:
            theirs.close()  # the process holds its end alone, so its end is seen here
        self.process, self.connection = process, ours

    def __iter__(self) -> Iterator[Piece | End]:
        if self.connection is not None:
            for item in self._from_process():
                if isinstance(item, Piece) and item.threads:
                    self.given = item.threads[-1].number
                yield item
                if isinstance(item, End):
                    return
        yield from read_threads(self.reading, self.given)

    def _from_process(self) -> Iterator[Piece | End]:
        """The process's pieces as it sends them, short of the file's end if it breaks.

        :raise ReadFailed: as sent by the process.
        """
        assert self.connection is not None
        while True:
            try:
                item = self.connection.recv()
            except (EOFError, OSError):  # the process is gone
                item = None
            if isinstance(item, ReadFailed):
                raise item
            if not isinstance(item, Piece | End):  # it broke: its error is ours to meet
                self.close()
                return
            yield item

    def close(self) -> None:
        """Stop the reader process, if it still runs, and let it go."""
        stop(self.process, self.connection)
        self.process, self.connection = None, None

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_apart(
    connection: Connection,
    reading: Reading,
    skip: int,
    piece_documents: int,
    ahead: int,
    parent: int,
) -> None:
    """The reader process: `read_threads`' pieces, pickled, sent to the writer by a
    thread of their own, so that reading goes on while the writer is busy and a piece
    waits for it to be taken; reading waits once `ahead` pieces are waiting. A
    reader's failure is sent as it is; any other error only as the word that the
    process broke (None): the writer meets it again."""
    leave_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    waiting: queue.Queue[memoryview | None] = queue.Queue(ahead)
    sender = threading.Thread(target=_send, args=(connection, waiting), daemon=True)
    sender.start()
    try:
        for item in read_threads(reading, skip, piece_documents):
            waiting.put(ForkingPickler.dumps(item))
    except ReadFailed as failed:
        waiting.put(ForkingPickler.dumps(failed))
    except Exception:
        waiting.put(ForkingPickler.dumps(None))
    finally:
        waiting.put(None)
        sender.join()
        connection.close()


def _send(connection: Connection, waiting: queue.Queue[memoryview | None]) -> None:
    """Send the pieces as they come, until the end (None); a writer gone ends all."""
    while (piece := waiting.get()) is not None:
        try:
            connection.send_bytes(piece)
        except OSError:
            os._exit(1)
