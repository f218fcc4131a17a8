"""The README's picture of the search page, taken from the live site on every run so that
it always shows the page as it is."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

README = Path(__file__).resolve().parents[2] / "README.md"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+\.png)\)")
README_VIEWPORT = {"width": 1280, "height": 800}


def readme_image() -> Path:
    """The first image the README shows: the search page."""
    found = IMAGE.search(README.read_text(encoding="utf-8"))
    assert found, "README.md shows no .png image"
    return README.parent / found.group(1)


def test_readme_screenshot_shows_hits_and_facets(page: Page):
    page.set_viewport_size(README_VIEWPORT)
    page.goto("/?q=Pakistan")
    expect(page.locator(".result-count")).to_have_text("14 results for “Pakistan”")
    expect(page.locator(".hit mark").first).to_be_in_viewport()
    expect(page.locator(".hit-comment .hit-head").first).to_be_in_viewport()
    author = page.locator(".facet-author .facet-value").first
    expect(author).to_be_in_viewport()
    expect(author).to_contain_text("pakistan")
    expect(page.locator(".facet-kind")).to_be_in_viewport()
    page.screenshot(path=readme_image())
