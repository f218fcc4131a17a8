"""In chromium: a date that cannot be read keeps the search, filter terms typed in the
box are the facets' filters, and a facet's whole list pages, wide and narrow."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

NARROW = {"width": 360, "height": 780}


def test_unreadable_date_keeps_the_search_and_says_why_beside_the_box(page: Page):
    page.goto("/?q=harbour&author=Bob")
    page.locator("#date-after").fill("March 2012")
    page.get_by_role("button", name="Apply dates").click()
    box = page.locator("#date-after")
    expect(box).to_have_value("March 2012")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#date-after-error")).to_have_text(
        "A date is written YYYY, YYYY-MM or YYYY-MM-DD, not 'March 2012'."
    )
    expect(page.locator("#search-query")).to_have_value("harbour")
    expect(page.locator(".result-count")).to_have_text("1 result for “harbour”")
    expect(page.locator(".chip span")).to_have_text(["Author: Bob"])
    page.screenshot(path="/tmp/filters-date-error-1280.png", full_page=True)

    page.locator(".field-errors a").click()
    expect(box).to_be_focused()
    box.fill("2019-11")
    page.get_by_role("button", name="Apply dates").click()
    expect(page).to_have_url(re.compile(r"/\?q=harbour&author=Bob&after=2019-11&before=$"))
    expect(page.locator(".field-error")).to_have_count(0)


def test_unreadable_date_opens_the_folded_filters_on_a_narrow_screen(page: Page):
    page.set_viewport_size(NARROW)
    page.goto("/?q=harbour&before=soon")
    expect(page.locator("#date-before-error")).to_be_visible()
    expect(page.locator(".field-errors")).to_be_visible()
    page.screenshot(path="/tmp/filters-date-error-360.png", full_page=True)


def test_typed_author_becomes_a_chip_and_a_ticked_author_adds_to_it(page: Page):
    page.goto("/")
    page.locator("#search-query").fill("harbour author:alice")
    page.locator("#search-query").press("Enter")
    expect(page).to_have_url(re.compile(r"/\?q=harbour&author=alice$"))
    expect(page.locator("#search-query")).to_have_value("harbour")
    expect(page.locator(".chip span")).to_have_text(["Author: Alice"])
    alice = page.locator(".facet-author .facet-value.selected")
    expect(alice.locator(".label")).to_have_text("Alice")

    page.locator(".facet-author .top-values .facet-value", has_text="Bob").click()
    expect(page.locator(".result-count")).to_have_text("2 results for “harbour”")
    expect(page.locator(".chip span")).to_have_text(["Author: Alice", "Author: Bob"])
    page.screenshot(path="/tmp/filters-typed-author-1280.png", full_page=True)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?q=harbour&author=alice$"))
    expect(page.locator(".chip span")).to_have_text(["Author: Alice"])
    page.get_by_role("link", name="Remove filter Author: Alice").click()
    expect(page).to_have_url(re.compile(r"/\?q=harbour$"))


def test_more_counts_every_author_and_opens_their_whole_list(page: Page):
    page.goto("/?facet_size=5")
    more = page.locator(".facet-author details.more")
    summary = more.locator("summary")
    expect(summary).to_have_text("more… (5+ authors)")
    summary.click()
    whole_list = more.locator(".facet-whole-list a")
    expect(whole_list).to_have_text(re.compile(r"All authors,\s+counted, 100 a page"))
    page.screenshot(path="/tmp/filters-more-1280.png", full_page=True)
    whole_list.click()
    total = int(re.match(r"(\d+) authors", page.locator("h1").inner_text()).group(1))
    assert total > 5
    expect(page.locator(".whole-list .facet-value")).to_have_count(total)
    page.locator("#value-filter").fill("ar")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".whole-list .label")).to_have_text(["Carol"])
    page.locator(".whole-list .facet-value").click()
    expect(page.locator(".chip span")).to_have_text(["Author: Carol"])


def test_whole_list_reads_on_a_narrow_screen(page: Page):
    page.set_viewport_size(NARROW)
    page.goto("/facets/author")
    expect(page.locator(".whole-list .facet-value").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"]
    page.screenshot(path="/tmp/filters-whole-list-360.png", full_page=True)


def test_a_refused_request_keeps_the_query_in_the_box(page: Page):
    page.goto("/?q=harbour+bridge&page=first")
    expect(page.locator(".error-message")).to_have_text(
        "'page' must be a whole number of up to 9 digits, not 'first'."
    )
    expect(page.locator("#search-query")).to_have_value("harbour bridge")
    page.locator("#search-query").press("Enter")
    expect(page.locator(".result-count")).to_have_text("2 results for “harbour bridge”")
