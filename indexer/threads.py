"""A thread: an article and its comments, as the thread view shows them."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.documents import ARTICLE, Document, iso_date
from indexer.engines.base import Engine


@dataclass(frozen=True)
class Thread:
    article: Document
    comments: list[Document]

    def to_json(self) -> dict:
        article = self.article
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
            "comments": [{**c.to_json(), "body": c.body} for c in self.comments],
        }


def get_thread(engine: Engine, article_id: str) -> Thread | None:
    """The thread of `article_id`, or None when the index has no such article."""
    documents = engine.snapshot().thread(article_id)
    articles = [d for d in documents if d.kind == ARTICLE]
    if not articles:
        return None
    return Thread(article=articles[0], comments=[d for d in documents if d.kind != ARTICLE])
