"""End to end in Chromium: invite with a typo, accept from the real email, filter, deactivate,
and a role change that the member's very next page obeys."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from crewbase.people.models import Member, MemberStatus
from tests.browser.conftest import serious_violations, sign_in
from tests.conftest import TEST_PASSWORD, make_account, make_member
from tests.core.mailtest import only_link, run_worker_once

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "violet lantern mosaic 2048"


def test_invite_accept_filter_and_deactivate(new_page, smtp):
    account, owner = make_account(name="Harbor Help")
    admin = new_page()
    sign_in(admin, owner.email, TEST_PASSWORD)

    # Invite three people, one address mistyped: nothing is sent, the typo is named inline.
    admin.get_by_role("navigation", name="Console").get_by_role("link", name="Invite").click()
    emails = admin.get_by_label("Email addresses")
    emails.fill("ann@example.com, bob@example\ncy@example.com")
    admin.get_by_role("button", name="Send invitations").click()
    expect(admin.locator(".bad-emails")).to_contain_text("bob@example")
    expect(emails).to_have_value("ann@example.com, bob@example\ncy@example.com")
    assert not Member.objects.filter(account=account, email="ann@example.com").exists()

    emails.fill("ann@example.com, bob@example.com\ncy@example.com")
    admin.get_by_role("button", name="Send invitations").click()
    expect(admin.locator(".invite-result")).to_contain_text("Invited 3")

    # The worker delivers through a real SMTP server; Ann follows her link.
    run_worker_once()
    smtp.wait_for(3)
    [message] = smtp.to("ann@example.com")
    link = urlsplit(only_link(message)).path
    ann = new_page()
    ann.goto(link)
    ann.get_by_label("First name").fill("Ann")
    ann.get_by_label("Last name").fill("Archer")
    ann.get_by_label("Password").fill(NEW_PASSWORD)
    ann.get_by_role("button", name="Join").click()
    expect(ann.locator("main")).to_contain_text("Signed in as Ann Archer")

    # Filter by status and search: the filters are in the URL.
    admin.goto("/members/")
    admin.get_by_label("Status").select_option("invited")
    admin.get_by_label("Search name or email").fill("cy@")
    admin.get_by_role("button", name="Apply").click()
    admin.wait_for_url(lambda url: "q=cy" in url)
    query = parse_qs(urlsplit(admin.url).query)
    assert query["status"] == ["invited"] and query["q"] == ["cy@"]
    table = admin.locator("table.members")
    expect(table).to_contain_text("cy@example.com")
    expect(table).not_to_contain_text("ann@example.com")
    expect(table).not_to_contain_text("bob@example.com")

    # Deactivate Ann through the confirmation page.
    admin.goto("/members/?q=ann")
    admin.get_by_role("link", name="Ann Archer").click()
    admin.get_by_role("link", name="Deactivate…").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Deactivate Ann Archer?")
    assert Member.objects.get(email="ann@example.com").status == MemberStatus.ACTIVE
    admin.get_by_label("Reason").select_option("left_company")
    admin.get_by_role("button", name="Deactivate").click()
    expect(admin.locator(".notices")).to_contain_text("ann@example.com was deactivated")
    assert Member.objects.get(email="ann@example.com").status == MemberStatus.DEACTIVATED
    # Her session ended with the deactivation: her next page asks her to sign in.
    ann.goto("/members/")
    assert "/accounts/login/" in ann.url


def test_a_role_change_applies_on_the_members_next_page(new_page):
    account, owner = make_account(name="Harbor Help")
    deputy = make_member(account, "admin", email="deputy@example.com")
    theirs = new_page()
    sign_in(theirs, deputy.email, TEST_PASSWORD)
    theirs.goto("/members/invite/")
    expect(theirs.get_by_role("heading", level=1)).to_have_text("Invite people")

    # The owner, in another browser context, makes the deputy an Agent.
    mine = new_page()
    sign_in(mine, owner.email, TEST_PASSWORD)
    mine.goto(f"/members/{deputy.pk}/")
    mine.get_by_role("combobox", name="Role").select_option(label="Agent")
    mine.get_by_role("button", name="Change role").click()
    expect(mine.locator(".notices")).to_contain_text("Role is now Agent")

    response = theirs.goto("/members/invite/")
    assert response.status == 403
    expect(theirs.get_by_role("heading", level=1)).to_have_text("Not allowed")
    nav = theirs.get_by_role("navigation", name="Console")
    expect(nav.get_by_role("link", name="Members")).to_be_visible()
    expect(nav.get_by_role("link", name="Invite")).to_have_count(0)


def test_keyboard_reaches_the_content_with_a_visible_focus(new_page):
    _account, owner = make_account()
    page = new_page()
    sign_in(page, owner.email, TEST_PASSWORD)
    page.goto("/members/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    # The search box is reachable and labelled; Enter submits the GET form.
    page.get_by_label("Search name or email").focus()
    page.keyboard.type("nobody-here")
    page.keyboard.press("Enter")
    expect(page.locator(".empty-state")).to_contain_text("No members match 'nobody-here'.")
    assert serious_violations(page) == []


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_filters_work_with_and_without_javascript(new_page, javascript):
    account, owner = make_account()
    make_member(account, "agent", email="active.one@example.com")
    make_member(account, "agent", status=MemberStatus.DEACTIVATED, email="gone.one@example.com")
    page = new_page(javascript=javascript)
    sign_in(page, owner.email, TEST_PASSWORD)
    page.goto("/members/")
    page.get_by_label("Status").select_option("deactivated")
    if not javascript:  # without htmx the change waits for the Apply button
        page.get_by_role("button", name="Apply").click()
    page.wait_for_url(lambda url: "status=deactivated" in url)
    table = page.locator("table.members")
    expect(table).to_contain_text("gone.one@example.com")
    expect(table).not_to_contain_text("active.one@example.com")
    # A bad value in the URL is named, with or without htmx, never a 500.
    page.goto("/members/?status=deactivated&sort=shoe_size")
    expect(page.locator("#results .alert")).to_contain_text("sort")
