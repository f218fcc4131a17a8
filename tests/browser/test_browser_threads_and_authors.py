"""Long threads and busy authors in chromium: folds, pages and deep links, at both widths."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import waitress
from playwright.sync_api import Browser, Page, expect

from indexer.indexing import index_records
from tests.webapp.test_author_page import tide_reports
from tests.webapp.test_thread_page import LONG_ID, LONG_THREAD
from webapp import create_app

WIDTHS = {"desktop": 1280, "phone": 360}
TARGET_BACKGROUND = "rgb(255, 245, 204)"


@pytest.fixture(scope="module")
def busy_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site over a thread of 241 comments (three pages) and 30 threads Zed commented in."""
    index_dir: Path = tmp_path_factory.mktemp("busy-site")
    index_records([LONG_THREAD], index_dir, "long-thread.txt")
    index_records(tide_reports(), index_dir, "tides.txt")
    server = waitress.create_server(
        create_app({"INDEX_DIR": str(index_dir)}), host="127.0.0.1", port=0, threads=2
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture(params=WIDTHS)
def busy_page(request, browser: Browser, busy_site: str, console_errors) -> Iterator[Page]:
    """A page of the busy site, once at desktop and once at phone width."""
    width = WIDTHS[request.param]
    context = browser.new_context(base_url=busy_site, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    yield page
    context.close()


def width_name(page: Page) -> str:
    return "phone" if page.viewport_size["width"] < 700 else "desktop"


def fits_without_errors(page: Page, console_errors: list[str]) -> bool:
    """No sideways scroll at the page's width, and nothing the browser refused to run."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    return scroll_width <= page.viewport_size["width"] and console_errors == []


def test_thread_fold_shows_its_count_and_opens(busy_page: Page, artifacts, console_errors):
    busy_page.goto(f"/article/{LONG_ID}")
    fold = busy_page.locator("details.more-replies", has=busy_page.locator("#c4"))
    expect(fold.locator("summary")).to_have_text("2 more replies")
    expect(busy_page.locator("#c4")).to_be_hidden()
    busy_page.locator("#c3").scroll_into_view_if_needed()
    busy_page.screenshot(path=artifacts / f"thread-folded-{width_name(busy_page)}.png")
    fold.locator("summary").click()
    expect(busy_page.locator("#c4")).to_be_visible()
    expect(busy_page.locator("#c5")).to_be_visible()
    busy_page.screenshot(path=artifacts / f"thread-fold-open-{width_name(busy_page)}.png")
    assert fits_without_errors(busy_page, console_errors)


def test_thread_page_links_lead_through_the_pages(busy_page: Page, artifacts, console_errors):
    busy_page.goto(f"/article/{LONG_ID}")
    pages = busy_page.get_by_role("navigation", name="Pages")
    pages.get_by_role("link", name="2", exact=True).click()
    expect(busy_page).to_have_url(re.compile(rf"/article/{LONG_ID}\?page=2$"))
    expect(busy_page.locator(".thread-pages")).to_have_text("Page 2 of 3: comments 101–200")
    expect(busy_page.locator("article.comment").first).to_have_id("c101")
    pages.get_by_role("link", name="Next →").click()
    expect(busy_page.locator("article.comment").last).to_have_id("c241")
    pages.scroll_into_view_if_needed()
    busy_page.screenshot(path=artifacts / f"thread-pages-{width_name(busy_page)}.png")
    assert fits_without_errors(busy_page, console_errors)


def test_thread_deep_link_opens_the_way_to_its_comment(busy_page: Page, artifacts, console_errors):
    busy_page.goto(f"/article/{LONG_ID}?comment=152#c152")
    target = busy_page.locator("#c152")
    expect(target).to_be_visible()
    expect(target).to_be_in_viewport()
    expect(target).to_have_css("background-color", TARGET_BACKGROUND)
    expect(busy_page.locator("details.more-replies[open]")).to_have_count(1)
    busy_page.screenshot(path=artifacts / f"thread-deep-link-{width_name(busy_page)}.png")
    assert fits_without_errors(busy_page, console_errors)


def test_thread_match_on_another_page_is_one_click_away(busy_page: Page, console_errors):
    busy_page.goto(f"/article/{LONG_ID}?q=lighthouse")
    busy_page.locator(".match-summary").get_by_role("link", name="page 2").click()
    expect(busy_page).to_have_url(re.compile(r"\?q=lighthouse&comment=125#c125$"))
    expect(busy_page.locator("#c125")).to_be_in_viewport()
    expect(busy_page.locator("#c125 .match-label")).to_have_text("Match 2 of 3")
    assert fits_without_errors(busy_page, console_errors)


def test_author_page_leads_with_comments_and_pages_both_lists(
    busy_page: Page, artifacts, console_errors
):
    busy_page.goto("/author/Zed")
    expect(busy_page.locator(".author-comments .hit").first).to_be_in_viewport()
    expect(busy_page.locator(".author-comments .hit")).to_have_count(20)
    busy_page.screenshot(path=artifacts / f"author-comments-{width_name(busy_page)}.png")
    articles = busy_page.locator(".author-articles")
    expect(articles.locator("h2")).to_have_text("Commented in 30 articles")
    articles.get_by_role("link", name="Next →").click()
    expect(busy_page).to_have_url(re.compile(r"/author/Zed\?articles_page=2#articles-heading$"))
    expect(busy_page.locator("#articles-heading")).to_be_in_viewport()
    expect(busy_page.locator(".author-articles ol > li")).to_have_count(5)
    busy_page.screenshot(path=artifacts / f"author-articles-{width_name(busy_page)}.png")
    busy_page.locator(".author-comments").get_by_role("link", name="Next →").click()
    expect(busy_page).to_have_url(re.compile(r"/author/Zed\?articles_page=2&page=2$"))
    expect(busy_page.locator(".author-comments ol.hits")).to_have_attribute("start", "21")
    assert fits_without_errors(busy_page, console_errors)
