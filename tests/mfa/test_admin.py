"""What admins do (AUTH-4, AUTH-5, AUTH-6): reset a member's 2FA (recorded, member emailed),
set the account's policy in the console and the API, and see 2FA in the users list."""

from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from django.template.loader import render_to_string

from crewbase.access.actions import create_role
from crewbase.audit.models import ActivityEvent
from crewbase.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from crewbase.core.models import OutboxMessage
from crewbase.mfa import profile as mfa_profile
from crewbase.mfa.actions import reset_two_factor
from crewbase.mfa.models import MfaPolicy
from crewbase.people.models import MemberStatus
from tests.api.client import ApiClient
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.mfa.helpers import enrol_totp, set_policy
from tests.people.scenes import signed_in_client

pytestmark = pytest.mark.django_db


def _reset_emails(email):
    rows = OutboxMessage.objects.filter(payload__to=email)
    return [r for r in rows if "was reset" in r.payload["subject"]]


def _section(viewer, member) -> str:
    """The profile section as the profile page renders it for `viewer` ("" when hidden)."""
    request = SimpleNamespace(actor=actor_for(viewer))
    ctx = mfa_profile.context(request, member)
    if ctx is None:
        return ""
    return render_to_string("mfa/_profile_section.html", {"ctx": ctx, "member": member})


def test_reset_removes_totp_and_codes_records_it_and_emails_the_member():
    account, owner = make_account()
    agent = make_member(account, "agent")
    enrol_totp(agent.person)
    reset_two_factor(actor=actor_for(owner), member=agent)
    assert not Authenticator.objects.filter(user=agent.person).exists()
    event = ActivityEvent.objects.get(account=account, action="mfa.reset_by_admin")
    assert (event.actor_member_id, event.target_id) == (owner.pk, agent.pk)
    assert event.before == {"authenticators": ["recovery_codes", "totp"]}
    [mail] = _reset_emails(agent.email)
    assert owner.display_name in mail.payload["body"]
    assert "/accounts/login/" in mail.payload["body"]
    # It is the admin's doing, not the member's: no "turned off" event in their name.
    assert not ActivityEvent.objects.filter(action="mfa.totp_disabled").exists()


def test_reset_refusals():
    account, owner = make_account()
    agent = make_member(account, "agent")
    invited = make_member(account, "agent", status=MemberStatus.INVITED)
    enrol_totp(agent.person)
    with pytest.raises(PermissionDenied):
        reset_two_factor(actor=actor_for(make_member(account, "supervisor")), member=agent)
    with pytest.raises(Conflict):
        reset_two_factor(actor=actor_for(owner), member=invited)
    with pytest.raises(NotFound):
        _other, other_owner = make_account()
        reset_two_factor(actor=actor_for(other_owner), member=agent)
    reset_two_factor(actor=actor_for(owner), member=agent)
    with pytest.raises(Conflict, match="no two-factor authentication to reset"):
        reset_two_factor(actor=actor_for(owner), member=agent)
    assert len(_reset_emails(agent.email)) == 1


def test_reset_from_the_profile_asks_first():
    account, owner = make_account()
    agent = make_member(account, "agent")
    enrol_totp(agent.person)
    client = signed_in_client(owner)
    profile = _section(owner, agent)
    assert "Two-factor authentication is <strong>on</strong>" in profile
    assert "10 of 10 recovery codes unused" in profile
    assert f"/members/{agent.pk}/reset-2fa/" in profile
    assert "reset-2fa" not in _section(make_member(account, "supervisor"), agent)
    assert _section(make_member(account, "agent"), agent) == ""
    confirm = client.get(f"/members/{agent.pk}/reset-2fa/")
    assert confirm.status_code == 200 and "stop working at once" in confirm.text
    assert Authenticator.objects.filter(user=agent.person).exists()
    done = client.post(f"/members/{agent.pk}/reset-2fa/")
    assert done.status_code == 302 and done["Location"] == f"/members/{agent.pk}/"
    assert not Authenticator.objects.filter(user=agent.person).exists()
    assert "Two-factor authentication is <strong>off</strong>" in _section(owner, agent)


def test_reset_through_the_api():
    account, owner = make_account()
    agent = make_member(account, "agent")
    enrol_totp(agent.person)
    api = ApiClient(person=owner.person)
    assert api.post(f"/members/{agent.pk}/reset-2fa").status_code == 200
    again = api.post(f"/members/{agent.pk}/reset-2fa")
    assert again.status_code == 409 and again.json()["errors"]["member"]
    assert api.post("/members/999999/reset-2fa").status_code == 404
    peer = ApiClient(person=make_member(account, "agent").person)
    assert peer.post(f"/members/{agent.pk}/reset-2fa").status_code == 403


def test_policy_page_saves_each_section_and_lists_who_must_still_enrol():
    account, owner = make_account()
    supervisor = make_member(account, "supervisor")
    client = signed_in_client(owner)
    page = client.get("/security/two-factor/")
    assert "Two-factor requirement per role" in page.text
    assert "Email one-time codes by role" in page.text
    sup = str(builtin_role("supervisor").pk)
    saved = client.post(
        "/security/two-factor/",
        {"section": "required", "required-section": "required", "required-roles": [sup]},
    )
    assert saved.status_code == 302
    page = client.get("/security/two-factor/").text
    assert supervisor.email in page
    client.post(
        "/security/two-factor/",
        {
            "email-section": "email",
            "section": "email",
            "email-roles": [sup],
            "email-broadcast_agents": "on",
        },
    )
    policy = MfaPolicy.objects.get(account=account)
    assert list(policy.required_2fa_roles.values_list("pk", flat=True)) == [int(sup)]
    assert list(policy.email_otp_roles.values_list("pk", flat=True)) == [int(sup)]
    assert policy.email_otp_broadcast_agents
    bad = client.post(
        "/security/two-factor/",
        {"section": "email", "email-section": "email", "email-roles": ["999999"]},
    )
    assert bad.status_code == 422 and "is not one of the available choices" in bad.text
    assert client.get("/security/two-factor/").status_code == 200
    agent_client = signed_in_client(make_member(account, "agent"))
    assert agent_client.get("/security/two-factor/").status_code == 403


def test_policy_api_reads_and_writes_and_refuses_bad_input():
    account, owner = make_account()
    _other, other_owner = make_account()
    foreign = create_role(actor=actor_for(other_owner), name="Theirs", permissions=[])
    api = ApiClient(person=owner.person)
    empty = api.get("/security/mfa-policy").json()
    assert empty == {
        "required_2fa_roles": [],
        "email_otp_roles": [],
        "email_otp_broadcast_agents": False,
        "email_otp_active": True,
    }
    # Not Admin: the owner holds it and would then have to enrol before the next call.
    admin = builtin_role("supervisor")
    put = api.request("PUT", "/security/mfa-policy", {"required_2fa_role_ids": [admin.pk]})
    assert put.status_code == 200
    assert put.json()["required_2fa_roles"] == [{"id": admin.pk, "name": "Supervisor"}]
    for body, field in [
        ({"required_2fa_role_ids": [foreign.pk]}, "required_2fa_role_ids"),
        ({"email_otp_role_ids": ["1"]}, None),
        ({"email_otp_broadcast_agents": "yes"}, None),
        ({"unknown": 1}, None),
        ({"email_otp_role_ids": [True]}, None),
        ({"email_otp_role_ids": [2**64]}, "email_otp_role_ids"),
    ]:
        refused = api.request("PUT", "/security/mfa-policy", body)
        assert refused.status_code == 422, body
        if field:
            assert refused.json()["errors"][field]
    assert api.request("PUT", "/security/mfa-policy", raw=b"{not json").status_code in (400, 422)
    assert api.get("/security/mfa-policy").json()["required_2fa_roles"][0]["id"] == admin.pk
    events = ActivityEvent.objects.filter(account=account, action="mfa.policy_changed")
    assert events.count() == 1
    agent_api = ApiClient(person=make_member(account, "agent").person)
    assert agent_api.get("/security/mfa-policy").status_code == 403


def test_the_users_list_shows_2fa_and_filters_on_it():
    account, owner = make_account()
    on = make_member(account, "agent", email="on@example.com")
    off = make_member(account, "agent", email="off@example.com")
    invited = make_member(
        account, "agent", email="invited@example.com", status=MemberStatus.INVITED
    )
    enrol_totp(on.person)
    api = ApiClient(person=owner.person)

    def emails(query):
        return {m["email"] for m in api.get(f"/members?{query}").json()["items"]}

    assert emails("twofa=enabled") == {on.email}
    assert emails("twofa=disabled") == {off.email, owner.email}
    assert invited.email not in emails("twofa=enabled") | emails("twofa=disabled")
    refused = api.get("/members?twofa=maybe")
    assert refused.status_code == 422
    assert refused.json()["errors"]["twofa"] == "must be 'enabled' or 'disabled'"

    page = signed_in_client(owner).get("/members/?twofa=enabled").text
    assert on.email in page and off.email not in page
    assert "2FA on" in page  # the filter's options
    assert '<span class="tag">On</span>' in page


def test_policy_is_per_account():
    _account, owner = make_account()
    other, _other_owner = make_account()
    set_policy(owner, required_2fa_role_ids=[builtin_role("agent").pk])
    with pytest.raises(ValidationFailed):
        set_policy(owner, required_2fa_role_ids=["x"])
    assert not MfaPolicy.objects.filter(account=other).exists()
