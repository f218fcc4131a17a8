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
from dataclasses import dataclass, field
from datetime import UTC, datetime

from indexer.readers.encoding import decode_bytes
from indexer.readers.files import ReaderError
from indexer.readers.markup import paragraphs
from indexer.records import Article, Comment

MAX_LINE_CHARS = 5_000_000


@dataclass
class PendingArticle:
    """An article being assembled while its comments may still come on later lines."""

    title: str = ""
    body: str = ""
    date: datetime | None = None
    byline: str | None = None
    url: str | None = None
    site: str | None = None
    votes: int | None = None
    seen: bool = False
    comments: list[tuple[float, int, dict]] = field(default_factory=list)


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


def read_record(line_number: int, line: str) -> dict:
    if len(line) > MAX_LINE_CHARS:
        raise ReaderError(f"line {line_number}: longer than {MAX_LINE_CHARS} characters")
    try:
        record = json.loads(line)
    except ValueError as error:
        raise ReaderError(f"line {line_number}: not JSON ({error})") from error
    if not isinstance(record, dict):
        raise ReaderError(f"line {line_number}: not a JSON object")
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
    pending: dict[str, PendingArticle] = {}
    for line_number, line in enumerate(decode_bytes(data).splitlines(), start=1):
        if not line.strip():
            continue
        record = read_record(line_number, line)
        if record["kind"] == "article":
            key = text_field(record, "id") or f"line-{line_number}"
            article = pending.setdefault(key, PendingArticle())
            article.title = text_field(record, "title") or key
            article.body = paragraphs(record["body"])
            article.date = parse_iso_date(record.get("date"))
            article.byline = text_field(record, "author") or None
            article.url = text_field(record, "url") or None
            article.site = text_field(record, "site") or None
            article.votes = whole_number(record, "votes")
            article.seen = True
        else:
            key = text_field(record, "article_id")
            order = comment_order(record, line_number)
            pending.setdefault(key, PendingArticle()).comments.append((*order, record))
    if not pending:
        raise ReaderError("no records: every line is blank")
    return [build_article(key, article) for key, article in pending.items()]


def build_article(key: str, article: PendingArticle) -> Article:
    comments = tuple(
        Comment(
            author=text_field(record, "author") or "Anonymous",
            body=paragraphs(record["body"]),
            position=position,
            date=parse_iso_date(record.get("date")),
            key=text_field(record, "id") or None,
            parent=text_field(record, "parent") or None,
            votes=whole_number(record, "votes"),
        )
        for position, (_, _, record) in enumerate(sorted(article.comments, key=lambda c: c[:2]), 1)
    )
    return Article(
        title=article.title if article.seen else key,
        body=article.body,
        date=article.date,
        byline=article.byline,
        url=article.url,
        key=key,
        comments=comments,
        site=article.site,
        votes=article.votes,
    )
