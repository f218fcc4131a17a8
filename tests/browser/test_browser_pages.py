"""The site in chromium: searching, narrowing, reading a thread, and staying inert."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

PHONE = {"width": 360, "height": 780}


def test_search_box_submits_the_query_and_shows_hits(page: Page, artifacts):
    page.goto("/")
    page.get_by_role("searchbox").fill("Putin")
    page.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(re.compile(r"/\?q=Putin$"))
    expect(page.locator(".result-count")).to_have_text("8 results for “Putin”")
    expect(page.locator(".hit")).to_have_count(8)
    expect(page.locator(".facet-author")).to_be_visible()
    page.screenshot(path=artifacts / "search-desktop.png", full_page=True)


def test_author_facet_click_narrows_to_that_author(page: Page):
    page.goto("/?q=Putin")
    page.locator(".facet-author .facet-value", has_text="Umairpk").click()
    expect(page.locator(".hit")).to_have_count(1)
    expect(page.locator(".hit .author")).to_have_text(["Umairpk"])
    expect(page.locator(".chip")).to_have_text([re.compile(r"Author: Umairpk\s*×")])
    expect(page.locator(".facet-author .facet-value.selected")).to_contain_text("Umairpk")


def test_hit_article_link_opens_the_thread_at_its_comment(page: Page, artifacts):
    page.goto("/?q=Putin&author=Umairpk")
    page.locator(".hit-title a").click()
    expect(page).to_have_url(re.compile(r"/article/[\w-]+\?q=Putin&comment=1#c1$"))
    target = page.locator("#c1")
    expect(target).to_be_in_viewport()
    expect(target).to_have_css("background-color", "rgb(255, 245, 204)")
    expect(page.locator("#c2")).not_to_have_css("background-color", "rgb(255, 245, 204)")
    page.screenshot(path=artifacts / "thread.png")


def test_markup_in_comments_never_runs(page: Page, dialogs):
    page.goto("/?q=Putin")
    page.locator(".article-more summary", has_text="1 more in this thread").click()
    hit = page.locator(".hit-comment", has=page.locator(".author", has_text="<i>Mallory</i>"))
    expect(hit.locator(".author")).to_have_text("<i>Mallory</i>")
    hit.locator(".hit-title a", has_text="Comments <b>with</b> markup in them").click()
    expect(page.locator("#c1 .body")).to_contain_text(
        "Nice try: <script>alert(1)</script> and <img src=x onerror=alert(2)> about Putin."
    )
    assert dialogs == []


def test_pages_load_without_browser_errors(page: Page, console_errors):
    """A Content-Security-Policy violation (an inline style or script) shows up here."""
    page.goto("/?q=Putin&author=Umairpk")
    page.locator(".hit-title a").click()
    page.goto("/?year=2012&sort=newest&per_page=5&page=2")
    assert console_errors == []


def test_phone_folds_the_facets_into_filters(page: Page, artifacts):
    page.set_viewport_size(PHONE)
    page.goto("/?q=Putin")
    filters = page.locator("summary", has_text="Filters")
    expect(filters).to_be_visible()
    expect(page.locator(".facet-author")).to_be_hidden()
    expect(page.locator(".hit").first).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artifacts / "search-phone.png", full_page=True)
    filters.click()
    expect(page.locator(".facet-author")).to_be_visible()
    page.screenshot(path=artifacts / "search-phone-filters.png")
