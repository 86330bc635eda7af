"""The access review page and "why can this member do X" (§14)."""

from datetime import timedelta

import pytest

from crewbase.access.actions import create_role
from crewbase.api.actions import create_api_token
from crewbase.api.models import ApiToken
from crewbase.core import clock
from crewbase.core.errors import PermissionDenied, ValidationFailed
from crewbase.governance import access_review, explain
from crewbase.org.actions import add_division_members, create_division
from crewbase.people.actions.invitations import invite_people
from crewbase.people.models import Invitation, Member
from tests.api.client import ApiClient
from tests.conftest import actor_for, builtin_role, make_member
from tests.console.conftest import signed_in


def _emails(groups, key):
    return {row.email for row in next(g for g in groups if g.key == key).rows}


def test_each_group_lists_who_needs_a_look_with_a_link_to_the_fix(gov, frozen):
    now = clock.now()
    old = make_member(gov["account"], "agent", email="old@harbor.example")
    Member.objects.filter(pk=old.pk).update(
        last_sign_in_at=now - timedelta(days=120), joined_at=now - timedelta(days=400)
    )
    Member.objects.filter(account=gov["account"]).exclude(pk=old.pk).update(last_sign_in_at=now)
    invite_people(
        actor=actor_for(gov["owner"]),
        emails="late@harbor.example",
        role_id=builtin_role("agent").pk,
    )
    Invitation.objects.filter(email="late@harbor.example").update(
        created_at=now - timedelta(days=8)
    )
    token, _ = create_api_token(actor=actor_for(gov["admin"]), name="ci", scopes=["users.view"])
    ApiToken.objects.filter(pk=token.pk).update(created_at=now - timedelta(days=100))

    groups = access_review.build(actor_for(gov["supervisor"]))
    assert _emails(groups, "inactive") == {"old@harbor.example"}
    assert _emails(groups, "admins") == {gov["owner"].email, "ada@harbor.example"}
    assert _emails(groups, "no_queue") == {"agnes@harbor.example", gov["owner"].email}
    assert _emails(groups, "stale_invitations") == {"late@harbor.example"}
    assert _emails(groups, "unused_tokens") == {"ada@harbor.example"}
    inactive = next(g for g in groups if g.key == "inactive").rows[0]
    assert inactive.fix_url == f"/members/{old.pk}/deactivate/"
    assert (
        _emails(access_review.build(actor_for(gov["owner"]), inactive_days=200), "inactive")
        == set()
    )
    with pytest.raises(PermissionDenied):
        access_review.build(actor_for(gov["agent"]))


def test_access_review_api_and_console(gov):
    api = ApiClient(person=gov["owner"].person)
    body = api.get("/access-review?inactive_days=30").json()
    assert body["inactive_days"] == 30
    assert [g["key"] for g in body["groups"]] == [
        "inactive",
        "admins",
        "missing_2fa",
        "no_queue",
        "stale_invitations",
        "unused_tokens",
    ]
    assert api.get("/access-review?inactive_days=0").status_code == 422
    assert ApiClient(person=gov["agent"].person).get("/access-review").status_code == 403
    page = signed_in(gov["owner"]).get("/access-review/")
    assert page.status_code == 200 and "Owner and admins" in page.text
    bad = signed_in(gov["owner"]).get("/access-review/?inactive_days=abc")
    assert bad.status_code == 400 and "Must be a whole number of days." in bad.text
    assert signed_in(gov["agent"]).get("/access-review/").status_code == 403


def test_explain_names_role_permission_and_scope(gov):
    owner = actor_for(gov["owner"])
    role = create_role(actor=owner, name="Tier 2", permissions=["users.view", "tickets.delete"])
    member = make_member(gov["account"], role)
    division = create_division(actor=owner, name="EMEA")
    add_division_members(actor=owner, division=division, member_ids=[member.pk])
    answer = explain.explain_member(actor=owner, member=member, asked="delete tickets")
    assert answer.allowed and answer.permission == "tickets.delete"
    assert answer.reason == "Granted by the role 'Tier 2'."
    assert answer.scope == "The whole account"
    from crewbase.org.ticket_actions import set_chat_access

    set_chat_access(actor=owner, member=member, scope="assigned")
    answer = explain.explain_member(actor=owner, member=member, asked="tickets.delete")
    assert "tickets of the divisions EMEA" in answer.scope
    denied = explain.explain_member(actor=owner, member=gov["agent"], asked="tickets.delete")
    assert not denied.allowed and "'Agent' does not include" in denied.reason
    assert explain.explain_member(actor=owner, member=gov["owner"], asked="billing.manage").allowed
    with pytest.raises(ValidationFailed):
        explain.explain_member(actor=owner, member=member, asked="fly")

    api = ApiClient(person=gov["owner"].person)
    body = api.get(f"/members/{member.pk}/explain?permission=delete%20tickets").json()
    assert body["role"] == "Tier 2" and body["allowed"] is True
    assert api.get(f"/members/{member.pk}/explain?permission=fly").status_code == 422
    assert api.get(f"/members/{member.pk}/explain").status_code == 422
    other = ApiClient(person=gov["stranger"].person)
    assert other.get(f"/members/{member.pk}/explain?permission=users.view").status_code == 404

    client = signed_in(gov["owner"])
    page = client.get(f"/access-review/why/?member={member.pk}&permission=delete+tickets")
    assert page.status_code == 200 and "Granted by the role" in page.text
    assert client.get("/access-review/why/?member=&permission=fly").status_code == 400
