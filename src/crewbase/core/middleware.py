"""Loads the signed-in person's member row on every request, fresh from the database (ROLE-4)."""

from django.contrib.auth import logout
from django.utils.functional import SimpleLazyObject

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
        return self.get_response(request)


def actor_for_request(request) -> Actor | None:
    member = request.member
    if not member:  # request.member is a lazy object: "is None" would never be true
        return None
    return Actor.for_member(
        member,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
    )
