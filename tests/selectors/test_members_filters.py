"""Filters of the members list: role, status (incl. expired invitations), groups, agent access."""

from datetime import UTC, datetime, timedelta

import pytest

from crewbase.access.actions import create_role
from crewbase.core import clock
from crewbase.org.models import Division, Queue, Team
from crewbase.people.actions.invitations import invite_people, resend_invitation
from crewbase.people.models import Member, MemberStatus
from crewbase.people.selectors import list_members
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.selectors.scene import named_member

pytestmark = pytest.mark.django_db

T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen_clock():
    clock.freeze(T0)
    yield clock
    clock.freeze(None)


def listed(actor, **params) -> set:
    return set(list_members(actor, limit="200", **params).items)


def test_filter_by_builtin_and_custom_role():
    account, owner = make_account()
    supervisor = make_member(account, "supervisor")
    make_member(account, "agent")
    custom = create_role(actor=actor_for(owner), name="Night", permissions=["users.view"])
    night = make_member(account, custom)
    actor = actor_for(owner)
    assert listed(actor, role=str(builtin_role("supervisor").pk)) == {supervisor}
    assert listed(actor, role=str(custom.pk)) == {night}
    assert listed(actor, role=builtin_role("admin").pk) == {owner}


def test_filter_by_agent_access_both_ways():
    account, owner = make_account(paid_agent_seats=5)
    Member.objects.filter(pk=owner.pk).update(agent_access=False)
    agents = {make_member(account, agent_access=True) for _ in range(2)}
    plain = make_member(account, agent_access=False)
    actor = actor_for(owner)
    assert listed(actor, agent_access="true") == agents
    assert listed(actor, agent_access="false") == {owner, plain}
    assert listed(actor, agent_access="TRUE") == agents
    assert listed(actor, agent_access=False) == {owner, plain}


@pytest.mark.parametrize(("param", "model"), [("team", Team), ("division", Division)])
def test_filter_by_team_or_division(param, model):
    account, owner = make_account()
    inside = [make_member(account) for _ in range(2)]
    make_member(account)
    group = model.objects.create(account=account, name="Tier 2")
    other_group = model.objects.create(account=account, name="Tier 3")
    group.members.add(*inside)
    other_group.members.add(inside[0])
    assert listed(actor_for(owner), **{param: str(group.pk)}) == set(inside)
    assert listed(actor_for(owner), **{param: str(other_group.pk)}) == {inside[0]}


def test_filter_by_queue_and_combined_with_other_filters():
    account, owner = make_account(paid_agent_seats=5)
    queue = Queue.objects.create(account=account, name="Billing")
    in_queue = make_member(account, "agent", agent_access=True)
    supervisor_in_queue = make_member(account, "supervisor", agent_access=True)
    make_member(account, "agent", agent_access=True)
    queue.members.add(in_queue, supervisor_in_queue)
    actor = actor_for(owner)
    assert listed(actor, queue=str(queue.pk)) == {in_queue, supervisor_in_queue}
    assert listed(actor, queue=str(queue.pk), role=str(builtin_role("agent").pk)) == {in_queue}
    assert listed(actor, queue=str(queue.pk), q="nobody-matches") == set()


def test_active_and_deactivated_status():
    account, owner = make_account()
    active = make_member(account)
    gone = make_member(account, status=MemberStatus.DEACTIVATED)
    actor = actor_for(owner)
    assert listed(actor, status="active") == {owner, active}
    assert listed(actor, status="deactivated") == {gone}


def test_invited_turns_expired_when_the_invitation_lapses_and_resend_revives_it(frozen_clock):
    _account, owner = make_account()
    actor = actor_for(owner)
    agent_role = builtin_role("agent").pk
    early = invite_people(actor=actor, emails="early@example.com", role_id=agent_role).invited[0]
    frozen_clock.freeze(T0 + timedelta(days=5))
    late = invite_people(actor=actor, emails="late@example.com", role_id=agent_role).invited[0]

    assert listed(actor, status="invited") == {early, late}
    assert listed(actor, status="expired") == set()

    # Invitations last 7 days: at day 8 the first one has lapsed, the second has not.
    frozen_clock.freeze(T0 + timedelta(days=8))
    assert listed(actor, status="expired") == {early}
    assert listed(actor, status="invited") == {late}
    assert listed(actor, status="active") == {owner}

    resend_invitation(actor=actor, member=early)
    assert listed(actor, status="expired") == set()
    assert listed(actor, status="invited") == {early, late}

    frozen_clock.freeze(T0 + timedelta(days=30))
    assert listed(actor, status="expired") == {early, late}


def test_expiry_boundary_is_exact(frozen_clock):
    account, owner = make_account()
    actor = actor_for(owner)
    invited = invite_people(
        actor=actor, emails="edge@example.com", role_id=builtin_role("agent").pk
    ).invited[0]
    expires_at = Member.objects.get(pk=invited.pk).invitation_expires_at
    assert expires_at == T0 + timedelta(days=account.invite_expiry_days)
    frozen_clock.freeze(expires_at - timedelta(microseconds=1))
    assert listed(actor, status="invited") == {invited}
    frozen_clock.freeze(expires_at)  # Invitation.is_expired: expires_at <= now
    assert listed(actor, status="expired") == {invited}


def test_invited_member_without_a_recorded_expiry_counts_as_invited():
    account, owner = make_account()
    legacy = named_member(account, "Leg", "Acy", "legacy@example.com", status=MemberStatus.INVITED)
    assert listed(actor_for(owner), status="invited") == {legacy}
    assert listed(actor_for(owner), status="expired") == set()
