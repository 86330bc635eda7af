"""Teams, divisions and queues: create, rename, describe, delete, and who belongs (ORG-1/3/4).

Skills live in org/skill_actions.py. Teams and divisions have the same shape, so both go
through the same private helpers; queues differ only in who may belong (active agents).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed
from crewbase.org.models import Division, Queue, Team
from crewbase.people.models import Member, MemberStatus
from crewbase.webhooks.events import emit_group_change

NAME_MAX = 120
DESCRIPTION_MAX = 500
MAX_IDS_PER_REQUEST = 1000
MANAGE = "teams.manage"


# One whole sentence per kind of group: the kind's name is not a word to slot in.
NAME_TAKEN = {
    "team": gettext_lazy("a team named '%(name)s' already exists in this account"),
    "division": gettext_lazy("a division named '%(name)s' already exists in this account"),
    "queue": gettext_lazy("a queue named '%(name)s' already exists in this account"),
    "skill": gettext_lazy("a skill named '%(name)s' already exists in this account"),
}


def clean_name(model, actor: Actor, name, *, kind: str, existing=None) -> str:
    """A trimmed name of 1 to 120 characters, unique in the account ignoring case."""
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > NAME_MAX:
        raise ValidationFailed(
            {"name": _("enter a name of 1 to %(max)s characters") % {"max": NAME_MAX}}
        )
    name = name.strip()
    clash = model.objects.filter(account=actor.account, name__iexact=name)
    if existing is not None:
        clash = clash.exclude(pk=existing.pk)
    if clash.exists():
        raise ValidationFailed({"name": NAME_TAKEN[kind] % {"name": name}})
    return name


def _clean_description(description) -> str:
    if not isinstance(description, str) or len(description.strip()) > DESCRIPTION_MAX:
        raise ValidationFailed(
            {
                "description": _("must be text of at most %(limit)s characters")
                % {"limit": DESCRIPTION_MAX}
            }
        )
    return description.strip()


def members_in_account(actor: Actor, member_ids) -> list[Member]:
    """The members behind `member_ids`, all of the actor's account, or a 422 naming the strays.

    Another account's id reads exactly like an id that does not exist (FAIL-4)."""
    if not isinstance(member_ids, list | tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in member_ids
    ):
        raise ValidationFailed({"member_ids": _("must be a list of member ids")})
    if len(member_ids) > MAX_IDS_PER_REQUEST:
        raise ValidationFailed(
            {"member_ids": _("at most %(count)s ids per request") % {"count": MAX_IDS_PER_REQUEST}}
        )
    wanted = set(member_ids)
    found = list(Member.objects.filter(account=actor.account, pk__in=wanted).order_by("pk"))
    unknown = sorted(wanted - {m.pk for m in found})
    if unknown:
        raise ValidationFailed(
            {
                "member_ids": _("no such member in this account: %(ids)s")
                % {"ids": ", ".join(str(i) for i in unknown)}
            }
        )
    return found


# --- teams and divisions share one shape --------------------------------------------------


def _create_group(model, kind: str, *, actor: Actor, name, description) -> object:
    policy.require(actor, MANAGE)
    cleaned = {
        "name": clean_name(model, actor, name, kind=kind),
        "description": _clean_description(description),
    }
    with transaction.atomic():
        group = model.objects.create(account=actor.account, **cleaned)
        record(actor, f"{kind}.created", group, after=cleaned)
        emit_group_change(actor, kind, "created", group)
        return group


def _update_group(model, kind: str, *, actor: Actor, group, name=None, description=None):
    policy.require(actor, MANAGE, target=group)
    cleaned = {}
    if name is not None:
        cleaned["name"] = clean_name(model, actor, name, kind=kind, existing=group)
    if description is not None:
        cleaned["description"] = _clean_description(description)
    with transaction.atomic():
        group = model.objects.select_for_update().get(pk=group.pk)
        before = {key: getattr(group, key) for key in cleaned}
        if before == cleaned:
            return group
        for key, value in cleaned.items():
            setattr(group, key, value)
        group.save()
        record(actor, f"{kind}.updated", group, before=before, after=cleaned)
        emit_group_change(actor, kind, "updated", group, before=before)
        return group


def _delete_group(kind: str, *, actor: Actor, group) -> None:
    policy.require(actor, MANAGE, target=group)
    with transaction.atomic():
        count = group.members.count()
        record(actor, f"{kind}.deleted", group, before={"name": group.name, "members": count})
        emit_group_change(actor, kind, "deleted", group)
        group.delete()


def _emails(members) -> list[str]:
    return [m.email for m in members]


def _add_members(kind: str, *, actor: Actor, group, member_ids) -> list[Member]:
    """Adds the members not yet in the group; returns those newly added."""
    policy.require(actor, MANAGE, target=group)
    members = members_in_account(actor, member_ids)
    with transaction.atomic():
        present = set(
            group.members.filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True)
        )
        added = [m for m in members if m.pk not in present]
        if added:
            group.members.add(*added)
            record(actor, f"{kind}.members_added", group, after={"members": _emails(added)})
            emit_group_change(actor, kind, "members_added", group, added)
        return added


def _remove_members(kind: str, *, actor: Actor, group, member_ids) -> list[Member]:
    """Removes the listed members that are in the group; returns those removed."""
    policy.require(actor, MANAGE, target=group)
    members = members_in_account(actor, member_ids)
    with transaction.atomic():
        present = set(
            group.members.filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True)
        )
        removed = [m for m in members if m.pk in present]
        if removed:
            group.members.remove(*removed)
            record(actor, f"{kind}.members_removed", group, before={"members": _emails(removed)})
            emit_group_change(actor, kind, "members_removed", group, removed)
        return removed


def create_team(*, actor: Actor, name, description="") -> Team:
    return _create_group(Team, "team", actor=actor, name=name, description=description)


def update_team(*, actor: Actor, team: Team, name=None, description=None) -> Team:
    return _update_group(Team, "team", actor=actor, group=team, name=name, description=description)


def delete_team(*, actor: Actor, team: Team) -> None:
    _delete_group("team", actor=actor, group=team)


def add_team_members(*, actor: Actor, team: Team, member_ids) -> list[Member]:
    return _add_members("team", actor=actor, group=team, member_ids=member_ids)


def remove_team_members(*, actor: Actor, team: Team, member_ids) -> list[Member]:
    return _remove_members("team", actor=actor, group=team, member_ids=member_ids)


def create_division(*, actor: Actor, name, description="") -> Division:
    return _create_group(Division, "division", actor=actor, name=name, description=description)


def update_division(*, actor: Actor, division: Division, name=None, description=None) -> Division:
    return _update_group(
        Division, "division", actor=actor, group=division, name=name, description=description
    )


def delete_division(*, actor: Actor, division: Division) -> None:
    _delete_group("division", actor=actor, group=division)


def add_division_members(*, actor: Actor, division: Division, member_ids) -> list[Member]:
    return _add_members("division", actor=actor, group=division, member_ids=member_ids)


def remove_division_members(*, actor: Actor, division: Division, member_ids) -> list[Member]:
    return _remove_members("division", actor=actor, group=division, member_ids=member_ids)


# --- queues: only active members with agent access (ORG-3) --------------------------------


def create_queue(*, actor: Actor, name, description="") -> Queue:
    return _create_group(Queue, "queue", actor=actor, name=name, description=description)


def update_queue(*, actor: Actor, queue: Queue, name=None, description=None) -> Queue:
    return _update_group(
        Queue, "queue", actor=actor, group=queue, name=name, description=description
    )


def delete_queue(*, actor: Actor, queue: Queue) -> None:
    _delete_group("queue", actor=actor, group=queue)


def _why_not_an_agent(member: Member) -> str | None:
    if member.status != MemberStatus.ACTIVE:
        return _("%(email)s is %(status)s, not active") % {
            "email": member.email,
            "status": member.get_status_display().lower(),
        }
    if not member.agent_access:
        return _("%(email)s has no agent access") % {"email": member.email}
    return None


def set_queue_members(*, actor: Actor, queue: Queue, member_ids) -> Queue:
    """The queue's agents become exactly `member_ids`; all or nothing."""
    policy.require(actor, MANAGE, target=queue)
    members = members_in_account(actor, member_ids)
    with transaction.atomic():
        # Locked so a deactivation running now cannot slip a non-agent in after our check.
        members = list(
            Member.objects.select_for_update().filter(pk__in=[m.pk for m in members]).order_by("pk")
        )
        refusals = [reason for m in members if (reason := _why_not_an_agent(m))]
        if refusals:
            raise ValidationFailed(
                {"member_ids": "; ".join(refusals)},
                message=_(
                    "Nothing was changed. Only active members with agent access can "
                    "join a queue: %(refusals)s"
                )
                % {"refusals": "; ".join(refusals)},
            )
        queue = Queue.objects.select_for_update().get(pk=queue.pk)
        before = sorted(queue.members.values_list("email", flat=True))
        after = sorted(m.email for m in members)
        if before != after:
            queue.members.set(members)
            record(
                actor,
                "queue.members_set",
                queue,
                before={"members": before},
                after={"members": after},
            )
        return queue
