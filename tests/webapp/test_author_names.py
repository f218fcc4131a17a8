"""Author names as files give them: every name shown gets a page its links reach."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from indexer.indexing import index_paths
from webapp import create_app


def test_a_name_with_line_breaks_gets_a_reachable_author_page(tmp_path: Path) -> None:
    records = [
        {"kind": "article", "id": "a", "title": "Harbour news", "body": "The harbour."},
        {"kind": "comment", "id": "c1", "article_id": "a", "author": "Jane\r\nDoe\t\x00",
         "body": "A comment on the harbour.", "position": 1},
    ]  # fmt: skip
    archive = tmp_path / "thread.jsonl"
    archive.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    index_paths([archive], tmp_path / "index")
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    hits = client.get("/api/search?q=harbour&kind=comment").get_json()["hits"]
    assert [hit["author"] for hit in hits] == ["Jane Doe"]
    page = client.get("/?q=harbour").get_data(as_text=True)
    links = {unescape(link) for link in re.findall(r'href="(/author/[^"?#]+)', page)}
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link
