"""A person's own sessions and API tokens: listed and ended one by one (AUTH-7)."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from crewbase.api.actions import create_api_token
from crewbase.api.models import ApiToken
from crewbase.audit.models import ActivityEvent
from tests.api.client import ApiClient
from tests.conftest import TEST_PASSWORD, actor_for, make_account, make_member

pytestmark = pytest.mark.django_db

PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4"
    " Mobile/15E148 Safari/604.1"
)
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def sign_in(email, agent, address):
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"login": email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def csrf(client) -> str:
    return client.get("/api/v1/csrf").json()["csrf_token"]


def test_sessions_are_listed_with_device_address_and_the_current_one_marked():
    account, _ = make_account()
    agent = make_member(account, "agent")
    phone = sign_in(agent.email, PHONE, "203.0.113.5")
    laptop = sign_in(agent.email, LAPTOP, "198.51.100.20")
    listed = laptop.get("/api/v1/me/sessions").json()
    assert {s["device"] for s in listed} == {"Safari on iPhone", "Firefox on Linux"}
    mine = next(s for s in listed if s["current"])
    assert mine["device"] == "Firefox on Linux" and mine["ip_address"] == "198.51.100.20"
    assert [s["current"] for s in listed].count(True) == 1
    assert phone.get("/api/v1/me/sessions").status_code == 200


def test_ending_one_session_signs_that_device_out_at_once_and_is_recorded():
    account, _ = make_account()
    agent = make_member(account, "agent")
    phone = sign_in(agent.email, PHONE, "203.0.113.5")
    laptop = sign_in(agent.email, LAPTOP, "198.51.100.20")
    phone_session = next(
        s for s in laptop.get("/api/v1/me/sessions").json() if s["device"] == "Safari on iPhone"
    )
    ended = laptop.delete(
        f"/api/v1/me/sessions/{phone_session['id']}", HTTP_X_CSRFTOKEN=csrf(laptop)
    )
    assert ended.status_code == 204
    assert phone.get("/api/v1/me").status_code == 401
    assert laptop.get("/api/v1/me").status_code == 200
    event = ActivityEvent.objects.get(action="auth.session_ended")
    assert event.after["device"] == "Safari on iPhone" and event.after["address"] == "203.0.113.5"
    # Twice: it is gone.
    again = laptop.delete(
        f"/api/v1/me/sessions/{phone_session['id']}", HTTP_X_CSRFTOKEN=csrf(laptop)
    )
    assert again.status_code == 404


def test_nobody_ends_someone_elses_session():
    account, owner = make_account()
    agent = make_member(account, "agent")
    sign_in(agent.email, PHONE, "203.0.113.5")
    theirs = UserSession.objects.get(user=agent.person)
    as_owner = ApiClient(person=owner.person)
    assert as_owner.delete(f"/api/v1/me/sessions/{theirs.pk}").status_code == 404
    assert as_owner.delete("/api/v1/me/sessions/99999999999999999999").status_code in (404, 422)
    assert UserSession.objects.filter(pk=theirs.pk).exists()


def test_settings_page_lists_sessions_and_tokens_and_ends_or_revokes_them():
    account, _ = make_account()
    agent = make_member(account, "agent")
    token, _secret = create_api_token(
        actor=actor_for(agent), name="my script", scopes=["users.view"]
    )
    phone = sign_in(agent.email, PHONE, "203.0.113.5")
    laptop = sign_in(agent.email, LAPTOP, "198.51.100.20")
    page = laptop.get("/settings/")
    assert page.status_code == 200
    assert "Safari on iPhone" in page.text and "Firefox on Linux" in page.text
    assert "This device" in page.text and "my script" in page.text
    phone_row = UserSession.objects.get(user=agent.person, user_agent=PHONE)
    done = laptop.post(f"/settings/sessions/{phone_row.pk}/end/")
    assert done.status_code == 302 and done["Location"] == "/settings/"
    assert phone.get("/settings/").status_code == 302  # sent to sign in
    confirm = laptop.get(f"/settings/tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    assert laptop.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    # Ending your own current session signs you out.
    own = UserSession.objects.get(user=agent.person, user_agent=LAPTOP)
    out = laptop.post(f"/settings/sessions/{own.pk}/end/")
    assert out.status_code == 302 and out["Location"] == "/accounts/login/"
    assert laptop.get("/settings/").status_code == 302


def test_someone_elses_token_cannot_be_revoked_from_personal_settings():
    account, owner = make_account()
    agent = make_member(account, "agent")
    token, _ = create_api_token(actor=actor_for(owner), name="owner's", scopes=["users.view"])
    client = sign_in(agent.email, LAPTOP, "198.51.100.20")
    assert client.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_a_forged_session_cookie_is_just_signed_out():
    account, _ = make_account()
    make_member(account, "agent")
    client = Client()
    client.cookies["sessionid"] = "forged" + "x" * 26
    assert client.get("/settings/").status_code == 302
    assert client.get("/api/v1/me/sessions").status_code == 401
    client.cookies["sessionid"] = "\x00'; DROP TABLE--" * 10
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/").status_code == 302
