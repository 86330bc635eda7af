"""Which tickets a member sees (ORG-5): the one selector every interface reads tickets through.

- `tickets.view_all` sees every ticket of the account, unless the member's chat access is
  "assigned divisions only" (ORG-4): then the tickets of their divisions plus their own.
- Anyone else sees the tickets assigned to them; a member with agent access also sees the
  tickets of their teams, or all tickets, when the account's agent ticket scope says so.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.accounts.models import AgentTicketScope
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound
from crewbase.org.models import ChatAccess, Division, MemberChatAccess, Team, Ticket
from crewbase.people.models import MemberStatus

VIEW_ALL = "tickets.view_all"
MAX_ID = 2**63 - 1


def chat_access_of(member) -> str:
    row = MemberChatAccess.objects.filter(member=member).first()
    return row.scope if row is not None else ChatAccess.ALL


def _divisions_of(member) -> QuerySet:
    return Division.members.through.objects.filter(member_id=member.pk).values("division_id")


def _teams_of(member) -> QuerySet:
    return Team.members.through.objects.filter(member_id=member.pk).values("team_id")


def tickets_visible_to(actor: Actor) -> QuerySet[Ticket]:
    tickets = Ticket.objects.filter(account=actor.account)
    member = actor.member
    if policy.can(actor, VIEW_ALL):
        if member is not None and chat_access_of(member) == ChatAccess.ASSIGNED:
            return tickets.filter(Q(division__in=_divisions_of(member)) | Q(assignee=member))
        return tickets
    if member is None or member.status != MemberStatus.ACTIVE:
        # SCIM has no tickets of its own; an inactive member sees nothing.
        return tickets.none()
    own = Q(assignee=member)
    scope = actor.account.agent_ticket_scope if member.agent_access else AgentTicketScope.ASSIGNED
    if scope == AgentTicketScope.ALL:
        return tickets
    if scope == AgentTicketScope.TEAM:
        return tickets.filter(own | Q(team__in=_teams_of(member)))
    return tickets.filter(own)


def visible_ticket(actor: Actor, ticket_id) -> Ticket:
    """One ticket the actor may see; any other (another account's, or hidden) is a 404."""
    found = None
    if isinstance(ticket_id, int) and 1 <= ticket_id <= MAX_ID:
        found = (
            tickets_visible_to(actor)
            .select_related("assignee", "queue", "team", "division")
            .filter(pk=ticket_id)
            .first()
        )
    if found is None:
        raise NotFound(_("No ticket with id %(id)s that you can see.") % {"id": ticket_id})
    return found
