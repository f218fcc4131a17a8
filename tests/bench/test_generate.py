"""The benchmark's archive generator: the same seed gives the same skewed archive."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest

from bench.generate import document_count, generate

SIZE = 3_000


@pytest.fixture(scope="module")
def archive():
    return generate(SIZE, seed=7)


def test_generate_is_deterministic_for_a_seed(archive):
    assert generate(SIZE, seed=7) == archive


def test_generate_differs_with_the_seed(archive):
    assert generate(SIZE, seed=8) != archive


def test_generate_makes_exactly_the_documents_asked_for(archive):
    assert document_count(archive) == SIZE


def test_generate_skews_authors(archive):
    counts = sorted(Counter(c.author for a in archive for c in a.comments).values())
    assert counts[-1] > 10 * statistics.median(counts)


def test_generate_skews_threads(archive):
    lengths = [len(article.comments) for article in archive]
    assert max(lengths) > 4 * statistics.median(lengths)
    assert 7 < statistics.mean(lengths) < 13


def test_generate_spreads_dates_over_years(archive):
    years = {article.date.year for article in archive}
    assert len(years) >= 8


def test_generate_writes_about_ninety_words_a_document(archive):
    bodies = [a.body for a in archive] + [c.body for a in archive for c in a.comments]
    assert 70 < statistics.mean(len(body.split()) for body in bodies) < 110
