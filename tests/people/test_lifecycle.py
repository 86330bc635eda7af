"""Deactivate, reactivate, delete and offboard (LIFE-2 … LIFE-7), through the real actions."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session

from crewbase.access.policy import member_permissions
from crewbase.api.models import ApiToken
from crewbase.audit.models import ActivityEvent
from crewbase.core.errors import Conflict, ValidationFailed
from crewbase.org.models import Macro, Queue, SavedView, Ticket, TicketStatus
from crewbase.people.actions import limits
from crewbase.people.actions.changes import change_role, set_agent_access, update_member
from crewbase.people.actions.invitations import accept_invitation, invite_people
from crewbase.people.actions.lifecycle import (
    deactivate_member,
    delete_member,
    offboard_member,
    reactivate_member,
)
from crewbase.people.models import Member, MemberStatus
from tests.conftest import TEST_PASSWORD, actor_for, builtin_role, make_account, make_member
from tests.people.scenes import (
    events,
    invitation_token,
    is_signed_in,
    make_api_token,
    signed_in_client,
)

pytestmark = pytest.mark.django_db


def fresh(member) -> Member:
    return Member.objects.select_related("role", "person", "account").get(pk=member.pk)


@pytest.fixture
def scene():
    """An account whose agent Ada has queues, tickets, a macro, a saved view, a token, a session."""
    account, owner = make_account(paid_agent_seats=3)
    ada = make_member(account, "agent", agent_access=True)
    queues = [Queue.objects.create(account=account, name=n) for n in ("Billing", "Returns")]
    for queue in queues:
        queue.members.add(ada)
    open_ticket = Ticket.objects.create(account=account, subject="Refund", assignee=ada)
    pending_ticket = Ticket.objects.create(
        account=account, subject="Exchange", assignee=ada, status=TicketStatus.PENDING
    )
    solved_ticket = Ticket.objects.create(
        account=account, subject="Done", assignee=ada, status=TicketStatus.SOLVED
    )
    macro = Macro.objects.create(account=account, title="Greeting", owner=ada)
    view = SavedView.objects.create(account=account, name="My open", owner=ada)
    token = make_api_token(ada)
    client = signed_in_client(ada)
    return {
        "account": account,
        "owner": owner,
        "ada": ada,
        "queues": queues,
        "open": [open_ticket, pending_ticket],
        "solved": solved_ticket,
        "macro": macro,
        "view": view,
        "token": token,
        "client": client,
    }


def test_deactivate_revokes_every_way_in_and_keeps_everything_they_made(scene):
    account, ada = scene["account"], scene["ada"]
    seats_before = limits.agent_seats_used(account)
    session_key = scene["client"].session.session_key
    assert Session.objects.filter(session_key=session_key).exists()
    assert is_signed_in(scene["client"])
    assert UserSession.objects.filter(user=ada.person).count() == 1

    result = deactivate_member(actor=actor_for(scene["owner"]), member=ada, reason="left_company")

    ada = fresh(ada)
    assert ada.status == MemberStatus.DEACTIVATED
    assert ada.deactivation_reason == "left_company"
    assert ada.deactivated_at is not None
    assert member_permissions(ada) == frozenset()
    # Removed from all queues.
    assert ada.queues.count() == 0
    assert sorted(result.queues_left) == ["Billing", "Returns"]
    # Open tickets go back to the unassigned queue; a solved one keeps its history.
    assert all(Ticket.objects.get(pk=t.pk).assignee_id is None for t in scene["open"])
    assert Ticket.objects.get(pk=scene["solved"].pk).assignee_id == ada.pk
    assert result.tickets_reassigned == 2
    # Tokens revoked, sessions ended, the browser is signed out.
    assert ApiToken.objects.usable().filter(member=ada).count() == 0
    assert ApiToken.objects.get(pk=scene["token"].pk).revoked_at is not None
    assert result.tokens_revoked == 1
    assert UserSession.objects.filter(user=ada.person).count() == 0
    assert not Session.objects.filter(session_key=session_key).exists()
    assert result.sessions_ended == 1
    assert not is_signed_in(scene["client"])
    # The agent seat is free again.
    assert limits.agent_seats_used(account) == seats_before - 1
    # Everything they made stays in the account.
    assert Macro.objects.get(pk=scene["macro"].pk).owner_id == ada.pk
    assert SavedView.objects.get(pk=scene["view"].pk).owner_id == ada.pk
    assert Ticket.objects.filter(account=account).count() == 3


def test_deactivate_ends_only_the_sessions_working_in_that_account(scene):
    ada = scene["ada"]
    other_account, _ = make_account()
    ada_elsewhere = make_member(other_account, "agent", email=ada.email)
    elsewhere_client = signed_in_client(ada_elsewhere)

    deactivate_member(actor=actor_for(scene["owner"]), member=ada)

    assert not is_signed_in(scene["client"])
    assert is_signed_in(elsewhere_client)
    assert UserSession.objects.filter(user=ada.person).count() == 1
    assert fresh(ada_elsewhere).status == MemberStatus.ACTIVE


def test_deactivate_hands_open_tickets_to_the_picked_active_member(scene):
    bea = make_member(scene["account"], "agent")
    result = deactivate_member(
        actor=actor_for(scene["owner"]), member=scene["ada"], reassign_to=bea.pk
    )
    assert result.tickets_reassigned == 2
    assert {Ticket.objects.get(pk=t.pk).assignee_id for t in scene["open"]} == {bea.pk}
    event = events(scene["account"], "member.deactivated")[-1]
    assert event.after["tickets_reassigned_to"] == bea.email
    assert sorted(event.after["ticket_ids"]) == sorted(t.pk for t in scene["open"])


@pytest.mark.parametrize("reassignee", ["deactivated", "invited", "other_account", "missing"])
def test_deactivate_refuses_a_reassignee_who_cannot_take_tickets_and_changes_nothing(
    scene, reassignee
):
    account = scene["account"]
    if reassignee == "deactivated":
        target = make_member(account, status=MemberStatus.DEACTIVATED).pk
    elif reassignee == "invited":
        target = make_member(account, status=MemberStatus.INVITED).pk
    elif reassignee == "other_account":
        target = make_member(make_account()[0]).pk
    else:
        target = 987654321
    before_events = ActivityEvent.objects.filter(account=account).count()

    with pytest.raises(ValidationFailed) as refused:
        deactivate_member(actor=actor_for(scene["owner"]), member=scene["ada"], reassign_to=target)

    assert set(refused.value.errors) == {"reassign_to"}
    ada = fresh(scene["ada"])
    assert ada.status == MemberStatus.ACTIVE
    assert ada.queues.count() == 2
    assert all(Ticket.objects.get(pk=t.pk).assignee_id == ada.pk for t in scene["open"])
    assert ApiToken.objects.usable().filter(member=ada).count() == 1
    assert is_signed_in(scene["client"])
    assert ActivityEvent.objects.filter(account=account).count() == before_events


def test_deactivate_with_an_unknown_reason_names_the_field(scene):
    with pytest.raises(ValidationFailed) as refused:
        deactivate_member(actor=actor_for(scene["owner"]), member=scene["ada"], reason="bored")
    assert "reason" in refused.value.errors
    assert fresh(scene["ada"]).status == MemberStatus.ACTIVE


def test_deactivating_twice_is_a_no_op(scene):
    actor = actor_for(scene["owner"])
    deactivate_member(actor=actor, member=scene["ada"], reason="temporary_leave")
    again = deactivate_member(actor=actor, member=scene["ada"], reason="other")
    assert again.tickets_reassigned == 0
    assert fresh(scene["ada"]).deactivation_reason == "temporary_leave"
    assert len(events(scene["account"], "member.deactivated")) == 1


def test_the_owner_cannot_be_deactivated_demoted_or_deleted():
    account, owner = make_account()
    admin = make_member(account, "admin")
    actor = actor_for(admin)
    with pytest.raises(Conflict) as deactivating:
        deactivate_member(actor=actor, member=owner)
    assert "transfer ownership" in deactivating.value.message
    with pytest.raises(Conflict) as demoting:
        change_role(actor=actor, member=owner, role_id=builtin_role("agent").pk)
    assert demoting.value.errors == {"role": "the owner cannot be demoted"}
    with pytest.raises(Conflict):
        delete_member(actor=actor, member=owner)
    with pytest.raises(Conflict):
        offboard_member(actor=actor, member=owner, transfer_assets_to=admin.pk)
    owner = fresh(owner)
    assert owner.status == MemberStatus.ACTIVE
    assert owner.is_owner and owner.role.builtin_key == "admin"
    assert [e.action for e in events(account)] == ["account.created"]


def test_nobody_can_deactivate_themselves():
    account, _owner = make_account()
    admin = make_member(account, "admin")
    with pytest.raises(Conflict) as refused:
        deactivate_member(actor=actor_for(admin), member=admin)
    assert refused.value.errors == {"member": "that is you"}
    assert fresh(admin).status == MemberStatus.ACTIVE


def test_reactivate_lets_them_back_in_without_restoring_queues(scene):
    actor = actor_for(scene["owner"])
    deactivate_member(actor=actor, member=scene["ada"])
    result = reactivate_member(actor=actor, member=scene["ada"])
    ada = fresh(scene["ada"])
    assert ada.status == MemberStatus.ACTIVE
    assert ada.deactivated_at is None and ada.deactivation_reason == ""
    assert result.queues_restored is False
    assert ada.queues.count() == 0
    # Same credentials as before; permissions are back.
    assert ada.person.check_password(TEST_PASSWORD)
    assert "users.view" in member_permissions(ada)
    assert ada.agent_access and result.agent_access_dropped is False
    assert events(scene["account"], "member.reactivated")[-1].after == {
        "status": "active",
        "agent_access_dropped": False,
    }


def test_reactivate_drops_agent_access_when_no_seat_is_free():
    account, owner = make_account(paid_agent_seats=1)  # 2 seats; the owner holds one
    actor = actor_for(owner)
    ada = make_member(account, "agent", agent_access=True)
    deactivate_member(actor=actor, member=ada)
    bea = make_member(account, "agent")
    set_agent_access(actor=actor, member=bea, enabled=True)  # takes the seat Ada freed

    result = reactivate_member(actor=actor, member=ada)

    assert result.agent_access_dropped is True
    assert fresh(ada).agent_access is False
    assert fresh(ada).status == MemberStatus.ACTIVE
    assert limits.agent_seats_used(account) == 2


def test_reactivate_refused_when_the_user_limit_is_full():
    account, owner = make_account(user_limit=2)
    actor = actor_for(owner)
    ada = make_member(account)
    deactivate_member(actor=actor, member=ada)
    make_member(account)  # takes the slot Ada freed
    with pytest.raises(Conflict) as refused:
        reactivate_member(actor=actor, member=ada)
    assert "user_limit" in refused.value.errors
    assert fresh(ada).status == MemberStatus.DEACTIVATED


def test_delete_refuses_an_active_member():
    account, owner = make_account()
    ada = make_member(account)
    with pytest.raises(Conflict) as refused:
        delete_member(actor=actor_for(owner), member=ada)
    assert refused.value.errors == {"member": "still active"}
    assert Member.objects.filter(pk=ada.pk).exists()


def test_deleted_member_leaves_lists_but_their_history_keeps_name_and_email(scene):
    account, ada = scene["account"], scene["ada"]
    owner_actor = actor_for(scene["owner"])
    update_member(actor=owner_actor, member=ada, changes={"first_name": "Adaline"})
    deactivate_member(actor=owner_actor, member=ada)
    users_before = limits.users_counted(account)

    delete_member(actor=owner_actor, member=ada)

    assert not Member.objects.filter(pk=ada.pk).exists()
    assert limits.users_counted(account) == users_before
    history = ActivityEvent.objects.filter(account=account, target_type="member", target_id=ada.pk)
    assert [e.action for e in history.order_by("seq")] == [
        "member.updated",
        "member.deactivated",
        "member.deleted",
    ]
    deleted = history.get(action="member.deleted")
    assert deleted.target_display == f"Adaline {ada.last_name} <{ada.email}>"
    assert deleted.before["email"] == ada.email
    # Macros and tickets she made stay in the account, unowned.
    assert Macro.objects.filter(pk=scene["macro"].pk, owner__isnull=True).exists()
    assert Ticket.objects.filter(account=account).count() == 3


def test_delete_of_a_pending_invitation_cancels_the_link():
    account, owner = make_account()
    invite_people(
        actor=actor_for(owner), emails="nia@example.com", role_id=builtin_role("agent").pk
    )
    token = invitation_token("nia@example.com")
    member = Member.objects.get(account=account, email="nia@example.com")

    delete_member(actor=actor_for(owner), member=member)

    assert not Member.objects.filter(pk=member.pk).exists()
    with pytest.raises(Conflict) as refused:
        accept_invitation(token=token, first_name="N", last_name="Ia", password="a long secret 9")
    assert refused.value.errors == {"token": "cancelled"}


def test_offboard_moves_macros_views_and_tickets_then_deactivates(scene):
    account, ada = scene["account"], scene["ada"]
    heir = make_member(account, "agent")
    tickets_to = make_member(account, "agent")

    result = offboard_member(
        actor=actor_for(scene["owner"]),
        member=ada,
        reassign_tickets_to=tickets_to.pk,
        transfer_assets_to=heir.pk,
    )

    assert result.macros_transferred == 1 and result.saved_views_transferred == 1
    assert Macro.objects.get(pk=scene["macro"].pk).owner_id == heir.pk
    assert SavedView.objects.get(pk=scene["view"].pk).owner_id == heir.pk
    assert {Ticket.objects.get(pk=t.pk).assignee_id for t in scene["open"]} == {tickets_to.pk}
    ada = fresh(ada)
    assert ada.status == MemberStatus.DEACTIVATED
    assert ada.deactivation_reason == "left_company"
    assert not is_signed_in(scene["client"])
    assert [e.action for e in events(account)[-2:]] == ["member.deactivated", "member.offboarded"]


@pytest.mark.parametrize("failing_step", ["bad_ticket_heir", "bad_asset_heir", "owner"])
def test_offboard_failing_half_way_changes_nothing(scene, failing_step):
    account, ada = scene["account"], scene["ada"]
    heir = make_member(account, "agent")
    gone = make_member(account, "agent", status=MemberStatus.DEACTIVATED)
    kwargs = {"reassign_tickets_to": None, "transfer_assets_to": heir.pk}
    if failing_step == "bad_ticket_heir":
        # Macros and views are moved first; the deactivation step then refuses the reassignee.
        kwargs["reassign_tickets_to"] = gone.pk
        expected = ValidationFailed
    elif failing_step == "bad_asset_heir":
        kwargs["transfer_assets_to"] = gone.pk
        expected = ValidationFailed
    else:
        kwargs["member"] = scene["owner"]
        expected = Conflict
        Macro.objects.create(account=account, title="Owner's", owner=scene["owner"])
    event_count = ActivityEvent.objects.filter(account=account).count()
    leaver = kwargs.pop("member", ada)

    with pytest.raises(expected):
        offboard_member(actor=actor_for(scene["owner"]), member=leaver, **kwargs)

    assert not Macro.objects.filter(owner=heir).exists()
    assert not SavedView.objects.filter(owner=heir).exists()
    assert Macro.objects.get(pk=scene["macro"].pk).owner_id == ada.pk
    assert fresh(ada).status == MemberStatus.ACTIVE
    assert fresh(scene["owner"]).status == MemberStatus.ACTIVE
    assert all(Ticket.objects.get(pk=t.pk).assignee_id == ada.pk for t in scene["open"])
    assert ApiToken.objects.usable().filter(member=ada).count() == 1
    assert is_signed_in(scene["client"])
    assert ActivityEvent.objects.filter(account=account).count() == event_count


def test_offboard_refuses_a_member_who_has_not_joined_with_a_conflict():
    account, owner = make_account()
    invited = make_member(account, status=MemberStatus.INVITED)
    with pytest.raises(Conflict):
        offboard_member(actor=actor_for(owner), member=invited)
    deactivated = make_member(account, status=MemberStatus.DEACTIVATED)
    with pytest.raises(Conflict):
        offboard_member(actor=actor_for(owner), member=deactivated)
