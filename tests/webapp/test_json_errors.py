"""Every route that answers JSON answers its errors in JSON too, with the error's status:
a bad argument is a 400, a name or id the archive does not hold a 404."""

from __future__ import annotations

import pytest

from webapp import answers_json
from webapp.state import MAX_VALUES_PER_ARGUMENT

# More values of one argument than any route takes: refused before the route reads any.
TOO_MANY = "&".join(["q=x"] * (MAX_VALUES_PER_ARGUMENT + 1))
# Each JSON route as the site declares it, asked with a bad argument, and (for the
# routes that name something) with a name or id the archive does not hold.
ROUTES = {
    "/api/search": ("/api/search?year=abc", None),
    "/api/facets/<name>": ("/api/facets/author?page=abc", "/api/facets/no-such-facet"),
    "/api/article/<article_id>": (
        "/api/article/{article}?" + TOO_MANY,
        "/api/article/no-such-article",
    ),
    "/api/article/<article_id>/graph": (
        "/api/article/{article}/graph?" + TOO_MANY,
        "/api/article/no-such-article/graph",
    ),
    "/api/author/<path:name>": ("/api/author/Umairpk?page=abc", "/api/author/Nobody%20Here"),
    "/api/author/<path:name>/graph": (
        "/api/author/Umairpk/graph?" + TOO_MANY,
        "/api/author/Nobody%20Here/graph",
    ),
    "/api/signed/<path:name>": ("/api/signed/Rex%20Minor?" + TOO_MANY, "/api/signed/Nobody"),
    "/export.json": ("/export.json?year=abc", None),
    "/export.ndjson": ("/export.ndjson?sort=sideways", None),
}


def json_error(response, status: int) -> dict:
    """The error's JSON body, checked to be one."""
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["ok"] is False and body["status"] == status and body["error"]
    return body


def test_every_json_route_is_checked(app):
    declared = set()
    for rule in app.url_map.iter_rules():
        with app.test_request_context(rule.rule):
            if answers_json():
                declared.add(rule.rule)
    assert declared == set(ROUTES)


@pytest.mark.parametrize("route", ROUTES)
def test_json_route_answers_a_bad_argument_with_a_json_400(client, seed_article_id, route):
    bad, _ = ROUTES[route]
    json_error(client.get(bad.format(article=seed_article_id)), 400)


@pytest.mark.parametrize("route", [route for route, (_, missing) in ROUTES.items() if missing])
def test_json_route_answers_a_missing_name_or_id_with_a_json_404(client, route):
    _, missing = ROUTES[route]
    json_error(client.get(missing), 404)


def test_export_json_with_a_bad_year_says_what_is_wrong(client):
    body = json_error(client.get("/export.json?year=abc"), 400)
    assert body["error"] == "'year' must be a whole number of up to 9 digits, not 'abc'."


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/search/more"])
def test_unknown_api_path_is_a_json_404(client, path):
    json_error(client.get(path), 404)


@pytest.mark.parametrize("path", ["/api/search", "/export.json", "/export.ndjson"])
def test_json_route_answers_a_wrong_method_with_a_json_405(client, path):
    json_error(client.post(path), 405)


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        (
            "after=March%202012",
            {"after": "A date is written YYYY, YYYY-MM or YYYY-MM-DD, not 'March 2012'."},
        ),
        (
            "after=2012-02-30&before=soon",
            {
                "after": "There is no date '2012-02-30'.",
                "before": "A date is written YYYY, YYYY-MM or YYYY-MM-DD, not 'soon'.",
            },
        ),
    ],
)
def test_search_json_names_each_date_it_cannot_read(client, query, errors):
    body = json_error(client.get(f"/api/search?q=putin&{query}"), 400)
    assert body["errors"] == errors
    assert body["error"] == " ".join(errors.values())
