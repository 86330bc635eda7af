"""A webhook endpoint with one queued delivery, for the authz matrix's webhook rows."""

from django.db import transaction
from django.test import override_settings

from crewbase.webhooks.actions import create_webhook_endpoint
from crewbase.webhooks.events import emit
from tests.conftest import actor_for


def webhook_values(owner) -> dict:
    """$webhook and $webhook_delivery of tests/authz/matrix.yaml."""
    actor = actor_for(owner)
    # Port 9 (discard): nothing in the matrix runs the worker, so it is never contacted.
    # Subscribed to one type only, so the other rows' actions queue nothing for it.
    with override_settings(CREWBASE_WEBHOOK_ALLOW_PRIVATE=True):  # loopback: see ssrf.py
        endpoint, _ = create_webhook_endpoint(
            actor=actor, url="http://127.0.0.1:9/hook", event_types=["member.reactivated"]
        )
    with transaction.atomic():
        (row,) = emit(actor, "member.reactivated", {"member_id": owner.pk})
    return {"webhook": endpoint.pk, "webhook_delivery": row.pk}
