"""Login history per member (ACT-4): on the profile and at /members/{id}/login-history."""

from datetime import timedelta

import pytest
from django.test import Client

from crewbase.core import clock
from tests.api.client import ApiClient
from tests.conftest import TEST_PASSWORD, make_account, make_member

pytestmark = pytest.mark.django_db

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"
)
LAPTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
    " Edg/126.0"
)


def attempt(email, password, agent, address):
    return Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address).post(
        "/accounts/login/", {"login": email, "password": password}
    )


@pytest.fixture
def history_scene(frozen_clock):
    account, owner = make_account()
    agent = make_member(account, "agent")
    # 40 days ago: outside the 30-day window except as the newest-known history.
    attempt(agent.email, TEST_PASSWORD, LAPTOP, "198.51.100.1")
    frozen_clock.advance(10 * 86400)
    for _day in range(3):
        attempt(agent.email, TEST_PASSWORD, PHONE, "203.0.113.7")
        attempt(agent.email, "a wrong password", PHONE, "203.0.113.7")
        frozen_clock.advance(86400)
    attempt(agent.email, TEST_PASSWORD, LAPTOP, "198.51.100.1")
    frozen_clock.advance(27 * 86400 + 3600)
    return account, owner, agent


def test_the_api_gives_counts_addresses_and_devices_over_30_days(history_scene):
    _account, owner, agent = history_scene
    body = ApiClient(person=owner.person).get(f"/members/{agent.pk}/login-history").json()
    # The first laptop sign-in and the first phone day fell out of the 30-day window.
    assert body["sign_ins"] == 3
    assert body["failed_attempts"] == 2
    assert body["days_signed_in"] == 3
    assert [a["label"] for a in body["addresses"]] == ["198.51.100.1", "203.0.113.7"]
    assert {d["label"]: d["sign_ins"] for d in body["devices"]} == {
        "Edge on Windows": 1,
        "Chrome on Android": 2,
    }
    assert body["last_sign_in_at"].startswith(
        (clock.now() - timedelta(days=27, hours=1)).date().isoformat()
    )
    outcomes = [a["outcome"] for a in body["recent"]]
    assert outcomes[:3] == ["signed_in", "failed", "signed_in"]


def test_the_profile_shows_the_section_to_those_allowed(history_scene):
    account, owner, agent = history_scene
    admin_view = Client()
    admin_view.force_login(owner.person)
    page = admin_view.get(f"/members/{agent.pk}/")
    assert page.status_code == 200
    assert "Sign-in history" in page.text and "Chrome on Android" in page.text
    assert "203.0.113.7" in page.text
    # An agent sees their own history, not a colleague's.
    colleague = make_member(account, "agent")
    own = Client()
    own.force_login(agent.person)
    assert "Sign-in history" in own.get(f"/members/{agent.pk}/").text
    other = Client()
    other.force_login(colleague.person)
    assert "Sign-in history" not in other.get(f"/members/{agent.pk}/").text
    refused = ApiClient(person=colleague.person).get(f"/members/{agent.pk}/login-history")
    assert refused.status_code == 403


def test_another_accounts_member_is_not_found(history_scene):
    _account, _owner, agent = history_scene
    _, stranger_owner = make_account()
    response = ApiClient(person=stranger_owner.person).get(f"/members/{agent.pk}/login-history")
    assert response.status_code == 404
    assert agent.email not in response.text


def test_a_member_who_never_signed_in_has_an_empty_history():
    account, owner = make_account()
    agent = make_member(account, "agent")
    body = ApiClient(person=owner.person).get(f"/members/{agent.pk}/login-history").json()
    assert body["sign_ins"] == 0 and body["last_sign_in_at"] is None
    assert body["addresses"] == [] and body["recent"] == []
    client = Client()
    client.force_login(owner.person)
    assert "No sign-in attempts yet." in client.get(f"/members/{agent.pk}/").text
