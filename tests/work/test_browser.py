"""The webhooks page and the profile's presence, figures and work activity in Chromium:
keyboard-usable forms, no serious axe findings in light and dark."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serious_violations, sign_in
from tests.conftest import TEST_PASSWORD, make_account, make_member
from tests.work.conftest import host_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_serious_findings(page, name: str) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        problems = serious_violations(page)
        assert not problems, f"{name} ({scheme}): {problems}"
        page.screenshot(path=f"/tmp/{name}-{scheme}.png", full_page=True)
    page.emulate_media(color_scheme="light")


def test_add_a_webhook_with_the_keyboard_and_read_a_profile_s_work(new_page, settings):
    from tests.api.client import ApiClient

    settings.CREWBASE_WEBHOOK_ALLOW_PRIVATE = True
    account, owner = make_account()
    agent = make_member(account, email="agent.browser@example.com")
    ApiClient(token=host_token(owner)).post(
        "/work-events",
        {
            "events": [
                {"event_id": "b1", "type": "ticket_handled", "member_id": agent.pk},
                {"event_id": "b2", "type": "csat", "member_id": agent.pk, "score": 5},
            ]
        },
    )
    page = new_page()
    sign_in(page, owner.email, TEST_PASSWORD)
    page.goto("/security/webhooks/")
    page.get_by_label("Receiver URL").fill("http://127.0.0.1:9/hook")
    page.get_by_label("member.deactivated").check()
    page.get_by_role("button", name="Add webhook").press("Enter")
    expect(page.get_by_text("Copy the signing secret now")).to_be_visible()
    _no_serious_findings(page, "work-webhooks")
    page.get_by_role("link", name="http://127.0.0.1:9/hook").click()
    expect(page.get_by_role("heading", name="Delivery log")).to_be_visible()
    _no_serious_findings(page, "work-webhook-detail")

    page.goto(f"/members/{agent.pk}/")
    expect(page.get_by_role("heading", name="Presence and performance")).to_be_visible()
    expect(page.get_by_role("img", name="Tickets handled")).to_be_visible()
    page.get_by_label("Work type").select_option("csat")
    page.get_by_role("button", name="Filter").first.click()
    _no_serious_findings(page, "work-profile")
