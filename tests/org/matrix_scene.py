"""The organisation objects the permission matrix (tests/authz) acts on: $team, $queue, …"""

from __future__ import annotations

from crewbase.org import actions, skill_actions
from crewbase.org.models import Ticket
from tests.conftest import actor_for, make_member


def org_values(account, owner) -> dict:
    admin = actor_for(owner)
    team = actions.create_team(actor=admin, name="Matrix team")
    division = actions.create_division(actor=admin, name="Matrix division")
    queue = actions.create_queue(actor=admin, name="Matrix queue")
    skill = skill_actions.create_skill(actor=admin, name="Matrix skill", min_level=1, max_level=5)
    queue_agent = make_member(account, "agent", agent_access=True)
    ticket = Ticket.objects.create(account=account, subject="Matrix ticket", division=division)
    return {
        "team": team.pk,
        "division": division.pk,
        "queue": queue.pk,
        "skill": skill.pk,
        "queue_agent": queue_agent.pk,
        "ticket": ticket.pk,
    }
