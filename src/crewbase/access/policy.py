"""The only place that decides whether an actor may do something (ROLE-3, ROLE-4, ROLE-7).

Permissions are read from the member's current role on every call path that builds an
Actor (the request middleware and the token authenticator load the member fresh per
request), so a role change or deactivation applies on the very next request anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy

from crewbase.access.permissions import ALL_PERMISSIONS, PERMISSION_LABELS
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound, PermissionDenied

# SCIM and system actors act for the account itself, never beyond these.
SCIM_PERMISSIONS = frozenset({"users.view", "users.invite", "users.manage", "teams.manage"})


def member_permissions(member) -> frozenset[str]:
    if member is None or member.status != "active":
        return frozenset()
    if member.is_owner:
        return ALL_PERMISSIONS
    return member.role.permission_set & ALL_PERMISSIONS


def actor_permissions(actor: Actor) -> frozenset[str]:
    # SSO applies only what an admin configured (identity/sso validates each connection's
    # role and team mapping against that admin's own rights when it is saved).
    if actor.kind in ("system", "sso"):
        return ALL_PERMISSIONS
    if actor.kind == "scim":
        return SCIM_PERMISSIONS
    held = member_permissions(actor.member)
    if actor.scopes is not None:
        held = held & actor.scopes
    return held


def can(actor: Actor, perm: str) -> bool:
    return perm in actor_permissions(actor)


def ensure_same_account(actor: Actor, target) -> None:
    """A target of another account is reported as missing, never as forbidden (FAIL-4)."""
    account_id = getattr(target, "account_id", None)
    if account_id is not None and account_id != actor.account.pk:
        raise NotFound(gettext("Not found."))


def require(actor: Actor, perm: str, target=None) -> None:
    if target is not None:
        ensure_same_account(actor, target)
    if not can(actor, perm):
        label = gettext(PERMISSION_LABELS[perm]) if perm in PERMISSION_LABELS else perm
        raise PermissionDenied(
            gettext("You need the permission '%(key)s' (%(label)s) to do this.")
            % {"key": perm, "label": label}
        )


# Owner-only actions, by the phrase callers pass, each refused in a whole sentence.
OWNER_ONLY = {
    "transfer ownership": gettext_lazy("Only the account owner can transfer ownership."),
    "cancel the account": gettext_lazy("Only the account owner can cancel the account."),
    "undo the cancellation": gettext_lazy("Only the account owner can undo the cancellation."),
}


def require_owner(actor: Actor, what: str) -> None:
    if actor.kind == "system":
        return
    member = actor.member
    if member is None or not member.is_owner or member.status != "active":
        raise PermissionDenied(str(OWNER_ONLY[what]))


def missing_for_grant(actor: Actor, permissions) -> list[str]:
    """Permissions the actor would grant but does not hold (ROLE-3: no escalation)."""
    held = actor_permissions(actor)
    return sorted(set(permissions) - held)


@dataclass(frozen=True)
class Explanation:
    allowed: bool
    permission: str
    reason: str


def explain(member, perm: str) -> Explanation:
    if member.status != "active":
        status = member.get_status_display().lower()
        return Explanation(False, perm, gettext("The member is %(status)s.") % {"status": status})
    if member.is_owner:
        return Explanation(True, perm, gettext("The account owner holds every permission."))
    role = member.role.name
    if perm in member.role.permission_set:
        return Explanation(True, perm, gettext("Granted by the role '%(role)s'.") % {"role": role})
    return Explanation(
        False,
        perm,
        gettext("The role '%(role)s' does not include '%(key)s'.") % {"role": role, "key": perm},
    )
