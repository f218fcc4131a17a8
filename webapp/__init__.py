"""Hubbub's web site: search, threads, authors, signatures, help, exports, feeds; JSON twins."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import PurePath

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, InternalServerError

from indexer import EngineUnavailable, InvalidRequest
from webapp.archive import NoIndex
from webapp.state import check_request_size

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# The paths outside /api/ that answer JSON.
JSON_EXPORTS = ("/export.json", "/export.ndjson")


def create_app(test_config: dict | None = None) -> Flask:
    """Create the site; `test_config` replaces the instance config, as in the Flask tutorial.

    `INDEX_DIR` (or the environment's HUBBUB_INDEX) is the index served. `BASE_URL` (or
    HUBBUB_BASE_URL) is the site's public address, e.g. `https://hubbub.example.org/`:
    feeds and exports, which are read off the site, make their links absolute with it.
    Without it their links stay relative, as the `Host` a request names is the
    client's to choose.
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        INDEX_DIR=os.environ.get("HUBBUB_INDEX", "instance/index"),
        BASE_URL=os.environ.get("HUBBUB_BASE_URL", ""),
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    # The JSON twins keep the library's key order, which reads top-down like the page.
    app.json.sort_keys = False

    from webapp import archive, authors, exports, search, signatures, threads

    archive.init_app(app)
    for blueprint in (search.bp, threads.bp, authors.bp, signatures.bp, exports.bp):
        app.register_blueprint(blueprint)
    app.register_error_handler(InvalidRequest, bad_request)
    app.register_error_handler(NoIndex, no_index)
    app.register_error_handler(EngineUnavailable, engine_unavailable)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected_error)
    app.before_request(check_request_size)
    app.after_request(add_security_headers)
    app.add_template_filter(day, "day")
    app.add_template_filter(basename, "basename")
    return app


def answers_json() -> bool:
    """Whether this request's route answers JSON, so that its errors are JSON too: read
    from the path, as a request the routing refuses (a wrong method) has no route."""
    return request.path.startswith("/api/") or request.path in JSON_EXPORTS


def error_response(
    status: int, title: str, message: str, headers: Mapping[str, str] | None = None
) -> ResponseReturnValue:
    """JSON for the routes that answer JSON, an HTML page otherwise: the same error either way."""
    if answers_json():
        return jsonify(ok=False, error=message, status=status), status, headers or {}
    page = render_template("error.html", status=status, title=title, message=message)
    return page, status, headers or {}


def bad_request(error: InvalidRequest) -> ResponseReturnValue:
    return error_response(400, "Bad request", str(error))


def http_error(error: HTTPException) -> ResponseReturnValue:
    """The error's page, keeping the headers it carries (a 503's Retry-After)."""
    headers = {name: value for name, value in error.get_headers() if name != "Content-Type"}
    message = error.description or error.name
    return error_response(error.code or 500, error.name, message, headers)


def no_index(error: NoIndex) -> ResponseReturnValue:
    """Every page without an index shows the search page's empty state, naming the command
    that builds one; JSON routes give the same message, with the same status."""
    if answers_json():
        return http_error(error)
    query = request.args.get("q", "")
    return render_template("search/no_index.html", error=error, query=query), error.code


def engine_unavailable(error: EngineUnavailable) -> ResponseReturnValue:
    """The search cluster does not answer: a 503 to try again, not a broken page."""
    current_app.logger.warning("Search engine unavailable on %s: %s", request.path, error)
    message = "The search engine is not answering just now; try again in a moment."
    return error_response(503, "Search unavailable", message, {"Retry-After": "10"})


def unexpected_error(error: Exception) -> ResponseReturnValue:
    """Log the traceback for the operator; the reader only learns that something broke."""
    current_app.logger.exception("Unhandled error on %s", request.path)
    server_error = InternalServerError()
    return error_response(500, server_error.name, server_error.description)


def add_security_headers(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    return response


def day(value: datetime) -> str:
    """A date as people write it: 8 March 2012."""
    return f"{value.day} {value:%B %Y}"


def basename(path: str) -> str:
    """A source file's name without the server's folders."""
    return PurePath(path).name
