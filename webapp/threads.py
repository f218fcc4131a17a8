"""The thread view: an article, then its comments a page at a time, and its JSON twin.

Comments show in thread order, replies under the comment they answer. Levels 1 and 2
show; deeper replies fold under their level-2 ancestor behind "N more replies". A
link to a comment (`?comment=7#c7`) opens the page that holds it with the fold on the
way to it open, so every link to a comment works without script.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from itertools import groupby
from urllib.parse import urlsplit

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue

from indexer import COMMENT, Archive, Document, ReplyGraph, SearchRequest, Thread
from webapp import basename
from webapp.archive import require_archive
from webapp.graphs import busiest_pairs, draw_graph
from webapp.state import page_numbers, whole_number

bp = Blueprint("threads", __name__)

WEB_SCHEMES = ("http", "https")
SHOWN_LEVELS = 2  # replies deeper than this fold under their ancestor at this level


def comment_link(article_id: str, position: int, query: str = "") -> str:
    """The address of one comment: the page holding it, with the folds on the way to it
    open, scrolled to it; with `query`, the page marks the comments matching it."""
    path = url_for("threads.article", article_id=article_id, q=query or None, comment=position)
    return f"{path}#c{position}"


@bp.app_template_global()
def thread_link(doc: Document, query: str = "") -> str:
    """The thread page's address, at the document when it is a comment: its position
    alone says which page and fold hold it, so hits link without reading the thread."""
    if doc.position:
        return comment_link(doc.article_id, doc.position, query)
    return url_for("threads.article", article_id=doc.article_id, q=query or None)


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


@dataclass
class Branch:
    """A comment shown at its level, the replies shown under it, and the deeper replies
    folded under it. A branch is `continued` when it answers a comment on an earlier
    page; `comment` is None for deeper replies whose level-2 ancestor is on an earlier
    page, and `continues` is then that ancestor's position."""

    comment: Document | None
    continued: bool = False
    continues: int = 0
    replies: list[Branch] = field(default_factory=list)
    folded: list[Document] = field(default_factory=list)
    open: bool = False


@dataclass(frozen=True)
class ThreadPage:
    """One page of a thread as branches, and the comments on it that show unopened."""

    number: int
    comments: list[Document]
    branches: list[Branch]
    shown: frozenset[int]


def fold_holders(thread: Thread) -> dict[str, str]:
    """Each comment deeper than SHOWN_LEVELS to its ancestor at that level, whose fold
    holds it; a comment at that level holds its own fold."""
    holders: dict[str, str] = {}
    for comment in thread.comments:
        level = thread.levels[comment.id]
        if level == SHOWN_LEVELS:
            holders[comment.id] = comment.id
        elif level > SHOWN_LEVELS:
            holders[comment.id] = holders[comment.parent]
    return holders


def thread_page(thread: Thread, number: int, opening: Collection[int]) -> ThreadPage:
    """Page `number` as branches; the folds holding a position in `opening` are open."""
    comments = thread.page(number)
    holders = fold_holders(thread)
    positions = {comment.id: comment.position for comment in thread.comments}
    branches: dict[str, Branch] = {}
    roots: list[Branch] = []
    for comment in comments:
        level = thread.levels[comment.id]
        if level <= SHOWN_LEVELS:
            parent = branches.get(comment.parent)
            branch = branches[comment.id] = Branch(comment, continued=level > 1 and not parent)
            (parent.replies if parent else roots).append(branch)
            continue
        holder = holders[comment.id]
        if holder not in branches:
            branches[holder] = Branch(None, continued=True, continues=positions[holder])
            roots.append(branches[holder])
        branches[holder].folded.append(comment)
        branches[holder].open |= comment.position in opening
    hidden = {c.position for b in branches.values() if not b.open for c in b.folded}
    shown = frozenset(comment.position for comment in comments) - hidden
    return ThreadPage(number, comments, roots, shown)


class ThreadLinks:
    """Links from one page of a thread, keeping its query: a comment shown on the page
    is its anchor alone; one on another page or behind a closed fold is the address
    that opens the way to it."""

    def __init__(self, article_id: str, query: str, shown: Collection[int]) -> None:
        self.article_id = article_id
        self.query = query
        self.shown = shown

    def comment(self, position: int) -> str:
        if position in self.shown:
            return f"#c{position}"
        return comment_link(self.article_id, position, self.query)

    def at_page(self, number: int) -> str:
        return url_for(
            "threads.article", article_id=self.article_id, q=self.query or None, page=number
        )


@dataclass(frozen=True)
class ThreadView:
    """What the query string asks of a thread: its page, with the folds open on the way
    to the comment it names, and the comments matching its `q`."""

    thread: Thread
    query: str
    matches: list[int]
    page: ThreadPage

    @property
    def links(self) -> ThreadLinks:
        return ThreadLinks(self.thread.article.article_id, self.query, self.page.shown)

    @property
    def matches_here(self) -> list[int]:
        return [p for p in self.matches if Thread.page_of(p) == self.page.number]

    @property
    def matches_elsewhere(self) -> list[tuple[int, list[int]]]:
        """The other pages holding matches, each with its matches' positions."""
        by_page = groupby(self.matches, key=Thread.page_of)
        return [(number, list(found)) for number, found in by_page if number != self.page.number]


def requested_comment(thread: Thread) -> int | None:
    """The position `?comment=` asks for, if any.

    :raise 404: when the thread has no comment there.
    """
    text = request.args.get("comment", "").strip()
    if not text:
        return None
    position = whole_number("comment", text)
    if position not in {comment.position for comment in thread.comments}:
        count = len(thread.comments)
        abort(404, f"This thread has no comment #{position}: it has {count} comments.")
    return position


def requested_page(thread: Thread, target: int | None) -> int:
    """The page `?page=` asks for, else the one holding the comment asked for, else 1.

    :raise 404: when the thread has no such page.
    """
    text = request.args.get("page", "").strip()
    if not text:
        return Thread.page_of(target) if target else 1
    number = whole_number("page", text)
    if not 1 <= number <= thread.page_count:
        last = thread.page_count
        pages = "one page" if last == 1 else f"{last} pages, 1 to {last}"
        abort(404, f"This thread has no page {number}: its comments fill {pages}.")
    return number


def read_thread_view(archive: Archive, article_id: str) -> ThreadView:
    """The page of the thread the query string asks for."""
    thread = load_thread(archive, article_id)
    query = request.args.get("q", "").strip()
    target = requested_comment(thread)
    matches = matching_positions(archive, thread, query) if query else []
    opening = {*matches, *([target] if target else [])}
    page = thread_page(thread, requested_page(thread, target), opening)
    return ThreadView(thread, query, matches, page)


def thread_json(view: ThreadView) -> dict:
    """The library's page of the thread with the site's links to it, each comment also
    naming the comments that answer or quote it and whether it sits in a fold; its
    source is the file's name alone, as the page shows it, not where the server keeps
    it. With a query, `matches` gives every matching comment's page and address."""
    thread, article_id = view.thread, view.thread.article.article_id
    answered_by, quoted_by = referrers(thread, parent_of), referrers(thread, quoted_in)
    data = thread.to_json(view.page.number)
    comments = data.pop("comments")
    data |= {"source": basename(data["source"]), "url": thread_link(thread.article)}
    data["comments"] = [
        {
            **entry,
            "url": thread_link(comment),
            "answered_by": answered_by.get(comment.id, []),
            "quoted_by": quoted_by.get(comment.id, []),
            "folded": entry["level"] > SHOWN_LEVELS,
        }
        for comment, entry in zip(view.page.comments, comments, strict=True)
    ]
    if view.query:
        data["query"] = view.query
        data["matches"] = [
            {
                "position": position,
                "page": Thread.page_of(position),
                "url": comment_link(article_id, position, view.query),
            }
            for position in view.matches
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
    """The thread page: `page` pages its comments, `comment` opens the way to one, and
    `q` marks the comments matching the query."""
    archive = require_archive()
    view = read_thread_view(archive, article_id)
    thread = view.thread
    graph = archive.thread_graph(article_id)
    return render_template(
        "threads/article.html",
        view=view,
        thread=thread,
        page=view.page,
        links=view.links,
        original=original_page(thread.article),
        query=view.query,
        matches=view.matches,
        match_numbers={position: number for number, position in enumerate(view.matches)},
        positions={comment.id: comment.position for comment in thread.comments},
        answered_by=referrers(thread, parent_of),
        quoted_by=referrers(thread, quoted_in),
        pages=page_numbers(view.page.number, thread.page_count),
        drawing=draw_graph(graph) if graph.edges else None,
        pairs=busiest_pairs(graph),
    )


@bp.route("/api/article/<article_id>")
def api_article(article_id: str) -> ResponseReturnValue:
    """A page of the thread as JSON, taking the page's `page`, `comment` and `q`: each
    comment with its `level`, `folded`, `answered_by` and `quoted_by` beside its links."""
    return jsonify(thread_json(read_thread_view(require_archive(), article_id)))


@bp.route("/api/article/<article_id>/graph")
def api_article_graph(article_id: str) -> ResponseReturnValue:
    """Who answers whom in the thread: `nodes` (author, comments), `edges` (from, to, counts)."""
    return jsonify(load_graph(require_archive(), article_id).to_json())
