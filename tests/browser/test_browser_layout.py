"""Every kind of page at desktop and phone width: screenshots for a person, no sideways scroll."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.webapp.known_archive import BRIDGE_ID

WIDTHS = {"desktop": 1280, "phone": 360}
PAGES = {
    "search": "/?q=harbour",
    "search-filtered": "/?author=Alice&author=Bob&year=2020&month=2020-02&group=article",
    "author-filter": "/?author_filter=a",
    "help": "/help",
    "author": "/author/Alice",
    "thread": f"/article/{BRIDGE_ID}?q=splendid#c2",
    "empty": "/?q=nothingatall&author=Bob",
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_page_fits_its_width_without_browser_errors(
    page: Page, artifacts, console_errors, name, width
):
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(PAGES[name])
    expect(page.locator("main h1").first).to_be_visible()
    page.screenshot(path=artifacts / f"layout-{name}-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    assert console_errors == []


def test_author_page_draws_the_timeline_chart(page: Page):
    page.goto("/?author=Alice")
    page.locator(".hit .author").first.click()
    expect(page).to_have_url(re.compile(r"/author/Alice$"))
    chart = page.get_by_role("img", name="Comments per month, March 2019 to March 2020")
    expect(chart).to_be_visible()
    expect(chart.locator("rect")).to_have_count(13)
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 50


def test_author_page_search_box_narrows_their_comments(page: Page):
    page.goto("/author/Alice")
    page.get_by_label("Search Alice’s comments").fill("timetable")
    page.get_by_label("Search Alice’s comments").press("Enter")
    expect(page).to_have_url(re.compile(r"/author/Alice\?q=timetable$"))
    expect(page.locator(".author-comments .hit")).to_have_count(2)
