"""Login history of one member (ACT-4), computed from the activity log.

Every sign-in, failed sign-in and lockout is an activity event whose target is the member
(people/signin.py, signin/guard.py), so the history reads the log through its target index
(account, target_type, target_id, created_at) and never a table of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Max

from crewbase.access import policy
from crewbase.audit.models import ActivityEvent
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.signin.devices import describe

SIGNED_IN = "auth.signed_in"
FAILED = "auth.sign_in_failed"
LOCKED = "auth.locked_out"
PERIOD_DAYS = 30
TOP = 10
RECENT = 20


@dataclass
class Place:
    label: str  # an address or a device
    sign_ins: int
    last_at: datetime


@dataclass
class Attempt:
    at: datetime
    outcome: str  # "signed_in", "failed", "locked_out"
    reason: str
    address: str | None
    device: str


@dataclass
class LoginHistory:
    member_id: int
    last_sign_in_at: datetime | None
    period_days: int
    sign_ins: int
    failed_attempts: int
    lockouts: int
    days_signed_in: int
    addresses: list[Place] = field(default_factory=list)
    devices: list[Place] = field(default_factory=list)
    recent: list[Attempt] = field(default_factory=list)


def may_view(actor: Actor, member) -> bool:
    """Your own history; someone else's needs audit.view (it shows where they sign in from)."""
    if actor.member is not None and actor.member.pk == member.pk:
        return True
    return policy.can(actor, "audit.view")


def _events(member):
    return ActivityEvent.objects.filter(
        account_id=member.account_id, target_type="member", target_id=member.pk
    )


def _places(sign_ins, column: str) -> list[tuple[str, int, datetime]]:
    rows = (
        sign_ins.order_by()
        .values(column)
        .annotate(n=Count("id"), last=Max("created_at"))
        .order_by("-last")[:200]
    )
    return [(row[column], row["n"], row["last"]) for row in rows]


def _devices(sign_ins) -> list[Place]:
    # Many user-agent strings (browser versions) are one device in words: fold them.
    folded: dict[str, Place] = {}
    for agent, count, last in _places(sign_ins, "user_agent"):
        label = describe(agent)
        place = folded.get(label)
        if place is None:
            folded[label] = Place(label, count, last)
        else:
            place.sign_ins += count
            place.last_at = max(place.last_at, last)
    return sorted(folded.values(), key=lambda p: p.last_at, reverse=True)[:TOP]


OUTCOMES = {SIGNED_IN: "signed_in", FAILED: "failed", LOCKED: "locked_out"}


def login_history(actor: Actor, member, *, days: int = PERIOD_DAYS) -> LoginHistory:
    policy.ensure_same_account(actor, member)
    if not may_view(actor, member):
        policy.require(actor, "audit.view", target=member)
    since = clock.now() - timedelta(days=days)
    recent_events = _events(member).filter(action__in=list(OUTCOMES), created_at__gte=since)
    counts = {
        row["action"]: row["n"]
        for row in recent_events.order_by().values("action").annotate(n=Count("id"))
    }
    sign_ins = recent_events.filter(action=SIGNED_IN)
    days_signed_in = len({at.date() for at in sign_ins.values_list("created_at", flat=True)[:5000]})
    last = _events(member).filter(action=SIGNED_IN).order_by("-created_at").first()
    recent = [
        Attempt(
            at=event.created_at,
            outcome=OUTCOMES[event.action],
            reason=str((event.after or {}).get("reason", "") or (event.after or {}).get("by", "")),
            address=event.ip_address,
            device=describe(event.user_agent),
        )
        for event in _events(member)
        .filter(action__in=list(OUTCOMES))
        .order_by("-created_at", "-id")[:RECENT]
    ]
    return LoginHistory(
        member_id=member.pk,
        last_sign_in_at=last.created_at if last else member.last_sign_in_at,
        period_days=days,
        sign_ins=counts.get(SIGNED_IN, 0),
        failed_attempts=counts.get(FAILED, 0),
        lockouts=counts.get(LOCKED, 0),
        days_signed_in=days_signed_in,
        addresses=[
            Place(address or "unknown", n, at)
            for address, n, at in _places(sign_ins, "ip_address")[:TOP]
        ],
        devices=_devices(sign_ins),
        recent=recent,
    )
