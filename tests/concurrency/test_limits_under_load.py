"""Plan limits and the one owner hold when many admins act at the same instant (PLAN-3, ROLE-5).

Each test starts THREADS calls together, each on its own database connection, against the
real database (PostgreSQL or SQLite in IMMEDIATE mode). Every call must either succeed or be
refused cleanly with a domain error; the invariant must hold exactly afterwards.
"""

from functools import partial

import pytest

from crewbase.accounts.actions import transfer_ownership
from crewbase.audit.models import ActivityEvent
from crewbase.audit.record import verify_chain
from crewbase.core.errors import Conflict, PermissionDenied
from crewbase.core.models import OutboxMessage
from crewbase.people.actions import limits
from crewbase.people.actions.changes import set_agent_access
from crewbase.people.actions.invitations import invite_people
from crewbase.people.actions.lifecycle import deactivate_member, reactivate_member
from crewbase.people.models import Member, MemberStatus
from tests.concurrency.race import THREADS, assert_no_crashes, run_together
from tests.conftest import actor_for, builtin_role, make_account, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_admins_inviting_at_once_never_exceed_the_user_limit():
    free_slots = 5
    account, owner = make_account(user_limit=THREADS + free_slots)
    admins = [owner] + [make_member(account, "admin") for _ in range(THREADS - 1)]
    assert limits.users_counted(account) == THREADS
    role = builtin_role("agent").pk
    calls = [
        partial(invite_people, actor=actor_for(admin), emails=f"racer{n}@example.com", role_id=role)
        for n, admin in enumerate(admins)
    ]

    outcomes = run_together(calls)

    assert_no_crashes(outcomes)
    assert sum(o.ok for o in outcomes) == free_slots
    refusals = [o.refusal for o in outcomes if o.refusal]
    assert len(refusals) == THREADS - free_slots
    assert all(isinstance(r, Conflict) and set(r.errors) == {"user_limit"} for r in refusals)
    assert limits.users_counted(account) == account.user_limit
    assert Member.objects.filter(account=account, status=MemberStatus.INVITED).count() == 5
    assert OutboxMessage.objects.filter(payload__template="invitation").count() == free_slots
    assert ActivityEvent.objects.filter(account=account, action="member.invited").count() == 5
    assert verify_chain(account) == (True, None)


def test_enabling_agent_access_at_once_never_exceeds_the_seats():
    seats = 4
    account, owner = make_account(paid_agent_seats=seats - 1)  # the owner holds one seat
    members = [make_member(account, "agent") for _ in range(THREADS)]
    actor = actor_for(owner)
    calls = [partial(set_agent_access, actor=actor, member=m, enabled=True) for m in members]

    outcomes = run_together(calls)

    assert_no_crashes(outcomes)
    assert sum(o.ok for o in outcomes) == seats - 1
    refusals = [o.refusal for o in outcomes if o.refusal]
    assert {r.message for r in refusals} == {f"no agent seat left ({seats} of {seats} used)"}
    assert limits.agent_seats_used(account) == seats
    assert verify_chain(account) == (True, None)


def test_reactivations_and_invitations_racing_for_the_last_slots_never_exceed_the_limit():
    free_slots = 3
    account, owner = make_account(user_limit=1 + free_slots)
    actor = actor_for(owner)
    former = [make_member(account, status=MemberStatus.DEACTIVATED) for _ in range(THREADS // 2)]
    agent_role = builtin_role("agent").pk
    calls = [partial(reactivate_member, actor=actor, member=m) for m in former] + [
        partial(invite_people, actor=actor, emails=f"new{n}@example.com", role_id=agent_role)
        for n in range(THREADS - len(former))
    ]

    outcomes = run_together(calls)

    assert_no_crashes(outcomes)
    assert sum(o.ok for o in outcomes) == free_slots
    assert limits.users_counted(account) == account.user_limit
    assert verify_chain(account) == (True, None)


def test_owner_handing_ownership_to_many_at_once_leaves_exactly_one_owner():
    account, owner = make_account()
    candidates = [make_member(account, "agent") for _ in range(THREADS)]
    calls = [
        # The actor is loaded fresh, as each request would: all see the owner as owner.
        partial(transfer_ownership, actor=actor_for(owner), new_owner_id=c.pk)
        for c in candidates
    ]

    outcomes = run_together(calls)

    assert_no_crashes(outcomes)
    winners = [o.value for o in outcomes if o.ok]
    # Once the first transfer commits the actor is no longer the owner: the rest are refused.
    assert len(winners) == 1
    assert all(isinstance(o.refusal, PermissionDenied) for o in outcomes if not o.ok)
    owners = list(Member.objects.filter(account=account, is_owner=True).select_related("role"))
    assert [m.pk for m in owners] == [winners[0].pk]
    assert owners[0].role.builtin_key == "admin"
    transfers = ActivityEvent.objects.filter(
        account=account, action="account.ownership_transferred"
    )
    assert [e.before["owner"] for e in transfers] == [owner.email]
    assert verify_chain(account) == (True, None)


def test_deactivating_the_same_member_at_once_does_it_once():
    account, _owner = make_account()
    admins = [make_member(account, "admin") for _ in range(THREADS)]
    target = make_member(account, "agent", agent_access=False)
    calls = [partial(deactivate_member, actor=actor_for(a), member=target) for a in admins]

    outcomes = run_together(calls)

    assert_no_crashes(outcomes)
    assert all(o.ok for o in outcomes)  # deactivating twice is a no-op, not an error
    assert Member.objects.get(pk=target.pk).status == MemberStatus.DEACTIVATED
    deactivations = ActivityEvent.objects.filter(account=account, action="member.deactivated")
    assert deactivations.count() == 1
    assert verify_chain(account) == (True, None)
