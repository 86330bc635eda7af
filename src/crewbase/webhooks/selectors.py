"""Reading webhook endpoints and their delivery log, always inside the actor's account."""

from __future__ import annotations

from django.utils.translation import gettext

from crewbase.access import policy
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound
from crewbase.core.models import OutboxKind, OutboxMessage
from crewbase.webhooks import ordering
from crewbase.webhooks.models import WebhookEndpoint

MAX_ID = 2**63 - 1


def endpoints_visible_to(actor: Actor):
    policy.require(actor, "security.manage")
    return WebhookEndpoint.objects.filter(account=actor.account).order_by("id")


def get_endpoint(actor: Actor, endpoint_id: int) -> WebhookEndpoint:
    found = (
        WebhookEndpoint.objects.filter(account=actor.account, pk=endpoint_id).first()
        if isinstance(endpoint_id, int) and 1 <= endpoint_id <= MAX_ID
        else None
    )
    if found is None:
        raise NotFound(gettext("No webhook with id %(id)s in this account.") % {"id": endpoint_id})
    return found


def deliveries(actor: Actor, endpoint: WebhookEndpoint, limit: int = 100):
    """Newest first, each with its attempts (time, outcome, latency)."""
    policy.require(actor, "security.manage", target=endpoint)
    rows = list(
        OutboxMessage.objects.filter(
            account=actor.account, kind=OutboxKind.WEBHOOK, payload__endpoint_id=endpoint.pk
        )
        .prefetch_related("attempt_log", "webhook_responses")
        .order_by("-id")[:limit]
    )
    for row in rows:
        _attach_status_codes(row)
    return rows


def _attach_status_codes(row) -> None:
    """Each attempt gets the HTTP status answered during it (None: no answer at all)."""
    responses = list(row.webhook_responses.all())
    row.attempts_logged = sorted(row.attempt_log.all(), key=lambda a: a.started_at)
    for attempt in row.attempts_logged:
        attempt.status_code = next(
            (
                r.status_code
                for r in responses
                if attempt.started_at <= r.received_at <= attempt.finished_at
            ),
            None,
        )
        attempt.latency_ms = int((attempt.finished_at - attempt.started_at).total_seconds() * 1000)
    row.waiting = ordering.is_parked(row)


def delivery(actor: Actor, endpoint: WebhookEndpoint, delivery_id: int):
    """One delivery of the endpoint, shaped like a row of `deliveries`."""
    policy.require(actor, "security.manage", target=endpoint)
    row = (
        OutboxMessage.objects.filter(
            account=actor.account,
            kind=OutboxKind.WEBHOOK,
            payload__endpoint_id=endpoint.pk,
            pk=delivery_id,
        )
        .prefetch_related("attempt_log", "webhook_responses")
        .first()
    )
    if row is None:
        raise NotFound(
            gettext("No delivery with id %(id)s for this webhook.") % {"id": delivery_id}
        )
    _attach_status_codes(row)
    return row
