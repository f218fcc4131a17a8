"""What only the tantivy engine does: its own index layout and facet numbers."""


import json

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from indexer.engines import open_engine
from indexer.engines.base import IndexOutdated
from indexer.engines.tantivy import build_schema, key_number
from indexer.indexing import index_paths
from indexer.search import SearchRequest, search

NUMBER_OF_ARTICLE_0001 = 5569212556556757321


def test_index_of_another_version_is_refused_with_the_command_that_rebuilds_it(outdated_index):
    with pytest.raises(IndexOutdated, match=r"hubbub index --rebuild"):
        open_engine(outdated_index)


def test_search_command_on_an_index_of_another_version_says_to_rebuild(outdated_index):
    result = CliRunner().invoke(cli, ["search", "putin", "--index", str(outdated_index)])
    assert result.exit_code == 1
    assert "rebuild it with 'hubbub index --rebuild'" in result.output


def test_index_command_on_an_index_of_another_version_says_to_rebuild(outdated_index, seed_path):
    result = CliRunner().invoke(cli, ["index", str(seed_path), "--index", str(outdated_index)])
    assert result.exit_code == 1
    assert "rebuild it with 'hubbub index --rebuild'" in result.output


def test_rebuild_replaces_an_index_of_another_version(outdated_index, seed_path, monkeypatch):
    monkeypatch.setattr("indexer.engines.tantivy.build_schema", build_schema)
    index_paths([seed_path], outdated_index, rebuild=True, engine="tantivy")
    assert open_engine(outdated_index).snapshot().doc_count() == 15


def test_key_number_is_signed_64_bit_and_distinct_per_key():
    keys = ["", "a", "A", "article-0001", "article-0002", "ünïcødé", "x" * 10_000]
    numbers = [key_number(key) for key in keys]
    assert all(-(2**63) <= n < 2**63 for n in numbers) and len(set(numbers)) == len(keys)


def test_key_number_never_changes_as_indexes_store_it():
    assert key_number("article-0001") == NUMBER_OF_ARTICLE_0001



@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_an_index_on_read_only_storage_can_be_searched(small_disk, seed_path, engine: str) -> None:
    index_dir = small_disk.path / "index"
    index_paths([seed_path], index_dir, engine=engine)
    small_disk.read_only()
    runner = CliRunner()
    found = runner.invoke(cli, ["search", "putin", "--json", "--index", str(index_dir)])
    assert found.exit_code == 0, found.output
    assert json.loads(found.output)["total"] == 6
    stats = runner.invoke(cli, ["stats", "--index", str(index_dir)])
    assert stats.exit_code == 0, stats.output
    assert search(open_engine(index_dir), SearchRequest(q="putin")).total == 6
