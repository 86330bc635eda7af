"""Performance figures from work events, per member or per team over a period (ACT-6, LIST-4).

Needs `analytics.view`. Medians are computed from the response times of the period, read as
one column; daily counts come from one grouped query.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext

from crewbase.access import policy
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed
from crewbase.work.models import WorkEvent, WorkKind

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    start: date  # first day, inclusive
    end: date  # last day, inclusive

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


@dataclass
class Figures:
    period: Period
    tickets_handled: int = 0
    tickets_resolved: int = 0
    replies_sent: int = 0
    calls_handled: int = 0
    median_response_seconds: float | None = None
    csat_average: float | None = None
    csat_responses: int = 0
    daily: list[dict] = field(default_factory=list)


def parse_period(raw_from, raw_to) -> Period:
    """From/to as YYYY-MM-DD (both inclusive); by default the last 30 days up to today."""
    errors = {}
    today = clock.now().date()

    def day(name, raw, default):
        if raw in (None, ""):
            return default
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            errors[name] = gettext("must be a date like 2026-01-31")
            return default

    end = day("to", raw_to, today)
    start = day("from", raw_from, end - timedelta(days=DEFAULT_DAYS - 1))
    if not errors and start > end:
        errors["from"] = gettext("must not be after 'to'")
    if not errors and (end - start).days + 1 > MAX_DAYS:
        errors["from"] = gettext("the period is at most %(limit)s days") % {"limit": MAX_DAYS}
    if errors:
        raise ValidationFailed(errors)
    return Period(start, end)


def figures(actor: Actor, member_ids, period: Period) -> Figures:
    policy.require(actor, "analytics.view")
    events = WorkEvent.objects.filter(
        account=actor.account,
        member_id__in=member_ids,
        occurred_at__gte=period.since,
        occurred_at__lt=period.until,
    )
    counts = dict(events.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    result = Figures(
        period=period,
        tickets_handled=counts.get(WorkKind.TICKET_HANDLED, 0),
        tickets_resolved=counts.get(WorkKind.TICKET_RESOLVED, 0),
        replies_sent=counts.get(WorkKind.REPLY_SENT, 0),
        calls_handled=counts.get(WorkKind.CALL_HANDLED, 0),
        csat_responses=counts.get(WorkKind.CSAT, 0),
    )
    seconds = list(
        events.filter(kind=WorkKind.TICKET_RESOLVED, response_seconds__isnull=False).values_list(
            "response_seconds", flat=True
        )
    )
    if seconds:
        result.median_response_seconds = float(statistics.median(seconds))
    if result.csat_responses:
        average = events.filter(kind=WorkKind.CSAT).aggregate(avg=Avg("score"))["avg"]
        result.csat_average = round(float(average), 2) if average is not None else None
    result.daily = _daily(events, period)
    return result


def _daily(events, period: Period) -> list[dict]:
    rows = (
        events.exclude(kind=WorkKind.CSAT)
        .annotate(day=TruncDate("occurred_at", tzinfo=UTC))
        .order_by()
        .values("day")
        .annotate(
            handled=Count("id", filter=Q(kind=WorkKind.TICKET_HANDLED)),
            resolved=Count("id", filter=Q(kind=WorkKind.TICKET_RESOLVED)),
            replies=Count("id", filter=Q(kind=WorkKind.REPLY_SENT)),
            calls=Count("id", filter=Q(kind=WorkKind.CALL_HANDLED)),
        )
    )
    by_day = {row["day"]: row for row in rows}
    empty = {"handled": 0, "resolved": 0, "replies": 0, "calls": 0}
    return [{"day": day, **{k: by_day.get(day, empty)[k] for k in empty}} for day in period.days()]


def handled_since(member_ids, days: int = 7) -> dict[int, int]:
    """{member_id: tickets handled in the last `days` days}, one grouped query (list column)."""
    since = clock.now() - timedelta(days=days)
    rows = (
        WorkEvent.objects.filter(
            member_id__in=member_ids, kind=WorkKind.TICKET_HANDLED, occurred_at__gte=since
        )
        .order_by()
        .values("member_id")
        .annotate(n=Count("id"))
        .values_list("member_id", "n")
    )
    return dict(rows)
