"""Webhook endpoints: create, update, delete, redeliver one event (API-4; security.manage)."""

from __future__ import annotations

import secrets as random_secrets
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict, NotFound, ValidationFailed
from crewbase.core.models import OutboxKind, OutboxMessage, OutboxStatus
from crewbase.webhooks import ordering, secrets, ssrf
from crewbase.webhooks.events import EVENT_TYPES, _wake_worker, queue_event
from crewbase.webhooks.models import WebhookEndpoint

MAX_URL_LENGTH = 2000


def _url_problem(url) -> str | None:
    if not isinstance(url, str) or not url.strip():
        return gettext("enter the URL that receives the events")
    if len(url) > MAX_URL_LENGTH:
        return gettext("must be at most %(limit)s characters") % {"limit": MAX_URL_LENGTH}
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return gettext("is not a valid URL")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return gettext("must be an http:// or https:// URL")
    return ssrf.registration_problem(url)


def _event_types_problem(event_types) -> str | None:
    if not isinstance(event_types, list | tuple) or not all(
        isinstance(t, str) for t in event_types
    ):
        return gettext("must be a list of event types")
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown:
        return gettext("unknown event types: %(types)s") % {"types": ", ".join(unknown)}
    return None


def create_webhook_endpoint(
    *, actor: Actor, url: str, event_types=(), active: bool = True
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint; returns it with its signing secret (shown once)."""
    policy.require(actor, "security.manage")
    errors = {}
    if problem := _url_problem(url):
        errors["url"] = problem
    if problem := _event_types_problem(event_types):
        errors["event_types"] = problem
    if errors:
        raise ValidationFailed(errors)
    secret = "whsec_" + random_secrets.token_hex(32)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            account=actor.account,
            url=url.strip(),
            secret_encrypted=secrets.encrypt(secret),
            event_types=sorted(set(event_types)),
            active=bool(active),
        )
        record(
            actor,
            "webhook.created",
            endpoint,
            after={"url": endpoint.url, "event_types": endpoint.event_types},
        )
    return endpoint, secret


def update_webhook_endpoint(*, actor: Actor, endpoint: WebhookEndpoint, changes: dict):
    """Change url, event_types or active; switching on again clears the failure count."""
    policy.require(actor, "security.manage", target=endpoint)
    errors = {}
    unknown = sorted(set(changes) - {"url", "event_types", "active"})
    for name in unknown:
        errors[str(name)] = gettext("is not an editable field")
    if "url" in changes and (problem := _url_problem(changes["url"])):
        errors["url"] = problem
    if "event_types" in changes and (problem := _event_types_problem(changes["event_types"])):
        errors["event_types"] = problem
    if "active" in changes and not isinstance(changes["active"], bool):
        errors["active"] = gettext("must be true or false")
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        before = {
            "url": endpoint.url,
            "event_types": endpoint.event_types,
            "active": endpoint.active,
        }
        if "url" in changes:
            endpoint.url = changes["url"].strip()
        if "event_types" in changes:
            endpoint.event_types = sorted(set(changes["event_types"]))
        if "active" in changes:
            if changes["active"] and not endpoint.active:
                endpoint.consecutive_failures = 0
                endpoint.disabled_at = None
            endpoint.active = changes["active"]
        endpoint.save()
        if endpoint.active:
            # Events that waited while it was off go out again, oldest first.
            ordering.release_next(endpoint.pk)
        after = {
            "url": endpoint.url,
            "event_types": endpoint.event_types,
            "active": endpoint.active,
        }
        if after != before:
            record(actor, "webhook.updated", endpoint, before=before, after=after)
        return endpoint


def delete_webhook_endpoint(*, actor: Actor, endpoint: WebhookEndpoint) -> None:
    policy.require(actor, "security.manage", target=endpoint)
    with transaction.atomic():
        record(actor, "webhook.deleted", endpoint, before={"url": endpoint.url})
        # Its queued events have nowhere to go: close them instead of retrying for hours.
        OutboxMessage.objects.filter(
            account=actor.account,
            kind=OutboxKind.WEBHOOK,
            status=OutboxStatus.PENDING,
            payload__endpoint_id=endpoint.pk,
        ).update(status=OutboxStatus.FAILED, last_error="the webhook was deleted")
        endpoint.delete()


def redeliver_webhook(*, actor: Actor, endpoint: WebhookEndpoint, delivery_id: int):
    """Queue the event of one past delivery again, same event id, freshly signed."""
    policy.require(actor, "security.manage", target=endpoint)
    original = OutboxMessage.objects.filter(
        pk=delivery_id,
        account=actor.account,
        kind=OutboxKind.WEBHOOK,
        payload__endpoint_id=endpoint.pk,
    ).first()
    if original is None:
        raise NotFound(
            gettext("No delivery with id %(id)s for this webhook.") % {"id": delivery_id}
        )
    if not endpoint.active:
        raise Conflict(
            gettext("The webhook is disabled; switch it on before redelivering."),
            errors={"webhook": gettext("disabled")},
        )
    event = original.payload["event"]
    with transaction.atomic():
        row = queue_event(
            endpoint,
            event["type"],
            event["data"],
            created_at=clock.now(),
            event_id=event["id"],
        )
        # The receiver de-duplicates on the event id, so the original stays the id it sees.
        row.payload["event"]["created_at"] = event["created_at"]
        row.save(update_fields=["payload"])
        record(
            actor,
            "webhook.redelivered",
            endpoint,
            after={"event_id": event["id"], "delivery_id": row.pk},
        )
        transaction.on_commit(_wake_worker)
    return row
