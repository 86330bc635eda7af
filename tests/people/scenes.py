"""Arranging scenes for the actions tests: invitation links, signed-in clients, work items."""

import re

from django.test import Client

from crewbase.api.models import ApiToken
from crewbase.audit.models import ActivityEvent
from crewbase.core.models import OutboxMessage
from crewbase.core.tokens import hash_secret, new_secret
from crewbase.people.sessions import SESSION_ACCOUNT_KEY

LINK = re.compile(r"/invitations/([^/\s]+)/")


def invitation_token(email: str) -> str:
    """The token in the latest invitation email queued for `email`, as the person would click it."""
    message = (
        OutboxMessage.objects.filter(payload__to=email, payload__template="invitation")
        .order_by("-id")
        .first()
    )
    assert message is not None, f"no invitation email queued for {email}"
    return LINK.search(message.payload["body"]).group(1)


def signed_in_client(member) -> Client:
    """A browser signed in as the member's person, working in the member's account.

    One request is made so the session is tracked per person (allauth's usersessions
    middleware), exactly as after a real sign-in.
    """
    client = Client(HTTP_USER_AGENT="pytest-browser")
    client.force_login(member.person)
    session = client.session
    session[SESSION_ACCOUNT_KEY] = member.account_id
    session.save()
    client.get("/__no_such_page__/")
    return client


def is_signed_in(client: Client) -> bool:
    response = client.get("/__no_such_page__/")
    return response.wsgi_request.user.is_authenticated


def make_api_token(member, name="integration") -> ApiToken:
    secret = new_secret("cb_")
    return ApiToken.objects.create(
        account=member.account,
        member=member,
        name=name,
        prefix=secret[:8],
        token_hash=hash_secret(secret),
        scopes=["users.view"],
    )


def events(account, action=None):
    found = ActivityEvent.objects.filter(account=account).order_by("seq")
    return list(found.filter(action=action) if action else found)
