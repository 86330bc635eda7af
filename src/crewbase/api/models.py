"""API tokens: act as the member who made them, narrowed to their scopes (API-2)."""

from django.db import models

from crewbase.core import clock


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = clock.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="api_tokens"
    )
    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=120)
    # The first characters of the token, shown so people can tell their tokens apart.
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
