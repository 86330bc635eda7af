"""The outbox: every email and webhook, written in the transaction of the change that causes it."""

from django.db import models


class OutboxKind(models.TextChoices):
    EMAIL = "email", "Email"
    WEBHOOK = "webhook", "Webhook"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (gave up)"


class OutboxMessage(models.Model):
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=OutboxKind.choices)
    # Stable across retries: it becomes the email's Message-ID so a receiver can drop repeats.
    idempotency_key = models.CharField(max_length=120, unique=True)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # A worker that claims a row leases it until then; a crashed worker's lease runs out.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key} ({self.status})"


class OutboxAttempt(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    succeeded = models.BooleanField()
    error = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return f"attempt on {self.message_id} at {self.started_at:%Y-%m-%d %H:%M:%S}"


class WorkerHeartbeat(models.Model):
    """One row per running worker, touched every few seconds; /healthz reads the newest."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True, default="")
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} seen {self.seen_at:%Y-%m-%d %H:%M:%S}"
