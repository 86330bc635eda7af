"""An account's single sign-on connections (SSO-1) and the domains they answer for."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from crewbase.webhooks import secrets


class Kind(models.TextChoices):
    OIDC = "oidc", "OpenID Connect"
    SAML = "saml", "SAML 2.0"


class Preset(models.TextChoices):
    GOOGLE = "google", "Google Workspace"
    ENTRA = "entra", "Microsoft Entra ID"
    OKTA = "okta", "Okta"
    OIDC = "oidc", _("Generic OpenID Connect")
    SAML = "saml", "SAML 2.0"


class Provisioning(models.TextChoices):
    JIT = "jit", _("Just-in-time: the first SSO sign-in creates the member")
    PRE = "pre", _("Pre-provisioned: only existing or invited members")
    SCIM = "scim", _("SCIM: members come from the identity provider's SCIM client")


class SsoConnection(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    preset = models.CharField(max_length=8, choices=Preset.choices)
    # OIDC: the issuer (its /.well-known/openid-configuration is read) and the client.
    issuer = models.URLField(max_length=500, blank=True, default="")
    client_id = models.CharField(max_length=300, blank=True, default="")
    secret_encrypted = models.TextField(blank=True, default="")
    # SAML: the IdP by metadata URL, or by entity id + sign-in URL + signing certificate.
    metadata_url = models.URLField(max_length=500, blank=True, default="")
    idp_entity_id = models.CharField(max_length=500, blank=True, default="")
    idp_sso_url = models.URLField(max_length=500, blank=True, default="")
    idp_certificate = models.TextField(blank=True, default="")
    groups_attribute = models.CharField(max_length=200, blank=True, default="groups")
    enabled = models.BooleanField(default=False)
    # Password sign-in and reset refused for the account's members while an enabled
    # connection enforces (SSO-2); the owner keeps the break-glass password.
    enforced = models.BooleanField(default=False)
    provisioning = models.CharField(
        max_length=4, choices=Provisioning.choices, default=Provisioning.PRE
    )
    # Members created just in time get agent access (and so take an agent seat) when set.
    jit_agent_access = models.BooleanField(default=False)
    default_role = models.ForeignKey(
        "access.Role", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # [{"group": "support-leads", "role_id": 3, "team_ids": [1, 2]}, …] (SSO-5).
    group_mapping = models.JSONField(default=list, blank=True)
    # The last successful "test sign-in": what the IdP returned (claims), shown to the admin.
    tested_at = models.DateTimeField(null=True, blank=True)
    test_claims = models.JSONField(null=True, blank=True)
    # allauth's provider app for this connection (its secret field stays empty: ours is
    # encrypted here and filled in memory by the adapter).
    social_app = models.OneToOneField(
        "socialaccount.SocialApp", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["account", "enabled"], name="sso_conn_account_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def secret(self) -> str:
        return secrets.decrypt(self.secret_encrypted) if self.secret_encrypted else ""

    @property
    def provider_key(self) -> str:
        """allauth's provider_id (OIDC) or organization slug (SAML) of this connection."""
        return f"crewbase-{self.pk}"

    @property
    def domain_names(self) -> list[str]:
        return sorted(d.domain for d in self.domains.all())


class SsoDomain(models.Model):
    """A domain one connection answers for: unique across accounts, so home-realm discovery
    and SSO sign-in can never be claimed by two accounts."""

    connection = models.ForeignKey(SsoConnection, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)

    def __str__(self) -> str:
        return self.domain
