"""Reader for web archives: the news pages a crawler saved in a WARC (or older ARC) file.

A crawl holds much besides the pages: the requests made, stylesheets and images,
crawl metadata, and revisit records that only say "same as before". Each
successful (2xx) `response` record whose HTTP Content-Type is HTML goes through
the saved-page reader, with the address it was fetched from as the article's
address, the host (without `www.`) as its site, the capture date (`WARC-Date`)
as what relative dates ("2 hours ago") count from, and the charset the HTTP
headers declare. Everything else is skipped and counted (`WarcCounts`), as is a
page the saved-page reader finds no article in, so a run can say what it left out.

Records are read one at a time with warcio; gzip members are unpacked here, so
that a whole-file gzip reads too and a cut gzip is seen as damage rather than as
the end of the file. Offsets are in the unpacked archive.

Damage: a file cut short or corrupted partway (an interrupted crawl or download)
keeps the pages read before the damage, and `WarcCounts.damaged_at` says where
reading stopped and `damage` why; the damaged record is not read. A file whose
first record cannot be read is no web archive and is refused with a
`ReaderError` naming the offset. `parse_warc` refuses an archive with no page to
index, saying what the archive held instead.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from indexer.readers.files import SNIFF_BYTES, ReaderError, looks_binary
from indexer.readers.html import parse_html
from indexer.records import Article, FileContents

GZIP_MAGIC = b"\x1f\x8b"
ARCHIVE_STARTS = (b"WARC/1.0", b"WARC/1.1", b"filedesc://")
GZIP_SNIFF_BYTES = 64
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# A page larger than this is no news article; its reading is bounded, not its claim.
MAX_PAGE_BYTES = 10 * 2**20
# Crawls compress some 3 to 10 times; far more is a gzip bomb.
MAX_EXPANSION = 100
EXPANSION_ALLOWANCE = 2**30
MAX_RECORDS = 50_000_000
BLOCK_BYTES = 64 * 1024
MAX_DRAIN_BLOCKS = 2**32 // BLOCK_BYTES  # no record of a news crawl holds 4 GB


class _Damage(Exception):
    """The archive's bytes end or break inside a record."""


# What warcio's parsers raise on a record they cannot read: a header line that is
# none, or a record cut inside its headers (which can leave it without an address).
RECORD_FAILURES = (
    ArchiveLoadFailed,
    _Damage,
    EOFError,
    ValueError,
    AttributeError,
    TypeError,
    IndexError,
)


@dataclass
class WarcCounts:
    """What an archive held besides the articles read from it, for the run's report."""

    html_pages: int = 0
    """HTML pages read into articles."""
    revisits: int = 0
    """Revisit records: a page captured again, unchanged, with no content of its own."""
    other_records: int = 0
    """Requests, metadata, warcinfo and resource records; responses that are not an
    HTML page (stylesheets, images) or not a success (redirects, errors)."""
    refused_pages: int = 0
    """HTML pages with no article text, too large, or in an encoding not decoded."""
    damaged_at: int | None = None
    """Where reading stopped, in bytes of the unpacked archive, for a damaged file."""
    damage: str | None = None
    """Why reading stopped there."""

    def summary(self) -> str:
        """The counts in a sentence a user can read."""
        parts = [
            _count(self.html_pages, "HTML page"),
            _count(self.revisits, "revisit"),
            _count(self.other_records, "other record"),
            _count(self.refused_pages, "page not read", "pages not read"),
        ]
        text = ", ".join(parts)
        if self.damaged_at is not None:
            text += f"; reading stopped at byte {self.damaged_at}: {self.damage}"
        return text


def looks_like_warc(head: bytes) -> bool:
    """Whether a file starting with `head` is a WARC or ARC file, gzipped or not.

    A gzipped file is a WARC or ARC file when its first member unpacks to a WARC
    version line or an ARC file header.
    """
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, GZIP_SNIFF_BYTES)
        except zlib.error:
            return False
    return head.startswith(ARCHIVE_STARTS)


def parse_warc(data: bytes) -> list[Article]:
    """The articles of the HTML pages saved in a WARC or ARC file, in archive order.

    :raise ReaderError: when the file is no readable web archive, or holds no page
        with article text.
    """
    return list(warc_contents(data).articles)


def warc_contents(source: bytes | BinaryIO) -> FileContents:
    """`parse_warc`'s articles as they are read, one record at a time from an open file
    of any size, with the archive's counts of what was passed over once they are read.
    The error for an archive without pages comes after its last record."""
    counts = WarcCounts()

    def articles() -> Iterator[Article]:
        found = False
        for article in warc_pages(source, counts):
            found = True
            yield article
        if not found:
            raise ReaderError(f"no page with article text in the web archive ({counts.summary()})")

    return FileContents(articles(), counts.summary)


def read_warc(data: bytes) -> tuple[list[Article], WarcCounts]:
    """The articles of a WARC or ARC file, and counts of what was skipped and why.

    :raise ReaderError: when the first record cannot be read, or the archive is
        larger than the bounds a news archive needs.
    """
    counts = WarcCounts()
    return list(warc_pages(data, counts)), counts


def warc_pages(source: bytes | BinaryIO, counts: WarcCounts) -> Iterator[Article]:
    """The articles of a WARC or ARC file as each record is read, counting in `counts`
    what was skipped and why.

    :raise ReaderError: when the first record cannot be read, or the archive is
        larger than the bounds a news archive needs.
    """
    stream = _Unpacked(io.BytesIO(source) if isinstance(source, bytes) else source)
    records = _Records(stream, arc2warc=True)
    taken: _Taken | None = None
    for _ in range(MAX_RECORDS + 1):
        warnings = records.err_count
        try:
            record, error = next(records, None), None
        except RECORD_FAILURES as failure:
            record, error = None, failure
        if taken is not None and records.err_count > warnings:
            # No blank line where the previous record's length said it ends.
            _stop(counts, taken.offset, "the record's length does not match its content")
            break
        if taken is not None:
            yield from taken.commit(counts)
        if error is not None:
            _stop(counts, records.offset, _reason(error))
            break
        if record is None:
            if records.offset < stream.tell():
                _stop(counts, records.offset, "the file ends inside a record's headers")
            break
        taken = _take(record, records.offset)
        if taken.damage is not None:
            _stop(counts, taken.offset, taken.damage)
            break
    else:
        raise ReaderError(f"more than {MAX_RECORDS} records in the web archive")
    if counts.damaged_at == 0:
        raise ReaderError(f"not a readable web archive: record at byte 0: {counts.damage}")


# --- Reading the archive ----------------------------------------------------------


class _Records(ArchiveIterator):
    """warcio's record iterator, with a record whose length is wrong counted in
    `err_count` (and reported as damage) rather than printed to stderr."""

    INC_RECORD = ""


class _Unpacked:
    """The archive as warcio reads it, gzip members unpacked here.

    warcio takes a gzip member cut short for the end of the file, and prints
    decompression errors rather than raising them; here both raise `_Damage`. The
    unpacked size is bounded, against a small file that unpacks to gigabytes.
    """

    def __init__(self, raw: BinaryIO) -> None:
        start = raw.read(len(GZIP_MAGIC))
        self._raw = _Rejoined(start, raw)
        zipped = start == GZIP_MAGIC
        self._source = gzip.GzipFile(fileobj=self._raw, mode="rb") if zipped else self._raw
        self._position = 0

    def read(self, size: int | None = -1) -> bytes:
        size = BLOCK_BYTES if size is None or size < 0 else min(size, BLOCK_BYTES)
        try:
            # read1: what one read gives, so the data before a cut is returned first.
            block = self._source.read1(size)
        except (EOFError, OSError, zlib.error) as error:
            raise _Damage(f"the compressed data is cut short or corrupt ({error})") from error
        self._position += len(block)
        if self._position > self._raw.read_bytes * MAX_EXPANSION + EXPANSION_ALLOWANCE:
            raise ReaderError(
                f"the web archive unpacks to more than {MAX_EXPANSION} times its size,"
                " which no crawl does: the file is damaged or made to exhaust the reader"
            )
        return block

    def tell(self) -> int:
        return self._position


class _Rejoined:
    """An open file whose first bytes were read to tell its kind, given back first; it
    counts the bytes read from it, which bound what they may unpack to."""

    def __init__(self, start: bytes, rest: BinaryIO) -> None:
        self._start = start
        self._rest = rest
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        if self._start:
            block = self._start if size < 0 else self._start[:size]
            self._start = self._start[len(block) :]
            if size < 0 or len(block) < size:
                block += self._rest.read(-1 if size < 0 else size - len(block))
        else:
            block = self._rest.read(size)
        self.read_bytes += len(block)
        return block

    def read1(self, size: int = -1) -> bytes:
        return self.read(BLOCK_BYTES if size is None or size < 0 else size)


@dataclass
class _Taken:
    """A record read, kept until the next one starts where its length says it ends."""

    offset: int
    kind: str
    article: Article | None = None
    damage: str | None = None

    def commit(self, counts: WarcCounts) -> Iterator[Article]:
        setattr(counts, self.kind, getattr(counts, self.kind) + 1)
        if self.article is not None:
            yield self.article


def _take(record: ArcWarcRecord, offset: int) -> _Taken:
    """What one record gives: an article, or the count it adds to."""
    if record.length is None:
        return _Taken(offset, "other_records", damage="the record has no Content-Length")
    try:
        if record.rec_type == "revisit":
            taken = _Taken(offset, "revisits")
        elif _is_page(record):
            taken = _page(record, offset)
        else:
            taken = _Taken(offset, "other_records")
        if not _read_to_end(record):
            taken.damage = "the file ends inside this record"
    except _Damage as error:
        return _Taken(offset, "other_records", damage=str(error))
    return taken


def _is_page(record: ArcWarcRecord) -> bool:
    """Whether a record is a successful HTTP response holding an HTML page."""
    http = record.http_headers
    if record.rec_type != "response" or http is None:
        return False
    if not http.get_statuscode().startswith("2"):
        return False
    return _media_type(http.get_header("Content-Type") or "")[0] in HTML_TYPES


def _page(record: ArcWarcRecord, offset: int) -> _Taken:
    """The article of an HTML response, or a refused page."""
    http = record.http_headers
    encoding = (http.get_header("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", *BufferedReader.get_supported_decompressors()):
        return _Taken(offset, "refused_pages")
    payload = record.content_stream().read(MAX_PAGE_BYTES + 1)
    if len(payload) > MAX_PAGE_BYTES or not payload or looks_binary(payload[:SNIFF_BYTES]):
        return _Taken(offset, "refused_pages")
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    charset = _media_type(http.get_header("Content-Type") or "")[1]
    try:
        article = parse_html(payload, url=url, saved_at=_capture_date(record), charset=charset)[0]
    except ReaderError:
        return _Taken(offset, "refused_pages")
    return _Taken(offset, "html_pages", replace(article, site=_site(url) or article.site))


def _read_to_end(record: ArcWarcRecord) -> bool:
    """Read what is left of a record; whether it held all its length said."""
    stream = record.raw_stream
    for _ in range(MAX_DRAIN_BLOCKS):
        if not stream.read(BLOCK_BYTES):
            break
    return getattr(stream, "limit", 0) == 0


def _media_type(value: str) -> tuple[str, str | None]:
    """A Content-Type's media type, lowercased, and its charset parameter if any."""
    media_type, *parameters = value.split(";")
    charset = None
    for parameter in parameters:
        name, _, given = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = given.strip().strip("\"'") or None
    return media_type.strip().lower(), charset


def _capture_date(record: ArcWarcRecord) -> datetime | None:
    """The record's WARC-Date as a naive UTC datetime; None when it is not ISO 8601."""
    value = (record.rec_headers.get_header("WARC-Date") or "").strip()
    try:
        date = datetime.fromisoformat(value)
    except ValueError:
        return None
    return date.astimezone(UTC).replace(tzinfo=None) if date.tzinfo else date


def _site(url: str) -> str | None:
    """The publication an address names: its host without `www.`."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _stop(counts: WarcCounts, offset: int, reason: str) -> None:
    counts.damaged_at = offset
    counts.damage = reason


def _reason(error: Exception) -> str:
    """Why a record could not be read, in warcio's words when it has some for a user."""
    if isinstance(error, ArchiveLoadFailed | _Damage):
        return " ".join(str(error).split())[:300]
    return "the record's headers are cut short or malformed"


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
