"""Reading webhook endpoints and their delivery log, always inside the actor's account."""

from __future__ import annotations

from crewbase.access import policy
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound
from crewbase.core.models import OutboxKind, OutboxMessage
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
        raise NotFound(f"No webhook with id {endpoint_id} in this account.")
    return found


def deliveries(actor: Actor, endpoint: WebhookEndpoint, limit: int = 100):
    """Newest first, each with its attempts (time, outcome, latency)."""
    policy.require(actor, "security.manage", target=endpoint)
    return list(
        OutboxMessage.objects.filter(
            account=actor.account, kind=OutboxKind.WEBHOOK, payload__endpoint_id=endpoint.pk
        )
        .prefetch_related("attempt_log")
        .order_by("-id")[:limit]
    )
