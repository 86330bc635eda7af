"""The activity log: append-only rows, each chained to the previous one by a hash (ACT-5)."""

from django.db import models


class ActivityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("activity events are append-only")

    def delete(self):
        raise TypeError("activity events are append-only")


class ActivityEvent(models.Model):
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="activity"
    )
    seq = models.PositiveBigIntegerField()
    action = models.CharField(max_length=64)
    actor_kind = models.CharField(max_length=16)
    # Plain ids, not foreign keys: a deleted member's history must not change (LIFE-4).
    actor_member_id = models.BigIntegerField(null=True, blank=True)
    actor_display = models.CharField(max_length=400)
    target_type = models.CharField(max_length=32, blank=True, default="")
    target_id = models.BigIntegerField(null=True, blank=True)
    target_display = models.CharField(max_length=400, blank=True, default="")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True, default="")
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = ActivityEventQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "seq"], name="activity_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["account", "created_at", "id"], name="activity_time_idx"),
            models.Index(fields=["account", "action", "created_at"], name="activity_action_idx"),
            models.Index(
                fields=["account", "actor_member_id", "created_at"], name="activity_actor_idx"
            ),
            models.Index(
                fields=["account", "target_type", "target_id", "created_at"],
                name="activity_target_idx",
            ),
        ]
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("activity events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("activity events are append-only")


class ActivityChainHead(models.Model):
    """The last link of each account's chain; locking it orders concurrent writers."""

    account = models.OneToOneField(
        "accounts.Account", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"chain head of account {self.account_id}"
