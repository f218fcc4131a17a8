"""Readers: one module per input format, each turning a file into `Article` records.

`read_file` is the single entry point: it refuses what is no archive (folders,
binaries, huge files) with a reason the user can act on, then picks the reader by
the file's content rather than its name, so that a mislabelled file still reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from indexer.readers.csv_export import looks_like_csv, parse_csv
from indexer.readers.disqus import looks_like_disqus, parse_disqus
from indexer.readers.files import SNIFF_BYTES, ReaderError, load_bytes, looks_binary
from indexer.readers.hackernews import looks_like_hackernews, parse_hackernews
from indexer.readers.html import looks_like_html, parse_html
from indexer.readers.jsonl import looks_like_jsonl, parse_jsonl
from indexer.readers.reddit import looks_like_reddit, looks_like_zstd, parse_reddit
from indexer.readers.text import parse_text
from indexer.readers.warc import looks_like_warc, warc_contents
from indexer.readers.wxr import looks_like_wxr, parse_wxr
from indexer.records import Article, FileContents

__all__ = [
    "FileContents",
    "ReaderError",
    "SUPPORTED_SUFFIXES",
    "load_bytes",
    "looks_binary",
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


Reader = Callable[[bytes], "list[Article] | FileContents"]

# Compressed containers, recognised before the check that refuses binary files.
PACKED: tuple[tuple[str, Callable[[bytes], bool], Reader], ...] = (
    ("Reddit dump (zstandard)", looks_like_zstd, parse_reddit),
    ("web archive (WARC or ARC)", looks_like_warc, warc_contents),
)
READERS: tuple[tuple[str, Callable[[bytes], bool], Callable[[bytes], list[Article]]], ...] = (
    ("Reddit dump", looks_like_reddit, parse_reddit),
    ("Hacker News items", looks_like_hackernews, parse_hackernews),
    ("JSON lines", looks_like_jsonl, parse_jsonl),
    ("Disqus export", looks_like_disqus, parse_disqus),
    ("WordPress export", looks_like_wxr, parse_wxr),
    ("HTML page", looks_like_html, parse_html),
)
XML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml", re.IGNORECASE)


def sniff_reader(head: bytes) -> Callable[[bytes], list[Article]]:
    """The reader for a file that starts with `head`, chosen by content, not by name.

    :raise ReaderError: for XML or JSON in a shape no reader takes.
    """
    for _, looks_like, parse in READERS:
        if looks_like(head):
            return parse
    if XML_START.match(head):
        raise ReaderError("an XML file that is neither a WordPress (WXR) nor a Disqus export")
    if head.lstrip().startswith((b"[", b"{")):
        raise ReaderError('JSON that is not JSON lines (one {"kind": ...} object a line)')
    return parse_text


def read_file(path: Path, column_map: Mapping[str, str] | None = None) -> list[Article]:
    """Read one archive file into articles, choosing the reader by its content.

    A file named explicitly is read whatever its suffix; `SUPPORTED_SUFFIXES` only
    tells the folder walker which files to pick. `column_map` maps a CSV export's
    columns to Hubbub's fields, over any map file beside it.

    :raise ReaderError: when the file is empty, binary, or in no format we read.
    """
    return read_contents(path, column_map).articles


def read_contents(path: Path, column_map: Mapping[str, str] | None = None) -> FileContents:
    """`read_file`, with what the file held besides its articles."""
    data = load_bytes(path)
    head = data[:SNIFF_BYTES]
    for _, looks_like, parse in PACKED:
        if looks_like(head):
            return contents(parse(data))
    if looks_binary(head):
        raise ReaderError("binary file, not text")
    parse = sniff_reader(head)
    if parse is parse_text and looks_like_csv(head):
        columns = dict(column_map) if column_map else None
        return contents(parse_csv(data, column_map=columns, folder=path.parent, name=path.name))
    return contents(parse(data))


def contents(read: list[Article] | FileContents) -> FileContents:
    return read if isinstance(read, FileContents) else FileContents(read)
