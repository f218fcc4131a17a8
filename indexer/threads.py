"""A thread: an article and its comments, as the thread view shows them."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.documents import ARTICLE, Document
from indexer.engine import Engine


def document_json(doc: Document) -> dict:
    return {
        "id": doc.id,
        "kind": doc.kind,
        "author": doc.author or None,
        "date": doc.date.date().isoformat() if doc.date else None,
        "position": doc.position,
        "parent": doc.parent or None,
        "body": doc.body,
        "url": doc.url,
    }


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
            "date": article.date.date().isoformat() if article.date else None,
            "caption": article.caption or None,
            "body": article.body,
            "source": article.source,
            "url": article.url,
            "comments": [document_json(c) for c in self.comments],
        }


def get_thread(engine: Engine, article_id: str) -> Thread | None:
    """The thread of `article_id`, or None when the index has no such article."""
    documents = engine.thread(article_id)
    articles = [d for d in documents if d.kind == ARTICLE]
    if not articles:
        return None
    return Thread(article=articles[0], comments=[d for d in documents if d.kind != ARTICLE])
