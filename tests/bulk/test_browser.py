"""The bulk pages in Chromium: tick, preview, confirm, results; CSV upload and review.

Checked with axe in light and dark; screenshots go to $CREWBASE_DATA_DIR/bulk-*.png.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serious_violations
from tests.conftest import TEST_PASSWORD, make_account, make_member

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(os.environ.get("CREWBASE_DATA_DIR", "/tmp"))


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def check(page, name: str) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        problems = serious_violations(page)
        assert not problems, f"{name} ({scheme}): {problems}"
        page.screenshot(path=str(SHOTS / f"bulk-{name}-{scheme}.png"), full_page=True)
    page.emulate_media(color_scheme="light")


def test_tick_preview_confirm_and_results(new_page):
    account, owner = make_account(name="Harbor Help")
    people = [make_member(account, "agent") for _ in range(3)]
    page = new_page()
    sign_in(page, owner.email)
    page.goto("/members/")
    for member in people[:2]:
        page.get_by_label(f"Select {member.display_name}").check()
    page.get_by_label(f"Select {owner.display_name}").check()
    page.get_by_label("Action").select_option("change_role")
    page.get_by_label("Role (for Change role)").select_option(label="Supervisor")
    check(page, "members")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url("**/bulk/preview/**")
    expect(page.get_by_text("the owner cannot be demoted")).to_be_visible()
    check(page, "preview")
    page.get_by_role("button", name="Confirm: change 2 members").click()
    page.wait_for_url("**/bulk/*/")
    expect(page.get_by_text("Finished at")).to_be_visible()
    check(page, "results")


def test_csv_upload_review_and_send(new_page, tmp_path):
    _, owner = make_account()
    path = tmp_path / "people.csv"
    path.write_text("email;role;first name\nana@example.com;Agent;Ana\nbad@;Wizard;Bo\n")
    page = new_page()  # plain forms; axe itself needs JavaScript
    sign_in(page, owner.email)
    page.goto("/bulk/import/")
    check(page, "import")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and review").click()
    page.wait_for_url("**/bulk/import/*/")
    expect(page.get_by_text("bad@ is not a valid email address").first).to_be_visible()
    check(page, "review")
    page.get_by_role("button", name="Send 1 invitation").click()
    expect(page.get_by_text("Sent 1 invitations")).to_be_visible()
