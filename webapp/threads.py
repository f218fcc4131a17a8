"""The thread view: an article, then its comments in order, and its JSON twin."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue

from indexer import COMMENT, Archive, Document, ReplyGraph, SearchRequest, Thread
from webapp import basename
from webapp.archive import require_archive
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


def load_thread(archive: Archive, article_id: str) -> Thread:
    """The article's thread.

    :raise 404: when the index has no article with that id.
    """
    thread = archive.thread(article_id)
    if thread is None:
        abort(404, f"There is no article with the id {article_id!r} in the archive.")
    return thread


def matching_positions(archive: Archive, thread: Thread, query: str) -> list[int]:
    """The positions of this thread's comments that match the query, in thread order:
    read as an export, all at once and without snippets, however long the thread."""
    comments = SearchRequest(
        q=query, articles=(thread.article.article_id,), kinds=(COMMENT,), facets=()
    )
    _, found = archive.export(comments, cap=len(thread.comments))
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


def load_graph(archive: Archive, article_id: str) -> ReplyGraph:
    """Who answers whom in one thread.

    :raise 404: when the index has no article with that id.
    """
    load_thread(archive, article_id)
    return archive.thread_graph(article_id)


@bp.route("/article/<article_id>")
def article(article_id: str) -> ResponseReturnValue:
    """The thread page; with `?q=` the comments matching the query are marked."""
    archive = require_archive()
    thread = load_thread(archive, article_id)
    query = request.args.get("q", "").strip()
    matches = matching_positions(archive, thread, query) if query else []
    graph = archive.thread_graph(article_id)
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
    return jsonify(thread_json(load_thread(require_archive(), article_id)))


@bp.route("/api/article/<article_id>/graph")
def api_article_graph(article_id: str) -> ResponseReturnValue:
    """Who answers whom in the thread: `nodes` (author, comments), `edges` (from, to, counts)."""
    return jsonify(load_graph(require_archive(), article_id).to_json())
