"""Enforced SSO (SSO-2): who must sign in through the identity provider.

An account enforces SSO while one of its enabled connections says so. Its members may not
sign in or reset a password with a password; the owner keeps the password as the
break-glass path (docs/sso.md), and every such sign-in is recorded.
"""

from __future__ import annotations

from crewbase.identity.sso.models import SsoConnection
from crewbase.people.models import Member, MemberStatus, Person
from crewbase.people.sessions import end_sessions


def enforcing_connection(account_id) -> SsoConnection | None:
    return (
        SsoConnection.objects.filter(account_id=account_id, enabled=True, enforced=True)
        .order_by("pk")
        .first()
    )


def account_enforces(account_id) -> bool:
    return SsoConnection.objects.filter(account_id=account_id, enabled=True, enforced=True).exists()


def password_verdict(person, memberships=None) -> tuple[list[Member], list[Member]]:
    """(members refused a password, owners using the break-glass password) of this person.

    One refused membership refuses the password altogether: a session is the person's, and
    could switch into the enforcing account. `memberships`: the active and invited ones read
    at sign-in with `sso_enforced` (signin.memberships), saving both queries."""
    if memberships is not None:
        enforced = [m for m in memberships if m.sso_enforced]
        return [m for m in enforced if not m.is_owner], [m for m in enforced if m.is_owner]
    memberships = list(
        Member.objects.select_related("account", "role", "person").filter(
            person=person, status__in=[MemberStatus.ACTIVE, MemberStatus.INVITED]
        )
    )
    enforcing = set(
        SsoConnection.objects.filter(
            account_id__in=[m.account_id for m in memberships], enabled=True, enforced=True
        ).values_list("account_id", flat=True)
    )
    refused = [m for m in memberships if m.account_id in enforcing and not m.is_owner]
    break_glass = [m for m in memberships if m.account_id in enforcing and m.is_owner]
    return refused, break_glass


def sso_link_for(member: Member) -> str:
    return f"/sso/{member.account_id}/"


def end_password_era_sessions(account_id) -> int:
    """Enforcement just began: end the sessions of the account's members but the owner.

    Their sessions may have started with a password, which is no longer allowed. Every
    session of such a person ends (not only those working in this account), for the same
    reason password_verdict refuses the password altogether: a session can switch accounts.
    Only people who have a session are loaded, so a large account costs one query plus one
    per signed-in person. Returns how many sessions ended.
    """
    from allauth.usersessions.models import UserSession

    member_people = Member.objects.filter(
        account_id=account_id,
        is_owner=False,
        status__in=[MemberStatus.ACTIVE, MemberStatus.INVITED],
    ).values("person_id")
    signed_in = UserSession.objects.filter(user_id__in=member_people).values("user_id")
    return sum(end_sessions(person) for person in Person.objects.filter(pk__in=signed_in))
