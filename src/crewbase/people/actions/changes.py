"""Editing a member: role, profile, agent access, sessions (ROLE-3, ROLE-4, LIFE-5, PLAN-2)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict, ValidationFailed
from crewbase.people.actions import limits
from crewbase.people.actions.invitations import require_grantable, resolve_role
from crewbase.people.models import Member, MemberStatus
from crewbase.people.sessions import end_sessions
from crewbase.webhooks.events import emit

EDITABLE_FIELDS = {"first_name": 150, "last_name": 150, "phone": 40}


def change_role(*, actor: Actor, member: Member, role_id) -> Member:
    policy.require(actor, "users.manage", target=member)
    role = resolve_role(actor, role_id)
    require_grantable(actor, role)
    with transaction.atomic():
        member = limits.lock_member(member)
        if member.is_owner and role.builtin_key != "admin":
            raise Conflict(
                _("The owner holds Admin and cannot be demoted; transfer ownership first."),
                errors={"role": _("the owner cannot be demoted")},
            )
        if member.role_id == role.pk:
            return member
        # Taking a role away is an escalation too if the actor could not grant the old one.
        require_grantable(actor, member.role, field_name="role")
        before = member.role.name
        member.role = role
        member.access_version += 1
        member.save(update_fields=["role", "access_version", "updated_at"])
        record(
            actor, "member.role_changed", member, before={"role": before}, after={"role": role.name}
        )
        emit(
            actor,
            "member.role_changed",
            {
                "member_id": member.pk,
                "email": member.email,
                "role_before": before,
                "role": role.name,
            },
        )
        return member


def clean_member_changes(member: Member, changes: dict, editable=EDITABLE_FIELDS) -> dict:
    """The changes, trimmed and checked field by field; the email never changes (LIFE-5)."""
    errors = {}
    if "email" in changes and str(changes["email"]).strip().lower() != member.email:
        errors["email"] = _("email addresses cannot be changed")
    for name in sorted(set(changes) - set(editable) - {"email"}):
        errors[str(name)] = _("is not an editable field")
    cleaned = {}
    for name, max_length in editable.items():
        if name not in changes:
            continue
        value = changes[name]
        if not isinstance(value, str):
            errors[name] = _("must be text")
        elif len(value.strip()) > max_length:
            errors[name] = _("must be at most %(limit)s characters") % {"limit": max_length}
        else:
            cleaned[name] = value.strip()
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def apply_member_changes(*, actor: Actor, member: Member, cleaned: dict) -> Member:
    """Write already checked changes with their event; callers have checked permission."""
    with transaction.atomic():
        member = limits.lock_member(member)
        before = {name: getattr(member, name) for name in cleaned}
        if before == cleaned:
            return member
        for name, value in cleaned.items():
            setattr(member, name, value)
        member.refresh_display_name()
        member.save()
        record(actor, "member.updated", member, before=before, after=cleaned)
        return member


def update_member(*, actor: Actor, member: Member, changes: dict) -> Member:
    """An admin edits a member's name and phone."""
    policy.require(actor, "users.manage", target=member)
    cleaned = clean_member_changes(member, changes)
    return apply_member_changes(actor=actor, member=member, cleaned=cleaned)


def set_agent_access(*, actor: Actor, member: Member, enabled: bool) -> Member:
    """Agent access is a paid seat (PLAN-2); turning it off also leaves every queue (ORG-3)."""
    policy.require(actor, "users.manage", target=member)
    if not isinstance(enabled, bool):
        raise ValidationFailed({"agent_access": _("must be true or false")})
    with transaction.atomic():
        account = limits.lock_account(actor.account)
        member = limits.lock_member(member)
        if member.agent_access == enabled:
            return member
        counts_for_seat = member.status in (MemberStatus.ACTIVE, MemberStatus.INVITED)
        if enabled and counts_for_seat:
            limits.require_agent_seat(account)
        queues_left = []
        if not enabled:
            queues_left = list(member.queues.values_list("name", flat=True))
            member.queues.clear()
        member.agent_access = enabled
        member.access_version += 1
        member.save(update_fields=["agent_access", "access_version", "updated_at"])
        record(
            actor,
            "member.agent_access_changed",
            member,
            before={"agent_access": not enabled},
            after={"agent_access": enabled, "queues_left": queues_left},
        )
        return member


def sign_out_everywhere(*, actor: Actor, member: Member) -> int:
    policy.require(actor, "users.manage", target=member)
    with transaction.atomic():
        ended = end_sessions(member.person, account_id=member.account_id)
        record(actor, "member.signed_out_everywhere", member, after={"sessions_ended": ended})
        return ended
