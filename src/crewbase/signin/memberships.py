"""The signing-in person's memberships, read once per sign-in request (issue 6).

A password sign-in asks several questions of the same rows: may the person sign in at all
(LIFE-2), does an enforced SSO refuse the password (SSO-2), must they enter an emailed code
(AUTH-5), which account does the new session work in. Each used to run its own queries; this
reads the active and invited memberships once, with what those questions need from other
tables, and keeps them on the request, never longer: the next request reads afresh.
"""

from __future__ import annotations

from crewbase.accounts.models import Plan
from crewbase.identity.sso.models import SsoConnection
from crewbase.mfa.models import MfaPolicy
from crewbase.people.models import Member, MemberStatus, Person

_ON_REQUEST = "_crewbase_sign_in_memberships"


def _read(person: Person) -> list[Member]:
    # Small flat queries rather than subqueries in one: on this hot path the ORM's cost of
    # compiling each EXISTS is larger than a second round trip (docs/performance.md).
    members = list(
        Member.objects.select_related("account")
        .filter(person=person, status__in=[MemberStatus.ACTIVE, MemberStatus.INVITED])
        .order_by("account_id")
    )
    if not members:
        return members
    enforcing = set(
        SsoConnection.objects.filter(
            account_id__in={m.account_id for m in members}, enabled=True, enforced=True
        ).values_list("account_id", flat=True)
    )
    # Emailed codes (AUTH-5) are asked only in active memberships of paid accounts.
    paid = {
        m.account_id
        for m in members
        if m.status == MemberStatus.ACTIVE and m.account.plan != Plan.TRIAL
    }
    code_roles: set[tuple[int, int]] = set()
    code_broadcast_agents: set[int] = set()
    if paid:
        policies = MfaPolicy.objects.filter(account_id__in=paid).values_list(
            "account_id", "email_otp_broadcast_agents", "email_otp_roles"
        )
        for account_id, broadcast_agents, role_id in policies:  # a row per listed role
            if role_id is not None:  # a policy listing no role still comes back once
                code_roles.add((account_id, role_id))
            if broadcast_agents:
                code_broadcast_agents.add(account_id)
    for member in members:
        member.person = person  # the very object signing in: no join, no second copy
        member.sso_enforced = member.account_id in enforcing
        member.email_code_role = (member.account_id, member.role_id) in code_roles
        member.email_code_broadcast_agents = member.account_id in code_broadcast_agents
    return members


def sign_in_memberships(request, person: Person) -> list[Member]:
    """Active and invited memberships in account order, each with `sso_enforced` (SSO-2),
    `email_code_role` and `email_code_broadcast_agents` (AUTH-5, see mfa.requirements)."""
    if request is None:
        return _read(person)
    kept = getattr(request, _ON_REQUEST, None)
    if kept is not None and kept[0] == person.pk:
        return kept[1]
    members = _read(person)
    setattr(request, _ON_REQUEST, (person.pk, members))
    return members


def active_memberships(members: list[Member]) -> list[Member]:
    return [m for m in members if m.status == MemberStatus.ACTIVE]
