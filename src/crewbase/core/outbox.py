"""Queueing mail: rendered now, inside the caller's transaction; delivered later by the worker.

Every email is rendered in its recipient's language (SELF-1, core/language.py). The worker
only sends the stored subject and body, so when and where it runs changes nothing.
"""

import uuid

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from crewbase.core import clock
from crewbase.core.language import recipient_language
from crewbase.core.models import OutboxKind, OutboxMessage


def queue_email(
    *, account, to: str, template: str, context: dict, key: str | None = None
) -> OutboxMessage:
    """Render `<template>_subject.txt` and `_body.txt` in the recipient's language and store
    them for delivery. A bare name is looked up in `emails/`; one with a folder as given
    (e.g. "mfa/email/reset")."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("queue_email() must run inside the transaction of the change")
    prefix = template if "/" in template else f"emails/{template}"
    with translation.override(recipient_language(to)):
        subject = render_to_string(f"{prefix}_subject.txt", context).strip()
        body = render_to_string(f"{prefix}_body.txt", context)
    message = OutboxMessage.objects.create(
        account=account,
        kind=OutboxKind.EMAIL,
        idempotency_key=key or f"{prefix.rsplit('/', 1)[-1]}-{uuid.uuid4().hex}",
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
