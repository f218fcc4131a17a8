"""Many threads searching one shared index at once get the answers one thread gets."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from bench.generate import generate, vocabulary_for
from indexer.engines import open_engine
from indexer.indexing import index_records
from indexer.search import SearchRequest, export_documents, search

THREADS = 16
QUERIES_EACH = 6


@pytest.fixture(scope="module", params=["whoosh", "tantivy"])
def shared_index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp(f"shared-{request.param}")
    index_records(generate(3_000), index_dir, "generated", engine=request.param)
    return index_dir


def requests_for(thread: int) -> list[SearchRequest]:
    """Queries no other thread asks, so that no answer comes from a cache."""
    rng = random.Random(thread)
    words = vocabulary_for()
    return [
        SearchRequest(q=" ".join(rng.choice(words) for _ in range(150))[:1000], facets=())
        for n in range(QUERIES_EACH)
    ]


def answer(engine, request: SearchRequest) -> tuple:
    result = search(engine, request)
    _, documents = export_documents(engine, request, cap=30)
    return (
        result.total,
        [hit.document.id for hit in result.hits],
        [hit.snippet for hit in result.hits],
        [doc.id for doc in documents],
    )


def test_threads_sharing_an_index_get_the_answers_one_thread_gets(shared_index: Path) -> None:
    shared = open_engine(shared_index)
    found: dict[SearchRequest, tuple] = {}
    failures: list[str] = []

    def reader(thread: int) -> None:
        for request in requests_for(thread):
            try:
                found[request] = answer(shared, request)
            except Exception as error:  # every failure is a finding
                failures.append(f"{request.q}: {error!r}")

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    alone = open_engine(shared_index)
    for request, got in found.items():
        assert got == answer(alone, request), request.q
