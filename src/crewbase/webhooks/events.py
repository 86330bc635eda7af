"""emit(): one outbox row per subscribed endpoint, inside the caller's transaction (API-4)."""

from __future__ import annotations

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.models import OutboxKind, OutboxMessage

EVENT_TYPES = (
    "member.invited",
    "member.joined",
    "member.role_changed",
    "member.deactivated",
    "member.reactivated",
    "member.deleted",
    "account.ownership_transferred",
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


def queue_event(endpoint, event_type: str, data: dict, *, created_at, event_id=None):
    key = f"whk_{uuid.uuid4().hex}"
    return OutboxMessage.objects.create(
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
        next_attempt_at=clock.now(),
    )


def _wake_worker() -> None:
    from crewbase.core.delivery import enqueue_delivery

    enqueue_delivery()
