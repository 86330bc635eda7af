"""Taking in a batch of work events from the host (ACT-6).

Each event is checked on its own: the good ones are stored, the bad ones come back with
(index, field, reason), and a retried event (same host event id) is reported as a duplicate
and changes nothing. The good ones go in with one bulk insert in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed
from crewbase.people.models import Member
from crewbase.work.models import WorkEvent, WorkKind

MAX_EVENTS = 1000
MAX_ID_LENGTH = 200
MAX_RESPONSE_SECONDS = 10 * 365 * 24 * 3600
# The host may be late (queues, retries) but not writing the distant past or the future.
OLDEST = timedelta(days=366)
FUTURE_SLACK = timedelta(minutes=10)
FIELDS = {"event_id", "type", "member_id", "member_email", "occurred_at"}
EXTRA_FIELDS = {
    WorkKind.TICKET_RESOLVED: {"response_seconds", "ticket_id"},
    WorkKind.CSAT: {"score", "ticket_id"},
    WorkKind.TICKET_HANDLED: {"ticket_id"},
    WorkKind.REPLY_SENT: {"ticket_id"},
    WorkKind.CALL_HANDLED: set(),
}


@dataclass
class EventResult:
    index: int
    event_id: str | None
    status: str  # "accepted", "duplicate", "rejected"
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class IngestReport:
    results: list[EventResult]

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)


def _whole(value, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def _moment(stamp):
    """A datetime from ISO 8601 text, or None (well-formed but impossible dates included)."""
    if not isinstance(stamp, str) or len(stamp) > 40:
        return None
    try:
        return parse_datetime(stamp)
    except ValueError:
        return None


def _check(raw, now) -> tuple[dict, dict[str, str]]:
    """(clean fields, errors) for one event; the member is resolved later, in bulk."""
    if not isinstance(raw, dict):
        return {}, {"event": gettext("must be a JSON object")}
    errors: dict[str, str] = {}
    clean: dict = {}
    event_id = raw.get("event_id")
    if not isinstance(event_id, str) or not event_id.strip():
        errors["event_id"] = gettext("is required: the host's own id of this event (text)")
    elif len(event_id) > MAX_ID_LENGTH or "\x00" in event_id:
        errors["event_id"] = gettext("must be at most %(limit)s characters of text") % {
            "limit": MAX_ID_LENGTH
        }
    else:
        clean["event_id"] = event_id.strip()
    kind = raw.get("type")
    if kind not in WorkKind.values:
        errors["type"] = gettext("must be one of %(choices)s") % {
            "choices": ", ".join(WorkKind.values)
        }
        allowed = FIELDS | {"response_seconds", "score", "ticket_id"}
    else:
        clean["kind"] = kind
        allowed = FIELDS | EXTRA_FIELDS[kind]
    for name in sorted(set(raw) - allowed):
        errors[str(name)[:100]] = gettext("is not a field of this event type")
    has_id, has_email = raw.get("member_id") is not None, raw.get("member_email") is not None
    if has_id == has_email:
        errors["member"] = gettext("give exactly one of member_id or member_email")
    elif has_id:
        if _whole(raw["member_id"], 1, 2**63 - 1) is None:
            errors["member_id"] = gettext("must be a member id (a whole number)")
        else:
            clean["member_id"] = raw["member_id"]
    elif not isinstance(raw["member_email"], str) or "@" not in raw["member_email"]:
        errors["member_email"] = gettext("must be an email address")
    else:
        clean["member_email"] = raw["member_email"].strip().lower()[:254]
    stamp = raw.get("occurred_at")
    when = _moment(stamp)
    if stamp is None:
        clean["occurred_at"] = now
    elif when is None or when.tzinfo is None:
        errors["occurred_at"] = gettext("must be an ISO 8601 date and time with a time zone")
    elif not now - OLDEST <= when <= now + FUTURE_SLACK:
        errors["occurred_at"] = gettext("must be within the last year and not in the future")
    else:
        clean["occurred_at"] = when
    if kind == WorkKind.TICKET_RESOLVED:
        seconds = _whole(raw.get("response_seconds"), 0, MAX_RESPONSE_SECONDS)
        if seconds is None:
            errors["response_seconds"] = gettext(
                "is required: seconds from the customer's message to the reply (0 or more)"
            )
        clean["response_seconds"] = seconds
    if kind == WorkKind.CSAT:
        score = _whole(raw.get("score"), 1, 5)
        if score is None:
            errors["score"] = gettext("is required: a whole number from 1 to 5")
        clean["score"] = score
    ticket = raw.get("ticket_id", "")
    if isinstance(ticket, int) and not isinstance(ticket, bool):
        ticket = str(ticket)
    if not isinstance(ticket, str) or len(ticket) > MAX_ID_LENGTH or "\x00" in ticket:
        errors["ticket_id"] = gettext("must be text or a number, at most %(limit)s characters") % {
            "limit": MAX_ID_LENGTH
        }
    else:
        clean["ticket_ref"] = ticket
    return clean, errors


def _members_of(account, checked) -> tuple[dict[int, int], dict[str, int]]:
    """Members of this account named in the batch, by id and by email (one query each)."""
    ids = {c["member_id"] for c, _ in checked if "member_id" in c}
    emails = {c["member_email"] for c, _ in checked if "member_email" in c}
    in_account = Member.objects.filter(account=account)
    by_id = {pk: pk for pk in in_account.filter(pk__in=ids).values_list("pk", flat=True)}
    by_email = dict(in_account.filter(email__in=emails).values_list("email", "pk"))
    return by_id, by_email


def ingest_work_events(*, actor: Actor, events: list) -> IngestReport:
    policy.require(actor, "work_events.write")
    if not isinstance(events, list):
        raise ValidationFailed({"events": gettext("must be a list of events")})
    if len(events) > MAX_EVENTS:
        raise ValidationFailed(
            {"events": gettext("at most %(limit)s events per request") % {"limit": MAX_EVENTS}}
        )
    now = clock.now()
    checked = [_check(raw, now) for raw in events]
    by_id, by_email = _members_of(actor.account, checked)
    for clean, errors in checked:
        if "member_id" in clean and clean["member_id"] not in by_id:
            errors["member_id"] = gettext("no member with this id in the account")
        if "member_email" in clean and clean["member_email"] not in by_email:
            errors["member_email"] = gettext("no member with this email in the account")
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _store(actor, checked, by_id, by_email, now)
        except IntegrityError:
            # A concurrent post stored some of the same ids first: look again, once.
            continue
    raise ValidationFailed(
        {"events": gettext("the same events are being posted concurrently; retry")}
    )


def _store(actor, checked, by_id, by_email, now) -> IngestReport:
    wanted = {c["event_id"] for c, e in checked if not e and "event_id" in c}
    stored = set(
        WorkEvent.objects.filter(account=actor.account, event_id__in=wanted).values_list(
            "event_id", flat=True
        )
    )
    results, rows, seen = [], [], set()
    for index, (clean, errors) in enumerate(checked):
        event_id = clean.get("event_id")
        if errors:
            results.append(EventResult(index, event_id, "rejected", dict(errors)))
            continue
        if event_id in stored or event_id in seen:
            results.append(EventResult(index, event_id, "duplicate"))
            continue
        seen.add(event_id)
        member_id = by_id.get(clean.get("member_id")) or by_email.get(clean.get("member_email"))
        rows.append(
            WorkEvent(
                account_id=actor.account.pk,  # the id: cheaper than the relation, per row
                member_id=member_id,
                kind=clean["kind"],
                event_id=event_id,
                occurred_at=clean["occurred_at"],
                response_seconds=clean.get("response_seconds"),
                score=clean.get("score"),
                ticket_ref=clean.get("ticket_ref", ""),
                received_at=now,
            )
        )
        results.append(EventResult(index, event_id, "accepted"))
    WorkEvent.objects.bulk_create(rows, batch_size=500)
    report = IngestReport(results)
    if rows:
        record(
            actor,
            "work.events_received",
            None,
            after={
                "accepted": len(rows),
                "duplicates": report.count("duplicate"),
                "rejected": report.count("rejected"),
            },
            target_display="work events",
        )
    return report
