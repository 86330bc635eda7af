"""One invitation link, many hands at once: it is used once, and nobody gets a server error."""

from functools import partial

import pytest

from crewbase.audit.models import ActivityEvent
from crewbase.audit.record import verify_chain
from crewbase.core.errors import Conflict, NotFound
from crewbase.people.actions.invitations import (
    accept_invitation,
    cancel_invitation,
    invite_people,
    resend_invitation,
)
from crewbase.people.actions.lifecycle import deactivate_member, offboard_member
from crewbase.people.models import Member, MemberStatus
from tests.concurrency.race import THREADS, assert_no_crashes, run_together
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.people.scenes import invitation_token

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "quiet lantern over harbour"


def invited(account, owner, email="nia@example.com"):
    invite_people(actor=actor_for(owner), emails=email, role_id=builtin_role("agent").pk)
    return Member.objects.get(account=account, email=email), invitation_token(email)


def test_the_same_link_accepted_many_times_at_once_joins_once():
    account, owner = make_account()
    member, token = invited(account, owner)
    calls = [
        partial(
            accept_invitation,
            token=token,
            first_name="Nia",
            last_name=f"Take{n}",
            password=PASSWORD,
        )
        for n in range(THREADS)
    ]

    outcomes = run_together(calls)

    assert_no_crashes(outcomes)
    assert sum(o.ok for o in outcomes) == 1
    assert all(o.refusal.errors == {"token": "accepted"} for o in outcomes if not o.ok)
    assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE
    assert ActivityEvent.objects.filter(account=account, action="member.joined").count() == 1
    assert verify_chain(account) == (True, None)


def test_accepting_while_admins_resend_and_cancel_never_deadlocks_or_half_applies():
    account, owner = make_account()
    admins = [make_member(account, "admin") for _ in range(4)]
    member, token = invited(account, owner)
    third = THREADS // 3
    accept = partial(
        accept_invitation, token=token, first_name="Nia", last_name="Ng", password=PASSWORD
    )
    calls = (
        [accept] * third
        + [
            partial(resend_invitation, actor=actor_for(admins[n % 4]), member=member)
            for n in range(third)
        ]
        + [
            partial(cancel_invitation, actor=actor_for(admins[n % 4]), member=member)
            for n in range(THREADS - 2 * third)
        ]
    )

    outcomes = run_together(calls)

    assert_no_crashes(outcomes)
    # Losers hear "already used / replaced / cancelled" (409) or "no longer a member" (404).
    assert all(isinstance(o.refusal, Conflict | NotFound) for o in outcomes if not o.ok)
    accepted = [o for o in outcomes[:third] if o.ok]
    cancelled = [o for o in outcomes[2 * third :] if o.ok]
    assert len(accepted) + len(cancelled) <= 1
    survivor = Member.objects.filter(pk=member.pk).first()
    if accepted:
        assert survivor.status == MemberStatus.ACTIVE
    elif cancelled:
        assert survivor is None
    else:  # resends won every race, so each accept held a replaced link
        assert survivor.status == MemberStatus.INVITED
    assert verify_chain(account) == (True, None)


def test_offboarding_and_deactivating_the_same_member_at_once_never_deadlocks():
    account, _owner = make_account()
    admins = [make_member(account, "admin") for _ in range(THREADS)]
    heir = make_member(account, "agent")
    leaver = make_member(account, "agent")
    half = THREADS // 2
    calls = [
        partial(offboard_member, actor=actor_for(a), member=leaver, transfer_assets_to=heir.pk)
        for a in admins[:half]
    ] + [partial(deactivate_member, actor=actor_for(a), member=leaver) for a in admins[half:]]

    outcomes = run_together(calls)

    assert_no_crashes(outcomes)
    assert Member.objects.get(pk=leaver.pk).status == MemberStatus.DEACTIVATED
    deactivations = ActivityEvent.objects.filter(account=account, action="member.deactivated")
    assert deactivations.count() == 1
    assert verify_chain(account) == (True, None)
