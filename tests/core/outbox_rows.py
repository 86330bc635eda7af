"""Queueing plain test messages through the real outbox, each in its own transaction."""

from django.db import transaction

from crewbase.core.models import OutboxMessage
from crewbase.core.outbox import queue_email


def queue_plain(to: str = "ann@example.com", subject: str = "Hello", key: str | None = None):
    with transaction.atomic():
        return queue_email(
            account=None,
            to=to,
            template="rendered",
            context={"subject": subject, "body": f"Hello {to}, see http://example.com/x"},
            key=key,
        )


def reload(row: OutboxMessage) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=row.pk)
