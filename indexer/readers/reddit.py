"""Reddit dumps as Pushshift and Arctic Shift publish them: one JSON object a line.

A line is a submission (it has a `title`) or a comment (it has a `link_id`, the
`t3_` name of its submission); a file may hold either or both, plain or compressed
with zstandard (`RC_2015-01.zst`). A submission becomes an article keyed by its
name `t3_<id>`, a comment one of that article's comments keyed `t1_<id>`.
Comments whose submission is not in the file still count: they go to a stand-in
article titled "Reddit thread t3_<id>", linked to the thread on reddit.com, which the
submission replaces when a file brings it. A month's dump holds submissions (RS) and
comments (RC) in two files, and a thread's comments run on into later months: every
thread is a split thread, its ids made from its keys, which the index joins across
files.

What the archive says is kept as it says it: `[deleted]` and `[removed]` bodies and
authors stay, since they tell the reader that something was there. Reddit stores
`&`, `<` and `>` in titles and bodies as HTML entities; they are unescaped. Bodies
are Reddit markdown, kept as text.

Comments are in thread order: replies follow the comment they answer, siblings by
date and then id. A reply whose parent is not in the file joins the top level by
date, keeping its parent's key for when the file holding it is read. A file with a
line that is no submission or comment is refused, naming the line, so that nothing is
half-imported; so is a compressed file that stops short, since a dump cut off mid-way
has lost an unknown part of a month.

Objects as Reddit's own API wraps them, `{"kind": "t3", "data": {...}}`, read the
same. The line helpers here serve every reader of JSON-per-line dumps.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import BinaryIO

from indexer.readers.dumps import depth_first, epoch_date
from indexer.readers.files import ReaderError
from indexer.readers.jsonl import UNREAD, first_object
from indexer.readers.lines import json_lines
from indexer.readers.markup import paragraphs
from indexer.readers.threads import ThreadRecords, progress_of
from indexer.records import Article, Comment
from indexer.spacing import single_spaced

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


SUBMISSION_RECORD, COMMENT_RECORD = "s", "c"


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

    :raise ReaderError: naming the line that is no submission or comment, or saying
        that the compressed file is truncated or damaged.
    """
    return list(read_reddit(data))


def read_reddit(source: bytes | BinaryIO) -> Iterator[Article]:
    """`parse_reddit` over an open file, read a piece at a time and decompressed as it
    goes: every line is read and checked before the first article comes, so a broken
    file gives none. Records wait for the end of the file in `ThreadRecords`, on disk
    once they are many, so memory stays flat whatever the dump's size."""
    with ThreadRecords(progress=progress_of(source)) as kept:
        for line_number, record in json_lines(source):
            record = unwrapped(record)
            if isinstance(record.get("title"), str):
                key, payload = _submission(line_number, record)
                kept.add(key, key, payload)
            elif "link_id" in record:
                link_key, key, payload = _comment(line_number, record)
                kept.add(link_key, key, payload)
            else:
                raise ReaderError(
                    f"line {line_number}: neither a Reddit submission (no 'title') "
                    "nor a comment (no 'link_id')"
                )
        if not kept:
            raise ReaderError("no records: every line is blank")
        for thread, payloads in kept.groups():
            yield _build_article(thread, payloads)


def unwrapped(record: object) -> object:
    """The object itself from Reddit's own API wrapping, `{"kind": "t1", "data": {...}}`."""
    if isinstance(record, dict) and record.get("kind") in ("t1", "t3"):
        inner = record.get("data")
        if isinstance(inner, dict):
            return inner
    return record


def _submission(line_number: int, record: dict) -> tuple[str, list]:
    """A submission's key and what is kept of it; the first of a key is kept."""
    bare = _bare_id(line_number, record, SUBMISSION)
    return SUBMISSION + bare, [
        SUBMISSION_RECORD,
        single_spaced(html.unescape(record["title"])),
        paragraphs(html.unescape(_text(record.get("selftext")))),
        record.get("created_utc"),
        _text(record.get("author")).strip() or None,
        _submission_url(record, bare),
        _site(record),
        whole_number(record.get("score")),
    ]


def _comment(line_number: int, record: dict) -> tuple[str, str, list]:
    """A comment's thread, its key and what is kept of it; the first of a key is kept."""
    link = record.get("link_id")
    if not isinstance(link, str) or not link.strip():
        raise ReaderError(f"line {line_number}: a comment's 'link_id' must name its submission")
    link = link.strip()
    link_key = link if link.startswith(SUBMISSION) else SUBMISSION + link
    key = COMMENT + _bare_id(line_number, record, COMMENT)
    return link_key, key, [
        COMMENT_RECORD,
        key,
        _parent_key(record.get("parent_id"), link_key),
        _text(record.get("author")).strip() or ANONYMOUS,
        paragraphs(html.unescape(_text(record.get("body")))),
        record.get("created_utc"),
        whole_number(record.get("score")),
        _site(record),
    ]


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


def _build_article(thread: str, payloads: list[list]) -> Article:
    """A thread's article and comments in thread order; a stand-in article titled by the
    thread's name when its submission is not in the file."""
    found = [p for p in payloads if p[0] == SUBMISSION_RECORD]
    replies = [
        _Reply(key, parent, author, body, epoch_date(posted), votes)
        for _, key, parent, author, body, posted, votes, _ in (
            p for p in payloads if p[0] == COMMENT_RECORD
        )
    ]
    site = found[0][6] if found and found[0][6] else next((p[-1] for p in payloads if p[-1]), None)
    if found:
        _, title, body, posted, byline, url, _, votes = found[0]
        article = Article(title, body, epoch_date(posted), byline, url=url, key=thread, votes=votes)
    else:
        url = f"{REDDIT}/comments/{thread[len(SUBMISSION) :]}/"
        article = Article(f"Reddit thread {thread}", "", url=url, key=thread, stand_in=True)
    ordered = depth_first(
        replies,
        key=lambda reply: reply.key,
        parent=lambda reply: reply.parent,
        order=lambda reply: (
            reply.date is None,
            reply.date or datetime.min,
            len(reply.key),
            reply.key,
        ),
    )
    in_file = {reply.key for reply in replies}
    comments = tuple(
        Comment(
            author=reply.author,
            body=reply.body,
            position=position,
            date=reply.date,
            key=reply.key,
            parent=kept or (reply.parent if reply.parent not in in_file else None),
            votes=reply.votes,
        )
        for position, (reply, kept) in enumerate(ordered, start=1)
    )
    return replace(article, comments=comments, site=site, split_thread=True)


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
