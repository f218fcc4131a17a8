"""The query mix's fuzzy and no-hit queries ask what their names say of the generated
archives: a misspelt word one edit from a real one, and words no document holds."""

from __future__ import annotations

from bench.adapter import FUZZY, NOHIT
from bench.generate import generate, vocabulary_for
from bench.queries import all_queries
from indexer.query import edit_distance


def test_each_fuzzy_query_is_one_edit_from_a_word_of_the_archive_and_no_word_itself():
    words = vocabulary_for()
    for query in all_queries(20, ["someone"])[FUZZY]:
        word, edits = query.text.split("~")
        assert edits == "1" and word not in words
        assert any(edit_distance(word, known, 1) == 1 for known in words)


def test_no_generated_document_holds_a_word_of_a_no_hit_query():
    texts = [
        text
        for article in generate(2_000)
        for text in (article.title, article.body, *(c.body for c in article.comments))
    ]
    unheard = {word for query in all_queries(20, ["someone"])[NOHIT] for word in query.text.split()}
    assert len(unheard) > 3
    assert not [text for text in texts if any(word in text.lower() for word in unheard)]
