"""Reading the activity log (ACT-2, ACT-3): always one account, narrowed to what the actor may see.

Members holding `audit.view` see the account's whole log; everyone else sees only what they
did themselves.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from crewbase.access import policy
from crewbase.audit import registry
from crewbase.audit.models import ActivityEvent
from crewbase.audit.registry import EventType
from crewbase.core.actor import Actor


def activity_visible_to(actor: Actor) -> QuerySet[ActivityEvent]:
    events = ActivityEvent.objects.filter(account=actor.account)
    if policy.can(actor, "audit.view"):
        return events
    if actor.member is None:
        return events.none()
    return events.filter(actor_member_id=actor.member.pk)


def filter_activity(
    qs: QuerySet[ActivityEvent],
    *,
    type: str | None = None,
    actor_member_id: int | None = None,
    target_type: str | None = None,
    target_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[ActivityEvent]:
    """Each filter narrows; `type` answers "who performed X" (ACT-3). `until` is exclusive."""
    if type:
        qs = qs.filter(action=type)
    if actor_member_id is not None:
        qs = qs.filter(actor_member_id=actor_member_id)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id is not None:
        qs = qs.filter(target_id=target_id)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    return qs


def member_activity(actor: Actor, member, type: str | None = None) -> QuerySet[ActivityEvent]:
    """What `member` did. Their own log for anyone; someone else's needs `audit.view`."""
    policy.ensure_same_account(actor, member)
    is_self = actor.member is not None and actor.member.pk == member.pk
    if not is_self:
        policy.require(actor, "audit.view", target=member)
    events = ActivityEvent.objects.filter(account=actor.account, actor_member_id=member.pk)
    return filter_activity(events, type=type)


def performed_types(member) -> list[EventType]:
    """Only the activity types this member actually performed, for the profile's filter (ACT-2)."""
    keys = (
        ActivityEvent.objects.filter(account_id=member.account_id, actor_member_id=member.pk)
        .order_by()
        .values_list("action", flat=True)
        .distinct()
    )
    return sorted(
        (registry.get(key) for key in keys if registry.is_registered(key)),
        key=lambda t: t.key,
    )


def page_by_seq(qs: QuerySet[ActivityEvent], *, after_seq: int | None, limit: int):
    """Newest first, keyset-paginated on the account's sequence number (no OFFSET scans).

    Returns (events, next cursor or None).
    """
    if after_seq is not None:
        qs = qs.filter(seq__lt=after_seq)
    events = list(qs.order_by("-seq")[: limit + 1])
    more = len(events) > limit
    events = events[:limit]
    return events, (str(events[-1].seq) if more and events else None)
