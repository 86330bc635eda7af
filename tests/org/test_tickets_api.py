"""/api/v1/tickets: list, one, delete, CSV export, each through the visibility selector."""

from __future__ import annotations

import pytest

from crewbase.org.models import Ticket
from tests.api.client import ApiClient
from tests.conftest import make_account, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    account, owner = make_account(paid_agent_seats=5)
    agent = make_member(account, "agent", agent_access=True)
    mine = [
        Ticket.objects.create(account=account, subject=f"Mine {n}", assignee=agent)
        for n in range(3)
    ]
    other = Ticket.objects.create(account=account, subject="Not mine", status="solved")
    return {"owner": owner, "agent": agent, "mine": mine, "other": other}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_list_pages_through_what_the_caller_sees(desk):
    api = ApiClient(person=desk["agent"].person)
    first = api.get("/tickets?limit=2").json()
    assert [t["subject"] for t in first["items"]] == ["Mine 0", "Mine 1"]
    assert first["items"][0]["assignee"]["email"] == desk["agent"].email
    second = api.get(f"/tickets?limit=2&after={first['next_cursor']}").json()
    assert [t["subject"] for t in second["items"]] == ["Mine 2"]
    assert second["next_cursor"] is None

    owner = ApiClient(person=desk["owner"].person)
    solved = owner.get("/tickets?status=solved").json()["items"]
    assert [t["subject"] for t in solved] == ["Not mine"]


def test_bad_list_parameters_name_the_field(desk):
    api = ApiClient(person=desk["owner"].person)
    for query, field in (("status=lost", "status"), ("limit=0", "limit"), ("after=x", "after")):
        response = api.get(f"/tickets?{query}")
        assert response.status_code == 422, query
        assert f"query.{field}" in response.json()["errors"], response.json()


def test_one_ticket_hidden_from_the_agent_is_a_404(desk):
    api = ApiClient(person=desk["agent"].person)
    assert api.get(f"/tickets/{desk['mine'][0].pk}").json()["subject"] == "Mine 0"
    hidden = api.get(f"/tickets/{desk['other'].pk}")
    assert hidden.status_code == 404
    assert "Not mine" not in hidden.content.decode()


def test_delete_needs_tickets_delete(desk):
    agent = ApiClient(person=desk["agent"].person)
    refused = agent.request("DELETE", f"/tickets/{desk['mine'][0].pk}")
    assert refused.status_code == 403
    assert "tickets.delete" in refused.json()["message"]
    owner = ApiClient(person=desk["owner"].person)
    assert owner.request("DELETE", f"/tickets/{desk['mine'][0].pk}").status_code == 204
    assert owner.request("DELETE", f"/tickets/{desk['mine'][0].pk}").status_code == 404


def test_export_is_csv_of_the_visible_tickets_and_needs_data_export(desk):
    assert ApiClient(person=desk["agent"].person).get("/tickets/export").status_code == 403
    response = ApiClient(person=desk["owner"].person).get("/tickets/export")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = _body(response).decode().strip().splitlines()
    assert len(lines) == 1 + 4


def test_chat_access_is_read_and_set_over_the_api(desk):
    owner = ApiClient(person=desk["owner"].person)
    path = f"/members/{desk['agent'].pk}/chat-access"
    assert owner.get(path).json() == {"chat_access": "all"}
    assert owner.request("PUT", path, {"chat_access": "assigned"}).json() == {
        "chat_access": "assigned"
    }
    assert owner.get(path).json() == {"chat_access": "assigned"}
    bad = owner.request("PUT", path, {"chat_access": "most"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"body.chat_access": "must be one of 'all' or 'assigned'"}
    refused = ApiClient(person=desk["agent"].person).request("PUT", path, {"chat_access": "all"})
    assert refused.status_code == 403
