"""The Whoosh engine's own: its bounds on did-you-mean and wildcard work, and the
Whoosh queries it compiles the query language into."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from whoosh import query

from indexer.engines import open_engine
from indexer.engines import whoosh as whoosh_engine
from indexer.engines.base import Engine, Filters, QuerySyntaxError
from indexer.engines.whoosh import FirstTerms, NumberWildcard, build_schema, compile_query
from indexer.indexing import index_paths
from indexer.query import SEARCH_FIELDS, Lexicon
from indexer.search import SearchRequest, search

SCHEMA = build_schema()
MARKED = re.compile(r"<mark>(.*?)</mark>")


def in_text_fields(make: Callable[[str], query.Query]) -> query.Or:
    """One query per text field, any of them: what a word without a field compiles to."""
    return query.Or([make(field) for field in SEARCH_FIELDS])


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


@pytest.mark.parametrize(
    ("text", "compiled"),
    [
        ("Elections", in_text_fields(lambda field: query.Term(field, "elect"))),
        ("text:Elections", query.Term("body", "elect")),
        ("caption:radar", query.Term("caption", "radar")),
        ("article:article-0001", query.Term("article_id", "article-0001")),
        ("kind:comment", query.Term("kind", "comment")),
        ("copies:group-7", query.Term("copy_group", "group-7")),
        ("author:KPSingh01", query.Term("author", "kpsingh01")),
        ("author:'Rex  Minor'", query.Term("author", "rex minor")),
        ('author:"Rex Minor"', query.Term("author", "rex minor")),
        ("year:2012", query.Term("year", SCHEMA["year"].to_bytes(2012))),
        ("year:2012~", query.Term("year", SCHEMA["year"].to_bytes(2012))),
        ("year:201*", FirstTerms(NumberWildcard("year", "201*"))),
    ],
)
def test_a_field_compiles_to_its_own_terms(text: str, compiled: query.Query) -> None:
    assert compile_query(SCHEMA, text) == compiled


@pytest.mark.parametrize(
    ("text", "compiled"),
    [
        ('title:"Russia and Pakistan"', query.Phrase("title", ["russia", "pakistan"])),
        ("title:'Russia Pakistan'", query.Phrase("title", ["russia", "pakistan"])),
        ("title:Russia-Pakistan", query.Phrase("title", ["russia", "pakistan"])),
        ("text:e-mail", query.Term("body", "mail")),
    ],
)
def test_words_of_one_field_compile_to_a_phrase_without_stop_words(
    text: str, compiled: query.Query
) -> None:
    assert compile_query(SCHEMA, text) == compiled


@pytest.mark.parametrize("text", ["the", "title:the", "(the OR of)", '"to be"'])
def test_stop_words_alone_find_nothing(text: str) -> None:
    assert compile_query(SCHEMA, text) is query.NullQuery


def test_a_group_leaves_its_stop_words_out() -> None:
    assert compile_query(SCHEMA, "the title:Putin of") == query.Term("title", "putin")


@pytest.mark.parametrize(
    ("text", "compiled"),
    [
        ("author:Umairp~", query.FuzzyTerm("author", "umairp", maxdist=1, prefixlength=0)),
        ("text:Gov*", query.Prefix("body", "gov")),
        ("text:Elections*", query.Prefix("body", "elections")),
        ("text:Russ?s", query.Wildcard("body", "russ?s")),
        ("author:Umai*", query.Prefix("author", "umai")),
    ],
)
def test_fuzzy_and_wildcard_words_stand_for_a_bounded_number_of_terms(
    text: str, compiled: query.Query
) -> None:
    assert compile_query(SCHEMA, text) == FirstTerms(compiled)


def test_a_fuzzy_word_in_text_is_the_stems_of_the_words_within_its_edits() -> None:
    lexicon = Lexicon(lambda: ["putin", "puts", "put", "government"])
    assert compile_query(SCHEMA, "text:Putn~", lexicon) == query.Or(
        [query.Term("body", "put"), query.Term("body", "putin")]
    )
    assert compile_query(SCHEMA, "text:governmnt~", lexicon) == query.Term("body", "govern")
    assert compile_query(SCHEMA, "text:qxzv~2", lexicon) is query.NullQuery


def test_exclusions_are_taken_from_the_rest_of_their_group() -> None:
    russia = in_text_fields(lambda field: query.Term(field, "russia"))
    putin = in_text_fields(lambda field: query.Term(field, "putin"))
    india = in_text_fields(lambda field: query.Term(field, "india"))
    assert compile_query(SCHEMA, "russia -putin NOT india") == query.AndNot(
        russia, query.Or([putin, india])
    )
    assert compile_query(SCHEMA, "-putin") == query.AndNot(query.Every(), putin)
    assert compile_query(SCHEMA, "russia OR -putin") == query.Or([russia, query.Not(putin)])


def test_or_binds_the_words_beside_it_within_a_field() -> None:
    assert compile_query(SCHEMA, "kind:(comment OR article) author:Jammu") == query.And(
        [
            query.Or([query.Term("kind", "comment"), query.Term("kind", "article")]),
            query.Term("author", "jammu"),
        ]
    )


def test_an_empty_query_is_every_document_and_a_bad_one_is_refused() -> None:
    assert compile_query(SCHEMA, "  ") == query.Every()
    with pytest.raises(QuerySyntaxError, match="there is no field 'id'"):
        compile_query(SCHEMA, "id:abc")


def test_stop_words_are_left_out_of_a_search(seed_index: Path) -> None:
    snapshot = open_engine(seed_index).snapshot()
    assert snapshot.select("putin the", Filters(), {}).total == 8
    assert snapshot.select("the", Filters(), {}).total == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("putn~", {"put", "putin"}),
        ("puti*", {"putin"}),
        ("russ?a", {"russia"}),
        ('"Rex Minor"', {"rex", "minor"}),
        ("Russia-Pakistan", {"russia", "pakistan"}),
        ("putin -india", {"putin"}),
        ("author:Umairpk putin", {"putin"}),
    ],
)
def test_every_hit_marks_the_words_its_query_matched(
    seed_engine: Engine, text: str, words: set[str]
) -> None:
    hits = search(seed_engine, SearchRequest(q=text, per_page=100)).hits
    marked = [{word.lower() for word in MARKED.findall(hit.snippet)} for hit in hits]
    assert marked and all(found and found <= words for found in marked)
