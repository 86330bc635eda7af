"""The account's SCIM bearer token: create or rotate, revoke, and authenticate (SSO-4)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound, PermissionDenied
from crewbase.core.tokens import hash_secret, new_secret
from crewbase.identity.scim.models import ScimToken
from crewbase.people.actions import limits

TOKEN_PREFIX = "scim_"
SHOWN_PREFIX_LENGTH = 12
MAX_TOKEN_LENGTH = 200
# As for API tokens: "last used" to the minute, without a write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def rotate_scim_token(*, actor: Actor) -> tuple[ScimToken, str]:
    """A new token for the account; any previous one stops working in the same commit.
    Returns the token row and its secret, which is shown once and never stored."""
    policy.require(actor, "security.manage")
    # The token acts with SCIM's permissions: only someone holding them may mint it (ROLE-3).
    missing = policy.missing_for_grant(actor, policy.SCIM_PERMISSIONS)
    if missing:
        raise PermissionDenied(
            gettext(
                "A SCIM token can manage members and teams; you need these permissions too: "
                "%(permissions)s"
            )
            % {"permissions": ", ".join(missing)}
        )
    secret = new_secret(TOKEN_PREFIX)
    with transaction.atomic():
        limits.lock_account(actor.account)
        token = ScimToken.objects.filter(account=actor.account).first()
        action = "scim.token_rotated" if token else "scim.token_created"
        before = {"prefix": token.prefix} if token else None
        if token is None:
            token = ScimToken(account=actor.account)
        token.token_hash = hash_secret(secret)
        token.prefix = secret[:SHOWN_PREFIX_LENGTH]
        token.created_by_display = actor.display[:400]
        token.created_at = clock.now()
        token.last_used_at = None
        token.save()
        record(actor, action, token, before=before, after={"prefix": token.prefix})
    return token, secret


def revoke_scim_token(*, actor: Actor) -> None:
    """Turn SCIM off for the account: the token stops working now."""
    policy.require(actor, "security.manage")
    with transaction.atomic():
        limits.lock_account(actor.account)
        token = ScimToken.objects.filter(account=actor.account).first()
        if token is None:
            raise NotFound(gettext("This account has no SCIM token."))
        record(actor, "scim.token_revoked", token, before={"prefix": token.prefix})
        token.delete()


def scim_token_status(*, actor: Actor) -> ScimToken | None:
    policy.require(actor, "security.manage")
    return ScimToken.objects.filter(account=actor.account).first()


def actor_for_scim_token(secret: str, *, ip_address=None, user_agent="") -> Actor | None:
    """The SCIM actor of the account whose token this is, or None."""
    if not secret or len(secret) > MAX_TOKEN_LENGTH:
        return None
    token = (
        ScimToken.objects.select_related("account").filter(token_hash=hash_secret(secret)).first()
    )
    if token is None:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ScimToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return Actor(
        kind="scim",
        account=token.account,
        token_id=token.pk,
        ip_address=ip_address,
        user_agent=user_agent,
    )
