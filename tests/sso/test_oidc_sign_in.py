"""OIDC sign-in against a real provider in-process (oidc-provider-mock): the test client
follows the real redirects; the provider's page is answered over HTTP like a browser would."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from django.test import Client

from crewbase.audit.models import ActivityEvent
from crewbase.identity.sso.models import SsoConnection
from crewbase.org.actions import create_team
from crewbase.people.models import Member, MemberStatus
from tests.conftest import actor_for, builtin_role, make_member
from tests.sso.conftest import (
    idp_authorize,
    local,
    make_oidc_connection,
    mark_tested_and_enable,
    query,
    set_idp_user,
)

pytestmark = pytest.mark.django_db


def start(client: Client, connection: SsoConnection) -> str:
    response = client.post(f"/sso/start/{connection.pk}/")
    assert response.status_code == 302, response.content
    return response["Location"]


def sign_in(client: Client, connection: SsoConnection, sub: str):
    callback = idp_authorize(start(client, connection), sub)
    return client.get(local(callback))


def actions_of(account) -> list[str]:
    return list(ActivityEvent.objects.filter(account=account).values_list("action", flat=True))


def test_jit_sign_in_creates_an_active_member_and_a_session(oidc_server, acme):
    account, owner = acme
    connection = mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    set_idp_user(
        oidc_server,
        "alice",
        email="alice@acme.test",
        email_verified=True,
        given_name="Alice",
        family_name="Ada",
    )
    client = Client()
    response = sign_in(client, connection, "alice")
    assert response.status_code == 302 and response["Location"] == "/"
    member = Member.objects.get(account=account, email="alice@acme.test")
    assert member.status == MemberStatus.ACTIVE
    assert member.role.builtin_key == "agent" and member.display_name == "Alice Ada"
    assert client.get("/api/v1/me").json()["member"]["email"] == "alice@acme.test"
    events = ActivityEvent.objects.filter(account=account, action="sso.member_provisioned")
    assert events.get().actor_display == "SSO"
    assert "sso.signed_in" in actions_of(account) and "auth.signed_in" in actions_of(account)
    # The client secret is encrypted at rest and not in allauth's table.
    assert connection.social_app.secret == "" and "s3cret" not in connection.secret_encrypted


def test_a_code_issued_to_another_client_is_refused(oidc_server, acme):
    """Wrong audience: the provider's answer was meant for another application."""
    _account, owner = acme
    connection = mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    set_idp_user(oidc_server, "mallory", email="mallory@acme.test", email_verified=True)
    client = Client()
    authorize = start(client, connection)
    params = query(authorize) | {"client_id": "another-application"}
    parts = urlsplit(authorize)
    forged = urlunsplit(parts._replace(query=urlencode(params)))
    response = client.get(local(idp_authorize(forged, "mallory")))
    assert response.status_code == 403
    assert b"did not complete" in response.content
    assert not Member.objects.filter(email="mallory@acme.test").exists()
    assert "_auth_user_id" not in client.session


def test_an_answer_for_another_sign_in_is_refused_by_its_nonce(oidc_server, acme):
    account, owner = acme
    connection = mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    set_idp_user(oidc_server, "bob", email="bob@acme.test", email_verified=True)
    client = Client()
    first = start(client, connection)
    second = start(client, connection)
    callback = idp_authorize(first, "bob")  # carries the first sign-in's nonce
    swapped = query(callback) | {"state": query(second)["state"]}
    response = client.get(urlsplit(callback).path + "?" + urlencode(swapped))
    assert response.status_code == 403
    assert b"does not belong to this sign-in" in response.content
    assert not Member.objects.filter(email="bob@acme.test").exists()
    refused = ActivityEvent.objects.get(account=account, action="sso.sign_in_refused")
    assert refused.after["reason"] == "wrong_nonce" and refused.actor_display == "SSO"


def assert_refused(connection, sub: str, message: bytes, **claims) -> None:
    """Signing in as `sub` ends on the refusal page with `message`; nobody is created."""
    set_idp_user(connection.issuer, sub, **claims)
    client = Client()
    response = sign_in(client, connection, sub)
    assert response.status_code == 403 and message in response.content
    assert not Member.objects.filter(email=claims["email"], status=MemberStatus.ACTIVE).exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"email": "carol@acme.test", "email_verified": False}, b"has not verified your email"),
        ({"email": "carol@acme.test"}, b"has not verified your email"),
        # Someone of another organisation: Acme's IdP must never sign them in.
        ({"email": "victim@other.test", "email_verified": True}, b"is not an address of this"),
    ],
)
def test_unverified_or_foreign_addresses_are_refused(oidc_server, acme, claims, message):
    _account, owner = acme
    connection = mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    assert_refused(connection, "carol", message, **claims)


def test_pre_provisioned_admits_only_existing_or_invited_members(oidc_server, acme):
    account, owner = acme
    connection = mark_tested_and_enable(
        owner, make_oidc_connection(owner, oidc_server, provisioning="pre")
    )
    invited = make_member(account, email="ivy@acme.test", status=MemberStatus.INVITED)
    set_idp_user(oidc_server, "ivy", email="ivy@acme.test", email_verified=True)
    set_idp_user(oidc_server, "stranger", email="stranger@acme.test", email_verified=True)
    assert sign_in(Client(), connection, "ivy").status_code == 302
    invited.refresh_from_db()
    assert invited.status == MemberStatus.ACTIVE and invited.joined_at is not None
    response = sign_in(Client(), connection, "stranger")
    assert response.status_code == 403
    assert b"Ask an admin of the account to invite you" in response.content
    assert not Member.objects.filter(email="stranger@acme.test").exists()


def test_jit_respects_the_user_limit(oidc_server, acme):
    account, owner = acme
    connection = mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    account.user_limit = 1
    account.save()
    assert_refused(connection, "dave", b"user limit", email="dave@acme.test", email_verified=True)


def test_jit_respects_agent_seats(oidc_server, acme):
    account, owner = acme
    connection = mark_tested_and_enable(
        owner, make_oidc_connection(owner, oidc_server, jit_agent_access=True)
    )
    make_member(account, email="first@acme.test", agent_access=True)  # the one free seat
    assert_refused(
        connection, "erin", b"no agent seat left", email="erin@acme.test", email_verified=True
    )


def test_deactivated_members_are_refused(oidc_server, acme):
    account, owner = acme
    connection = mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    make_member(account, email="gone@acme.test", status=MemberStatus.DEACTIVATED)
    assert_refused(
        connection,
        "gone",
        b"access to this account was removed",
        email="gone@acme.test",
        email_verified=True,
    )


def test_group_mapping_sets_role_and_teams_at_each_sign_in(oidc_server, acme):
    account, owner = acme
    leads = create_team(actor=actor_for(owner), name="Leads")
    other = create_team(actor=actor_for(owner), name="Unmapped")
    connection = mark_tested_and_enable(
        owner,
        make_oidc_connection(
            owner,
            oidc_server,
            group_mapping=[
                {
                    "group": "support-leads",
                    "role_id": builtin_role("supervisor").pk,
                    "team_ids": [leads.pk],
                }
            ],
        ),
    )
    set_idp_user(
        oidc_server, "gil", email="gil@acme.test", email_verified=True, groups=["support-leads"]
    )
    assert sign_in(Client(), connection, "gil").status_code == 302
    member = Member.objects.get(email="gil@acme.test")
    assert member.role.builtin_key == "supervisor"
    assert list(member.teams.values_list("name", flat=True)) == ["Leads"]
    other.members.add(member)  # a team the mapping does not mention stays
    set_idp_user(oidc_server, "gil", email="gil@acme.test", email_verified=True, groups=[])
    assert sign_in(Client(), connection, "gil").status_code == 302
    member.refresh_from_db()
    assert member.role.builtin_key == "agent"  # no matching group: back to the default role
    assert list(member.teams.values_list("name", flat=True)) == ["Unmapped"]
    changes = ActivityEvent.objects.filter(account=account, action="member.role_changed")
    assert {e.actor_display for e in changes} == {"SSO"}
    assert ActivityEvent.objects.filter(action="team.members_removed", actor_kind="sso").exists()


def test_a_disabled_connection_signs_nobody_in(oidc_server, acme):
    _account, owner = acme
    connection = make_oidc_connection(owner, oidc_server)
    response = Client().post(f"/sso/start/{connection.pk}/")
    assert response.status_code == 404
