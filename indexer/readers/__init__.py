"""Readers: one module per input format, each turning a file into `Article` records.

`read_file` is the single entry point: it refuses what is no archive (folders,
binaries, huge files) with a reason the user can act on, then picks the reader by
the file's content rather than its name, so that a mislabelled file still reads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from indexer.readers.files import SNIFF_BYTES, ReaderError, load_bytes, looks_binary
from indexer.readers.text import parse_text
from indexer.records import Article

__all__ = ["ReaderError", "SUPPORTED_SUFFIXES", "load_bytes", "looks_binary", "read_file"]

SUPPORTED_SUFFIXES = (".txt", ".text")

_PARSERS: dict[str, Callable[[bytes], list[Article]]] = {"text": parse_text}


def sniff_format(head: bytes, suffix: str) -> str:
    """The name of the reader for a file that starts with `head`.

    Content decides, the suffix only breaks ties: HTML, WXR and Disqus XML and JSON
    lines readers will be recognised here by their first bytes. Every text file is
    a plain-text page dump for now.
    """
    return "text"


def read_file(path: Path) -> list[Article]:
    """Read one archive file into articles, choosing the reader by its content.

    A file named explicitly is read whatever its suffix; `SUPPORTED_SUFFIXES` only
    tells the folder walker which files to pick.

    :raise ReaderError: when the file is empty, binary, or in no format we read.
    """
    data = load_bytes(path)
    head = data[:SNIFF_BYTES]
    if looks_binary(head):
        raise ReaderError("binary file, not text")
    return _PARSERS[sniff_format(head, path.suffix.lower())](data)
