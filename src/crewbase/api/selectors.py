"""Reads the API needs that no other area offers yet: pending invitations and API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from crewbase.access import policy
from crewbase.api.models import ApiToken
from crewbase.core.actor import Actor
from crewbase.people.models import Invitation, InvitationStatus


def pending_invitations(actor: Actor, *, after_id: int | None = None, limit: int = 50):
    """Pending invitations of the actor's account, oldest first, keyset-paginated by id."""
    policy.require(actor, "users.invite")
    qs = (
        Invitation.objects.filter(account=actor.account, status=InvitationStatus.PENDING)
        .exclude(member__isnull=True)
        .select_related("member", "member__role")
        .order_by("id")
    )
    if after_id is not None:
        qs = qs.filter(pk__gt=after_id)
    items = list(qs[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return items, (str(items[-1].pk) if more and items else None)


def api_tokens_visible_to(actor: Actor) -> QuerySet[ApiToken]:
    """Your own tokens; with `users.manage`, every token of the account."""
    tokens = ApiToken.objects.filter(account=actor.account).select_related("member")
    if policy.can(actor, "users.manage"):
        return tokens.order_by("-created_at", "-id")
    if actor.member is None:
        return tokens.none()
    return tokens.filter(member=actor.member).order_by("-created_at", "-id")
