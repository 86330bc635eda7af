"""The SCIM token page in Chromium: keyboard, axe (light and dark), a screenshot of each."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import serious_violations
from tests.conftest import TEST_PASSWORD, make_account

SHOTS = Path(os.environ.get("CREWBASE_DATA_DIR", "var")) / "screenshots"


def sign_in(page, email: str) -> None:
    # By the password form's own field ids: the sign-in page also offers an SSO email field.
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.django_db(transaction=True)
def test_scim_token_page_rotates_by_keyboard_and_passes_axe(new_page):
    _account, owner = make_account(name="Harbor Help")
    page = new_page()
    sign_in(page, owner.email)
    page.goto("/security/")
    page.get_by_role("link", name="SCIM provisioning").click()
    page.get_by_role("button", name="Create token").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#scim-secret")
    assert page.locator("#scim-secret").inner_text().startswith("scim_")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert not serious_violations(page), scheme
        page.screenshot(path=str(SHOTS / f"scim-token-{scheme}.png"), full_page=True)
    page.get_by_role("link", name="Revoke token").click()
    assert not serious_violations(page)
    page.get_by_role("button", name="Revoke token").click()
    page.wait_for_selector("text=SCIM is off")
