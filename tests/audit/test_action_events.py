"""Every action writes exactly its activity event, in the change's transaction (ACT-1)."""

import pytest
from django.db import transaction
from django.db.models.signals import pre_delete

from crewbase.access.actions import create_role, delete_role, update_role
from crewbase.accounts.actions import (
    cancel_account,
    transfer_billing_contact,
    transfer_ownership,
    undo_cancel_account,
)
from crewbase.audit.models import ActivityEvent
from crewbase.audit.record import record, verify_chain
from crewbase.core.actor import Actor
from crewbase.core.errors import PermissionDenied
from crewbase.core.models import OutboxMessage
from crewbase.people.actions.changes import (
    change_role,
    set_agent_access,
    sign_out_everywhere,
    update_member,
)
from crewbase.people.actions.invitations import (
    accept_invitation,
    cancel_invitation,
    invite_people,
    resend_invitation,
)
from crewbase.people.actions.lifecycle import (
    deactivate_member,
    delete_member,
    offboard_member,
    reactivate_member,
)
from crewbase.people.models import Member, MemberStatus
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.people.scenes import invitation_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    account, owner = make_account(paid_agent_seats=3)
    invite_people(
        actor=actor_for(owner), emails="pending@example.com", role_id=builtin_role("agent").pk
    )
    role = create_role(actor=actor_for(owner), name="Tier 2", permissions=["users.view"])
    return {
        "account": account,
        "owner": owner,
        "actor": Actor.for_member(
            Member.objects.select_related("role", "person").get(pk=owner.pk),
            ip_address="203.0.113.9",
            user_agent="Firefox/140",
        ),
        "agent": make_member(account, "agent"),
        "admin": make_member(account, "admin"),
        "gone": make_member(account, "agent", status=MemberStatus.DEACTIVATED),
        "invited": Member.objects.get(account=account, email="pending@example.com"),
        "role": role,
    }


def member_target(key):
    return lambda s: ("member", s[key].pk)


def account_target(s):
    return ("account", s["account"].pk)


# name: (run the action, events it writes, expected target, before ⊆, after ⊆)
CASES = {
    "invite_people": (
        lambda s: invite_people(
            actor=s["actor"], emails="new@example.com", role_id=builtin_role("agent").pk
        ),
        ["member.invited"],
        lambda s: ("member", Member.objects.get(email="new@example.com").pk),
        None,
        {"status": "invited", "role": "Agent", "agent_access": False},
    ),
    "resend_invitation": (
        lambda s: resend_invitation(actor=s["actor"], member=s["invited"]),
        ["member.invitation_resent"],
        member_target("invited"),
        None,
        {},
    ),
    "cancel_invitation": (
        lambda s: cancel_invitation(actor=s["actor"], member=s["invited"]),
        ["member.invitation_cancelled"],
        member_target("invited"),
        None,
        None,
    ),
    "change_role": (
        lambda s: change_role(actor=s["actor"], member=s["agent"], role_id=s["role"].pk),
        ["member.role_changed"],
        member_target("agent"),
        {"role": "Agent"},
        {"role": "Tier 2"},
    ),
    "update_member": (
        lambda s: update_member(actor=s["actor"], member=s["agent"], changes={"phone": "+62 1"}),
        ["member.updated"],
        member_target("agent"),
        {"phone": ""},
        {"phone": "+62 1"},
    ),
    "set_agent_access": (
        lambda s: set_agent_access(actor=s["actor"], member=s["agent"], enabled=True),
        ["member.agent_access_changed"],
        member_target("agent"),
        {"agent_access": False},
        {"agent_access": True},
    ),
    "sign_out_everywhere": (
        lambda s: sign_out_everywhere(actor=s["actor"], member=s["agent"]),
        ["member.signed_out_everywhere"],
        member_target("agent"),
        None,
        {"sessions_ended": 0},
    ),
    "deactivate_member": (
        lambda s: deactivate_member(actor=s["actor"], member=s["agent"], reason="role_change"),
        ["member.deactivated"],
        member_target("agent"),
        {"status": "active"},
        {"status": "deactivated", "reason": "role_change"},
    ),
    "reactivate_member": (
        lambda s: reactivate_member(actor=s["actor"], member=s["gone"]),
        ["member.reactivated"],
        member_target("gone"),
        {"status": "deactivated"},
        {"status": "active"},
    ),
    "delete_member": (
        lambda s: delete_member(actor=s["actor"], member=s["gone"]),
        ["member.deleted"],
        member_target("gone"),
        {"status": "deactivated", "role": "Agent"},
        None,
    ),
    "offboard_member": (
        lambda s: offboard_member(
            actor=s["actor"], member=s["agent"], transfer_assets_to=s["admin"].pk
        ),
        ["member.deactivated", "member.offboarded"],
        member_target("agent"),
        None,
        {"tickets_reassigned": 0, "macro_ids": [], "saved_view_ids": []},
    ),
    "create_role": (
        lambda s: create_role(actor=s["actor"], name="Tier 3", permissions=["data.export"]),
        ["role.created"],
        lambda s: ("role", s["account"].roles.get(name="Tier 3").pk),
        None,
        {"name": "Tier 3", "permissions": ["data.export"]},
    ),
    "update_role": (
        lambda s: update_role(actor=s["actor"], role=s["role"], name="Tier Two"),
        ["role.updated"],
        lambda s: ("role", s["role"].pk),
        {"name": "Tier 2"},
        {"name": "Tier Two"},
    ),
    "delete_role": (
        lambda s: delete_role(actor=s["actor"], role=s["role"]),
        ["role.deleted"],
        lambda s: ("role", s["role"].pk),
        {"name": "Tier 2", "permissions": ["users.view"]},
        None,
    ),
    "transfer_ownership": (
        lambda s: transfer_ownership(actor=s["actor"], new_owner_id=s["admin"].pk),
        ["account.ownership_transferred"],
        account_target,
        None,
        None,
    ),
    "transfer_billing_contact": (
        lambda s: transfer_billing_contact(actor=s["actor"], new_contact_id=s["agent"].pk),
        ["account.billing_contact_changed"],
        account_target,
        None,
        None,
    ),
    "cancel_account": (
        lambda s: cancel_account(actor=s["actor"]),
        ["account.cancellation_scheduled"],
        account_target,
        None,
        None,
    ),
}


CREATES = {"invite_people", "create_role"}


def new_events(account, after_seq):
    return list(ActivityEvent.objects.filter(account=account, seq__gt=after_seq).order_by("seq"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_action_writes_exactly_its_event(scene, name):
    run, actions, target, before, after = CASES[name]
    account = scene["account"]
    last_seq = ActivityEvent.objects.filter(account=account).order_by("-seq").first().seq
    # Resolved before the action when it deletes the target, after it when it creates one.
    expected_target = None if name in CREATES else target(scene)

    run(scene)

    written = new_events(account, last_seq)
    assert [e.action for e in written] == actions
    event = written[-1]
    owner = scene["owner"]
    assert event.actor_kind == "member"
    assert event.actor_member_id == owner.pk
    assert event.actor_display == f"{owner.display_name} <{owner.email}>"
    assert event.ip_address == "203.0.113.9" and event.user_agent == "Firefox/140"
    if expected_target is None:
        expected_target = target(scene)
    assert (event.target_type, event.target_id) == expected_target
    assert event.target_display
    for expected, got in ((before, event.before), (after, event.after)):
        if expected is not None:
            assert got is not None and {k: got.get(k) for k in expected} == expected
    assert verify_chain(account) == (True, None)


def test_undo_cancel_writes_its_event(scene):
    cancel_account(actor=scene["actor"])
    undo_cancel_account(actor=scene["actor"])
    event = ActivityEvent.objects.filter(account=scene["account"]).order_by("-seq").first()
    assert event.action == "account.cancellation_undone"
    assert event.before["cancel_at"]


def test_accepting_an_invitation_is_recorded_as_the_new_member(scene):
    token = invitation_token("pending@example.com")
    member = accept_invitation(
        token=token,
        first_name="Pia",
        last_name="Pending",
        password="quiet lantern over harbour",
        ip_address="198.51.100.7",
        user_agent="Safari",
    )
    event = ActivityEvent.objects.filter(account=scene["account"]).order_by("-seq").first()
    assert event.action == "member.joined"
    assert event.actor_member_id == member.pk
    assert event.actor_display == "Pia Pending <pending@example.com>"
    assert event.ip_address == "198.51.100.7"
    assert event.after == {"role": "Agent"}


def test_a_refused_action_writes_nothing(scene):
    count = ActivityEvent.objects.count()
    with pytest.raises(PermissionDenied):
        deactivate_member(actor=actor_for(scene["agent"]), member=scene["admin"])
    assert ActivityEvent.objects.count() == count


def test_record_refuses_an_unregistered_type(scene):
    with transaction.atomic(), pytest.raises(KeyError):
        record(scene["actor"], "member.teleported", scene["agent"])


def test_a_failure_after_the_event_inside_the_action_leaves_no_event(scene):
    """cancel_invitation records, then deletes the member: make the delete fail."""
    account, invited = scene["account"], scene["invited"]
    count = ActivityEvent.objects.filter(account=account).count()

    def refuse(sender, instance, **kwargs):
        if instance.pk == invited.pk:
            raise RuntimeError("disk on fire")

    pre_delete.connect(refuse, sender=Member)
    try:
        with pytest.raises(RuntimeError, match="disk on fire"):
            cancel_invitation(actor=scene["actor"], member=invited)
    finally:
        pre_delete.disconnect(refuse, sender=Member)

    assert ActivityEvent.objects.filter(account=account).count() == count
    assert Member.objects.get(pk=invited.pk).status == MemberStatus.INVITED
    assert invited.invitations.get().status == "pending"
    assert verify_chain(account) == (True, None)


def test_a_failure_after_the_action_in_the_callers_transaction_rolls_back_event_and_email(scene):
    account = scene["account"]
    events_before = ActivityEvent.objects.filter(account=account).count()
    emails_before = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        transfer_ownership(actor=scene["actor"], new_owner_id=scene["admin"].pk)
        raise RuntimeError("the request failed after the action")
    assert ActivityEvent.objects.filter(account=account).count() == events_before
    assert OutboxMessage.objects.count() == emails_before
    assert Member.objects.get(pk=scene["owner"].pk).is_owner
