"""emit(): one outbox row per subscribed endpoint, inside the caller's transaction (API-4)."""

from __future__ import annotations

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.models import OutboxKind, OutboxMessage
from crewbase.webhooks import ordering

EVENT_TYPES = (
    "member.invited",
    "member.joined",
    "member.role_changed",
    "member.deactivated",
    "member.reactivated",
    "member.deleted",
    "account.ownership_transferred",
    "team.created",
    "team.updated",
    "team.deleted",
    "team.members_added",
    "team.members_removed",
    "role.created",
    "role.updated",
    "role.deleted",
)


def _plain(data: dict) -> dict:
    # Dates and the like become strings now, so the stored payload is exactly what is sent.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def emit(actor: Actor, event_type: str, data: dict) -> list[OutboxMessage]:
    from crewbase.webhooks.models import WebhookEndpoint

    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("emit() must run inside the transaction of the change")
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(account=actor.account, active=True)
        if e.wants(event_type)
    ]
    rows = []
    created_at = clock.now()
    for endpoint in endpoints:
        rows.append(queue_event(endpoint, event_type, _plain(data), created_at=created_at))
    if rows:
        transaction.on_commit(_wake_worker)
    return rows


def emit_group_change(actor: Actor, kind: str, change: str, group, members=(), **extra):
    """Team events for org/actions.py, whose helpers serve teams and divisions alike."""
    if kind != "team":
        return []
    data = {"team": {"id": group.pk, "name": group.name, "description": group.description}}
    if members:
        data["members"] = [{"id": m.pk, "email": m.email} for m in members]
    return emit(actor, f"team.{change}", {**data, **extra})


def emit_role_change(actor: Actor, change: str, role, **extra):
    """Role events for access/actions.py; permissions as they are after the change."""
    data = {"role": {"id": role.pk, "name": role.name, "permissions": sorted(role.permissions)}}
    return emit(actor, f"role.{change}", {**data, **extra})


def queue_event(endpoint, event_type: str, data: dict, *, created_at, event_id=None):
    key = f"whk_{uuid.uuid4().hex}"
    # Behind any event still waiting for this endpoint: delivered in order (ordering.py).
    due_at = ordering.first_due_at(endpoint.pk)
    row = OutboxMessage.objects.create(
        account_id=endpoint.account_id,
        kind=OutboxKind.WEBHOOK,
        idempotency_key=key,
        payload={
            "endpoint_id": endpoint.pk,
            "event": {
                "id": event_id or key,
                "type": event_type,
                "created_at": created_at.isoformat(),
                "account_id": endpoint.account_id,
                "data": data,
            },
        },
        next_attempt_at=due_at,
    )
    # If the chain lost its head (a crash between delivering and releasing), this restarts it.
    ordering.release_next(endpoint.pk)
    return row


def _wake_worker() -> None:
    from crewbase.core.delivery import enqueue_delivery

    enqueue_delivery()
