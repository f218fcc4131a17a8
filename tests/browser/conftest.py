"""A real browser against a real server: waitress on a free port over the seed index,
the markup fixture and the known archive (tests/webapp/known_archive.py).

The tests drive Debian's chromium. Without it they are skipped loudly, and on CI
(CI=true) they fail, so a missing browser never passes for a green run.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import waitress
from playwright.sync_api import Browser, Page, sync_playwright

from indexer.indexing import index_paths
from tests.webapp.known_archive import add_known_archive
from webapp import create_app

HOSTILE_MARKUP = Path(__file__).resolve().parents[1] / "fixtures" / "hostile-markup.txt"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def site_index(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    """The seed and the markup fixture, read from files, and the known archive's threads."""
    index_dir = tmp_path_factory.mktemp("site-index")
    index_paths([seed_path, HOSTILE_MARKUP], index_dir)
    add_known_archive(index_dir)
    return index_dir


@pytest.fixture(scope="session")
def live_server(site_index: Path) -> Iterator[str]:
    """The site's base URL, served as `hubbub serve` serves it."""
    app = create_app({"INDEX_DIR": str(site_index)})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"!!! BROWSER TESTS NOT RUN: {CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        warnings.warn(reason, stacklevel=1)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def dialogs() -> list[str]:
    """Messages of every alert, confirm or prompt a page opened: script that ran."""
    return []


@pytest.fixture
def console_errors() -> list[str]:
    """Errors the browser logged, such as a Content-Security-Policy violation."""
    return []


@pytest.fixture
def page(browser: Browser, live_server: str, dialogs, console_errors) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, viewport=DESKTOP)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts(pytestconfig: pytest.Config) -> Path:
    """Where screenshots go for a person to look at (gitignored)."""
    folder = pytestconfig.rootpath / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder
