"""A person's own display preferences (LIST-2). Not account data: no permission, no activity."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed
from crewbase.people.models import Person

MEMBERS_VIEWS = ("table", "cards")


def set_members_view(*, actor: Actor, view: str) -> str:
    """Remember table or card view of the members list for the acting person."""
    if view not in MEMBERS_VIEWS:
        raise ValidationFailed(
            {"view": _("must be one of: %(choices)s") % {"choices": ", ".join(MEMBERS_VIEWS)}}
        )
    if actor.member is None:
        raise ValidationFailed({"view": _("only a signed-in member has preferences")})
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=actor.member.person_id)
        person.preferences = {**(person.preferences or {}), "members_view": view}
        person.save(update_fields=["preferences"])
    return view


def members_view_of(person) -> str:
    view = (getattr(person, "preferences", None) or {}).get("members_view")
    return view if view in MEMBERS_VIEWS else "table"
