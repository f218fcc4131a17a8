"""Readers: one module per input format, each turning a file into `Article` records.

`read_contents` is the single entry point: it refuses what is no archive (folders,
binaries, files too large to read whole) with a reason the user can act on, then picks
the reader by the file's content rather than its name, so that a mislabelled file
still reads. Dumps of one record a line and web archives are read from the open file
a piece at a time, whatever their size; XML exports (WordPress, Disqus) and CSV exports
are read whole up to a limit and a piece at a time beyond it; other formats are read
whole, up to the limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from indexer.readers.csv_export import looks_like_csv, parse_csv, read_csv
from indexer.readers.disqus import looks_like_disqus, parse_disqus, read_disqus
from indexer.readers.files import (
    MAX_FILE_BYTES,
    UNICODE_BOMS,
    ReaderError,
    file_size,
    load_bytes,
    looks_binary,
    read_head,
    too_large,
)
from indexer.readers.hackernews import looks_like_hackernews, parse_hackernews, read_hackernews
from indexer.readers.html import looks_like_html, parse_html
from indexer.readers.jsonl import looks_like_jsonl, parse_jsonl, read_jsonl
from indexer.readers.lines import looks_like_zstd
from indexer.readers.reddit import looks_like_reddit, parse_reddit, read_reddit
from indexer.readers.text import parse_text
from indexer.readers.warc import looks_like_warc, warc_contents
from indexer.readers.wxr import looks_like_wxr, parse_wxr, read_wxr
from indexer.records import Article, FileContents

__all__ = [
    "FileContents",
    "ReaderError",
    "SUPPORTED_SUFFIXES",
    "load_bytes",
    "looks_binary",
    "in_pieces",
    "read_contents",
    "read_file",
]

SUPPORTED_SUFFIXES = (
    ".txt",
    ".text",
    ".html",
    ".htm",
    ".xml",
    ".wxr",
    ".jsonl",
    ".ndjson",
    ".json",
    ".zst",
    ".warc",
    ".arc",
    ".gz",
    ".csv",
    ".tsv",
)


@dataclass(frozen=True)
class Format:
    """An input format: how to know it from a file's first bytes, how to read it whole,
    and, for dumps, web archives and XML exports, how to read it from the open file.

    `whole_up_to_limit`: a file no larger than the limit is read whole, as small files
    are read in parallel and committed together, and a larger one from the open file,
    in any encoding (an XML export decodes its text itself, where a dump's lines are
    split on bytes, so a dump in UTF-16 or UTF-32 is read whole)."""

    name: str
    looks_like: Callable[[bytes], bool]
    parse: Callable[[bytes], list[Article] | FileContents]
    stream: Callable[[BinaryIO], Iterator[Article] | FileContents] | None = None
    whole_up_to_limit: bool = False


# Compressed containers, recognised before the check that refuses binary files.
PACKED = (
    Format("Reddit dump (zstandard)", looks_like_zstd, parse_reddit, read_reddit),
    Format("web archive (WARC or ARC)", looks_like_warc, warc_contents, warc_contents),
)
FORMATS = (
    Format("Reddit dump", looks_like_reddit, parse_reddit, read_reddit),
    Format("Hacker News items", looks_like_hackernews, parse_hackernews, read_hackernews),
    Format("JSON lines", looks_like_jsonl, parse_jsonl, read_jsonl),
    Format("Disqus export", looks_like_disqus, parse_disqus, read_disqus, whole_up_to_limit=True),
    Format("WordPress export", looks_like_wxr, parse_wxr, read_wxr, whole_up_to_limit=True),
    Format("HTML page", looks_like_html, parse_html),
)
TEXT = Format("plain text", lambda head: True, parse_text)


XML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml", re.IGNORECASE)
WIDE_TEXT = tuple(bom for bom, encoding in UNICODE_BOMS if encoding != "utf-8-sig")


def format_of(head: bytes) -> Format:
    """The format of a file that starts with `head`, chosen by content, not by name.

    :raise ReaderError: for a binary file, or XML or JSON in a shape no reader takes.
    """
    for found in PACKED:
        if found.looks_like(head):
            return found
    if looks_binary(head):
        raise ReaderError("binary file, not text")
    for found in FORMATS:
        if found.looks_like(head):
            return found
    if XML_START.match(head):
        raise ReaderError("an XML file that is neither a WordPress (WXR) nor a Disqus export")
    if head.lstrip().startswith((b"[", b"{")):
        raise ReaderError('JSON that is not JSON lines (one {"kind": ...} object a line)')
    return TEXT


def in_pieces(path: Path, max_bytes: int | None = None) -> bool:
    """Whether the file is read a piece at a time, at any size, rather than whole.

    :raise ReaderError: when it is no file the readers take, or one read whole that is
        larger than `max_bytes` (by default `MAX_FILE_BYTES`).
    """
    return _plan(path, max_bytes)[2]


def _plan(path: Path, max_bytes: int | None) -> tuple[Format, bytes, bool]:
    """The file's format, its first bytes, and whether it is read a piece at a time: a
    web archive, a dump of one record a line in UTF-8, or a WordPress, Disqus or CSV
    export too large to be read whole (a smaller one is read whole: an XML export by the
    same reader over its bytes, a CSV export with its encoding told from all of it)."""
    size = file_size(path)
    head = read_head(path)
    found = format_of(head)
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    if found.stream is not None and found.whole_up_to_limit:
        return found, head, size > limit
    if found.stream is not None and not head.startswith(WIDE_TEXT):
        return found, head, True
    if found is TEXT and looks_like_csv(head) and size > limit:
        return found, head, True
    if size > limit:
        raise ReaderError(too_large(size, limit))
    return found, head, False


def read_file(path: Path, column_map: Mapping[str, str] | None = None) -> list[Article]:
    """Read one archive file into articles, choosing the reader by its content.

    A file named explicitly is read whatever its suffix; `SUPPORTED_SUFFIXES` only
    tells the folder walker which files to pick. `column_map` maps a CSV export's
    columns to Hubbub's fields, over any map file beside it.

    :raise ReaderError: when the file is empty, binary, or in no format we read.
    """
    return list(read_contents(path, column_map).articles)


def read_contents(
    path: Path,
    column_map: Mapping[str, str] | None = None,
    max_bytes: int | None = None,
    opener: Callable[[Path], BinaryIO] | None = None,
) -> FileContents:
    """`read_file`'s articles, with what the file held besides them. A dump of one record
    a line, a web archive, or an export larger than `max_bytes` gives its articles as
    they are read (`FileContents.articles` is then an iterator, which raises
    `ReaderError` on damage), from the file `opener` opens (by default
    `Path.open("rb")`); any other file is read whole if no larger than `max_bytes`.
    """
    found, head, pieces = _plan(path, max_bytes)
    columns = dict(column_map) if column_map else None
    is_csv = found is TEXT and looks_like_csv(head)
    if pieces:
        if is_csv:
            stream = partial(read_csv, column_map=columns, folder=path.parent, name=path.name)
        else:
            stream = found.stream
        return _streaming(path, stream, opener or _open_binary)
    data = load_bytes(path, max_bytes)
    if is_csv:
        return _contents(parse_csv(data, column_map=columns, folder=path.parent, name=path.name))
    return _contents(found.parse(data))


def _open_binary(path: Path) -> BinaryIO:
    return path.open("rb")


def _streaming(
    path: Path,
    stream: Callable[[BinaryIO], Iterator[Article] | FileContents],
    opener: Callable[[Path], BinaryIO],
) -> FileContents:
    """A file's contents read from the file `opener` opens once the first article is
    asked for, and closed when the last is given."""
    opened: list[FileContents] = []

    def articles() -> Iterator[Article]:
        try:
            handle = opener(path)
        except OSError as exc:
            raise ReaderError(f"cannot be read: {exc.strerror or exc}") from exc
        with handle:
            found = _contents(stream(handle))
            opened.append(found)
            yield from found.articles

    return FileContents(articles(), lambda: opened[0].passed_over() if opened else "")


def _contents(read: Iterable[Article] | FileContents) -> FileContents:
    return read if isinstance(read, FileContents) else FileContents(read)
