"""The activity log is append-only and tamper-evident (ACT-5)."""

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from crewbase.audit.models import ActivityEvent
from crewbase.audit.record import event_hash, record, verify_chain
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.people.actions.changes import update_member
from crewbase.people.models import Member
from tests.conftest import actor_for, make_account, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen_clock():
    yield clock.freeze
    clock.freeze(None)


@pytest.fixture
def logged_account():
    """An account with six events in its chain (seq 1 … 6)."""
    account, owner = make_account()
    agent = make_member(account)
    for n in range(5):
        update_member(actor=actor_for(owner), member=agent, changes={"phone": f"+1 555 010{n}"})
    assert ActivityEvent.objects.filter(account=account).count() == 6
    return account


def raw_update(account, seq, column, value):
    table = ActivityEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = %s WHERE account_id = %s AND seq = %s",
            [value, account.pk, seq],
        )
        assert cursor.rowcount == 1


def test_an_untouched_chain_verifies(logged_account):
    assert verify_chain(logged_account) == (True, None)
    events = list(ActivityEvent.objects.filter(account=logged_account).order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    assert events[0].prev_hash == "0" * 64
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))


@pytest.mark.parametrize(
    ("seq", "column", "value"),
    [
        (3, "actor_display", "Someone Else <else@example.com>"),
        (4, "after", '{"phone": "+1 555 9999"}'),
        (2, "target_id", 424242),
        (6, "ip_address", "192.0.2.66"),
        (1, "action", "account.updated"),
    ],
)
def test_tampering_a_row_with_raw_sql_is_found_at_that_seq(logged_account, seq, column, value):
    raw_update(logged_account, seq, column, value)
    assert verify_chain(logged_account) == (False, seq)


def test_tampering_the_time_of_a_row_is_found(logged_account):
    event = ActivityEvent.objects.get(account=logged_account, seq=5)
    table = ActivityEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET created_at = %s WHERE id = %s",
            [event.created_at - timedelta(hours=3), event.pk],
        )
    assert verify_chain(logged_account) == (False, 5)


def test_rehashing_a_tampered_row_breaks_the_next_link(logged_account):
    event = ActivityEvent.objects.get(account=logged_account, seq=3)
    event.actor_display = "Forger <forger@example.com>"
    forged = event_hash(event, event.prev_hash)
    raw_update(logged_account, 3, "actor_display", event.actor_display)
    raw_update(logged_account, 3, "hash", forged)
    assert verify_chain(logged_account) == (False, 4)


def test_deleting_a_row_with_raw_sql_is_found_at_the_gap(logged_account):
    table = ActivityEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE account_id = %s AND seq = %s", [logged_account.pk, 4]
        )
    assert verify_chain(logged_account) == (False, 5)


def test_the_orm_refuses_to_update_or_delete_events(logged_account):
    events = ActivityEvent.objects.filter(account=logged_account)
    event = events.get(seq=2)
    with pytest.raises(TypeError, match="append-only"):
        ActivityEvent.objects.update(actor_display="x")
    with pytest.raises(TypeError, match="append-only"):
        events.filter(seq=2).update(actor_display="x")
    with pytest.raises(TypeError, match="append-only"):
        ActivityEvent.objects.all().delete()
    with pytest.raises(TypeError, match="append-only"):
        events.filter(seq=2).delete()
    event.actor_display = "x"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    with pytest.raises(TypeError, match="append-only"), transaction.atomic():
        ActivityEvent.objects.bulk_update([event], ["actor_display"])
    assert events.count() == 6
    assert verify_chain(logged_account) == (True, None)


def test_each_account_has_its_own_chain(logged_account):
    other, other_owner = make_account()
    update_member(
        actor=actor_for(other_owner), member=other_owner, changes={"phone": "+44 20 7946 0000"}
    )
    assert list(
        ActivityEvent.objects.filter(account=other).order_by("seq").values_list("seq", flat=True)
    ) == [1, 2]
    raw_update(logged_account, 2, "actor_display", "tampered")
    assert verify_chain(logged_account) == (False, 2)
    assert verify_chain(other) == (True, None)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        (" 192.0.2.1 ", "192.0.2.1"),
        ("not an address", None),
    ],
)
def test_the_chain_verifies_whatever_time_zone_and_address_spelling_it_was_given(
    frozen_clock, given, stored
):
    """Values the database normalises (time zone, IPv6 spelling) must hash as stored."""
    account, owner = make_account()
    member = Member.objects.select_related("role", "person").get(pk=owner.pk)
    frozen_clock(datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=ZoneInfo("Asia/Jakarta")))
    actor = Actor.for_member(member, ip_address=given)
    update_member(actor=actor, member=owner, changes={"phone": "+62 21 555 0100"})

    event = ActivityEvent.objects.get(account=account, seq=2)
    assert event.created_at == datetime(2026, 3, 1, 2, 30, 15, 123456, tzinfo=UTC)
    assert event.ip_address == stored
    assert verify_chain(account) == (True, None)


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction():
    _account, owner = make_account()
    count = ActivityEvent.objects.count()
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(actor_for(owner), "member.updated", owner)
    assert ActivityEvent.objects.count() == count
