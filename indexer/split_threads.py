"""Threads spread over several files, put together once their files are indexed.

Dumps published a month at a time spread a thread over files: a month's submissions
in one file, its comments in another, and the comments of later months in later ones.
Each file's part of a split thread is indexed under the same ids (readers make them
from the source's keys), with a stand-in article where the file lacks the real one.
Joining a thread leaves one article, the real one over any stand-in, and numbers
every comment of every part in one thread order, under the article's title.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import datetime

from indexer.documents import ARTICLE, Document
from indexer.engines.base import Store
from indexer.readers.dumps import depth_first

ARTICLES_AT_ONCE = 500


def join_split_threads(store: Store, article_ids: Collection[str]) -> int:
    """Join the split threads of these articles, rewriting only the documents that
    change; a few hundred threads are read and written at a time.

    :return: how many documents were rewritten.
    """
    ordered = sorted(article_ids)
    rewritten = 0
    for start in range(0, len(ordered), ARTICLES_AT_ONCE):
        threads: dict[str, list[Document]] = {}
        for doc in store.article_documents(ordered[start : start + ARTICLES_AT_ONCE]):
            threads.setdefault(doc.article_id, []).append(doc)
        changed: dict[str, list[Document]] = {}
        for parts in threads.values():
            for doc in changed_documents(parts):
                changed.setdefault(doc.source, []).append(doc)
        if changed:
            store.replace_sources(changed, appended=set(changed))
            rewritten += sum(map(len, changed.values()))
    return rewritten


def changed_documents(parts: list[Document]) -> list[Document]:
    """The documents to write so that the parts read as one thread: each that differs
    from what is stored, and each whose id more than one file holds."""
    held = {doc.id: sum(1 for other in parts if other.id == doc.id) for doc in parts}
    return [doc for doc in joined(parts) if doc not in parts or held[doc.id] > 1]


def joined(parts: Iterable[Document]) -> list[Document]:
    """One thread from its parts: the article (the real one, else a stand-in made from
    the comments), then the comments in thread order, numbered from 1."""
    by_id: dict[str, Document] = {}
    for doc in sorted(parts, key=lambda doc: (doc.stand_in, doc.source)):
        by_id.setdefault(doc.id, doc)
    articles = [doc for doc in by_id.values() if doc.kind == ARTICLE]
    comments = [doc for doc in by_id.values() if doc.kind != ARTICLE]
    if not comments:
        return articles
    article = articles[0] if articles else stand_in_for(comments[0])
    in_order = depth_first(
        comments,
        key=lambda doc: doc.id,
        parent=lambda doc: doc.parent or None,
        order=lambda doc: (doc.date is None, doc.date or datetime.min, len(doc.id), doc.id),
    )
    total = len(in_order)
    authors = {doc.id: doc.author for doc in comments}
    answering = Counter(doc.parent or doc.article_id for doc in comments)
    return [
        replace(article, thread_length=total, replies=answering[article.id]),
        *(
            replace(
                doc,
                position=position,
                thread_length=total,
                article_title=article.article_title,
                article_date=article.date,
                source_url=article.source_url,
                site=doc.site or article.site,
                replies=answering[doc.id],
                parent_author=authors.get(doc.parent, ""),
            )
            for position, (doc, _) in enumerate(in_order, start=1)
        ),
    ]


def stand_in_for(comment: Document) -> Document:
    """The article of a thread whose comments alone are left: the file that held the
    article has gone, and its title is the one its comments were given."""
    return Document(
        id=comment.article_id,
        kind=ARTICLE,
        article_id=comment.article_id,
        article_title=comment.article_title,
        author="",
        date=None,
        article_date=None,
        position=0,
        body="",
        source_url=comment.source_url,
        source=comment.source,
        site=comment.site,
        stand_in=True,
    )
