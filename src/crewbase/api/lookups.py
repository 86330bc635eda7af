"""Turning ids from a URL into objects of the caller's account; anything else is a 404."""

from __future__ import annotations

from crewbase.access.models import Role
from crewbase.api.models import ApiToken
from crewbase.api.schemas import MAX_ID
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound


def _valid_id(value) -> bool:
    return isinstance(value, int) and 1 <= value <= MAX_ID


def member(actor: Actor, member_id: int):
    if not _valid_id(member_id):
        raise NotFound(f"No member with id {member_id} in this account.")
    from crewbase.people.selectors import get_member

    return get_member(actor, member_id)


def role(actor: Actor, role_id: int) -> Role:
    found = (
        Role.objects.for_account(actor.account).filter(pk=role_id).first()
        if _valid_id(role_id)
        else None
    )
    if found is None:
        raise NotFound(f"No role with id {role_id} in this account.")
    return found


def api_token(actor: Actor, token_id: int) -> ApiToken:
    found = (
        ApiToken.objects.filter(account=actor.account, pk=token_id).select_related("member").first()
        if _valid_id(token_id)
        else None
    )
    if found is None:
        raise NotFound(f"No API token with id {token_id} in this account.")
    return found
