"""A running site follows deletions and merges, not only additions, without a restart."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from indexer.documents import article_id
from indexer.indexing import index_paths, remove_paths
from indexer.readers import read_file
from webapp import create_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ENGINES = ["whoosh", "tantivy"]


def api_total(client, query: str = "") -> int:
    return client.get(f"/api/search?q={query}").get_json()["total"]


def exported_ids(client) -> set[str]:
    lines = client.get("/export.ndjson").get_data(as_text=True).splitlines()
    return {json.loads(line)["id"] for line in lines if line}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_removed_file_disappears_from_a_running_site(tmp_path: Path, engine: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    taken_down = corpus / "taken-down.txt"
    shutil.copy(FIXTURES / "text" / "crlf.txt", taken_down)
    shutil.copy(FIXTURES / "jsonl" / "thread.jsonl", corpus / "kept.jsonl")
    index_dir = tmp_path / "index"
    index_paths([corpus], index_dir, engine=engine)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    gone = article_id(read_file(taken_down)[0])
    before = api_total(client)
    assert client.get(f"/article/{gone}").status_code == 200
    assert any(doc_id.startswith(gone) for doc_id in exported_ids(client))

    summary = remove_paths([taken_down], index_dir)

    assert summary.files_removed == 1
    assert client.get(f"/article/{gone}").status_code == 404
    assert client.get(f"/api/article/{gone}").status_code == 404
    assert api_total(client) < before
    assert not any(doc_id.startswith(gone) for doc_id in exported_ids(client))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_running_site_counts_what_the_index_holds_after_many_runs(
    tmp_path: Path, engine: str
) -> None:
    """Incremental runs replace files and merge segments: a site opened at the start
    must count what a fresh reader counts after every one of them."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = (FIXTURES / "jsonl" / "thread.jsonl").read_text(encoding="utf-8")
    index_dir = tmp_path / "index"
    (corpus / "first.jsonl").write_text(source, encoding="utf-8")
    index_paths([corpus], index_dir, engine=engine)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    for run in range(12):
        name = corpus / f"file-{run % 3}.jsonl"
        if name.exists() and run % 2:
            name.unlink()
        else:
            name.write_text(source.replace('"post-7"', f'"post-7-{run}"'), encoding="utf-8")
        index_paths([corpus], index_dir)
        fresh = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
        assert api_total(client) == api_total(fresh), f"after run {run + 1}"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_running_sites_feed_shows_what_was_indexed_since_it_was_last_read(
    tmp_path: Path, engine: str
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "text" / "crlf.txt", corpus / "first.txt")
    index_dir = tmp_path / "index"
    index_paths([corpus], index_dir, engine=engine)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    assert "Bridges of the Vistula" not in client.get("/feed.atom").get_data(as_text=True)
    shutil.copy(FIXTURES / "jsonl" / "thread.jsonl", corpus / "later.jsonl")
    index_paths([corpus], index_dir)
    assert "Bridges of the Vistula" in client.get("/feed.atom").get_data(as_text=True)
