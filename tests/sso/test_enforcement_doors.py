"""Enforced SSO (SSO-2) closes the doors opened before it began: password sessions end,
reset links already sent cannot set a password, and an invited new person joins through SSO."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from crewbase.audit.models import ActivityEvent
from crewbase.core.models import OutboxMessage
from crewbase.identity.sso.actions import update_sso_connection
from crewbase.people.actions.invitations import invite_people
from crewbase.people.models import Invitation, InvitationStatus, Member, MemberStatus, Person
from tests.conftest import TEST_PASSWORD, actor_for, builtin_role, make_member
from tests.sso.conftest import (
    idp_authorize,
    local,
    make_oidc_connection,
    mark_tested_and_enable,
    set_idp_user,
)

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a fresh tangerine orbit 77"


def _enforce(owner, connection):
    update_sso_connection(actor=actor_for(owner), connection=connection, data={"enforced": True})


def _signed_in_with_password(email: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": TEST_PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    return client


def _is_signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def _last_link(pattern: str) -> str:
    """The newest link matching `pattern` in the outbox (mail the worker has yet to send)."""
    for message in OutboxMessage.objects.order_by("-pk"):
        found = re.search(pattern, str(message.payload))
        if found:
            return urlsplit(found.group(0)).path
    raise AssertionError(f"no queued mail with {pattern}")


def test_turning_enforcement_on_signs_members_out_but_not_the_owner(oidc_server, acme):
    account, owner = acme
    connection = mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    member = make_member(account, email="agent@acme.test")
    agent, boss = _signed_in_with_password(member.email), _signed_in_with_password(owner.email)
    assert _is_signed_in(agent) and _is_signed_in(boss)

    _enforce(owner, connection)

    assert not _is_signed_in(agent)
    assert _is_signed_in(boss)
    event = ActivityEvent.objects.filter(action="sso.connection_updated").latest("pk")
    assert event.after["enforced"] is True and event.after["sessions_ended"] == 1

    # Already enforcing: a further change ends nothing and says nothing about sessions.
    agent = Client()
    agent.force_login(member.person)
    update_sso_connection(actor=actor_for(owner), connection=connection, data={"name": "IdP 2"})
    assert _is_signed_in(agent)
    assert "sessions_ended" not in ActivityEvent.objects.latest("pk").after


def test_a_reset_link_sent_before_enforcement_cannot_set_a_password(oidc_server, acme):
    account, owner = acme
    connection = mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    member = make_member(account, email="agent@acme.test")
    client = Client()
    asked = client.post("/accounts/password/reset/", {"email": member.email})
    assert asked.status_code == 302
    link = _last_link(r"https?://[^\s'\"]+/accounts/password/reset/key/[^\s'\"\\]+")

    _enforce(owner, connection)

    opened = client.get(link)
    assert opened.status_code == 302 and "set-password" in opened["Location"]
    form_url = opened["Location"]
    page = client.get(form_url)
    assert page.status_code == 200  # the way to SSO instead of a form nobody may submit
    assert f"/sso/{account.pk}/" in page.text and 'name="password1"' not in page.text
    refused = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert refused.status_code == 200  # a password sent anyway is refused, with the reason
    assert "single sign-on" in refused.text and f"/sso/{account.pk}/" in refused.text
    person = Person.objects.get(pk=member.person_id)
    assert person.check_password(TEST_PASSWORD) and not person.check_password(NEW_PASSWORD)
    event = ActivityEvent.objects.filter(action="sso.password_refused").latest("pk")
    assert event.target_id == member.pk and event.after == {"what": "new password"}


def test_owner_may_still_use_a_reset_link_while_enforcing(oidc_server, acme):
    _, owner = acme
    _enforce(owner, mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server)))
    client = Client()
    client.post("/accounts/password/reset/", {"email": owner.email})
    form_url = client.get(_last_link(r"https?://[^\s'\"]+/accounts/password/reset/key/[^\s'\"\\]+"))
    assert 'name="password1"' in client.get(form_url["Location"]).text
    done = client.post(form_url["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert Person.objects.get(pk=owner.person_id).check_password(NEW_PASSWORD)


def test_invited_new_person_joins_an_enforcing_account_through_sso(oidc_server, acme):
    account, owner = acme
    connection = make_oidc_connection(owner, oidc_server, provisioning="pre")
    _enforce(owner, mark_tested_and_enable(owner, connection))
    invite_people(actor=actor_for(owner), emails="nina@acme.test", role_id=builtin_role("agent").pk)
    link = _last_link(r"/invitations/[A-Za-z0-9_\-]+/")

    client = Client()
    page = client.get(link)
    assert page.status_code == 200
    assert f'href="/sso/{account.pk}/"' in page.text
    assert 'name="password"' not in page.text

    refused = client.post(link, {"first_name": "Nina", "last_name": "Ng", "password": NEW_PASSWORD})
    assert refused.status_code == 403
    assert "single sign-on" in refused.text
    api = client.post(
        "/api/v1/invitations/accept",
        {
            "token": link.split("/")[2],
            "first_name": "Nina",
            "last_name": "Ng",
            "password": NEW_PASSWORD,
        },
        content_type="application/json",
    )
    assert api.status_code == 403, api.content
    member = Member.objects.get(account=account, email="nina@acme.test")
    assert member.status == MemberStatus.INVITED and not member.person.is_registered
    assert not member.person.has_usable_password() or not member.person.check_password(NEW_PASSWORD)

    assert client.get(f"/sso/{account.pk}/").status_code in (200, 302)
    set_idp_user(oidc_server, "nina", email="nina@acme.test", email_verified=True)
    callback = idp_authorize(client.post(f"/sso/start/{connection.pk}/")["Location"], "nina")
    assert client.get(local(callback)).status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
    assert Invitation.objects.get(member=member).status == InvitationStatus.ACCEPTED
    assert client.get("/api/v1/me").json()["member"]["email"] == "nina@acme.test"
