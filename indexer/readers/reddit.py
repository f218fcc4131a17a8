"""Reddit dumps as Pushshift and Arctic Shift publish them: one JSON object a line.

A line is a submission (it has a `title`) or a comment (it has a `link_id`, the
`t3_` name of its submission); a file may hold either or both, plain or compressed
with zstandard (`RC_2015-01.zst`). A submission becomes an article keyed by its
name `t3_<id>`, a comment one of that article's comments keyed `t1_<id>`.
Comments whose submission is not in the file still count: they go to a stand-in
article titled "Reddit thread t3_<id>", linked to the thread on reddit.com.

What the archive says is kept as it says it: `[deleted]` and `[removed]` bodies and
authors stay, since they tell the reader that something was there. Reddit stores
`&`, `<` and `>` in titles and bodies as HTML entities; they are unescaped. Bodies
are Reddit markdown, kept as text.

Comments are in thread order: replies follow the comment they answer, siblings by
date and then id. A reply whose parent is not in the file keeps no parent and joins
the top level by date. A file with a line that is no submission or comment is
refused, naming the line, so that nothing is half-imported; so is a compressed file
that stops short, since a dump cut off mid-way has lost an unknown part of a month.

Objects as Reddit's own API wraps them, `{"kind": "t3", "data": {...}}`, read the
same. The line helpers here serve every reader of JSON-per-line dumps.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import zstandard

from indexer.readers.dumps import depth_first, epoch_date
from indexer.readers.files import ReaderError
from indexer.readers.jsonl import UNREAD, first_object
from indexer.readers.markup import paragraphs
from indexer.records import Article, Comment
from indexer.spacing import single_spaced

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# Pushshift compresses with `zstd --long=31`: a frame may need a 2 GiB window.
MAX_WINDOW_SIZE = 2**31
# Compressed bytes fed to the decompressor at a time. Zstandard can expand a block
# some 32,000 times, so a small piece keeps each output chunk to tens of megabytes.
ZSTD_PIECE_BYTES = 1024
MAX_LINE_BYTES = 5_000_000
MAX_DECOMPRESSED_BYTES = 2**30
REDDIT = "https://www.reddit.com"
ANONYMOUS = "Anonymous"
SUBMISSION, COMMENT = "t3_", "t1_"
_REDDIT_FIELD = re.compile(
    rb'"subreddit"\s*:|"(?:name|link_id|parent_id)"\s*:\s*"t[13]_|"permalink"\s*:\s*"/r/'
)



@dataclass(slots=True)
class _Reply:
    """The fields of a comment line that the archive keeps, and nothing else."""

    key: str
    parent: str | None
    author: str
    body: str
    date: datetime | None
    votes: int | None


@dataclass(slots=True)
class _Thread:
    """A submission being assembled while its comments may come on any line."""

    key: str
    site: str | None
    article: Article | None = None
    replies: dict[str, _Reply] = field(default_factory=dict)


def looks_like_zstd(head: bytes) -> bool:
    """Whether the file is zstandard-compressed (Pushshift's `.zst` dumps)."""
    return head.startswith(ZSTD_MAGIC)


def looks_like_reddit(head: bytes) -> bool:
    """Whether the first line is a Reddit submission or comment as the dumps hold them.

    A dump's first line may be longer than `head` (a submission's media fields run to
    kilobytes); then the part that is there is searched for a field only Reddit
    writes: `subreddit`, or a name such as `"link_id": "t3_..."`.
    """
    found = first_object(head)
    if found is None:
        return False
    first, record = found
    if record is UNREAD:
        return _REDDIT_FIELD.search(first) is not None
    record = unwrapped(record)
    return (
        isinstance(record, dict)
        and "subreddit" in record
        and any(name in record for name in ("link_id", "selftext", "num_comments"))
    )


def parse_reddit(data: bytes) -> list[Article]:
    """Submissions with their comments, in the order their threads first appear.

    `data` may be zstandard-compressed; it is then decompressed a piece at a time, so
    that only the records read are held, never the whole text.

    :raise ReaderError: naming the line that is no submission or comment, or saying
        that the compressed file is truncated or too large.
    """
    threads: dict[str, _Thread] = {}
    for line_number, record in json_lines(data):
        record = unwrapped(record)
        if isinstance(record.get("title"), str):
            _read_submission(line_number, record, threads)
        elif "link_id" in record:
            _read_comment(line_number, record, threads)
        else:
            raise ReaderError(
                f"line {line_number}: neither a Reddit submission (no 'title') "
                "nor a comment (no 'link_id')"
            )
    if not threads:
        raise ReaderError("no records: every line is blank")
    return [_build_article(thread) for thread in threads.values()]


def unwrapped(record: object) -> object:
    """The object itself from Reddit's own API wrapping, `{"kind": "t1", "data": {...}}`."""
    if isinstance(record, dict) and record.get("kind") in ("t1", "t3"):
        inner = record.get("data")
        if isinstance(inner, dict):
            return inner
    return record


def _read_submission(line_number: int, record: dict, threads: dict[str, _Thread]) -> None:
    bare = _bare_id(line_number, record, SUBMISSION)
    key = SUBMISSION + bare
    site = _site(record)
    thread = threads.setdefault(key, _Thread(key=key, site=site))
    if thread.article is not None:
        return  # the same submission dumped twice: the first is kept
    thread.site = site or thread.site
    thread.article = Article(
        title=single_spaced(html.unescape(record["title"])),
        body=paragraphs(html.unescape(_text(record.get("selftext")))),
        date=epoch_date(record.get("created_utc")),
        byline=_text(record.get("author")).strip() or None,
        url=_submission_url(record, bare),
        key=key,
        site=site,
        votes=whole_number(record.get("score")),
    )


def _read_comment(line_number: int, record: dict, threads: dict[str, _Thread]) -> None:
    link = record.get("link_id")
    if not isinstance(link, str) or not link.strip():
        raise ReaderError(f"line {line_number}: a comment's 'link_id' must name its submission")
    link = link.strip()
    link_key = link if link.startswith(SUBMISSION) else SUBMISSION + link
    key = COMMENT + _bare_id(line_number, record, COMMENT)
    thread = threads.setdefault(link_key, _Thread(key=link_key, site=_site(record)))
    if key in thread.replies:
        return  # the same comment dumped twice: the first is kept
    thread.replies[key] = _Reply(
        key=key,
        parent=_parent_key(record.get("parent_id"), link_key),
        author=_text(record.get("author")).strip() or ANONYMOUS,
        body=paragraphs(html.unescape(_text(record.get("body")))),
        date=epoch_date(record.get("created_utc")),
        votes=whole_number(record.get("score")),
    )


def _bare_id(line_number: int, record: dict, prefix: str) -> str:
    """The record's base-36 id, from `id` or else from its name `t1_<id>`/`t3_<id>`."""
    for value in (record.get("id"), record.get("name")):
        if isinstance(value, str) and value.strip():
            value = value.strip()
            return value[len(prefix) :] if value.startswith(prefix) else value
    raise ReaderError(f"line {line_number}: no 'id'")


def _parent_key(parent: object, link_key: str) -> str | None:
    """The key of the comment answered; None for a reply to the submission itself."""
    if not isinstance(parent, str) or not parent.strip():
        return None
    parent = parent.strip()
    if parent.startswith(SUBMISSION) or parent == link_key[len(SUBMISSION) :]:
        return None
    return parent if parent.startswith(COMMENT) else COMMENT + parent


def _site(record: dict) -> str | None:
    subreddit = _text(record.get("subreddit")).strip()
    return f"r/{subreddit}" if subreddit else None


def _submission_url(record: dict, bare: str) -> str:
    """The link a submission shares, else its own page on reddit.com."""
    for value in (record.get("url"), record.get("permalink")):
        url = html.unescape(_text(value)).strip()
        if url.startswith("/"):
            return REDDIT + url
        if url.startswith(("http://", "https://")):
            return url
    return f"{REDDIT}/comments/{bare}/"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _build_article(thread: _Thread) -> Article:
    article = thread.article or Article(
        title=f"Reddit thread {thread.key}",
        body="",
        url=f"{REDDIT}/comments/{thread.key[len(SUBMISSION) :]}/",
        key=thread.key,
        site=thread.site,
    )
    ordered = depth_first(
        list(thread.replies.values()),
        key=lambda reply: reply.key,
        parent=lambda reply: reply.parent,
        order=lambda reply: (
            reply.date is None,
            reply.date or datetime.min,
            len(reply.key),
            reply.key,
        ),
    )
    comments = tuple(
        Comment(
            author=reply.author,
            body=reply.body,
            position=position,
            date=reply.date,
            key=reply.key,
            parent=parent,
            votes=reply.votes,
        )
        for position, (reply, parent) in enumerate(ordered, start=1)
    )
    return Article(
        title=article.title,
        body=article.body,
        date=article.date,
        byline=article.byline,
        url=article.url,
        key=article.key,
        comments=comments,
        site=article.site or thread.site,
        votes=article.votes,
    )


def whole_number(value: object) -> int | None:
    """A score as an int; a float or a numeric string is accepted, anything else is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        value = value.strip()
        if value.lstrip("-").isdigit() and len(value) < 20:
            return int(value)
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def json_lines(data: bytes) -> Iterator[tuple[int, dict]]:
    """Each non-blank line's JSON object with its line number, decompressing zstandard.

    :raise ReaderError: naming a line that is too long, not JSON, or not an object.
    """
    lines = _zstd_lines(data) if looks_like_zstd(data) else _plain_lines(data)
    for line_number, line in enumerate(lines, start=1):
        if line_number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8", errors="replace"))
        except ValueError as error:
            raise ReaderError(f"line {line_number}: not JSON ({error})") from error
        if not isinstance(record, dict):
            raise ReaderError(f"line {line_number}: not a JSON object")
        yield line_number, record


def _plain_lines(data: bytes) -> Iterator[bytes]:
    """The lines of uncompressed data, one at a time rather than all split at once."""
    start = 0
    line_number = 0
    while start < len(data):
        end = data.find(b"\n", start)
        if end == -1:
            end = len(data)
        line_number += 1
        if end - start > MAX_LINE_BYTES:
            raise ReaderError(f"line {line_number}: longer than {MAX_LINE_BYTES} bytes")
        yield data[start:end]
        start = end + 1


def _zstd_lines(data: bytes) -> Iterator[bytes]:
    """The lines of zstandard data, decompressed a piece at a time.

    A decompression object rather than `stream_reader`: a stream reader ends
    quietly where a truncated file ends, while the object tells whether its frame
    was complete. Frames written one after another are read one after another.

    :raise ReaderError: when the data is damaged, stops mid-frame, or expands past
        `MAX_DECOMPRESSED_BYTES`.
    """
    buffer = bytearray()
    lines_read = 0
    total = 0
    offset = 0
    decompressor = None
    while offset < len(data):
        if decompressor is None:
            decompressor = zstandard.ZstdDecompressor(
                max_window_size=MAX_WINDOW_SIZE
            ).decompressobj()
        piece = data[offset : offset + ZSTD_PIECE_BYTES]
        offset += len(piece)
        try:
            output = decompressor.decompress(piece)
        except zstandard.ZstdError as error:
            raise ReaderError(
                f"damaged zstandard data after {lines_read} lines were read ({error})"
            ) from error
        if decompressor.eof:
            offset -= len(decompressor.unused_data)  # the next frame starts there
            decompressor = None
        total += len(output)
        if total > MAX_DECOMPRESSED_BYTES:
            raise ReaderError(
                f"decompresses to more than {MAX_DECOMPRESSED_BYTES // 2**20} MB; "
                "split the dump into smaller files"
            )
        buffer += output
        start = 0
        while (end := buffer.find(b"\n", start)) != -1:
            lines_read += 1
            yield bytes(buffer[start:end])
            start = end + 1
        del buffer[:start]
        if len(buffer) > MAX_LINE_BYTES:
            raise ReaderError(f"line {lines_read + 1}: longer than {MAX_LINE_BYTES} bytes")
    if decompressor is not None:
        raise ReaderError(
            f"truncated zstandard file: the data stops mid-frame after {lines_read} "
            "complete lines were read; the file was cut short, download or copy it again"
        )
    if buffer:
        yield bytes(buffer)
