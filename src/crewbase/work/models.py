"""Work events posted by the host application, and the presence it sets (ACT-6, LIST-4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkKind(models.TextChoices):
    TICKET_HANDLED = "ticket_handled", _("Ticket handled")
    REPLY_SENT = "reply_sent", _("Reply sent")
    CALL_HANDLED = "call_handled", _("Call handled")
    TICKET_RESOLVED = "ticket_resolved", _("Ticket resolved")
    CSAT = "csat", _("CSAT score")


class WorkEvent(models.Model):
    """One thing a member did in the host application. Immutable once stored.

    A table of its own rather than activity-log rows: the host posts them by the thousand,
    and each would otherwise take the account's activity-chain lock (ACT-5).
    """

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    # Plain id: a deleted member's figures stay (LIFE-4), like the activity log.
    member_id = models.BigIntegerField()
    kind = models.CharField(max_length=20, choices=WorkKind.choices)
    # The host's own id for the event: a retried post carrying it again changes nothing.
    event_id = models.CharField(max_length=200)
    occurred_at = models.DateTimeField()
    response_seconds = models.PositiveIntegerField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    ticket_ref = models.CharField(max_length=200, blank=True, default="")
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "event_id"], name="work_event_id_unique"),
        ]
        indexes = [
            models.Index(fields=["member_id", "occurred_at"], name="work_member_time_idx"),
            models.Index(fields=["member_id", "kind", "occurred_at"], name="work_member_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


class PresenceStatus(models.TextChoices):
    ONLINE = "online", _("Online")
    AWAY = "away", _("Away")
    OFFLINE = "offline", _("Offline")


class Presence(models.Model):
    """When the member was last active here, and the status the host last set, if any."""

    member = models.OneToOneField(
        "people.Member", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(null=True, blank=True)
    host_status = models.CharField(
        max_length=10, choices=PresenceStatus.choices, blank=True, default=""
    )
    host_status_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["account", "seen_at"], name="presence_seen_idx"),
            models.Index(
                fields=["account", "host_status", "host_status_at"], name="presence_host_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"presence of member {self.member_id}"
