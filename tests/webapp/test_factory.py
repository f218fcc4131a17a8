"""The app factory: configuration, security headers and error pages."""

from __future__ import annotations

import pytest

from indexer import Archive
from webapp import SECURITY_HEADERS, create_app


def test_factory_index_dir_defaults_to_hubbub_index_env(monkeypatch):
    monkeypatch.setenv("HUBBUB_INDEX", "/srv/hubbub/index")
    assert create_app().config["INDEX_DIR"] == "/srv/hubbub/index"


def test_factory_base_url_defaults_to_hubbub_base_url_env(monkeypatch):
    monkeypatch.setenv("HUBBUB_BASE_URL", "https://news.example/")
    assert create_app().config["BASE_URL"] == "https://news.example/"


def test_factory_test_config_sets_index_dir(app, seed_index):
    assert app.config["INDEX_DIR"] == str(seed_index)


@pytest.mark.parametrize(
    "path", ["/", "/?page=abc", "/api/search", "/article/no-such", "/static/style.css", "/nowhere"]
)
def test_factory_security_headers_on_every_response(client, path):
    response = client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_factory_content_security_policy_allows_no_inline_script(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy


def test_factory_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/nowhere")
    assert response.status_code == 404
    assert response.get_json()["ok"] is False and response.get_json()["status"] == 404


@pytest.mark.parametrize("path", ["/?q=Putin", "/api/search?q=Putin"])
def test_factory_unexpected_error_shows_no_traceback(client, monkeypatch, path):
    def broken_search(archive, request=None, **options):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Archive, "search", broken_search)
    response = client.get(path)
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in text and "Traceback" not in text
