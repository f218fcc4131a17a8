"""Who answers whom: replies and quotes between commenters, as a graph."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from indexer.documents import COMMENT, Document, fold_author
from indexer.engines.base import Engine
from indexer.search import SearchRequest, export_documents

MAX_ARTICLES = 200  # an author's graph looks at most at this many threads


@dataclass(frozen=True)
class ReplyGraph:
    """Commenters as nodes; an edge from A to B counts A's replies to B and quotes of B."""

    nodes: list[tuple[str, int]]  # author, comments in the graph's threads
    edges: list[tuple[str, str, int, int]]  # from, to, replies, quotes

    def to_json(self) -> dict:
        return {
            "nodes": [{"author": name, "comments": count} for name, count in self.nodes],
            "edges": [
                {"from": a, "to": b, "replies": replies, "quotes": quotes}
                for a, b, replies, quotes in self.edges
            ],
        }


def graph_of(threads: list[list[Document]], focus: str | None = None) -> ReplyGraph:
    """The graph of some threads; with `focus`, only edges that touch that author."""
    comments = {doc.id: doc for thread in threads for doc in thread if doc.kind == COMMENT}
    replies: Counter = Counter()
    quotes: Counter = Counter()
    for doc in comments.values():
        targets = [(doc.parent, replies)] + [(quoted, quotes) for quoted in doc.quotes]
        for target_id, counter in targets:
            target = comments.get(target_id)
            if target is not None and target.author and doc.author:
                counter[(doc.author, target.author)] += 1
    pairs = sorted(set(replies) | set(quotes))
    if focus is not None:
        key = fold_author(focus)
        pairs = [pair for pair in pairs if key in (fold_author(pair[0]), fold_author(pair[1]))]
    in_graph = {name for pair in pairs for name in pair}
    if focus is not None:
        in_graph |= {doc.author for doc in comments.values() if fold_author(doc.author) == key}
    counts = Counter(doc.author for doc in comments.values() if doc.author in in_graph)
    return ReplyGraph(
        nodes=sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold())),
        edges=[(a, b, replies[(a, b)], quotes[(a, b)]) for a, b in pairs],
    )


def article_graph(engine: Engine, article_id: str) -> ReplyGraph:
    return graph_of([engine.snapshot().thread(article_id)])


def author_graph(engine: Engine, name: str) -> ReplyGraph:
    """Whom `name` answers and who answers them, over the threads they commented in."""
    _, documents = export_documents(engine, SearchRequest(authors=(name,), kinds=(COMMENT,)))
    article_ids = list(dict.fromkeys(doc.article_id for doc in documents))[:MAX_ARTICLES]
    snapshot = engine.snapshot()
    return graph_of([snapshot.thread(article_id) for article_id in article_ids], focus=name)
