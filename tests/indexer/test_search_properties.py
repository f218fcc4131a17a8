"""Whatever a user types, search answers or refuses with a message, and quickly."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.search import InvalidRequest, SearchRequest, search

pytestmark = pytest.mark.engines()

QUERY_PIECES = st.sampled_from(
    [
        '"',
        "(",
        ")",
        "*",
        "?",
        "~",
        ":",
        "-",
        "+",
        "^",
        "[",
        "]",
        "{",
        "}",
        "\\",
        "/",
        "AND",
        "OR",
        "NOT",
        "TO",
        "author:",
        "title:",
        "kind:",
        "year:",
        "after:",
        "before:",
        "putin",
        "russia",
        "Rex",
        "pu*",
        "2012",
        "99999999999999999999",
        "\x00",
        "\u202e",
        "😀",
    ]
)
QUERIES = st.one_of(
    st.text(max_size=200),
    st.lists(QUERY_PIECES | st.text(max_size=8), max_size=30).map(" ".join),
    st.lists(QUERY_PIECES, max_size=30).map("".join),
)
SECONDS_PER_QUERY = 5.0


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=QUERIES, sort=st.sampled_from(["relevance", "newest", "oldest"]))
def test_search_any_query_answers_in_bounded_time(seed_engine, q, sort):
    started = time.monotonic()
    try:
        result = search(seed_engine, SearchRequest(q=q, sort=sort))
    except InvalidRequest:
        return
    assert result.total >= len(result.hits)
    assert time.monotonic() - started < SECONDS_PER_QUERY


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    authors=st.lists(st.text(max_size=30), max_size=5),
    years=st.lists(st.integers(min_value=-(10**6), max_value=10**6), max_size=3),
    page=st.integers(min_value=-5, max_value=10**9),
    per_page=st.integers(min_value=-5, max_value=10**6),
)
def test_search_any_filters_answer_or_are_refused(seed_engine, authors, years, page, per_page):
    try:
        request = SearchRequest(
            authors=tuple(authors), years=tuple(years), page=page, per_page=per_page
        )
    except InvalidRequest:
        return
    result = search(seed_engine, request)
    assert len(result.hits) <= per_page
