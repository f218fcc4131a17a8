"""Copies found while a run writes into an empty index, beside the writer.

Copy groups span the whole archive, so they are found once every comment is in
(`indexing.refresh_copy_groups`) by reading every comment's body back from the index:
at a million documents, 16 s of finding and 8 s of reading after the last commit, with
the other core idle. When a run writes into an empty index, the comments it writes
are the whole archive, each written once. Their ids and bodies then go, as they are
written, to a process of its own, which finds the groups while the writer goes on, and
nothing is read back. The groups are those the pass over the index finds, but for the
order the comments come in: here the order they were written, there the index's.

A run that writes fewer than `APART_MIN_COMMENTS` comments finds their groups in its
own process at its end, still without reading them back. If the process cannot start
or breaks, or the run writes anything but new documents, the finder gives up and the
pass over the index runs as before. It also gives up past `MAX_COMMENTS`: the
process's memory grows with the comments it holds, beside the writer's (115 MiB at its
peak for 181,813 comments), and the pass after the writer is done keeps a very large
run within the memory it was measured in.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from indexer.copies import copy_groups
from indexer.documents import COMMENT, Document
from indexer.processes import leave_with_parent, stop

# Below this many comments, starting a process (about half a second) costs more than
# finding their groups after the last commit.
APART_MIN_COMMENTS = 20_000
SENT_COMMENTS = 1_000  # comments sent to the process at a time
MAX_COMMENTS = 1_000_000

Groups = list[list[str]]


class CopyFinder:
    """The copy groups of the comments written, or None once it has given up."""

    def __init__(self) -> None:
        self._held: list[tuple[str, str]] = []
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._taken = 0
        self.given_up = False

    def note(self, documents: Iterable[Document]) -> None:
        """Take the comments among documents written to the index."""
        for doc in documents:
            self._take(doc)

    def passing(self, documents: Iterable[Document]) -> Iterator[Document]:
        """The documents, each taken as it goes by on its way to the index."""
        for doc in documents:
            self._take(doc)
            yield doc

    def give_up(self) -> None:
        """Leave the groups to the pass over the index: the run changed what was written."""
        self.given_up = True
        self._held = []
        self.close()

    def groups(self) -> Groups | None:
        """The groups of every comment taken, each a list of ids; None if given up."""
        if self.given_up:
            return None
        if self._connection is None:
            found = copy_groups(self._held)
            self._held = []
            return found
        self._send_held()
        if self._connection is None:  # the process went while the last were sent
            return None
        try:
            self._connection.send(None)
            found = self._connection.recv()
        except (OSError, EOFError):  # the process is gone
            found = None
        self.close()
        if found is None:
            self.given_up = True
        return found

    def close(self) -> None:
        """Stop the process, if it still runs, and let it go."""
        stop(self._process, self._connection)
        self._process, self._connection = None, None

    def _take(self, doc: Document) -> None:
        if self.given_up or doc.kind != COMMENT:
            return
        self._taken += 1
        if self._taken > MAX_COMMENTS:
            self.give_up()
            return
        self._held.append((doc.id, doc.body))
        if self._connection is None and len(self._held) >= APART_MIN_COMMENTS:
            self._start()
        if self._connection is not None and len(self._held) >= SENT_COMMENTS:
            self._send_held()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_find, args=(theirs, os.getpid()), name="hubbub-copies", daemon=True
        )
        try:
            process.start()
        except Exception:  # none to be had (too many, or this is a daemonic process)
            ours.close()
            self.give_up()
            return
        finally:
            theirs.close()  # the process holds its end alone, so its end is seen here
        self._process, self._connection = process, ours

    def _send_held(self) -> None:
        assert self._connection is not None
        try:
            for start in range(0, len(self._held), SENT_COMMENTS):
                self._connection.send(self._held[start : start + SENT_COMMENTS])
        except OSError:  # the process is gone
            self.give_up()
        self._held = []


def _find(connection: Connection, parent: int) -> None:
    """The finder's process: the groups of the comments as they come, until None,
    sent back at the end; None if finding them failed."""
    leave_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def comments() -> Iterator[tuple[str, str]]:
        while (batch := connection.recv()) is not None:
            yield from batch

    try:
        found: Groups | None = copy_groups(comments())
    except Exception:
        found = None
    connection.send(found)
    connection.close()
