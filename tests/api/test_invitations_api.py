"""Inviting and accepting through the API: all-or-nothing batches, plain refusals (INV-*)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crewbase.audit.models import ActivityEvent
from crewbase.core import clock
from crewbase.core.models import OutboxMessage
from crewbase.people.models import Member, MemberStatus
from tests.api.client import ApiClient
from tests.conftest import builtin_role, make_account, make_member
from tests.people.scenes import invitation_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_api():
    account, owner = make_account()
    return account, owner, ApiClient(person=owner.person)


def invite(api, emails, **extra):
    return api.post(
        "/invitations", {"emails": emails, "role_id": builtin_role("agent").pk, **extra}
    )


def invited_emails(account) -> set[str]:
    return set(
        Member.objects.filter(account=account, status=MemberStatus.INVITED).values_list(
            "email", flat=True
        )
    )


def test_pasted_list_with_typos_rejects_the_batch_naming_each_bad_address(owner_api):
    account, _, api = owner_api
    response = invite(api, "ann@example.com, bob@example ;carl@@example.com\ndee@example.com")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == {
        "bob@example": "is not a valid email address",
        "carl@@example.com": "is not a valid email address",
    }
    assert "Nothing was sent" in body["message"]
    assert invited_emails(account) == set()
    assert OutboxMessage.objects.count() == 0


def test_duplicates_in_any_case_are_folded_and_each_person_is_invited_once(owner_api):
    _account, _, api = owner_api
    response = invite(
        api, ["Ann@Example.com", "ann@example.COM", "bob@example.com ANN@example.com"]
    )
    assert response.status_code == 201, response.content
    assert sorted(m["email"] for m in response.json()["invited"]) == [
        "ann@example.com",
        "bob@example.com",
    ]
    assert OutboxMessage.objects.filter(payload__to="ann@example.com").count() == 1


def test_blocked_and_personal_domains_are_named_with_the_reason(owner_api):
    account, _, api = owner_api
    account.blocked_domains = ["rival.example"]
    account.block_personal_domains = True
    account.save()
    response = invite(api, "ok@example.com, spy@rival.example, me@gmail.com")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["spy@rival.example"] == "the domain rival.example is blocked by this account"
    assert "personal email provider" in errors["me@gmail.com"]
    assert "ok@example.com" not in errors
    assert invited_emails(account) == set()


def test_active_members_are_skipped_and_pending_ones_offered_a_resend(owner_api):
    account, _, api = owner_api
    make_member(account, email="active@example.com")
    assert invite(api, "pending@example.com").status_code == 201
    response = invite(api, "ACTIVE@example.com pending@example.com new@example.com")
    assert response.status_code == 201
    body = response.json()
    assert [m["email"] for m in body["invited"]] == ["new@example.com"]
    assert body["skipped"] == [
        {"email": "active@example.com", "reason": "already an active member"}
    ]
    pending = Member.objects.get(account=account, email="pending@example.com")
    assert body["resend_offered"] == [{"member_id": pending.pk, "email": "pending@example.com"}]
    # Nothing new to send: 200, not 201.
    assert invite(api, "active@example.com").status_code == 200


def test_a_batch_over_the_user_limit_is_refused_whole(owner_api):
    account, _, api = owner_api
    account.user_limit = 3
    account.save()
    response = invite(api, "a@example.com b@example.com c@example.com")
    assert response.status_code == 409
    assert "user limit" in response.json()["errors"]["user_limit"]
    assert invited_emails(account) == set()
    assert invite(api, "a@example.com b@example.com").status_code == 201


def test_pending_invitations_show_the_expired_flag(owner_api):
    _account, _, api = owner_api
    invite(api, "soon@example.com")
    listed = api.get("/invitations").json()["items"]
    assert [(i["email"], i["expired"]) for i in listed] == [("soon@example.com", False)]
    clock.freeze(clock.now() + timedelta(days=8))
    try:
        listed = api.get("/invitations").json()["items"]
        assert [(i["email"], i["expired"]) for i in listed] == [("soon@example.com", True)]
        member = api.get("/members?status=expired").json()["items"]
        assert [m["invitation_expired"] for m in member] == [True]
    finally:
        clock.freeze(None)


def accept(token, client=None, **fields):
    body = {
        "token": token,
        "first_name": "Nadia",
        "last_name": "Newcomer",
        "password": "violet kettle drums on sunday",
        **fields,
    }
    return (client or ApiClient()).post("/invitations/accept", body)


def test_accepting_signs_the_new_member_in(owner_api):
    account, _, api = owner_api
    invite(api, "nadia@example.com")
    newcomer = ApiClient()
    response = accept(invitation_token("nadia@example.com"), newcomer)
    assert response.status_code == 200, response.content
    assert response.json()["member"]["status"] == "active"
    assert response.json()["signed_in"] is True
    me = newcomer.get("/me")
    assert me.status_code == 200
    assert me.json()["member"]["email"] == "nadia@example.com"
    assert ActivityEvent.objects.filter(account=account, action="member.joined").count() == 1


def test_a_used_link_says_so(owner_api):
    _, _, api = owner_api
    invite(api, "nadia@example.com")
    token = invitation_token("nadia@example.com")
    assert accept(token).status_code == 200
    response = accept(token)
    assert response.status_code == 409
    assert "already been used" in response.json()["message"]


def test_an_expired_link_says_so_and_tells_to_ask_an_admin(owner_api):
    _, _, api = owner_api
    invite(api, "late@example.com")
    token = invitation_token("late@example.com")
    clock.freeze(clock.now() + timedelta(days=8))
    try:
        response = accept(token)
    finally:
        clock.freeze(None)
    assert response.status_code == 409
    assert response.json()["errors"] == {"token": "expired"}
    assert "Ask an admin" in response.json()["message"]


def test_a_cancelled_link_says_so(owner_api):
    account, _, api = owner_api
    invite(api, "gone@example.com")
    token = invitation_token("gone@example.com")
    member = Member.objects.get(account=account, email="gone@example.com")
    assert api.delete(f"/invitations/{member.pk}").status_code == 204
    response = accept(token)
    assert response.status_code == 409
    assert "cancelled" in response.json()["message"]


def test_a_resent_invitation_replaces_the_old_link(owner_api):
    account, _, api = owner_api
    invite(api, "twice@example.com")
    old = invitation_token("twice@example.com")
    member = Member.objects.get(account=account, email="twice@example.com")
    assert api.post(f"/invitations/{member.pk}/resend").status_code == 200
    assert accept(old).status_code == 409
    assert accept(invitation_token("twice@example.com")).status_code == 200


def test_accept_with_a_weak_password_names_the_field_and_activates_nobody(owner_api):
    account, _, api = owner_api
    invite(api, "weak@example.com")
    response = accept(invitation_token("weak@example.com"), password="password", first_name="")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"password", "first_name"}
    assert Member.objects.get(account=account, email="weak@example.com").status == "invited"


def test_a_person_who_already_has_an_account_must_be_signed_in_to_accept(owner_api):
    account, _, api = owner_api
    elsewhere, _ = make_account()
    existing = make_member(elsewhere, "agent", email="known@example.com")
    invite(api, "known@example.com")
    token = invitation_token("known@example.com")

    response = accept(token)  # nobody signed in
    assert response.status_code == 403
    assert response.json()["errors"] == {"email": "sign in as this person first"}

    signed_in_without_csrf = ApiClient(person=existing.person, send_csrf=False)
    assert accept(token, signed_in_without_csrf).status_code == 403

    signed_in = ApiClient(person=existing.person)
    response = accept(token, signed_in)
    assert response.status_code == 200, response.content
    assert response.json()["signed_in"] is True
    joined = Member.objects.get(account=account, email="known@example.com")
    assert joined.status == "active"
    # The person keeps their own name and password; the form's fields are ignored.
    assert joined.person.check_password("correct horse battery staple 42")
