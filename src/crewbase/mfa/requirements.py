"""Who must use which second factor, computed from the account's policy on every sign-in.

Nothing per member is stored: the four AUTH-5 triggers (joining in such a role, changing
into one, the account leaving its trial, broadcast granted to agents) all change data this
reads, so the requirement follows them at once and can never be left stale by an action
that forgot a hook.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from crewbase.access.permissions import Perm
from crewbase.access.policy import member_permissions
from crewbase.accounts.models import Plan
from crewbase.mfa.models import MfaPolicy
from crewbase.mfa.selectors import has_totp
from crewbase.people.models import Member, MemberStatus, Person


def is_broadcasting_agent(member: Member) -> bool:
    """An agent (agent seat or the built-in Agent role) whose role can send broadcasts."""
    is_agent = member.agent_access or member.role.builtin_key == "agent"
    return is_agent and Perm.BROADCAST_SEND in member_permissions(member)


def email_code_required(member: Member) -> bool:
    """AUTH-5: on paid plans only (the trial-to-paid trigger), for the chosen roles and,
    when the account says so, for agents allowed to broadcast."""
    if member.status != MemberStatus.ACTIVE or member.account.plan == Plan.TRIAL:
        return False
    if hasattr(member, "email_code_role"):  # read at sign-in with the policy (signin.memberships)
        by_role, broadcast_agents = member.email_code_role, member.email_code_broadcast_agents
    else:
        policy = MfaPolicy.objects.filter(account_id=member.account_id).first()
        if policy is None:
            return False
        by_role = policy.email_otp_roles.filter(pk=member.role_id).exists()
        broadcast_agents = policy.email_otp_broadcast_agents
    if by_role:
        return True
    return broadcast_agents and is_broadcasting_agent(member)


def member_needing_email_code(person: Person, memberships=None) -> Member | None:
    """The first active membership that asks this person for an emailed code at sign-in,
    or None. A person with TOTP uses TOTP instead (allauth asks for it). `memberships`: those
    read at sign-in (signin.memberships), in account order."""
    if memberships is None:
        memberships = (
            Member.objects.select_related("account", "role")
            .filter(person=person, status=MemberStatus.ACTIVE)
            .order_by("account_id")
        )
    for member in memberships:  # an invited one is never asked (email_code_required)
        if email_code_required(member):
            return None if has_totp(person) else member
    return None


def enrolment_required(member: Member) -> bool:
    """AUTH-6 for one member: the role is listed by the account and the person has no TOTP."""
    return must_enrol(member.person, account_id=member.account_id)


def must_enrol(person: Person, *, account_id: int | None) -> bool:
    """AUTH-6 for a signed-in person, in the account their session works in (any of their
    active accounts while none is chosen). One indexed query for everyone; the TOTP lookup
    only for people in a listed role. Reads no lazy request.member, which would end the
    session of a person signed in only to accept an invitation."""
    listed = MfaPolicy.required_2fa_roles.through.objects.filter(
        mfapolicy__account_id=OuterRef("account_id"), role_id=OuterRef("role_id")
    )
    members = Member.objects.filter(person=person, status=MemberStatus.ACTIVE)
    if account_id is not None:
        members = members.filter(account_id=account_id)
    return members.filter(Exists(listed)).exists() and not has_totp(person)
