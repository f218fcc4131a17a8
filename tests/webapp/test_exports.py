"""Exports `/export.csv|json|ndjson` and the Atom feed `/feed.atom`, on the known archive."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import webapp.exports
from indexer.documents import article_id
from indexer.readers import read_file
from tests.webapp.known_archive import BRIDGE_ID, BUDGET_ID
from webapp import create_app
from webapp.exports import COLUMNS, EXPORT_RETRY_SECONDS

ATOM = "{http://www.w3.org/2005/Atom}"


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def ndjson_rows(response) -> list[dict]:
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def feed_entries(response) -> list[ET.Element]:
    return ET.fromstring(response.get_data()).findall(f"{ATOM}entry")


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [
        ("/export.csv", "text/csv"),
        ("/export.json", "application/json"),
        ("/export.ndjson", "application/x-ndjson"),
    ],
)
def test_export_is_a_streamed_attachment_stating_its_size(archive, path, mimetype):
    response = archive.get(path)
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.is_streamed
    extension = path.rsplit(".", 1)[1]
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=hubbub-export.{extension}"
    )
    assert response.headers["X-Hubbub-Total"] == "14"
    assert response.headers["X-Hubbub-Truncated"] == "false"


def test_export_csv_has_a_row_for_every_match(archive):
    response = archive.get("/export.csv")
    rows = csv_rows(response)
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 14


def test_export_csv_row_holds_every_column(archive):
    [row] = csv_rows(archive.get("/export.csv?author=Dave"))
    assert row == {
        "id": f"{BUDGET_ID}-c3",
        "kind": "comment",
        "author": "Dave",
        "date": "2019-11-22",
        "article_date": "2019-11-20",
        "article_id": BUDGET_ID,
        "article_title": "Council votes on harbour budget",
        "position": "3",
        "site": "",
        "votes": "",
        "url": f"/article/{BUDGET_ID}?comment=3#c3",
        "source_url": "",
        "body": "'-1 for this budget from me.",
    }


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("author=Carol&sort=oldest", "'=SUM(A1:A9) is what the repairs cost."),
        ("author=Carol&sort=newest", "'@council please print the timetable."),
    ],
)
def test_export_csv_neutralises_cells_a_spreadsheet_would_run(archive, query, body):
    assert csv_rows(archive.get(f"/export.csv?{query}"))[0]["body"] == body


def test_export_json_keeps_bodies_as_written(archive):
    [row] = archive.get("/export.json?author=Dave").get_json()["rows"]
    assert row["body"] == "-1 for this budget from me."


def test_export_takes_the_search_pages_filters_and_sort_but_not_its_paging(archive):
    rows = csv_rows(archive.get("/export.csv?author=Alice&sort=oldest&page=3&per_page=1"))
    assert [row["date"] for row in rows] == [
        "2019-03-11",
        "2019-04-02",
        "2020-01-05",
        "2020-02-15",
        "2020-03-02",
    ]


def test_export_json_is_one_object_with_counts_around_the_rows(archive):
    data = archive.get("/export.json?q=harbour").get_json()
    assert list(data) == ["total", "cap", "rows", "exported", "truncated"]
    counts = (data["total"], data["cap"], data["exported"], data["truncated"])
    assert counts == (4, 10_000, 4, False)
    assert all(list(row) == list(COLUMNS) for row in data["rows"])
    assert data["rows"][0]["author"] is None and data["rows"][0]["kind"] == "article"


def test_export_ndjson_is_one_row_a_line(archive):
    rows = ndjson_rows(archive.get("/export.ndjson?kind=article&sort=oldest"))
    assert [row["id"] for row in rows][0] == BRIDGE_ID
    assert len(rows) == 3 and all(list(row) == list(COLUMNS) for row in rows)


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("/export.csv", lambda response: len(csv_rows(response))),
        ("/export.json", lambda response: len(response.get_json()["rows"])),
        ("/export.ndjson", lambda response: len(ndjson_rows(response))),
    ],
)
def test_export_stops_at_the_cap_and_says_so(archive, monkeypatch, path, count):
    monkeypatch.setattr(webapp.exports, "EXPORT_CAP", 5)
    response = archive.get(path)
    assert count(response) == 5
    assert response.headers["X-Hubbub-Truncated"] == "true"
    assert response.headers["X-Hubbub-Total"] == "14"


def test_export_json_cut_at_the_cap_says_so_at_the_end(archive, monkeypatch):
    monkeypatch.setattr(webapp.exports, "EXPORT_CAP", 5)
    data = archive.get("/export.json").get_json()
    assert (data["total"], data["cap"], data["exported"], data["truncated"]) == (14, 5, 5, True)


def test_export_bad_argument_is_a_400_page(archive):
    response = archive.get("/export.csv?after=soon")
    assert response.status_code == 400 and response.mimetype == "text/html"


def test_export_without_index_is_a_503(no_index_app):
    assert no_index_app.test_client().get("/export.csv").status_code == 503


def test_feed_is_atom_of_the_newest_matches_whatever_the_sort(archive):
    response = archive.get("/feed.atom?q=harbour&sort=oldest")
    assert response.mimetype == "application/atom+xml"
    updated = [entry.findtext(f"{ATOM}updated") for entry in feed_entries(response)]
    assert [value[:10] for value in updated] == [
        "2019-11-21",
        "2019-11-20",
        "2019-03-11",
        "2019-03-10",
    ]


def test_feed_entry_names_author_and_article_and_links_the_comment(archive):
    [entry] = feed_entries(archive.get("/feed.atom?author=Dave"))
    assert entry.findtext(f"{ATOM}title") == "Dave on Council votes on harbour budget"
    assert entry.find(f"{ATOM}link").get("href") == f"/article/{BUDGET_ID}?comment=3#c3"
    assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")
    assert entry.findtext(f"{ATOM}content") == "-1 for this budget from me."
    assert entry.findtext(f"{ATOM}updated") == "2019-11-22T00:00:00+00:00"


def test_feed_holds_at_most_its_limit(archive, monkeypatch):
    monkeypatch.setattr(webapp.exports, "FEED_ENTRIES", 3)
    assert len(feed_entries(archive.get("/feed.atom"))) == 3


def test_feed_escapes_markup_in_names_and_bodies(client):
    response = client.get("/feed.atom?q=Putin&author=<i>Mallory</i>")
    text = response.get_data(as_text=True)
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    [entry] = feed_entries(response)
    assert entry.findtext(f"{ATOM}title").startswith("<i>Mallory</i> on Comments <b>with</b>")
    assert "<script>alert(1)</script>" in entry.findtext(f"{ATOM}content")


@pytest.mark.parametrize(
    "path", ["/export.csv", "/export.json", "/export.ndjson", "/feed.atom", "/feed.atom?q=harbour"]
)
def test_a_forged_host_appears_nowhere_in_feeds_or_exports(archive, path):
    response = archive.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert "evil.example" not in response.get_data(as_text=True)


@pytest.fixture
def published(archive_index):
    """A client of the known archive served at a configured public address."""
    config = {"TESTING": True, "INDEX_DIR": str(archive_index), "BASE_URL": "https://news.example/"}
    return create_app(config).test_client()


def test_exports_link_to_the_configured_address(published):
    [row] = csv_rows(published.get("/export.csv?author=Dave", headers={"Host": "evil.example"}))
    assert row["url"] == f"https://news.example/article/{BUDGET_ID}?comment=3#c3"


def test_feed_links_to_the_configured_address_with_the_same_ids(archive, published):
    feed = ET.fromstring(published.get("/feed.atom?author=Dave").get_data())
    links = {link.get("rel", "alternate"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {
        "self": "https://news.example/feed.atom?author=Dave",
        "alternate": "https://news.example/?author=Dave",
    }
    [entry] = feed.findall(f"{ATOM}entry")
    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"https://news.example/article/{BUDGET_ID}?comment=3#c3"
    [unconfigured] = feed_entries(archive.get("/feed.atom?author=Dave"))
    assert entry.findtext(f"{ATOM}id") == unconfigured.findtext(f"{ATOM}id")


def test_exports_are_written_one_at_a_time_and_the_next_is_told_when_to_come_back(client):
    first = client.get("/export.csv", buffered=False)
    assert first.status_code == 200
    busy = client.get("/export.json")
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == str(EXPORT_RETRY_SECONDS)
    assert "try again" in busy.get_json()["error"]
    assert client.get("/export.ndjson").status_code == 503
    assert client.get("/api/search?q=putin").status_code == 200
    assert first.get_data(as_text=True).startswith("id,kind,author")
    first.close()
    assert client.get("/export.json").status_code == 200


def test_exports_carry_the_address_each_documents_article_was_published_at(mixed_client):
    jsonl = Path(__file__).resolve().parents[1] / "fixtures" / "jsonl" / "thread.jsonl"
    thread_id = article_id(read_file(jsonl)[0])
    rows = ndjson_rows(mixed_client.get(f"/export.ndjson?article={thread_id}&sort=oldest"))
    assert {row["source_url"] for row in rows} == {"https://example.org/bridges"}
    assert sorted(row["url"] for row in rows) == [
        f"/article/{thread_id}",
        *(f"/article/{thread_id}?comment={n}#c{n}" for n in (1, 2, 3)),
    ]


def test_exports_leave_the_source_address_empty_when_the_file_gave_none(archive):
    assert [row["source_url"] for row in csv_rows(archive.get("/export.csv?kind=article"))] == [
        ""
    ] * 3
    [row] = archive.get("/export.json?author=Dave").get_json()["rows"]
    assert row["source_url"] is None
