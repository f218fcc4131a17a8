"""The query string is a page's whole state: reading it, and links that change one thing.

Every control on the search page, the author page and the exports is a link or a
GET form built from the current arguments, as in Datasette, so back, forward and
bookmarks always work.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import request, url_for
from werkzeug.datastructures import MultiDict

from indexer import FacetValue, InvalidRequest, SearchRequest, SearchResult, date_bound, fold_author
from indexer.search import LIFTED_FIELDS

# The filter arguments with their chip titles, in the order the chips show them.
FILTER_TITLES = {
    "kind": "Kind",
    "site": "Site",
    "author": "Author",
    "signed": "Signed",
    "copied": "Copies",
    "year": "Year",
    "month": "Month",
    "article": "Article",
    "after": "From",
    "before": "To",
}
# Values that choose the same thing: a name whatever its case, a year however written.
SAME_CHOICE = {"author": fold_author, "signed": fold_author, "year": int}
# Yes-or-no filters: a facet with one value, chosen by its argument set to 1.
FLAG_ARGUMENTS = {"copies": "copied"}
# Arguments that change how a page looks, not which documents it selects.
DISPLAY_ARGS = ("page", "per_page", "group", "author_filter", "facet", "facet_size", "highlight")
NO_FACETS = "none"  # facet=none: count no facet at all
# group=article, the default, folds the later hits of an article on a page under its first;
# group=none lists every hit in rank order.
DEFAULT_GROUP = "article"
UNGROUPED = "none"
GROUPS = (DEFAULT_GROUP, UNGROUPED)
# The arguments a reader types into the search page's forms, beyond the query: one
# that cannot be read is shown beside its box, and the rest of the search still runs.
TYPED_DATES = {"after": "From", "before": "To"}
# Page links either side of the current page before the list is cut with a gap.
PAGE_WINDOW = 2
# What one request may carry: every link on the search page repeats the whole query
# string, so without caps a page grows with the square of what the request holds.
MAX_QUERY_STRING = 8_192  # characters as sent; about what nginx and Apache take by default
MAX_ARGUMENTS = 200  # name=value pairs in all
MAX_VALUES_PER_ARGUMENT = 50  # e.g. authors chosen at once
# The largest search page a request may make: each facet value, chip and form carries
# the query string, so even within the caps a long one is multiplied many times.
MAX_PAGE_BYTES = 4 * 2**20


def check_request_size() -> None:
    """Refuse a query string past the caps before any work is done on it; its length is
    checked before it is even parsed.

    :raise InvalidRequest: naming the cap that was passed.
    """
    if len(request.query_string) > MAX_QUERY_STRING:
        raise InvalidRequest(
            f"The query string is too long: at most {MAX_QUERY_STRING:,} characters."
        )
    values = dict(request.args.lists())
    if sum(map(len, values.values())) > MAX_ARGUMENTS:
        raise InvalidRequest(f"Too many arguments: at most {MAX_ARGUMENTS} in all.")
    for name, chosen in values.items():
        if len(chosen) > MAX_VALUES_PER_ARGUMENT:
            raise InvalidRequest(
                f"Too many values of {name!r}: "
                f"at most {MAX_VALUES_PER_ARGUMENT} for any one argument."
            )


def bounded_page(page: str) -> str:
    """A page built from the query string, refused when it is larger than MAX_PAGE_BYTES.

    :raise InvalidRequest: saying how to make the page smaller.
    """
    if len(page.encode()) > MAX_PAGE_BYTES:
        raise InvalidRequest(
            f"This page would be larger than {MAX_PAGE_BYTES // 2**20} MB: "
            "choose fewer filters or write a shorter query."
        )
    return page


def whole_number(name: str, text: str) -> int:
    """A query-string number, refused with a message when it is not digits."""
    if not re.fullmatch(r"[0-9]{1,9}", text):
        raise InvalidRequest(f"{name!r} must be a whole number of up to 9 digits, not {text!r}.")
    return int(text)


def filter_values(args: MultiDict[str, str], name: str) -> tuple[str, ...]:
    """The values chosen for one argument; an empty box in a form chooses nothing."""
    return tuple(value for value in args.getlist(name) if value.strip())


def flag(args: MultiDict[str, str], name: str) -> bool:
    """A yes-or-no argument: 1 chooses it, leaving it out (or empty) does not."""
    value = args.get(name, "").strip()
    if value not in ("", "1"):
        raise InvalidRequest(f"{name!r} takes 1 to choose it, not {value!r}; leave it out for all.")
    return value == "1"


def requested_facets(args: MultiDict[str, str]) -> tuple[str, ...] | None:
    """The facets `facet=` names (repeated, or `none`); None when it is left out."""
    names = filter_values(args, "facet")
    if not names:
        return None
    return tuple(name for name in names if name != NO_FACETS)


def request_from_args(args: MultiDict[str, str]) -> SearchRequest:
    """The query string as a SearchRequest; a bad value raises InvalidRequest (a 400)."""
    search_request, errors = read_request(args)
    if errors:
        raise InvalidRequest(" ".join(errors.values()))
    return search_request


def read_request(args: MultiDict[str, str]) -> tuple[SearchRequest, dict[str, str]]:
    """The query string as a SearchRequest without the typed values that cannot be read,
    and what is wrong with each of those, by argument: the page then shows the search
    without them, and says so beside their boxes.

    :raise InvalidRequest: for any other bad value, which no reader types.
    """
    options: dict = {
        name: whole_number(name, args[name])
        for name in ("page", "per_page", "facet_size")
        if args.get(name)
    }
    if args.get("highlight", "").strip():
        options["highlight"] = whole_number("highlight", args["highlight"]) != 0
    if args.get("sort"):
        options["sort"] = args["sort"]
    errors = {}
    for name in TYPED_DATES:
        if args.get(name, "").strip():
            try:
                options[name] = date_bound(args[name], end=name == "before")
            except InvalidRequest as error:
                errors[name] = str(error)
    return SearchRequest(
        q=args.get("q", "").strip(),
        authors=filter_values(args, "author"),
        kinds=filter_values(args, "kind"),
        articles=filter_values(args, "article"),
        years=tuple(whole_number("year", year) for year in filter_values(args, "year")),
        months=filter_values(args, "month"),
        signed=filter_values(args, "signed"),
        sites=filter_values(args, "site"),
        copies=flag(args, "copied"),
        facets=requested_facets(args),
        **options,
    ), errors


def lifted_args(args: MultiDict[str, str], search_request: SearchRequest) -> MultiDict | None:
    """The same search's address when its request lifted filter terms (`author:Bob`) out
    of the query: the query without them, and each as its filter's argument. None when
    nothing was lifted."""
    if search_request.q == args.get("q", "").strip():
        return None
    lifted = args.copy()
    lifted["q"] = search_request.q
    for name, attribute in LIFTED_FIELDS.items():
        lifted.setlist(name, [str(value) for value in getattr(search_request, attribute)])
    return lifted


def grouping(args: MultiDict[str, str]) -> str | None:
    """How hits are grouped: "article" (the default), or None for a plain list."""
    group = args.get("group", "").strip() or DEFAULT_GROUP
    if group not in GROUPS:
        raise InvalidRequest(
            f"Unknown group {group!r}: use group={UNGROUPED} for every hit in rank order,"
            " or leave it out to group hits by article."
        )
    return None if group == UNGROUPED else group


def months_of(year: str) -> str:
    """The prefix of a year's months as the month filter writes them ("2012-")."""
    return f"{int(year):04d}-"


class SearchLinks:
    """Links to the current page with one thing changed.

    Changing what is selected (a filter, the query, the sort) goes back to page 1.
    `endpoint` and `view_args` name the page, so the author page pages its own
    comments with the same links.
    """

    def __init__(
        self, args: MultiDict[str, str], endpoint: str = "search.index", **view_args: str
    ) -> None:
        self.args = args
        self.endpoint = endpoint
        self.view_args = view_args

    def _url(self, args: MultiDict[str, str], endpoint: str | None = None) -> str:
        pairs = [(name, value) for name, value in args.items(multi=True) if value]
        view_args = self.view_args if endpoint is None else {}
        base = url_for(endpoint or self.endpoint, **view_args)
        return base + ("?" + urlencode(pairs) if pairs else "")

    def _without(self, *names: str) -> MultiDict[str, str]:
        args = self.args.copy()
        for name in names:
            args.poplist(name)
        return args

    def adding(self, name: str, value: str) -> str:
        args = self._without("page")
        args.add(name, value)
        return self._url(args)

    def removing(self, name: str, value: str) -> str:
        """Without one chosen value; a year goes with the months chosen in it."""
        args = self._without("page")
        same = SAME_CHOICE.get(name, str)
        args.setlist(name, [v for v in filter_values(args, name) if same(v) != same(value)])
        if name == "year":
            months = filter_values(args, "month")
            args.setlist("month", [m for m in months if not m.startswith(months_of(value))])
        return self._url(args)

    def toggling(self, name: str, facet_value: FacetValue) -> str:
        change = self.removing if facet_value.selected else self.adding
        if name in FLAG_ARGUMENTS:
            return change(FLAG_ARGUMENTS[name], "1")
        return change(name, facet_value.value)

    def without_filters(self) -> str:
        return self._url(self._without("page", *FILTER_TITLES))

    def with_query(self, query: str) -> str:
        args = self._without("page")
        args["q"] = query
        return self._url(args)

    def sorted_by(self, sort: str) -> str:
        args = self._without("page")
        args["sort"] = sort
        return self._url(args)

    def grouped_by(self, group: str) -> str:
        args = self._without("page", "group")
        if group != DEFAULT_GROUP:
            args["group"] = group
        return self._url(args)

    def choosing_only(self, name: str, value: str) -> str:
        """With `value` the argument's one choice: one article's hits, whichever articles
        were chosen before."""
        args = self._without("page", name)
        args[name] = value
        return self._url(args)

    def at_page(self, page: int) -> str:
        args = self.args.copy()
        args["page"] = str(page)
        return self._url(args)

    def current(self) -> str:
        return self._url(self.args)

    def as_json(self) -> str:
        return self._url(self.args, "search.api_search")

    def selection_at(self, endpoint: str) -> str:
        """Another view of the same selection (an export, the feed): no paging or layout."""
        return self._url(self._without(*DISPLAY_ARGS), endpoint)

    def hidden_fields(self, *omit: str) -> list[tuple[str, str]]:
        """The state a GET form must carry so that submitting it changes only its own fields."""
        left_out = {"page", *omit}
        return [(n, v) for n, v in self.args.items(multi=True) if v and n not in left_out]


@dataclass(frozen=True)
class Chip:
    """A chosen filter shown above the hits, with the link that removes it."""

    title: str
    label: str
    remove_url: str


def chosen_labels(result: SearchResult, name: str) -> dict[str, str]:
    """An argument's values to their facet's labels; a flag's "1" takes its one value's."""
    for facet, argument in FLAG_ARGUMENTS.items():
        if argument == name:
            values = result.facets.get(facet, [])
            return {"1": values[0].label} if values else {}
    return {value.value: value.label for value in result.facets.get(name, [])}


def chosen_filters(
    links: SearchLinks, result: SearchResult, unread: Collection[str] = ()
) -> list[Chip]:
    """A chip for every value chosen in the query string, labelled as its facet labels it:
    `author=umairpk` shows the name as posted, "Umairpk". The `unread` arguments, which
    could not be read and so choose nothing, have none."""
    chips = []
    for name, title in FILTER_TITLES.items():
        if name in unread:
            continue
        same = SAME_CHOICE.get(name, str)
        labels = {same(value): label for value, label in chosen_labels(result, name).items()}
        chips += [
            Chip(title, labels.get(same(value), value), links.removing(name, value))
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
