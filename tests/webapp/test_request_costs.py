"""The costliest requests of each kind, on an archive of thousands of documents, each
answered within the search's time budget and a little more."""

from __future__ import annotations

import time
from urllib.parse import quote, urlencode

import pytest
from flask.testing import FlaskClient

from bench.generate import generate, vocabulary_for
from indexer.indexing import index_records
from indexer.search import MAX_QUERY_LENGTH, MAX_RESULT_WINDOW, QUERY_SECONDS
from webapp import create_app
from webapp.state import MAX_VALUES_PER_ARGUMENT

pytestmark = pytest.mark.engines()

DOCUMENTS = 3_000
SECONDS_PER_REQUEST = QUERY_SECONDS + 1.0
STOP_WORDS = "the of and to a in is that it for".split()
LAST_PAGE = MAX_RESULT_WINDOW // 20
WORDS = vocabulary_for()  # the generator's words, the most frequent first
RARE = WORDS[-1]
LONG_QUERY = " ".join(WORDS[200:400])[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
LONG_NAME = quote("nobody\r\n\x00<é>" * 400, safe="")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, engine_name: str) -> FlaskClient:
    """The site over a generated archive of DOCUMENTS documents, built once per engine."""
    index_dir = tmp_path_factory.mktemp(f"big-{engine_name}")
    index_records(generate(DOCUMENTS), index_dir, "generated", engine=engine_name)
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()


@pytest.fixture(scope="module")
def top(big: FlaskClient) -> dict[str, list[str]]:
    """The most frequent values of each facet."""
    facets = big.get("/api/search?per_page=1").get_json()["facets"]
    return {name: [value["value"] for value in values] for name, values in facets.items()}


def many_filters(top: dict[str, list[str]]) -> str:
    most = MAX_VALUES_PER_ARGUMENT
    pairs = [("author", name) for name in top["author"][:most]]
    pairs += [("article", article) for article in top["article"][:most]]
    return urlencode([*pairs, ("q", "the government")])


REQUESTS = {
    "deepest page": lambda top: f"/?page={LAST_PAGE}",
    "deepest page of 100": lambda top: f"/api/search?page={MAX_RESULT_WINDOW // 100}&per_page=100",
    "deepest page, no facets": lambda top: f"/?facet=none&page={LAST_PAGE}",
    "deepest JSON page, no facets": lambda top: (
        f"/api/search?facet=none&per_page=100&page={MAX_RESULT_WINDOW // 100}"
    ),
    "page past the deepest, no facets": lambda top: "/?facet=none&page=999999999",
    "many filters": lambda top: "/?" + many_filters(top),
    "many filters, JSON": lambda top: "/api/search?" + many_filters(top),
    "wildcard": lambda top: "/?q=a*",
    "wildcard, JSON": lambda top: "/api/search?q=a*&per_page=100",
    "wildcard alone": lambda top: "/api/search?q=*",
    "fuzzy": lambda top: "/?q=putn~",
    "stop words and a rare word": lambda top: "/?" + urlencode({"q": "the " * 30 + RARE}),
    "phrase of stop words": lambda top: (
        "/?" + urlencode({"q": '"' + " ".join(STOP_WORDS * 24) + '"'})
    ),
    "phrase of one stop word": lambda top: (
        "/api/search?" + urlencode({"q": '"' + " ".join(["the"] * 240) + '"'})
    ),
    "thousands of filters": lambda top: (
        "/api/search?" + urlencode([("author", f"reader{n}") for n in range(2000)])
    ),
    "longest query": lambda top: "/?" + urlencode({"q": LONG_QUERY}),
    "100 highlighted hits": lambda top: "/?q=government&per_page=100&highlight=1",
    "100 highlighted hits, JSON": lambda top: "/api/search?q=the+a*&per_page=100&highlight=1",
    "every author": lambda top: "/?author_filter=a",
    "export everything": lambda top: "/export.csv",
    "export a wildcard": lambda top: "/export.ndjson?q=a*",
    "export as JSON": lambda top: "/export.json?q=the",
    "feed": lambda top: "/feed.atom?q=a*",
    "longest thread, wildcard": lambda top: f"/article/{top['article'][0]}?q=a*",
    "busiest author": lambda top: f"/author/{quote(top['author'][0], safe='')}?q=the",
    "thread of a long made-up id": lambda top: f"/api/article/{LONG_NAME}",
    "graph of a long made-up name": lambda top: f"/api/author/{LONG_NAME}/graph",
}


@pytest.mark.parametrize("kind", REQUESTS)
def test_the_costliest_requests_answer_within_the_budget(big, top, kind):
    path = REQUESTS[kind](top)
    started = time.monotonic()
    response = big.get(path)
    response.get_data()
    elapsed = time.monotonic() - started
    assert response.status_code in (200, 400, 404), path
    assert elapsed < SECONDS_PER_REQUEST, f"{kind}: {elapsed:.1f}s"
