"""Scheduled deactivation and reactivation (LIFE-9) with a controlled clock."""

from datetime import UTC, datetime, timedelta

import pytest

from crewbase.audit.models import ActivityEvent
from crewbase.core.errors import NotFound, PermissionDenied, ValidationFailed
from crewbase.core.models import OutboxMessage
from crewbase.governance import schedules
from crewbase.governance.models import LifecycleSchedule, ScheduleStatus
from crewbase.people.actions.lifecycle import deactivate_member, delete_member
from crewbase.people.models import Member, MemberStatus
from crewbase.webhooks.actions import create_webhook_endpoint
from tests.api.client import ApiClient
from tests.conftest import actor_for

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def _schedule(gov, member, at="2026-12-03T09:00", action="deactivate", **kwargs):
    return schedules.schedule_change(
        actor=actor_for(gov["owner"]), member=member, action=action, run_at=at, **kwargs
    )


def test_a_time_without_zone_is_read_in_the_account_time_zone(gov, frozen):
    frozen(START)
    schedule = _schedule(gov, gov["agent"], reason="temporary_leave")
    # 09:00 in Paris in December is 08:00 UTC.
    assert schedule.run_at == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    assert ActivityEvent.objects.filter(action="schedule.created").count() == 1


def test_the_worker_sweep_deactivates_once_at_the_time_with_activity_and_webhook(gov, frozen):
    create_webhook_endpoint(
        actor=actor_for(gov["owner"]),
        url="https://hooks.example.com/crewbase",
        event_types=["member.deactivated"],
    )
    frozen(START)
    _schedule(gov, gov["agent"], reason="left_company", reassign_to=gov["admin"].pk)
    assert schedules.run_due() == {}  # not yet due
    assert Member.objects.get(pk=gov["agent"].pk).status == MemberStatus.ACTIVE

    # The worker was down across the due time; the first sweep after it comes back runs it.
    frozen(START + timedelta(days=5))
    assert schedules.run_due() == {"done": 1}
    assert schedules.run_due() == {}  # never twice
    member = Member.objects.get(pk=gov["agent"].pk)
    assert member.status == MemberStatus.DEACTIVATED
    assert member.deactivation_reason == "left_company"
    events = ActivityEvent.objects.filter(action="member.deactivated", target_id=member.pk)
    assert events.count() == 1
    assert events.get().actor_kind == "system"
    hooks = OutboxMessage.objects.filter(kind="webhook")
    assert [h.payload.get("type") or h.payload.get("event") for h in hooks].count(None) == 0
    assert hooks.count() == 1
    schedule = LifecycleSchedule.objects.get()
    assert schedule.status == ScheduleStatus.DONE


def test_reactivation_is_scheduled_and_carried_out(gov, frozen):
    frozen(START)
    deactivate_member(actor=actor_for(gov["owner"]), member=gov["agent2"], reason="temporary_leave")
    _schedule(gov, Member.objects.get(pk=gov["agent2"].pk), action="reactivate")
    frozen(START + timedelta(days=3))
    assert schedules.run_due() == {"done": 1}
    assert Member.objects.get(pk=gov["agent2"].pk).status == MemberStatus.ACTIVE


def test_change_and_cancel(gov, frozen):
    frozen(START)
    first = _schedule(gov, gov["agent"])
    changed = _schedule(gov, gov["agent"], at="2026-12-10T17:30", reason="role_change")
    assert changed.pk == first.pk
    assert LifecycleSchedule.objects.filter(status="pending").count() == 1
    schedules.cancel_schedule(actor=actor_for(gov["owner"]), member=gov["agent"])
    frozen(START + timedelta(days=30))
    assert schedules.run_due() == {}
    assert Member.objects.get(pk=gov["agent"].pk).status == MemberStatus.ACTIVE
    with pytest.raises(NotFound):
        schedules.cancel_schedule(actor=actor_for(gov["owner"]), member=gov["agent"])


def test_a_schedule_that_no_longer_applies_is_dropped_with_its_reason(gov, frozen):
    frozen(START)
    _schedule(gov, gov["agent"])
    _schedule(gov, gov["agent2"])
    # The agent is deactivated by hand meanwhile; agent2 is deactivated then deleted.
    deactivate_member(actor=actor_for(gov["owner"]), member=gov["agent"])
    deactivate_member(actor=actor_for(gov["owner"]), member=gov["agent2"])
    delete_member(actor=actor_for(gov["owner"]), member=Member.objects.get(pk=gov["agent2"].pk))
    # The deleted member's schedule is dropped at once, the other at its time.
    assert schedules.run_due() == {"dropped": 1}
    frozen(START + timedelta(days=3))
    assert schedules.run_due() == {"dropped": 1}
    outcomes = dict(LifecycleSchedule.objects.values_list("member_email", "outcome"))
    assert outcomes["omar@harbor.example"] == "the member was deleted"
    assert "already deactivated" in outcomes["agnes@harbor.example"]
    assert ActivityEvent.objects.filter(action="schedule.dropped").count() == 2


def test_owner_self_invited_and_bad_input_are_refused(gov, frozen):
    frozen(START)
    with pytest.raises(ValidationFailed) as refused:
        _schedule(gov, gov["owner"])
    assert "owner" in refused.value.errors["action"]
    with pytest.raises(ValidationFailed) as refused:
        schedules.schedule_change(
            actor=actor_for(gov["admin"]),
            member=gov["admin"],
            action="deactivate",
            run_at="2027-01-01T00:00",
        )
    assert "member" in refused.value.errors
    for at, reason in [("yesterday", "such as"), ("2026-11-01T10:00", "future"), ("", "required")]:
        with pytest.raises(ValidationFailed) as refused:
            _schedule(gov, gov["agent"], at=at)
        assert reason in refused.value.errors["run_at"]
    with pytest.raises(ValidationFailed) as refused:
        _schedule(gov, gov["agent"], reason="bored")
    assert "reason" in refused.value.errors
    with pytest.raises(PermissionDenied):
        schedules.schedule_change(
            actor=actor_for(gov["supervisor"]),
            member=gov["agent"],
            action="deactivate",
            run_at="2027-01-01T00:00",
        )
    with pytest.raises(NotFound):
        schedules.schedule_change(
            actor=actor_for(gov["stranger"]),
            member=gov["agent"],
            action="deactivate",
            run_at="2027-01-01T00:00",
        )
    assert not LifecycleSchedule.objects.exists()


def test_schedule_api_post_get_delete(gov, frozen):
    frozen(START)
    api = ApiClient(person=gov["owner"].person)
    path = f"/members/{gov['agent'].pk}/schedule"
    created = api.post(
        path, {"action": "deactivate", "run_at": "2026-12-24T18:00", "reason": "temporary_leave"}
    )
    assert created.status_code == 200, created.content
    body = created.json()
    assert body["run_at_local"] == "2026-12-24T18:00+01:00"
    assert body["time_zone"] == "Europe/Paris"
    assert api.get(path).json()["pending"]["id"] == body["id"]
    refused = api.post(path, {"action": "explode", "run_at": "soon"})
    assert refused.status_code == 422
    assert "body.action" in refused.json()["errors"]
    refused = api.post(path, {"action": "deactivate", "run_at": "soon"})
    assert refused.json()["errors"] == {
        "run_at": "must be a date and time such as 2026-12-01T09:00"
    }
    assert api.delete(path).json()["status"] == "cancelled"
    assert api.get(path).json() == {
        "pending": None,
        "history": [api.get(path).json()["history"][0]],
    }
    assert api.delete(path).status_code == 404


def test_a_schedule_moved_later_is_not_carried_out_early(gov, frozen):
    frozen(START)
    schedule = _schedule(gov, gov["agent"])
    frozen(START + timedelta(days=3))
    # An admin moved it to the future between the sweep's listing and its claim.
    LifecycleSchedule.objects.filter(pk=schedule.pk).update(run_at=START + timedelta(days=9))
    assert schedules.run_one(schedule.pk) is None
    assert Member.objects.get(pk=gov["agent"].pk).status == MemberStatus.ACTIVE
    assert LifecycleSchedule.objects.get(pk=schedule.pk).status == ScheduleStatus.PENDING


def test_who_takes_over_is_named_by_email_and_a_typo_is_refused_by_field(gov, frozen):
    frozen(START)
    with pytest.raises(ValidationFailed) as refused:
        _schedule(gov, gov["agent"], reason="left_company", reassign_to="nobody@example.com")
    assert set(refused.value.errors) == {"reassign_to"}
    schedule = _schedule(
        gov, gov["agent"], reason="left_company", reassign_to=f" {gov['admin'].email.upper()} "
    )
    assert schedule.reassign_to_id == gov["admin"].pk
