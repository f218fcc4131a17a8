"""Signatures, quotes and the reply graph in chromium, with screenshots at both widths."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from indexer.documents import article_id
from indexer.readers import read_file

WIDTHS = {"desktop": 1280, "phone": 360}


@pytest.fixture(scope="session")
def seed_thread(seed_path) -> str:
    return f"/article/{article_id(read_file(seed_path)[0])}"


def test_thread_quote_link_leads_to_the_quoted_comment(page: Page, artifacts, seed_thread):
    page.goto(seed_thread)
    quotes = page.locator("#c5 .quotes")
    expect(quotes).to_have_text("quotes #4")
    quotes.get_by_role("link", name="#4").click()
    expect(page).to_have_url(re.compile(r"#c4$"))
    expect(page.locator("#c4")).to_be_in_viewport()
    expect(page.locator("#c4 .quoted-by")).to_have_text("quoted by #5")
    page.screenshot(path=artifacts / "thread-quotes.png")


def test_author_page_also_signs_as_leads_to_the_signature_page(page: Page):
    page.goto("/author/forbirds")
    page.locator(".signs-as").get_by_role("link", name="Rex Minor").click()
    expect(page).to_have_url(re.compile(r"/signed/Rex%20Minor$"))
    expect(page.locator("main h1")).to_have_text("Rex Minor")
    expect(page.locator(".signature-handles li")).to_have_text(
        [re.compile(r"pakistan\s+3 comments"), re.compile(r"forbirds\s+1 comment\b")]
    )


def test_thread_draws_the_reply_graph(page: Page, seed_thread):
    page.goto(seed_thread)
    page.get_by_role("link", name="Who answers whom").click()
    graph = page.get_by_role("img", name=re.compile("An arrow from each commenter"))
    expect(graph).to_be_in_viewport()
    expect(graph.locator("circle")).to_have_count(2)
    expect(graph.locator("path.arrow-quote")).to_have_count(1)
    box = graph.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 40


def test_signed_facet_narrows_to_the_signed_comments(page: Page):
    page.goto("/")
    page.locator(".facet-signed .facet-value", has_text="Rex Minor").click()
    expect(page.locator(".hit")).to_have_count(4)
    expect(page.locator(".chip")).to_have_text([re.compile(r"Signed: Rex Minor\s*×")])
    expect(page.locator(".hit .signed").first).to_have_text("signed Rex Minor")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("thread-graph", None),
        ("signature", "/signed/Rex%20Minor"),
        ("author-signs", "/author/forbirds"),
    ],
)
def test_new_pages_fit_their_width(
    page: Page, artifacts, console_errors, seed_thread, name, path, width
):
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(path or seed_thread)
    expect(page.locator("main h1").first).to_be_visible()
    if path is None:
        page.locator("#who-answers-whom").screenshot(path=artifacts / f"{name}-{width}.png")
    else:
        page.screenshot(path=artifacts / f"{name}-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    assert console_errors == []
