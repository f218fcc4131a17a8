"""The thread view: an article, then its comments in order, and its JSON twin."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue

from indexer.documents import COMMENT, Document
from indexer.engine import Engine
from indexer.replies import ReplyGraph, article_graph
from indexer.search import SearchRequest, export_documents
from indexer.threads import Thread, get_thread
from webapp import basename
from webapp.archive import require_engine
from webapp.graphs import busiest_pairs, draw_graph

bp = Blueprint("threads", __name__)

WEB_SCHEMES = ("http", "https")


@bp.app_template_global()
def thread_link(doc: Document, query: str = "") -> str:
    """The thread page's address, anchored at the document when it is a comment; with
    `query`, the page marks the comments matching it."""
    path = url_for("threads.article", article_id=doc.article_id, q=query or None)
    return path + (f"#c{doc.position}" if doc.position else "")


def original_page(doc: Document) -> str | None:
    """The address the article was read from, when a reader can follow it: only a web
    address becomes a link, never a `javascript:` or `file:` one an archived page gave."""
    address = doc.source_url.strip()
    try:
        parts = urlsplit(address)
    except ValueError:
        return None
    return address if parts.scheme.lower() in WEB_SCHEMES and parts.netloc else None


def load_thread(engine: Engine, article_id: str) -> Thread:
    """The article's thread.

    :raise 404: when the index has no article with that id.
    """
    thread = get_thread(engine, article_id)
    if thread is None:
        abort(404, f"There is no article with the id {article_id!r} in the archive.")
    return thread


def matching_positions(engine: Engine, thread: Thread, query: str) -> list[int]:
    """The positions of this thread's comments that match the query, in thread order:
    read as an export, all at once and without snippets, however long the thread."""
    comments = SearchRequest(
        q=query, articles=(thread.article.article_id,), kinds=(COMMENT,), facets=()
    )
    _, found = export_documents(engine, comments, cap=len(thread.comments))
    return sorted(doc.position for doc in found)


def parent_of(comment: Document) -> tuple[str, ...]:
    return (comment.parent,) if comment.parent else ()


def quoted_in(comment: Document) -> tuple[str, ...]:
    return comment.quotes


def referrers(
    thread: Thread, pointers: Callable[[Document], Iterable[str]]
) -> dict[str, list[str]]:
    """Each comment's id to the ids of the comments pointing at it: the links read back."""
    found: dict[str, list[str]] = {}
    for comment in thread.comments:
        for target in pointers(comment):
            found.setdefault(target, []).append(comment.id)
    return found


def thread_json(thread: Thread) -> dict:
    """The library's thread with the site's links to it, each comment also naming the
    comments that answer or quote it; its source is the file's name alone, as the page
    shows it, not where the server keeps it."""
    answered_by, quoted_by = referrers(thread, parent_of), referrers(thread, quoted_in)
    data = thread.to_json()
    comments = data.pop("comments")
    data |= {"source": basename(data["source"]), "url": thread_link(thread.article)}
    data["comments"] = [
        {
            **entry,
            "url": thread_link(comment),
            "answered_by": answered_by.get(comment.id, []),
            "quoted_by": quoted_by.get(comment.id, []),
        }
        for comment, entry in zip(thread.comments, comments, strict=True)
    ]
    return data


def load_graph(engine: Engine, article_id: str) -> ReplyGraph:
    """Who answers whom in one thread.

    :raise 404: when the index has no article with that id.
    """
    load_thread(engine, article_id)
    return article_graph(engine, article_id)


@bp.route("/article/<article_id>")
def article(article_id: str) -> ResponseReturnValue:
    """The thread page; with `?q=` the comments matching the query are marked."""
    engine = require_engine()
    thread = load_thread(engine, article_id)
    query = request.args.get("q", "").strip()
    matches = matching_positions(engine, thread, query) if query else []
    graph = article_graph(engine, article_id)
    return render_template(
        "threads/article.html",
        thread=thread,
        original=original_page(thread.article),
        query=query,
        matches=matches,
        match_numbers={position: number for number, position in enumerate(matches)},
        positions={comment.id: comment.position for comment in thread.comments},
        answered_by=referrers(thread, parent_of),
        quoted_by=referrers(thread, quoted_in),
        drawing=draw_graph(graph) if graph.edges else None,
        pairs=busiest_pairs(graph),
    )


@bp.route("/api/article/<article_id>")
def api_article(article_id: str) -> ResponseReturnValue:
    """The thread as JSON, with `answered_by` and `quoted_by` beside each comment's links."""
    return jsonify(thread_json(load_thread(require_engine(), article_id)))


@bp.route("/api/article/<article_id>/graph")
def api_article_graph(article_id: str) -> ResponseReturnValue:
    """Who answers whom in the thread: `nodes` (author, comments), `edges` (from, to, counts)."""
    return jsonify(load_graph(require_engine(), article_id).to_json())
