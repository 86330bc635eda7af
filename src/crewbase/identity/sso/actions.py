"""Adding, changing, testing, enabling and removing SSO connections (SSO-1, SSO-2, SSO-5).

All need security.manage. A connection is enabled only after a test sign-in succeeded with
its current settings; changing how it reaches the IdP clears that test and disables it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict, ValidationFailed
from crewbase.identity.sso import validation as v
from crewbase.identity.sso.enforcement import account_enforces, end_password_era_sessions
from crewbase.identity.sso.models import Kind, Preset, SsoConnection, SsoDomain
from crewbase.identity.sso.social_apps import sync_social_app
from crewbase.webhooks import secrets

# Changing any of these means the last test sign-in no longer proves the connection works.
IDENTITY_FIELDS = (
    "issuer",
    "client_id",
    "metadata_url",
    "idp_entity_id",
    "idp_sso_url",
    "idp_certificate",
)
FIELDS = {
    "name",
    "preset",
    "issuer",
    "client_id",
    "client_secret",
    "metadata_url",
    "metadata_xml",
    "idp_entity_id",
    "idp_sso_url",
    "idp_certificate",
    "groups_attribute",
    "domains",
    "provisioning",
    "default_role_id",
    "jit_agent_access",
    "group_mapping",
    "enforced",
}


def snapshot(connection: SsoConnection) -> dict:
    return {
        "name": connection.name,
        "preset": connection.preset,
        "enabled": connection.enabled,
        "enforced": connection.enforced,
        "provisioning": connection.provisioning,
        "domains": connection.domain_names,
        "default_role": connection.default_role.name if connection.default_role else None,
        "group_mapping": connection.group_mapping,
        **{
            name: getattr(connection, name) for name in IDENTITY_FIELDS if name != "idp_certificate"
        },
    }


def _clean(actor: Actor, connection: SsoConnection, data: dict) -> tuple[dict, list | None]:
    errors: dict = {}
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise ValidationFailed({name: gettext("unknown field") for name in unknown})
    values = v.clean_text(data, errors)
    if "preset" in data:
        values["preset"] = v.clean_preset(data["preset"], errors)
    preset = values.get("preset") or connection.preset
    if connection.pk and preset and v.kind_of(preset) != connection.kind:
        errors["preset"] = gettext(
            "cannot switch between OpenID Connect and SAML; add a new connection"
        )
    if "name" in values and not values["name"]:
        errors["name"] = gettext("enter a name")
    if "provisioning" in data:
        values["provisioning"] = v.clean_provisioning(data["provisioning"], errors)
    if "default_role_id" in data:
        values["default_role"] = v.clean_role(
            actor, data["default_role_id"], errors, "default_role_id"
        )
    if "group_mapping" in data:
        values["group_mapping"] = v.clean_mapping(actor, data["group_mapping"], errors)
    for flag in ("jit_agent_access", "enforced"):
        if flag in data:
            if not isinstance(data[flag], bool):
                errors[flag] = gettext("must be true or false")
            values[flag] = data[flag]
    domains = None
    if "domains" in data:
        domains = v.clean_domains(actor, data["domains"], errors, connection)
    if values.get("metadata_xml"):
        values |= v.saml_from_metadata_xml(values["metadata_xml"], errors)
    values.pop("metadata_xml", None)
    if preset in v.PRESET_ISSUERS and not (values.get("issuer") or connection.issuer):
        values["issuer"] = v.PRESET_ISSUERS[preset]
    # Every problem at once: the first reason found for a field stays.
    merged = {name: getattr(connection, name) for name in IDENTITY_FIELDS} | values
    merged["kind"] = v.kind_of(preset) if preset else ""
    merged["has_secret"] = bool(values.get("client_secret") or connection.secret_encrypted)
    missing: dict = {}
    if not preset:
        missing["preset"] = gettext("must be one of %(choices)s") % {
            "choices": ", ".join(Preset.values)
        }
    else:
        v.check_provider_fields(merged, missing)
    if not (values.get("name") or connection.name):
        missing["name"] = gettext("enter a name")
    errors = missing | errors
    if errors:
        raise ValidationFailed(errors)
    return values, domains


def _apply(connection: SsoConnection, values: dict, domains: list | None) -> bool:
    """Writes the cleaned values; True when the way to reach the IdP changed."""
    identity_changed = False
    secret = values.pop("client_secret", None)
    if secret:
        connection.secret_encrypted = secrets.encrypt(secret)
        identity_changed = True
    for name, value in values.items():
        if name in IDENTITY_FIELDS and getattr(connection, name) != value:
            identity_changed = True
        setattr(connection, name, value)
    connection.kind = v.kind_of(connection.preset)
    if identity_changed and connection.pk:
        connection.tested_at, connection.test_claims, connection.enabled = None, None, False
    connection.save()
    if domains is not None:
        SsoDomain.objects.filter(connection=connection).exclude(domain__in=domains).delete()
        for domain in domains:
            SsoDomain.objects.get_or_create(connection=connection, domain=domain)
    sync_social_app(connection)
    return identity_changed


def create_sso_connection(*, actor: Actor, data: dict) -> SsoConnection:
    policy.require(actor, "security.manage")
    connection = SsoConnection(account=actor.account)
    values, domains = _clean(actor, connection, data)
    if values.get("enforced"):
        raise ValidationFailed(
            {"enforced": gettext("enable the connection (after a test sign-in) first")}
        )
    with transaction.atomic():
        _apply(connection, values, domains)
        record(actor, "sso.connection_created", connection, after=snapshot(connection))
    return connection


def update_sso_connection(*, actor: Actor, connection: SsoConnection, data: dict) -> SsoConnection:
    policy.require(actor, "security.manage", target=connection)
    with transaction.atomic():
        connection = SsoConnection.objects.select_for_update().get(pk=connection.pk)
        before = snapshot(connection)
        was_enforcing = account_enforces(connection.account_id)
        values, domains = _clean(actor, connection, data)
        _apply(connection, values, domains)
        if connection.enforced and not connection.enabled:
            raise ValidationFailed(
                {"enforced": gettext("only an enabled connection can enforce SSO")}
            )
        after = snapshot(connection)
        if not was_enforcing and account_enforces(connection.account_id):
            after["sessions_ended"] = end_password_era_sessions(connection.account_id)
        if after != before:
            record(actor, "sso.connection_updated", connection, before=before, after=after)
    return connection


def set_sso_connection_enabled(
    *, actor: Actor, connection: SsoConnection, enabled: bool
) -> SsoConnection:
    policy.require(actor, "security.manage", target=connection)
    with transaction.atomic():
        connection = SsoConnection.objects.select_for_update().get(pk=connection.pk)
        if enabled and connection.tested_at is None:
            raise Conflict(
                gettext(
                    "Run a successful test sign-in with these settings before enabling the "
                    "connection."
                ),
                errors={"enabled": gettext("needs a successful test sign-in first")},
            )
        if connection.enabled == enabled:
            return connection
        before = snapshot(connection)
        connection.enabled = enabled
        if not enabled:
            connection.enforced = False  # nothing left to sign in with: passwords work again
        connection.save(update_fields=["enabled", "enforced", "updated_at"])
        record(
            actor, "sso.connection_updated", connection, before=before, after=snapshot(connection)
        )
    return connection


def delete_sso_connection(*, actor: Actor, connection: SsoConnection) -> None:
    policy.require(actor, "security.manage", target=connection)
    with transaction.atomic():
        connection = SsoConnection.objects.select_for_update().get(pk=connection.pk)
        record(actor, "sso.connection_deleted", connection, before=snapshot(connection))
        app = connection.social_app
        connection.delete()
        if app is not None:
            app.delete()  # its SocialAccount links go with it


def record_test_sign_in(*, actor: Actor, connection: SsoConnection, claims: dict) -> SsoConnection:
    """The IdP answered a test sign-in: keep what it returned so the admin can check it."""
    policy.require(actor, "security.manage", target=connection)
    with transaction.atomic():
        connection = SsoConnection.objects.select_for_update().get(pk=connection.pk)
        connection.tested_at = clock.now()
        connection.test_claims = claims
        connection.save(update_fields=["tested_at", "test_claims", "updated_at"])
        record(actor, "sso.connection_tested", connection, after={"claims": sorted(claims)})
    return connection


__all__ = [
    "Kind",
    "create_sso_connection",
    "delete_sso_connection",
    "record_test_sign_in",
    "set_sso_connection_enabled",
    "update_sso_connection",
]
