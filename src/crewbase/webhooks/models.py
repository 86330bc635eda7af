"""Where an account's events go (API-4)."""

from django.db import models

from crewbase.webhooks import secrets

# After this many failed attempts in a row the endpoint is switched off and the owner told.
DISABLE_AFTER_FAILURES = 20


class WebhookEndpoint(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=2000)
    secret_encrypted = models.TextField()
    # Event types this endpoint receives; an empty list means every type.
    event_types = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.url

    @property
    def secret(self) -> str:
        return secrets.decrypt(self.secret_encrypted)

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class WebhookResponse(models.Model):
    """The HTTP status a receiver answered, kept for the delivery log (the outbox attempt
    row knows only success or failure). Matched to its attempt by time."""

    message = models.ForeignKey(
        "core.OutboxMessage", on_delete=models.CASCADE, related_name="webhook_responses"
    )
    status_code = models.PositiveSmallIntegerField()
    received_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"HTTP {self.status_code} for {self.message_id}"
