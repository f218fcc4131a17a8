"""What the engines give back: passages with the spans of their matches, shown as HTML
and on the command line, and documents as this version stores them."""

from __future__ import annotations

import pickle
from dataclasses import astuple, replace
from datetime import datetime

import pytest
from click.testing import CliRunner
from whoosh.fields import STORED

from indexer.cli import bracketed, cli
from indexer.documents import Document
from indexer.engines import open_engine
from indexer.engines import tantivy as tantivy_engine
from indexer.engines import whoosh as whoosh_engine
from indexer.engines.base import IndexOutdated
from indexer.indexing import index_paths, index_records
from indexer.records import Article, Comment
from indexer.search import SearchRequest, search
from indexer.snippets import Passage, joined, marked

REBUILD = "rebuild it with 'hubbub index --rebuild'"
FILLER = "Zażółć gęślą jaźń, the harbour master said once more. " * 12
BRIDGES = Article(
    title="Two crossings",
    body=f"{FILLER}The bridge opened at dawn. {FILLER}Both bridges stand today. {FILLER}",
    date=datetime(2021, 6, 1),
    url="https://example.org/crossings",
    comments=(Comment("Ola", "No bridge for us: <b>ferries</b> & [sic] boats.", 1),),
)
BUILD_SCHEMA = whoosh_engine.build_schema
TO_FIELDS = whoosh_engine.to_fields


@pytest.fixture
def bridges_engine(index_dir):
    index_records([BRIDGES], index_dir, "bridges.txt")
    return open_engine(index_dir)


def matched(passage: Passage) -> list[str]:
    return [passage.text[start:end] for start, end in passage.spans]


def test_joined_moves_each_pieces_spans_along():
    passage = joined(["… ", Passage("a Putin", ((2, 7),)), " … ", Passage("Putin b", ((0, 5),))])
    assert passage == Passage("… a Putin … Putin b", ((4, 9), (12, 17)))
    assert matched(passage) == ["Putin", "Putin"]


def test_marked_escapes_the_text_and_marks_the_spans():
    passage = Passage('<b> & "Putin" Putin', ((7, 12), (14, 19), (15, 17)))
    assert marked(passage) == '&lt;b&gt; &amp; "<mark>Putin</mark>" <mark>Putin</mark>'


def test_bracketed_marks_the_spans_on_one_line_and_leaves_the_text_as_written():
    passage = Passage("<mark>Putin</mark>\n\nand  [more] &amp;", ((6, 11),))
    assert bracketed(passage) == "<mark>[Putin]</mark> and [more] &amp;"


@pytest.mark.engines()
def test_engines_give_spans_holding_the_query_words_as_the_passage_writes_them(bridges_engine):
    """The matches lie past other scripts' letters, and the passage starts after "… " or
    joins two passages with " … ": each span still holds a word of the body."""
    [hit] = search(bridges_engine, SearchRequest(q="bridges", kinds=("article",))).hits
    assert hit.passage is not None and "…" in hit.passage.text
    words = matched(hit.passage)
    assert words and {word.lower() for word in words} <= {"bridge", "bridges"}
    assert hit.snippet == marked(hit.passage)
    assert all(f"<mark>{word}</mark>" in hit.snippet for word in words)


@pytest.mark.engines()
def test_engine_passages_of_the_seed_hold_the_word_searched(seed_engine):
    passages = [hit.passage for hit in search(seed_engine, SearchRequest(q="Putin")).hits]
    found = [passage for passage in passages if passage is not None]
    assert found and all(matched(passage) for passage in found)
    assert {word.lower() for passage in found for word in matched(passage)} == {"putin"}


@pytest.mark.engines()
def test_search_command_brackets_the_spans_and_prints_the_source_address(bridges_engine, index_dir):
    result = CliRunner().invoke(cli, ["search", "ferries", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "No bridge for us: <b>[ferries]</b> & [sic] boats" in result.output
    assert "https://example.org/crossings" in result.output


def route(doc: Document) -> str:
    return f"/article/{doc.article_id}" + (f"#c{doc.position}" if doc.position else "")


def previous_encoding(doc: Document) -> bytes:
    return pickle.dumps(astuple(replace(doc, source_url=route(doc))))


def previous_tantivy(patch: pytest.MonkeyPatch) -> None:
    """Documents pickled as the version before did: their fields alone, the site's route
    where `source_url` is now."""
    patch.setattr(tantivy_engine, "encode", previous_encoding)
    patch.setattr(tantivy_engine, "decode", lambda data: Document(*pickle.loads(data)))


def previous_whoosh_schema():
    schema = BUILD_SCHEMA()
    schema.remove("source_url")
    schema.add("url", STORED())
    return schema


def previous_whoosh_fields(doc: Document, spelled: set[str] | None = None) -> dict:
    fields = TO_FIELDS(doc, spelled)
    fields.pop("source_url", None)
    return {**fields, "url": route(doc)}


def previous_whoosh(patch: pytest.MonkeyPatch) -> None:
    """The fields of the version before: the site's route stored as `url`."""
    patch.setattr(whoosh_engine, "build_schema", previous_whoosh_schema)
    patch.setattr(whoosh_engine, "to_fields", previous_whoosh_fields)


@pytest.fixture(
    params=[("whoosh", previous_whoosh), ("tantivy", previous_tantivy)], ids=["whoosh", "tantivy"]
)
def previous_index(request, tmp_path, seed_path, monkeypatch):
    """An index of the seed as the version before built it, and its engine."""
    engine, previous = request.param
    index_dir = tmp_path / "index"
    with monkeypatch.context() as patch:
        previous(patch)
        index_paths([seed_path], index_dir, engine=engine)
    return index_dir, engine


def test_an_index_of_the_version_before_is_to_be_rebuilt(previous_index):
    index_dir, _ = previous_index
    with pytest.raises(IndexOutdated, match=REBUILD):
        open_engine(index_dir)


def test_indexing_into_an_index_of_the_version_before_says_to_rebuild(previous_index, seed_path):
    index_dir, _ = previous_index
    result = CliRunner().invoke(cli, ["index", str(seed_path), "--index", str(index_dir)])
    assert result.exit_code == 1 and REBUILD in result.output


def test_rebuild_replaces_an_index_of_the_version_before(previous_index, seed_path):
    index_dir, engine = previous_index
    index_paths([seed_path], index_dir, rebuild=True, engine=engine)
    [hit] = search(open_engine(index_dir), SearchRequest(kinds=("article",))).hits
    assert hit.document.source_url == ""
