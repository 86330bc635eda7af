"""Browser fixtures come from tests/browser; screenshots of this area go to /tmp/gov."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import (  # noqa: F401  (fixtures shared with the members pages)
    browser,
    fresh_rate_limits,
    new_page,
    serious_violations,
)
from tests.conftest import TEST_PASSWORD, make_account, make_member
from tests.core.conftest import mailbox_dir, smtp  # noqa: F401  (needed by tests.browser fixtures)

SHOTS = Path(os.environ.get("CREWBASE_DATA_DIR", "/tmp/gov")) / "screenshots"


@pytest.fixture
def review_scene(transactional_db):
    account, owner = make_account(name="Harbor Help", owner_email="olive@harbor.example")
    account.paid_agent_seats = 3
    account.save()
    people = {}
    for first, last, role in (("Maya", "Lindqvist", "admin"), ("Omar", "Haddad", "agent")):
        member = make_member(account, role, email=f"{first.lower()}@harbor.example")
        member.first_name, member.last_name = first, last
        member.refresh_display_name()
        member.save()
        people[first.lower()] = member
    return account, owner, people


def signed_in_page(open_page, member):
    # By field name: the sign-in page also offers SSO, with its own email field.
    page = open_page("light")
    page.goto("/accounts/login/")
    form = page.locator("form:has(input[name=login])")
    form.locator("input[name=login]").fill(member.email)
    form.locator("input[name=password]").fill(TEST_PASSWORD)
    form.locator("button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def check_page(page, name: str) -> None:
    """No serious or critical axe findings in light and dark; a screenshot of each."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        problems = serious_violations(page)
        assert not problems, f"{name} ({scheme}): {problems}"
        page.screenshot(path=str(SHOTS / f"{name}-{scheme}.png"), full_page=True)
    page.emulate_media(color_scheme="light")
