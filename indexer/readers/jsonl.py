"""JSON Lines: the way to bring in anything else, one article or comment per line.

Fields: `kind` ("article" or "comment"), `id`, `article_id` (comments), `title`
(articles), `author`, `date` (ISO 8601), `body`, `url`, `site` (articles: the
publication, else the address's host), `votes` (a whole number), `position`, `parent`
(the `id` of the comment answered). Only `kind`, `body` and, for comments, `article_id`
are required. A file with a line that breaks these rules is refused as a whole,
naming the line, so that nothing is half-imported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from indexer.readers.encoding import decode_bytes
from indexer.readers.files import ReaderError
from indexer.readers.lines import json_lines
from indexer.readers.markup import paragraphs
from indexer.readers.threads import ThreadRecords, progress_of
from indexer.records import Article, Comment

ARTICLE_RECORD, COMMENT_RECORD = "a", "c"


UNREAD = object()  # a first line that runs past the part of the file sniffed


def first_object(head: bytes) -> tuple[bytes, object] | None:
    """The first line of a file that opens with a JSON object, with the object parsed,
    or `UNREAD` where the line runs past `head`; None when it opens with no object."""
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
    if not first.startswith(b"{"):
        return None
    try:
        return first, json.loads(first)
    except ValueError:
        return first, UNREAD


def looks_like_jsonl(head: bytes) -> bool:
    """Whether the file opens with a JSON object that has a `kind`."""
    found = first_object(head)
    if found is None:
        return False
    first, record = found
    if record is UNREAD:
        return b'"kind"' in first
    return isinstance(record, dict) and "kind" in record


def parse_iso_date(value: object) -> datetime | None:
    """An ISO 8601 date as a naive UTC datetime; anything else is no date."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def text_field(record: dict, name: str) -> str:
    value = record.get(name)
    return value.strip() if isinstance(value, str) else ""


def whole_number(record: dict, name: str) -> int | None:
    """A count as the line gives it; anything but a whole number is none."""
    value = record.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def check_record(line_number: int, record: dict) -> dict:
    """The line's object, once it is known to be an article or a comment."""
    kind = record.get("kind")
    if kind not in ("article", "comment"):
        raise ReaderError(f"line {line_number}: 'kind' must be \"article\" or \"comment\"")
    if not isinstance(record.get("body"), str):
        raise ReaderError(f"line {line_number}: 'body' is required and must be a string")
    if kind == "comment" and not text_field(record, "article_id"):
        raise ReaderError(f"line {line_number}: a comment needs its 'article_id'")
    return record


def comment_order(record: dict, line_number: int) -> tuple[float, int]:
    position = record.get("position")
    if isinstance(position, int | float) and not isinstance(position, bool):
        return (float(position), line_number)
    return (float("inf"), line_number)


def parse_jsonl(data: bytes) -> list[Article]:
    """Articles with their comments, in the order the articles first appear.

    Comments are ordered by `position` when given, else by line, and numbered 1..N.
    A comment whose article has no line of its own gets an article titled by its id.
    """
    return list(read_jsonl(decode_bytes(data).encode("utf-8")))


def read_jsonl(source: bytes | BinaryIO) -> Iterator[Article]:
    """`parse_jsonl` over UTF-8 text or an open file of it, read a line at a time: every
    line is read and checked before the first article comes, so a broken file gives
    none. Lines wait for the end of the file in `ThreadRecords`, on disk once they are
    many, so memory stays flat whatever the file's size."""
    with ThreadRecords(progress=progress_of(source)) as kept:
        for line_number, record in json_lines(source):
            check_record(line_number, record)
            if record["kind"] == "article":
                key = text_field(record, "id") or f"line-{line_number}"
                kept.add(key, "", article_fields(record, key), replace=True)
            else:
                key = text_field(record, "article_id")
                kept.add(key, f"#{line_number}", comment_fields(record, line_number))
        if not kept:
            raise ReaderError("no records: every line is blank")
        for key, payloads in kept.groups():
            yield build_article(key, payloads)


def article_fields(record: dict, key: str) -> list:
    """What an article line gives; a later line of the same id gives it anew."""
    return [
        ARTICLE_RECORD,
        text_field(record, "title") or key,
        paragraphs(record["body"]),
        text_field(record, "date"),
        text_field(record, "author") or None,
        text_field(record, "url") or None,
        text_field(record, "site") or None,
        whole_number(record, "votes"),
    ]


def comment_fields(record: dict, line_number: int) -> list:
    """What a comment line gives, with its place: `position` when given, else its line."""
    return [
        COMMENT_RECORD,
        *comment_order(record, line_number),
        text_field(record, "author") or "Anonymous",
        paragraphs(record["body"]),
        text_field(record, "date"),
        text_field(record, "id") or None,
        text_field(record, "parent") or None,
        whole_number(record, "votes"),
    ]


def build_article(key: str, payloads: list[list]) -> Article:
    """An article with its comments numbered 1..N in order; titled by its id when the
    file has no line of its own for it."""
    untitled = [ARTICLE_RECORD, key, "", "", None, None, None, None]
    found = [p for p in payloads if p[0] == ARTICLE_RECORD] or [untitled]
    _, title, body, day, byline, url, site, votes = found[-1]
    ordered = sorted((p for p in payloads if p[0] == COMMENT_RECORD), key=lambda p: p[1:3])
    comments = tuple(
        Comment(
            author=author,
            body=text,
            position=position,
            date=parse_iso_date(posted),
            key=comment_key,
            parent=parent,
            votes=comment_votes,
        )
        for position, (_, _, _, author, text, posted, comment_key, parent, comment_votes) in (
            enumerate(ordered, start=1)
        )
    )
    return Article(
        title=title,
        body=body,
        date=parse_iso_date(day),
        byline=byline,
        url=url,
        key=key,
        comments=comments,
        site=site,
        votes=votes,
    )
