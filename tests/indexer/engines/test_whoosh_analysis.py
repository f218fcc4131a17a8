"""Whoosh indexing in one pass gives the terms and positions of Whoosh's stemming chain,
and did-you-mean keeps to the words of the documents still in the index."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from whoosh import index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import TEXT

from indexer.documents import ARTICLE, COMMENT, Document
from indexer.engines.whoosh import WhooshReader, WhooshStore
from indexer.engines.whoosh_analysis import StemmedText, term_positions, unseen_words

TEXTS = [
    "The quick brown foxes were running over the lazy dogs' kennels.",
    "a an the of",
    "Of the 40 MPs, I think it's the U.S. economy (e.g. v1.2.3) at 3.14 percent",
    "İstanbul ÉCOLE Straße ΣΊΣΥΦΟΣ ﬁne ½ ٣٤ naïve café",
    "stars*and* ** wild*cards x_y __init__",
    "Trailing dot. .leading ..double a.b. ...",
    "",
    " \n\t ",
    "word " * 40 + "Word WORD words wordy",
]


def chain_positions(text: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for token in StemmingAnalyzer()(text, positions=True):
        found.setdefault(token.text, []).append(token.pos)
    return found


@pytest.mark.parametrize("text", TEXTS)
def test_term_positions_are_the_stemming_chains(text):
    assert term_positions(text) == chain_positions(text)


@pytest.mark.parametrize("boost", [1.0, 2.0])
def test_stemmed_text_indexes_as_text_with_the_stemming_analyzer(seed_path, boost):
    plain = TEXT(analyzer=StemmingAnalyzer(), field_boost=boost)
    fast = StemmedText(field_boost=boost)
    for text in TEXTS + seed_path.read_text(encoding="utf-8").split("\n\n"):
        assert sorted(fast.index(text)) == sorted(plain.index(text))


def test_unseen_words_are_lower_case_unstemmed_and_new():
    seen = {"dogs"}
    assert sorted(unseen_words("The Dogs were RUNNING; dogs ran", seen)) == [
        "ran",
        "running",
        "were",
    ]
    assert seen == {"dogs", "ran", "running", "were"}


def document(source: str, number: int, body: str, copy_group: str = "") -> Document:
    return Document(
        id=f"{source}-{number}",
        kind=COMMENT if number else ARTICLE,
        article_id=source,
        article_title=f"Thread {source}",
        author=f"reader{number}",
        date=datetime(2020, 5, 2),
        article_date=datetime(2020, 5, 2),
        position=number,
        body=body,
        source_url="",
        source=source,
        copy_group=copy_group,
    )


def suggestion(generation: Path, text: str) -> str | None:
    return WhooshReader(generation).snapshot().suggest(text)


@pytest.fixture
def store(tmp_path: Path) -> WhooshStore:
    return WhooshStore(tmp_path, create=True)


def test_did_you_mean_finds_a_word_given_to_one_document_of_its_source(store, tmp_path):
    store.replace_sources(
        {"a": [document("a", 0, "The zanzibar ferry"), document("a", 1, "A zanzibar ferry")]}
    )
    assert suggestion(tmp_path, "zanzibr feri") == "zanzibar ferry"


def test_did_you_mean_forgets_the_words_of_a_removed_source(store, tmp_path):
    store.replace_sources(
        {"a": [document("a", 0, "The zanzibar ferry")], "b": [document("b", 0, "A ferry")]}
    )
    store.replace_sources({}, remove=["a"])
    assert suggestion(tmp_path, "zanzibr feri") == "zanzibr ferry"


def test_did_you_mean_forgets_deleted_words_before_their_segment_is_merged(store, tmp_path):
    store.replace_sources(
        {"a": [document("a", 0, "The zanzibar ferry")], "b": [document("b", 0, "A ferry")]}
    )
    writer = index.open_dir(str(tmp_path)).writer()
    writer.delete_by_term("source", "a")
    writer.commit(merge=False)
    assert suggestion(tmp_path, "zanzibr feri") == "zanzibr ferry"


def test_did_you_mean_keeps_a_word_when_a_source_is_replaced_without_its_first_holder(
    store, tmp_path
):
    store.replace_sources(
        {"a": [document("a", 0, "The zanzibar ferry"), document("a", 1, "Zanzibar at dawn")]}
    )
    store.replace_sources({"a": [document("a", 1, "Zanzibar at dawn")]})
    assert suggestion(tmp_path, "zanzibr") == "zanzibar"


def test_did_you_mean_keeps_the_words_of_a_document_moved_to_a_copy_group(store, tmp_path):
    store.replace_sources(
        {"a": [document("a", 0, "The zanzibar ferry"), document("a", 1, "Zanzibar at dawn")]}
    )
    store.set_copy_groups({"a-0": "a-0"})
    assert suggestion(tmp_path, "zanzibr") == "zanzibar"
