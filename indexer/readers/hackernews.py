"""Hacker News items as the official API returns them, one JSON item a line.

Each item (https://github.com/HackerNews/API) has an integer `id` and a `type`:
stories, jobs and polls become articles on `news.ycombinator.com`; comments join
the article they are under, found by walking `parent` up through the comments they
answer; a poll's options (`pollopt`) are added to its body, one paragraph each with
its votes. Item ids are the keys of articles and comments alike.

`text` is HTML and becomes plain paragraphs; a link the site shortened for display
(`https://example.org/a/lo...`) is written out in full. A deleted item keeps its place with
`[deleted]` as body and author, so that the replies under it stay where they were.
A dead item (killed by flags or moderators) is kept with its text as written: an
archive keeps what was said, and the record has no field to mark it.

Comments are in thread order: replies after the comment they answer, siblings in
the order their parent's `kids` ranks them, as the site showed them, and any it does
not list by date, then id. Comments whose story is not in the file go to a
stand-in article titled "Hacker News item <id>", keyed by the id their parents lead
to. A line that is no item is refused, naming the line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from indexer.readers.dumps import depth_first, epoch_date
from indexer.readers.files import ReaderError
from indexer.readers.jsonl import UNREAD, first_object
from indexer.readers.lines import json_lines
from indexer.readers.markup import html_to_text
from indexer.readers.reddit import whole_number
from indexer.readers.threads import ThreadRecords, progress_of
from indexer.records import Article, Comment
from indexer.spacing import single_spaced

HN = "https://news.ycombinator.com"
SITE = "news.ycombinator.com"
ARTICLE_TYPES = frozenset({"story", "job", "poll"})
TYPES = ARTICLE_TYPES | {"comment", "pollopt"}
DELETED = "[deleted]"
DEAD_WITHOUT_TEXT = "[dead]"
ANONYMOUS = "Anonymous"
UNRANKED = float("inf")

_NUMERIC_ID = re.compile(rb'"id"\s*:\s*\d')
_ITEM_TYPE = re.compile(rb'"type"\s*:\s*"(?:story|comment|job|poll|pollopt)"')
_LINK = re.compile(r'<a\s[^>]*?href="([^"]*)"[^>]*>([^<]*)</a>', re.IGNORECASE)


@dataclass(slots=True)
class _Item:
    """The fields of an item line that the archive keeps, its text already plain; its
    `time` as the line gives it."""

    id: int
    type: str
    author: str
    text: str
    time: object
    title: str = ""
    url: str = ""
    score: int | None = None
    parent: int | None = None
    kids: list[int] = field(default_factory=list)
    parts: list[int] = field(default_factory=list)
    deleted: bool = False

    @property
    def date(self) -> datetime | None:
        return epoch_date(self.time)


def looks_like_hackernews(head: bytes) -> bool:
    """Whether the first line is a Hacker News item: a numeric `id` and an item `type`.

    A story's `kids` can make its line longer than `head`; then the field names are
    looked for in the part that is there.
    """
    found = first_object(head)
    if found is None:
        return False
    first, record = found
    if record is UNREAD:
        foreign = b'"kind"' in first or b'"subreddit"' in first
        listed = _ITEM_TYPE.search(first) or b'"kids"' in first
        return bool(_NUMERIC_ID.search(first) and listed and not foreign)
    return (
        isinstance(record, dict)
        and record.get("type") in TYPES
        and _item_id(record.get("id")) is not None
        and "kind" not in record
        and "subreddit" not in record
    )


def parse_hackernews(data: bytes) -> list[Article]:
    """Stories, jobs and polls with their comments, in the order their threads first appear.

    :raise ReaderError: naming the line that is no Hacker News item.
    """
    return list(read_hackernews(data))


def read_hackernews(source: bytes | BinaryIO) -> Iterator[Article]:
    """`parse_hackernews` over an open file, read a piece at a time: every line is read
    and checked before the first article comes, so a broken file gives none.

    Items wait for the end of the file in `ThreadRecords`, on disk once they are many,
    each under the thread its parents lead to so far; memory keeps only each comment's
    parent, to walk the chains. A comment read before its parent is gathered with its
    thread at the end."""
    parents: dict[int, int] = {}  # each comment's parent
    with ThreadRecords(progress=progress_of(source)) as kept:
        for line_number, record in json_lines(source):
            item = _read_item(line_number, record)
            if item.type == "comment":
                if item.id in parents:
                    continue  # an item fetched twice: the first is kept
                parents[item.id] = item.parent
            thread = item.id if item.type in ARTICLE_TYPES else _root(item.parent, parents)
            kept.add(str(thread), str(item.id), _payload(item))
        if not kept:
            raise ReaderError("no records: every line is blank")
        kept.regroup(lambda thread: str(_root(int(thread), parents)))
        for thread, payloads in kept.groups():
            yield _build_article(int(thread), [_Item(*payload) for payload in payloads])


def _root(start: int | None, parents: dict[int, int]) -> int:
    """The id a chain of parents leads to from `start`: its story's, or the first one
    not read as a comment (yet); a loop of parents (only a broken file has one) ends
    where it closes."""
    node, seen = start, set()
    while node in parents and node not in seen:
        seen.add(node)
        node = parents[node]
    return node


def _payload(item: _Item) -> list:
    return [getattr(item, name) for name in _Item.__slots__]


def _item_id(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 20:
        return int(value)
    return None


def _ids(value: object) -> list[int]:
    if not isinstance(value, list):
        return []
    return [found for entry in value if (found := _item_id(entry)) is not None]


def _read_item(line_number: int, record: dict) -> _Item:
    item_id = _item_id(record.get("id"))
    if item_id is None:
        raise ReaderError(f"line {line_number}: no numeric 'id'")
    kind = record.get("type")
    if kind not in TYPES:
        raise ReaderError(
            f"line {line_number}: 'type' must be one of story, comment, job, poll, pollopt"
        )
    parent = _item_id(record.get("parent"))
    if kind == "pollopt":
        parent = _item_id(record.get("poll")) or parent
        if parent is None:
            raise ReaderError(f"line {line_number}: a poll option needs its 'poll'")
    if kind == "comment" and parent is None:
        raise ReaderError(f"line {line_number}: a comment needs its 'parent'")
    deleted = record.get("deleted") is True
    text = html_to_text(_full_links(record["text"])) if isinstance(record.get("text"), str) else ""
    if deleted:
        text = DELETED
    elif not text and record.get("dead") is True:
        text = DEAD_WITHOUT_TEXT
    by = record.get("by")
    author = DELETED if deleted else (by.strip() if isinstance(by, str) else "") or ANONYMOUS
    title, url = record.get("title"), record.get("url")
    return _Item(
        id=item_id,
        type=kind,
        author=author,
        text=text,
        time=record.get("time"),
        title=single_spaced(title) if isinstance(title, str) else "",
        url=url.strip() if isinstance(url, str) else "",
        score=whole_number(record.get("score")),
        parent=parent,
        kids=_ids(record.get("kids")),
        parts=_ids(record.get("parts")),
        deleted=deleted,
    )


def _full_links(markup: str) -> str:
    """The text with each link HN shortened for display (`https://example.org/a/lo...`)
    written out in full, so that the whole address can be searched."""

    def written_out(link: re.Match[str]) -> str:
        address, shown = html.unescape(link[1]), html.unescape(link[2])
        if shown.endswith("...") and address.startswith(shown[:-3]):
            return html.escape(address, quote=False)
        return link[0]

    return _LINK.sub(written_out, markup) if "..." in markup else markup


def _build_article(root: int, items: list[_Item]) -> Article:
    """The thread of `root` from its items: the article's own, its comments and a poll's
    options; a stand-in article when the root's own item is not in the file."""
    comments = [item for item in items if item.type == "comment"]
    options = [item for item in items if item.type == "pollopt"]
    ranks = {(item.id, kid): rank for item in items for rank, kid in enumerate(item.kids)}
    ordered = depth_first(
        comments,
        key=lambda item: str(item.id),
        parent=lambda item: str(item.parent) if item.parent is not None else None,
        order=lambda item: (
            ranks.get((item.parent, item.id), UNRANKED),
            item.date is None,
            item.date or datetime.min,
            item.id,
        ),
    )
    thread = tuple(
        Comment(
            author=item.author,
            body=item.text,
            position=position,
            date=item.date,
            key=str(item.id),
            parent=parent,
            votes=item.score,
        )
        for position, (item, parent) in enumerate(ordered, start=1)
    )
    own = next((item for item in items if item.id == root and item.type in ARTICLE_TYPES), None)
    if own is None:
        return Article(
            title=f"Hacker News item {root}",
            body=_options(options, []),
            url=f"{HN}/item?id={root}",
            key=str(root),
            comments=thread,
            site=SITE,
        )
    body = "\n\n".join(part for part in (own.text, _options(options, own.parts)) if part)
    return Article(
        title=own.title or f"Hacker News item {root}",
        body=body,
        date=own.date,
        byline=own.author,
        url=own.url or f"{HN}/item?id={root}",
        key=str(root),
        comments=thread,
        site=SITE,
        votes=own.score,
    )


def _options(options: list[_Item], parts: list[int]) -> str:
    """A poll's options as paragraphs, in the poll's display order, each with its votes."""
    rank = {part: index for index, part in enumerate(parts)}
    ordered = sorted(options, key=lambda option: (rank.get(option.id, UNRANKED), option.id))
    return "\n\n".join(
        f"{option.text} ({option.score} point{'' if option.score == 1 else 's'})"
        if option.score is not None
        else option.text
        for option in ordered
    )
