import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from tests.conftest import FIXTURES

THREADS = FIXTURES / "html" / "threads"


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
    assert "No index yet. Build it with: hubbub index --index" in result.output


def test_search_bad_limit_is_a_clear_error(runner, indexed):
    result = runner.invoke(cli, ["search", "Putin", "--limit", "0", "--index", str(indexed)])
    assert result.exit_code == 1
    assert "page size must be between 1 and 100" in result.output


def test_search_bad_sort_is_refused(runner, indexed):
    result = runner.invoke(cli, ["search", "Putin", "--sort", "random", "--index", str(indexed)])
    assert result.exit_code == 2 and "random" in result.output


def test_index_json_summary_says_an_unchanged_rerun_wrote_nothing(runner, indexed, seed_path):
    result = runner.invoke(
        cli, ["index", str(seed_path), "--json", "--quiet", "--index", str(indexed)]
    )
    summary = json.loads(result.output)
    assert (summary["files_unchanged"], summary["files_indexed"], summary["generation"]) == (
        1,
        0,
        1,
    )


def test_index_prints_plain_progress_lines_when_not_on_a_terminal(runner, seed_path, index_dir):
    result = runner.invoke(cli, ["index", str(seed_path), "--index", str(index_dir)])
    size = seed_path.stat().st_size / 2**20
    assert f"indexed 1/1 files · {size:,.0f}/{size:,.0f} MB · 15 documents" in result.stderr


def test_index_quiet_prints_nothing(runner, seed_path, index_dir):
    result = runner.invoke(cli, ["index", str(seed_path), "--quiet", "--index", str(index_dir)])
    assert (result.stdout, result.stderr) == ("", "")


def test_stats_json_describes_the_index(runner, indexed, seed_path):
    data = json.loads(runner.invoke(cli, ["stats", "--json", "--index", str(indexed)]).output)
    assert data["documents"] == {"article": 1, "comment": 14}
    assert data["authors"] == 11 and data["top_authors"][0] == {"author": "pakistan", "comments": 3}
    assert (data["first_date"], data["last_date"]) == ("2012-03-08", "2012-03-08")
    assert data["files"] == [
        {
            "path": str(seed_path.resolve()),
            "sha256": data["files"][0]["sha256"],
            "status": "indexed",
            "reason": "",
            "articles": 1,
            "comments": 14,
            "note": "",
            "left_out": {},
        }
    ]
    assert data["size_bytes"] > 0 and data["engine"] == "whoosh"
    assert data["generations"] == [
        {"name": "gen-000001", "state": "live", "size_bytes": data["size_bytes"]}
    ]


def test_stats_lists_skipped_files_with_their_reason(runner, indexed, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    runner.invoke(cli, ["index", str(bad), "--index", str(indexed)])
    output = runner.invoke(cli, ["stats", "--index", str(indexed)]).output
    assert f"{bad.resolve()}: skipped: empty file" in output


def test_remove_drops_a_file_from_the_index(runner, indexed, seed_path):
    result = runner.invoke(cli, ["remove", str(seed_path), "--index", str(indexed)])
    assert result.output.startswith("Removed 1 file")
    assert search_json(runner, indexed, "")["total"] == 0


def test_remove_without_an_index_says_how_to_build_one(runner, seed_path, tmp_path):
    result = runner.invoke(cli, ["remove", str(seed_path), "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "No index yet. Build it with: hubbub index --index" in result.output


def test_index_engine_is_recorded_and_kept_until_a_rebuild(runner, seed_path, index_dir):
    command = ["index", str(seed_path), "--index", str(index_dir)]
    assert runner.invoke(cli, [*command, "--engine", "tantivy"]).exit_code == 0
    stats = runner.invoke(cli, ["stats", "--json", "--index", str(index_dir)])
    assert json.loads(stats.output)["engine"] == "tantivy"
    refused = runner.invoke(cli, [*command, "--engine", "whoosh"])
    assert refused.exit_code == 1
    assert "is a tantivy index" in refused.output and "--rebuild --engine whoosh" in refused.output
    assert search_json(runner, index_dir, "Putin")["total"] == 6
    assert runner.invoke(cli, [*command, "--rebuild", "--engine", "whoosh"]).exit_code == 0
    stats = runner.invoke(cli, ["stats", "--json", "--index", str(index_dir)])
    assert json.loads(stats.output)["engine"] == "whoosh"


def test_index_summary_lists_pages_whose_comments_were_not_split(runner, index_dir):
    page = THREADS / "unsplit.html"
    result = runner.invoke(cli, ["index", str(page), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "Comments not split in 1 file" in result.output
    assert f"{page}: comments not split: a comment section" in result.output


def test_stats_marks_threads_found_by_record_mining(runner, index_dir):
    runner.invoke(cli, ["index", str(THREADS), "--index", str(index_dir)])
    result = runner.invoke(cli, ["stats", "--json", "--index", str(index_dir)])
    files = json.loads(result.output)["files"]
    notes = {Path(record["path"]).name: record["note"] for record in files}
    assert notes["mined.html"].startswith("comments found by record mining")
    assert notes["unsplit.html"].startswith("comments not split")


NYT_MAP = (
    "body=commentBody,author=userDisplayName,date=createDate,article_id=articleID,"
    "parent=parentID,votes=recommendations,id=commentID"
)


def test_index_maps_a_csvs_columns_from_the_command_line(tmp_path):
    """A CSV with no map file beside it reads with --map; another map reads it again."""
    csv_file = tmp_path / "comments.csv"
    csv_file.write_bytes((FIXTURES / "csv" / "nyt-comments.csv").read_bytes())
    index_dir = tmp_path / "index"
    runner = CliRunner()

    unmapped = runner.invoke(cli, ["index", str(csv_file), "--index", str(index_dir)])
    mapped = runner.invoke(
        cli,
        ["index", str(csv_file), "--map", NYT_MAP, "--index", str(index_dir), "--json", "--quiet"],
    )
    found = runner.invoke(
        cli, ["search", "--sort", "votes", "--json", "--limit", "1", "--index", str(index_dir)]
    )

    assert "comments.csv" in unmapped.output and "Skipped 1 file" in unmapped.output
    assert json.loads(mapped.output)["files_indexed"] == 1
    [top] = json.loads(found.output)["hits"]
    assert (top["author"], top["votes"]) == ("Ana Lucía", 40)


def test_index_refuses_a_map_naming_no_field_of_hubbub(tmp_path):
    result = CliRunner().invoke(
        cli, ["index", str(tmp_path), "--map", "colour=commentBody", "--index", str(tmp_path / "i")]
    )
    assert result.exit_code == 1
    assert "colour" in result.output and "body" in result.output
