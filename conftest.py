"""Fixtures shared by the whole suite. App-specific ones live in each app's tests."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer

ARTIFACTS = Path(__file__).parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def _chromium() -> str | None:
    for candidate in (os.environ.get("HUJI_CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


class _SerialWSGIServer(WSGIServer):
    """The live server without threads. With the suite's in-memory SQLite the
    server threads share one connection, and a page's parallel requests (a dozen
    thumbnails) collide on it ("bad parameter or other API misuse"). Without
    threads Django closes each connection, so the browser's requests queue."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server_on_sqlite():
    # Session-scoped and autouse at the root, so it is in place before any test
    # starts the (session-scoped) live server.
    from django.db import connection
    from django.test.testcases import LiveServerThread

    if connection.vendor != "sqlite":
        yield
        return
    original = LiveServerThread.server_class
    LiveServerThread.server_class = _SerialWSGIServer
    yield
    LiveServerThread.server_class = original


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium driven by Playwright (its own browser download cannot work
    here). Skipped where Chromium is missing, unless HUJI_REQUIRE_BROWSER is set
    (CI sets it, so a missing browser fails the run instead of hiding tests)."""
    executable = _chromium()
    if executable is None:
        if os.environ.get("HUJI_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (HUJI_REQUIRE_BROWSER) but not found")
        pytest.skip("Chromium not installed: python3 dev.py test installs it as root")
    # Playwright's sync API runs an event loop in this thread; Django's ORM guard
    # would otherwise refuse the test's own database calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(chromium_browser, live_server):
    """A 390-pixel-wide phone screen, in Chinese."""
    context = chromium_browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        base_url=live_server.url,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_page(chromium_browser, live_server):
    context = chromium_browser.new_context(
        viewport={"width": 1366, "height": 900},
        locale="zh-CN",
        base_url=live_server.url,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/ (looked at by people)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
