"""Whatever a visitor sends, the site answers 200, 400 or 404 with a message, quickly and
in bounded size, on either engine."""

import json
import time
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.indexing import index_paths
from webapp import create_app
from webapp.state import MAX_PAGE_BYTES

pytestmark = pytest.mark.engines()

# Every argument a route reads, and one it does not.
PARAMETERS = [
    "q",
    "author",
    "signed",
    "copied",
    "kind",
    "article",
    "year",
    "month",
    "after",
    "before",
    "sort",
    "page",
    "per_page",
    "group",
    "facet",
    "facet_size",
    "highlight",
    "author_filter",
    "unknown",
]
VALUES = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            "0",
            "1",
            "-1",
            "100",
            "101",
            "500",
            "501",
            "999999999",
            "99999999999999999999",
            "1e9",
            "2012",
            "2012-03",
            "2012-13",
            "newest",
            "comment",
            "article",
            "none",
            "author",
            "month",
            "copies",
            "Umairpk",
            "Rex Minor",
            '"',
            "(",
            "*",
            "a*",
            "putn~",
            "author:",
            "\x00",
            "%00",
        ]
    ),
)
PAIRS = st.lists(st.tuples(st.sampled_from(PARAMETERS), VALUES), max_size=12)
SECONDS_PER_REQUEST = 5.0
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SEARCH_PATHS = ["/", "/api/search", "/export.csv", "/export.json", "/export.ndjson", "/feed.atom"]
NAMED_PATHS = [
    "/article/{article}",
    "/api/article/{article}",
    "/api/article/{article}/graph",
    "/author/Umairpk",
    "/api/author/Umairpk",
    "/api/author/Umairpk/graph",
    "/signed/Rex%20Minor",
    "/api/signed/Rex%20Minor",
]


def answers_json(path: str) -> bool:
    return path.startswith("/api/") or path.endswith((".json", ".ndjson"))


def check_answer(response, path: str) -> None:
    """A status a visitor can act on, no traceback, a body within the page cap, and JSON
    (one value, or one a line) from every route that answers JSON."""
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 400, 404), (path, response.status_code)
    assert "Traceback" not in body
    assert len(response.get_data()) <= MAX_PAGE_BYTES
    if answers_json(path):
        if response.mimetype == "application/x-ndjson":
            for line in body.splitlines():
                json.loads(line)
        else:
            assert response.mimetype == "application/json"
            json.loads(body)


@SETTINGS
@given(pairs=PAIRS, path=st.sampled_from(SEARCH_PATHS + NAMED_PATHS))
def test_any_query_string_gets_200_400_or_404_in_bounded_time_and_size(
    client, seed_article_id, pairs, path
):
    url = path.format(article=seed_article_id)
    started = time.monotonic()
    response = client.get(f"{url}?{urlencode(pairs)}")
    check_answer(response, url)
    assert time.monotonic() - started < SECONDS_PER_REQUEST


@SETTINGS
@given(name=st.text(min_size=1, max_size=100))
def test_any_name_in_a_path_gets_a_page_a_redirect_or_404(client, name):
    paths = (
        f"/author/{name}",
        f"/api/author/{name}",
        f"/api/author/{name}/graph",
        f"/article/{name}",
        f"/api/article/{name}/graph",
        f"/signed/{name}",
        f"/api/signed/{name}",
    )
    for path in paths:
        response = client.get(path.replace("?", "%3F").replace("#", "%23"))
        assert response.status_code in (200, 308, 404), (path, response.status_code)


@pytest.mark.parametrize(
    "query, status",
    [
        ("sort=newest&sort=bogus", 200),
        ("page=2&page=x", 200),
        ("per_page=101", 400),
        ("kind=video", 400),
        ("page=500", 200),
        ("page=501", 400),
        ("page=100&per_page=100", 200),
        ("page=101&per_page=100", 400),
        ("q=" + "x" * 1001, 400),
    ],
)
def test_repeated_and_out_of_range_parameters(client, query, status):
    assert client.get(f"/api/search?{query}").status_code == status


def test_page_past_the_end_is_empty_not_an_error(client):
    data = client.get("/api/search?page=500").get_json()
    assert data["hits"] == [] and data["total"] > 0


def test_file_name_with_markup_is_shown_as_text(tmp_path, seed_path):
    hostile = tmp_path / 'a"><img src=x onerror=alert(1)>.txt'
    hostile.write_bytes(seed_path.read_bytes())
    index_dir = tmp_path / "index"
    index_paths([hostile], index_dir)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    article = client.get("/api/search?kind=article").get_json()["hits"][0]["article_id"]
    page = client.get(f"/article/{article}").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.txt" in page
