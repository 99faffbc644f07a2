"""Browser tests: Playwright driving Debian's Chromium (``/usr/bin/chromium``, installed
by ``scripts/browser.sh``, which ``make test`` runs), headless, against the platform
served by the test on loopback.

Each test writes screenshots of the pages it passes through to a folder named after it,
under ``SCREENSHOTS_DIR`` (``.var/screenshots`` by default), for a person to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# As root, with no network but loopback: no sandbox, no GPU, no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def _django_allow_async_unsafe() -> Iterator[None]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM, called by
    # the test between browser steps, would refuse to run beside it. Only for the
    # browser modules: a process started by another test must not inherit it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="module")
def browser(_django_allow_async_unsafe: None) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/browser.sh (make test does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class Shots:
    """Numbered screenshots in the test's own folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def __call__(self, page: Page, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    base = Path(os.environ.get("SCREENSHOTS_DIR", ROOT / ".var" / "screenshots"))
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
    return Shots(base / request.node.module.__name__.rsplit(".", 1)[-1] / name)


@contextmanager
def opened(browser: Browser, *, viewport: dict[str, int], **options: Any) -> Iterator[Page]:
    """A fresh page (no cookies); at the end, fails the test if the page asked for
    anything beyond this machine (every asset is served locally, no CDN) or the
    Content-Security-Policy blocked anything on any page it showed."""
    context = browser.new_context(viewport=viewport, **options)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    outside: list[str] = []

    def refuse(route: Route) -> None:
        outside.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]|data:|blob:)"), refuse)
    blocked: list[str] = []
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        yield page
    finally:
        context.close()
    assert not outside, f"the page asked for something outside this machine: {outside}"
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with opened(browser, viewport=DESK) as desk:
        yield desk


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    with opened(browser, viewport=PHONE, is_mobile=True, has_touch=True) as small:
        yield small
