"""Fixtures shared by the whole suite. App-specific ones live in each app's tests."""

import os
import shutil
from pathlib import Path

import pytest

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
