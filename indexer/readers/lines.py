"""The lines of a JSON-per-line dump, plain or zstandard-compressed, read a piece at a
time from an open file, so that a dump of any size is never held whole.

Every reader of such dumps (Reddit, Hacker News, Hubbub's own JSON lines) reads
through here, and the same damage is refused in the same words: a line too long to be
a record, a line that is no JSON object, a compressed file that stops mid-frame.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import BinaryIO

import zstandard

from indexer.readers.files import ReaderError

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# Pushshift compresses with `zstd --long=31`: a frame may need a 2 GiB window.
MAX_WINDOW_SIZE = 2**31
# Compressed bytes fed to the decompressor at a time. Zstandard can expand a block
# some 32,000 times, so a small piece keeps each output chunk to tens of megabytes.
ZSTD_PIECE_BYTES = 16 * 1024
MAX_LINE_BYTES = 5_000_000
# Dumps of text compress some 5 to 15 times; far more is a file made to exhaust the reader.
MAX_EXPANSION = 200
EXPANSION_ALLOWANCE = 64 * 2**20
BOM = b"\xef\xbb\xbf"


def looks_like_zstd(head: bytes) -> bool:
    """Whether the file is zstandard-compressed (Pushshift's `.zst` dumps)."""
    return head.startswith(ZSTD_MAGIC)


def opened(source: bytes | BinaryIO) -> BinaryIO:
    return io.BytesIO(source) if isinstance(source, bytes | bytearray) else source


def json_lines(source: bytes | BinaryIO) -> Iterator[tuple[int, dict]]:
    """Each non-blank line's JSON object with its line number, decompressing zstandard.

    :raise ReaderError: naming a line that is too long, not JSON, or not an object,
        or saying that compressed data is damaged or cut short.
    """
    for line_number, line in enumerate(dump_lines(opened(source)), start=1):
        if line_number == 1 and line.startswith(BOM):
            line = line[len(BOM) :]
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8", errors="replace"))
        except ValueError as error:
            raise ReaderError(f"line {line_number}: not JSON ({error})") from error
        if not isinstance(record, dict):
            raise ReaderError(f"line {line_number}: not a JSON object")
        yield line_number, record


def dump_lines(handle: BinaryIO) -> Iterator[bytes]:
    """The lines of an open file, without their line ends, decompressed if need be."""
    start = handle.read(len(ZSTD_MAGIC))
    if looks_like_zstd(start):
        return _zstd_lines(handle, start)
    return _plain_lines(handle, start)


def _plain_lines(handle: BinaryIO, start: bytes) -> Iterator[bytes]:
    line_number = 0
    pending = start
    while True:
        line = pending + handle.readline(MAX_LINE_BYTES + 2)
        pending = b""
        if not line:
            return
        line_number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            raise ReaderError(f"line {line_number}: longer than {MAX_LINE_BYTES} bytes")
        yield line.rstrip(b"\r\n")


def _zstd_lines(handle: BinaryIO, start: bytes) -> Iterator[bytes]:
    """The lines of zstandard data, decompressed a piece at a time.

    A decompression object rather than `stream_reader`: a stream reader ends
    quietly where a truncated file ends, while the object tells whether its frame
    was complete. Frames written one after another are read one after another.
    """
    buffer = bytearray()
    lines_read = 0
    decompressor = None
    piece = start + handle.read(ZSTD_PIECE_BYTES)
    packed, unpacked = len(piece), 0
    while piece:
        if decompressor is None:
            decompressor = zstandard.ZstdDecompressor(
                max_window_size=MAX_WINDOW_SIZE
            ).decompressobj()
        try:
            output = decompressor.decompress(piece)
        except zstandard.ZstdError as error:
            raise ReaderError(
                f"damaged zstandard data after {lines_read} lines were read ({error})"
            ) from error
        piece = b""
        if decompressor.eof:
            piece = decompressor.unused_data  # the next frame starts there
            decompressor = None
        unpacked += len(output)
        if unpacked > packed * MAX_EXPANSION + EXPANSION_ALLOWANCE:
            raise ReaderError(
                f"decompresses to more than {MAX_EXPANSION} times its size, which no dump"
                " of text does: the file is damaged or made to exhaust the reader"
            )
        buffer += output
        begin = 0
        while (end := buffer.find(b"\n", begin)) != -1:
            lines_read += 1
            yield bytes(buffer[begin:end])
            begin = end + 1
        del buffer[:begin]
        if len(buffer) > MAX_LINE_BYTES:
            raise ReaderError(f"line {lines_read + 1}: longer than {MAX_LINE_BYTES} bytes")
        if not piece:
            piece = handle.read(ZSTD_PIECE_BYTES)
            packed += len(piece)
    if decompressor is not None:
        raise ReaderError(
            f"truncated zstandard file: the data stops mid-frame after {lines_read} "
            "complete lines were read; the file was cut short, download or copy it again"
        )
    if buffer:
        yield bytes(buffer)
