"""In chromium, wide and narrow: a comment hit says who said it and whom it answers, a
thread's further hits fold under its first, the sorts people use reorder the hits, and
an author typed in the box becomes the facet's chip."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

WIDTHS = {"wide": {"width": 1280, "height": 900}, "narrow": {"width": 360, "height": 780}}


@pytest.fixture(params=list(WIDTHS))
def sized_page(request: pytest.FixtureRequest, page: Page) -> Page:
    page.set_viewport_size(WIDTHS[request.param])
    return page


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_comment_hit_is_headed_by_who_said_it_and_whom_it_answers(sized_page: Page):
    sized_page.goto("/?q=late&group=none")
    reply = sized_page.locator(".hit-comment", has_text="Splendid, and a year")
    expect(reply.locator(".hit-head")).to_contain_text("Bob, replying to Alice · comment 2 of 4")
    expect(reply.locator(".hit-title")).to_have_text("on Harbour bridge reopens")
    no_sideways_scroll(sized_page)


def test_a_threads_further_hits_fold_under_its_first(sized_page: Page):
    sized_page.goto("/?q=harbour")
    fold = sized_page.locator("details", has_text="1 more in this thread").first
    hidden = fold.locator(".hit")
    expect(hidden).to_be_hidden()
    fold.locator("summary").click()
    expect(hidden).to_be_visible()
    no_sideways_scroll(sized_page)


def test_the_sort_control_reorders_the_hits(sized_page: Page):
    sized_page.goto("/?q=harbour&group=none")
    sort = sized_page.get_by_role("navigation", name="Sort")
    sort.get_by_role("link", name="Most answered").click()
    expect(sized_page).to_have_url(re.compile(r"sort=replies"))
    expect(sort.locator("[aria-current=true]")).to_have_text("Most answered")
    first = sized_page.locator(".hit").first
    expect(first).to_contain_text("Council votes on harbour budget")  # 3 comments answer it
    sort.get_by_role("link", name="Most discussed").click()
    expect(sized_page.locator(".hit").first).to_contain_text("Harbour bridge")  # 4 comments
    no_sideways_scroll(sized_page)


def test_an_empty_query_lists_the_newest_first(sized_page: Page):
    sized_page.goto("/")
    sort = sized_page.get_by_role("navigation", name="Sort")
    expect(sort.locator("[aria-current=true]")).to_have_text("Newest")


def test_an_author_typed_in_the_box_becomes_the_facets_chip(sized_page: Page):
    sized_page.goto("/?q=harbour+author%3Abob")
    expect(sized_page).to_have_url(re.compile(r"/\?q=harbour&author=bob$"))
    expect(sized_page.locator(".chip span")).to_have_text(["Author: Bob"])
    expect(sized_page.locator("#search-query")).to_have_value("harbour")
    no_sideways_scroll(sized_page)
