"""Bulk jobs over many members (LIST-3) and uploaded CSV invitation lists (INV-7).

A job's rows are written when the job is created, one per selected member, all "pending".
The runner turns a pending row into its result in the same transaction as the row's action,
so a restarted worker continues with the rows still pending and never repeats one (FAIL-3).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BulkKind(models.TextChoices):
    CHANGE_ROLE = "change_role", _("Change role")
    ADD_TO_TEAM = "add_to_team", _("Add to team")
    REMOVE_FROM_TEAM = "remove_from_team", _("Remove from team")
    ADD_SKILL = "add_skill", _("Add skill")
    DEACTIVATE = "deactivate", _("Deactivate")
    REACTIVATE = "reactivate", _("Reactivate")
    RESEND_INVITATIONS = "resend_invitations", _("Resend invitations")
    AGENT_ACCESS_ON = "agent_access_on", _("Turn agent access on")
    AGENT_ACCESS_OFF = "agent_access_off", _("Turn agent access off")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")


class RowOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    CHANGED = "changed", _("Changed")
    UNCHANGED = "unchanged", _("Unchanged")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class BulkJob(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    # Who started it, kept so the worker acts as them (their permissions, checked per row).
    actor_member = models.ForeignKey(
        "people.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_kind = models.CharField(max_length=20, default="member")
    actor_token_id = models.BigIntegerField(null=True, blank=True)
    actor_scopes = models.JSONField(null=True, blank=True)
    actor_display = models.CharField(max_length=400, blank=True, default="")
    actor_ip = models.GenericIPAddressField(null=True, blank=True)
    actor_user_agent = models.CharField(max_length=400, blank=True, default="")
    # The starter's language: rows the worker runs write their notes and emails in it, as the
    # rows run in the starter's request do.
    language = models.CharField(max_length=10, blank=True, default="")

    kind = models.CharField(max_length=30, choices=BulkKind.choices)
    params = models.JSONField(default=dict)
    # What was selected: {"member_ids": [...]} or {"filter": {...}} as the admin gave it.
    selection = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    total = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # One runner at a time: a lease, like the outbox's, that a crashed runner lets run out.
    claimed_by = models.CharField(max_length=64, blank=True, default="")
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "-created_at"], name="bulkjob_account_idx")]

    def __str__(self) -> str:
        return f"bulk job {self.pk} ({self.kind}, {self.status})"

    @property
    def done_count(self) -> int:
        return self.changed + self.unchanged + self.skipped + self.failed

    @property
    def percent(self) -> int:
        return int(self.done_count * 100 / self.total) if self.total else 100


class BulkJobRow(models.Model):
    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="rows")
    member = models.ForeignKey(
        "people.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept for the report: a member deleted later still shows who the row was about.
    email = models.CharField(max_length=254)
    outcome = models.CharField(
        max_length=10, choices=RowOutcome.choices, default=RowOutcome.PENDING
    )
    message = models.CharField(max_length=500, blank=True, default="")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["job", "outcome", "id"], name="bulkrow_job_outcome_idx")]
        constraints = [
            models.UniqueConstraint(fields=["job", "member"], name="bulkrow_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.outcome}"


class ImportStatus(models.TextChoices):
    REVIEWED = "reviewed", _("Reviewed, not sent")
    QUEUED = "queued", _("Queued for sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not sent")


class CsvImport(models.Model):
    """An uploaded invitation list, kept between its review and the admin's confirmation."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        "people.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True, default="")
    content = models.TextField()
    row_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.REVIEWED
    )
    invited_count = models.PositiveIntegerField(default=0)
    # Set when sent: who confirmed which rows (the worker sends a queued file as them).
    sent_by = models.ForeignKey(
        "people.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_rows = models.JSONField(null=True, blank=True)
    # Why a queued file was not sent after all (nothing was).
    failure = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"CSV import {self.pk} ({self.filename or 'upload'}, {self.status})"
