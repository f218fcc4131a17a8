"""A thread: an article and its comments, as the thread view shows them.

Long threads are read a page at a time. A page holds a fixed run of positions
(`Thread.per_page` of them), so whoever links to a comment knows its page from
the comment's position alone, without reading the thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from indexer.documents import ARTICLE, Document, iso_date
from indexer.engines.base import Engine
from indexer.split_threads import stand_in_for


@dataclass(frozen=True)
class Thread:
    article: Document
    comments: list[Document]
    per_page: ClassVar[int] = 100

    @staticmethod
    def page_of(position: int) -> int:
        """The page of a thread that holds the comment at `position`."""
        return max(position - 1, 0) // Thread.per_page + 1

    @property
    def page_count(self) -> int:
        """Pages of comments; a thread without comments still has its one page."""
        return self.page_of(max((comment.position for comment in self.comments), default=1))

    def page(self, number: int) -> list[Document]:
        """The comments on page `number`, in thread order."""
        return [c for c in self.comments if self.page_of(c.position) == number]

    @cached_property
    def levels(self) -> dict[str, int]:
        """Each comment's id to how deep it sits: 1 answers the article, 2 answers a
        level-1 comment, and so on. Replies follow the comment they answer, so a comment
        whose parent is not earlier in the thread (or not in it) is taken as level 1."""
        levels: dict[str, int] = {}
        for comment in self.comments:
            levels[comment.id] = levels.get(comment.parent, 0) + 1
        return levels

    def to_json(self, page: int | None = None) -> dict:
        """The thread as JSON: every comment, or with `page` only that page's; either
        way `comment_count` and `page_count` are the whole thread's."""
        article = self.article
        comments = self.comments if page is None else self.page(page)
        return {
            "id": article.id,
            "title": article.article_title,
            "byline": article.author or None,
            "date": iso_date(article.date),
            "caption": article.caption or None,
            "body": article.body,
            "source": article.source,
            "source_url": article.source_url or None,
            "stand_in": article.stand_in,
            "comment_count": len(self.comments),
            "page": page,
            "page_count": self.page_count,
            "per_page": self.per_page,
            "comments": [
                {**c.to_json(), "body": c.body, "level": self.levels[c.id]} for c in comments
            ],
        }


def get_thread(engine: Engine, article_id: str) -> Thread | None:
    """The thread of `article_id`, or None when the index has none of it. Comments whose
    article has gone (its file removed, theirs kept) read under a stand-in for it."""
    documents = engine.snapshot().thread(article_id)
    articles = [d for d in documents if d.kind == ARTICLE]
    comments = [d for d in documents if d.kind != ARTICLE]
    if not articles and not comments:
        return None
    return Thread(article=articles[0] if articles else stand_in_for(comments[0]), comments=comments)
