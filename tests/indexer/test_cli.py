import json

import pytest
from click.testing import CliRunner

from indexer.cli import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def indexed(runner, seed_path, index_dir):
    result = runner.invoke(cli, ["index", str(seed_path), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    return index_dir


def search_json(runner, index_dir, *args) -> dict:
    result = runner.invoke(cli, ["search", *args, "--json", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_index_prints_a_summary(runner, seed_path, index_dir):
    result = runner.invoke(cli, ["index", str(seed_path), "--index", str(index_dir)])
    assert "Read 1 file: 1 article, 14 comments" in result.output
    assert "0 unchanged, 0 removed, 0 skipped" in result.output


def test_index_lists_skipped_files_with_reasons(runner, tmp_path, index_dir):
    missing = tmp_path / "missing.txt"
    result = runner.invoke(cli, ["index", str(missing), "--index", str(index_dir)])
    assert result.exit_code == 0
    assert f"{missing}: no such file or folder" in result.output


def test_index_reads_the_index_folder_from_the_environment(runner, seed_path, index_dir):
    runner.invoke(cli, ["index", str(seed_path)], env={"HUBBUB_INDEX": str(index_dir)})
    assert search_json(runner, index_dir, "Putin")["total"] > 0


def test_search_json_lists_every_comment(runner, indexed):
    data = search_json(runner, indexed, "", "--kind", "comment", "--limit", "100")
    assert data["total"] == 14 and len(data["hits"]) == 14


def test_search_json_repeated_author_options_or_together(runner, indexed):
    data = search_json(runner, indexed, "", "--author", "Umairpk", "--author", "Jammu")
    assert data["total"] == 3


def test_search_table_shows_hits_with_marked_matches(runner, indexed):
    result = runner.invoke(cli, ["search", "Putin", "--author", "Umairpk", "--index", str(indexed)])
    assert result.output.startswith("1 result (page 1 of 1)")
    assert "[Putin]" in result.output and "Umairpk" in result.output


def test_search_without_an_index_says_how_to_build_one(runner, tmp_path):
    result = runner.invoke(cli, ["search", "Putin", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "build one with 'hubbub index'" in result.output


def test_search_bad_limit_is_a_clear_error(runner, indexed):
    result = runner.invoke(cli, ["search", "Putin", "--limit", "0", "--index", str(indexed)])
    assert result.exit_code == 1
    assert "page size must be between 1 and 100" in result.output


def test_search_bad_sort_is_refused(runner, indexed):
    result = runner.invoke(cli, ["search", "Putin", "--sort", "random", "--index", str(indexed)])
    assert result.exit_code == 2 and "random" in result.output
