"""One account can never change another's data through any action (FAIL-4).

Objects of another account are reported as missing (NotFound), never as forbidden; ids of
another account given as a field are refused naming that field (422). Either way the other
account is left exactly as it was.
"""

import pytest
from django.contrib.sessions.models import Session

from crewbase.access.actions import create_role, delete_role, update_role
from crewbase.access.models import Role
from crewbase.accounts.actions import transfer_billing_contact, transfer_ownership
from crewbase.audit.models import ActivityEvent
from crewbase.core.errors import NotFound, ValidationFailed
from crewbase.core.models import OutboxMessage
from crewbase.org.models import Division, Team
from crewbase.people.actions.changes import (
    change_role,
    set_agent_access,
    sign_out_everywhere,
    update_member,
)
from crewbase.people.actions.invitations import cancel_invitation, invite_people, resend_invitation
from crewbase.people.actions.lifecycle import (
    deactivate_member,
    delete_member,
    offboard_member,
    reactivate_member,
)
from crewbase.people.models import Invitation, Member, MemberStatus
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.people.scenes import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_accounts():
    home, home_owner = make_account(name="Home", paid_agent_seats=5)
    away, away_owner = make_account(name="Away", paid_agent_seats=5)
    invite_people(
        actor=actor_for(away_owner), emails="pending@away.example", role_id=builtin_role("agent").pk
    )
    away_active = make_member(away, "agent")
    signed_in_client(away_active)
    return {
        "actor": actor_for(home_owner),
        "home": home,
        "away": away,
        "active": away_active,
        "invited": Member.objects.get(account=away, email="pending@away.example"),
        "deactivated": make_member(away, "agent", status=MemberStatus.DEACTIVATED),
        "role": create_role(actor=actor_for(away_owner), name="Away role", permissions=[]),
        "team": Team.objects.create(account=away, name="Away team"),
        "division": Division.objects.create(account=away, name="Away division"),
    }


def snapshot(account) -> dict:
    """Everything an action could change in an account, as plain values."""
    return {
        "members": list(Member.objects.filter(account=account).order_by("pk").values()),
        "roles": list(Role.objects.filter(account=account).order_by("pk").values()),
        "invitations": list(Invitation.objects.filter(account=account).order_by("pk").values()),
        "events": ActivityEvent.objects.filter(account=account).count(),
        "emails": OutboxMessage.objects.filter(account=account).count(),
        "sessions": Session.objects.count(),
    }


OBJECT_ACTIONS = {
    "change_role": lambda s: change_role(
        actor=s["actor"], member=s["active"], role_id=builtin_role("admin").pk
    ),
    "update_member": lambda s: update_member(
        actor=s["actor"], member=s["active"], changes={"first_name": "Hijacked"}
    ),
    "set_agent_access": lambda s: set_agent_access(
        actor=s["actor"], member=s["active"], enabled=True
    ),
    "sign_out_everywhere": lambda s: sign_out_everywhere(actor=s["actor"], member=s["active"]),
    "resend_invitation": lambda s: resend_invitation(actor=s["actor"], member=s["invited"]),
    "cancel_invitation": lambda s: cancel_invitation(actor=s["actor"], member=s["invited"]),
    "deactivate_member": lambda s: deactivate_member(actor=s["actor"], member=s["active"]),
    "reactivate_member": lambda s: reactivate_member(actor=s["actor"], member=s["deactivated"]),
    "delete_deactivated_member": lambda s: delete_member(actor=s["actor"], member=s["deactivated"]),
    "delete_invited_member": lambda s: delete_member(actor=s["actor"], member=s["invited"]),
    "offboard_member": lambda s: offboard_member(actor=s["actor"], member=s["active"]),
    "update_role": lambda s: update_role(actor=s["actor"], role=s["role"], name="Hijacked"),
    "delete_role": lambda s: delete_role(actor=s["actor"], role=s["role"]),
}


@pytest.mark.parametrize("action", sorted(OBJECT_ACTIONS))
def test_an_object_of_another_account_is_not_found_and_nothing_changes(two_accounts, action):
    away_before = snapshot(two_accounts["away"])
    home_before = snapshot(two_accounts["home"])

    with pytest.raises(NotFound):
        OBJECT_ACTIONS[action](two_accounts)

    assert snapshot(two_accounts["away"]) == away_before
    assert snapshot(two_accounts["home"]) == home_before


FIELD_ACTIONS = {
    "new_owner": lambda s: transfer_ownership(actor=s["actor"], new_owner_id=s["active"].pk),
    "new_contact": lambda s: transfer_billing_contact(
        actor=s["actor"], new_contact_id=s["active"].pk
    ),
    "role": lambda s: invite_people(
        actor=s["actor"], emails="x@home.example", role_id=s["role"].pk
    ),
    "teams": lambda s: invite_people(
        actor=s["actor"],
        emails="x@home.example",
        role_id=builtin_role("agent").pk,
        team_ids=[s["team"].pk],
    ),
    "divisions": lambda s: invite_people(
        actor=s["actor"],
        emails="x@home.example",
        role_id=builtin_role("agent").pk,
        division_ids=[s["division"].pk],
    ),
    "clone_of": lambda s: create_role(
        actor=s["actor"], name="Copy", permissions=None, clone_of=s["role"].pk
    ),
    "reassign_to": lambda s: deactivate_member(
        actor=s["actor"],
        member=make_member(s["home"], "agent"),
        reassign_to=s["active"].pk,
    ),
    "transfer_assets_to": lambda s: offboard_member(
        actor=s["actor"],
        member=make_member(s["home"], "agent"),
        transfer_assets_to=s["active"].pk,
    ),
}


@pytest.mark.parametrize("field", sorted(FIELD_ACTIONS))
def test_an_id_of_another_account_is_refused_naming_the_field(two_accounts, field):
    away_before = snapshot(two_accounts["away"])
    home_events = ActivityEvent.objects.filter(account=two_accounts["home"]).count()

    with pytest.raises(ValidationFailed) as refused:
        FIELD_ACTIONS[field](two_accounts)

    assert set(refused.value.errors) == {field}
    assert snapshot(two_accounts["away"]) == away_before
    assert ActivityEvent.objects.filter(account=two_accounts["home"]).count() == home_events
    assert not Member.objects.filter(email="x@home.example").exists()
