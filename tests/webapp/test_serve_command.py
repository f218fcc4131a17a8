"""`hubbub serve`: the site over waitress, with the indexer's commands alongside."""

from __future__ import annotations

from click.testing import CliRunner

import webapp.cli
from webapp.cli import cli


def test_serve_runs_the_site_with_waitress(monkeypatch, seed_index):
    served = {}
    monkeypatch.setattr(
        webapp.cli.waitress, "serve", lambda app, **options: served.update(app=app, **options)
    )
    result = CliRunner().invoke(
        cli, ["serve", "--index", str(seed_index), "--port", "8123", "--threads", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/" in result.output
    assert served["app"].config["INDEX_DIR"] == str(seed_index)
    assert (served["host"], served["port"], served["threads"]) == ("127.0.0.1", 8123, 2)


def test_serve_without_index_says_how_to_build_it(monkeypatch, tmp_path):
    monkeypatch.setattr(webapp.cli.waitress, "serve", lambda app, **options: None)
    result = CliRunner().invoke(cli, ["serve", "--index", str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    assert "hubbub index --index" in result.output


def test_serve_with_an_outdated_index_says_to_rebuild_it(monkeypatch, outdated_index):
    monkeypatch.setattr(webapp.cli.waitress, "serve", lambda app, **options: None)
    result = CliRunner().invoke(cli, ["serve", "--index", str(outdated_index)])
    assert result.exit_code == 0, result.output
    assert "The index needs rebuilding. Build it with: hubbub index --rebuild" in result.output


def test_cli_keeps_the_indexer_commands():
    assert {"index", "search", "serve"} <= set(cli.commands)
