"""Reader for WordPress exports (WXR 1.0 to 1.2): published posts and pages with their comments.

A WXR file is RSS whose `<item>`s carry `wp:` elements: the post's type and status,
and its comments with their approval, type and parent. Only what readers saw is
indexed: published posts and pages, approved reader comments (no pingbacks or
trackbacks). Commenters' e-mail, IP and URL fields are never read.

Dates are naive: `wp:post_date` and `wp:comment_date` are the site's local time as
printed on its pages and are kept as written; the RSS `pubDate`, used only when a
post has no `wp:post_date`, carries a zone and is converted to UTC.

`read_wxr` reads an open file a piece at a time, whatever its size (`parse_wxr` is it
over bytes): each post is given as its `<item>` closes, and let go.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from indexer.readers.files import ReaderError
from indexer.readers.markup import html_to_text
from indexer.readers.xml import (
    UNTITLED,
    CommentDraft,
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

INDEXED_POST_TYPES = frozenset({"post", "page"})
READER_COMMENT_TYPES = frozenset({"", "comment"})
ITEM_FIELDS = frozenset(
    {"title", "link", "guid", "pubDate", "creator", "post_id", "post_date", "status", "post_type"}
)
COMMENT_FIELDS = frozenset(
    {
        "comment_id",
        "comment_author",
        "comment_date",
        "comment_content",
        "comment_approved",
        "comment_type",
        "comment_parent",
    }
)

_WXR_NAMESPACE = re.compile(r"wordpress\.org/export/\d")


def looks_like_wxr(head: bytes) -> bool:
    """Whether a file's first bytes open an RSS document declaring a WordPress export namespace."""
    sniffed = decode_xml(head)
    return root_name(sniffed) == "rss" and bool(_WXR_NAMESPACE.search(sniffed))


def parse_wxr(data: bytes) -> list[Article]:
    """The published posts and pages of a WordPress export, in file order, with their comments.

    A damaged or truncated file yields whatever items survive in it.

    :raise ReaderError: when the file holds no RSS channel and no item at all.
    """
    return list(read_wxr(io.BytesIO(data)))


def read_wxr(source: BinaryIO, chunk_bytes: int | None = None) -> Iterator[Article]:
    """`parse_wxr` over an open file, read `chunk_bytes` at a time: each post is given as
    its item closes, so memory holds one item at a time. A file cut short gives the
    items before the cut, and the one it cuts as far as it goes.

    :raise ReaderError: as `parse_wxr`, before any article is given.
    """
    channel = False

    def is_item(name: str, element: etree._Element) -> bool:
        nonlocal channel
        channel = channel or name == "channel"
        return name == "item"

    items = 0
    for item in xml_records(source, is_item, "not a WordPress export", chunk_bytes):
        items += 1
        if (article := _article(item)) is not None:
            yield article
    if not items and not channel:
        raise ReaderError("not a WordPress export: it has no RSS channel and no items")


def _article(item: etree._Element) -> Article | None:
    found = fields(item, ITEM_FIELDS)
    if text(found.get("post_type")) not in INDEXED_POST_TYPES:
        return None
    if text(found.get("status")) != "publish":
        return None
    url = text(found.get("link")) or None
    key = text(found.get("guid")) or url or text(found.get("post_id")) or None
    date = machine_date(text(found.get("post_date"))) or machine_date(text(found.get("pubDate")))
    body = next((child for child in item if _is_post_content(child)), None)
    return Article(
        title=text(found.get("title")) or url or UNTITLED,
        body=html_to_text(markup(body)),
        date=date,
        byline=text(found.get("creator")) or None,
        url=url,
        key=key,
        comments=_comments(item),
    )


def _is_post_content(element: etree._Element) -> bool:
    """`content:encoded`, told apart from `excerpt:encoded` by its namespace or prefix."""
    return local_name(element.tag) == "encoded" and "excerpt" not in element.tag


def _comments(item: etree._Element) -> tuple[Comment, ...]:
    kept: list[CommentDraft] = []
    links: dict[str, str | None] = {}
    for order, element in enumerate(c for c in item if local_name(c.tag) == "comment"):
        found = fields(element, COMMENT_FIELDS)
        key = text(found.get("comment_id")) or None
        parent = text(found.get("comment_parent"))
        if key is not None:
            links.setdefault(key, parent if parent not in ("", "0") else None)
        if (
            text(found.get("comment_approved")) != "1"
            or text(found.get("comment_type")) not in READER_COMMENT_TYPES
        ):
            continue
        kept.append(
            CommentDraft(
                key=key,
                author=author_name(text(found.get("comment_author"))),
                body=html_to_text(markup(found.get("comment_content"))),
                date=machine_date(text(found.get("comment_date"))),
                order=order,
            )
        )
    return thread_comments(kept, links)
