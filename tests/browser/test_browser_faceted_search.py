"""Faceted search in chromium over the known archive: filters, chips, dates, help, exports."""

from __future__ import annotations

import csv
import re

from playwright.sync_api import Locator, Page, expect

MAX_TABS = 80


def facet_value(page: Page, facet: str, label: str) -> Locator:
    """A facet's value link by its exact label, among the values shown first."""
    exact = page.locator(".label", has_text=re.compile(f"^{re.escape(label)}$"))
    return page.locator(f".facet-{facet} .top-values .facet-value, .facet-{facet} .bars a").filter(
        has=exact
    )


def test_two_authors_then_a_year_show_chips_and_counts(page: Page, artifacts):
    page.goto("/")
    facet_value(page, "author", "Alice").click()
    facet_value(page, "author", "Bob").click()
    expect(page.locator(".result-count")).to_have_text("8 results")
    facet_value(page, "date", "2020").click()
    expect(page.locator(".result-count")).to_have_text("4 results")
    expect(page.locator(".chip")).to_have_text(
        [re.compile(rf"{chip}\s*×") for chip in ("Author: Alice", "Author: Bob", "Year: 2020")]
    )
    expect(facet_value(page, "author", "Alice").locator(".count")).to_have_text("3")
    expect(facet_value(page, "author", "Bob").locator(".count")).to_have_text("1")
    expect(facet_value(page, "date", "2019").locator(".count")).to_have_text("4")
    expect(page.locator(".facet-date .facet-subhead")).to_have_text("Months")
    page.screenshot(path=artifacts / "search-filters-desktop.png", full_page=True)

    page.get_by_role("link", name="Remove filter Author: Bob").click()
    expect(page.locator(".result-count")).to_have_text("3 results")
    expect(page.locator(".chip")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/\?author=Alice&year=2020$"))


def test_sort_links_reorder_the_hits(page: Page):
    page.goto("/?author=Alice")
    dates = page.locator(".hit-meta time")
    page.get_by_role("link", name="newest").click()
    expect(dates.first).to_have_attribute("datetime", "2020-03-02")
    page.get_by_role("link", name="oldest").click()
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    expect(dates.first).to_have_attribute("datetime", "2019-03-11")


def test_date_range_form_narrows_the_hits(page: Page):
    page.goto("/?author=Alice")
    page.get_by_label("From").fill("2020")
    page.get_by_label("To", exact=True).fill("2020-02")
    page.get_by_role("button", name="Apply dates").click()
    expect(page).to_have_url(re.compile(r"/\?author=Alice&after=2020&before=2020-02$"))
    expect(page.locator(".result-count")).to_have_text("2 results")
    expect(page.locator(".chip span")).to_have_text(["Author: Alice", "From: 2020", "To: 2020-02"])


def test_unparsable_query_shows_the_notice(page: Page):
    page.goto("/")
    page.get_by_role("searchbox").fill('"harbour bridge')
    page.get_by_role("searchbox").press("Enter")
    expect(page.locator(".notice")).to_contain_text("a quotation mark is not closed")
    expect(page.locator(".hit").first).to_be_visible()


def test_did_you_mean_runs_the_suggested_query(page: Page):
    page.goto("/?q=harbur+budgt")
    expect(page.locator(".hit")).to_have_count(0)
    page.get_by_role("link", name="harbour budget").click()
    expect(page.get_by_role("searchbox")).to_have_value("harbour budget")
    expect(page.locator(".result-count")).to_have_text("2 results for “harbour budget”")


def test_help_example_runs_against_the_archive(page: Page):
    page.goto("/")
    page.get_by_role("link", name="Search syntax").click()
    page.get_by_role("link", name="russ*").click()
    expect(page.get_by_role("searchbox")).to_have_value("russ*")
    expect(page.locator(".hit").first).to_be_visible()


def test_csv_export_downloads_every_matching_row(page: Page, tmp_path):
    page.goto("/?per_page=5")
    total = int(re.match(r"\d+", page.locator(".result-count").inner_text()).group())
    assert total > 5
    with page.expect_download() as download_info:
        page.locator(".exports").get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "hubbub-export.csv"
    path = tmp_path / "export.csv"
    download.save_as(path)
    with path.open(newline="", encoding="utf-8") as file:
        assert len(list(csv.DictReader(file))) == total


def test_author_filter_narrows_the_list_as_you_type(page: Page):
    page.goto("/")
    page.locator(".facet-author summary").click()
    page.get_by_label("Filter authors").fill("ar")
    visible = page.locator("#all-authors li:visible .label")
    expect(visible).to_have_text(["Carol"])
    page.get_by_label("Filter authors").press("Enter")
    expect(page).to_have_url(re.compile(r"author_filter=ar"))
    expect(visible).to_have_text(["Carol"])


def test_facet_is_reached_and_chosen_by_keyboard_alone(page: Page):
    page.goto("/?q=harbour")
    bob = facet_value(page, "author", "Bob")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if bob.evaluate("link => link === document.activeElement"):
            break
    else:
        raise AssertionError(f"Bob's facet link was not reached in {MAX_TABS} tabs")
    assert bob.evaluate("link => getComputedStyle(link).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/\?q=harbour&author=Bob$"))
    expect(page.locator(".chip span")).to_have_text(["Author: Bob"])
