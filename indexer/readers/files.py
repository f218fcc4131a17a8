"""Loading an archive file's bytes, refusing with a reason what is no archive."""

from __future__ import annotations

import codecs
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


def load_bytes(path: Path) -> bytes:
    """The file's bytes, once it is known to be a readable, non-empty regular file.

    Readers call this rather than reading the file themselves so that every format
    refuses the same things with the same words.

    :raise ReaderError: when the path is no regular file, unreadable, empty or too large.
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
    if status.st_size > MAX_FILE_BYTES:
        raise ReaderError(_too_large(status.st_size))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ReaderError(f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise ReaderError(_too_large(len(data)))
    if not data:
        raise ReaderError("empty file")
    return data


def _too_large(size: int) -> str:
    return f"too large: {size / 2**20:.1f} MB, the limit is {MAX_FILE_BYTES // 2**20} MB"


def looks_binary(head: bytes) -> bool:
    """Whether the file's first bytes are those of a binary file rather than text."""
    if head.startswith(tuple(bom for bom, _ in UNICODE_BOMS)):
        return False
    if head.startswith(BINARY_MAGIC):
        return True
    return b"\x00" in head[:SNIFF_BYTES]
