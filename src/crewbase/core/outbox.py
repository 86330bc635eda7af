"""Queueing mail: rendered now, inside the caller's transaction; delivered later by the worker."""

import uuid

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from crewbase.core import clock
from crewbase.core.models import OutboxKind, OutboxMessage


def queue_email(
    *, account, to: str, template: str, context: dict, key: str | None = None
) -> OutboxMessage:
    """Render `emails/<template>_subject.txt` and `_body.txt` and store them for delivery."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("queue_email() must run inside the transaction of the change")
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"emails/{template}_body.txt", context)
    message = OutboxMessage.objects.create(
        account=account,
        kind=OutboxKind.EMAIL,
        idempotency_key=key or f"{template}-{uuid.uuid4().hex}",
        payload={
            "to": to,
            "from": settings.DEFAULT_FROM_EMAIL,
            "subject": " ".join(subject.split()),
            "body": body,
            "template": template,
        },
        next_attempt_at=clock.now(),
    )
    transaction.on_commit(_wake_worker)
    return message


def _wake_worker() -> None:
    # The worker also sweeps due rows on its own; this only shortens the wait.
    from crewbase.core.delivery import enqueue_delivery

    enqueue_delivery()
