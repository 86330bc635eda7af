"""Roles: built-in ones are shared rows seeded by a migration; custom ones belong to an account."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class RoleQuerySet(models.QuerySet):
    def for_account(self, account):
        """Roles an account may use: the built-ins plus its own custom roles."""
        return self.filter(Q(account__isnull=True) | Q(account=account))


class Role(models.Model):
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    # Set only on built-in roles ("admin", "agent", …); custom roles have an empty key.
    builtin_key = models.CharField(max_length=32, blank=True, default="")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True, default="")
    permissions = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "account",
                Lower("name"),
                name="role_name_unique_per_account",
            ),
            models.UniqueConstraint(
                fields=["builtin_key"],
                condition=Q(account__isnull=True),
                name="builtin_role_key_unique",
            ),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.account_id is None

    @property
    def permission_set(self) -> frozenset[str]:
        return frozenset(self.permissions)
