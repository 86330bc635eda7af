"""A password sign-in writes what it records in one transaction, its session row once (issue 6),
and everything is there afterwards: the session, allauth's session tracking, the last sign-in
and the activity event."""

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from crewbase.audit.models import ActivityEvent
from crewbase.people.models import Member
from tests.conftest import TEST_PASSWORD, make_account, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def _statements(context, start: str, table: str = "") -> list[str]:
    return [
        q["sql"]
        for q in context.captured_queries
        if q["sql"].upper().startswith(start) and table in q["sql"]
    ]


def test_a_sign_in_commits_once_and_writes_its_session_row_once():
    account, _ = make_account()
    agent = make_member(account, "agent")
    client = Client(HTTP_USER_AGENT="pytest", REMOTE_ADDR="203.0.113.5")
    with CaptureQueriesContext(connection) as context:
        response = client.post(
            "/accounts/login/", {"login": agent.email, "password": TEST_PASSWORD}
        )
    assert response.status_code == 302 and response["Location"] == "/"

    assert len(_statements(context, "COMMIT")) == 1
    assert len(_statements(context, "INSERT", '"django_session"')) == 1
    assert not _statements(context, "UPDATE", '"django_session"')
    assert not _statements(context, "SELECT", '"django_session"')  # no probe for a free key

    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    assert UserSession.objects.get(session_key=key).ip == "203.0.113.5"
    assert Member.objects.get(pk=agent.pk).last_sign_in_at is not None
    assert EmailAddress.objects.filter(user=agent.person, verified=True, primary=True).exists()
    assert ActivityEvent.objects.filter(action="auth.signed_in", target_id=agent.pk).count() == 1
    assert client.get("/__no_such_page__/").wsgi_request.user.pk == agent.person.pk


def test_two_browsers_signing_in_are_two_tracked_sessions_that_both_work():
    account, _ = make_account()
    agent = make_member(account, "agent")
    browsers = [Client(), Client()]
    for browser in browsers:
        response = browser.post(
            "/accounts/login/", {"login": agent.email, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302
    keys = {browser.cookies["sessionid"].value for browser in browsers}
    tracked = UserSession.objects.filter(user=agent.person).values_list("session_key", flat=True)
    assert len(keys) == 2 and set(tracked) == keys
    for browser in browsers:
        assert browser.get("/__no_such_page__/").wsgi_request.user.pk == agent.person.pk
