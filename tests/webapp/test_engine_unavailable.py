"""A search cluster that stops answering gives a 503 to try again, never a broken page."""

from __future__ import annotations

import json
import socket

from indexer import Archive
from indexer.engines import solr
from indexer.engines import solr_cluster as solr_http
from indexer.layout import IndexLayout
from webapp import create_app


def test_a_cluster_that_does_not_answer_gives_503_with_retry_after(
    solr_cluster, tmp_path, seed_path, monkeypatch
):
    index_dir = tmp_path / "index"
    Archive.open(index_dir).index([seed_path], engine="solr")
    pointer_file = IndexLayout(index_dir).current() / solr.POINTER
    pointer = json.loads(pointer_file.read_text(encoding="utf-8"))
    pointer["urls"] = [f"http://127.0.0.1:{unused_port()}/solr"]
    pointer_file.write_text(json.dumps(pointer), encoding="utf-8")
    monkeypatch.setattr(solr_http, "RETRY_SECONDS", 0.3)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()

    page = client.get("/?q=putin")
    answer = client.get("/api/search?q=putin")

    assert page.status_code == answer.status_code == 503
    assert page.headers["Retry-After"] == answer.headers["Retry-After"] == "10"
    assert "not answering" in page.get_data(as_text=True)
    assert answer.get_json()["error"].startswith("The search engine is not answering")


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
