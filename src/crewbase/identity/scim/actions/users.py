"""SCIM Users are members: provision, update, deprovision (SSO-3, SSO-4, LIFE-2, PLAN-1).

Provisioning creates an active member directly (no invitation: the identity provider vouches
for the person), with the Agent role and no agent seat, within the plan's user limit and the
account's domain rules. Deactivation, reactivation and deletion go through the same lifecycle
actions as the console, so sessions and tokens end and queues are left exactly as there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext

from crewbase.access import policy
from crewbase.access.models import Role
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict, ValidationFailed
from crewbase.identity.scim.models import ScimUser
from crewbase.people.actions import limits
from crewbase.people.actions.changes import EDITABLE_FIELDS, update_member
from crewbase.people.actions.invitations import _cancel_pending
from crewbase.people.actions.lifecycle import deactivate_member, delete_member, reactivate_member
from crewbase.people.emails import domain_problem, email_problem
from crewbase.people.models import (
    DeactivationReason,
    Member,
    MemberStatus,
    Person,
    normalize_email,
)
from crewbase.webhooks.events import emit

DEFAULT_ROLE_KEY = "agent"
# Member fields SCIM writes, and the SCIM attribute each comes from (for error messages).
SCIM_NAMES = {
    "first_name": "name.givenName",
    "last_name": "name.familyName",
    "phone": "phoneNumbers",
}
MAX_USER_NAME = 254


@dataclass
class UserState:
    """What a SCIM request says a user should be, already read from the SCIM payload."""

    user_name: str
    email: str = ""
    external_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    active: bool | None = None
    # SCIM attributes without a Crewbase column, in SCIM spelling, kept as sent.
    attributes: dict = field(default_factory=dict)


def _at_most(limit: int) -> str:
    return gettext("must be at most %(limit)s characters") % {"limit": limit}


def _clean_user_name(state: UserState) -> str:
    user_name = (state.user_name or "").strip()
    if not user_name:
        raise ValidationFailed({"userName": gettext("is required")})
    if len(user_name) > MAX_USER_NAME:
        raise ValidationFailed({"userName": _at_most(MAX_USER_NAME)})
    if len(state.external_id) > MAX_USER_NAME:
        raise ValidationFailed({"externalId": _at_most(MAX_USER_NAME)})
    too_long = {
        scim_name: _at_most(EDITABLE_FIELDS[field_name])
        for field_name, scim_name in SCIM_NAMES.items()
        if len(getattr(state, field_name)) > EDITABLE_FIELDS[field_name]
    }
    if too_long:
        raise ValidationFailed(too_long)
    return user_name


def _refuse_taken_user_name(account, user_name: str, *, member: Member | None = None) -> None:
    """userName is unique in the account ignoring case: among SCIM users, and among members
    SCIM has not touched yet, whose userName is their email."""
    key = user_name.lower()
    linked = ScimUser.objects.annotate(key=Lower("user_name")).filter(account=account, key=key)
    unlinked = Member.objects.filter(account=account, email=key, scim_user__isnull=True)
    if member is not None:
        linked = linked.exclude(member=member)
        unlinked = unlinked.exclude(pk=member.pk)
    if linked.exists() or unlinked.exists():
        raise Conflict(
            gettext("The userName '%(name)s' is already taken in this account.")
            % {"name": user_name},
            errors={"userName": gettext("already taken in this account")},
        )


def _default_role() -> Role:
    return Role.objects.get(account__isnull=True, builtin_key=DEFAULT_ROLE_KEY)


def _scim_snapshot(row: ScimUser) -> dict:
    return {"userName": row.user_name, "externalId": row.external_id, **row.attributes}


def _emit_joined(actor: Actor, member: Member) -> None:
    emit(
        actor,
        "member.joined",
        {"member_id": member.pk, "email": member.email, "role": member.role.name},
    )


def provision_user(*, actor: Actor, state: UserState) -> Member:
    """A new member from a SCIM POST: active (or deactivated when active=false)."""
    policy.require(actor, "users.invite")
    user_name = _clean_user_name(state)
    email = normalize_email(state.email or user_name)
    reason = email_problem(email) or domain_problem(email, actor.account)
    if reason:
        raise ValidationFailed(
            {"emails": gettext("%(email)s %(reason)s") % {"email": email, "reason": reason}}
        )
    active = state.active is not False
    with transaction.atomic():
        account = limits.lock_account(actor.account)
        _refuse_taken_user_name(account, user_name)
        if Member.objects.filter(account=account, email=email).exists():
            raise Conflict(
                gettext(
                    "%(email)s is already a member of this account; find it with "
                    'filter=userName eq "%(email)s" to link it.'
                )
                % {"email": email},
                errors={"emails": gettext("already a member of this account")},
            )
        if active:
            limits.require_user_slot(account)
        now = clock.now()
        person = Person.objects.filter(email=email).first() or Person.objects.create_user(
            email=email, first_name=state.first_name, last_name=state.last_name
        )
        member = Member(
            account=account,
            person=person,
            email=email,
            role=_default_role(),
            status=MemberStatus.ACTIVE if active else MemberStatus.DEACTIVATED,
            first_name=state.first_name,
            last_name=state.last_name,
            phone=state.phone,
            joined_at=now,
            deactivated_at=None if active else now,
            deactivation_reason="" if active else DeactivationReason.OTHER,
        )
        member.refresh_display_name()
        member.save()
        row = ScimUser.objects.create(
            account=account,
            member=member,
            user_name=user_name,
            external_id=state.external_id,
            attributes=state.attributes,
        )
        record(
            actor,
            "scim.user_provisioned",
            member,
            after={"status": member.status, "role": member.role.name, **_scim_snapshot(row)},
        )
        if active:
            _emit_joined(actor, member)
        return member


def _activate_invited(actor: Actor, member: Member) -> None:
    """The IdP vouches for someone with a pending invitation: they join without the link."""
    now = clock.now()
    _cancel_pending(member)
    member.status = MemberStatus.ACTIVE
    member.joined_at = member.joined_at or now
    member.access_version += 1
    member.save()
    record(
        actor,
        "scim.user_provisioned",
        member,
        before={"status": MemberStatus.INVITED},
        after={"status": MemberStatus.ACTIVE},
    )
    _emit_joined(actor, member)


def _apply_active(actor: Actor, member: Member, active: bool | None) -> None:
    if active is None or active == (member.status == MemberStatus.ACTIVE):
        return
    if active and member.status == MemberStatus.DEACTIVATED:
        reactivate_member(actor=actor, member=member)
    elif active:
        _activate_invited(actor, member)
    elif member.status == MemberStatus.ACTIVE:
        if member.is_owner:
            raise Conflict(
                gettext("The owner cannot be deactivated; transfer ownership first."),
                errors={"active": gettext("the owner cannot be deactivated")},
            )
        deactivate_member(actor=actor, member=member, reason=DeactivationReason.OTHER)


def update_user(*, actor: Actor, member: Member, state: UserState) -> Member:
    """Bring a member in line with a SCIM PUT or PATCH, all or nothing. The sign-in email
    never changes (LIFE-5): SCIM's `emails` are kept as the IdP's attributes only."""
    policy.require(actor, "users.manage", target=member)
    user_name = _clean_user_name(state)
    with transaction.atomic():
        # Account, then member: the order the lifecycle actions lock in (no deadlock).
        limits.lock_account(actor.account)
        member = limits.lock_member(member)
        _refuse_taken_user_name(member.account, user_name, member=member)
        row = ScimUser.objects.filter(member=member).first()
        before = _scim_snapshot(row) if row else None
        if row is None:
            row = ScimUser(account=member.account, member=member)
        row.user_name = user_name
        row.external_id = state.external_id
        row.attributes = state.attributes
        after = _scim_snapshot(row)
        if after != before:
            row.save()
            record(actor, "scim.user_updated", member, before=before, after=after)
        update_member(
            actor=actor,
            member=member,
            changes={
                "first_name": state.first_name,
                "last_name": state.last_name,
                "phone": state.phone,
            },
        )
        _apply_active(actor, Member.objects.get(pk=member.pk), state.active)
        return Member.objects.select_related("scim_user", "role").get(pk=member.pk)


def deprovision_user(*, actor: Actor, member: Member) -> None:
    """SCIM DELETE: deactivate (LIFE-2), then delete permanently (LIFE-4); history stays."""
    policy.require(actor, "users.manage", target=member)
    with transaction.atomic():
        limits.lock_account(actor.account)
        member = limits.lock_member(member)
        if member.status == MemberStatus.ACTIVE:
            _apply_active(actor, member, False)
            member = limits.lock_member(member)
        delete_member(actor=actor, member=member)
