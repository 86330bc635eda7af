import pytest

from crewbase.audit.models import ActivityEvent
from crewbase.core.errors import Conflict, PermissionDenied, ValidationFailed
from crewbase.core.models import OutboxMessage
from crewbase.people.actions.invitations import accept_invitation, invite_people
from crewbase.people.models import Invitation, Member, MemberStatus
from tests.conftest import actor_for, builtin_role, make_account, make_member

pytestmark = pytest.mark.django_db


def test_pasted_list_with_one_typo_rejects_everything_and_names_the_bad_email():
    account, owner = make_account()
    with pytest.raises(ValidationFailed) as failure:
        invite_people(
            actor=actor_for(owner),
            emails="ann@example.com, bob@example ; carl@example.com\nANN@example.com",
            role_id=builtin_role("agent").pk,
        )
    assert failure.value.errors == {"bob@example": "is not a valid email address"}
    assert Member.objects.filter(account=account, status=MemberStatus.INVITED).count() == 0
    assert OutboxMessage.objects.count() == 0


def test_invites_folded_list_and_writes_event_and_email_in_one_go():
    account, owner = make_account()
    result = invite_people(
        actor=actor_for(owner),
        emails="ann@example.com, Bob@Example.com ; ANN@example.com\ncarl@example.com",
        role_id=builtin_role("agent").pk,
    )
    assert sorted(m.email for m in result.invited) == [
        "ann@example.com",
        "bob@example.com",
        "carl@example.com",
    ]
    assert OutboxMessage.objects.filter(payload__to="bob@example.com").count() == 1
    assert ActivityEvent.objects.filter(account=account, action="member.invited").count() == 3


def test_active_member_is_skipped_and_pending_is_offered_a_resend():
    account, owner = make_account()
    make_member(account, email="active@example.com")
    invite_people(
        actor=actor_for(owner), emails="pending@example.com", role_id=builtin_role("agent").pk
    )
    result = invite_people(
        actor=actor_for(owner),
        emails="active@example.com pending@example.com new@example.com",
        role_id=builtin_role("agent").pk,
    )
    assert [m.email for m in result.invited] == ["new@example.com"]
    assert result.skipped == [("active@example.com", "already an active member")]
    assert [m.email for m in result.resend_offered] == ["pending@example.com"]


def test_agent_cannot_invite_and_nobody_grants_what_they_lack():
    account, owner = make_account()
    agent = make_member(account, "agent")
    with pytest.raises(PermissionDenied):
        invite_people(
            actor=actor_for(agent), emails="x@example.com", role_id=builtin_role("agent").pk
        )
    from crewbase.access.actions import create_role

    inviter_role = create_role(actor=actor_for(owner), name="Inviter", permissions=["users.invite"])
    inviter = make_member(account, inviter_role)
    with pytest.raises(PermissionDenied):
        invite_people(
            actor=actor_for(inviter), emails="x@example.com", role_id=builtin_role("admin").pk
        )


def test_user_limit_rejects_whole_batch():
    account, owner = make_account(user_limit=3)
    with pytest.raises(Conflict) as failure:
        invite_people(
            actor=actor_for(owner),
            emails="a@example.com b@example.com c@example.com",
            role_id=builtin_role("agent").pk,
        )
    assert "user limit" in failure.value.message
    assert Member.objects.filter(account=account).count() == 1


def test_accept_as_new_person_then_link_is_used():
    _account, owner = make_account()
    invite_people(
        actor=actor_for(owner), emails="new@example.com", role_id=builtin_role("agent").pk
    )
    link = OutboxMessage.objects.get(payload__to="new@example.com").payload["body"]
    token = link.split("/invitations/")[1].split("/")[0]
    member = accept_invitation(
        token=token, first_name="Nia", last_name="New", password="a long and unusual secret"
    )
    assert member.status == MemberStatus.ACTIVE
    assert member.person.check_password("a long and unusual secret")
    assert Invitation.objects.get(member=member).status == "accepted"
    with pytest.raises(Conflict) as again:
        accept_invitation(token=token, first_name="N", last_name="N", password="whatever12345")
    assert "already been used" in again.value.message
