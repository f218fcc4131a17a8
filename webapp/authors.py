"""The author page: who they are in numbers, then their comments (searched and paged),
the articles they commented in (paged), a timeline chart and who answers whom."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import ClassVar

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue

from indexer import (
    COMMENT,
    Archive,
    AuthorProfile,
    FacetValue,
    InvalidRequest,
    MonthFacet,
    SearchRequest,
    SearchResult,
    fold_author,
)
from webapp.archive import require_archive
from webapp.graphs import busiest_pairs, draw_graph
from webapp.search import result_json
from webapp.state import SearchLinks, page_numbers, whole_number

bp = Blueprint("authors", __name__)

# The chart's drawing box; CSS scales it to the column.
CHART_WIDTH = 600
CHART_HEIGHT = 120
BAR_GAP = 0.2  # the share of each bar's slot left empty
MIN_BAR = 2  # a period with comments always shows, however tall the tallest
# What the JSON twin gives of the comment search: the page, not the facets.
COMMENTS_PAGE_KEYS = ("query", "total", "page", "per_page", "hits")
ARTICLES_PER_PAGE = 25


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    width: float
    height: float

    @property
    def y(self) -> float:
        return CHART_HEIGHT - self.height


@dataclass(frozen=True)
class Chart:
    """The timeline drawn as bars, one per period, in a CHART_WIDTH × CHART_HEIGHT box."""

    bars: list[Bar]
    unit: str  # "month" or "year"
    width: ClassVar[int] = CHART_WIDTH
    height: ClassVar[int] = CHART_HEIGHT

    @property
    def most(self) -> int:
        return max((bar.count for bar in self.bars), default=0)


def period_label(period: str) -> str:
    """A timeline period as a reader says it: "2012-03" is "March 2012", a year stays."""
    return MonthFacet("month").label(period, {}) if "-" in period else period


def timeline_chart(timeline: list[tuple[str, int]]) -> Chart:
    """Bars whose heights are the counts, the tallest filling the box."""
    most = max((count for _, count in timeline), default=0)
    slot = CHART_WIDTH / max(len(timeline), 1)
    bars = [
        Bar(
            label=period_label(period),
            count=count,
            x=round(index * slot + slot * BAR_GAP / 2, 2),
            width=round(slot * (1 - BAR_GAP), 2),
            height=round(max(CHART_HEIGHT * count / most, MIN_BAR), 2) if count else 0,
        )
        for index, (period, count) in enumerate(timeline)
    ]
    unit = "month" if timeline and "-" in timeline[0][0] else "year"
    return Chart(bars, unit)


def page_argument(name: str) -> int:
    """A page number from the query string, 1 when it is left out."""
    return whole_number(name, request.args[name]) if request.args.get(name) else 1


def comments_request(name: str) -> SearchRequest:
    """The author's comments, newest first, narrowed by the page's own `q`: an `author:`
    or `kind:` typed there cannot widen the page past this author's comments."""
    typed = SearchRequest(q=request.args.get("q", "").strip(), page=page_argument("page"))
    return replace(typed, authors=(name,), kinds=(COMMENT,), sort="newest")


@dataclass(frozen=True)
class ArticlesPage:
    """One page of the articles an author commented in, most of their comments first."""

    articles: list[FacetValue]
    total: int
    page: int

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / ARTICLES_PER_PAGE))

    @property
    def first_number(self) -> int:
        """The number the page's first article has in the whole list."""
        return (self.page - 1) * ARTICLES_PER_PAGE + 1

    def to_json(self) -> dict:
        return {
            "total": self.total,
            "page": self.page,
            "per_page": ARTICLES_PER_PAGE,
            "page_count": self.page_count,
            "articles": [
                {
                    "id": article.value,
                    "title": article.label,
                    "count": article.count,
                    "url": url_for("threads.article", article_id=article.value),
                }
                for article in self.articles
            ],
        }


def articles_page(archive: Archive, name: str) -> ArticlesPage:
    """The page of the author's articles that `articles_page` asks for: counted by the
    article facet over their comments, every value at once, and kept while the index
    is unchanged, so later pages cost a slice.

    :raise InvalidRequest: for a page number below 1.
    """
    page = page_argument("articles_page")
    if page < 1:
        raise InvalidRequest("The page number starts at 1.")
    comments = SearchRequest(authors=(name,), kinds=(COMMENT,), facets=("article",))
    values, total = archive.facet_values(comments, "article", limit=page * ARTICLES_PER_PAGE)
    return ArticlesPage(values[(page - 1) * ARTICLES_PER_PAGE :], total, page)


class ArticlesLinks(SearchLinks):
    """Links to the author page at another page of their articles, the rest kept."""

    def at_page(self, page: int) -> str:
        args = self.args.copy()
        args["articles_page"] = str(page)
        return self._url(args) + "#articles-heading"


def load_profile(archive: Archive, name: str) -> AuthorProfile:
    """The author's profile.

    :raise 404: when no comment in the archive is by `name` (in any case).
    """
    profile = archive.author(name)
    if profile is None:
        abort(404, f"No comment in the archive is by {name!r}.")
    return profile


def profile_and_pages(
    archive: Archive, name: str
) -> tuple[AuthorProfile, SearchResult, ArticlesPage]:
    """The author's profile, a page of their comments and a page of their articles."""
    profile = load_profile(archive, name)
    comments = archive.search(comments_request(profile.name))
    return profile, comments, articles_page(archive, profile.name)


def other_names(profile: AuthorProfile) -> list[FacetValue]:
    """The names the author signs with that are not their handle: "also signs as"."""
    own = fold_author(profile.name)
    return [value for value in profile.signs_as if fold_author(value.value) != own]


@bp.route("/author/<path:name>")
def author(name: str) -> ResponseReturnValue:
    """The author page; `q` searches their comments, `page` pages them and
    `articles_page` pages the articles they commented in."""
    archive = require_archive()
    profile, result, articles = profile_and_pages(archive, name)
    graph = archive.author_graph(profile.name)
    return render_template(
        "authors/author.html",
        profile=profile,
        signs_as=other_names(profile),
        chart=timeline_chart(profile.timeline),
        drawing=draw_graph(graph, centre=profile.name) if graph.edges else None,
        pairs=busiest_pairs(graph),
        result=result,
        author_query=result.request.q,
        links=SearchLinks(request.args, "authors.author", name=name),
        pages=page_numbers(result.request.page, result.page_count),
        articles=articles,
        articles_links=ArticlesLinks(request.args, "authors.author", name=name),
        article_pages=page_numbers(articles.page, articles.page_count),
    )


@bp.route("/api/author/<path:name>")
def api_author(name: str) -> ResponseReturnValue:
    """The profile as JSON, with the pages of comments and of articles the author page
    shows (`page`, `q` and `articles_page` as there)."""
    profile, result, articles = profile_and_pages(require_archive(), name)
    comments_page = result_json(result, COMMENTS_PAGE_KEYS) | {"page_count": result.page_count}
    return jsonify(
        {**profile.to_json(), "comments_page": comments_page, "articles_page": articles.to_json()}
    )


@bp.route("/api/author/<path:name>/graph")
def api_author_graph(name: str) -> ResponseReturnValue:
    """Whom the author answers and who answers them, over the threads they commented in."""
    archive = require_archive()
    return jsonify(archive.author_graph(load_profile(archive, name).name).to_json())
