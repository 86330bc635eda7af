"""Delivering outbox rows (API-5, FAIL-3): claim with a lease, send, keep the attempt, retry.

A row is claimed by setting `claimed_until` (a lease) so that two workers never send it at
the same time; a worker that dies simply lets its lease run out and the next worker takes the
row. The email's Message-ID is the row's idempotency key, so a repeat after a crash between
"sent" and "marked sent" is recognisable by the receiver; a row marked sent is never sent again.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Min, Q
from django_tasks import task

from crewbase.core import clock
from crewbase.core.mail import delivery_backend
from crewbase.core.models import OutboxAttempt, OutboxKind, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# Longer than any single send can take (SMTP timeout is 30 s), short enough that a crashed
# worker's rows move on within minutes.
LEASE = timedelta(minutes=5)
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
MAX_ATTEMPTS = 10
_MESSAGE_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def retry_delay(attempts_so_far: int) -> timedelta:
    """30 s after the first failure, doubling, never more than an hour."""
    exponent = max(attempts_so_far - 1, 0)
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** min(exponent, 20), MAX_RETRY_SECONDS))


class DeliverySession:
    """What one batch shares: a mail connection opened on first use and reopened after errors."""

    def __init__(self):
        self._mail = None

    def send_mail(self, email: EmailMessage) -> None:
        if self._mail is None:
            self._mail = delivery_backend()
            self._mail.open()
        try:
            if self._mail.send_messages([email]) != 1:
                raise RuntimeError("the mail server did not accept the message")
        except Exception:
            self._drop_mail()  # the connection may be broken; the next message opens a new one
            raise

    def _drop_mail(self) -> None:
        mail, self._mail = self._mail, None
        if mail is not None:
            try:
                mail.close()
            except Exception:  # closing a dead connection can fail too; nothing to keep
                logger.debug("closing the mail connection failed", exc_info=True)

    def close(self) -> None:
        self._drop_mail()

    def __enter__(self) -> DeliverySession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def message_id(message: OutboxMessage) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "crewbase.local"
    return f"<{_MESSAGE_ID_UNSAFE.sub('-', message.idempotency_key)}@{domain}>"


def send_email(message: OutboxMessage, session: DeliverySession) -> None:
    payload = message.payload
    email = EmailMessage(
        subject=payload.get("subject", ""),
        body=payload.get("body", ""),
        from_email=payload.get("from") or settings.DEFAULT_FROM_EMAIL,
        to=[payload["to"]],
        headers={"Message-ID": message_id(message), "X-Crewbase-Key": message.idempotency_key},
    )
    session.send_mail(email)


# kind -> function that delivers one row or raises. Another kind (webhooks) plugs in here.
SENDERS: dict[str, Callable[[OutboxMessage, DeliverySession], None]] = {
    OutboxKind.EMAIL: send_email,
}


def register_sender(kind: str, sender: Callable[[OutboxMessage, DeliverySession], None]) -> None:
    SENDERS[kind] = sender


def _claimable(now) -> Q:
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now, kind__in=list(SENDERS)) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )


def claim_due(batch: int = 50) -> list[OutboxMessage]:
    """Lease up to `batch` due rows to this worker.

    PostgreSQL: FOR UPDATE SKIP LOCKED lets concurrent workers take different rows.
    SQLite: select_for_update is a no-op there, but our transactions start IMMEDIATE (one
    writer at a time), and the UPDATE re-checks the lease, so a row is claimed once.
    """
    now = clock.now()
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.filter(_claimable(now))
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:batch]
        )
        if not ids:
            return []
        OutboxMessage.objects.filter(_claimable(now), pk__in=ids).update(claimed_until=now + LEASE)
        return list(
            OutboxMessage.objects.filter(pk__in=ids, claimed_until=now + LEASE).order_by(
                "next_attempt_at", "id"
            )
        )


@dataclass
class Outcome:
    message: OutboxMessage
    result: str  # "sent", "retry", "failed", "skipped"
    error: str = ""

    def describe(self) -> str:
        row = self.message
        to = row.payload.get("to", "") if isinstance(row.payload, dict) else ""
        where = f"{row.kind} {row.idempotency_key}" + (f" to {to}" if to else "")
        if self.result == "sent":
            return f"sent {where}"
        if self.result == "retry":
            return (
                f"attempt {row.attempts} of {where} failed ({self.error}); "
                f"next try at {row.next_attempt_at:%Y-%m-%d %H:%M:%S} UTC"
            )
        if self.result == "failed":
            return f"gave up on {where} after {row.attempts} attempts ({self.error})"
        return f"skipped {where}: already {row.status}"


def deliver(message: OutboxMessage, session: DeliverySession | None = None) -> Outcome:
    """Send one claimed row and record the attempt; never sends a row that is already sent."""
    current = OutboxMessage.objects.filter(pk=message.pk).first()
    if current is None or current.status != OutboxStatus.PENDING:
        return Outcome(current or message, "skipped")
    sender = SENDERS.get(current.kind)
    started = clock.now()
    error = ""
    own_session = session is None
    session = session or DeliverySession()
    try:
        if sender is None:
            raise LookupError(f"no sender for outbox kind {current.kind!r}")
        sender(current, session)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000] or type(exc).__name__
    finally:
        if own_session:
            session.close()
    return _record_attempt(current, started=started, error=error)


def _record_attempt(message: OutboxMessage, *, started, error: str) -> Outcome:
    finished = clock.now()
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        OutboxAttempt.objects.create(
            message=row,
            started_at=started,
            finished_at=finished,
            succeeded=not error,
            error=error,
        )
        if row.status != OutboxStatus.PENDING:
            # Another worker finished it while we were sending (our lease had run out).
            return Outcome(row, "skipped")
        row.attempts += 1
        row.claimed_until = None
        if not error:
            row.status = OutboxStatus.SENT
            row.sent_at = finished
            row.last_error = ""
            result = "sent"
        elif row.attempts >= MAX_ATTEMPTS:
            row.status = OutboxStatus.FAILED
            row.last_error = error
            result = "failed"
        else:
            row.next_attempt_at = finished + retry_delay(row.attempts)
            row.last_error = error
            result = "retry"
        row.save(
            update_fields=[
                "attempts",
                "claimed_until",
                "status",
                "sent_at",
                "last_error",
                "next_attempt_at",
            ]
        )
    outcome = Outcome(row, result, error)
    logger.log(logging.INFO if result == "sent" else logging.WARNING, "%s", outcome.describe())
    return outcome


@dataclass
class DeliveryReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.result == result)

    @property
    def sent(self) -> int:
        return self.count("sent")

    def summary(self) -> str:
        return ", ".join(
            f"{self.count(r)} {r}" for r in ("sent", "retry", "failed", "skipped") if self.count(r)
        )


def deliver_due(limit: int = 200, batch: int = 50) -> DeliveryReport:
    """Deliver what is due now, at most `limit` rows, sharing one mail connection per batch."""
    report = DeliveryReport()
    while len(report.outcomes) < limit:
        rows = claim_due(min(batch, limit - len(report.outcomes)))
        if not rows:
            break
        with DeliverySession() as session:
            for row in rows:
                report.outcomes.append(deliver(row, session))
    return report


@task()
def deliver_due_task() -> int:
    """The django-tasks entry point: the worker runs it soon after a message is queued."""
    return deliver_due().sent


def enqueue_delivery() -> None:
    """Ask the worker to look at the outbox now; its periodic sweep covers a lost request."""
    try:
        from django_tasks_db.models import DBTaskResult

        # One waiting task is enough: it will see every row committed before it runs.
        if DBTaskResult.objects.ready().filter(task_path=deliver_due_task.module_path).exists():
            return
        deliver_due_task.enqueue()
    except Exception:
        # Called after the change committed: failing here must not fail the request.
        logger.exception("could not enqueue outbox delivery; the worker's sweep will pick it up")


def outbox_backlog() -> dict:
    """What /healthz reports: how many emails and webhooks wait, and for how long."""
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    oldest = pending.aggregate(oldest=Min("created_at"))["oldest"]
    age = max(int((clock.now() - oldest).total_seconds()), 0) if oldest else 0
    return {"outbox_pending": pending.count(), "oldest_pending_seconds": age}
