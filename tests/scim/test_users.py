"""SCIM Users are members: provisioning, Okta's and Entra's PATCH quirks, lifecycle (SSO-4)."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from crewbase.api.models import ApiToken
from crewbase.audit.models import ActivityEvent
from crewbase.org.models import Queue
from crewbase.people.models import Member, MemberStatus
from tests.auth.test_sign_in import sign_in
from tests.conftest import make_member

pytestmark = pytest.mark.django_db
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def new_user(scim, email="ada@example.com", **extra):
    body = {
        "schemas": [USER],
        "userName": email,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
        **extra,
    }
    response = scim.call("POST", "/Users", body)
    assert response.status_code == 201, response.content
    return response.json()


def patch(scim, user_id, *operations, **headers):
    body = {"schemas": [PATCH], "Operations": list(operations)}
    return scim.call("PATCH", f"/Users/{user_id}", body, **headers)


def test_post_creates_an_active_member_with_the_default_role_recorded_as_scim(scim):
    created = new_user(scim, externalId="okta-1")
    member = Member.objects.get(pk=int(created["id"]))
    assert (member.status, member.role.name, member.email) == ("active", "Agent", "ada@example.com")
    assert (member.first_name, member.last_name, member.agent_access) == ("Ada", "Lovelace", False)
    assert created["externalId"] == "okta-1" and created["active"] is True
    assert created["meta"]["location"].endswith(f"/scim/v2/Users/{member.pk}")
    event = ActivityEvent.objects.get(account=scim.account, action="scim.user_provisioned")
    assert (event.actor_kind, event.actor_display, event.target_id) == ("scim", "SCIM", member.pk)


def test_responses_are_scim_json_and_errors_are_scim_error_bodies(scim):
    response = scim.call("GET", "/Users")
    assert response["Content-Type"] == "application/scim+json"
    missing = scim.call("GET", "/Users/999999")
    assert missing.status_code == 404
    assert missing.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


def test_entra_patch_quirks_capitalised_ops_string_booleans_pathless_dicts(scim):
    user = new_user(scim)
    response = patch(
        scim,
        user["id"],
        {"op": "Replace", "path": "active", "value": "False"},
        {"op": "Add", "value": {"displayName": "Ada L.", "name.givenName": "Augusta"}},
    )
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False and response.json()["displayName"] == "Ada L."
    member = Member.objects.get(pk=int(user["id"]))
    assert (member.status, member.first_name) == (MemberStatus.DEACTIVATED, "Augusta")
    again = patch(scim, user["id"], {"op": "replace", "value": {"active": "True"}})
    assert again.status_code == 200 and again.json()["active"] is True


def test_okta_pathless_replace_echoing_id_and_entra_filtered_email_path(scim):
    user = new_user(scim)
    response = patch(
        scim,
        user["id"],
        {"op": "replace", "value": {"id": user["id"], "active": False}},
        {"op": "replace", "path": 'emails[type eq "home"].value', "value": "ada@home.example"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["active"] is False
    assert {"value": "ada@home.example", "type": "home"} in body["emails"]
    # The sign-in email never changes (LIFE-5); SCIM's emails are the IdP's attributes.
    assert Member.objects.get(pk=int(user["id"])).email == "ada@example.com"


def test_deactivating_through_scim_ends_sessions_tokens_and_queues(scim):
    agent = make_member(scim.account, "agent", agent_access=True)
    queue = Queue.objects.create(account=scim.account, name="Billing")
    queue.members.add(agent)
    ApiToken.objects.create(
        account=scim.account, member=agent, name="t", prefix="p", token_hash="h" * 64
    )
    browser = Client()
    assert sign_in(browser, agent.email).status_code == 302
    assert UserSession.objects.filter(user=agent.person).count() == 1
    response = patch(scim, agent.pk, {"op": "replace", "path": "active", "value": False})
    assert response.status_code == 200, response.content
    assert UserSession.objects.filter(user=agent.person).count() == 0
    assert not queue.members.exists()
    assert ApiToken.objects.get(member=agent).revoked_at is not None
    assert browser.get("/").status_code in (302, 403)
    event = ActivityEvent.objects.get(account=scim.account, action="member.deactivated")
    assert event.actor_kind == "scim" and event.after["sessions_ended"] == 1


def test_delete_deactivates_then_deletes_and_keeps_the_history(scim):
    user = new_user(scim)
    assert scim.call("DELETE", f"/Users/{user['id']}").status_code == 204
    assert not Member.objects.filter(pk=int(user["id"])).exists()
    assert scim.call("GET", f"/Users/{user['id']}").status_code == 404
    actions = list(
        ActivityEvent.objects.filter(account=scim.account, target_id=int(user["id"]))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["member.deactivated", "member.deleted"]


def test_the_owner_cannot_be_deactivated_or_deleted_through_scim(scim):
    response = patch(scim, scim.owner.pk, {"op": "replace", "path": "active", "value": False})
    assert response.status_code == 400 and response.json()["scimType"] == "mutability"
    assert scim.call("DELETE", f"/Users/{scim.owner.pk}").status_code == 400
    assert Member.objects.get(pk=scim.owner.pk).status == MemberStatus.ACTIVE


def test_user_limit_is_a_clear_scim_error_and_nothing_is_created(scim):
    scim.account.user_limit = 1  # the owner fills it
    scim.account.save()
    response = scim.call(
        "POST", "/Users", {"schemas": [USER], "userName": "x@example.com", "active": True}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["scimType"] == "invalidValue" and "user limit" in body["detail"]
    assert not Member.objects.filter(email="x@example.com").exists()


def test_allowed_domains_and_duplicates_are_refused_with_scim_types(scim):
    scim.account.allowed_domains = ["example.com"]
    scim.account.save()
    response = scim.call("POST", "/Users", {"schemas": [USER], "userName": "x@other.test"})
    assert response.status_code == 400 and "allowed domains" in response.json()["detail"]
    new_user(scim)
    again = scim.call("POST", "/Users", {"schemas": [USER], "userName": "ADA@example.com"})
    assert again.status_code == 409 and again.json()["scimType"] == "uniqueness"


def test_an_invited_member_is_found_by_username_and_activated(scim):
    invited = make_member(scim.account, "agent", status=MemberStatus.INVITED)
    found = scim.call("GET", "/Users", QUERY_STRING=f'filter=userName eq "{invited.email}"')
    resources = found.json()["Resources"]
    assert [r["id"] for r in resources] == [str(invited.pk)] and resources[0]["active"] is False
    response = patch(scim, invited.pk, {"op": "replace", "path": "active", "value": True})
    assert response.status_code == 200, response.content
    assert Member.objects.get(pk=invited.pk).status == MemberStatus.ACTIVE


def test_if_match_with_a_stale_version_is_refused(scim):
    user = new_user(scim)
    stale = user["meta"]["version"]
    patch(scim, user["id"], {"op": "replace", "path": "displayName", "value": "A"})
    response = patch(
        scim,
        user["id"],
        {"op": "replace", "path": "displayName", "value": "B"},
        HTTP_IF_MATCH=stale,
    )
    assert response.status_code == 412
    current = scim.call("GET", f"/Users/{user['id']}")
    assert current.json()["displayName"] == "A"
    ok = patch(
        scim,
        user["id"],
        {"op": "replace", "path": "displayName", "value": "B"},
        HTTP_IF_MATCH=current["ETag"],
    )
    assert ok.status_code == 200
