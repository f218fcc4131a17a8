"""A document read back from an index is the document that was written."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.documents import Document
from indexer.engines import solr, tantivy

texts = st.text(max_size=40)
moments = st.none() | st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1))
documents = st.builds(
    Document,
    id=texts,
    kind=st.sampled_from(["article", "comment"]),
    article_id=texts,
    article_title=texts,
    author=texts,
    date=moments,
    article_date=moments,
    position=st.integers(0, 10_000),
    body=texts,
    source_url=texts,
    source=texts,
    caption=texts,
    parent=texts,
    thread_length=st.integers(0, 10_000),
    signed=st.lists(texts, max_size=3).map(tuple),
    quotes=st.lists(texts, max_size=3).map(tuple),
    copy_group=texts,
    site=texts,
    votes=st.none() | st.integers(-1000, 1000),
    stand_in=st.booleans(),
    replies=st.integers(0, 1000),
    parent_author=texts,
)


@given(documents)
def test_a_restored_document_is_the_one_its_fields_came_from(doc):
    restored = Document.restored(dataclasses.asdict(doc))
    assert restored == doc and hash(restored) == hash(doc)
    assert restored.effective_date == doc.effective_date
    assert dataclasses.replace(restored, copy_group="g").copy_group == "g"
    with pytest.raises(dataclasses.FrozenInstanceError):
        restored.author = "someone else"


@given(documents)
def test_each_engine_reads_back_the_document_it_stored(doc):
    assert tantivy.decode(tantivy.encode(doc)) == doc
    assert solr.decode(solr.encode(doc), doc.body) == doc
