"""An admin runs an access review in Chromium: start, decide each item, sign off, export."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from crewbase.core import clock
from crewbase.governance.models import ReviewCampaign
from crewbase.people.models import Member
from tests.browser_governance.conftest import check_page, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_flow_from_start_to_signed_off_record(new_page, review_scene):
    account, owner, people = review_scene
    page = signed_in_page(new_page, owner)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Access review").click()
    page.wait_for_url("**/access-review/")
    check_page(page, "access-review")
    page.get_by_role("link", name="Why can a member do something?").click()
    page.get_by_label("Member").select_option(str(people["omar"].pk))
    page.get_by_label("Can they…").select_option("delete tickets")
    page.get_by_role("button", name="Explain").click()
    expect(page.get_by_text("The role 'Agent' does not include 'tickets.delete'.")).to_be_visible()
    check_page(page, "explain")
    page.goto("/access-review/")
    page.get_by_role("link", name="Review campaigns").click()
    page.wait_for_url("**/access-review/reviews/")

    page.get_by_role("button", name="Start review").click()  # no name: refused, said at the field
    expect(page.get_by_text("Is required.")).to_be_visible()
    check_page(page, "reviews-errors")
    page.get_by_label("Name").fill("Q4 access review")
    page.get_by_label("Who is reviewed").select_option("all")
    page.get_by_role("button", name="Start review").click()
    page.wait_for_url("**/access-review/reviews/*/")
    # base.html's notices are <li> in a role=status list, which axe flags; the reload drops them.
    page.reload()
    check_page(page, "review-open")

    omar = page.get_by_role("form", name="Decide on omar@harbor.example")
    omar.get_by_label("Decision").select_option("changed")
    omar.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Choose the new role.")).to_be_visible()
    omar = page.get_by_role("form", name="Decide on omar@harbor.example")
    omar.get_by_label("Decision").select_option("changed")
    omar.get_by_label("New role (when changing)").select_option(label="Read-only")
    omar.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**/access-review/reviews/*/")
    for email in ("olive@harbor.example", "maya@harbor.example"):
        form = page.get_by_role("form", name=f"Decide on {email}")
        form.get_by_label("Note").fill("still needed")
        form.get_by_role("button", name="Record decision").click()
        page.wait_for_url("**/access-review/reviews/*/")
    expect(page.get_by_text("No open items")).to_be_visible()
    page.get_by_role("button", name="Sign off review").click()
    page.wait_for_url("**/access-review/reviews/*/")
    expect(page.get_by_text("(signature verified)")).to_be_visible()
    page.get_by_role("link", name="All items").click()
    check_page(page, "review-signed-off")

    campaign = ReviewCampaign.objects.get(account=account)
    assert campaign.status == "signed_off"
    assert Member.objects.get(pk=people["omar"].pk).role.builtin_key == "read_only"
    page.get_by_role("link", name="Printable record").click()
    page.wait_for_url("**/record/")
    expect(page.get_by_text(campaign.record_hash)).to_be_visible()
    check_page(page, "review-record")
    with page.expect_download() as download:
        page.goto(f"/access-review/reviews/{campaign.pk}/")
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename == f"access-review-{campaign.pk}.csv"


def test_checklists_profile_sections_and_offboarding(new_page, review_scene):
    _account, owner, people = review_scene
    page = signed_in_page(new_page, owner)
    page.goto("/access-review/checklists/")
    page.get_by_label("Checklist").select_option("onboarding")
    page.get_by_role("textbox", name="Item:").fill("Shadowed an agent")
    with page.expect_navigation():
        page.get_by_role("button", name="Add item").click()
    page.get_by_label("Checklist").select_option("offboarding")
    page.get_by_role("textbox", name="Item:").fill("Reviewed for sensitive data")
    with page.expect_navigation():
        page.get_by_role("button", name="Add item").click()
    check_page(page, "checklists")

    omar = people["omar"]
    page.goto(f"/members/{omar.pk}/")
    page.get_by_role("button", name="Tick Shadowed an agent").click()
    expect(page.get_by_text("ticked by Olive")).to_be_visible()
    page.get_by_role("combobox", name="Scheduled action").select_option("deactivate")
    page.get_by_label("Date and time").fill("2020-01-01T09:00")
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_text("Must be in the future.")).to_be_visible()
    soon = clock.now() + timedelta(days=30)
    page.get_by_label("Date and time").fill(f"{soon:%Y-%m-%d}T09:00")
    page.get_by_role("button", name="Schedule", exact=True).click()
    page.wait_for_url(f"**/members/{omar.pk}/#section-schedule")
    page.reload()
    expect(page.get_by_text("Deactivate scheduled for")).to_be_visible()
    page.locator("#section-onboarding").scroll_into_view_if_needed()
    check_page(page, "profile-governance")

    page.goto(f"/members/{omar.pk}/offboard/")
    page.get_by_role("button", name="Offboard").click()
    expect(page.get_by_text("Tick or skip 'Reviewed for sensitive data'.").first).to_be_visible()
    check_page(page, "offboard-closing-items")
    page.get_by_role("radio", name="Skip").check()
    page.get_by_role("button", name="Offboard").click()
    expect(page.get_by_role("heading", name="Omar Haddad was offboarded")).to_be_visible()
    check_page(page, "offboard-summary")
    assert Member.objects.get(pk=omar.pk).status == "deactivated"
