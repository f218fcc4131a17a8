"""Before an index is built every page and its JSON twin say so alike: status 503 and one
message naming the command that builds the index, which the command line says too."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from webapp import create_app
from webapp.cli import cli

# Each page with its JSON twin; an export stands for its JSON form.
TWINS = [
    ("/?q=Putin", "/api/search?q=Putin"),
    ("/article/no-article-yet", "/api/article/no-article-yet"),
    ("/author/Umairpk", "/api/author/Umairpk"),
    ("/signed/Rex%20Minor", "/api/signed/Rex%20Minor"),
    ("/export.csv", "/export.json"),
    ("/feed.atom", "/export.ndjson"),
]


def command_for(app) -> str:
    return f"hubbub index --index {Path(app.config['INDEX_DIR']).resolve()} corpus/"


@pytest.mark.parametrize(("page", "twin"), TWINS)
def test_page_and_json_twin_answer_no_index_alike(no_index_app, page, twin):
    client = no_index_app.test_client()
    message = f"No index yet. Build it with: {command_for(no_index_app)}"
    shown, answered = client.get(page), client.get(twin)
    assert shown.status_code == answered.status_code == 503
    assert answered.get_json() == {"ok": False, "error": message, "status": 503}
    html = BeautifulSoup(shown.get_data(as_text=True), "html.parser")
    assert html.select_one("h1").get_text() == "No index yet"
    assert html.select_one("pre code").get_text() == command_for(no_index_app)


def test_search_page_without_index_keeps_the_query_in_the_search_box(no_index_app):
    page = no_index_app.test_client().get("/?q=Putin").get_data(as_text=True)
    box = BeautifulSoup(page, "html.parser").select_one("#search-query")
    assert box["value"] == "Putin"


def test_outdated_index_is_said_alike_on_the_page_and_in_json(outdated_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(outdated_index)}).test_client()
    shown, answered = client.get("/?q=Putin"), client.get("/api/search?q=Putin")
    assert shown.status_code == answered.status_code == 503
    html = BeautifulSoup(shown.get_data(as_text=True), "html.parser")
    command = html.select_one("pre code").get_text()
    assert command.startswith("hubbub index --rebuild --index ")
    assert answered.get_json()["error"] == f"The index needs rebuilding. Build it with: {command}"


def test_command_line_says_what_the_site_says(no_index_app):
    index_dir = str(Path(no_index_app.config["INDEX_DIR"]).resolve())
    said = CliRunner().invoke(cli, ["search", "Putin", "--index", index_dir]).output
    site = no_index_app.test_client().get("/api/search?q=Putin").get_json()["error"]
    assert site in said
