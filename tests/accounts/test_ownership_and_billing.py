"""Owner, billing contact and cancellation (ROLE-5, ROLE-6, PLAN-4), through the real actions."""

from datetime import timedelta

import pytest

from crewbase.access.permissions import ALL_PERMISSIONS
from crewbase.access.policy import member_permissions
from crewbase.accounts.actions import (
    cancel_account,
    transfer_billing_contact,
    transfer_ownership,
    undo_cancel_account,
)
from crewbase.accounts.models import Account
from crewbase.core import clock
from crewbase.core.errors import Conflict, PermissionDenied, ValidationFailed
from crewbase.core.models import OutboxMessage
from crewbase.people.actions.lifecycle import deactivate_member
from crewbase.people.models import Member, MemberStatus
from tests.conftest import actor_for, make_account, make_member
from tests.people.scenes import events

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen_clock():
    yield clock.freeze
    clock.freeze(None)


def owners(account) -> list[Member]:
    return list(Member.objects.filter(account=account, is_owner=True))


def billing_contacts(account) -> list[Member]:
    return list(Member.objects.filter(account=account, is_billing_contact=True))


@pytest.mark.parametrize("role", ["admin", "supervisor", "agent"])
def test_only_the_owner_transfers_ownership(role):
    account, owner = make_account()
    someone = make_member(account, role)
    target = make_member(account, "agent")
    with pytest.raises(PermissionDenied) as refused:
        transfer_ownership(actor=actor_for(someone), new_owner_id=target.pk)
    assert "owner" in refused.value.message
    assert [m.pk for m in owners(account)] == [owner.pk]


def test_transfer_makes_the_new_owner_an_admin_and_leaves_exactly_one_owner():
    account, owner = make_account()
    agent = make_member(account, "agent")

    new_owner = transfer_ownership(actor=actor_for(owner), new_owner_id=agent.pk)

    assert new_owner.pk == agent.pk
    assert [m.pk for m in owners(account)] == [agent.pk]
    agent = Member.objects.select_related("role").get(pk=agent.pk)
    assert agent.role.builtin_key == "admin"
    assert member_permissions(agent) == ALL_PERMISSIONS
    former = Member.objects.select_related("role").get(pk=owner.pk)
    assert not former.is_owner and former.role.builtin_key == "admin"
    event = events(account, "account.ownership_transferred")[-1]
    assert event.before == {"owner": owner.email} and event.after == {"owner": agent.email}
    mails = OutboxMessage.objects.filter(payload__template="ownership_transferred")
    assert sorted(m.payload["to"] for m in mails) == sorted([owner.email, agent.email])
    assert all(agent.email in m.payload["body"] for m in mails)


def test_after_handing_over_the_former_owner_has_no_owner_powers_and_can_be_deactivated():
    account, owner = make_account()
    heir = make_member(account, "admin")
    transfer_ownership(actor=actor_for(owner), new_owner_id=heir.pk)
    with pytest.raises(PermissionDenied):
        cancel_account(actor=actor_for(owner))
    with pytest.raises(PermissionDenied):
        transfer_ownership(actor=actor_for(owner), new_owner_id=owner.pk)
    deactivate_member(actor=actor_for(heir), member=owner)
    assert Member.objects.get(pk=owner.pk).status == MemberStatus.DEACTIVATED


@pytest.mark.parametrize("target", ["invited", "deactivated", "other_account", "missing"])
def test_ownership_goes_only_to_an_active_member_of_the_account(target):
    account, owner = make_account()
    if target == "invited":
        new_owner_id = make_member(account, status=MemberStatus.INVITED).pk
    elif target == "deactivated":
        new_owner_id = make_member(account, status=MemberStatus.DEACTIVATED).pk
    elif target == "other_account":
        new_owner_id = make_member(make_account()[0], "admin").pk
    else:
        new_owner_id = 99999999
    with pytest.raises(ValidationFailed) as refused:
        transfer_ownership(actor=actor_for(owner), new_owner_id=new_owner_id)
    assert refused.value.errors == {"new_owner": "must be an active member of this account"}
    assert [m.pk for m in owners(account)] == [owner.pk]
    assert OutboxMessage.objects.count() == 0


def test_transferring_to_yourself_changes_nothing():
    account, owner = make_account()
    transfer_ownership(actor=actor_for(owner), new_owner_id=owner.pk)
    assert [m.pk for m in owners(account)] == [owner.pk]
    assert events(account, "account.ownership_transferred") == []


@pytest.mark.parametrize("by", ["owner", "admin"])
def test_owner_or_admin_transfers_the_billing_contact(by):
    account, owner = make_account()
    admin = make_member(account, "admin")
    agent = make_member(account, "agent")
    actor = actor_for(owner if by == "owner" else admin)

    transfer_billing_contact(actor=actor, new_contact_id=agent.pk)

    assert [m.pk for m in billing_contacts(account)] == [agent.pk]
    # Any role may be the billing contact; the role is not changed.
    assert Member.objects.get(pk=agent.pk).role.builtin_key == "agent"
    event = events(account, "account.billing_contact_changed")[-1]
    assert event.before == {"billing_contact": owner.email}
    assert event.after == {"billing_contact": agent.email}
    mail = OutboxMessage.objects.get(payload__template="billing_contact")
    assert mail.payload["to"] == agent.email
    assert account.name in mail.payload["subject"]


@pytest.mark.parametrize("role", ["agent", "supervisor", "read_only"])
def test_members_without_billing_permission_cannot_move_the_billing_contact(role):
    account, owner = make_account()
    someone = make_member(account, role)
    with pytest.raises(PermissionDenied):
        transfer_billing_contact(actor=actor_for(someone), new_contact_id=someone.pk)
    assert [m.pk for m in billing_contacts(account)] == [owner.pk]


def test_billing_contact_must_be_an_active_member():
    account, owner = make_account()
    gone = make_member(account, status=MemberStatus.DEACTIVATED)
    with pytest.raises(ValidationFailed) as refused:
        transfer_billing_contact(actor=actor_for(owner), new_contact_id=gone.pk)
    assert set(refused.value.errors) == {"new_contact"}
    assert [m.pk for m in billing_contacts(account)] == [owner.pk]


def test_cancel_and_undo_are_owner_only(frozen_clock):
    account, owner = make_account()
    admin = make_member(account, "admin")
    frozen_clock(clock.now())
    with pytest.raises(PermissionDenied):
        cancel_account(actor=actor_for(admin))

    cancel_account(actor=actor_for(owner))
    account = Account.objects.get(pk=account.pk)
    assert account.cancel_at == clock.now() + timedelta(days=30)
    with pytest.raises(Conflict):
        cancel_account(actor=actor_for(owner))
    with pytest.raises(PermissionDenied):
        undo_cancel_account(actor=actor_for(admin))
    assert Account.objects.get(pk=account.pk).cancel_at is not None

    undo_cancel_account(actor=actor_for(owner))
    assert Account.objects.get(pk=account.pk).cancel_at is None
    with pytest.raises(Conflict):
        undo_cancel_account(actor=actor_for(owner))
    assert [e.action for e in events(account)[-2:]] == [
        "account.cancellation_scheduled",
        "account.cancellation_undone",
    ]
