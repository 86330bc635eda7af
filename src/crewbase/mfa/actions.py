"""State changes of this area: the account's second-factor policy and an admin's 2FA reset."""

from __future__ import annotations

import uuid

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from crewbase.access import policy
from crewbase.access.models import Role
from crewbase.audit.record import record
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict, ValidationFailed
from crewbase.core.outbox import queue_email
from crewbase.mfa.models import MfaPolicy
from crewbase.people.actions import limits
from crewbase.people.models import Member, MemberStatus

MAX_ROLES = 500


def _role_ids(actor: Actor, field: str, value, errors: dict) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in value
    ):
        errors[field] = gettext("must be a list of role ids")
        return []
    if not all(0 < i < 2**63 for i in value):
        errors[field] = gettext("role ids are positive whole numbers below 2^63")
        return []
    if len(value) > MAX_ROLES:
        errors[field] = gettext("at most %(limit)s roles") % {"limit": MAX_ROLES}
        return []
    wanted = set(value)
    found = set(
        Role.objects.for_account(actor.account).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    unknown = sorted(wanted - found)
    if unknown:
        errors[field] = gettext("no such role in this account: %(ids)s") % {
            "ids": ", ".join(str(i) for i in unknown)
        }
    return sorted(found)


def policy_snapshot(mfa_policy: MfaPolicy | None) -> dict:
    if mfa_policy is None or mfa_policy.pk is None:
        return {
            "required_2fa_role_ids": [],
            "email_otp_role_ids": [],
            "email_otp_broadcast_agents": False,
        }
    return {
        "required_2fa_role_ids": sorted(mfa_policy.required_2fa_roles.values_list("pk", flat=True)),
        "email_otp_role_ids": sorted(mfa_policy.email_otp_roles.values_list("pk", flat=True)),
        "email_otp_broadcast_agents": mfa_policy.email_otp_broadcast_agents,
    }


def update_mfa_policy(
    *,
    actor: Actor,
    required_2fa_role_ids=None,
    email_otp_role_ids=None,
    email_otp_broadcast_agents=None,
) -> MfaPolicy:
    """Set the parts given (None leaves a part as it is); all checked before anything is saved."""
    policy.require(actor, "security.manage")
    errors: dict[str, str] = {}
    required = _role_ids(actor, "required_2fa_role_ids", required_2fa_role_ids, errors)
    emailed = _role_ids(actor, "email_otp_role_ids", email_otp_role_ids, errors)
    if email_otp_broadcast_agents is not None and not isinstance(email_otp_broadcast_agents, bool):
        errors["email_otp_broadcast_agents"] = gettext("must be true or false")
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        limits.lock_account(actor.account)
        mfa_policy, _ = MfaPolicy.objects.get_or_create(account=actor.account)
        before = policy_snapshot(mfa_policy)
        if required_2fa_role_ids is not None:
            mfa_policy.required_2fa_roles.set(required)
        if email_otp_role_ids is not None:
            mfa_policy.email_otp_roles.set(emailed)
        if email_otp_broadcast_agents is not None:
            mfa_policy.email_otp_broadcast_agents = email_otp_broadcast_agents
        mfa_policy.save()
        after = policy_snapshot(mfa_policy)
        if after != before:
            record(actor, "mfa.policy_changed", actor.account, before=before, after=after)
        return mfa_policy


def reset_two_factor(*, actor: Actor, member: Member) -> Member:
    """Lost phone: remove the member's TOTP and recovery codes, record it, email the member.
    The person then signs in with their password (and enrols again if their role requires)."""
    policy.require(actor, "users.manage", target=member)
    with transaction.atomic():
        member = limits.lock_member(member)
        if member.status == MemberStatus.INVITED:
            raise Conflict(
                gettext(
                    "%(email)s has not accepted the invitation, so has no two-factor "
                    "authentication."
                )
                % {"email": member.email},
                errors={
                    "member": gettext(
                        "has not accepted the invitation, so has no two-factor authentication"
                    )
                },
            )
        authenticators = Authenticator.objects.filter(user=member.person)
        removed = sorted(authenticators.values_list("type", flat=True))
        if not removed:
            raise Conflict(
                gettext("%(email)s has no two-factor authentication to reset.")
                % {"email": member.email},
                errors={"member": gettext("has no two-factor authentication to reset")},
            )
        authenticators.delete()
        context = {
            "account": member.account,
            "member": member,
            "admin": actor.display,
            "link": settings.CREWBASE_BASE_URL + reverse("account_login"),
        }
        queue_email(
            account=member.account,
            to=member.email,
            template="mfa/email/reset",
            context=context,
            key=f"mfa-reset-{member.pk}-{uuid.uuid4().hex}",
        )
        record(actor, "mfa.reset_by_admin", member, before={"authenticators": removed})
        return member
