"""Every document names its site and carries its votes where the source has them: a facet,
a filter, a query field and a sort on every engine."""

from __future__ import annotations

from datetime import datetime

import pytest

from indexer import Archive
from indexer.documents import site_of, thread_documents
from indexer.records import Article, Comment

pytestmark = pytest.mark.engines()

THREADS = [
    Article(
        title="Ferries return",
        body="The ferries are back.",
        url="https://www.harbour-gazette.example/ferries",
        date=datetime(2020, 3, 1),
        comments=(
            Comment(author="Ola", body="Finally the ferries.", position=1, votes=12),
            Comment(author="Marek", body="Too late for the ferries.", position=2, votes=-3),
            Comment(author="Ewa", body="Ferries, ferries.", position=3),
        ),
    ),
    Article(
        title="Ask: best ferry route?",
        body="Which ferry do you take?",
        site="r/harbour",
        votes=40,
        date=datetime(2020, 3, 2),
        comments=(Comment(author="Jan", body="The night ferry.", position=1, votes=7),),
    ),
]


@pytest.fixture
def archive(index_dir) -> Archive:
    archive = Archive.open(index_dir)
    archive.add_records(THREADS, "made-in-code")
    return archive


def test_a_site_is_the_sources_own_name_or_the_host_of_the_address():
    documents = [doc for article in THREADS for doc in thread_documents(article, "s")]
    assert {doc.site for doc in documents} == {"harbour-gazette.example", "r/harbour"}
    assert site_of("http://Example.org:8080/a") == "example.org"
    assert site_of("not an address") == ""


def test_sites_are_a_facet_a_filter_and_a_query_field(archive):
    result = archive.search(q="ferri*")
    counts = {value.value: value.count for value in result.facets["site"]}
    assert counts == {"harbour-gazette.example": 4, "r/harbour": 2}
    assert archive.search(q="ferri*", sites=["r/harbour"]).total == 2
    assert archive.search(q="site:r/harbour").total == 2
    assert {hit.document.site for hit in archive.search(sites=["r/harbour"]).hits} == {"r/harbour"}


def test_sort_by_votes_puts_the_highest_first_and_the_unvoted_last(archive):
    hits = archive.search(sort="votes", per_page=100).hits
    assert [hit.document.votes for hit in hits] == [40, 12, 7, -3, None, None]


def test_votes_and_site_come_back_in_the_json(archive):
    [hit] = archive.search(q="night").hits
    data = hit.document.to_json()
    assert (data["site"], data["votes"]) == ("r/harbour", 7)
