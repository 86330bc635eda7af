"""One event at a time per endpoint, oldest first, so a receiver sees them in order (API-4).

Only the oldest waiting event of an endpoint is due; the ones queued behind it are parked
(due at PARKED_UNTIL, which no sweep reaches). When the oldest is delivered, or given up
on, the next one is made due. A receiver that is down for an hour therefore gets the
backlog in the order the changes happened once it is back, and a slow or dead receiver
costs the worker one request per retry, not one per queued event.
"""

from __future__ import annotations

from datetime import UTC, datetime

from crewbase.core import clock
from crewbase.core.models import OutboxKind, OutboxMessage, OutboxStatus

PARKED_UNTIL = datetime(9999, 1, 1, tzinfo=UTC)


def waiting_for(endpoint_id: int):
    return OutboxMessage.objects.filter(
        kind=OutboxKind.WEBHOOK, status=OutboxStatus.PENDING, payload__endpoint_id=endpoint_id
    )


def first_due_at(endpoint_id: int):
    """When a new event of this endpoint may go: now if nothing waits, else parked."""
    return PARKED_UNTIL if waiting_for(endpoint_id).exists() else clock.now()


def release_next(endpoint_id: int, *, after_id: int | None = None) -> None:
    """Make the oldest waiting event due, unless it is already due (the chain's head)."""
    waiting = waiting_for(endpoint_id)
    if after_id is not None:
        waiting = waiting.exclude(pk=after_id)
    head = waiting.order_by("id").values("pk", "next_attempt_at").first()
    if head is not None and head["next_attempt_at"] >= PARKED_UNTIL:
        OutboxMessage.objects.filter(pk=head["pk"], next_attempt_at__gte=PARKED_UNTIL).update(
            next_attempt_at=clock.now()
        )


def is_parked(row: OutboxMessage) -> bool:
    return row.status == OutboxStatus.PENDING and row.next_attempt_at >= PARKED_UNTIL
