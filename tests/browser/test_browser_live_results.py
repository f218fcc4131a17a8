"""Results as you type: the search page follows the search box without a reload, and
the box works as a plain form without JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

PHONE = {"width": 360, "height": 780}
# Longer than the pause the page waits for after the last key, and then some.
SETTLED_MS = 600


def type_query(page: Page, query: str) -> None:
    box = page.get_by_role("searchbox")
    box.click()
    page.keyboard.type(query)


def caret_in_box(page: Page) -> list:
    """Whether the box has focus, where its caret is, and how long its text is."""
    return page.get_by_role("searchbox").evaluate(
        "box => [document.activeElement === box, box.selectionStart, box.value.length]"
    )


def test_typing_shows_the_results_in_place_keeping_the_filters(page: Page, artifacts):
    page.goto("/?author=Alice")
    page.evaluate("window.notReloaded = true")
    type_query(page, "timetable")
    expect(page.locator(".result-count")).to_have_text("2 results for “timetable”")
    expect(page).to_have_url(re.compile(r"/\?q=timetable&author=Alice$"))
    expect(page.locator(".facet-kind .facet-value .label")).to_have_text(["comment"])
    expect(page.locator(".hit .hit-title a")).to_have_text(["Ferry timetable changes"] * 2)
    expect(page).to_have_title("“timetable” · Hubbub")
    assert page.evaluate("window.notReloaded") is True
    assert caret_in_box(page) == [True, 9, 9]
    page.screenshot(path=artifacts / "live-results-desktop.png", full_page=True)


def test_typing_fast_fetches_once_for_the_last_key(page: Page):
    page.goto("/")
    searches = []
    page.on(
        "request",
        lambda request: (
            request.resource_type == "fetch" and searches.append(request.url.split("/", 3)[3])
        ),
    )
    type_query(page, "harbour")
    expect(page.locator(".result-count")).to_have_text("4 results for “harbour”")
    page.wait_for_timeout(SETTLED_MS)
    assert searches == ["?q=harbour"]


def test_a_newer_key_aborts_the_search_still_on_its_way(page: Page):
    page.goto("/")
    page.route(re.compile(r"/\?q=ferr$"), lambda route: None)  # never answered
    aborted = []
    page.on("requestfailed", lambda request: aborted.append(request.url.split("/", 3)[3]))
    with page.expect_request(re.compile(r"/\?q=ferr$")):
        type_query(page, "ferr")
    page.keyboard.type("y")
    expect(page.locator(".result-count")).to_have_text("3 results for “ferry”")
    assert aborted == ["?q=ferr"]


def test_clearing_the_box_shows_everything_again(page: Page):
    page.goto("/?q=timetable&sort=oldest")
    everything = page.locator(".result-count").inner_text()
    page.get_by_role("searchbox").fill("")
    expect(page.locator(".result-count")).not_to_have_text(everything)
    expect(page).to_have_url(re.compile(r"/\?sort=oldest$"))


def test_controls_of_live_results_work_as_loaded_ones(page: Page):
    page.goto("/?q=budget")
    page.get_by_role("searchbox").fill("")
    expect(page.locator(".result-count")).to_have_text("32 results")
    page.locator(".facet-author summary").click()
    page.get_by_label("Filter authors").fill("da")
    expect(page.locator("#all-authors li:visible .label")).to_have_text(["Dave"])
    page.locator("#all-authors .facet-value", has_text="Dave").click()
    expect(page).to_have_url(re.compile(r"/\?author=Dave$"))
    expect(page.locator(".hit .author")).to_have_text(["Dave"])


def test_phone_keeps_the_filters_open_while_results_change(page: Page, artifacts):
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.locator("summary", has_text="Filters").click()
    type_query(page, "ferry")
    expect(page.locator(".result-count")).to_have_text(re.compile(r"results? for “ferry”"))
    expect(page.locator(".facet-article .facet-value .label").first).to_be_visible()
    assert caret_in_box(page) == [True, 5, 5]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artifacts / "live-results-phone.png", full_page=True)


def test_without_javascript_the_box_submits_the_form(browser: Browser, live_server: str):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/?author=Alice")
    type_query(page, "timetable")
    page.wait_for_timeout(SETTLED_MS)
    expect(page.locator(".result-count")).to_have_text("5 results")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/\?q=timetable&author=Alice$"))
    expect(page.locator(".result-count")).to_have_text("2 results for “timetable”")
    context.close()
