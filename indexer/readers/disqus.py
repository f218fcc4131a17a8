"""Reader for Disqus comment exports: one article per discussed page, with its comments.

A Disqus export lists `<thread>`s (one per page of the site) and then `<post>`s,
each naming its thread, and the post it answers, by `dsq:id`. Deleted threads and
deleted or spam posts are dropped. A thread becomes an article only when there is
something to search in it: a kept post or a message of its own; Disqus creates a
thread for every page it was loaded on, so title-only threads are mostly noise.
Commenters' e-mail and IP addresses are never read; a name that is itself an
e-mail address is cut to the part before the "@".

Disqus writes dates in UTC ("2013-01-21T17:32:42Z"); they become naive UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from indexer.readers.files import ReaderError
from indexer.readers.markup import html_to_text
from indexer.readers.xml import (
    UNTITLED,
    CommentDraft,
    attribute,
    author_name,
    decode_xml,
    descendants,
    fields,
    local_name,
    machine_date,
    markup,
    parse_xml,
    root_name,
    text,
    thread_comments,
)
from indexer.records import Article

THREAD_FIELDS = frozenset({"link", "title", "message", "createdAt", "isDeleted"})
POST_FIELDS = frozenset(
    {"message", "createdAt", "isDeleted", "isSpam", "author", "thread", "parent"}
)
AUTHOR_FIELDS = frozenset({"name", "username"})


@dataclass
class _Thread:
    """A thread's own fields, and its posts as they are collected."""

    key: str | None
    own: dict[str, etree._Element]
    kept: list[CommentDraft] = field(default_factory=list)
    links: dict[str, str | None] = field(default_factory=dict)


def looks_like_disqus(head: bytes) -> bool:
    """Whether a file's first bytes open an XML document whose root is `<disqus>`."""
    return root_name(decode_xml(head)) == "disqus"


def parse_disqus(data: bytes) -> list[Article]:
    """One article per thread with a kept post or a message, in file order.

    :raise ReaderError: when the file has neither a thread nor a post.
    """
    root = parse_xml(data)
    if root is None:
        raise ReaderError("not a Disqus export: no XML could be read from it")
    elements = [element for element in descendants(root, "thread") if not _is_reference(element)]
    posts = list(descendants(root, "post"))
    if not elements and not posts:
        raise ReaderError("not a Disqus export: it has no <thread> and no <post>")
    threads: list[_Thread] = []
    by_id: dict[str, _Thread] = {}
    for element in elements:
        thread = _Thread(attribute(element, "id") or None, fields(element, THREAD_FIELDS))
        if _is_true(thread.own.get("isDeleted")):
            continue
        threads.append(thread)
        if thread.key is not None:
            by_id.setdefault(thread.key, thread)
    for order, post in enumerate(posts):
        _collect_post(post, order, by_id)
    return [article for thread in threads if (article := _article(thread)) is not None]


def _collect_post(element: etree._Element, order: int, threads: dict[str, _Thread]) -> None:
    """File a post under its thread: as a kept comment, or only as a link in reply chains.

    Posts whose thread is unknown or deleted are dropped.
    """
    found = fields(element, POST_FIELDS)
    thread = threads.get(attribute(found.get("thread"), "id"))
    if thread is None:
        return
    key = attribute(element, "id") or None
    if key is not None:
        thread.links.setdefault(key, attribute(found.get("parent"), "id") or None)
    if _is_true(found.get("isDeleted")) or _is_true(found.get("isSpam")):
        return
    thread.kept.append(
        CommentDraft(
            key=key,
            author=_author(found.get("author")),
            body=html_to_text(markup(found.get("message"))),
            date=machine_date(text(found.get("createdAt"))),
            order=order,
        )
    )


def _author(element: etree._Element | None) -> str:
    """The commenter's display name, else their username; never their e-mail address."""
    found = fields(element, AUTHOR_FIELDS) if element is not None else {}
    return author_name(text(found.get("name")) or text(found.get("username")))


def _article(thread: _Thread) -> Article | None:
    body = html_to_text(markup(thread.own.get("message")))
    if not thread.kept and not body:
        return None
    url = text(thread.own.get("link")) or None
    return Article(
        title=text(thread.own.get("title")) or url or UNTITLED,
        body=body,
        date=machine_date(text(thread.own.get("createdAt"))),
        url=url,
        key=thread.key or url,
        comments=thread_comments(thread.kept, thread.links),
    )


def _is_reference(element: etree._Element) -> bool:
    """A post's `<thread dsq:id=".."/>`, which names its thread rather than defining one."""
    parent = element.getparent()
    return parent is not None and local_name(parent.tag) == "post"


def _is_true(element: etree._Element | None) -> bool:
    return text(element).lower() == "true"
