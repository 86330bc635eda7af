"""API tokens: create and revoke (API-2, ROLE-3).

A member makes tokens for themselves; a token acts as that member, narrowed to its scopes,
so a token can never do more than its member can do today (permissions ∩ scopes).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.access.permissions import ALL_PERMISSIONS
from crewbase.api.models import ApiToken
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import PermissionDenied, ValidationFailed
from crewbase.core.tokens import hash_secret, new_secret

TOKEN_PREFIX = "cb_"
# Enough of the secret to tell tokens apart in a list, far too little to guess the rest.
SHOWN_PREFIX_LENGTH = 10
MAX_NAME_LENGTH = 120


def _clean_name(name) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return _("enter a name for the token")
    if len(name.strip()) > MAX_NAME_LENGTH:
        return _("must be at most %(limit)s characters") % {"limit": MAX_NAME_LENGTH}
    return None


def _clean_scopes(scopes) -> tuple[list[str], str | None]:
    if not isinstance(scopes, list | tuple | set | frozenset) or not all(
        isinstance(s, str) for s in scopes
    ):
        return [], _("must be a list of permission keys")
    cleaned = sorted(set(scopes))
    if not cleaned:
        return [], _("choose at least one permission")
    unknown = [s for s in cleaned if s not in ALL_PERMISSIONS]
    if unknown:
        return [], _("unknown permissions: %(keys)s") % {"keys": ", ".join(unknown)}
    return cleaned, None


def _storable(moment: datetime) -> bool:
    try:
        moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return False
    return True


def create_api_token(
    *, actor: Actor, name: str, scopes, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A token for the acting member; returns it with its secret, which is never stored."""
    if actor.member is None or actor.kind not in ("member", "api_token"):
        raise PermissionDenied(_("Only a member can create an API token for themselves."))
    if actor.kind == "api_token":
        # A leaked token must not be able to mint fresh, longer-lived ones.
        raise PermissionDenied(_("API tokens cannot create API tokens; sign in to create one."))
    errors = {}
    problem = _clean_name(name)
    if problem:
        errors["name"] = problem
    cleaned_scopes, problem = _clean_scopes(scopes)
    if problem:
        errors["scopes"] = problem
    if expires_at is not None:
        if not isinstance(expires_at, datetime) or expires_at.tzinfo is None:
            errors["expires_at"] = _("must be a date and time with a time zone")
        elif not _storable(expires_at):
            errors["expires_at"] = _("is out of range")
        elif expires_at <= clock.now():
            errors["expires_at"] = _("must be in the future")
    if errors:
        raise ValidationFailed(errors)
    missing = policy.missing_for_grant(actor, cleaned_scopes)
    if missing:
        raise PermissionDenied(
            _("A token cannot hold permissions you do not hold: %(keys)s.")
            % {"keys": ", ".join(missing)},
            errors={"scopes": _("you do not hold: %(keys)s") % {"keys": ", ".join(missing)}},
        )
    secret = new_secret(TOKEN_PREFIX)
    with transaction.atomic():
        token = ApiToken.objects.create(
            account=actor.account,
            member=actor.member,
            name=name.strip(),
            prefix=secret[:SHOWN_PREFIX_LENGTH],
            token_hash=hash_secret(secret),
            scopes=cleaned_scopes,
            expires_at=expires_at,
        )
        record(
            actor,
            "api_token.created",
            token,
            after={
                "name": token.name,
                "prefix": token.prefix,
                "scopes": cleaned_scopes,
                "expires_at": expires_at,
                "member": actor.member.email,
            },
        )
    return token, secret


def revoke_api_token(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Own tokens, or any token of the account for someone holding `users.manage`."""
    policy.ensure_same_account(actor, token)
    if actor.member is None or token.member_id != actor.member.pk:
        policy.require(actor, "users.manage", target=token)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("member").get(pk=token.pk)
        if token.revoked_at is not None:
            return token  # revoking twice changes nothing and records nothing
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        record(
            actor,
            "api_token.revoked",
            token,
            before={"revoked": False},
            after={"revoked": True, "name": token.name, "member": token.member.email},
        )
        return token
