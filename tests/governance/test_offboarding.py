"""Offboarding gains the account's closing items and a summary of what was handed over."""

import pytest

from crewbase.core.errors import ValidationFailed
from crewbase.governance import checklists
from crewbase.governance.models import ChecklistTick
from crewbase.org.models import Macro, SavedView, Ticket
from crewbase.people.actions.lifecycle import offboard_member
from crewbase.people.models import Member, MemberStatus
from tests.api.client import ApiClient
from tests.conftest import actor_for
from tests.console.conftest import signed_in


@pytest.fixture
def leaver(gov):
    agent = gov["agent"]
    Ticket.objects.create(account=gov["account"], subject="Refund please", assignee=agent)
    Macro.objects.create(account=gov["account"], title="Greeting", owner=agent)
    SavedView.objects.create(account=gov["account"], name="My open", owner=agent)
    item = checklists.create_item(
        actor=actor_for(gov["owner"]), kind="offboarding", title="Reviewed for sensitive data"
    )
    return agent, item


def test_offboarding_waits_for_every_closing_item(gov, leaver):
    agent, item = leaver
    with pytest.raises(ValidationFailed) as refused:
        offboard_member(actor=actor_for(gov["owner"]), member=agent)
    assert refused.value.errors == {
        f"closing_item_{item.pk}": "tick or skip 'Reviewed for sensitive data'"
    }
    assert Member.objects.get(pk=agent.pk).status == MemberStatus.ACTIVE
    checklists.set_tick(actor=actor_for(gov["owner"]), member=agent, item=item, state="skipped")
    offboard_member(actor=actor_for(gov["owner"]), member=agent)
    assert Member.objects.get(pk=agent.pk).status == MemberStatus.DEACTIVATED


def test_console_offboarding_with_closing_items_shows_the_summary(gov, leaver):
    agent, item = leaver
    client = signed_in(gov["owner"])
    form = client.get(f"/members/{agent.pk}/offboard/").text
    assert "Reviewed for sensitive data" in form and 'value="skipped"' in form
    data = {"reassign_tickets_to": str(gov["admin"].pk), "transfer_assets_to": str(gov["admin"].pk)}
    refused = client.post(f"/members/{agent.pk}/offboard/", data)
    assert refused.status_code == 422
    assert "Tick or skip" in refused.text
    assert Member.objects.get(pk=agent.pk).status == MemberStatus.ACTIVE
    assert not ChecklistTick.objects.exists()

    done = client.post(f"/members/{agent.pk}/offboard/", {**data, f"closing_{item.pk}": "done"})
    assert done.status_code == 200
    assert "was offboarded" in done.text
    assert "Refund please" in done.text and "Greeting" in done.text and "My open" in done.text
    assert "Reviewed for sensitive data: done by" in done.text
    assert Member.objects.get(pk=agent.pk).status == MemberStatus.DEACTIVATED
    assert Macro.objects.get().owner_id == gov["admin"].pk


def test_api_callers_tick_or_skip_closing_items_then_offboard(gov, leaver):
    agent, item = leaver
    api = ApiClient(person=gov["owner"].person)
    refused = api.post(f"/members/{agent.pk}/offboard", {"transfer_assets_to": gov["admin"].pk})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        f"closing_item_{item.pk}": "tick or skip 'Reviewed for sensitive data'"
    }
    skipped = api.post(f"/members/{agent.pk}/checklist/{item.pk}", {"state": "skipped"}).json()
    assert skipped["offboarding"][0]["state"] == "skipped"
    done = api.post(f"/members/{agent.pk}/offboard", {"transfer_assets_to": gov["admin"].pk})
    assert done.status_code == 200
    assert done.json()["macros_transferred"] == 1
