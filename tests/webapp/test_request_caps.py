"""What one request may ask for: how deep it pages, and how much its query string holds.

A request past a cap is refused with a 400 naming the cap, before any search is run, so
that no request can take the server down, or keep it busy building a huge page.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from webapp.state import (
    MAX_ARGUMENTS,
    MAX_PAGE_BYTES,
    MAX_QUERY_STRING,
    MAX_VALUES_PER_ARGUMENT,
)

pytestmark = pytest.mark.engines()

ROOT = Path(__file__).resolve().parents[2]
# Run apart from pytest: an engine that aborts the process must fail the test, not end the run.
REQUESTS_APART = """
import sys
from webapp import create_app

client = create_app({"TESTING": True, "INDEX_DIR": sys.argv[1]}).test_client()
for path in sys.argv[2:]:
    print(client.get(path).status_code)
"""
PAGE_APART = """
import sys
from indexer.engines import open_engine
from indexer.engines.base import Filters

matches = open_engine(sys.argv[1]).snapshot().select("putin", Filters(), {})
page, _ = matches.ranked("relevance", 10**10, 20)
print(len(page), matches.total)
"""
PATHS = [
    "/",
    "/api/search",
    "/export.csv",
    "/export.json",
    "/export.ndjson",
    "/feed.atom",
    "/author/Umairpk",
    "/api/author/Umairpk",
    "/api/article/no-such",
]
JSON_PATHS = ("/api/", "/export.json", "/export.ndjson")
TOO_MUCH = {
    "values": (
        urlencode([("author", f"reader{n}") for n in range(MAX_VALUES_PER_ARGUMENT + 1)]),
        f"at most {MAX_VALUES_PER_ARGUMENT} for any one argument",
    ),
    "arguments": (
        urlencode([(f"x{n}", "1") for n in range(MAX_ARGUMENTS + 1)]),
        f"at most {MAX_ARGUMENTS} in all",
    ),
    "length": ("q=" + "x" * MAX_QUERY_STRING, f"at most {MAX_QUERY_STRING:,} characters"),
    "thousands": (
        urlencode([("author", f"reader{n}") for n in range(2000)]),
        f"at most {MAX_QUERY_STRING:,} characters",
    ),
}


def run_apart(script: str, *args: str) -> list[str]:
    """The lines a script printed in a Python process of its own, which must end well."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split("\n")[:-1]


def error_message(response) -> str:
    if response.mimetype == "application/json":
        return response.get_json()["error"]
    return (
        BeautifulSoup(response.get_data(as_text=True), "html.parser")
        .select_one(".error-message")
        .get_text()
    )


def test_a_deep_page_without_facets_is_refused_and_the_server_keeps_serving(seed_index):
    statuses = run_apart(
        REQUESTS_APART,
        str(seed_index),
        "/?facet=none&page=999999999",
        "/api/search?facet=none&page=999999999&per_page=100",
        "/api/search?facet=none&page=500",
        "/?q=putin",
    )
    assert statuses == ["400", "400", "200", "200"]


def test_an_engine_asked_for_a_page_past_its_hits_gives_none(seed_index):
    assert run_apart(PAGE_APART, str(seed_index)) == ["0 8"]


@pytest.mark.parametrize("facet", ["none", "author"])
def test_a_page_past_the_last_hit_is_empty_and_gives_the_total(client, facet):
    first = client.get(f"/api/search?q=putin&facet={facet}").get_json()
    past = client.get(f"/api/search?q=putin&facet={facet}&page=400").get_json()
    assert (past["total"], past["hits"]) == (first["total"], []) == (8, [])


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [("/?page=501", "text/html"), ("/api/search?per_page=100&page=101", "application/json")],
)
def test_a_page_past_the_deepest_result_is_refused_saying_what_to_do(client, path, mimetype):
    response = client.get(path)
    assert (response.status_code, response.mimetype) == (400, mimetype)
    message = error_message(response)
    assert "10,000" in message and "narrow the search" in message and "export" in message


def test_pages_stop_at_the_deepest_result_and_say_so(client, monkeypatch):
    monkeypatch.setattr("indexer.search.MAX_RESULT_WINDOW", 5)
    page = BeautifulSoup(client.get("/?q=putin&per_page=2").get_data(as_text=True), "html.parser")
    numbers = [link.get_text() for link in page.select(".pagination a:not([rel])")]
    assert numbers == ["1", "2"]
    assert "Pages reach the first 4 results" in page.select_one(".results").get_text()
    assert client.get("/?q=putin&per_page=2&page=3").status_code == 400


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("excess", TOO_MUCH)
def test_a_request_past_a_cap_is_refused_at_once_with_a_short_answer(client, path, excess):
    query, cap = TOO_MUCH[excess]
    started = time.monotonic()
    response = client.get(f"{path}?{query}")
    assert time.monotonic() - started < 1.0
    assert response.status_code == 400 and len(response.get_data()) < 4_000
    assert cap in error_message(response)
    assert (response.mimetype == "application/json") == path.startswith(JSON_PATHS)


def at_the_caps() -> list[tuple[str, str]]:
    """As many arguments as a request may hold, each filter with as many values as it may."""
    most = MAX_VALUES_PER_ARGUMENT
    return [
        *[("author", f"reader{n}") for n in range(most - 1)],
        ("author", "Umairpk"),
        *[("signed", f"name{n}") for n in range(most)],
        *[("year", str(1900 + n)) for n in range(most)],
        *[("month", f"{1900 + n}-03") for n in range(MAX_ARGUMENTS - 3 * most)],
    ]


def at_the_longest() -> list[tuple[str, str]]:
    """A query string as long as a request may send."""
    return [("q", "putin"), ("note", "x" * (MAX_QUERY_STRING - len("q=putin&note=")))]


@pytest.mark.parametrize("path", ["/", "/api/search", "/export.csv", "/feed.atom"])
@pytest.mark.parametrize("pairs", [at_the_caps(), at_the_longest()], ids=["caps", "longest"])
def test_a_request_at_the_caps_is_answered_within_the_page_cap(client, path, pairs):
    assert len(pairs) <= MAX_ARGUMENTS and len(urlencode(pairs)) <= MAX_QUERY_STRING
    started = time.monotonic()
    response = client.get(f"{path}?{urlencode(pairs)}")
    assert time.monotonic() - started < 2.0
    assert response.status_code == 200 and len(response.get_data()) <= MAX_PAGE_BYTES


def test_a_search_page_past_the_page_cap_is_refused_saying_why(client, monkeypatch):
    monkeypatch.setattr("webapp.state.MAX_PAGE_BYTES", 60_000)
    response = client.get("/?" + urlencode([("author", f"reader{n}") for n in range(40)]))
    assert response.status_code == 400
    assert "fewer filters" in error_message(response)
