"""The records of a dump grouped by thread, held in memory while few and on disk once
many, so that a dump whose threads are spread over the whole file is assembled in
flat memory, whatever its size.

A dump of one record a line (a month of Reddit, a JSON-lines export) gives a thread's
comments anywhere in the file, so no thread is whole until the last line is read.
`ThreadRecords` keeps each record under its thread and its key: the first record of a
key is kept (a record dumped twice is read once) unless it is added with
`replace=True`. Once it holds `SPILL_RECORDS` records it moves them to a SQLite file in
the temporary folder and carries on there; the file is deleted when it is closed.
`groups()` then gives the threads back one at a time, in the order each first
appeared, each with its records in the order they came; `pop(thread)` gives one
thread's, for a reader that orders threads itself (a Disqus export's posts come apart
from the threads that order them).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

SPILL_RECORDS = 50_000  # some 30 to 60 MB of records held before they go to disk
INSERT_BATCH = 10_000

Payload = list  # what a reader keeps of a record: JSON-able values only


Progress = Callable[[int, int], None]  # told the records given back, and their number


def progress_of(source: object) -> Progress | None:
    """What an open file that tells how far reading has got offers for telling the
    records given back too, once all are read (`CountedFile.two_passes`)."""
    two_passes = getattr(source, "two_passes", None)
    return two_passes() if callable(two_passes) else None


class ThreadRecords:
    """Records grouped by thread: in memory while few, in a temporary SQLite file once
    there are more than `spill_records`; `progress` is told the records given back."""

    def __init__(
        self, spill_records: int | None = None, progress: Progress | None = None
    ) -> None:
        self._spill_records = SPILL_RECORDS if spill_records is None else spill_records
        self._progress = progress
        self._added = self._given = 0  # records kept, and given back, for `progress`
        self._memory: dict[str, dict[str, Payload]] = {}
        self._count = 0
        self._folder: Path | None = None
        self._db: sqlite3.Connection | None = None
        self._rows: list[tuple[str, str, int, str, bool]] = []

    def __enter__(self) -> ThreadRecords:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, thread: str, key: str, payload: Payload, replace: bool = False) -> None:
        """Keep `payload` as the record `key` of `thread`, unless one is kept already."""
        if self._db is None:
            records = self._memory.setdefault(thread, {})
            if replace or key not in records:
                self._count += key not in records
                self._added += key not in records
                records.pop(key, None)
                records[key] = payload
            if self._count > self._spill_records:
                self._spill()
            return
        self._count += 1
        self._added += 1  # one too many for a record kept already, found out only on disk
        self._rows.append((thread, key, self._count, json.dumps(payload), replace))
        if len(self._rows) >= INSERT_BATCH:
            self._flush()

    def __bool__(self) -> bool:
        return self._count > 0

    def on_disk(self) -> bool:
        return self._db is not None

    def threads(self) -> set[str]:
        """The threads' keys."""
        if self._db is None:
            return set(self._memory)
        self._flush()
        return {key for (key,) in self._db.execute("SELECT key FROM threads")}

    def regroup(self, final: Callable[[str], str]) -> None:
        """Move each thread's records to the thread `final` names for it (itself, or one
        that `final` leaves as it is), placed where the first of them appeared: for a
        dump where a record may come before the one that tells its thread."""
        moves = {thread: final(thread) for thread in self.threads()}
        moves = {old: new for old, new in moves.items() if old != new}
        if not moves:
            return
        if self._db is None:
            merged: dict[str, dict[str, Payload]] = {}
            for thread, records in self._memory.items():
                target = merged.setdefault(moves.get(thread, thread), {})
                for key, payload in records.items():
                    target.setdefault(key, payload)
            self._memory = merged
            return
        with self._db:
            for old, new in moves.items():
                self._move(old, new)

    def _move(self, old: str, new: str) -> None:
        assert self._db is not None
        seqs = dict(
            self._db.execute("SELECT key, seq FROM threads WHERE key IN (?, ?)", (old, new))
        )
        self._db.execute("DELETE FROM threads WHERE key = ?", (old,))
        if new not in seqs:
            self._db.execute("INSERT INTO threads (seq, key) VALUES (?, ?)", (seqs[old], new))
        elif seqs[old] < seqs[new]:
            self._db.execute("UPDATE threads SET seq = ? WHERE key = ?", (seqs[old], new))
        self._db.execute("UPDATE OR IGNORE records SET thread = ? WHERE thread = ?", (new, old))
        self._db.execute("DELETE FROM records WHERE thread = ?", (old,))

    def groups(self) -> Iterator[tuple[str, list[Payload]]]:
        """Each thread with its records, threads in the order they first appeared; a
        thread is let go once given."""
        if self._db is None:
            for thread in list(self._memory):
                yield thread, self._given_back(list(self._memory.pop(thread).values()))
            return
        self._flush()
        rows = self._db.execute(
            "SELECT t.key, r.payload FROM threads t JOIN records r ON r.thread = t.key"
            " ORDER BY t.seq, r.seq"
        )
        thread, records = None, []
        for key, payload in rows:
            if key != thread and thread is not None:
                yield thread, self._given_back(records)
                records = []
            thread = key
            records.append(json.loads(payload))
        if thread is not None:
            yield thread, self._given_back(records)

    def pop(self, thread: str) -> list[Payload]:
        """One thread's records in the order they came, let go once given: for a reader
        that gives threads in an order of its own (none for a thread never added, or
        popped already)."""
        if self._db is None:
            records = self._memory.pop(thread, {})
            self._count -= len(records)
            return self._given_back(list(records.values()))
        self._flush()
        with self._db:
            rows = self._db.execute(
                "SELECT payload FROM records WHERE thread = ? ORDER BY seq", (thread,)
            ).fetchall()
            self._db.execute("DELETE FROM records WHERE thread = ?", (thread,))
        return self._given_back([json.loads(payload) for (payload,) in rows])

    def _given_back(self, records: list[Payload]) -> list[Payload]:
        self._given += len(records)
        if self._progress is not None:
            self._progress(self._given, self._added)
        return records

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
        self._memory = {}

    def _spill(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="hubbub-threads-"))
        self._db = sqlite3.connect(self._folder / "threads.sqlite")
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -65536;
            CREATE TABLE threads (seq INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL);
            CREATE TABLE records (
                thread TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL,
                payload TEXT NOT NULL, PRIMARY KEY (thread, key)
            ) WITHOUT ROWID;
            CREATE INDEX records_order ON records (thread, seq);
            """
        )
        memory, self._memory, seq = self._memory, {}, 0
        for thread, records in memory.items():
            for key, payload in records.items():
                seq += 1
                self._rows.append((thread, key, seq, json.dumps(payload), False))
            if len(self._rows) >= INSERT_BATCH:
                self._flush()
        self._count = seq
        self._flush()

    def _flush(self) -> None:
        assert self._db is not None
        rows, self._rows = self._rows, []
        with self._db:
            self._db.executemany(
                "INSERT OR IGNORE INTO threads (key) VALUES (?)", [(row[0],) for row in rows]
            )
            for replace, verb in ((False, "IGNORE"), (True, "REPLACE")):
                self._db.executemany(
                    f"INSERT OR {verb} INTO records VALUES (?, ?, ?, ?)",
                    [row[:4] for row in rows if row[4] is replace],
                )
