"""Ticket visibility (ORG-5, ORG-4): one selector decides; delete and export need their
permissions and are recorded."""

from __future__ import annotations

import pytest

from crewbase.access.actions import create_role
from crewbase.accounts.models import AgentTicketScope
from crewbase.audit.models import ActivityEvent
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound, PermissionDenied, ValidationFailed
from crewbase.org import actions, ticket_actions
from crewbase.org.models import ChatAccess, Ticket
from crewbase.org.tickets import tickets_visible_to, visible_ticket
from tests.conftest import actor_for, make_account, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    """Tickets of one account: the agent's own, their team's, another team's, two divisions'."""
    account, owner = make_account(paid_agent_seats=5)
    admin = actor_for(owner)
    agent = make_member(account, "agent", agent_access=True)
    colleague = make_member(account, "agent", agent_access=True)
    supervisor = make_member(account, "supervisor")
    team = actions.create_team(actor=admin, name="Billing")
    other_team = actions.create_team(actor=admin, name="Returns")
    actions.add_team_members(actor=admin, team=team, member_ids=[agent.pk])
    north = actions.create_division(actor=admin, name="North")
    south = actions.create_division(actor=admin, name="South")
    actions.add_division_members(actor=admin, division=north, member_ids=[supervisor.pk])

    def ticket(subject, **fields):
        return Ticket.objects.create(account=account, subject=subject, **fields)

    tickets = {
        "own": ticket("Own", assignee=agent),
        "team": ticket("Team", team=team, assignee=colleague),
        "other_team": ticket("Other team", team=other_team),
        "north": ticket("North", division=north),
        "south": ticket("South", division=south, assignee=supervisor),
        "nothing": ticket("Unassigned"),
    }
    other_account, other_owner = make_account()
    Ticket.objects.create(account=other_account, subject="Elsewhere")
    return {
        "account": account,
        "owner": owner,
        "admin": admin,
        "agent": agent,
        "colleague": colleague,
        "supervisor": supervisor,
        "tickets": tickets,
        "other_owner": other_owner,
    }


def _seen(actor) -> set[str]:
    return set(tickets_visible_to(actor).values_list("subject", flat=True))


def _with_scope(desk, scope):
    desk["account"].agent_ticket_scope = scope
    desk["account"].save()


ALL_SIX = {"Own", "Team", "Other team", "North", "South", "Unassigned"}


def test_an_agent_sees_only_assigned_tickets_by_default(desk):
    assert _seen(actor_for(desk["agent"])) == {"Own"}
    assert _seen(actor_for(desk["colleague"])) == {"Team"}


def test_team_scope_adds_the_tickets_of_the_agents_teams(desk):
    _with_scope(desk, AgentTicketScope.TEAM)
    assert _seen(actor_for(desk["agent"])) == {"Own", "Team"}
    assert _seen(actor_for(desk["colleague"])) == {"Team"}  # in no team: only assigned


def test_all_scope_shows_agents_every_ticket_of_their_account(desk):
    _with_scope(desk, AgentTicketScope.ALL)
    assert _seen(actor_for(desk["agent"])) == ALL_SIX


def test_the_agent_scope_needs_agent_access(desk):
    _with_scope(desk, AgentTicketScope.ALL)
    editor = make_member(desk["account"], "editor", agent_access=False)
    Ticket.objects.create(account=desk["account"], subject="Editor's", assignee=editor)
    assert _seen(actor_for(editor)) == {"Editor's"}


def test_view_all_sees_everything_in_the_account_and_nothing_beyond(desk):
    assert _seen(desk["admin"]) == ALL_SIX
    read_only = make_member(desk["account"], "read_only")
    assert _seen(actor_for(read_only)) == ALL_SIX
    assert _seen(actor_for(desk["supervisor"])) == ALL_SIX
    assert _seen(actor_for(desk["other_owner"])) == {"Elsewhere"}


def test_a_supervisor_with_assigned_divisions_only_sees_their_divisions_and_own(desk):
    ticket_actions.set_chat_access(
        actor=desk["admin"], member=desk["supervisor"], scope=ChatAccess.ASSIGNED
    )
    assert _seen(actor_for(desk["supervisor"])) == {"North", "South"}  # South is assigned
    event = ActivityEvent.objects.get(action="member.chat_access_changed")
    assert event.before == {"chat_access": "all"}
    assert event.after == {"chat_access": "assigned"}

    ticket_actions.set_chat_access(
        actor=desk["admin"], member=desk["supervisor"], scope=ChatAccess.ALL
    )
    assert _seen(actor_for(desk["supervisor"])) == ALL_SIX


def test_chat_access_refuses_bad_values_and_needs_teams_manage(desk):
    with pytest.raises(ValidationFailed) as refused:
        ticket_actions.set_chat_access(actor=desk["admin"], member=desk["agent"], scope="some")
    assert refused.value.errors == {"chat_access": "must be 'all' or 'assigned'"}
    with pytest.raises(PermissionDenied):
        ticket_actions.set_chat_access(
            actor=actor_for(desk["supervisor"]), member=desk["agent"], scope="assigned"
        )
    with pytest.raises(NotFound):
        ticket_actions.set_chat_access(
            actor=actor_for(desk["other_owner"]), member=desk["agent"], scope="assigned"
        )


def test_a_token_without_view_all_sees_what_its_member_would_without_it(desk):
    supervisor = desk["supervisor"]
    narrowed = Actor(
        kind="api_token",
        account=desk["account"],
        member=supervisor,
        token_id=1,
        scopes=frozenset({"users.view"}),
    )
    assert _seen(narrowed) == {"South"}


def test_a_custom_role_with_view_all_sees_everything(desk):
    role = create_role(actor=desk["admin"], name="Auditor", permissions=["tickets.view_all"])
    auditor = make_member(desk["account"], role)
    assert _seen(actor_for(auditor)) == ALL_SIX


def test_scim_and_inactive_members_see_no_ticket(desk):
    assert _seen(Actor(kind="scim", account=desk["account"])) == set()
    desk["agent"].status = "deactivated"
    desk["agent"].save()
    assert _seen(Actor.for_member(desk["agent"])) == set()


def test_one_ticket_is_a_404_when_hidden_or_of_another_account(desk):
    agent = actor_for(desk["agent"])
    assert visible_ticket(agent, desk["tickets"]["own"].pk).subject == "Own"
    for hidden in ("north", "nothing"):
        with pytest.raises(NotFound):
            visible_ticket(agent, desk["tickets"][hidden].pk)
    with pytest.raises(NotFound):
        visible_ticket(actor_for(desk["other_owner"]), desk["tickets"]["own"].pk)
    for junk in (0, -1, 2**64, "1", None):
        with pytest.raises(NotFound):
            visible_ticket(desk["admin"], junk)


def test_deleting_needs_tickets_delete_and_is_recorded(desk):
    north = desk["tickets"]["north"]
    with pytest.raises(PermissionDenied):
        ticket_actions.delete_ticket(actor=actor_for(desk["supervisor"]), ticket_id=north.pk)
    assert Ticket.objects.filter(pk=north.pk).exists()

    ticket_actions.delete_ticket(actor=desk["admin"], ticket_id=north.pk)
    assert not Ticket.objects.filter(pk=north.pk).exists()
    event = ActivityEvent.objects.get(action="ticket.deleted")
    assert event.target_display == "North"
    assert event.before["subject"] == "North"

    with pytest.raises(NotFound):
        ticket_actions.delete_ticket(actor=desk["admin"], ticket_id=north.pk)


def test_a_deleter_cannot_delete_a_ticket_they_cannot_see(desk):
    role = create_role(actor=desk["admin"], name="Cleaner", permissions=["tickets.delete"])
    cleaner = make_member(desk["account"], role)
    with pytest.raises(NotFound):
        ticket_actions.delete_ticket(
            actor=actor_for(cleaner), ticket_id=desk["tickets"]["north"].pk
        )


def test_export_needs_data_export_and_writes_the_visible_tickets(desk):
    with pytest.raises(PermissionDenied):
        ticket_actions.export_tickets(actor=actor_for(desk["agent"]))
    Ticket.objects.create(account=desk["account"], subject="=HYPERLINK(1)")
    ticket_actions.set_chat_access(
        actor=desk["admin"], member=desk["supervisor"], scope=ChatAccess.ASSIGNED
    )
    tickets = ticket_actions.export_tickets(actor=actor_for(desk["supervisor"]))
    text = "".join(ticket_actions.iter_tickets_csv(tickets))
    lines = text.strip().splitlines()
    assert lines[0].startswith("id,subject,status,assignee")
    assert sorted(line.split(",")[1] for line in lines[1:]) == ["North", "South"]
    assert ActivityEvent.objects.get(action="tickets.exported").after == {"count": 2}

    everything = "".join(
        ticket_actions.iter_tickets_csv(ticket_actions.export_tickets(actor=desk["admin"]))
    )
    assert "'=HYPERLINK(1)" in everything
