"""Accounts with more members than a select can list: member fields take an email address."""

import pytest

from crewbase.console.views import activity, billing
from crewbase.people.actions.changes import update_member
from crewbase.people.models import Member
from tests.conftest import actor_for
from tests.console_admin.conftest import client_for


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(activity, "MEMBER_SELECT_LIMIT", 2)
    monkeypatch.setattr(billing, "MEMBER_SELECT_LIMIT", 2)


def test_activity_filters_by_typed_email(scene, small_limit):
    update_member(actor=actor_for(scene.admin), member=scene.agent, changes={"phone": "1"})
    update_member(actor=actor_for(scene.owner), member=scene.agent, changes={"phone": "2"})
    client = client_for(scene.owner)
    page = client.get("/activity/")
    assert page.context["members"] is None
    assert '<input type="text" name="actor"' in page.content.decode()
    by_admin = client.get("/activity/", {"actor": scene.admin.email.upper()})
    assert [e.actor_member_id for e in by_admin.context["events"]] == [scene.admin.pk]
    unknown = client.get("/activity/", {"actor": "nobody@nowhere.example"})
    assert unknown.status_code == 422
    assert "nobody@nowhere.example" in unknown.context["filters"].errors["actor"]
    theirs = client.get("/activity/", {"target": scene.other_owner.email})
    assert theirs.status_code == 422  # another account's member is simply unknown here


def test_billing_contact_by_typed_email(scene, small_limit):
    client = client_for(scene.owner)
    page = client.get("/billing/").content.decode()
    assert '<input type="email" name="new_contact"' in page
    response = client.post("/billing/billing-contact/", {"new_contact": scene.admin.email})
    assert response.status_code == 302
    assert Member.objects.get(account=scene.account, is_billing_contact=True) == scene.admin
    refused = client.post("/billing/billing-contact/", {"new_contact": scene.other_owner.email})
    assert refused.status_code == 422
    assert "active member of this account" in refused.context["errors"]["new_contact"]
