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
        return self.label

    def load_facts(self, actor: Actor, params: dict, member_ids: list[int], facts: Facts):
        return None

    def assess(self, member: Member, params: dict, facts: Facts) -> tuple[str, str]:
        raise NotImplementedError

    def apply(self, actor: Actor, member: Member, params: dict) -> tuple[str, str]:
        raise NotImplementedError


class ChangeRole(Kind):
    key, label = "change_role", "Change role"

    def clean(self, actor, params):
        role = invitations.resolve_role(actor, params.get("role"))
        invitations.require_grantable(actor, role)
        return {"role": role.pk, "role_name": role.name}

    def describe(self, params):
        return f"Change role to {params['role_name']}"

    def assess(self, member, params, facts):
        if member.role_id == params["role"]:
            return UNCHANGED, f"already {params['role_name']}"
        if member.is_owner:
            return SKIP, "the owner cannot be demoted"
        return CHANGE, f"role {member.role.name} → {params['role_name']}"

    def apply(self, actor, member, params):
        before = member.role.name
        if member.role_id == params["role"]:
            return UNCHANGED, f"already {params['role_name']}"
        changes.change_role(actor=actor, member=member, role_id=params["role"])
        return CHANGE, f"role {before} → {params['role_name']}"


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
    key, label = "add_to_team", "Add to team"

    def describe(self, params):
        return f"Add to team {params['team_name']}"

    def assess(self, member, params, facts):
        if member.pk in facts.in_group:
            return UNCHANGED, f"already in team {params['team_name']}"
        return CHANGE, f"added to team {params['team_name']}"

    def apply(self, actor, member, params):
        team = Team.objects.get(pk=params["team"], account=actor.account)
        added = org_actions.add_team_members(actor=actor, team=team, member_ids=[member.pk])
        if not added:
            return UNCHANGED, f"already in team {team.name}"
        return CHANGE, f"added to team {team.name}"


class RemoveFromTeam(_TeamKind):
    key, label = "remove_from_team", "Remove from team"

    def describe(self, params):
        return f"Remove from team {params['team_name']}"

    def assess(self, member, params, facts):
        if member.pk not in facts.in_group:
            return UNCHANGED, f"not in team {params['team_name']}"
        return CHANGE, f"removed from team {params['team_name']}"

    def apply(self, actor, member, params):
        team = Team.objects.get(pk=params["team"], account=actor.account)
        removed = org_actions.remove_team_members(actor=actor, team=team, member_ids=[member.pk])
        if not removed:
            return UNCHANGED, f"not in team {team.name}"
        return CHANGE, f"removed from team {team.name}"


class AddSkill(Kind):
    key, label = "add_skill", "Add skill"
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
        level = f" at level {params['level']}" if params["level"] is not None else ""
        return f"Add skill {params['skill_name']}{level}"

    def _what(self, params) -> str:
        level = f" at level {params['level']}" if params["level"] is not None else ""
        return f"{params['skill_name']}{level}"

    def load_facts(self, actor, params, member_ids, facts):
        held = MemberSkill.objects.filter(skill_id=params["skill"])
        facts.skill_levels = dict(held.values_list("member_id", "level"))

    def assess(self, member, params, facts):
        if member.pk not in facts.skill_levels:
            return CHANGE, f"skill {self._what(params)}"
        if facts.skill_levels[member.pk] == params["level"]:
            return UNCHANGED, f"already has {self._what(params)}"
        return (
            CHANGE,
            f"{params['skill_name']} level {facts.skill_levels[member.pk]} → {params['level']}",
        )

    def apply(self, actor, member, params):
        before = MemberSkill.objects.filter(skill_id=params["skill"], member=member).first()
        if before is not None and before.level == params["level"]:
            return UNCHANGED, f"already has {self._what(params)}"
        skill_actions.assign_skill(
            actor=actor, member=member, skill_id=params["skill"], level=params["level"]
        )
        if before is None:
            return CHANGE, f"skill {self._what(params)}"
        return CHANGE, f"{params['skill_name']} level {before.level} → {params['level']}"


class Deactivate(Kind):
    key, label = "deactivate", "Deactivate"

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
            return UNCHANGED, "already deactivated"
        if member.is_owner:
            return SKIP, "the owner cannot be deactivated"
        if member.pk == facts.actor_member_id:
            return SKIP, "you cannot deactivate yourself"
        if member.status == MemberStatus.INVITED:
            return SKIP, "has not joined yet; cancel the invitation instead"
        return CHANGE, "deactivated; signed out, removed from queues, open tickets unassigned"

    def apply(self, actor, member, params):
        if member.status == MemberStatus.DEACTIVATED:
            return UNCHANGED, "already deactivated"
        result = lifecycle.deactivate_member(actor=actor, member=member, reason=params["reason"])
        return CHANGE, (
            f"deactivated; {result.sessions_ended} sessions ended, "
            f"{result.tickets_reassigned} open tickets unassigned, "
            f"left {len(result.queues_left)} queues"
        )


class Reactivate(Kind):
    key, label = "reactivate", "Reactivate"

    def load_facts(self, actor, params, member_ids, facts):
        facts.slots_left = limits.user_slots_left(actor.account)
        facts.seats_left = limits.agent_seats_left(actor.account)

    def assess(self, member, params, facts):
        if member.status == MemberStatus.ACTIVE:
            return UNCHANGED, "already active"
        if member.status == MemberStatus.INVITED:
            return SKIP, "has not joined yet; there is nothing to reactivate"
        if facts.slots_left is not None:
            if facts.slots_left < 1:
                return SKIP, "the plan's user limit is reached"
            facts.slots_left -= 1
        note = "reactivated (queues are not restored)"
        if member.agent_access:
            if facts.seats_left < 1:
                return CHANGE, note + "; agent access will be turned off: no agent seat left"
            facts.seats_left -= 1
        return CHANGE, note

    def apply(self, actor, member, params):
        if member.status == MemberStatus.ACTIVE:
            return UNCHANGED, "already active"
        result = lifecycle.reactivate_member(actor=actor, member=member)
        note = "reactivated (queues are not restored)"
        if result.agent_access_dropped:
            note += "; agent access turned off: no agent seat left"
        return CHANGE, note


class ResendInvitations(Kind):
    key, label = "resend_invitations", "Resend invitations"
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
            return SKIP, f"is {member.get_status_display().lower()}, not invited"
        if self._recent(facts.last_invited.get(member.pk)):
            return UNCHANGED, "an invitation was sent less than an hour ago"
        return CHANGE, "a new invitation link (the old one stops working)"

    def apply(self, actor, member, params):
        if member.status != MemberStatus.INVITED:
            return SKIP, f"is {member.get_status_display().lower()}, not invited"
        last = (
            Invitation.objects.filter(member=member, status=InvitationStatus.PENDING)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if self._recent(last):
            return UNCHANGED, "an invitation was sent less than an hour ago"
        invitations.resend_invitation(actor=actor, member=member)
        return CHANGE, "invitation resent"


class AgentAccess(Kind):
    enabled = True

    def load_facts(self, actor, params, member_ids, facts):
        facts.seats_left = limits.agent_seats_left(actor.account)
        # Once the preview has handed out the last seat, every seat is in use.
        total = actor.account.agent_seat_total
        facts.no_seat = f"no agent seat left ({total} of {total} used)"

    def assess(self, member, params, facts):
        if member.agent_access == self.enabled:
            return UNCHANGED, "agent access already " + ("on" if self.enabled else "off")
        holds_seat = member.status in (MemberStatus.ACTIVE, MemberStatus.INVITED)
        if self.enabled and holds_seat:
            if facts.seats_left < 1:
                return SKIP, facts.no_seat
            facts.seats_left -= 1
        if not self.enabled:
            return CHANGE, "agent access turned off; leaves every queue"
        return CHANGE, "agent access turned on"

    def apply(self, actor, member, params):
        if member.agent_access == self.enabled:
            return UNCHANGED, "agent access already " + ("on" if self.enabled else "off")
        changes.set_agent_access(actor=actor, member=member, enabled=self.enabled)
        return CHANGE, "agent access turned " + ("on" if self.enabled else "off")


class AgentAccessOn(AgentAccess):
    key, label, enabled = "agent_access_on", "Turn agent access on", True


class AgentAccessOff(AgentAccess):
    key, label, enabled = "agent_access_off", "Turn agent access off", False


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
