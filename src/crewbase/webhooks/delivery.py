"""The outbox sender for webhook rows: sign, POST, count failures, disable after too many.

A receiver has TIMEOUT_SECONDS to answer: the worker delivers one row at a time, so a slow
receiver must not hold everyone else's events. With one event per endpoint in flight
(ordering.py) a receiver that never answers costs one timeout per retry, however many
events wait for it.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.db.models import F

from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.delivery import MAX_ATTEMPTS
from crewbase.core.outbox import queue_email
from crewbase.webhooks import ordering, signing, ssrf, transport
from crewbase.webhooks.models import DISABLE_AFTER_FAILURES, WebhookEndpoint, WebhookResponse

TIMEOUT_SECONDS = 5


class EndpointGone(Exception):
    """The endpoint was deleted or switched off after the event was queued."""


def body_of(payload: dict) -> bytes:
    return json.dumps(payload["event"], sort_keys=True, separators=(",", ":")).encode()


def send_webhook(message, session=None) -> None:
    endpoint_id = message.payload.get("endpoint_id")
    try:
        _send(message, endpoint_id)
    except EndpointGone:
        # Switched off: the events behind this one wait for it to be switched on again.
        raise
    except Exception:
        if message.attempts + 1 >= MAX_ATTEMPTS:
            # This row is given up on now; the next event of the endpoint may go.
            ordering.release_next(endpoint_id, after_id=message.pk)
        raise
    ordering.release_next(endpoint_id, after_id=message.pk)


def _send(message, endpoint_id) -> None:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None or not endpoint.active:
        raise EndpointGone("the endpoint is deleted or disabled")
    body = body_of(message.payload)
    timestamp = int(clock.now().timestamp())
    headers = signing.signed_headers(
        endpoint.secret, message.payload["event"]["id"], body, timestamp
    )
    try:
        status_code = transport.post(endpoint.url, body, headers, timeout=TIMEOUT_SECONDS)
    except ssrf.BlockedAddress as exc:
        _count_failure(endpoint)
        raise ConnectionError(f"refused: {exc}") from None
    except transport.NoResponse:
        _count_failure(endpoint)
        raise
    except ConnectionError as exc:  # the name did not resolve
        _count_failure(endpoint)
        raise ConnectionError(f"no response: {exc}") from None
    WebhookResponse.objects.create(
        message_id=message.pk, status_code=status_code, received_at=clock.now()
    )
    if not 200 <= status_code < 300:
        _count_failure(endpoint)
        raise RuntimeError(f"HTTP {status_code}")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)


def _count_failure(endpoint: WebhookEndpoint) -> None:
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        row = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if row.active and row.consecutive_failures >= DISABLE_AFTER_FAILURES:
            _disable(row)


def _disable(endpoint: WebhookEndpoint) -> None:
    from crewbase.audit.record import record
    from crewbase.people.models import Member

    endpoint.active = False
    endpoint.disabled_at = clock.now()
    endpoint.save(update_fields=["active", "disabled_at", "updated_at"])
    actor = Actor.system(endpoint.account, reason="webhook failures")
    record(
        actor,
        "webhook.disabled",
        endpoint,
        after={"url": endpoint.url, "consecutive_failures": endpoint.consecutive_failures},
    )
    owner = Member.objects.filter(account=endpoint.account, is_owner=True).first()
    if owner is not None:
        queue_email(
            account=endpoint.account,
            to=owner.email,
            template="webhook_disabled",
            context={"endpoint": endpoint, "failures": endpoint.consecutive_failures},
        )
