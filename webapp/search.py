"""The search page and its JSON twin, both computed from the query string alone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from indexer.documents import fold_author
from indexer.facets import FacetValue
from indexer.search import SORTS, InvalidRequest, SearchRequest, SearchResult, search
from webapp.archive import build_command, get_engine, require_engine

bp = Blueprint("search", __name__)

# The filter arguments, in the order the facet column shows them.
FILTER_TITLES = {"kind": "Kind", "author": "Author", "year": "Year", "article": "Article"}
# Values that choose the same thing: an author whatever the case, a year however written.
SAME_CHOICE = {"author": fold_author, "year": int}
# Facets longer than this show their first values and fold the rest under "more…".
FACET_SHOWN = 10
# Page links either side of the current page before the list is cut with a gap.
PAGE_WINDOW = 2


def whole_number(name: str, text: str) -> int:
    """A query-string number, refused with a message when it is not digits."""
    if not re.fullmatch(r"[0-9]{1,9}", text):
        raise InvalidRequest(f"{name!r} must be a whole number of up to 9 digits, not {text!r}.")
    return int(text)


def filter_values(args: MultiDict[str, str], name: str) -> tuple[str, ...]:
    """The values chosen for one filter; an empty box in a form chooses nothing."""
    return tuple(value for value in args.getlist(name) if value.strip())


def request_from_args(args: MultiDict[str, str]) -> SearchRequest:
    """The query string as a SearchRequest; a bad value raises InvalidRequest (a 400)."""
    options: dict = {
        name: whole_number(name, args[name]) for name in ("page", "per_page") if args.get(name)
    }
    if args.get("sort"):
        options["sort"] = args["sort"]
    return SearchRequest(
        q=args.get("q", "").strip(),
        authors=filter_values(args, "author"),
        kinds=filter_values(args, "kind"),
        articles=filter_values(args, "article"),
        years=tuple(whole_number("year", year) for year in filter_values(args, "year")),
        **options,
    )


class SearchLinks:
    """Links to the current search with one thing changed, as in Datasette.

    The query string is the page's whole state, so every control is a link built
    from it. Changing a filter or the sort goes back to the first page.
    """

    def __init__(self, args: MultiDict[str, str]) -> None:
        self.args = args

    def _url(self, args: MultiDict[str, str], endpoint: str = "search.index") -> str:
        pairs = [(name, value) for name, value in args.items(multi=True) if value]
        return url_for(endpoint) + ("?" + urlencode(pairs) if pairs else "")

    def _first_page(self) -> MultiDict[str, str]:
        args = self.args.copy()
        args.pop("page", None)
        return args

    def adding(self, name: str, value: str) -> str:
        args = self._first_page()
        args.add(name, value)
        return self._url(args)

    def removing(self, name: str, value: str) -> str:
        args = self._first_page()
        same = SAME_CHOICE.get(name, str)
        args.setlist(name, [v for v in filter_values(args, name) if same(v) != same(value)])
        return self._url(args)

    def toggling(self, name: str, facet_value: FacetValue) -> str:
        change = self.removing if facet_value.selected else self.adding
        return change(name, facet_value.value)

    def without_filters(self) -> str:
        args = self._first_page()
        for name in FILTER_TITLES:
            args.poplist(name)
        return self._url(args)

    def sorted_by(self, sort: str) -> str:
        args = self._first_page()
        args["sort"] = sort
        return self._url(args)

    def at_page(self, page: int) -> str:
        args = self.args.copy()
        args["page"] = str(page)
        return self._url(args)

    def as_json(self) -> str:
        return self._url(self.args, "search.api_search")


@dataclass(frozen=True)
class Chip:
    """A chosen filter shown above the hits, with the link that removes it."""

    title: str
    label: str
    remove_url: str


def chosen_filters(links: SearchLinks, result: SearchResult) -> list[Chip]:
    """A chip for every value chosen in the query string, labelled as its facet labels it."""
    chips = []
    for name, title in FILTER_TITLES.items():
        labels = {v.value: v.label for v in result.facets.get(name, [])}
        chips += [
            Chip(title, labels.get(value, value), links.removing(name, value))
            for value in filter_values(links.args, name)
        ]
    return chips


def page_numbers(current: int, count: int) -> list[int | None]:
    """The page links to show: first, last and a window round the current; None is a gap."""
    shown = {1, count, *range(current - PAGE_WINDOW, current + PAGE_WINDOW + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in shown if 1 <= n <= count):
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


@bp.route("/")
def index() -> ResponseReturnValue:
    """The search page: facets, hits and pagination for the query string."""
    search_request = request_from_args(request.args)
    engine = get_engine()
    if engine is None:
        return render_template(
            "search/no_index.html", query=search_request.q, command=build_command()
        )
    result = search(engine, search_request)
    links = SearchLinks(request.args)
    return render_template(
        "search/index.html",
        query=search_request.q,
        search_request=search_request,
        result=result,
        links=links,
        chips=chosen_filters(links, result),
        filter_titles=FILTER_TITLES,
        sorts=SORTS,
        facet_shown=FACET_SHOWN,
        pages=page_numbers(search_request.page, result.page_count),
    )


@bp.route("/api/search")
def api_search() -> ResponseReturnValue:
    """The search page's data as JSON: the same shape as `hubbub search --json`."""
    search_request = request_from_args(request.args)
    return jsonify(search(require_engine(), search_request).to_json())
