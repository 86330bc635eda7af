"""The members endpoints: list and filter, edits, and the lifecycle with what it reports."""

from __future__ import annotations

import pytest

from crewbase.api.actions import create_api_token
from crewbase.api.models import ApiToken
from crewbase.core.models import OutboxMessage
from crewbase.org.models import Queue, Ticket
from crewbase.people.models import MemberStatus
from tests.api.client import ApiClient
from tests.conftest import actor_for, builtin_role, make_account, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    account, owner = make_account(paid_agent_seats=1)
    return account, owner, ApiClient(person=owner.person)


def test_list_searches_filters_and_pages_within_the_account(scene):
    account, _owner, api = scene
    for n in range(5):
        make_member(account, "agent", email=f"agent{n}@example.com")
    make_member(account, "supervisor", email="boss@example.com")
    make_member(account, "agent", email="gone@example.com", status=MemberStatus.DEACTIVATED)
    elsewhere, _ = make_account()
    make_member(elsewhere, "agent", email="agent-elsewhere@example.com")

    found = api.get("/members?q=AGENT").json()
    assert sorted(m["email"] for m in found["items"]) == [f"agent{n}@example.com" for n in range(5)]
    supervisors = api.get(f"/members?role={builtin_role('supervisor').pk}").json()["items"]
    assert [m["email"] for m in supervisors] == ["boss@example.com"]
    gone = api.get("/members?status=deactivated").json()["items"]
    assert [m["email"] for m in gone] == ["gone@example.com"]

    seen, cursor = [], None
    while True:
        page = api.get("/members?limit=3" + (f"&cursor={cursor}" if cursor else "")).json()
        seen += [m["email"] for m in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 8  # owner + 5 agents + supervisor + deactivated
    assert "agent-elsewhere@example.com" not in seen


def test_bad_list_parameters_are_named(scene):
    _, _, api = scene
    response = api.get("/members?role=999999&agent_access=maybe&limit=500")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"query.limit"}
    response = api.get("/members?role=999999&agent_access=maybe")
    assert set(response.json()["errors"]) == {"role", "agent_access"}


def test_deactivation_reports_what_it_did_and_ends_tokens(scene):
    account, _owner, api = scene
    leaver = make_member(account, "agent", agent_access=True)
    heir = make_member(account, "agent")
    queue = Queue.objects.create(account=account, name="Billing")
    queue.members.add(leaver)
    Ticket.objects.create(account=account, subject="Help", assignee=leaver)
    _, secret = create_api_token(actor=actor_for(leaver), name="x", scopes=["users.view"])

    response = api.post(
        f"/members/{leaver.pk}/deactivate", {"reassign_to": heir.pk, "reason": "left_company"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["member"]["status"] == "deactivated"
    assert body["member"]["deactivation_reason"] == "left_company"
    assert body["tickets_reassigned"] == 1
    assert body["queues_left"] == ["Billing"]
    assert body["tokens_revoked"] == 1
    assert Ticket.objects.get().assignee == heir
    assert ApiToken.objects.get(member=leaver).revoked_at is not None
    assert ApiClient(token=secret).get("/me").status_code == 401


def test_reactivation_says_queues_are_not_restored_and_if_agent_access_was_dropped(scene):
    account, _owner, api = scene
    # Two seats (1 free + 1 paid): the owner holds one, the returning member held the other.
    returning = make_member(account, "agent", agent_access=True, status=MemberStatus.DEACTIVATED)
    make_member(account, "agent", agent_access=True)  # took the last seat meanwhile
    response = api.post(f"/members/{returning.pk}/reactivate")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["queues_restored"] is False
    assert body["agent_access_dropped"] is True
    assert body["member"]["agent_access"] is False
    assert "Queues are not restored" in body["message"]
    assert "no agent seat" in body["message"]


def test_enabling_agent_access_without_a_seat_is_409_with_the_count(scene):
    account, _, api = scene
    make_member(account, "agent", agent_access=True)
    newcomer = make_member(account, "agent")
    response = api.post(f"/members/{newcomer.pk}/agent-access", {"agent_access": True})
    assert response.status_code == 409
    assert response.json()["errors"] == {"agent_access": "no agent seat left (2 of 2 used)"}


def test_the_owner_cannot_be_deactivated_or_deleted(scene):
    account, owner, _ = scene
    admin = make_member(account, "admin")
    api = ApiClient(person=admin.person)
    assert api.post(f"/members/{owner.pk}/deactivate").status_code == 409
    assert api.delete(f"/members/{owner.pk}").status_code == 409
    response = api.post(f"/members/{owner.pk}/role", {"role_id": builtin_role("agent").pk})
    assert response.status_code == 409
    owner.refresh_from_db()
    assert owner.status == "active"


def test_delete_needs_deactivation_first(scene):
    account, _, api = scene
    member = make_member(account, "agent")
    assert api.delete(f"/members/{member.pk}").status_code == 409
    api.post(f"/members/{member.pk}/deactivate")
    assert api.delete(f"/members/{member.pk}").status_code == 204
    assert api.get(f"/members/{member.pk}").status_code == 404


def test_admin_triggered_password_reset_queues_the_email(scene):
    account, _, api = scene
    member = make_member(account, "agent")
    response = api.post(f"/members/{member.pk}/password-reset")
    assert response.status_code == 202, response.content
    assert member.email in response.json()["message"]
    assert OutboxMessage.objects.filter(payload__to=member.email).count() == 1
