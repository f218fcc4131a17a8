"""Reader for Disqus comment exports: one article per discussed page, with its comments.

A Disqus export lists `<thread>`s (one per page of the site) and then `<post>`s,
each naming its thread, and the post it answers, by `dsq:id`. Deleted threads and
deleted or spam posts are dropped. A thread becomes an article only when there is
something to search in it: a kept post or a message of its own; Disqus creates a
thread for every page it was loaded on, so title-only threads are mostly noise.
Commenters' e-mail and IP addresses are never read; a name that is itself an
e-mail address is cut to the part before the "@".

Disqus writes dates in UTC ("2013-01-21T17:32:42Z"); they become naive UTC datetimes.

`read_disqus` reads an open file a piece at a time, whatever its size (`parse_disqus`
is it over bytes). A post may come anywhere, before or after its thread, so no thread
is whole before the end of the file: threads and posts wait for it in `ThreadRecords`,
on disk once they are many, and the articles come once the file is read.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from typing import BinaryIO

from lxml import etree

from indexer.readers.files import ReaderError
from indexer.readers.markup import html_to_text
from indexer.readers.threads import ThreadRecords, progress_of
from indexer.readers.xml import (
    UNTITLED,
    CommentDraft,
    attribute,
    author_name,
    decode_xml,
    fields,
    local_name,
    machine_date,
    markup,
    root_name,
    text,
    thread_comments,
    xml_records,
)
from indexer.records import Article, Comment

THREAD_FIELDS = frozenset({"link", "title", "message", "createdAt", "isDeleted"})
POST_FIELDS = frozenset(
    {"message", "createdAt", "isDeleted", "isSpam", "author", "thread", "parent"}
)
AUTHOR_FIELDS = frozenset({"name", "username"})


def looks_like_disqus(head: bytes) -> bool:
    """Whether a file's first bytes open an XML document whose root is `<disqus>`."""
    return root_name(decode_xml(head)) == "disqus"


def parse_disqus(data: bytes) -> list[Article]:
    """One article per thread with a kept post or a message, in file order.

    :raise ReaderError: when the file has neither a thread nor a post.
    """
    return list(read_disqus(io.BytesIO(data)))


def read_disqus(source: BinaryIO, chunk_bytes: int | None = None) -> Iterator[Article]:
    """`parse_disqus` over an open file, read `chunk_bytes` at a time. Each thread and
    post is kept as read (a post under the `dsq:id` of the thread it names, whether or
    not that thread has come yet); once the file is read, each thread takes the posts
    filed under its id, the first thread of an id that is not deleted taking them all.

    :raise ReaderError: as `parse_disqus`, before any article is given.
    """
    with ThreadRecords() as threads, ThreadRecords(progress=progress_of(source)) as posts:
        seen = order = 0
        for element in xml_records(source, _is_record, "not a Disqus export", chunk_bytes):
            if local_name(element.tag) == "post":
                _keep_post(element, order, posts)
                order += 1
                continue
            seen += 1
            if (thread := _thread(element)) is not None:
                threads.add(str(seen), "", thread)
        if not seen and not order:
            raise ReaderError("not a Disqus export: it has no <thread> and no <post>")
        for _, [(key, title, url, body, date)] in threads.groups():
            comments = _comments(posts.pop(key)) if key is not None else ()
            if not comments and not body:
                continue
            yield Article(
                title=title,
                body=body,
                date=_date(date),
                url=url,
                key=key or url,
                comments=comments,
            )


def _is_record(name: str, element: etree._Element) -> bool:
    return name == "post" or (name == "thread" and not _is_reference(element))


def _thread(element: etree._Element) -> list | None:
    """What an article needs of a thread that is not deleted: its id, title, address,
    message and date."""
    own = fields(element, THREAD_FIELDS)
    if _is_true(own.get("isDeleted")):
        return None
    url = text(own.get("link")) or None
    return [
        attribute(element, "id") or None,
        text(own.get("title")) or url or UNTITLED,
        url,
        html_to_text(markup(own.get("message"))),
        _iso(machine_date(text(own.get("createdAt")))),
    ]


def _keep_post(element: etree._Element, order: int, posts: ThreadRecords) -> None:
    """File a post under the thread it names: as a comment, or, deleted or spam, only as
    a link in reply chains. A post that names no thread is dropped."""
    found = fields(element, POST_FIELDS)
    thread = attribute(found.get("thread"), "id")
    key = attribute(element, "id") or None
    if not thread:
        return
    link: list = [order, key, attribute(found.get("parent"), "id") or None]
    if _is_true(found.get("isDeleted")) or _is_true(found.get("isSpam")):
        if key is not None:
            posts.add(thread, str(order), link)
        return
    body = html_to_text(markup(found.get("message")))
    date = _iso(machine_date(text(found.get("createdAt"))))
    posts.add(thread, str(order), [*link, _author(found.get("author")), body, date])


def _comments(posts: list[list]) -> tuple[Comment, ...]:
    """A thread's comments from its posts, in the order they were read: each post's link
    to its parent, and the posts kept."""
    kept: list[CommentDraft] = []
    links: dict[str, str | None] = {}
    for order, key, parent, *post in posts:
        if key is not None:
            links.setdefault(key, parent)
        if post:
            author, body, date = post
            kept.append(CommentDraft(key, author, body, _date(date), order))
    return thread_comments(kept, links)


def _author(element: etree._Element | None) -> str:
    """The commenter's display name, else their username; never their e-mail address."""
    found = fields(element, AUTHOR_FIELDS) if element is not None else {}
    return author_name(text(found.get("name")) or text(found.get("username")))


def _is_reference(element: etree._Element) -> bool:
    """A post's `<thread dsq:id=".."/>`, which names its thread rather than defining one."""
    parent = element.getparent()
    return parent is not None and local_name(parent.tag) == "post"


def _is_true(element: etree._Element | None) -> bool:
    return text(element).lower() == "true"


def _iso(date: datetime | None) -> str | None:
    return date.isoformat() if date is not None else None


def _date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None
