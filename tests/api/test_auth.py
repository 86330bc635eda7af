"""Who may call the API: sessions with CSRF, scoped hashed tokens, fresh on every request."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from crewbase.api.models import ApiToken
from crewbase.audit.models import ActivityEvent
from crewbase.core import clock
from crewbase.people.actions.changes import change_role
from crewbase.people.actions.lifecycle import deactivate_member
from crewbase.people.models import MemberStatus
from tests.api.client import ApiClient
from tests.conftest import actor_for, builtin_role, make_account, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_scene():
    account, owner = make_account()
    admin = make_member(account, "admin")
    agent = make_member(account, "agent")
    return account, owner, admin, agent


def new_token(member, scopes, **extra):
    response = ApiClient(person=member.person).post(
        "/api-tokens", {"name": "ci", "scopes": scopes, **extra}
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_anonymous_is_401_with_a_json_body():
    response = ApiClient().get("/members")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_the_secret_is_shown_once_and_stored_only_as_its_sha256(admin_scene):
    _, _, admin, _ = admin_scene
    created = new_token(admin, ["users.view"])
    secret = created["token"]
    stored = ApiToken.objects.get(pk=created["id"])
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.name, stored.prefix, stored.token_hash}
    assert secret.startswith(stored.prefix)
    listed = ApiClient(person=admin.person).get("/api-tokens").json()
    assert [t["id"] for t in listed] == [created["id"]]
    assert all("token" not in t for t in listed)
    assert ActivityEvent.objects.filter(action="api_token.created", target_id=stored.pk).exists()


def test_token_acts_as_its_member_narrowed_to_its_scopes(admin_scene):
    _, _, admin, agent = admin_scene
    reader = ApiClient(token=new_token(admin, ["users.view"])["token"])
    assert reader.get("/members").status_code == 200
    assert reader.get("/me").json()["permissions"] == ["users.view"]
    response = reader.patch(f"/members/{agent.pk}", {"first_name": "Nope"})
    assert response.status_code == 403
    agent.refresh_from_db()
    assert agent.first_name != "Nope"
    # No CSRF token is needed with a bearer token.
    writer = ApiClient(token=new_token(admin, ["users.view", "users.manage"])["token"])
    assert writer.patch(f"/members/{agent.pk}", {"first_name": "Yes"}).status_code == 200
    event = ActivityEvent.objects.get(action="member.updated")
    assert event.actor_kind == "api_token"
    assert event.actor_display.endswith("via API token")


def test_a_token_cannot_hold_what_its_member_lacks(admin_scene):
    _, _, _, agent = admin_scene
    response = ApiClient(person=agent.person).post(
        "/api-tokens", {"name": "sneaky", "scopes": ["users.view", "users.manage"]}
    )
    assert response.status_code == 403
    assert response.json()["errors"] == {"scopes": "you do not hold: users.manage"}
    response = ApiClient(person=agent.person).post(
        "/api-tokens", {"name": "typo", "scopes": ["users.veiw"]}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"scopes": "unknown permissions: users.veiw"}
    assert not ApiToken.objects.filter(member=agent).exists()


def test_a_role_change_narrows_the_token_on_its_very_next_request(admin_scene):
    _, owner, admin, agent = admin_scene
    client = ApiClient(token=new_token(admin, ["users.view", "users.manage"])["token"])
    assert client.post(f"/members/{agent.pk}/sign-out-everywhere").status_code == 200
    change_role(actor=actor_for(owner), member=admin, role_id=builtin_role("agent").pk)
    assert client.post(f"/members/{agent.pk}/sign-out-everywhere").status_code == 403
    assert client.get("/me").json()["permissions"] == ["users.view"]


def test_a_deactivated_members_token_is_401(admin_scene):
    _, owner, admin, _ = admin_scene
    client = ApiClient(token=new_token(admin, ["users.view"])["token"])
    assert client.get("/me").status_code == 200
    deactivate_member(actor=actor_for(owner), member=admin)
    response = client.get("/me")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_a_deactivated_member_is_refused_even_if_the_token_row_survived(admin_scene):
    # The status is checked on every request, not only through revocation on deactivation.
    _, _, admin, _ = admin_scene
    client = ApiClient(token=new_token(admin, ["users.view"])["token"])
    admin.status = MemberStatus.DEACTIVATED
    admin.save()
    assert client.get("/me").status_code == 401


def test_revoked_and_expired_tokens_are_401(admin_scene):
    _, _, admin, _ = admin_scene
    session = ApiClient(person=admin.person)
    revoked = new_token(admin, ["users.view"])
    assert session.delete(f"/api-tokens/{revoked['id']}").status_code == 204
    assert ApiClient(token=revoked["token"]).get("/me").status_code == 401
    assert session.delete(f"/api-tokens/{revoked['id']}").status_code == 204  # idempotent
    assert ActivityEvent.objects.filter(action="api_token.revoked").count() == 1

    soon = (clock.now() + timedelta(hours=1)).isoformat()
    expiring = new_token(admin, ["users.view"], expires_at=soon)
    assert ApiClient(token=expiring["token"]).get("/me").status_code == 200
    clock.freeze(clock.now() + timedelta(hours=2))
    try:
        assert ApiClient(token=expiring["token"]).get("/me").status_code == 401
    finally:
        clock.freeze(None)


def test_expiry_must_be_in_the_future_with_a_zone(admin_scene):
    _, _, admin, _ = admin_scene
    api = ApiClient(person=admin.person)
    past = (clock.now() - timedelta(days=1)).isoformat()
    response = api.post(
        "/api-tokens", {"name": "old", "scopes": ["users.view"], "expires_at": past}
    )
    assert response.json()["errors"] == {"expires_at": "must be in the future"}
    naive = "2999-01-01T00:00:00"
    response = api.post("/api-tokens", {"name": "x", "scopes": ["users.view"], "expires_at": naive})
    assert response.json()["errors"] == {"expires_at": "must be a date and time with a time zone"}


def test_last_used_is_written_at_most_once_a_minute(admin_scene):
    _, _, admin, _ = admin_scene
    created = new_token(admin, ["users.view"])
    client = ApiClient(token=created["token"])
    start = clock.now()
    clock.freeze(start)
    try:
        client.get("/me")
        first = ApiToken.objects.get(pk=created["id"]).last_used_at
        assert first == start
        clock.freeze(start + timedelta(seconds=30))
        client.get("/me")
        assert ApiToken.objects.get(pk=created["id"]).last_used_at == first
        clock.freeze(start + timedelta(seconds=61))
        client.get("/me")
        assert ApiToken.objects.get(pk=created["id"]).last_used_at == start + timedelta(seconds=61)
    finally:
        clock.freeze(None)


def test_a_bad_bearer_token_never_falls_back_to_the_session(admin_scene):
    _, _, admin, _ = admin_scene
    client = ApiClient(person=admin.person)
    assert client.get("/me").status_code == 200
    response = client.get("/me", headers={"Authorization": "Bearer cb_not-a-real-token"})
    assert response.status_code == 401
    assert client.get("/me", headers={"Authorization": "Basic Zm9vOmJhcg=="}).status_code == 401


def test_only_the_owner_of_a_token_or_users_manage_revokes_it(admin_scene):
    _, _, admin, agent = admin_scene
    agents = new_token(agent, ["users.view"])
    other_agent = make_member(agent.account, "agent")
    assert (
        ApiClient(person=other_agent.person).delete(f"/api-tokens/{agents['id']}").status_code
        == 403
    )
    assert ApiClient(person=admin.person).delete(f"/api-tokens/{agents['id']}").status_code == 204


def test_session_needs_the_csrf_token_for_unsafe_methods(admin_scene):
    _, _, admin, agent = admin_scene
    no_csrf = ApiClient(person=admin.person, send_csrf=False)
    assert no_csrf.get("/members").status_code == 200
    response = no_csrf.patch(f"/members/{agent.pk}", {"first_name": "Forged"})
    assert response.status_code == 403
    assert response.json()["error"] == "csrf_failed"
    assert "CSRF" in response.json()["message"]
    agent.refresh_from_db()
    assert agent.first_name != "Forged"


def test_a_deactivated_members_session_is_401(admin_scene):
    _, _owner, admin, _ = admin_scene
    client = ApiClient(person=admin.person)
    assert client.get("/me").status_code == 200
    admin.status = MemberStatus.DEACTIVATED
    admin.save()
    assert client.get("/me").status_code == 401


def test_a_token_cannot_make_tokens_or_do_owner_only_things(admin_scene):
    _, owner, admin, _ = admin_scene
    from crewbase.access.permissions import ALL_PERMISSIONS

    owner_token = ApiClient(token=new_token(owner, sorted(ALL_PERMISSIONS))["token"])
    assert (
        owner_token.post("/api-tokens", {"name": "x", "scopes": ["users.view"]}).status_code == 403
    )
    assert owner_token.post("/account/cancel").status_code == 403
    response = owner_token.post("/account/transfer-ownership", {"new_owner_id": admin.pk})
    assert response.status_code == 403
    owner.refresh_from_db()
    assert owner.is_owner
