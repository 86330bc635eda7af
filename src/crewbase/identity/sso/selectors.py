"""Reading an account's SSO connections: another account's connection is not found (404)."""

from __future__ import annotations

from django.utils.translation import gettext

from crewbase.access import policy
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound
from crewbase.identity.sso.models import SsoConnection, SsoDomain


def connections_of(actor: Actor):
    policy.require(actor, "security.manage")
    return (
        SsoConnection.objects.filter(account=actor.account)
        .select_related("default_role")
        .prefetch_related("domains")
        .order_by("pk")
    )


def get_connection(actor: Actor, connection_id) -> SsoConnection:
    found = connections_of(actor).filter(pk=connection_id).first()
    if found is None:
        raise NotFound(gettext("No such SSO connection."))
    return found


def enabled_connections(account_id):
    return SsoConnection.objects.filter(account_id=account_id, enabled=True).order_by("pk")


def connection_for_email(email: str) -> SsoConnection | None:
    """Home-realm discovery: the enabled connection that answers for this address's domain."""
    domain = (email or "").strip().lower().rsplit("@", 1)[-1]
    found = SsoDomain.objects.select_related("connection").filter(domain=domain).first()
    if found is None or not found.connection.enabled:
        return None
    return found.connection
