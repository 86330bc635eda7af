"""Reading teams, divisions, queues and skills of the actor's account (needs users.view)."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy

from crewbase.access import policy
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound
from crewbase.org.models import Division, MemberSkill, Queue, Skill, Team

VIEW = "users.view"
# Ids are 64-bit everywhere we run; a bigger number cannot name a row.
MAX_ID = 2**63 - 1
KINDS = {Team: "team", Division: "division", Queue: "queue", Skill: "skill"}
NO_SUCH = {
    "team": gettext_lazy("No team with id %(id)s in this account."),
    "division": gettext_lazy("No division with id %(id)s in this account."),
    "queue": gettext_lazy("No queue with id %(id)s in this account."),
    "skill": gettext_lazy("No skill with id %(id)s in this account."),
}


def _with_counts(model, actor: Actor) -> QuerySet:
    policy.require(actor, VIEW)
    # Skills count their holders through the assignment table; the others their members.
    related = "assignments" if model is Skill else "members"
    return model.objects.filter(account=actor.account).annotate(member_count=Count(related))


def list_of(model, actor: Actor) -> list:
    return list(_with_counts(model, actor).order_by("name", "pk"))


def one_of(model, actor: Actor, object_id) -> object:
    """One object of the actor's account with its member count; anything else is a 404."""
    found = None
    if isinstance(object_id, int) and 1 <= object_id <= MAX_ID:
        found = _with_counts(model, actor).filter(pk=object_id).first()
    else:
        policy.require(actor, VIEW)
    if found is None:
        raise NotFound(NO_SUCH[KINDS[model]] % {"id": object_id})
    return found


def members_of(group) -> list:
    return list(group.members.order_by("display_name", "pk"))


def skills_of_member(actor: Actor, member) -> list[MemberSkill]:
    policy.require(actor, VIEW, target=member)
    return list(MemberSkill.objects.filter(member=member).select_related("skill"))
