"""Loading an archive file's bytes, refusing with a reason what is no archive."""

from __future__ import annotations

import codecs
import math
import stat
from pathlib import Path

from indexer.errors import HubbubError

UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

MAX_FILE_BYTES = 50 * 1024 * 1024
SNIFF_BYTES = 8 * 1024

BINARY_MAGIC = (
    b"%PDF-",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"\x1f\x8b\x08",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x28\xb5\x2f\xfd",
    b"\x7fELF",
    b"MZ\x90\x00",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"SQLite format 3\x00",
    b"BZh91AY&SY",
)


class ReaderError(HubbubError):
    """A file that cannot be read as an archive; the message says why, for the user."""


def file_size(path: Path) -> int:
    """The size of a file the readers would take: a regular, non-empty file.

    :raise ReaderError: when the path is no regular file, unreadable or empty.
    """
    try:
        status = path.stat()
    except FileNotFoundError as exc:
        raise ReaderError("no such file") from exc
    except OSError as exc:
        raise ReaderError(f"cannot be read: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(status.st_mode):
        raise ReaderError("is a folder, not a file")
    if not stat.S_ISREG(status.st_mode):
        raise ReaderError("not a regular file")
    if not status.st_size:
        raise ReaderError("empty file")
    return status.st_size


def read_head(path: Path) -> bytes:
    """The first bytes of a file `file_size` took, which tell its format.

    :raise ReaderError: when it cannot be read.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise ReaderError(f"cannot be read: {exc.strerror or exc}") from exc
    if not head:
        raise ReaderError("empty file")
    return head


def load_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The file's bytes, once it is known to be a readable, non-empty regular file no
    larger than `max_bytes` (by default `MAX_FILE_BYTES`).

    Readers call this rather than reading the file themselves so that every format
    refuses the same things with the same words.

    :raise ReaderError: when the path is no regular file, unreadable, empty or too large.
    """
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    size = file_size(path)
    if size > limit:
        raise ReaderError(too_large(size, limit))
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ReaderError(f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise ReaderError(too_large(len(data), limit))
    if not data:
        raise ReaderError("empty file")
    return data


def too_large(size: int, limit: int) -> str:
    return (
        f"too large to read whole: {size / 2**20:.1f} MB, the limit is {limit / 2**20:.0f} MB;"
        f" 'hubbub index --max-file-size {math.ceil(size / 2**20)}' reads it"
    )


def looks_binary(head: bytes) -> bool:
    """Whether the file's first bytes are those of a binary file rather than text."""
    if head.startswith(tuple(bom for bom, _ in UNICODE_BOMS)):
        return False
    if head.startswith(BINARY_MAGIC):
        return True
    return b"\x00" in head[:SNIFF_BYTES]
