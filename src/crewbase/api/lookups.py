"""Turning ids from a URL into objects of the caller's account; anything else is a 404."""

from __future__ import annotations

from django.utils.translation import gettext as _

from crewbase.access.models import Role
from crewbase.api.models import ApiToken
from crewbase.api.schemas import MAX_ID
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound


def _valid_id(value) -> bool:
    return isinstance(value, int) and 1 <= value <= MAX_ID


def member(actor: Actor, member_id: int):
    if not _valid_id(member_id):
        raise NotFound(_("No member with id %(id)s in this account.") % {"id": member_id})
    from crewbase.people.selectors import get_member

    return get_member(actor, member_id)


def role(actor: Actor, role_id: int) -> Role:
    found = (
        Role.objects.for_account(actor.account).filter(pk=role_id).first()
        if _valid_id(role_id)
        else None
    )
    if found is None:
        raise NotFound(_("No role with id %(id)s in this account.") % {"id": role_id})
    return found


def api_token(actor: Actor, token_id: int) -> ApiToken:
    found = (
        ApiToken.objects.filter(account=actor.account, pk=token_id).select_related("member").first()
        if _valid_id(token_id)
        else None
    )
    if found is None:
        raise NotFound(_("No API token with id %(id)s in this account.") % {"id": token_id})
    return found
