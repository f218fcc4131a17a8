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
counts = st.integers(0, 10_000)
text_fields = {field.name: texts for field in dataclasses.fields(Document) if field.type == "str"}
documents = st.builds(
    Document,
    **text_fields | {"kind": st.sampled_from(["article", "comment"])},
    date=moments,
    article_date=moments,
    position=counts,
    thread_length=counts,
    replies=counts,
    signed=st.lists(texts, max_size=3).map(tuple),
    quotes=st.lists(texts, max_size=3).map(tuple),
    votes=st.none() | st.integers(-1000, 1000),
    stand_in=st.booleans(),
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
