"""The thread view: an article, then its comments in order, and its JSON twin."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from indexer.documents import COMMENT
from indexer.engine import Engine
from indexer.search import MAX_PER_PAGE, SearchRequest, search
from indexer.threads import Thread, get_thread
from webapp.archive import require_engine

bp = Blueprint("threads", __name__)


def load_thread(engine: Engine, article_id: str) -> Thread:
    """The article's thread.

    :raise 404: when the index has no article with that id.
    """
    thread = get_thread(engine, article_id)
    if thread is None:
        abort(404, f"There is no article with the id {article_id!r} in the archive.")
    return thread


def matching_positions(engine: Engine, article_id: str, query: str) -> list[int]:
    """The positions of this thread's comments that match the query, in thread order."""
    positions: list[int] = []
    page, page_count = 1, 1
    while page <= page_count:
        result = search(
            engine,
            SearchRequest(
                q=query, articles=(article_id,), kinds=(COMMENT,), per_page=MAX_PER_PAGE, page=page
            ),
        )
        positions += [hit.document.position for hit in result.hits]
        page, page_count = page + 1, result.page_count
    return sorted(positions)


def answers(thread: Thread) -> dict[str, list[int]]:
    """Each answered comment's id to the positions of the comments replying to it."""
    replies: dict[str, list[int]] = {}
    for comment in thread.comments:
        if comment.parent:
            replies.setdefault(comment.parent, []).append(comment.position)
    return replies


@bp.route("/article/<article_id>")
def article(article_id: str) -> ResponseReturnValue:
    """The thread page; with `?q=` the comments matching the query are marked."""
    engine = require_engine()
    thread = load_thread(engine, article_id)
    query = request.args.get("q", "").strip()
    matches = matching_positions(engine, article_id, query) if query else []
    return render_template(
        "threads/article.html",
        thread=thread,
        query=query,
        matches=matches,
        match_numbers={position: number for number, position in enumerate(matches)},
        positions={comment.id: comment.position for comment in thread.comments},
        answers=answers(thread),
    )


@bp.route("/api/article/<article_id>")
def api_article(article_id: str) -> ResponseReturnValue:
    """The thread as JSON."""
    return jsonify(load_thread(require_engine(), article_id).to_json())
