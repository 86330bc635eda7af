"""Builders for members-list scenes: members with chosen names, emails and dates."""

from crewbase.people.models import Member, MemberStatus
from tests.conftest import make_member


def named_member(
    account, first, last, email, *, role="agent", status=MemberStatus.ACTIVE, **fields
) -> Member:
    """A member known by the name and email given (make_member names everyone "Pat")."""
    member = make_member(account, role, status=status, email=email)
    member.first_name, member.last_name = first, last
    for name, value in fields.items():
        setattr(member, name, value)
    member.refresh_display_name()
    member.save()
    return member


def ids(members) -> list[int]:
    return [m.pk for m in members]
