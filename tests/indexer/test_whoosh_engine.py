"""The Whoosh engine's own bounds: did-you-mean and wildcard work stay small."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer import whoosh_engine
from indexer.archive import open_engine
from indexer.engine import Filters
from indexer.indexing import index_paths


def test_stop_words_are_never_corrected(seed_index: Path) -> None:
    snapshot = open_engine(seed_index).snapshot()
    assert snapshot.suggest("the putn of the") == "the putin of the"


def test_a_wildcard_stands_for_a_bounded_number_of_terms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = [f"harbor{letter}" for letter in "abcdefghij"]
    lines = [json.dumps({"kind": "article", "id": "a", "title": "Ports", "body": "ports"})]
    lines += [
        json.dumps({"kind": "comment", "id": f"c{n}", "article_id": "a", "body": word})
        for n, word in enumerate(words)
    ]
    archive = tmp_path / "ports.jsonl"
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    index_paths([archive], tmp_path / "index", engine="whoosh")
    snapshot = open_engine(tmp_path / "index").snapshot()
    assert snapshot.select("harbor*", Filters(), {}).total == len(words)
    monkeypatch.setattr(whoosh_engine, "MAX_EXPANSIONS", 3)
    assert snapshot.select("harbor?", Filters(), {}).total == 3
