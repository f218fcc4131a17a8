"""The HTML reader on hand-labelled saved pages, one test per page and markup family.

Each page is scored by `bench.fidelity` against its `.labels.json`; the assertions are
what a reader of the archive would notice, and each names what differs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.fidelity import Mismatch, PageLabels, find_labels, load_labels, score_page

FAMILIES = Path(__file__).resolve().parents[1] / "fixtures" / "html" / "families"
PAGES = [load_labels(path) for path in find_labels([FAMILIES])]


def listed(mismatches: list[Mismatch]) -> str:
    return "\n".join(str(m) for m in mismatches)


@pytest.mark.parametrize("labels", PAGES, ids=[page.name for page in PAGES])
def test_read_html_family_page_matches_its_labels(labels: PageLabels):
    score = score_page(labels)
    assert score.error is None, f"{labels.page} did not read: {score.error}"
    missed = score.of("missed", "author")
    assert not missed, f"comments missed or with the wrong author:\n{listed(missed)}"
    extra = score.of("extra")
    assert not extra, f"comments found that are not on the page:\n{listed(extra)}"
    dates = score.of("date", "invented date")
    assert not dates, f"comment dates:\n{listed(dates)}"
    parents = score.of("parent")
    assert not parents, f"comments answering the wrong comment:\n{listed(parents)}"
    leaked = score.of("in body")
    assert not leaked, f"comment text in the article body:\n{listed(leaked)}"
    title = score.of("title")
    assert not title, listed(title)
