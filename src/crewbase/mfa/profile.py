"""The member profile's "Two-factor authentication" section, with the admin's reset link."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.utils.translation import gettext_lazy as _

from crewbase.access import policy
from crewbase.console.profile_sections import ProfileSection, register
from crewbase.mfa.requirements import email_code_required
from crewbase.mfa.selectors import member_requires_2fa
from crewbase.people.models import MemberStatus


def context(request, member) -> dict | None:
    actor = request.actor
    if not actor or member.status == MemberStatus.INVITED:
        return None
    is_self = actor.member is not None and actor.member.pk == member.pk
    if not (is_self or policy.can(actor, "users.manage") or policy.can(actor, "security.manage")):
        return None
    kinds = {a.type: a for a in Authenticator.objects.filter(user_id=member.person_id)}
    codes = kinds.get(Authenticator.Type.RECOVERY_CODES)
    enrolled = Authenticator.Type.TOTP in kinds
    return {
        "enrolled": enrolled,
        "recovery_left": len(codes.wrap().get_unused_codes()) if codes else None,
        "required": member_requires_2fa(member),
        "email_code": email_code_required(member),
        "can_reset": policy.can(actor, "users.manage"),
    }


register(
    ProfileSection(
        key="two_factor",
        title=_("Two-factor authentication"),
        template="mfa/_profile_section.html",
        context=context,
        order=20,
    )
)
