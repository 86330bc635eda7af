"""Presence (LIST-4): online / away / offline from last activity, or as the host sets it.

Rules: a status the host set in the last HOST_STATUS_HOURS wins (the contact center knows
whether an agent is on a call); otherwise activity here decides: seen in the last
ONLINE_MINUTES → online, in the last AWAY_MINUTES → away, else offline. Activity is written
at most once a minute per member (`note_seen`), so reading pages never turns into a write
per request.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed
from crewbase.work.models import Presence, PresenceStatus

ONLINE_MINUTES = 5
AWAY_MINUTES = 30
HOST_STATUS_HOURS = 12
SEEN_RESOLUTION = timedelta(minutes=1)
HOST_CHOICES = ("online", "away", "offline", "auto")


def derive(presence: Presence | None, now=None) -> str:
    if presence is None:
        return PresenceStatus.OFFLINE
    now = now or clock.now()
    host_at = presence.host_status_at
    if presence.host_status and host_at and host_at >= now - timedelta(hours=HOST_STATUS_HOURS):
        return presence.host_status
    seen = presence.seen_at
    if seen and seen >= now - timedelta(minutes=ONLINE_MINUTES):
        return PresenceStatus.ONLINE
    if seen and seen >= now - timedelta(minutes=AWAY_MINUTES):
        return PresenceStatus.AWAY
    return PresenceStatus.OFFLINE


def presence_of(members) -> dict[int, str]:
    """{member_id: status} for a page of members, in one query."""
    now = clock.now()
    rows = {p.member_id: p for p in Presence.objects.filter(member__in=[m.pk for m in members])}
    return {m.pk: derive(rows.get(m.pk), now) for m in members}


def _status_q(status: str, now) -> Q:
    """Presence rows (not members) whose derived status is `status` (online or away)."""
    host_valid = Q(host_status__gt="", host_status_at__gte=now - timedelta(hours=HOST_STATUS_HOURS))
    online_since = now - timedelta(minutes=ONLINE_MINUTES)
    if status == PresenceStatus.ONLINE:
        by_activity = Q(seen_at__gte=online_since)
    else:
        by_activity = Q(
            seen_at__gte=now - timedelta(minutes=AWAY_MINUTES), seen_at__lt=online_since
        )
    return (host_valid & Q(host_status=status)) | (~host_valid & by_activity)


def members_with_status(account_id: int, status: str) -> Q:
    """A Q on Member: members whose presence is `status`. Offline is "neither of the others",
    so members who never had a presence row count as offline."""
    now = clock.now()
    rows = Presence.objects.filter(account_id=account_id)
    if status == PresenceStatus.OFFLINE:
        busy = rows.filter(_status_q("online", now) | _status_q("away", now))
        return ~Q(pk__in=busy.values("member_id"))
    return Q(pk__in=rows.filter(_status_q(status, now)).values("member_id"))


def note_seen(member) -> None:
    """Mark the member active now; at most one write a minute however many requests come."""
    now = clock.now()
    last = getattr(member, "last_seen_at", None)
    if last is not None and now - last < SEEN_RESOLUTION:
        return
    from crewbase.people.models import Member

    stale = Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=now - SEEN_RESOLUTION)
    # A conditional UPDATE: concurrent requests of one member write once between them.
    if not Member.objects.filter(stale, pk=member.pk).update(last_seen_at=now):
        return
    if not Presence.objects.filter(member_id=member.pk).update(seen_at=now):
        Presence.objects.get_or_create(
            member_id=member.pk, defaults={"account_id": member.account_id, "seen_at": now}
        )


def set_presence(*, actor: Actor, member, status) -> str:
    """The host says where the member is; "auto" hands the decision back to activity."""
    policy.require(actor, "work_events.write", target=member)
    if status not in HOST_CHOICES:
        raise ValidationFailed(
            {"status": gettext("must be one of %(choices)s") % {"choices": ", ".join(HOST_CHOICES)}}
        )
    now = clock.now()
    with transaction.atomic():
        presence, _ = Presence.objects.select_for_update().get_or_create(
            member_id=member.pk, defaults={"account_id": member.account_id}
        )
        before = presence.host_status or "auto"
        presence.host_status = "" if status == "auto" else status
        presence.host_status_at = None if status == "auto" else now
        presence.save(update_fields=["host_status", "host_status_at"])
        if before != status:
            record(
                actor,
                "member.presence_set",
                member,
                before={"presence": before},
                after={"presence": status},
            )
        return derive(presence, now)
