"""Questions other areas ask about second factors (access review, users list, sign-in gate)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from crewbase.mfa.models import MfaPolicy
from crewbase.people.models import Member, MemberStatus, Person


def totp_person_ids() -> QuerySet:
    """Ids of people with TOTP enrolled, for subqueries (indexed by the authenticator's
    (user, type) unique constraint)."""
    return Authenticator.objects.filter(type=Authenticator.Type.TOTP).values("user_id")


def has_totp(person: Person) -> bool:
    return Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()


def policy_for(account) -> MfaPolicy | None:
    return MfaPolicy.objects.filter(account=account).first()


def required_2fa_role_ids(account) -> list[int]:
    policy = policy_for(account)
    if policy is None:
        return []
    return list(policy.required_2fa_roles.values_list("id", flat=True))


def members_missing_required_2fa(account) -> QuerySet[Member]:
    """Active members whose role requires 2FA (AUTH-6) and who have not enrolled TOTP."""
    role_ids = required_2fa_role_ids(account)
    return (
        Member.objects.filter(account=account, status=MemberStatus.ACTIVE, role_id__in=role_ids)
        .exclude(person_id__in=totp_person_ids())
        .select_related("person", "role")
    )


def member_requires_2fa(member: Member) -> bool:
    return member.role_id in required_2fa_role_ids(member.account)
