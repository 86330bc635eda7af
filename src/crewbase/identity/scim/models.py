"""SCIM's side of the account: its bearer token, and what the identity provider says about
members and teams beyond the fields Crewbase keeps on them (SSO-4)."""

from django.db import models
from django.db.models.functions import Lower


class ScimToken(models.Model):
    """One bearer token per account, stored as a SHA-256 hash; rotating replaces the hash,
    so the old token stops at once."""

    account = models.OneToOneField(
        "accounts.Account", on_delete=models.CASCADE, related_name="scim_token"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, shown so an admin can tell which token the IdP holds.
    prefix = models.CharField(max_length=16)
    created_by_display = models.CharField(max_length=400, blank=True, default="")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"SCIM token {self.prefix}… of account {self.account_id}"


class ScimUser(models.Model):
    """The identity provider's view of one member: its userName, externalId and the SCIM
    attributes Crewbase has no column for, given back exactly as they were sent.

    Members without a row (invited from the console) appear to SCIM with their email as
    userName; the first SCIM write to them creates the row."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    member = models.OneToOneField(
        "people.Member", on_delete=models.CASCADE, related_name="scim_user"
    )
    user_name = models.CharField(max_length=254)
    external_id = models.CharField(max_length=254, blank=True, default="")
    # displayName, name.formatted, emails, phoneNumbers: SCIM JSON spelling.
    attributes = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # userName is unique in the account, ignoring case (RFC 7643 §4.1.1).
            models.UniqueConstraint("account", Lower("user_name"), name="scim_user_name_unique"),
        ]
        indexes = [
            models.Index(fields=["account", "external_id"], name="scim_user_external_idx"),
        ]

    def __str__(self) -> str:
        return self.user_name


class ScimGroup(models.Model):
    """The identity provider's externalId for a team (Groups are teams)."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    team = models.OneToOneField("org.Team", on_delete=models.CASCADE, related_name="scim_group")
    external_id = models.CharField(max_length=254, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["account", "external_id"], name="scim_group_external_idx"),
        ]

    def __str__(self) -> str:
        return self.external_id or str(self.team_id)
