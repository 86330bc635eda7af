"""The whole SSO sign-in in Chromium against the in-process OIDC provider, and the SSO
console pages checked with axe in light and dark themes (screenshots in SCREENSHOTS)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from crewbase.people.models import Member
from tests.browser.conftest import SCREENSHOTS, serious_violations, sign_in
from tests.conftest import TEST_PASSWORD, make_account
from tests.sso.conftest import make_oidc_connection, mark_tested_and_enable, set_idp_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_by_work_email_through_the_identity_provider(new_page, live_server, oidc_server):
    account, owner = make_account(name="Acme", owner_email="owner@acme.test")
    mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    set_idp_user(
        oidc_server,
        "wendy",
        email="wendy@acme.test",
        email_verified=True,
        given_name="Wendy",
        family_name="Wu",
    )
    page = new_page(javascript=False)
    page.goto("/accounts/login/")
    page.get_by_label("Work address").fill("wendy@acme.test")
    page.get_by_role("button", name="Continue with SSO").click()
    page.wait_for_url(f"{oidc_server}/**")
    page.locator("input[name=sub]").fill("wendy")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/")  # back home, signed in
    assert Member.objects.get(account=account, email="wendy@acme.test").status == "active"
    expect(page.get_by_text("wendy@acme.test").first).to_be_visible()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_sso_console_pages_are_accessible(new_page, oidc_server, theme):
    _account, owner = make_account(name="Acme", owner_email="owner@acme.test")
    connection = make_oidc_connection(owner, oidc_server)
    page = new_page(color_scheme=theme)
    sign_in(page, owner.email, TEST_PASSWORD)
    page.goto("/security/sso/")
    assert serious_violations(page) == []
    page.goto(f"/security/sso/{connection.pk}/")
    expect(page.get_by_role("button", name="Test sign-in")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / f"sso-connection-{theme}.png"), full_page=True)
