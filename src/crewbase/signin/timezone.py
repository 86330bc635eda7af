"""Times on console pages in the signed-in person's time zone (SELF-1).

The zone is the person's own choice (personal settings), else their account's; Django's
templates then show every aware datetime in it (`|date`, `{{ value }}`).
"""

from __future__ import annotations

import zoneinfo

from django.utils import timezone

from crewbase.people.models import Member, MemberStatus
from crewbase.people.sessions import SESSION_ACCOUNT_KEY


def zone_for(request) -> zoneinfo.ZoneInfo | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    zone = _zone((user.preferences or {}).get("time_zone"))
    if zone is None:
        zone = _zone(_account_zone(request, user))
    return zone


def _account_zone(request, user) -> str | None:
    """The zone of the account this session works in. Read directly, not via request.member:
    loading that signs out a person with no active membership, who may be signed in only to
    accept an invitation (INV-5)."""
    session = getattr(request, "session", None)
    account_id = session.get(SESSION_ACCOUNT_KEY) if session is not None else None
    members = Member.objects.filter(person_id=user.pk)
    if account_id is not None:
        members = members.filter(account_id=account_id)
    else:  # the account the console will pick: the first active one (core/middleware.py)
        members = members.filter(status=MemberStatus.ACTIVE).order_by("account_id")
    return members.values_list("account__time_zone", flat=True).first()


def _zone(name) -> zoneinfo.ZoneInfo | None:
    if not name or not isinstance(name, str):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return None


class PersonTimeZoneMiddleware:
    """After CurrentMemberMiddleware: activates the zone for this request only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = zone_for(request)
        if zone is None:
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
