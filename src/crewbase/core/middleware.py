"""Loads the signed-in person's member row on every request, fresh from the database (ROLE-4)."""

import logging

from django.contrib.auth import logout
from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject, empty

from crewbase.core.actor import Actor
from crewbase.core.request_info import client_ip
from crewbase.people.models import Member, MemberStatus
from crewbase.people.sessions import SESSION_ACCOUNT_KEY


def current_member(request) -> Member | None:
    person = getattr(request, "user", None)
    if person is None or not person.is_authenticated:
        return None
    memberships = Member.objects.select_related("role", "account", "person").filter(
        person=person, status=MemberStatus.ACTIVE
    )
    chosen = request.session.get(SESSION_ACCOUNT_KEY)
    if chosen is not None:
        member = memberships.filter(account_id=chosen).first()
        if member is None:
            # The member was deactivated or removed since the last request: end the session.
            logout(request)
        return member
    member = memberships.order_by("account_id").first()
    if member is None:
        logout(request)
        return None
    request.session[SESSION_ACCOUNT_KEY] = member.account_id
    return member


class CurrentMemberMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member = SimpleLazyObject(lambda: current_member(request))
        request.actor = SimpleLazyObject(lambda: actor_for_request(request))
        response = self.get_response(request)
        _note_presence(request)
        return response


def _note_presence(request) -> None:
    """Activity in the console keeps the member "online" (LIST-4); at most a write a minute."""
    member = getattr(request, "member", None)
    if getattr(member, "_wrapped", empty) is empty or not member:
        return  # the request never needed the member: nothing to note, no query
    from crewbase.work.presence import note_seen

    try:
        note_seen(member)
    except DatabaseError:
        # Presence is a hint: a failed write must not turn a served page into an error.
        logging.getLogger(__name__).warning("could not note presence", exc_info=True)


def actor_for_request(request) -> Actor | None:
    member = request.member
    if not member:  # request.member is a lazy object: "is None" would never be true
        return None
    return Actor.for_member(
        member,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
    )
