"""Signing in with email and password through allauth, and what it records (AUTH-2, ACT-1)."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from crewbase.audit.models import ActivityEvent
from crewbase.people.actions.lifecycle import deactivate_member
from crewbase.people.models import Member, MemberStatus
from crewbase.people.sessions import SESSION_ACCOUNT_KEY
from tests.conftest import TEST_PASSWORD, actor_for, make_account, make_member

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) CrewbaseTest/1.0"


def sign_in(client, email, password=TEST_PASSWORD, **extra):
    return client.post(
        "/accounts/login/", {"login": email, "password": password}, HTTP_USER_AGENT=BROWSER, **extra
    )


def test_sign_in_records_the_event_and_the_time_and_tracks_the_session(client):
    account, _owner = make_account()
    agent = make_member(account, "agent")
    response = sign_in(client, agent.email)
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert f"Signed in as <strong>{agent.display_name}</strong>" in home.text
    assert client.session[SESSION_ACCOUNT_KEY] == account.pk
    assert Member.objects.get(pk=agent.pk).last_sign_in_at is not None
    event = ActivityEvent.objects.get(account=account, action="auth.signed_in")
    assert (event.actor_member_id, event.target_id) == (agent.pk, agent.pk)
    assert event.ip_address == "127.0.0.1" and event.user_agent == BROWSER
    assert UserSession.objects.filter(user=agent.person).count() == 1


def test_wrong_password_is_recorded_in_every_account_of_the_person(client):
    first, _ = make_account()
    second, _ = make_account()
    member = make_member(first, "agent", email="two.accounts@example.com")
    other = make_member(second, "admin", email="two.accounts@example.com")
    response = sign_in(client, "Two.Accounts@example.com", "not the password at all")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    for account, who in ((first, member), (second, other)):
        event = ActivityEvent.objects.get(account=account, action="auth.sign_in_failed")
        assert event.target_id == who.pk
        assert event.ip_address == "127.0.0.1" and event.user_agent == BROWSER
        assert event.after == {"reason": "wrong_credentials"}


def test_unknown_email_gets_the_same_answer_and_records_nothing(client):
    account, _ = make_account()
    known = make_member(account, "agent")
    for_known = sign_in(client, known.email, "not the password at all")
    events_before = ActivityEvent.objects.count()
    for_unknown = sign_in(Client(), "nobody.here@example.com", "not the password at all")
    assert for_unknown.status_code == for_known.status_code == 200
    assert for_unknown.context["form"].errors == for_known.context["form"].errors
    assert ActivityEvent.objects.count() == events_before


def test_a_person_deactivated_everywhere_cannot_sign_in_and_is_told_why(client):
    account, owner = make_account()
    agent = make_member(account, "agent")
    deactivate_member(actor=actor_for(owner), member=agent, reason="left_company")
    response = sign_in(client, agent.email)
    assert response.status_code == 302 and response["Location"] == "/accounts/inactive/"
    page = client.get(response["Location"])
    assert "has been deactivated" in page.text
    assert not page.wsgi_request.user.is_authenticated
    assert client.get("/").status_code == 302
    refused = ActivityEvent.objects.filter(account=account, action="auth.sign_in_failed").get()
    assert refused.after == {"reason": "deactivated"}
    assert not ActivityEvent.objects.filter(action="auth.signed_in").exists()


def test_deactivated_in_one_account_still_signs_in_to_the_other(client):
    first, first_owner = make_account()
    second, _ = make_account()
    make_member(first, "agent", email="half@example.com")
    active = make_member(second, "agent", email="half@example.com")
    gone = Member.objects.get(account=first, email="half@example.com")
    deactivate_member(actor=actor_for(first_owner), member=gone, reason="other")
    sign_in(client, "half@example.com")
    assert client.session[SESSION_ACCOUNT_KEY] == second.pk
    assert ActivityEvent.objects.get(action="auth.signed_in").account_id == active.account_id


def test_deactivation_ends_a_signed_in_session_on_its_next_request(client):
    account, owner = make_account()
    agent = make_member(account, "agent")
    sign_in(client, agent.email)
    assert client.get("/").status_code == 200
    deactivate_member(actor=actor_for(owner), member=agent, reason="left_company")
    assert Member.objects.get(pk=agent.pk).status == MemberStatus.DEACTIVATED
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not client.get("/accounts/login/").wsgi_request.user.is_authenticated


def test_sign_out_is_recorded(client):
    account, _ = make_account()
    agent = make_member(account, "agent")
    sign_in(client, agent.email)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    event = ActivityEvent.objects.get(account=account, action="auth.signed_out")
    assert event.actor_member_id == agent.pk


def test_sign_in_page_uses_the_crewbase_layout_with_labelled_fields(client):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert '<a class="brand" href="/">Crewbase</a>' in page.text
    assert '<label for="id_login"' in page.text and '<label for="id_password"' in page.text
    assert "Forgot your password?" in page.text
