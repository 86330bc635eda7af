"""Queues (ORG-3): only active members with agent access, assigned from the queue."""

from __future__ import annotations

import pytest

from crewbase.audit.models import ActivityEvent
from crewbase.core.errors import PermissionDenied, ValidationFailed
from crewbase.org import actions
from crewbase.people.models import MemberStatus
from tests.conftest import actor_for, make_account, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    _account, owner = make_account(paid_agent_seats=5)
    admin = actor_for(owner)
    queue = actions.create_queue(actor=admin, name="Returns")
    return admin, queue


def test_members_are_set_from_the_queue(scene):
    admin, queue = scene
    one = make_member(admin.account, agent_access=True)
    two = make_member(admin.account, agent_access=True)
    actions.set_queue_members(actor=admin, queue=queue, member_ids=[one.pk, two.pk])
    assert set(queue.members.all()) == {one, two}

    # Setting replaces the list.
    actions.set_queue_members(actor=admin, queue=queue, member_ids=[two.pk])
    assert list(queue.members.all()) == [two]
    events = ActivityEvent.objects.filter(action="queue.members_set").order_by("seq")
    assert [e.after["members"] for e in events] == [sorted([one.email, two.email]), [two.email]]


def test_a_member_without_agent_access_is_refused_by_name(scene):
    admin, queue = scene
    agent = make_member(admin.account, agent_access=True)
    not_agent = make_member(admin.account, agent_access=False)
    with pytest.raises(ValidationFailed) as refused:
        actions.set_queue_members(actor=admin, queue=queue, member_ids=[agent.pk, not_agent.pk])
    assert refused.value.errors == {"member_ids": f"{not_agent.email} has no agent access"}
    assert "Nothing was changed" in refused.value.message
    assert queue.members.count() == 0


def test_inactive_members_are_refused_even_with_agent_access(scene):
    admin, queue = scene
    gone = make_member(admin.account, agent_access=True, status=MemberStatus.DEACTIVATED)
    invited = make_member(admin.account, agent_access=True, status=MemberStatus.INVITED)
    with pytest.raises(ValidationFailed) as refused:
        actions.set_queue_members(actor=admin, queue=queue, member_ids=[gone.pk, invited.pk])
    reason = refused.value.errors["member_ids"]
    assert f"{gone.email} is deactivated, not active" in reason
    assert f"{invited.email} is invited, not active" in reason


def test_another_accounts_agent_is_refused(scene):
    admin, queue = scene
    other, _ = make_account()
    stranger = make_member(other, agent_access=True)
    with pytest.raises(ValidationFailed) as refused:
        actions.set_queue_members(actor=admin, queue=queue, member_ids=[stranger.pk])
    assert set(refused.value.errors) == {"member_ids"}
    assert queue.members.count() == 0


def test_an_agent_cannot_change_queues(scene):
    admin, queue = scene
    agent = make_member(admin.account, agent_access=True)
    with pytest.raises(PermissionDenied):
        actions.set_queue_members(actor=actor_for(agent), queue=queue, member_ids=[agent.pk])
    with pytest.raises(PermissionDenied):
        actions.delete_queue(actor=actor_for(agent), queue=queue)


def test_queue_names_are_unique_ignoring_case(scene):
    admin, _ = scene
    with pytest.raises(ValidationFailed) as refused:
        actions.create_queue(actor=admin, name="RETURNS")
    assert set(refused.value.errors) == {"name"}
