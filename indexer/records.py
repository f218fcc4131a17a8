"""Plain records that every reader produces, whatever the input format.

Readers know nothing of the index: they turn a file into `Article` records, each
carrying its `Comment` records in thread order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Comment:
    """One reader comment, as posted.

    `date` is the comment's own date, or None when the source has none; it is never
    filled in from the article. `position` counts from 1 in thread order. `key` is
    the source's own identifier when it has one, and `parent` the key of the comment
    this one answers. `votes` is the score, recommendations or likes the source
    gives it, None where the source has none.
    """

    author: str
    body: str
    position: int
    date: datetime | None = None
    key: str | None = None
    parent: str | None = None
    votes: int | None = None


@dataclass(frozen=True)
class Article:
    """An article with its comment thread.

    `body` holds paragraphs separated by blank lines. `caption` is a photo caption
    printed with the article; `byline` the article's author when known. `key` is the
    source's own identifier (a URL or a post id) when it has one.
    `comment_markup` names how a saved page's comments were found (a markup
    family, or "record mining" for a page in no known markup); `comments_not_split`
    says why a comment section the page shows gave no comments. `site` names the
    publication (a domain, a blog's name, `r/NAME` for a subreddit), and `votes`
    is the article's score where the source has one.

    `split_thread` says that the thread may be spread over several files, as dumps
    published a month at a time spread it: the ids of its documents then come from
    the keys alone, the same in every file, and the index puts the parts together.
    `stand_in` marks an article made up for comments whose own article is not in
    the file; the real one takes its place when a file brings it.
    """

    title: str
    body: str
    date: datetime | None = None
    byline: str | None = None
    caption: str | None = None
    url: str | None = None
    key: str | None = None
    comments: tuple[Comment, ...] = field(default_factory=tuple)
    comment_markup: str | None = None
    comments_not_split: str | None = None
    site: str | None = None
    votes: int | None = None
    split_thread: bool = False
    stand_in: bool = False


def nothing_passed_over() -> str:
    return ""


@dataclass(frozen=True)
class FileContents:
    """A file's articles, and what it held that was passed over, in a sentence for the
    run's report (a web archive's revisits and other records), known once the articles
    are read."""

    articles: Iterable[Article]
    passed_over: Callable[[], str] = nothing_passed_over
