from datetime import datetime

import pytest

from indexer.authors import author_profile, signature_profile
from indexer.documents import article_id
from indexer.engines import open_engine
from indexer.indexing import index_records
from indexer.records import Article, Comment
from indexer.replies import article_graph, author_graph

pytestmark = pytest.mark.engines()

THREAD = Article(
    title="Ferries",
    body="The ferries return.",
    date=datetime(2020, 5, 1),
    comments=(
        Comment("Ann", "The timetable suits the early risers in the harbour town.", 1, key="a"),
        Comment("Bob", "I disagree with Ann.", 2, key="b", parent="a"),
        Comment("Cy", '"The timetable suits the early risers" is wrong, Ann.', 3, key="c"),
        Comment("Ann", "Bob, read it again.", 4, key="d", parent="b"),
    ),
)


@pytest.fixture
def engine(index_dir):
    index_records([THREAD], index_dir, "ferries.txt")
    return open_engine(index_dir)


def test_article_graph_counts_replies_and_quotes(engine):
    graph = article_graph(engine, article_id(THREAD))
    assert sorted(graph.edges) == [("Ann", "Bob", 1, 0), ("Bob", "Ann", 1, 0), ("Cy", "Ann", 0, 1)]
    assert graph.nodes[0] == ("Ann", 2)


def test_author_graph_keeps_only_edges_touching_the_author(engine):
    graph = author_graph(engine, "bob")
    assert sorted(graph.edges) == [("Ann", "Bob", 1, 0), ("Bob", "Ann", 1, 0)]


def test_author_profile_says_who_also_signs_as_whom(seed_engine):
    profile = author_profile(seed_engine, "forbirds")
    assert [(s.value, s.count) for s in profile.signs_as] == [("Rex Minor", 1)]


def test_signature_profile_lists_the_handles_that_signed_it(seed_engine):
    profile = signature_profile(seed_engine, "rex minor")
    assert profile.name == "Rex Minor" and profile.comments == 4
    assert [(h.value, h.count) for h in profile.handles] == [("pakistan", 3), ("forbirds", 1)]


def test_signature_profile_of_an_unsigned_name_is_none(seed_engine):
    assert signature_profile(seed_engine, "Nobody Signs This") is None
