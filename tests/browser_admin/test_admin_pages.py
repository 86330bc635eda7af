"""End-to-end flows of the admin pages in Chromium, each page checked with axe-core and
photographed in light and dark (docs/screenshots/<page>-light.png / -dark.png)."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from crewbase.access.models import Role
from crewbase.accounts.models import Account
from crewbase.api.actions import create_api_token
from crewbase.people.models import Member
from tests.browser_admin.conftest import check_page, signed_in_page
from tests.conftest import actor_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_roles_clone_a_role_and_toggle_a_permission(new_page, harbor):
    account, owner, _people = harbor
    page = signed_in_page(new_page, owner)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Roles").click()
    page.wait_for_url("**/roles/")
    check_page(page, "roles")
    page.get_by_role("link", name="Clone Supervisor").click()
    page.wait_for_url("**/roles/new/?clone_of=*")
    page.get_by_label("Name").fill("Shift lead")
    delete_tickets = page.get_by_label("Delete tickets (tickets.delete)")
    assert not delete_tickets.is_checked()
    delete_tickets.check()
    page.get_by_label("View analytics (analytics.view)").uncheck()
    check_page(page, "roles-clone")
    page.get_by_role("button", name="Create role").click()
    page.wait_for_url("**/roles/*/")
    expect(page.get_by_text("Role 'Shift lead' created.")).to_be_visible()
    role = Role.objects.get(account=account, name="Shift lead")
    assert "tickets.delete" in role.permissions and "analytics.view" not in role.permissions
    page.goto("/roles/")
    header = page.get_by_role("columnheader", name="Shift lead")
    expect(header).to_be_visible()


def test_roles_page_refused_to_a_role_without_it(new_page, harbor):
    _account, _owner, people = harbor
    page = signed_in_page(new_page, people["omar"])
    nav = page.get_by_role("navigation", name="Console")
    expect(nav.get_by_role("link", name="Settings")).to_be_visible()
    for hidden in ("Activity", "Billing", "Security"):
        assert nav.get_by_role("link", name=hidden).count() == 0
    response = page.goto("/security/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


def test_activity_filter_then_export_csv(new_page, harbor):
    _account, owner, people = harbor
    page = signed_in_page(new_page, owner)
    page.goto("/activity/")
    check_page(page, "activity")
    page.get_by_label("Activity type").select_option("member.updated")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/activity/?*type=member.updated*")
    who = page.get_by_role("region", name="Who performed “Profile edited”")
    expect(who.get_by_role("link", name="Maya Lindqvist <maya@harbor.example>")).to_be_visible()
    expect(who.get_by_text("2 times")).to_be_visible()
    rows = page.locator("table tbody tr")
    assert rows.count() == 3
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(text)))
    assert len(exported) == 3 and {row["action"] for row in exported} == {"member.updated"}
    page.get_by_label("Performed by").select_option(str(people["maya"].pk))
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(f"**actor={people['maya'].pk}*")
    assert page.locator("table tbody tr").count() == 2


def test_billing_transfer_the_billing_contact(new_page, harbor):
    account, owner, people = harbor
    page = signed_in_page(new_page, owner)
    page.goto("/billing/")
    # Agent seats: the owner and two agents, of 3 paid + 1 included; users: all four.
    expect(page.get_by_text("3 of 4 used")).to_be_visible()
    expect(page.get_by_text("4 of 25 used")).to_be_visible()
    check_page(page, "billing")
    page.get_by_label("New billing contact").select_option(str(people["maya"].pk))
    page.get_by_role("button", name="Make billing contact").click()
    page.wait_for_url("**/billing/")
    expect(page.get_by_text("Billing contact changed.")).to_be_visible()
    assert Member.objects.get(account=account, is_billing_contact=True).pk == people["maya"].pk
    page.get_by_role("button", name="Cancel the account…").click()
    expect(page.get_by_role("heading", name="Cancel Harbor Help?")).to_be_visible()
    check_page(page, "billing-confirm")
    page.get_by_role("link", name="Keep the account").click()
    assert Account.objects.get(pk=account.pk).cancel_at is None


def test_security_allowed_domain_refuses_other_invitations(new_page, harbor):
    account, _owner, people = harbor
    create_api_token(actor=actor_for(people["maya"]), name="Helpdesk sync", scopes=["users.view"])
    page = signed_in_page(new_page, people["maya"])
    page.goto("/security/")
    check_page(page, "security")
    page.get_by_label("Allowed domains").fill("example")
    page.get_by_role("button", name="Save security settings").click()
    expect(page.get_by_text('"example" is not a domain')).to_be_visible()
    page.get_by_label("Allowed domains").fill("harbor.example")
    page.get_by_role("button", name="Save security settings").click()
    page.wait_for_url("**/security/")
    expect(page.get_by_text("Security settings saved.")).to_be_visible()
    page.goto("/members/invite/")
    page.locator("textarea[name=emails]").fill("sam@harbor.example, kim@elsewhere.example")
    page.get_by_role("button", name="Send invitations").click()
    alert = page.locator("#bad-emails")
    assert "kim@elsewhere.example" in alert.inner_text()
    assert "allowed domains" in alert.inner_text()
    assert not Member.objects.filter(account=account, email="sam@harbor.example").exists()
    # An API token: created, its secret shown once.
    page.goto("/security/")
    page.get_by_label("Token name").fill("Reporting")
    page.get_by_label("See members and their profiles (users.view)").check()
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-secret").inner_text().strip()
    assert secret.startswith("cb_")
    page.goto("/security/")
    assert secret not in page.content()


def test_settings_switch_theme_to_dark(new_page, harbor):
    _account, _owner, people = harbor
    page = signed_in_page(new_page, people["omar"])  # an agent: settings need no permission
    page.goto("/settings/")
    check_page(page, "settings")
    light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.get_by_label("Dark").check()
    page.get_by_role("button", name="Save preferences").click()
    page.wait_for_url("**/settings/")
    assert page.locator("html").get_attribute("data-theme") == "dark"
    dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_bg != light_bg
    page.goto("/roles/")  # the theme follows the person to every page
    assert page.locator("html").get_attribute("data-theme") == "dark"
    page.goto("/settings/")
    page.get_by_label("First name").fill("Omar")
    page.get_by_label("Last name").fill("Haddad-Ali")
    page.get_by_role("button", name="Save name").click()
    expect(page.get_by_text("Your name is saved.")).to_be_visible()
    assert Member.objects.get(pk=people["omar"].pk).display_name == "Omar Haddad-Ali"
