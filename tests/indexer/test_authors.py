from datetime import date, datetime

import pytest

from indexer.authors import author_profile, timeline_of
from indexer.engines import open_engine
from indexer.indexing import index_records
from indexer.records import Article

pytestmark = pytest.mark.engines()


def test_author_profile_counts_comments_whatever_the_case(seed_engine):
    profile = author_profile(seed_engine, "PAKISTAN")
    assert (profile.name, profile.comments, profile.article_count) == ("pakistan", 3, 1)


def test_author_profile_falls_back_to_article_dates_and_says_so(seed_engine):
    profile = author_profile(seed_engine, "Umairpk")
    assert (profile.first, profile.last) == (date(2012, 3, 8), date(2012, 3, 8))
    assert profile.from_article_dates is True


def test_author_profile_lists_articles_with_counts(seed_engine, seed_article_id):
    articles = author_profile(seed_engine, "Umairpk").to_json()["articles"]
    assert [(a["id"], a["count"]) for a in articles] == [(seed_article_id, 2)]


def test_author_profile_of_an_unknown_author_is_none(seed_engine):
    assert author_profile(seed_engine, "nobody at all") is None


def test_timeline_fills_empty_months():
    assert timeline_of({"2020-01-05": 1, "2020-03-01": 1, "2020-03-02": 1}) == [
        ("2020-01", 1),
        ("2020-02", 0),
        ("2020-03", 2),
    ]


def test_timeline_counts_by_year_over_long_spans():
    assert timeline_of({"2010-01-01": 1, "2014-06-01": 1}) == [
        ("2010", 1), ("2011", 0), ("2012", 0), ("2013", 0), ("2014", 1),
    ]


def test_author_profile_of_a_byline_counts_the_articles_written(index_dir):
    index_records(
        [Article(title="Bridges", body="Text.", byline="Ewa Nowak", date=datetime(2019, 5, 4))],
        index_dir,
        "bridges.txt",
    )
    profile = author_profile(open_engine(index_dir), "ewa nowak")
    assert (profile.name, profile.comments, profile.articles_written) == ("Ewa Nowak", 0, 1)
