"""A folder mixing every input format, indexed in one run through the command."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import cli


@pytest.fixture(scope="module")
def mixed_index(mixed_folder, tmp_path_factory) -> tuple[Path, dict]:
    index_dir = tmp_path_factory.mktemp("index")
    result = CliRunner().invoke(
        cli, ["index", str(mixed_folder), "--json", "--quiet", "--index", str(index_dir)]
    )
    assert result.exit_code == 0, result.output
    return index_dir, json.loads(result.output)


def everything(index_dir: Path) -> str:
    result = CliRunner().invoke(
        cli, ["search", "", "--json", "--limit", "100", "--index", str(index_dir)]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_mixed_folder_indexes_every_format_in_one_run(mixed_index):
    _, summary = mixed_index
    assert (summary["files_indexed"], summary["articles"], summary["comments"]) == (5, 9, 26)


def test_mixed_folder_reports_bad_files_with_reasons(mixed_index):
    _, summary = mixed_index
    reasons = {Path(s["path"]).name: s["reason"] for s in summary["skipped"]}
    assert reasons == {
        "blob.txt": "binary file, not text",
        "empty.html": "empty file",
        "truncated.html": "no article text and no comments found in the HTML page",
    }


def test_mixed_folder_counts_per_kind_and_author(mixed_index):
    data = json.loads(everything(mixed_index[0]))
    assert Counter(hit["kind"] for hit in data["hits"]) == {"article": 9, "comment": 26}
    authors = {value["value"]: value["count"] for value in data["facets"]["author"]}
    assert authors["Reader One"] == 5 and authors["Anonymous"] == 4
    assert authors["Marek"] == 2  # "Marek" and "marek" are one commenter


def test_mixed_folder_shows_no_email_or_ip_address(mixed_index, mixed_addresses):
    output = everything(mixed_index[0])
    assert len(mixed_addresses) > 10
    assert [address for address in mixed_addresses if address in output] == []


def test_mixed_folder_strict_run_fails_on_skipped_files(mixed_index, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00")
    result = CliRunner().invoke(
        cli, ["index", str(bad), "--strict", "--index", str(mixed_index[0])]
    )
    assert result.exit_code == 1 and "binary file" in result.output
