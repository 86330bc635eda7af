"""Scheduled deactivation and reactivation (LIFE-9), carried out by the worker's sweep.

A schedule runs through the very same actions as a click (deactivate_member /
reactivate_member), so its activity event and webhooks are the usual ones. Exactly once: the
sweep claims a due row with a conditional UPDATE (pending -> done) in the same transaction as
the action; a crash rolls both back and the next sweep tries again, and a second worker's
UPDATE matches nothing. A schedule that fell due while no worker ran is simply due at the next
sweep, and runs once.
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import DomainError, NotFound, ValidationFailed
from crewbase.governance.models import LifecycleSchedule, ScheduledAction, ScheduleStatus
from crewbase.people.actions import limits
from crewbase.people.actions.lifecycle import deactivate_member, reactivate_member
from crewbase.people.models import DeactivationReason, Member, MemberStatus
from crewbase.people.selectors import member_named

logger = logging.getLogger(__name__)
MAX_AHEAD = timedelta(days=3 * 366)
SWEEP_BATCH = 100


def local_zone(account) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(account.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def parse_run_at(account, raw) -> datetime:
    """A date and time in the account's time zone ("2026-12-01T09:00"), or with an offset."""
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, str) and raw.strip():
        try:
            value = datetime.fromisoformat(raw.strip())
        except ValueError:
            raise ValidationFailed(
                {"run_at": gettext("must be a date and time such as 2026-12-01T09:00")}
            ) from None
    else:
        raise ValidationFailed({"run_at": gettext("is required")})
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_zone(account))
    now = clock.now()
    if value <= now:
        raise ValidationFailed({"run_at": gettext("must be in the future")})
    if value - now > MAX_AHEAD:
        raise ValidationFailed({"run_at": gettext("must be within three years")})
    return value


def pending_for(member: Member) -> LifecycleSchedule | None:
    return LifecycleSchedule.objects.filter(member=member, status=ScheduleStatus.PENDING).first()


def history_for(member: Member, limit: int = 10) -> list[LifecycleSchedule]:
    return list(
        LifecycleSchedule.objects.filter(member=member)
        .exclude(status=ScheduleStatus.PENDING)
        .order_by("-finished_at", "-id")[:limit]
    )


def _check_applies(member: Member, action: str) -> None:
    if member.is_owner:
        raise ValidationFailed({"action": gettext("the owner cannot be deactivated")})
    if member.status == MemberStatus.INVITED:
        raise ValidationFailed({"action": gettext("the member has not joined yet")})


def schedule_change(
    *,
    actor: Actor,
    member: Member,
    action: str,
    run_at,
    reason: str = "",
    reassign_to=None,
) -> LifecycleSchedule:
    """Create the member's schedule, or change the pending one (one pending per member)."""
    policy.require(actor, "users.manage", target=member)
    errors = {}
    if action not in ScheduledAction.values:
        errors["action"] = gettext("must be one of: %(choices)s") % {
            "choices": ", ".join(ScheduledAction.values)
        }
    if action == ScheduledAction.DEACTIVATE:
        reason = reason or DeactivationReason.OTHER
        if reason not in DeactivationReason.values:
            errors["reason"] = gettext("must be one of: %(choices)s") % {
                "choices": ", ".join(DeactivationReason.values)
            }
    elif reason:
        errors["reason"] = gettext("only a deactivation takes a reason")
    if errors:
        raise ValidationFailed(errors)
    when = parse_run_at(actor.account, run_at)
    with transaction.atomic():
        member = limits.lock_member(member)
        _check_applies(member, action)
        if actor.member is not None and actor.member.pk == member.pk:
            raise ValidationFailed(
                {"member": gettext("you cannot schedule a change of your own access")}
            )
        heir = None
        if isinstance(reassign_to, str):
            reassign_to = reassign_to.strip()
        if reassign_to not in (None, ""):
            if action != ScheduledAction.DEACTIVATE:
                raise ValidationFailed(
                    {"reassign_to": gettext("only a deactivation reassigns tickets")}
                )
            heir = member_named(actor.account, reassign_to)
            if heir is None or heir.status != MemberStatus.ACTIVE or heir.pk == member.pk:
                raise ValidationFailed({"reassign_to": gettext("must be another active member")})
        schedule = (
            LifecycleSchedule.objects.select_for_update()
            .filter(member=member, status=ScheduleStatus.PENDING)
            .first()
        )
        before = _describe(schedule) if schedule else None
        schedule = schedule or LifecycleSchedule(
            account=actor.account, member=member, member_email=member.email
        )
        schedule.action = action
        schedule.run_at = when
        schedule.reason = reason
        schedule.reassign_to = heir
        schedule.created_by_display = actor.display[:400]
        schedule.save()
        record(
            actor,
            "schedule.changed" if before else "schedule.created",
            member,
            before=before,
            after=_describe(schedule),
        )
        return schedule


def cancel_schedule(*, actor: Actor, member: Member) -> LifecycleSchedule:
    policy.require(actor, "users.manage", target=member)
    with transaction.atomic():
        member = limits.lock_member(member)
        schedule = (
            LifecycleSchedule.objects.select_for_update()
            .filter(member=member, status=ScheduleStatus.PENDING)
            .first()
        )
        if schedule is None:
            raise NotFound(
                gettext("%(email)s has no scheduled change to cancel.") % {"email": member.email}
            )
        schedule.status = ScheduleStatus.CANCELLED
        schedule.finished_at = clock.now()
        schedule.outcome = f"Cancelled by {actor.display}"[:500]
        schedule.save()
        record(actor, "schedule.cancelled", member, before=_describe(schedule))
        return schedule


def _describe(schedule: LifecycleSchedule) -> dict:
    return {
        "schedule_id": schedule.pk,
        "action": schedule.action,
        "run_at": schedule.run_at.isoformat(),
        "reason": schedule.reason,
        "reassign_to": schedule.reassign_to.email if schedule.reassign_to_id else None,
    }


def _drop(schedule: LifecycleSchedule, why: str) -> None:
    schedule.status = ScheduleStatus.DROPPED
    schedule.outcome = why[:500]
    schedule.finished_at = clock.now()
    schedule.save()
    system = Actor.system(schedule.account, reason="scheduled change")
    target = schedule.member
    record(
        system,
        "schedule.dropped",
        target,
        before=_describe(schedule),
        after={"why": why},
        target_display=None if target else schedule.member_email,
    )


def _carry_out(schedule: LifecycleSchedule) -> None:
    actor = Actor.system(schedule.account, reason=f"schedule {schedule.pk}")
    member = schedule.member
    if schedule.action == ScheduledAction.DEACTIVATE:
        if member.status == MemberStatus.DEACTIVATED:
            raise DomainError(gettext("the member was already deactivated"))
        deactivate_member(
            actor=actor,
            member=member,
            reason=schedule.reason or DeactivationReason.OTHER,
            reassign_to=schedule.reassign_to_id,
        )
    else:
        if member.status == MemberStatus.ACTIVE:
            raise DomainError(gettext("the member was already active"))
        reactivate_member(actor=actor, member=member)


def run_one(schedule_id: int) -> str | None:
    """Carry out (or drop) one due schedule; returns its final status, None if not claimed."""
    with transaction.atomic():
        schedule = (
            LifecycleSchedule.objects.select_related("account", "member")
            .filter(pk=schedule_id, status=ScheduleStatus.PENDING)
            .first()
        )
        if schedule is None:
            return None
        # Account, then member, then the schedule: the order the actions lock in.
        limits.lock_account(schedule.account)
        if schedule.member_id is not None:
            schedule.member = (
                Member.objects.select_for_update(of=("self",))
                .select_related("role", "account", "person")
                .filter(pk=schedule.member_id)
                .first()
            )
        # Read again under the locks: an admin may have changed or cancelled it meanwhile.
        fresh = LifecycleSchedule.objects.filter(pk=schedule.pk).first()
        due = fresh is not None and (fresh.run_at <= clock.now() or fresh.member_id is None)
        claimed = due and LifecycleSchedule.objects.filter(
            pk=schedule.pk, status=ScheduleStatus.PENDING
        ).update(status=ScheduleStatus.DONE, finished_at=clock.now())
        if not claimed:
            return None  # not due any more, or another worker carried it out first
        for name in ("action", "run_at", "reason", "reassign_to_id"):
            setattr(schedule, name, getattr(fresh, name))
        if schedule.member is None:
            _drop(schedule, "the member was deleted")
            return ScheduleStatus.DROPPED
        if schedule.member.is_owner:
            _drop(schedule, "the member is now the account owner")
            return ScheduleStatus.DROPPED
        try:
            with transaction.atomic():
                _carry_out(schedule)
        except DomainError as error:
            _drop(schedule, f"could not apply: {error.message}")
            return ScheduleStatus.DROPPED
        schedule.status = ScheduleStatus.DONE
        schedule.finished_at = clock.now()
        schedule.outcome = f"{schedule.get_action_display()}d by the worker"
        schedule.save(update_fields=["status", "finished_at", "outcome"])
        return ScheduleStatus.DONE


def run_due(limit: int = 1000) -> dict[str, int]:
    """The worker's periodic job: every pending schedule that is due, or whose member is gone."""
    counts: dict[str, int] = {}
    now = clock.now()
    done = 0
    while done < limit:
        ids = list(
            LifecycleSchedule.objects.filter(status=ScheduleStatus.PENDING, run_at__lte=now)
            .order_by("run_at", "id")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        ) + list(
            LifecycleSchedule.objects.filter(
                status=ScheduleStatus.PENDING, member__isnull=True
            ).values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        if not ids:
            break
        progressed = False
        for schedule_id in dict.fromkeys(ids):
            try:
                status = run_one(schedule_id)
            except Exception:
                # Left pending: the next sweep tries again; nothing half-applied (one transaction).
                logger.exception("scheduled change %s failed", schedule_id)
                continue
            if status is not None:
                progressed = True
                counts[status] = counts.get(status, 0) + 1
            done += 1
        if not progressed:
            break
    return counts
