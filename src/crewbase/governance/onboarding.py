"""Onboarding progress (LIFE-8): automatic items computed from facts, manual items ticked.

Decisions: automatic items are computed, not stored: each is a fact already held in an indexed
place (member row, person row, queue membership, TOTP authenticators), so a page of the list
reads them in a fixed number of queries and nothing goes stale when another area changes a
fact. Manual items are stored ticks (who and when). Completion is stored the first time it is
seen (OnboardingCompletion: on a tick, and by the worker's sweep, which finds newly complete
members with one set-based query), so `onboarding=complete|incomplete` is one indexed
subquery: evaluating every fact for every row measured 180-255 ms a page at 100,000 members
on PostgreSQL, because the list counts up to 10,000 matches.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_noop

from crewbase.core import clock
from crewbase.governance.models import (
    ChecklistItem,
    ChecklistKind,
    ChecklistTick,
    OnboardingCompletion,
    TickState,
)
from crewbase.org.models import Queue
from crewbase.people.models import Member, MemberStatus, Person

# Labels stay English here (the API returns them); the console translates them when shown.
AUTOMATIC = [
    ("accepted", gettext_noop("Invitation accepted")),
    ("profile", gettext_noop("Profile set up (first and last name)")),
    ("notifications", gettext_noop("Notifications configured (personal settings saved)")),
    ("queue", gettext_noop("In at least one queue (agents)")),
    ("twofa", gettext_noop("2FA enrolled where required")),
]
# Personal settings that count as "configured": notification preferences, or the time zone
# notifications are delivered in (SELF-1).
NOTIFICATION_KEYS = ("notifications", "time_zone")


def _missing_2fa_queryset(account):
    """Members lacking required 2FA, from the mfa area; without it, 2FA is not required."""
    try:
        from crewbase.mfa.selectors import members_missing_required_2fa
    except ImportError:
        return Member.objects.none()
    return members_missing_required_2fa(account)


def _in_a_queue():
    return Exists(Queue.members.through.objects.filter(member_id=OuterRef("pk")))


def _notifications_condition() -> Q:
    condition = Q()
    for key in NOTIFICATION_KEYS:
        condition |= Q(person__preferences__has_key=key)
    return condition


def _manual_items_done(account) -> Q:
    """One EXISTS per item, each a lookup in the (member, item) unique index of the ticks; a
    nested NOT EXISTS over the items measured four times slower when counting 10,000 rows."""
    condition = Q()
    item_ids = ChecklistItem.objects.filter(
        account=account, kind=ChecklistKind.ONBOARDING
    ).values_list("pk", flat=True)
    for item_id in item_ids:
        condition &= Q(
            Exists(
                ChecklistTick.objects.filter(
                    member_id=OuterRef("pk"), item_id=item_id, state=TickState.DONE
                )
            )
        )
    return condition


def _has_2fa_where_required(account) -> Q:
    missing = _missing_2fa_queryset(account)
    # Usually nobody lacks required 2FA: one cheap query spares a subquery per row.
    return ~Q(pk__in=missing.values("pk")) if missing.exists() else Q()


def complete_condition(account) -> Q:
    """Members whose every onboarding item is done, as one condition on Member."""
    return (
        ~Q(status=MemberStatus.INVITED)
        & ~Q(first_name="")
        & ~Q(last_name="")
        & _notifications_condition()
        & (Q(agent_access=False) | _in_a_queue())
        & _has_2fa_where_required(account)
        & _manual_items_done(account)
    )


@dataclass
class Step:
    key: str
    label: str
    done: bool
    manual: bool = False
    item_id: int | None = None
    ticked_by: str = ""
    ticked_at: object = None


@dataclass
class Progress:
    steps: list[Step] = field(default_factory=list)
    completed_at: object = None  # when first seen complete; it stays complete from then on

    @property
    def done(self) -> int:
        return sum(1 for step in self.steps if step.done)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def complete(self) -> bool:
        return self.done == self.total

    def __str__(self) -> str:
        if self.complete or self.completed_at:
            return "Complete"
        return f"{self.done} of {self.total}"


def progress_for(members: list[Member]) -> dict[int, Progress]:
    """Progress of a page of members of one account, in seven queries whatever the page size."""
    if not members:
        return {}
    account = members[0].account
    ids = [m.pk for m in members]
    prefs = dict(
        Person.objects.filter(pk__in={m.person_id for m in members}).values_list(
            "pk", "preferences"
        )
    )
    queued = set(
        Queue.members.through.objects.filter(member_id__in=ids).values_list("member_id", flat=True)
    )
    missing_2fa = set(
        _missing_2fa_queryset(account).filter(pk__in=ids).values_list("pk", flat=True)
    )
    items = list(ChecklistItem.objects.filter(account=account, kind=ChecklistKind.ONBOARDING))
    ticks = {
        (t.member_id, t.item_id): t
        for t in ChecklistTick.objects.filter(member_id__in=ids, item__in=items)
    }
    completed = dict(
        OnboardingCompletion.objects.filter(member_id__in=ids).values_list(
            "member_id", "completed_at"
        )
    )
    result = {}
    for member in members:
        preferences = prefs.get(member.person_id) or {}
        facts = {
            "accepted": member.status != MemberStatus.INVITED,
            "profile": bool(member.first_name and member.last_name),
            "notifications": any(key in preferences for key in NOTIFICATION_KEYS),
            "queue": (not member.agent_access) or member.pk in queued,
            "twofa": member.pk not in missing_2fa,
        }
        steps = [Step(key, label, facts[key]) for key, label in AUTOMATIC]
        for item in items:
            tick = ticks.get((member.pk, item.pk))
            steps.append(
                Step(
                    f"item_{item.pk}",
                    item.title,
                    tick is not None and tick.state == TickState.DONE,
                    manual=True,
                    item_id=item.pk,
                    ticked_by=tick.ticked_by_display if tick else "",
                    ticked_at=tick.ticked_at if tick else None,
                )
            )
        result[member.pk] = Progress(steps, completed.get(member.pk))
    return result


def record_completions(account, *, member_ids=None, limit: int = 5000) -> int:
    """Store the completion of members newly seen complete; returns how many."""
    recorded = OnboardingCompletion.objects.filter(account=account).values("member_id")
    found = (
        Member.objects.filter(account=account)
        .filter(complete_condition(account))
        .exclude(pk__in=recorded)
    )
    if member_ids is not None:
        found = found.filter(pk__in=member_ids)
    ids = list(found.values_list("pk", flat=True)[:limit])
    now = clock.now()
    OnboardingCompletion.objects.bulk_create(
        [OnboardingCompletion(member_id=pk, account=account, completed_at=now) for pk in ids],
        ignore_conflicts=True,  # another worker may have seen the same member at once
    )
    return len(ids)


# The sweep reads every not-yet-onboarded member of every account (0.5 s at 100,000 members
# on PostgreSQL); completion through a tick is recorded at once, other facts within this.
SWEEP_EVERY_SECONDS = 300.0
_last_sweep = {"at": float("-inf")}


def sweep_completions(*, force: bool = False) -> int:
    """Worker job, every five minutes per worker: every account's newly complete members."""
    from crewbase.accounts.models import Account

    if not force and time.monotonic() - _last_sweep["at"] < SWEEP_EVERY_SECONDS:
        return 0
    _last_sweep["at"] = time.monotonic()
    return sum(record_completions(account) for account in Account.objects.iterator())
