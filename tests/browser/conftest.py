"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.core.conftest import mailbox_dir, smtp  # noqa: F401  (shared fixtures)

# The live server runs in a thread of this process while Playwright's sync API keeps an event
# loop running in the test thread; Django's async-safety check would refuse every ORM call.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The committed pictures are refreshed only on request (CREWBASE_UPDATE_SCREENSHOTS=1 make test);
# an ordinary run still takes them, into a scratch folder, so the pages are rendered either way.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("CREWBASE_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "crewbase-screenshots"
)


# One Playwright and one Chromium per test run: other browser test folders import this fixture
# into their own conftest, which makes pytest hold it once per folder, and Playwright's sync API
# refuses a second instance while the first runs. Counted users; the last one closes it.
_shared: dict = {"users": 0}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if _shared["users"] == 0:
        _shared["playwright"] = sync_playwright().start()
        _shared["chromium"] = _shared["playwright"].chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
    _shared["users"] += 1
    try:
        yield _shared["chromium"]
    finally:
        _shared["users"] -= 1
        if _shared["users"] == 0:
            _shared.pop("chromium").close()
            _shared.pop("playwright").stop()


@pytest.fixture
def new_page(browser, live_server):
    """Pages in fresh contexts (separate cookies: separate people), closed after the test."""
    contexts = []

    def open_page(color_scheme: str = "light", javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=javascript,
            color_scheme=color_scheme,
            viewport={"width": 1280, "height": 900},
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)  # a hang guard, not a speed assertion
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    # The password form, by its fields' names: the page also offers an SSO "work address" form.
    form = page.locator("form[action='/accounts/login/']")
    form.locator("[name=login]").fill(email)
    form.locator("[name=password]").fill(password)
    form.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
