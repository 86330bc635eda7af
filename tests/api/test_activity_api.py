"""The activity log through the API: filters, own activity, performed types, exports (ACT-*)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from crewbase.audit.export import write_activity_csv, write_activity_json
from crewbase.audit.models import ActivityEvent
from crewbase.core import clock
from crewbase.people.actions.changes import change_role, update_member
from tests.api.client import ApiClient
from tests.conftest import actor_for, builtin_role, make_account, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    account, owner = make_account()
    admin = make_member(account, "admin")
    agent = make_member(account, "agent")
    update_member(actor=actor_for(admin), member=agent, changes={"first_name": "=HYPERLINK(1)"})
    change_role(actor=actor_for(owner), member=agent, role_id=builtin_role("read_only").pk)
    return account, owner, admin, agent


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_filter_by_type_answers_who_performed_x(scene):
    _, owner, admin, _ = scene
    api = ApiClient(person=owner.person)
    items = api.get("/activity?type=member.updated").json()["items"]
    assert [(e["action"], e["actor_member_id"]) for e in items] == [("member.updated", admin.pk)]
    assert items[0]["label"] == "Profile edited"
    by_actor = api.get(f"/activity?actor={owner.pk}").json()["items"]
    assert {e["action"] for e in by_actor} == {"member.role_changed"}


def test_filter_by_target_and_time(scene):
    account, owner, _, agent = scene
    api = ApiClient(person=owner.person)
    about_agent = api.get(f"/activity?target_type=member&target_id={agent.pk}").json()["items"]
    assert [e["action"] for e in about_agent] == ["member.role_changed", "member.updated"]
    future = (clock.now() + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    assert api.get(f"/activity?since={future}").json()["items"] == []
    assert len(api.get(f"/activity?until={future}").json()["items"]) == (
        ActivityEvent.objects.filter(account=account).count()
    )


def test_unknown_type_is_named(scene):
    _, owner, _, _ = scene
    response = ApiClient(person=owner.person).get("/activity?type=member.teleported")
    assert response.status_code == 422
    assert response.json()["errors"] == {"query.type": "unknown activity type 'member.teleported'"}


def test_keyset_pages_cover_every_event_once_newest_first(scene):
    account, owner, _, _ = scene
    api = ApiClient(person=owner.person)
    seqs, cursor = [], None
    while True:
        page = api.get("/activity?limit=2" + (f"&cursor={cursor}" if cursor else "")).json()
        seqs += [e["seq"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    expected = list(
        ActivityEvent.objects.filter(account=account).order_by("-seq").values_list("seq", flat=True)
    )
    assert seqs == expected


def test_a_member_without_audit_view_sees_only_their_own_activity(scene):
    _account, _, admin, agent = scene
    agent_api = ApiClient(person=agent.person)
    assert agent_api.get("/activity").status_code == 403
    assert agent_api.get(f"/members/{admin.pk}/activity").status_code == 403
    agent_api.post("/api-tokens", {"name": "mine", "scopes": ["users.view"]})
    own = agent_api.get(f"/members/{agent.pk}/activity").json()["items"]
    assert [e["action"] for e in own] == ["api_token.created"]


def test_activity_types_of_a_member_are_only_those_they_performed(scene):
    _, owner, admin, agent = scene
    api = ApiClient(person=owner.person)
    types = api.get(f"/members/{admin.pk}/activity/types").json()
    assert [t["key"] for t in types] == ["member.updated"]
    # The agent was the target of two events but performed none.
    assert api.get(f"/members/{agent.pk}/activity/types").json() == []
    filtered = api.get(f"/members/{owner.pk}/activity?type=member.role_changed").json()["items"]
    assert [e["action"] for e in filtered] == ["member.role_changed"]


def test_csv_export_streams_every_event_with_a_bom_and_is_recorded(scene):
    account, owner, _, _ = scene
    before = ActivityEvent.objects.filter(account=account).count()
    response = ApiClient(person=owner.person).get("/activity/export?format=csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = body_of(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    # The export is itself recorded, before the rows are read.
    assert len(rows) == before + 1
    assert rows[-1]["action"] == "activity.exported"
    assert [int(r["seq"]) for r in rows] == sorted(int(r["seq"]) for r in rows)
    # A name that a spreadsheet would run as a formula is defused.
    updated = next(r for r in rows if r["action"] == "member.updated")
    assert json.loads(updated["after"]) == {"first_name": "=HYPERLINK(1)"}
    assert all(not r["target"].startswith("=") for r in rows)
    assert ActivityEvent.objects.filter(account=account, action="activity.exported").count() == 1


def test_json_export_is_an_array_and_honours_filters(scene):
    _, owner, _, _ = scene
    response = ApiClient(person=owner.person).get(
        "/activity/export?format=json&type=member.role_changed"
    )
    assert response.status_code == 200
    events = json.loads(body_of(response))
    assert [e["action"] for e in events] == ["member.role_changed"]
    assert events[0]["before"] == {"role": "Agent"}


def test_export_needs_data_export_as_well_as_audit_view(scene):
    account, owner, _, _ = scene
    from crewbase.access.actions import create_role

    auditor_role = create_role(
        actor=actor_for(owner), name="Auditor", permissions=["users.view", "audit.view"]
    )
    auditor = make_member(account, auditor_role)
    api = ApiClient(person=auditor.person)
    assert api.get("/activity").status_code == 200
    response = api.get("/activity/export?format=json")
    assert response.status_code == 403
    assert "data.export" in response.json()["message"]
    assert not ActivityEvent.objects.filter(action="activity.exported").exists()


def test_bad_export_format_is_named(scene):
    _, owner, _, _ = scene
    response = ApiClient(person=owner.person).get("/activity/export?format=xlsx")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"query.format"}


def test_writers_produce_csv_and_json_files(scene, tmp_path):
    account, _, _, _ = scene
    events = ActivityEvent.objects.filter(account=account)
    with open(tmp_path / "a.csv", "w", encoding="utf-8", newline="") as stream:
        write_activity_csv(events, stream)
    with open(tmp_path / "b.csv", "w", encoding="utf-8-sig", newline="") as stream:
        write_activity_csv(events, stream)
    for name in ("a.csv", "b.csv"):
        raw = (tmp_path / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"\xef\xbb\xbf" * 2)
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert len(rows) == events.count()
    with open(tmp_path / "c.json", "w", encoding="utf-8") as stream:
        write_activity_json(events, stream)
    loaded = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert [e["seq"] for e in loaded] == sorted(events.values_list("seq", flat=True))
