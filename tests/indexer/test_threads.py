import pytest

from indexer.threads import get_thread

pytestmark = pytest.mark.engines()


def test_get_thread_gives_the_article_then_comments_in_order(seed_engine, seed_article_id):
    thread = get_thread(seed_engine, seed_article_id)
    assert thread.article.article_title.startswith("Beneath the radar")
    assert [c.position for c in thread.comments] == list(range(1, 15))
    assert thread.comments[10].author == "Anonymous"


def test_get_thread_of_an_unknown_article_is_none(seed_engine):
    assert get_thread(seed_engine, "no-such-article-00000000") is None


def test_thread_json_carries_comment_bodies_and_positions(seed_engine, seed_article_id):
    data = get_thread(seed_engine, seed_article_id).to_json()
    assert data["date"] == "2012-03-08"
    assert data["caption"].startswith("Russian PM Putin shakes hands")
    assert data["source_url"] is None and data["comments"][6]["source_url"] is None
    assert (data["comments"][6]["article_id"], data["comments"][6]["position"]) == (
        seed_article_id,
        7,
    )
    assert data["comments"][6]["body"].endswith("Rex Minor")
    assert all(c["date"] is None for c in data["comments"])
