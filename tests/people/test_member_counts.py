"""The trigger-kept user and agent-seat counts (people/member_counts.py) follow every way a
member row changes. (tests/conftest.py also compares them with a real count after every
database test of the suite.)"""

import pytest
from django.db import connection

from crewbase.accounts.models import Account
from crewbase.people import member_counts
from crewbase.people.actions import limits
from crewbase.people.actions.changes import set_agent_access
from crewbase.people.actions.invitations import cancel_invitation, invite_people
from crewbase.people.actions.lifecycle import deactivate_member, reactivate_member
from crewbase.people.models import Member, MemberCounts, MemberStatus
from tests.conftest import actor_for, builtin_role, make_account, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def counts(account) -> tuple[int, int]:
    return limits.users_counted(account), limits.agent_seats_used(account)


def real_counts(account) -> tuple[int, int]:
    members = Member.objects.filter(account=account)
    return (
        members.counting_toward_user_limit().count(),
        members.holding_agent_seat().count(),
    )


def test_counts_follow_the_actions():
    account, owner = make_account(paid_agent_seats=10)
    actor = actor_for(owner)
    assert counts(account) == (1, 1)  # the owner, who has agent access
    dana = make_member(account, agent_access=True)
    assert counts(account) == (2, 2)

    invite_people(
        actor=actor,
        emails=["a@example.com", "b@example.com"],
        role_id=builtin_role("agent").pk,
        agent_access=True,
    )
    assert counts(account) == (4, 4)  # invited members count, and hold their seats

    a, b = (Member.objects.get(account=account, email=f"{x}@example.com") for x in "ab")
    set_agent_access(actor=actor, member=a, enabled=False)
    assert counts(account) == (4, 3)
    cancel_invitation(actor=actor, member=b)
    assert counts(account) == (3, 2)
    deactivate_member(actor=actor, member=Member.objects.get(pk=dana.pk))
    assert counts(account) == (2, 1)
    reactivate_member(actor=actor, member=Member.objects.get(pk=dana.pk))
    assert counts(account) == (3, 2) == real_counts(account)


def test_writes_that_bypass_the_actions_are_counted_too():
    account, _ = make_account()
    other, _ = make_account()
    make_member(account, agent_access=True)
    Member.objects.bulk_create(
        [
            Member(
                account=account,
                person=make_member(other).person,
                role=builtin_role("agent"),
                status=MemberStatus.INVITED,
                email=f"bulk{n}@example.com",
                agent_access=n % 2 == 0,
            )
            for n in range(6)
        ]
    )
    assert counts(account) == (8, 5)
    Member.objects.filter(account=account, email__startswith="bulk").update(
        status=MemberStatus.DEACTIVATED
    )
    assert counts(account) == (2, 2)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_member SET status = 'active' WHERE account_id = %s AND email = %s",
            [account.pk, "bulk0@example.com"],
        )
    assert counts(account) == (3, 3)
    Member.objects.filter(account=account, email="bulk0@example.com").delete()
    assert counts(account) == (2, 2) == real_counts(account)
    # Changes that are not status or agent access leave the row alone, and other accounts too.
    Member.objects.filter(account=account).update(first_name="Renamed")
    assert counts(account) == (2, 2) and counts(other) == real_counts(other)


def test_a_limit_check_inside_a_transaction_sees_its_own_changes():
    from django.db import transaction

    account, _owner = make_account()
    with transaction.atomic():
        make_member(account)
        make_member(account, agent_access=True)
        assert counts(account) == (3, 2)
    assert counts(account) == (3, 2)


def test_deleting_an_account_removes_its_counts():
    account, _ = make_account()
    make_member(account)
    Account.objects.filter(pk=account.pk).delete()
    assert not MemberCounts.objects.filter(account_id=account.pk).exists()


def test_triggers_lost_to_a_table_rebuild_are_put_back_and_the_counts_redone():
    account, _ = make_account()
    member_counts.uninstall(connection)
    try:
        make_member(account)  # written while nothing keeps the counts
        assert counts(account) == (1, 1)
        assert member_counts.mismatches(connection.cursor()) == [(account.pk, 1, 2, 1, 1)]

        assert member_counts.ensure_member_counts(connection) is True  # what post_migrate runs
    finally:
        member_counts.install(connection)
    assert counts(account) == (2, 1)
    assert member_counts.ensure_member_counts(connection) is False  # nothing to do now
    make_member(account)
    assert counts(account) == (3, 1) == real_counts(account)
