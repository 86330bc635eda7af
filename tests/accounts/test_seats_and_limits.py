"""User limits and agent seats (PLAN-1, PLAN-2), through the real actions."""

import pytest

from crewbase.accounts.models import Plan
from crewbase.core.errors import Conflict, ValidationFailed
from crewbase.org.models import Queue
from crewbase.people.actions import limits
from crewbase.people.actions.changes import set_agent_access
from crewbase.people.actions.invitations import invite_people
from crewbase.people.actions.lifecycle import deactivate_member
from crewbase.people.models import Member, MemberStatus
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.people.scenes import events

pytestmark = pytest.mark.django_db


def invite(owner, emails, **kwargs):
    return invite_people(
        actor=actor_for(owner), emails=emails, role_id=builtin_role("agent").pk, **kwargs
    )


def test_invited_and_active_members_count_toward_the_user_limit_deactivated_do_not():
    account, owner = make_account(user_limit=4)
    make_member(account, status=MemberStatus.DEACTIVATED)
    make_member(account, status=MemberStatus.DEACTIVATED)
    active = make_member(account)
    invite(owner, "nia@example.com")
    assert limits.users_counted(account) == 3  # owner + active + invited

    invite(owner, "last@example.com")  # the fourth slot
    with pytest.raises(Conflict) as full:
        invite(owner, "one-too-many@example.com")
    assert full.value.errors["user_limit"] == (
        "the plan's user limit would be exceeded (4 of 4 users used, 1 more needed)"
    )

    deactivate_member(actor=actor_for(owner), member=active)
    invite(owner, "one-too-many@example.com")
    assert limits.users_counted(account) == 4


def test_an_unlimited_plan_has_no_user_limit():
    account, owner = make_account(plan=Plan.ENTERPRISE, user_limit=None)
    invite(owner, [f"p{i}@example.com" for i in range(30)])
    assert limits.user_slots_left(account) is None
    assert limits.users_counted(account) == 31


def test_enabling_agent_access_without_a_seat_says_how_many_are_used():
    account, owner = make_account()  # the owner holds the one free seat
    ada = make_member(account)
    with pytest.raises(Conflict) as refused:
        set_agent_access(actor=actor_for(owner), member=ada, enabled=True)
    assert refused.value.message == "no agent seat left (1 of 1 used)"
    assert refused.value.errors == {"agent_access": "no agent seat left (1 of 1 used)"}
    assert Member.objects.get(pk=ada.pk).agent_access is False
    assert events(account, "member.agent_access_changed") == []


def test_seat_message_counts_paid_seats_too():
    account, owner = make_account(paid_agent_seats=2)
    actor = actor_for(owner)
    for _ in range(2):
        set_agent_access(actor=actor, member=make_member(account), enabled=True)
    with pytest.raises(Conflict) as refused:
        set_agent_access(actor=actor, member=make_member(account), enabled=True)
    assert refused.value.message == "no agent seat left (3 of 3 used)"


def test_disabling_agent_access_frees_the_seat_and_leaves_every_queue():
    account, owner = make_account()
    actor = actor_for(owner)
    queues = [Queue.objects.create(account=account, name=n) for n in ("Chat", "Phone")]
    for queue in queues:
        queue.members.add(owner)

    set_agent_access(actor=actor, member=owner, enabled=False)

    assert limits.agent_seats_used(account) == 0
    assert Member.objects.get(pk=owner.pk).queues.count() == 0
    event = events(account, "member.agent_access_changed")[-1]
    assert event.before == {"agent_access": True}
    assert event.after == {"agent_access": False, "queues_left": ["Chat", "Phone"]}
    ada = make_member(account)
    set_agent_access(actor=actor, member=ada, enabled=True)
    assert Member.objects.get(pk=ada.pk).agent_access is True


@pytest.mark.parametrize("plan", Plan.values)
def test_every_plan_includes_one_free_agent_seat(plan):
    account, owner = make_account(plan=plan)
    actor = actor_for(owner)
    assert account.agent_seat_total == 1
    set_agent_access(actor=actor, member=owner, enabled=False)
    ada = make_member(account)
    set_agent_access(actor=actor, member=ada, enabled=True)
    with pytest.raises(Conflict):
        set_agent_access(actor=actor, member=make_member(account), enabled=True)


def test_a_deactivated_member_with_agent_access_holds_no_seat():
    account, owner = make_account(paid_agent_seats=1)
    actor = actor_for(owner)
    ada = make_member(account, agent_access=True)
    assert limits.agent_seats_left(account) == 0
    deactivate_member(actor=actor, member=ada)
    assert limits.agent_seats_left(account) == 1
    set_agent_access(actor=actor, member=make_member(account), enabled=True)


def test_inviting_with_agent_access_needs_a_seat_for_each_invitee():
    account, owner = make_account(paid_agent_seats=1)  # one seat left after the owner
    with pytest.raises(Conflict) as refused:
        invite(owner, "a@example.com b@example.com", agent_access=True)
    assert "no agent seat left (1 of 2 used)" in refused.value.message
    assert "2 would be needed" in refused.value.message
    assert Member.objects.filter(account=account).count() == 1
    invite(owner, "a@example.com", agent_access=True)
    assert limits.agent_seats_used(account) == 2  # an invited agent holds a seat


def test_agent_access_must_be_a_boolean():
    _account, owner = make_account()
    with pytest.raises(ValidationFailed) as refused:
        set_agent_access(actor=actor_for(owner), member=owner, enabled="no")
    assert set(refused.value.errors) == {"agent_access"}
    assert Member.objects.get(pk=owner.pk).agent_access is True
