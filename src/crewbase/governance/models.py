"""Checklists (LIFE-6, LIFE-8), scheduled lifecycle changes (LIFE-9) and review campaigns (§14)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ChecklistKind(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding")
    OFFBOARDING = "offboarding", _("Offboarding")


class ChecklistItem(models.Model):
    """A manual item the account defines ("training completed", "reviewed for sensitive data")."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="checklist_items"
    )
    kind = models.CharField(max_length=12, choices=ChecklistKind.choices)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["account", "kind", "position"], name="gov_item_kind_idx")]

    def __str__(self) -> str:
        return self.title


class TickState(models.TextChoices):
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class ChecklistTick(models.Model):
    """Who ticked (or skipped) a manual item for a member, and when."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="ticks")
    member = models.ForeignKey(
        "people.Member", on_delete=models.CASCADE, related_name="checklist_ticks"
    )
    state = models.CharField(max_length=8, choices=TickState.choices, default=TickState.DONE)
    ticked_by = models.ForeignKey(
        "people.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticked_by_display = models.CharField(max_length=400, blank=True, default="")
    ticked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "item"], name="gov_tick_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item} for member {self.member_id}: {self.state}"


class OnboardingCompletion(models.Model):
    """When a member's onboarding was first seen complete (LIFE-8). It stays: a checklist item
    added later, or a queue left later, does not un-onboard a member; the users list filters on
    this indexed table instead of evaluating every fact for every row."""

    member = models.OneToOneField(
        "people.Member", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["account", "member"], name="gov_onboarded_idx")]

    def __str__(self) -> str:
        return f"member {self.member_id} onboarded {self.completed_at:%Y-%m-%d}"


class ScheduledAction(models.TextChoices):
    DEACTIVATE = "deactivate", _("Deactivate")
    REACTIVATE = "reactivate", _("Reactivate")


class ScheduleStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Carried out")
    CANCELLED = "cancelled", _("Cancelled")
    DROPPED = "dropped", _("Dropped")


class LifecycleSchedule(models.Model):
    """A deactivation or reactivation the worker carries out at `run_at` (LIFE-9)."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="lifecycle_schedules"
    )
    # SET_NULL: a schedule whose member was deleted is dropped with that reason, not lost.
    member = models.ForeignKey(
        "people.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lifecycle_schedules",
    )
    member_email = models.EmailField(max_length=254)
    action = models.CharField(max_length=12, choices=ScheduledAction.choices)
    run_at = models.DateTimeField()
    reason = models.CharField(max_length=20, blank=True, default="")
    reassign_to = models.ForeignKey(
        "people.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ScheduleStatus.choices, default=ScheduleStatus.PENDING
    )
    outcome = models.CharField(max_length=500, blank=True, default="")
    created_by_display = models.CharField(max_length=400, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="pending"), name="gov_one_pending_schedule"
            ),
        ]
        indexes = [
            # The worker's sweep: pending rows by due time.
            models.Index(
                fields=["run_at"], condition=Q(status="pending"), name="gov_schedule_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.member_email} at {self.run_at:%Y-%m-%d %H:%M} UTC"

    @property
    def reason_label(self) -> str:
        from crewbase.people.models import DeactivationReason

        return dict(DeactivationReason.choices).get(self.reason, self.reason)


class CampaignScope(models.TextChoices):
    ALL = "all", _("All members")
    ROLE = "role", _("Members with a role")
    TEAM = "team", _("Members of a team")


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SIGNED_OFF = "signed_off", _("Signed off")


class ReviewCampaign(models.Model):
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="review_campaigns"
    )
    name = models.CharField(max_length=200)
    scope = models.CharField(max_length=8, choices=CampaignScope.choices)
    scope_label = models.CharField(max_length=200, blank=True, default="")
    # Gets the reminders; anyone holding users.manage may decide items.
    reviewer = models.ForeignKey(
        "people.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by_display = models.CharField(max_length=400)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    signed_off_by_display = models.CharField(max_length=400, blank=True, default="")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the canonical record and an HMAC of it with the server's secret key.
    record_hash = models.CharField(max_length=64, blank=True, default="")
    record_signature = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["account", "status"], name="gov_campaign_status_idx")]

    def __str__(self) -> str:
        return self.name


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CHANGED = "changed", _("Changed")
    REVOKED = "revoked", _("Revoked")


class ReviewItem(models.Model):
    """One member's access as it was when the review started, and the decision on it."""

    campaign = models.ForeignKey(ReviewCampaign, on_delete=models.CASCADE, related_name="items")
    member = models.ForeignKey(
        "people.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_email = models.EmailField(max_length=254)
    member_display = models.CharField(max_length=301)
    access = models.JSONField(default=dict)  # role, agent access, teams, owner at start
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True, default="")
    note = models.CharField(max_length=500, blank=True, default="")
    detail = models.JSONField(default=dict, blank=True)
    decided_by_display = models.CharField(max_length=400, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["member_display", "id"]
        indexes = [models.Index(fields=["campaign", "decision"], name="gov_item_decision_idx")]

    def __str__(self) -> str:
        return f"{self.member_email} in {self.campaign}"
