"""The bulk actions (LIST-3): what each needs, what it would do to one member, and doing it.

Each kind has three parts:
- `clean(actor, params)`: the parameters checked once for the whole job (the role exists and
  may be granted, the skill level is inside the skill's range, …);
- `assess(member, facts)`: for the preview, what would happen to this member ("change",
  "unchanged" or "skip" with the reason), from facts loaded for the whole selection at once;
  seats are counted down as the preview walks the members, as the run will;
- `apply(actor, member)`: one row of the run, through the existing action, which re-checks
  everything under its own locks; a refusal it raises becomes a "skipped" row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from crewbase.access.models import Role
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed
from crewbase.org import actions as org_actions
from crewbase.org import skill_actions
from crewbase.org.models import MemberSkill, Skill, Team
from crewbase.people.actions import changes, invitations, lifecycle, limits
from crewbase.people.models import (
    DeactivationReason,
    Invitation,
    InvitationStatus,
    Member,
    MemberStatus,
)

# Resending again within this time is "unchanged": running the same bulk resend twice must not
# mail everyone twice (LIST-3 "safe to run twice").
RESEND_COOLDOWN = timedelta(hours=1)

CHANGE, UNCHANGED, SKIP = "change", "unchanged", "skip"


@dataclass
class Facts:
    """What the preview knows about the selection, loaded in a few queries."""

    actor_member_id: int | None
    in_group: set[int] = field(default_factory=set)
    skill_levels: dict[int, int | None] = field(default_factory=dict)
    last_invited: dict[int, object] = field(default_factory=dict)
    seats_left: int = 0
    slots_left: int | None = None
    no_seat: str = ""


def _whole_number(value):
    """A level from JSON (a number) or a form (digits); anything else stays as it is."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return value


def _group_id(actor: Actor, model, value, name: str) -> int:
    group_id = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        group_id = int(value.strip())
    if group_id is not None and not 0 < group_id < 2**63:
        group_id = None  # beyond any id: refused below by name, never a database overflow
    if group_id is None or not model.objects.filter(account=actor.account, pk=group_id).exists():
        raise ValidationFailed(
            {
                name: _("no %(name)s with id %(id)s in this account")
                % {"name": name, "id": repr(str(value)[:40])}
            }
        )
    return group_id


class Kind:
    key = ""
    label = ""
    permission = "users.manage"

    def clean(self, actor: Actor, params: dict) -> dict:
        return {}

    def describe(self, params: dict) -> str:
        return gettext(self.label)

    def load_facts(self, actor: Actor, params: dict, member_ids: list[int], facts: Facts):
        return None

    def assess(self, member: Member, params: dict, facts: Facts) -> tuple[str, str]:
        raise NotImplementedError

    def apply(self, actor: Actor, member: Member, params: dict) -> tuple[str, str]:
        raise NotImplementedError


def _role_change(before: str, after: str) -> str:
    return _("role %(before)s → %(after)s") % {"before": before, "after": after}


class ChangeRole(Kind):
    key, label = "change_role", gettext_noop("Change role")

    def clean(self, actor, params):
        role = invitations.resolve_role(actor, params.get("role"))
        invitations.require_grantable(actor, role)
        return {"role": role.pk, "role_name": role.name}

    def describe(self, params):
        return _("Change role to %(role)s") % {"role": params["role_name"]}

    def assess(self, member, params, facts):
        if member.role_id == params["role"]:
            return UNCHANGED, _("already %(role)s") % {"role": params["role_name"]}
        if member.is_owner:
            return SKIP, _("the owner cannot be demoted")
        return CHANGE, _role_change(member.role.name, params["role_name"])

    def apply(self, actor, member, params):
        before = member.role.name
        if member.role_id == params["role"]:
            return UNCHANGED, _("already %(role)s") % {"role": params["role_name"]}
        changes.change_role(actor=actor, member=member, role_id=params["role"])
        return CHANGE, _role_change(before, params["role_name"])


class _TeamKind(Kind):
    permission = "teams.manage"

    def clean(self, actor, params):
        team_id = _group_id(actor, Team, params.get("team"), "team")
        return {
            "team": team_id,
            "team_name": Team.objects.get(pk=team_id, account=actor.account).name,
        }

    def load_facts(self, actor, params, member_ids, facts):
        through = Team.members.through.objects.filter(team_id=params["team"])
        facts.in_group = set(through.values_list("member_id", flat=True))


class AddToTeam(_TeamKind):
    key, label = "add_to_team", gettext_noop("Add to team")

    def describe(self, params):
        return _("Add to team %(team)s") % {"team": params["team_name"]}

    def assess(self, member, params, facts):
        if member.pk in facts.in_group:
            return UNCHANGED, _("already in team %(team)s") % {"team": params["team_name"]}
        return CHANGE, _("added to team %(team)s") % {"team": params["team_name"]}

    def apply(self, actor, member, params):
        team = Team.objects.get(pk=params["team"], account=actor.account)
        added = org_actions.add_team_members(actor=actor, team=team, member_ids=[member.pk])
        if not added:
            return UNCHANGED, _("already in team %(team)s") % {"team": team.name}
        return CHANGE, _("added to team %(team)s") % {"team": team.name}


class RemoveFromTeam(_TeamKind):
    key, label = "remove_from_team", gettext_noop("Remove from team")

    def describe(self, params):
        return _("Remove from team %(team)s") % {"team": params["team_name"]}

    def assess(self, member, params, facts):
        if member.pk not in facts.in_group:
            return UNCHANGED, _("not in team %(team)s") % {"team": params["team_name"]}
        return CHANGE, _("removed from team %(team)s") % {"team": params["team_name"]}

    def apply(self, actor, member, params):
        team = Team.objects.get(pk=params["team"], account=actor.account)
        removed = org_actions.remove_team_members(actor=actor, team=team, member_ids=[member.pk])
        if not removed:
            return UNCHANGED, _("not in team %(team)s") % {"team": team.name}
        return CHANGE, _("removed from team %(team)s") % {"team": team.name}


class AddSkill(Kind):
    key, label = "add_skill", gettext_noop("Add skill")
    permission = "teams.manage"

    def clean(self, actor, params):
        skill_id = _group_id(actor, Skill, params.get("skill"), "skill")
        skill = Skill.objects.get(pk=skill_id, account=actor.account)
        raw_level = params.get("level")
        if isinstance(raw_level, str) and not raw_level.strip():
            raw_level = None
        level = skill_actions.clean_level(skill, _whole_number(raw_level))
        return {"skill": skill.pk, "skill_name": skill.name, "level": level}

    def describe(self, params):
        if params["level"] is None:
            return _("Add skill %(skill)s") % {"skill": params["skill_name"]}
        return _("Add skill %(skill)s at level %(level)s") % {
            "skill": params["skill_name"],
            "level": params["level"],
        }

    def _added(self, params) -> str:
        if params["level"] is None:
            return _("skill %(skill)s") % {"skill": params["skill_name"]}
        return _("skill %(skill)s at level %(level)s") % {
            "skill": params["skill_name"],
            "level": params["level"],
        }

    def _held(self, params) -> str:
        if params["level"] is None:
            return _("already has %(skill)s") % {"skill": params["skill_name"]}
        return _("already has %(skill)s at level %(level)s") % {
            "skill": params["skill_name"],
            "level": params["level"],
        }

    def _level_change(self, params, before) -> str:
        return _("%(skill)s level %(before)s → %(after)s") % {
            "skill": params["skill_name"],
            "before": before,
            "after": params["level"],
        }

    def load_facts(self, actor, params, member_ids, facts):
        held = MemberSkill.objects.filter(skill_id=params["skill"])
        facts.skill_levels = dict(held.values_list("member_id", "level"))

    def assess(self, member, params, facts):
        if member.pk not in facts.skill_levels:
            return CHANGE, self._added(params)
        if facts.skill_levels[member.pk] == params["level"]:
            return UNCHANGED, self._held(params)
        return CHANGE, self._level_change(params, facts.skill_levels[member.pk])

    def apply(self, actor, member, params):
        before = MemberSkill.objects.filter(skill_id=params["skill"], member=member).first()
        if before is not None and before.level == params["level"]:
            return UNCHANGED, self._held(params)
        skill_actions.assign_skill(
            actor=actor, member=member, skill_id=params["skill"], level=params["level"]
        )
        if before is None:
            return CHANGE, self._added(params)
        return CHANGE, self._level_change(params, before.level)


class Deactivate(Kind):
    key, label = "deactivate", gettext_noop("Deactivate")

    def clean(self, actor, params):
        reason = params.get("reason") or DeactivationReason.OTHER
        if reason not in DeactivationReason.values:
            raise ValidationFailed(
                {
                    "reason": _("must be one of: %(choices)s")
                    % {"choices": ", ".join(DeactivationReason.values)}
                }
            )
        return {"reason": reason}

    def assess(self, member, params, facts):
        if member.status == MemberStatus.DEACTIVATED:
            return UNCHANGED, _("already deactivated")
        if member.is_owner:
            return SKIP, _("the owner cannot be deactivated")
        if member.pk == facts.actor_member_id:
            return SKIP, _("you cannot deactivate yourself")
        if member.status == MemberStatus.INVITED:
            return SKIP, _("has not joined yet; cancel the invitation instead")
        return CHANGE, _("deactivated; signed out, removed from queues, open tickets unassigned")

    def apply(self, actor, member, params):
        if member.status == MemberStatus.DEACTIVATED:
            return UNCHANGED, _("already deactivated")
        result = lifecycle.deactivate_member(actor=actor, member=member, reason=params["reason"])
        return CHANGE, _(
            "deactivated; %(sessions)s sessions ended, "
            "%(tickets)s open tickets unassigned, left %(queues)s queues"
        ) % {
            "sessions": result.sessions_ended,
            "tickets": result.tickets_reassigned,
            "queues": len(result.queues_left),
        }


class Reactivate(Kind):
    key, label = "reactivate", gettext_noop("Reactivate")

    def load_facts(self, actor, params, member_ids, facts):
        facts.slots_left = limits.user_slots_left(actor.account)
        facts.seats_left = limits.agent_seats_left(actor.account)

    def assess(self, member, params, facts):
        if member.status == MemberStatus.ACTIVE:
            return UNCHANGED, _("already active")
        if member.status == MemberStatus.INVITED:
            return SKIP, _("has not joined yet; there is nothing to reactivate")
        if facts.slots_left is not None:
            if facts.slots_left < 1:
                return SKIP, _("the plan's user limit is reached")
            facts.slots_left -= 1
        if member.agent_access:
            if facts.seats_left < 1:
                return CHANGE, _(
                    "reactivated (queues are not restored); "
                    "agent access will be turned off: no agent seat left"
                )
            facts.seats_left -= 1
        return CHANGE, _("reactivated (queues are not restored)")

    def apply(self, actor, member, params):
        if member.status == MemberStatus.ACTIVE:
            return UNCHANGED, _("already active")
        result = lifecycle.reactivate_member(actor=actor, member=member)
        if result.agent_access_dropped:
            return CHANGE, _(
                "reactivated (queues are not restored); agent access turned off: no agent seat left"
            )
        return CHANGE, _("reactivated (queues are not restored)")


def _not_invited(member: Member) -> str:
    return _("is %(status)s, not invited") % {"status": member.get_status_display().lower()}


class ResendInvitations(Kind):
    key, label = "resend_invitations", gettext_noop("Resend invitations")
    permission = "users.invite"

    def load_facts(self, actor, params, member_ids, facts):
        pending = Invitation.objects.filter(
            account=actor.account, status=InvitationStatus.PENDING, member_id__isnull=False
        )
        facts.last_invited = dict(pending.values_list("member_id", "created_at"))

    def _recent(self, sent_at) -> bool:
        return sent_at is not None and clock.now() - sent_at < RESEND_COOLDOWN

    def assess(self, member, params, facts):
        if member.status != MemberStatus.INVITED:
            return SKIP, _not_invited(member)
        if self._recent(facts.last_invited.get(member.pk)):
            return UNCHANGED, _("an invitation was sent less than an hour ago")
        return CHANGE, _("a new invitation link (the old one stops working)")

    def apply(self, actor, member, params):
        if member.status != MemberStatus.INVITED:
            return SKIP, _not_invited(member)
        last = (
            Invitation.objects.filter(member=member, status=InvitationStatus.PENDING)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if self._recent(last):
            return UNCHANGED, _("an invitation was sent less than an hour ago")
        invitations.resend_invitation(actor=actor, member=member)
        return CHANGE, _("invitation resent")


class AgentAccess(Kind):
    enabled = True

    def load_facts(self, actor, params, member_ids, facts):
        facts.seats_left = limits.agent_seats_left(actor.account)
        # Once the preview has handed out the last seat, every seat is in use.
        total = actor.account.agent_seat_total
        facts.no_seat = _("no agent seat left (%(used)s of %(total)s used)") % {
            "used": total,
            "total": total,
        }

    def assess(self, member, params, facts):
        if member.agent_access == self.enabled:
            return UNCHANGED, self._already()
        holds_seat = member.status in (MemberStatus.ACTIVE, MemberStatus.INVITED)
        if self.enabled and holds_seat:
            if facts.seats_left < 1:
                return SKIP, facts.no_seat
            facts.seats_left -= 1
        if not self.enabled:
            return CHANGE, _("agent access turned off; leaves every queue")
        return CHANGE, _("agent access turned on")

    def apply(self, actor, member, params):
        if member.agent_access == self.enabled:
            return UNCHANGED, self._already()
        changes.set_agent_access(actor=actor, member=member, enabled=self.enabled)
        return CHANGE, _("agent access turned on") if self.enabled else _("agent access turned off")

    def _already(self) -> str:
        return _("agent access already on") if self.enabled else _("agent access already off")


class AgentAccessOn(AgentAccess):
    key, label, enabled = "agent_access_on", gettext_noop("Turn agent access on"), True


class AgentAccessOff(AgentAccess):
    key, label, enabled = "agent_access_off", gettext_noop("Turn agent access off"), False


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        ChangeRole(),
        AddToTeam(),
        RemoveFromTeam(),
        AddSkill(),
        Deactivate(),
        Reactivate(),
        ResendInvitations(),
        AgentAccessOn(),
        AgentAccessOff(),
    )
}


def get_kind(key) -> Kind:
    kind = KINDS.get(key) if isinstance(key, str) else None
    if kind is None:
        raise ValidationFailed(
            {"action": _("must be one of: %(choices)s") % {"choices": ", ".join(KINDS)}}
        )
    return kind


def role_choices(account) -> list[tuple[int, str]]:
    return list(Role.objects.for_account(account).order_by("name").values_list("pk", "name"))
