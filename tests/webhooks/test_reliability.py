"""Webhooks under failure (API-4, FAIL-3): receiver down for an hour, a slow receiver, and
team and role changes reaching the receiver with their HTTP status kept in the log."""

import json
from datetime import timedelta

import pytest

from crewbase.access.actions import create_role, delete_role, update_role
from crewbase.api.routers.webhooks import DeliveryOut
from crewbase.core import clock
from crewbase.core.models import OutboxKind, OutboxMessage, OutboxStatus
from crewbase.core.worker import WorkerLoop
from crewbase.org.actions import (
    add_team_members,
    create_team,
    delete_team,
    remove_team_members,
    update_team,
)
from crewbase.people.actions.changes import change_role
from crewbase.people.actions.lifecycle import deactivate_member, reactivate_member
from crewbase.webhooks import selectors
from crewbase.webhooks.actions import create_webhook_endpoint, update_webhook_endpoint
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.webhooks.receiver import running_receiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _release_clock(settings):
    settings.SMTP_URL = ""
    yield
    clock.freeze(None)


def _run_worker() -> None:
    WorkerLoop(say=lambda _: None).run_once()


def _events(receiver) -> list[dict]:
    return [json.loads(body) for _, body in receiver.requests]


def test_receiver_down_for_an_hour_gets_every_event_in_order_per_member_once_back():
    account, owner = make_account()
    actor = actor_for(owner)
    members = [make_member(account, "agent") for _ in range(3)]
    with running_receiver() as receiver:
        create_webhook_endpoint(actor=actor, url=receiver.url)
        receiver.status = 503
        # Each member goes through several changes, interleaved with the others'.
        for member in members:
            change_role(actor=actor, member=member, role_id=builtin_role("supervisor").pk)
        for member in members:
            deactivate_member(actor=actor, member=member)
        for member in members:
            reactivate_member(actor=actor, member=member)
        queued = list(
            OutboxMessage.objects.filter(kind=OutboxKind.WEBHOOK)
            .order_by("id")
            .values_list("payload__event__id", flat=True)
        )
        assert len(queued) == 9
        # An hour of the worker sweeping every five minutes against a dead receiver.
        for _ in range(12):
            _run_worker()
            clock.freeze(clock.now() + timedelta(minutes=5))
        assert receiver.requests == []
        # Only the oldest event was tried: the rest wait behind it, none has given up.
        rows = OutboxMessage.objects.filter(kind=OutboxKind.WEBHOOK)
        assert rows.filter(status=OutboxStatus.PENDING).count() == 9
        assert rows.filter(attempts__gt=0).count() == 1

        receiver.status = 200
        for _ in range(3):
            clock.freeze(clock.now() + timedelta(hours=1, seconds=1))
            _run_worker()

    delivered = _events(receiver)
    assert [e["id"] for e in delivered] == queued  # each once, in the order they happened
    for member in members:
        mine = [e["type"] for e in delivered if e["data"].get("member_id") == member.pk]
        assert mine == ["member.role_changed", "member.deactivated", "member.reactivated"]
    assert (
        OutboxMessage.objects.filter(kind=OutboxKind.WEBHOOK, status=OutboxStatus.SENT).count() == 9
    )


def test_a_receiver_answering_in_30_seconds_does_not_hold_back_other_endpoints():
    account, owner = make_account()
    actor = actor_for(owner)
    with running_receiver() as slow, running_receiver() as fast:
        slow.delay = 30
        slow_endpoint, _ = create_webhook_endpoint(actor=actor, url=slow.url)
        create_webhook_endpoint(actor=actor, url=fast.url)
        for _ in range(5):
            change_role(
                actor=actor, member=make_member(account), role_id=builtin_role("supervisor").pk
            )
        _run_worker()
        slow_arrivals = slow.arrived

    assert len(fast.requests) == 5  # all of them, in the same sweep
    # The slow one was asked once (its oldest event), not once per event; that one timed out.
    assert slow_arrivals == 1
    rows = OutboxMessage.objects.filter(payload__endpoint_id=slow_endpoint.pk)
    tried = rows.filter(attempts__gt=0)
    assert tried.count() == 1
    assert "Timeout" in tried.get().last_error
    assert rows.filter(status=OutboxStatus.PENDING).count() == 5


TEAM_AND_ROLE_CHANGES = (
    "team.created",
    "team.updated",
    "team.members_added",
    "team.members_removed",
    "team.deleted",
    "role.created",
    "role.updated",
    "role.deleted",
)


def test_team_and_role_changes_reach_the_receiver_with_their_status_code_logged():
    account, owner = make_account()
    actor = actor_for(owner)
    agent = make_member(account)
    with running_receiver() as receiver:
        endpoint, _ = create_webhook_endpoint(
            actor=actor,
            url=receiver.url,
            event_types=list(TEAM_AND_ROLE_CHANGES),
        )
        team = create_team(actor=actor, name="Tier 2")
        update_team(actor=actor, team=team, description="Escalations")
        add_team_members(actor=actor, team=team, member_ids=[agent.pk])
        remove_team_members(actor=actor, team=team, member_ids=[agent.pk])
        delete_team(actor=actor, team=team)
        role = create_role(actor=actor, name="Night shift", permissions=["users.view"])
        update_role(actor=actor, role=role, name="Night owls")
        delete_role(actor=actor, role=role)
        _run_worker()

    events = _events(receiver)
    assert [e["type"] for e in events] == list(TEAM_AND_ROLE_CHANGES)  # all, in order
    assert events[0]["data"]["team"]["name"] == "Tier 2"
    assert events[1]["data"]["before"] == {"description": ""}
    assert events[2]["data"]["members"] == [{"id": agent.pk, "email": agent.email}]
    assert events[6]["data"]["role"]["name"] == "Night owls"
    assert events[6]["data"]["before"] == {"name": "Night shift"}
    log = [DeliveryOut.from_orm(row).dict() for row in selectors.deliveries(actor, endpoint)]
    assert {attempt["status_code"] for row in log for attempt in row["attempt_log"]} == {200}
    assert all(row["status"] == "sent" and not row["waiting"] for row in log)


def test_events_waiting_while_an_endpoint_is_off_go_out_in_order_when_it_is_back_on():
    account, owner = make_account()
    actor = actor_for(owner)
    with running_receiver() as receiver:
        endpoint, _ = create_webhook_endpoint(actor=actor, url=receiver.url)
        receiver.status = 503
        members = [make_member(account) for _ in range(3)]
        for member in members:
            change_role(actor=actor, member=member, role_id=builtin_role("supervisor").pk)
        _run_worker()  # the first fails; the other two wait behind it
        update_webhook_endpoint(actor=actor, endpoint=endpoint, changes={"active": False})
        for _ in range(12):  # long enough for the first to be given up on (10 attempts)
            clock.freeze(clock.now() + timedelta(hours=1, seconds=1))
            _run_worker()
        receiver.status = 200
        update_webhook_endpoint(actor=actor, endpoint=endpoint, changes={"active": True})
        _run_worker()
        _run_worker()

    got = [e["data"]["member_id"] for e in _events(receiver)]
    assert got == [m.pk for m in members[1:]]  # the two that waited, in order
    rows = OutboxMessage.objects.filter(kind=OutboxKind.WEBHOOK).order_by("id")
    assert [r.status for r in rows] == ["failed", "sent", "sent"]  # the first is redeliverable
